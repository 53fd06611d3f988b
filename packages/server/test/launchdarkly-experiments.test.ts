import { describe, expect, it } from "vitest";
import { expectLaunchDarklyError, type J, tokenWith } from "./fixtures/flag-test-helpers.js";
import {
  EXPERIMENTS,
  exampleExperiment,
  givenExperiment,
  ld,
  server,
  useExperimentsServer,
} from "./fixtures/launchdarkly-experiments.js";

// LaunchDarkly's Experiments (beta) API over Vexil: its version header and error bodies, refusals of bad
// create bodies, roles and project scope. Real SQLite/DuckDB (or PostgreSQL) underneath. The life of an
// experiment is in launchdarkly-experiments-lifecycle.test.ts, rules and legacy flag experiments in
// launchdarkly-experiments-rules.test.ts.

useExperimentsServer();

describe("LaunchDarkly experiments: LD-API-Version and errors", () => {
  it("accepts LD-API-Version beta, a dated version or none; 400 for another value, 401 with a bad token", async () => {
    // The current official client sends no header for experiments; older ones send beta or a date.
    for (const version of [undefined, "beta", "20240415", "20220603"]) {
      const response = await server.request("GET", EXPERIMENTS, {
        token: null,
        headers: { authorization: server.adminToken, ...(version ? { "ld-api-version": version } : {}) },
      });
      expect(response.status, `LD-API-Version ${version}`).toBe(200);
    }
    for (const bad of ["2", "20241345", "gamma"]) {
      expectLaunchDarklyError(
        await ld("GET", EXPERIMENTS, { headers: { "ld-api-version": bad } }),
        400,
        "invalid_request",
        new RegExp(`LD-API-Version '${bad}'`),
      );
    }
    const unauthorized = await ld("GET", EXPERIMENTS, { token: "not-a-token" });
    expectLaunchDarklyError(unauthorized, 401, "unauthorized", /Invalid access token/);
  });

  it("answers 404 for an unknown project, environment or experiment and 405 for other methods", async () => {
    expectLaunchDarklyError(
      await ld("GET", "/api/v2/projects/nope/environments/production/experiments"),
      404,
      "not_found",
      /nope/,
    );
    expectLaunchDarklyError(
      await ld("GET", "/api/v2/projects/demo/environments/qa/experiments"),
      404,
      "not_found",
      /'qa'/,
    );
    expectLaunchDarklyError(await ld("GET", `${EXPERIMENTS}/missing`), 404, "not_found", /missing/);
    expectLaunchDarklyError(
      await ld("PUT", `${EXPERIMENTS}/missing`, { body: {} }),
      405,
      "method_not_allowed",
      /PUT/,
    );
    expectLaunchDarklyError(await ld("DELETE", EXPERIMENTS), 405, "method_not_allowed");
  });
});

describe("LaunchDarkly experiments: bad create bodies name the problem", () => {
  const cases: [string, () => unknown, number, RegExp][] = [
    [
      "an undocumented field",
      () => ({ ...exampleExperiment(), color: "red" }),
      400,
      /additional properties 'color'/,
    ],
    [
      "a missing hypothesis",
      () => {
        const body = exampleExperiment() as J;
        delete body.iteration.hypothesis;
        return body;
      },
      400,
      /hypothesis/,
    ],
    [
      "a single treatment",
      () => exampleExperiment({}, { treatments: exampleExperiment().iteration.treatments.slice(0, 1) }),
      400,
      /treatments/,
    ],
    [
      "an unknown metric",
      () => exampleExperiment({}, { metrics: [{ key: "nope" }], primarySingleMetricKey: "nope" }),
      400,
      /metrics\.0\.key: metric 'nope' not found/,
    ],
    [
      "a metric group",
      () => exampleExperiment({}, { metrics: [{ key: "signup", isGroup: true }] }),
      400,
      /metric groups are not supported/,
    ],
    [
      "a funnel",
      () => exampleExperiment({}, { primaryFunnelKey: "metric-group-key-123abc" }),
      400,
      /primaryFunnelKey/,
    ],
    ["a holdout", () => exampleExperiment({ holdoutId: "f3b74309" }), 400, /holdoutId/],
    ["frequentist methodology", () => exampleExperiment({ methodology: "frequentist" }), 400, /methodology/],
    [
      "another randomization unit",
      () => exampleExperiment({}, { randomizationUnit: "organization" }),
      400,
      /randomizationUnit 'organization'/,
    ],
    [
      "an unknown attribute",
      () => exampleExperiment({}, { attributes: ["device"] }),
      400,
      /attributes\.0 'device'/,
    ],
    [
      "an unknown flag",
      () => exampleExperiment({}, { flags: { nope: { ruleId: "fallthrough", flagConfigVersion: 1 } } }),
      400,
      /flag 'nope' not found/,
    ],
    [
      "two flags",
      () =>
        exampleExperiment(
          {},
          {
            flags: { "checkout-cta": { ruleId: "fallthrough" }, other: { ruleId: "fallthrough" } },
          },
        ),
      400,
      /exactly one flag/,
    ],
    [
      "an unknown variation",
      () => {
        const body = exampleExperiment() as J;
        body.iteration.treatments[1].parameters[0].variationId = "999";
        return body;
      },
      400,
      /treatments\.1\.parameters\.0\.variationId '999' names no variation/,
    ],
    [
      "two baselines",
      () => {
        const body = exampleExperiment() as J;
        body.iteration.treatments[1].baseline = true;
        return body;
      },
      400,
      /exactly one baseline/,
    ],
    [
      "allocations over 100",
      () => {
        const body = exampleExperiment() as J;
        body.iteration.treatments[0].allocationPercent = "50";
        return body;
      },
      400,
      /sum to 116, more than 100/,
    ],
    [
      "a non-numeric allocation",
      () => {
        const body = exampleExperiment() as J;
        body.iteration.treatments[0].allocationPercent = "ten";
        return body;
      },
      400,
      /allocationPercent 'ten'/,
    ],
    [
      "a stale flag version",
      () =>
        exampleExperiment(
          {},
          { flags: { "checkout-cta": { ruleId: "fallthrough", flagConfigVersion: 12 } } },
        ),
      409,
      /flagConfigVersion is 12/,
    ],
    [
      "a rule id the flag lacks",
      () =>
        exampleExperiment(
          {},
          { flags: { "checkout-cta": { ruleId: "e432f62b-55f6-49dd-a02f-eb24acf39d05" } } },
        ),
      400,
      /names no rule/,
    ],
    ["a bad key", () => exampleExperiment({ key: "white space" }), 400, /body\.key/],
  ];
  // Each refusal is checked on its own: the experiments and the flag read before it are unchanged after it.
  const observed = async () => ({
    experiments: (await ld("GET", EXPERIMENTS)).body.total_count as number,
    flag: (await server.request("GET", "/feature-flags/demo/checkout-cta")).body as J,
  });
  for (const [what, body, status, message] of cases) {
    it(`refuses ${what} and changes nothing`, async () => {
      const before = await observed();
      const response = await ld("POST", EXPERIMENTS, { body: body() });
      expectLaunchDarklyError(response, status, status === 409 ? "conflict" : "invalid_request", message);
      expect(await observed()).toEqual(before);
    });
  }
});

describe("LaunchDarkly experiments: roles and project scope", () => {
  it("lets a reader read and not write; a scoped token sees only its project", async () => {
    const given = await givenExperiment("running");
    const { url, flagKey } = given;
    const reader = await tokenWith(server, "reader");
    expect((await ld("GET", EXPERIMENTS, { token: reader })).status).toBe(200);
    expect((await ld("GET", `${url}/metrics/signup/results`, { token: reader })).status).toBe(200);
    const body = exampleExperiment({}, {}, given).iteration;
    expectLaunchDarklyError(await ld("POST", `${url}/iterations`, { body, token: reader }), 403, "forbidden");

    const other = await server.request("POST", "/api/v2/projects", { body: { key: "other", name: "Other" } });
    expect(other.status).toBe(201);
    const scoped = await tokenWith(server, "writer", "other");
    expectLaunchDarklyError(
      await ld("GET", EXPERIMENTS, { token: scoped }),
      403,
      "forbidden",
      /scoped to project 'other'/,
    );
    expectLaunchDarklyError(await ld("GET", url, { token: scoped }), 403, "forbidden");
    expectLaunchDarklyError(
      await ld("GET", `/api/v2/flags/demo/${flagKey}/experiments/production/signup`, { token: scoped }),
      403,
      "forbidden",
    );
    expectLaunchDarklyError(
      await ld("PATCH", `/api/v2/flags/demo/${flagKey}`, { body: [], token: scoped }),
      403,
      "forbidden",
    );
    const own = await ld("GET", "/api/v2/projects/other/environments/production/experiments", {
      token: scoped,
    });
    expect(own.status).toBe(200);
    expect(own.body.total_count).toBe(0);
  });
});
