import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fillFlagEnvironmentStates } from "../src/storage/migrations/0012-flag-environment-states.js";
import { expectKameleoonError, type J } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer } from "./harness.js";

// GET /feature-flags and POST /feature-flags/search filter on the state of an environment (on/off) and
// on rule types, server-side, so the console's list pages and counts stay right with 10,000 flags.
// On SQLite, or PostgreSQL with VEXIL_TEST_POSTGRES_URL.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  // A project of its own (development, staging, production by default) so only these flags are listed.
  expect((await server.request("POST", "/projects", { body: { key: "lists", name: "Lists" } })).status).toBe(
    201,
  );
  const variations = [{ key: "off" }, { key: "on" }];
  const targeted = { type: "TARGETED_DELIVERY", name: "All", exposition: 100, variationKey: "on" };
  const progressive = {
    type: "PROGRESSIVE_DELIVERY",
    name: "Ramp",
    variationKey: "on",
    rolloutConfiguration: {
      type: "PROGRESSIVE_EXPOSURE",
      percentageRange: { start: 10, stop: 100 },
      increaseBy: 10,
      frequency: { unit: "Days", value: 1 },
      releaseDateTime: "2025-06-01T09:00:00",
    },
  };
  const experiment = {
    type: "EXPERIMENTATION",
    name: "Test",
    exposition: 100,
    trafficAllocations: [
      { variationKey: "off", exposition: 50 },
      { variationKey: "on", exposition: 50 },
    ],
  };
  const flags = [
    // alpha: on in production with a targeted rule there.
    { featureKey: "alpha", env: { production: { featureEnabled: true, rolloutRules: [targeted] } } },
    // bravo: off everywhere, an experiment in staging.
    { featureKey: "bravo", env: { staging: { featureEnabled: false, rolloutRules: [experiment] } } },
    // charlie: on in staging only, a progressive rule in production.
    {
      featureKey: "charlie",
      env: { staging: { featureEnabled: true }, production: { rolloutRules: [progressive] } },
    },
    // delta: on in production, archived below.
    { featureKey: "delta", env: { production: { featureEnabled: true } } },
  ];
  for (const flag of flags) {
    const environmentConfigurations = Object.entries(flag.env).map(([environmentKey, config]) => ({
      environmentKey,
      defaultVariationKey: "off",
      ...config,
    }));
    const created = await server.request("POST", "/feature-flags", {
      body: {
        siteCode: "lists",
        featureKey: flag.featureKey,
        name: flag.featureKey,
        variations,
        environmentConfigurations,
      },
    });
    expect(created.status, created.text).toBe(201);
  }
  expect((await server.request("POST", "/feature-flags/lists/delta/archive")).status).toBe(200);
});
afterAll(async () => server?.close());

async function keys(query: string) {
  const response = await server.request("GET", `/feature-flags?siteCode=lists${query}`);
  expect(response.status, response.text).toBe(200);
  return {
    keys: response.body.map((f: J) => f.featureKey).sort(),
    total: Number(response.headers["x-pagination-total-count"]),
  };
}

describe("flag list filters on environments and rule types", () => {
  it("lists the flags on, or off, in one environment", async () => {
    expect(await keys("&environmentKey=production&enabled=true")).toEqual({ keys: ["alpha"], total: 1 });
    expect(await keys("&environmentKey=production&enabled=true&archived=all")).toEqual({
      keys: ["alpha", "delta"],
      total: 2,
    });
    // bravo has no configuration written for production: off there, as the flag page shows it.
    expect(await keys("&environmentKey=production&enabled=false")).toEqual({
      keys: ["bravo", "charlie"],
      total: 2,
    });
    expect(await keys("&environmentKey=staging&enabled=true")).toEqual({ keys: ["charlie"], total: 1 });
  });

  it("lists the flags with a rule of given types, in one environment or in any", async () => {
    expect((await keys("&ruleType=EXPERIMENTATION")).keys).toEqual(["bravo"]);
    expect((await keys("&ruleType=EXPERIMENTATION&environmentKey=production")).keys).toEqual([]);
    expect(
      (await keys("&ruleType=TARGETED_DELIVERY,PROGRESSIVE_DELIVERY&environmentKey=production")).keys,
    ).toEqual(["alpha", "charlie"]);
    // Combined with the other filters, and paged: the total counts every match, not the page.
    const paged = await server.request(
      "GET",
      "/feature-flags?siteCode=lists&environmentKey=production&ruleType=TARGETED_DELIVERY,PROGRESSIVE_DELIVERY&perPage=1&sort=-featureKey",
    );
    expect(paged.body.map((f: J) => f.featureKey)).toEqual(["charlie"]);
    expect(paged.headers["x-pagination-total-count"]).toBe("2");
    const searched = await server.request(
      "POST",
      "/feature-flags/search?siteCode=lists&environmentKey=production&enabled=false",
      { body: { filter: { field: "featureKey", operator: "EQUAL", parameters: ["charlie"] } } },
    );
    expect(searched.body.map((f: J) => f.featureKey)).toEqual(["charlie"]);
  });

  it("follows every write: a switch turned on, a rule removed", async () => {
    const on = await server.request("PATCH", "/feature-flags/lists/bravo/production", {
      body: { featureEnabled: true },
    });
    expect(on.status, on.text).toBe(200);
    expect((await keys("&environmentKey=production&enabled=true")).keys).toEqual(["alpha", "bravo"]);
    const cleared = await server.request("PATCH", "/feature-flags/lists/bravo/staging", {
      body: { rolloutRules: [] },
    });
    expect(cleared.status, cleared.text).toBe(200);
    expect((await keys("&ruleType=EXPERIMENTATION")).keys).toEqual([]);
    // Back as it was, for the other tests of this file.
    await server.request("PATCH", "/feature-flags/lists/bravo/production", {
      body: { featureEnabled: false },
    });
    await server.request("PATCH", "/feature-flags/lists/bravo/staging", {
      body: {
        rolloutRules: [
          {
            type: "EXPERIMENTATION",
            name: "Test",
            exposition: 100,
            trafficAllocations: [
              { variationKey: "off", exposition: 50 },
              { variationKey: "on", exposition: 50 },
            ],
          },
        ],
      },
    });
  });

  it("answers 400 for what it cannot honour", async () => {
    expectKameleoonError(
      await server.request("GET", "/feature-flags?siteCode=lists&enabled=true"),
      400,
      /enabled needs querystring\.environmentKey/,
    );
    expectKameleoonError(
      await server.request("GET", "/feature-flags?siteCode=lists&environmentKey=prod&enabled=true"),
      400,
      /'prod' is not an environment of project 'lists'/,
    );
    expectKameleoonError(
      await server.request("GET", "/feature-flags?siteCode=lists&environmentKey=production&enabled=yes"),
      400,
      /enabled/,
    );
    expectKameleoonError(await server.request("GET", "/feature-flags?ruleType=CANARY"), 400, /ruleType/);
    expectKameleoonError(
      await server.request("POST", "/feature-flags/search?siteCode=lists&enabled=false", { body: {} }),
      400,
      /enabled needs/,
    );
    // Without siteCode the key is looked up in each flag's own states: a name like __proto__ matches none.
    const odd = await server.request(
      "GET",
      "/feature-flags?environmentKey=__proto__&ruleType=EXPERIMENTATION",
    );
    expect(odd.status, odd.text).toBe(200);
    expect(odd.body).toEqual([]);
  });

  it("keeps a reader scoped to another project out", async () => {
    await server.request("POST", "/projects", { body: { key: "elsewhere", name: "Elsewhere" } });
    const token = await server.request("POST", "/tokens", {
      body: { name: "elsewhere reader", role: "reader", projectKey: "elsewhere" },
    });
    expect(token.status, token.text).toBe(201);
    // The scope check comes before the environment check: no hint about another project's environments.
    const denied = await server.request("GET", "/feature-flags?siteCode=lists&environmentKey=nope", {
      token: token.body.token,
    });
    expectKameleoonError(denied, 403);
  });
});

describe("migration 0012-flag-environment-states", () => {
  it("fills the states of flags stored before it from their documents", async () => {
    // Flags as an earlier Vexil stored them: no states yet (the column's default).
    await sql`update flags set environment_states = '{}'`.execute(server.context.db);
    expect((await keys("&environmentKey=production&enabled=true")).keys).toEqual([]);
    await fillFlagEnvironmentStates(server.context.db as never);
    expect((await keys("&environmentKey=production&enabled=true")).keys).toEqual(["alpha"]);
    expect((await keys("&ruleType=EXPERIMENTATION")).keys).toEqual(["bravo"]);
  });
});
