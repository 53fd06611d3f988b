import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFlag,
  exampleBody,
  expectKameleoonError,
  type J,
  setupDemo,
} from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer, testDatabaseKind } from "./harness.js";

// Issue 13, findings 5-7 and 10-12: input that used to answer 500 (PostgreSQL) or be stored differently
// from what was answered, now a 400 naming the field, the same on both storages; and nothing stored.

let server: TestServer;
let serverKey: string;
let goalId: number;
beforeAll(async () => {
  server = await startTestServer();
  const demo = await setupDemo(server);
  goalId = demo.goalIds[0]!;
  await createFlag(server, { featureKey: "existing", name: "Existing" });
  const environment = await server.request("GET", "/projects/demo/environments/production");
  serverKey = environment.body.serverSdkKey;
});
afterAll(async () => server?.close());

/** What a client can read back: the flag list and the goals, to compare before and after a rejection. */
async function snapshot() {
  const flags = await server.request("GET", "/feature-flags?siteCode=demo&perPage=1000");
  const goals = await server.request("GET", "/goals?siteCode=demo");
  return JSON.stringify([flags.body, goals.body]);
}

describe(`NUL characters and lone surrogates (${testDatabaseKind})`, () => {
  it("answer 400 naming the field wherever they are: body, member name, query, path", async () => {
    const before = await snapshot();
    const cases: [string, string, unknown, RegExp][] = [
      [
        "POST",
        "/feature-flags",
        { siteCode: "demo", featureKey: "nul", name: "a\u0000b" },
        /body\.name contains a NUL/,
      ],
      [
        "POST",
        "/goals",
        { siteCode: "demo", name: "x\ud800y" },
        /body\.name contains a lone UTF-16 surrogate/,
      ],
      ["POST", "/goals", { siteCode: "demo", name: "x\udc00" }, /body\.name contains a lone/],
      [
        "POST",
        "/feature-flags",
        { siteCode: "demo", featureKey: "k", name: "n", "t\u0000": 1 },
        /member name/,
      ],
      ["GET", "/feature-flags?siteCode=de%00mo", undefined, /querystring\.siteCode contains a NUL/],
      ["GET", "/feature-flags/demo/ex%00isting", undefined, /params\.featureKey contains a NUL/],
    ];
    for (const [method, url, body, message] of cases) {
      const response = await server.request(method, url, body === undefined ? {} : { body });
      expectKameleoonError(response, 400, message);
    }
    expect(await snapshot()).toBe(before);
    // A well-formed pair (an emoji) is fine and reads back the same.
    const emoji = await server.request("POST", "/goals", {
      body: { siteCode: "demo", name: "ok \ud83d\ude00" },
    });
    expect(emoji.status, emoji.text).toBe(201);
    expect((await server.request("GET", `/goals/${emoji.body.id}`)).body.name).toBe("ok \ud83d\ude00");
  });

  it("reject an event batch with 400 naming the event and field, so an SDK does not retry it forever", async () => {
    const counts = async () => JSON.stringify((await server.request("GET", "/admin/events")).body.counts);
    const before = await counts();
    const conversion = (visitorCode: string) => ({
      kind: "conversion",
      visitorCode,
      visitId: `${visitorCode}-v`,
      goalId,
      time: Date.now() - 1000,
    });
    const response = await server.request("POST", "/events/v1/bulk", {
      token: null,
      headers: { authorization: serverKey },
      body: [conversion("a"), conversion("b\u0000"), conversion("c")],
    });
    expect(response.status, response.text).toBe(400);
    expect(response.body.message).toMatch(/body\.1\.visitorCode contains a NUL/);
    expect(await counts()).toBe(before);
  });
});

describe(`numbers beyond what storage holds (${testDatabaseKind})`, () => {
  it("answer 400 for ids, limit/offset, from/to and counts out of range, never 500", async () => {
    for (const url of [
      "/audit-log?limit=1e309",
      "/audit-log?offset=1e23",
      "/notification-emails?limit=1e309",
      "/notification-emails?offset=100000000000000000000",
      "/admin/events?from=1e308",
      "/admin/events?to=-1e300",
      "/goals/100000000000000000000000",
      "/segments/1e23",
      "/feature-flags?siteCode=demo&page=1e23",
      "/api/v2/webhooks/1/deliveries?limit=1e309",
    ]) {
      const response = await server.request("GET", url);
      expect(response.status, `${url}: ${response.text}`).toBe(400);
    }
    const deleted = await server.request("DELETE", "/tokens/1e23");
    expect(deleted.status).toBe(400);
    const evaluations = await server.request("POST", "/sdk/v1/evaluations", {
      token: null,
      headers: { authorization: serverKey },
      body: { counts: [{ featureKey: "existing", count: 1e23 }] },
    });
    expect(evaluations.status, evaluations.text).toBe(400);
  });
});

describe(`deep nesting and odd keys (${testDatabaseKind})`, () => {
  const deep = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

  it("a 10,000-level body is a 400, on routes that strip nulls or merge patches too", async () => {
    for (const [method, url, contentType] of [
      ["POST", "/feature-flags", "application/json"],
      ["POST", "/goals", "application/json"],
      ["PATCH", "/feature-flags/demo/existing", "application/merge-patch+json"],
      ["POST", "/feature-flags/search?siteCode=demo", "application/json"],
    ] as const) {
      const response = await server.request(method, url, {
        rawBody: `{"name": ${deep(10_000)}}`,
        headers: { "content-type": contentType },
      });
      expect(response.status, `${url}: ${response.text}`).toBe(400);
      expect(response.body.message).toMatch(/nested deeper than 64 levels/);
    }
  });
});

describe(`types in bodies are not coerced (${testDatabaseKind})`, () => {
  it("answers 400 naming the field for a string, number or array where another type is documented", async () => {
    const rule = (patch: Record<string, unknown>) => {
      const body = exampleBody();
      body.featureKey = `coerce_${Math.random().toString(36).slice(2, 8)}`;
      Object.assign(body.environmentConfigurations[0].rolloutRules[0], patch);
      return body;
    };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ multiArmedBandit: "true" }, /rolloutRules\.0\.multiArmedBandit must be boolean/],
      [{ multiArmedBandit: 1 }, /rolloutRules\.0\.multiArmedBandit must be boolean/],
      [{ exposition: "10" }, /rolloutRules\.0\.exposition must be number/],
      [{ exposition: [10] }, /rolloutRules\.0\.exposition must be number/],
    ];
    for (const [patch, message] of cases) {
      const response = await server.request("POST", "/feature-flags", { body: rule(patch) });
      expectKameleoonError(response, 400, message);
    }
    const condition = (patch: Record<string, unknown>) =>
      rule({
        rollbackConditions: [
          { ...exampleBody().environmentConfigurations[0].rolloutRules[0].rollbackConditions[0], ...patch },
        ],
      });
    for (const [patch, message] of [
      [{ matchValue: true }, /rollbackConditions\.0\.matchValue must be number/],
      [{ visitors: "500" }, /rollbackConditions\.0\.visitors must be integer/],
      [{ recipients: "a@b.c" }, /rollbackConditions\.0\.recipients must be array/],
    ] as const) {
      const response = await server.request("POST", "/feature-flags", { body: condition(patch) });
      expectKameleoonError(response, 400, message);
    }
  });
});

describe(`settings that would be silently ignored (${testDatabaseKind})`, () => {
  const targeted = (condition: Record<string, unknown>) => ({
    featureKey: `ignored_${Math.random().toString(36).slice(2, 8)}`,
    name: "Ignored",
    environmentConfigurations: [
      {
        environmentKey: "production",
        rolloutRules: [
          {
            type: "TARGETED_DELIVERY",
            variationKey: "on",
            rollbackConditions: [{ goalId, matchValue: 5, ...condition }],
          },
        ],
      },
    ],
  });

  it("refuses UPLIFT/DOWNLIFT rollback conditions on a delivery rule, accepts CONVERSION_RATE", async () => {
    for (const criteria of ["DOWNLIFT", "UPLIFT", undefined]) {
      const response = await server.request("POST", "/feature-flags", {
        body: { siteCode: "demo", ...targeted(criteria ? { criteria } : {}) },
      });
      expectKameleoonError(
        response,
        400,
        /rollbackConditions\.0\.criteria .*TARGETED_DELIVERY rule serves one variation/,
      );
    }
    const ok = await server.request("POST", "/feature-flags", {
      body: { siteCode: "demo", ...targeted({ criteria: "CONVERSION_RATE" }) },
    });
    expect(ok.status, ok.text).toBe(201);
  });

  it("refuses a bandit on a flag without a goal, and a one-arm bandit", async () => {
    const bandit = (allocations: J[], goals: Record<string, unknown>) => ({
      siteCode: "demo",
      featureKey: `bandit_${Math.random().toString(36).slice(2, 8)}`,
      name: "Bandit",
      ...goals,
      environmentConfigurations: [
        {
          environmentKey: "production",
          rolloutRules: [
            { type: "EXPERIMENTATION", multiArmedBandit: true, trafficAllocations: allocations },
          ],
        },
      ],
    });
    const two = [
      { variationKey: "off", exposition: 50 },
      { variationKey: "on", exposition: 50 },
    ];
    expectKameleoonError(
      await server.request("POST", "/feature-flags", { body: bandit(two, {}) }),
      400,
      /multiArmedBandit needs a goal to optimize/,
    );
    expectKameleoonError(
      await server.request("POST", "/feature-flags", {
        body: bandit([{ variationKey: "on", exposition: 100 }], { primaryGoalId: goalId }),
      }),
      400,
      /multiArmedBandit needs at least two variations/,
    );
    const ok = await server.request("POST", "/feature-flags", {
      body: bandit(two, { primaryGoalId: goalId }),
    });
    expect(ok.status, ok.text).toBe(201);
  });

  it("answers 400 naming the allowed values for an unknown health filter", async () => {
    for (const health of ["BOGUS", "healthy", "HEALTHY,NOPE"]) {
      const response = await server.request("GET", `/feature-flags?siteCode=demo&health=${health}`);
      expectKameleoonError(response, 400, /querystring\.health .*HEALTHY\|PERMANENT\|STALE\|SMELLY/);
    }
    expect((await server.request("GET", "/feature-flags?siteCode=demo&health=HEALTHY,STALE")).status).toBe(
      200,
    );
  });
});

describe(`impossible dates (${testDatabaseKind})`, () => {
  it("refuses 2025-02-30 in a results request", async () => {
    const flag = await server.request("GET", "/feature-flags/demo/existing");
    const response = await server.request("POST", `/feature-flags/${flag.body.id}/results`, {
      body: {
        dateIntervals: [{ start: "2025-02-01T00:00:00Z", end: "2025-02-30T00:00:00Z" }],
        conversionType: "CONVERTED_VISITS",
      },
    });
    expectKameleoonError(response, 400, /dateIntervals\.0\.end must be an ISO-8601 date-time/);
  });
});
