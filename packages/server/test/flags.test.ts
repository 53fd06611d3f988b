import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFlag,
  exampleBody,
  expectKameleoonError,
  type J,
  setupDemo,
  tokenWith,
} from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
let clock = Date.parse("2025-06-10T12:00:00Z");
beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  await setupDemo(server);
});
afterAll(async () => server?.close());

/** The documented request fields must come back as sent (ids and computed fields added around them). */
function expectContains(actual: unknown, expected: unknown, path = "flag"): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, path).toBe(expected.length);
    expected.forEach((item, i) => {
      expectContains((actual as unknown[])[i], item, `${path}.${i}`);
    });
  } else if (typeof expected === "object" && expected !== null) {
    for (const [key, value] of Object.entries(expected)) {
      expectContains((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
  } else {
    expect(actual, path).toEqual(expected);
  }
}

describe("Kameleoon's documented create example", () => {
  let created: J;

  it("answers 201 with the whole flag, numeric ids and computed fields", async () => {
    const response = await server.request("POST", "/feature-flags", { body: exampleBody() });
    expect(response.status, response.text).toBe(201);
    created = response.body;
    expect(response.headers.etag).toBe('"1"');
    expect(created.id).toBeGreaterThan(100_000);
    expect(created).toMatchObject({
      featureKey: "new_checkout",
      siteCode: "demo",
      version: 1,
      archived: false,
      health: "HEALTHY",
    });
    for (const date of ["dateCreated", "dateModified", "dateContentModified"]) {
      expect(created[date]).toBe("2025-06-10T12:00:00.000Z");
    }
    const [development, staging, production] = created.environmentConfigurations;
    const experiment = development.rolloutRules[0];
    expect(experiment.id).toBeGreaterThan(400_000);
    expect(experiment.id).not.toBe(123); // a client's id that names no rule of this flag is replaced
    expect(typeof experiment.experimentId).toBe("number");
    expect(experiment.status).toBe("ACTIVE");
    expect(experiment.rollbackConditions[0].id).toBe(1);
    const [off, on] = created.variations;
    expect(experiment.trafficAllocations).toEqual([
      { variationKey: "off", variationId: off.id, exposition: 50 },
      { variationKey: "on", variationId: on.id, exposition: 50 },
    ]);
    // Variation variables get their type from the flag-level declaration.
    expect(on.variables).toEqual([
      { key: "one_page", type: "BOOLEAN", value: "true" },
      { key: "button_color", type: "STRING", value: "green" },
    ]);
    // Day 9 of a daily +10 ramp from 10 % (Paris wall clock 09:00 = 07:00Z on 2025-06-01).
    expect(staging.rolloutRules[0].currentExposition).toBe(100);
    expect(staging.rolloutRules[0].exposition).toBe(10);
    expect(production.rolloutRules[0].status).toBe("ACTIVE");
    expect(production.rolloutRules[1]).toMatchObject({
      status: "PAUSED",
      currentExposition: 0,
      orderIndex: 1,
    });
    // Everything sent comes back (ids of the request aside).
    const sent = exampleBody();
    for (const environment of sent.environmentConfigurations) {
      for (const rule of environment.rolloutRules) {
        delete rule.id;
        for (const condition of rule.rollbackConditions ?? []) delete condition.id;
        for (const allocation of rule.trafficAllocations ?? []) delete allocation.variationId;
      }
    }
    expectContains(created, sent);
  });

  it("reads back the same content", async () => {
    const response = await server.request("GET", "/feature-flags/demo/new_checkout");
    expect(response.status).toBe(200);
    expect(response.body).toEqual(created);
  });

  it("computes rule status and current exposition from the clock at read time", async () => {
    clock = Date.parse("2025-06-03T08:00:00Z"); // 2 days after the ramp's start: 10 + 2 x 10
    const early = (await server.request("GET", "/feature-flags/demo/new_checkout")).body;
    expect(early.environmentConfigurations[1].rolloutRules[0].currentExposition).toBe(30);
    clock = Date.parse("2025-07-01T00:00:00Z"); // after releaseTo of the production rule
    const late = (await server.request("GET", "/feature-flags/demo/new_checkout")).body;
    expect(late.environmentConfigurations[2].rolloutRules[0].status).toBe("OUTDATED");
    clock = Date.parse("2025-05-01T00:00:00Z");
    const before = (await server.request("GET", "/feature-flags/demo/new_checkout")).body;
    expect(before.environmentConfigurations[2].rolloutRules[0].status).toBe("PLANNED");
    expect(before.environmentConfigurations[1].rolloutRules[0].currentExposition).toBe(0);
    clock = Date.parse("2025-06-10T12:00:00Z");
  });
});

describe("defaults", () => {
  it("gives a minimal flag off/on variations and one disabled configuration per environment", async () => {
    const flag = await createFlag(server, { featureKey: "minimal", name: "Minimal" });
    expect(flag.variations.map((v: J) => [v.key, v.name, v.variables])).toEqual([
      ["off", "Off", []],
      ["on", "On", []],
    ]);
    expect(flag.environmentConfigurations).toEqual(
      ["development", "staging", "production"].map((environmentKey) => ({
        environmentKey,
        featureEnabled: false,
        defaultVariationKey: "off",
        integrations: { deliveryRules: [], experimentRules: [] },
        dateModified: flag.dateCreated,
        rolloutRules: [],
      })),
    );
    expect(flag).toMatchObject({
      description: "",
      tags: [],
      secondaryGoalIds: [],
      variables: [],
      health: "HEALTHY",
    });
  });

  it("shows an environment added later as disabled with `off` until it is configured", async () => {
    await server.request("POST", "/projects", { body: { key: "later", name: "Later" } });
    await server.request("POST", "/feature-flags", {
      body: { siteCode: "later", featureKey: "f", name: "F" },
    });
    const added = await server.request("POST", "/projects/later/environments", {
      body: { key: "qa", name: "QA" },
    });
    expect(added.status).toBe(201);
    const flag = (await server.request("GET", "/feature-flags/later/f")).body;
    expect(flag.environmentConfigurations.map((e: J) => e.environmentKey)).toEqual([
      "development",
      "staging",
      "production",
      "qa",
    ]);
    expect(flag.environmentConfigurations[3]).toMatchObject({
      featureEnabled: false,
      defaultVariationKey: "off",
      rolloutRules: [],
    });
    const patched = await server.request("PATCH", "/feature-flags/later/f/qa", {
      body: { featureEnabled: true },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.environmentConfigurations[3].featureEnabled).toBe(true);
  });

  it("marks a flag permanent on request and refuses computed health values", async () => {
    const flag = await createFlag(server, {
      featureKey: "permanent",
      name: "Permanent",
      health: "PERMANENT",
    });
    expect(flag.health).toBe("PERMANENT");
    const stale = await server.request("PATCH", "/feature-flags/demo/permanent", {
      body: { health: "STALE" },
    });
    expectKameleoonError(stale, 400, /body\.health/);
    const healthy = await server.request("PATCH", "/feature-flags/demo/permanent", {
      body: { health: null },
    });
    expect(healthy.body.health).toBe("HEALTHY");
  });
});

describe("duplicate", () => {
  it("copies a flag with new ids under <key>-copy, then <key>-copy-2", async () => {
    const source = (await server.request("GET", "/feature-flags/demo/new_checkout")).body;
    const copy = await server.request("POST", "/feature-flags/demo/new_checkout/duplicate");
    expect(copy.status, copy.text).toBe(201);
    expect(copy.body.featureKey).toBe("new_checkout-copy");
    expect(copy.body.name).toBe("New checkout (copy)");
    expect(copy.body.id).not.toBe(source.id);
    expect(copy.body.version).toBe(1);
    const sourceRules = source.environmentConfigurations.flatMap((e: J) => e.rolloutRules);
    const copyRules = copy.body.environmentConfigurations.flatMap((e: J) => e.rolloutRules);
    expect(copyRules.map((r: J) => r.type)).toEqual(sourceRules.map((r: J) => r.type));
    for (const [i, rule] of copyRules.entries()) expect(rule.id).not.toBe(sourceRules[i].id);
    expect(copyRules[0].experimentId).not.toBe(sourceRules[0].experimentId);
    expect(copy.body.variations.map((v: J) => v.id)).not.toEqual(source.variations.map((v: J) => v.id));
    expect(copy.body.variations.map((v: J) => v.key)).toEqual(source.variations.map((v: J) => v.key));
    const second = await server.request("POST", "/feature-flags/demo/new_checkout/duplicate", { body: {} });
    expect(second.body.featureKey).toBe("new_checkout-copy-2");
  });

  it("takes Content-Type application/json with an empty body as the documented no-body call", async () => {
    // What most HTTP clients send for a POST without a body; Kameleoon documents that call as 201.
    await createFlag(server, { featureKey: "empty_body_source", name: "Empty body source" });
    const copy = await server.request("POST", "/feature-flags/demo/empty_body_source/duplicate", {
      headers: { "content-type": "application/json" },
      rawBody: "",
    });
    expect(copy.status, copy.text).toBe(201);
    expect(copy.body.featureKey).toBe("empty_body_source-copy");
    const malformed = await server.request("POST", "/feature-flags/demo/empty_body_source/duplicate", {
      headers: { "content-type": "application/json" },
      rawBody: "{",
    });
    expectKameleoonError(malformed, 400, /Malformed JSON/);
    const poisoned = await server.request("POST", "/feature-flags/demo/empty_body_source/duplicate", {
      headers: { "content-type": "application/json" },
      rawBody: '{"__proto__": {"featureKey": "x"}}',
    });
    expectKameleoonError(poisoned, 400);
  });

  it("takes the key and name from the body, 409 when the key is taken", async () => {
    const named = await server.request("POST", "/feature-flags/demo/minimal/duplicate", {
      body: { featureKey: "minimal_v2", name: "Minimal v2" },
    });
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({ featureKey: "minimal_v2", name: "Minimal v2" });
    const taken = await server.request("POST", "/feature-flags/demo/minimal/duplicate", {
      body: { featureKey: "minimal_v2" },
    });
    expectKameleoonError(taken, 409, /minimal_v2/);
    const missing = await server.request("POST", "/feature-flags/demo/nope/duplicate");
    expectKameleoonError(missing, 404);
  });
});

describe("JSON Merge Patch", () => {
  it("sets, deletes with null and replaces arrays whole; each change bumps the version", async () => {
    const before = (await server.request("GET", "/feature-flags/demo/new_checkout")).body;
    const response = await server.request("PATCH", "/feature-flags/demo/new_checkout", {
      body: { description: null, primaryGoalId: null, tags: ["only"], name: "Checkout v2" },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(response.status, response.text).toBe(200);
    const after = response.body;
    expect(after.version).toBe(before.version + 1);
    expect(after.description).toBe("");
    expect(after.primaryGoalId).toBeUndefined();
    expect(after.tags).toEqual(["only"]);
    expect(after.name).toBe("Checkout v2");
    // Untouched parts stay, ids included; metadata edits leave dateContentModified alone.
    expect(after.environmentConfigurations).toEqual(before.environmentConfigurations);
    expect(after.variations).toEqual(before.variations);
    expect(after.dateContentModified).toBe(before.dateContentModified);
  });

  it("replaces an environment's rules with the array sent, keeping the ids of rules sent back", async () => {
    const before = (await server.request("GET", "/feature-flags/demo/new_checkout")).body;
    const production = before.environmentConfigurations[2];
    clock += 60_000;
    const response = await server.request("PATCH", "/feature-flags/demo/new_checkout", {
      body: {
        environmentConfigurations: [
          before.environmentConfigurations[0],
          before.environmentConfigurations[1],
          {
            ...production,
            rolloutRules: [
              production.rolloutRules[1],
              { type: "TARGETED_DELIVERY", variationKey: "on", exposition: 5 },
            ],
          },
        ],
      },
    });
    expect(response.status, response.text).toBe(200);
    const rules = response.body.environmentConfigurations[2].rolloutRules;
    expect(rules[0].id).toBe(production.rolloutRules[1].id);
    expect(rules[0].orderIndex).toBe(0);
    expect(rules[1].id).toBeGreaterThan(production.rolloutRules[1].id);
    expect(rules[1]).toMatchObject({ name: "Targeted delivery", state: "ACTIVE", exposition: 5 });
    expect(response.body.environmentConfigurations[2].dateModified).toBe(new Date(clock).toISOString());
    expect(response.body.environmentConfigurations[0].dateModified).toBe(
      before.environmentConfigurations[0].dateModified,
    );
    expect(response.body.dateContentModified).toBe(new Date(clock).toISOString());
    // The removed rule is gone for good: its id no longer resolves.
    const gone = await server.request("PATCH", `/feature-flags/rules/${production.rolloutRules[0].id}`, {
      body: { exposition: 1 },
    });
    expectKameleoonError(gone, 404);
  });

  it("keeps variation ids by key across edits", async () => {
    const before = (await server.request("GET", "/feature-flags/demo/minimal")).body;
    const added = await server.request("PATCH", "/feature-flags/demo/minimal", {
      body: { variations: [{ key: "on" }, { key: "blue" }, { key: "off" }] },
    });
    const ids = Object.fromEntries(added.body.variations.map((v: J) => [v.key, v.id]));
    expect(ids.on).toBe(before.variations[1].id);
    expect(ids.off).toBe(before.variations[0].id);
    const removed = await server.request("PATCH", "/feature-flags/demo/minimal", {
      body: { variations: [{ key: "off" }, { key: "on" }] },
    });
    const readded = await server.request("PATCH", "/feature-flags/demo/minimal", {
      body: { variations: [{ key: "off" }, { key: "on" }, { key: "blue" }] },
    });
    expect(removed.status).toBe(200);
    expect(readded.body.variations[2].id).toBe(ids.blue);
  });

  it("answers an unchanged document without a new version", async () => {
    const before = (await server.request("GET", "/feature-flags/demo/minimal")).body;
    const same = await server.request("PATCH", "/feature-flags/demo/minimal", {
      body: { name: before.name },
    });
    expect(same.body.version).toBe(before.version);
    const roundTrip = await server.request("PATCH", "/feature-flags/demo/minimal", { body: before });
    expect(roundTrip.status, roundTrip.text).toBe(200);
    expect(roundTrip.body.version).toBe(before.version);
  });

  it("renames a flag through featureKey (409 when taken)", async () => {
    await createFlag(server, { featureKey: "old_name", name: "Old" });
    const taken = await server.request("PATCH", "/feature-flags/demo/old_name", {
      body: { featureKey: "minimal" },
    });
    expectKameleoonError(taken, 409, /minimal/);
    const renamed = await server.request("PATCH", "/feature-flags/demo/old_name", {
      body: { featureKey: "new_name" },
    });
    expect(renamed.body.featureKey).toBe("new_name");
    expect((await server.request("GET", "/feature-flags/demo/old_name")).status).toBe(404);
    expect((await server.request("GET", "/feature-flags/demo/new_name")).status).toBe(200);
  });
});

describe("environment and rule patches", () => {
  it("patches one environment; flag fields in the same body patch the flag", async () => {
    const before = (await server.request("GET", "/feature-flags/demo/minimal")).body;
    const response = await server.request("PATCH", "/feature-flags/demo/minimal/production", {
      body: {
        featureEnabled: true,
        defaultVariationKey: "on",
        rolloutRules: [{ type: "TARGETED_DELIVERY", variationKey: "off", segmentId: 200001, exposition: 20 }],
        description: "patched through the environment",
      },
    });
    expect(response.status, response.text).toBe(200);
    const production = response.body.environmentConfigurations[2];
    expect(production).toMatchObject({ featureEnabled: true, defaultVariationKey: "on" });
    expect(production.rolloutRules[0]).toMatchObject({
      type: "TARGETED_DELIVERY",
      variationKey: "off",
      exposition: 20,
    });
    expect(response.body.description).toBe("patched through the environment");
    expect(response.body.environmentConfigurations[0]).toEqual(before.environmentConfigurations[0]);
    expect(response.body.version).toBe(before.version + 1);
    expectKameleoonError(
      await server.request("PATCH", "/feature-flags/demo/minimal/nowhere", {
        body: { featureEnabled: true },
      }),
      404,
    );
  });

  it("patches one rule by id and bumps the flag's version; orderIndex moves it", async () => {
    await server.request("PATCH", "/feature-flags/demo/minimal/staging", {
      body: {
        rolloutRules: [
          { type: "TARGETED_DELIVERY", variationKey: "on", name: "first" },
          { type: "TARGETED_DELIVERY", variationKey: "on", name: "second" },
        ],
      },
    });
    const before = (await server.request("GET", "/feature-flags/demo/minimal")).body;
    const [first, second] = before.environmentConfigurations[1].rolloutRules;
    const response = await server.request("PATCH", `/feature-flags/rules/${second.id}`, {
      body: {
        exposition: 42,
        release: { releaseFrom: "2030-01-01T00:00:00", timeZone: "Asia/Tokyo" },
        orderIndex: 0,
      },
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body.version).toBe(before.version + 1);
    const rules = response.body.environmentConfigurations[1].rolloutRules;
    expect(rules.map((r: J) => r.id)).toEqual([second.id, first.id]);
    expect(rules[0]).toMatchObject({ exposition: 42, status: "PLANNED", orderIndex: 0 });
    const nulled = await server.request("PATCH", `/feature-flags/rules/${second.id}`, {
      body: { release: null },
    });
    expect(nulled.body.environmentConfigurations[1].rolloutRules[0].release).toBeUndefined();
    expect(nulled.body.environmentConfigurations[1].rolloutRules[0].status).toBe("ACTIVE");
  });

  it("checks the project scope of the rule's flag", async () => {
    const flag = (await server.request("GET", "/feature-flags/demo/minimal")).body;
    const ruleId = flag.environmentConfigurations[1].rolloutRules[0].id;
    const other = await tokenWith(server, "writer", "later");
    const denied = await server.request("PATCH", `/feature-flags/rules/${ruleId}`, {
      token: other,
      body: { exposition: 1 },
    });
    expectKameleoonError(denied, 403);
    expectKameleoonError(
      await server.request("PATCH", "/feature-flags/rules/999999999", { body: { exposition: 1 } }),
      404,
    );
    const reader = await tokenWith(server, "reader");
    expectKameleoonError(
      await server.request("PATCH", `/feature-flags/rules/${ruleId}`, { token: reader, body: {} }),
      403,
    );
    const unchanged = (await server.request("GET", "/feature-flags/demo/minimal")).body;
    expect(unchanged.version).toBe(flag.version);
  });
});

describe("optimistic concurrency", () => {
  it("answers ETag and honours If-Match; a stale one is 409 and changes nothing", async () => {
    const read = await server.request("GET", "/feature-flags/demo/minimal");
    const etag = read.headers.etag as string;
    expect(etag).toBe(`"${read.body.version}"`);
    const ok = await server.request("PATCH", "/feature-flags/demo/minimal", {
      body: { description: "first writer" },
      headers: { "if-match": etag },
    });
    expect(ok.status).toBe(200);
    const stale = await server.request("PATCH", "/feature-flags/demo/minimal", {
      body: { description: "second writer" },
      headers: { "if-match": etag },
    });
    expectKameleoonError(stale, 409, /version/);
    const after = (await server.request("GET", "/feature-flags/demo/minimal")).body;
    expect(after.description).toBe("first writer");
    for (const [method, url, body] of [
      ["PATCH", "/feature-flags/demo/minimal/staging", { featureEnabled: true }],
      [
        "PATCH",
        `/feature-flags/rules/${after.environmentConfigurations[1].rolloutRules[0].id}`,
        { exposition: 3 },
      ],
      ["POST", "/feature-flags/demo/minimal/archive", undefined],
      ["DELETE", "/feature-flags/demo/minimal", undefined],
    ] as const) {
      const response = await server.request(method, url, { body, headers: { "if-match": 'W/"1"' } });
      expectKameleoonError(response, 409);
    }
    const weak = await server.request("PATCH", "/feature-flags/demo/minimal", {
      body: { description: "weak etag" },
      headers: { "if-match": `W/"${after.version}"` },
    });
    expect(weak.status).toBe(200);
    expect((await server.request("GET", "/feature-flags/demo/minimal")).body.version).toBe(after.version + 1);
  });
});
