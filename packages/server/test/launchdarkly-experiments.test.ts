import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnalyticsEvent, ExposureEvent } from "../src/analytics/analytics-store.js";
import { simulateTraffic } from "../src/events/simulator.js";
import { compileEnvironmentPayload } from "../src/flags/compile-payload.js";
import { createFlag, type J, setupDemo, tokenWith } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer } from "./harness.js";

// LaunchDarkly's Experiments (beta) API over Vexil: create LaunchDarkly's documented example experiment on a
// real flag, start it, feed it simulated traffic where one treatment is truly better, read Bayesian and
// legacy results, stop it with a winner, iterate, reset. Real SQLite/DuckDB (or PostgreSQL) underneath.

const BETA = { "ld-api-version": "beta" };
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 6, 12, 0, 0);
const EXPERIMENTS = "/api/v2/projects/demo/environments/production/experiments";

let server: TestServer;
let clock = T0;

/** A flag an experiment runs on: its key, its variations' ids by key and its version. */
interface FlagTarget {
  flagKey: string;
  variationIds: Record<string, number>;
  flagVersion: number;
}

/** The flag the create-body refusals point at; no test changes it. */
let cta: FlagTarget;

/** A LaunchDarkly-style call: bare token (no Bearer), beta header. */
function ld(
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string>; token?: string | null } = {},
) {
  const token = options.token === undefined ? server.adminToken : options.token;
  return server.request(method, url, {
    token: null,
    ...(options.body !== undefined ? { body: options.body } : {}),
    headers: { ...BETA, ...(token !== null ? { authorization: token } : {}), ...options.headers },
  });
}

function semanticPatch(url: string, body: unknown, token?: string) {
  return ld("PATCH", url, {
    body,
    headers: { "content-type": "application/json; domain-model=launchdarkly.semanticpatch" },
    ...(token !== undefined ? { token } : {}),
  });
}

/** LaunchDarkly's documented create-experiment example, pointed at a flag's real variation ids. */
function exampleExperiment(
  overrides: Record<string, J> = {},
  iteration: Record<string, J> = {},
  target: FlagTarget = cta,
) {
  const { flagKey, variationIds, flagVersion } = target;
  return {
    name: "Example experiment",
    description: "An example experiment, used in testing",
    maintainerId: "12ab3c45de678910fgh12345",
    key: "experiment-key-123abc",
    iteration: {
      hypothesis: "Example hypothesis, the new button placement will increase conversion",
      canReshuffleTraffic: true,
      metrics: [{ key: "signup", isGroup: false }, { key: "revenue" }],
      primarySingleMetricKey: "signup",
      treatments: [
        {
          name: "Control",
          baseline: true,
          allocationPercent: "34",
          parameters: [{ flagKey, variationId: String(variationIds.control) }],
        },
        {
          name: "Blue button",
          baseline: false,
          allocationPercent: "33",
          parameters: [{ flagKey, variationId: String(variationIds.blue) }],
        },
        {
          name: "Green button",
          baseline: false,
          allocationPercent: "33",
          parameters: [{ flagKey, variationId: variationIds.green }],
        },
      ],
      flags: { [flagKey]: { ruleId: "fallthrough", flagConfigVersion: flagVersion } },
      randomizationUnit: "user",
      attributes: ["country", "os"],
      ...iteration,
    },
    ...overrides,
  };
}

function expectLdError(
  response: { status: number; body: J },
  status: number,
  code: string,
  message?: RegExp,
) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body.code).toBe(code);
  expect(typeof response.body.message).toBe("string");
  if (message) expect(response.body.message).toMatch(message);
}

/** Simulated traffic on one flag through the environment's compiled payload; returns the stored events. */
async function simulate(options: {
  featureKey: string;
  visitors: number;
  goalId: number;
  rates: Record<string, number>;
  seed: number;
  end: number;
  days: number;
}) {
  const payload = await compileEnvironmentPayload(server.context, "demo", "production");
  const events: AnalyticsEvent[] = [];
  for (const batch of simulateTraffic({ payload, batchSize: 5000, ...options })) {
    await server.context.analytics.append(batch.events);
    events.push(...batch.events);
  }
  return events;
}

const exposuresOf = (events: AnalyticsEvent[], experimentId: number) =>
  events.filter((e): e is ExposureEvent => e.kind === "exposure" && e.experimentId === experimentId);

let flags = 0;

/** A flag of the test's own: variations control, blue and green; off in production, no rules. */
async function createCtaFlag(featureKey = `cta-${++flags}`): Promise<FlagTarget> {
  const flag = await createFlag(server, {
    featureKey,
    name: "Checkout call to action",
    variations: [
      { key: "control", name: "Control" },
      { key: "blue", name: "Blue button" },
      { key: "green", name: "Green button" },
    ],
    environmentConfigurations: [
      {
        environmentKey: "production",
        featureEnabled: false,
        defaultVariationKey: "control",
        rolloutRules: [],
      },
    ],
  });
  return {
    flagKey: featureKey,
    variationIds: Object.fromEntries(flag.variations.map((v: J) => [v.key, v.id])),
    flagVersion: flag.version,
  };
}

/** An experiment of a test's own, on a flag of its own, brought to a stage of its life. */
interface GivenExperiment extends FlagTarget {
  key: string;
  url: string;
  experiment: J;
  /** The EXPERIMENTATION rule the experiment created. */
  ruleId: number;
  /** Treatment ids by name. */
  treatments: Record<string, string>;
  signupGoalId: number;
  /** When it started (running and later stages). */
  startedAt: number;
  /** The simulated traffic (measured and later stages). */
  events: AnalyticsEvent[];
}

/**
 * The documented example experiment on a new flag: created (not started); running; measured (running
 * with `visitors` simulated over two days, where green truly converts better: 14 % against 10 %);
 * stopped (measured, then stopped with green as winner); iterated (stopped, then a second iteration of
 * control and green at 50/50 started).
 */
async function givenExperiment(
  stage: "created" | "running" | "measured" | "stopped" | "iterated",
  visitors = 3000,
): Promise<GivenExperiment> {
  const target = await createCtaFlag();
  const key = `exp-${target.flagKey}`;
  const url = `${EXPERIMENTS}/${key}`;
  const created = await ld("POST", EXPERIMENTS, { body: exampleExperiment({ key }, {}, target) });
  expect(created.status, created.text).toBe(201);
  const experiment = created.body;
  const iteration = experiment.currentIteration;
  const given: GivenExperiment = {
    ...target,
    key,
    url,
    experiment,
    ruleId: Number(iteration.flags[target.flagKey].targetingRule),
    treatments: Object.fromEntries(iteration.treatments.map((t: J) => [t.name, t._id])),
    signupGoalId: Number((await server.request("GET", "/api/v2/metrics/demo/signup")).body._id),
    startedAt: clock,
    events: [],
  };
  if (stage === "created") return given;
  const started = await semanticPatch(url, { instructions: [{ kind: "startIteration" }] });
  expect(started.status, started.text).toBe(200);
  if (stage === "running") return given;
  given.events = await simulate({
    featureKey: target.flagKey,
    visitors,
    goalId: given.signupGoalId,
    rates: { control: 0.1, blue: 0.1, green: 0.14 },
    // Visitor codes carry the seed: each experiment's visitors are its own.
    seed: 1000 + flags,
    end: clock + 2 * DAY,
    days: 2,
  });
  clock += 2 * DAY + 3_600_000;
  if (stage === "measured") return given;
  const stopped = await semanticPatch(url, {
    instructions: [
      {
        kind: "stopIteration",
        winningTreatmentId: given.treatments["Green button"],
        winningReason: "Green converts 40 % better",
      },
    ],
  });
  expect(stopped.status, stopped.text).toBe(200);
  if (stage === "stopped") return given;
  const next = await ld("POST", `${url}/iterations`, { body: secondIteration(given) });
  expect(next.status, next.text).toBe(201);
  const restarted = await semanticPatch(url, { instructions: [{ kind: "startIteration" }] });
  expect(restarted.status, restarted.text).toBe(200);
  return given;
}

/** A second iteration of a stopped experiment: control and green at 50/50 on the same rule. */
function secondIteration(given: GivenExperiment): J {
  const body = exampleExperiment({}, {}, given).iteration as J;
  body.hypothesis = "Green keeps winning at 50/50";
  body.treatments = [
    { ...body.treatments[0], allocationPercent: "50" },
    { ...body.treatments[2], allocationPercent: "50" },
  ];
  body.flags = { [given.flagKey]: { ruleId: String(given.ruleId) } };
  return body;
}

let measuredExperiment: Promise<GivenExperiment> | undefined;

/**
 * One measured experiment with 30,000 visitors (enough that the better treatment wins clearly), made by
 * the first test that asks and only read after: the results tests share it rather than simulate twice.
 */
function measured(): Promise<GivenExperiment> {
  measuredExperiment ??= givenExperiment("measured", 30_000);
  return measuredExperiment;
}

beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  await setupDemo(server);
  cta = await createCtaFlag("checkout-cta");
  for (const metric of [
    { key: "signup", name: "Signed up", kind: "custom", eventKey: "signup" },
    { key: "revenue", name: "Revenue", kind: "custom", isNumeric: true, unit: "EUR", eventKey: "revenue" },
  ]) {
    const created = await server.request("POST", "/api/v2/metrics/demo", { body: metric });
    expect(created.status, created.text).toBe(201);
  }
});

afterAll(async () => {
  await server?.close();
});

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
      expectLdError(
        await ld("GET", EXPERIMENTS, { headers: { "ld-api-version": bad } }),
        400,
        "invalid_request",
        new RegExp(`LD-API-Version '${bad}'`),
      );
    }
    const unauthorized = await ld("GET", EXPERIMENTS, { token: "not-a-token" });
    expectLdError(unauthorized, 401, "unauthorized", /Invalid access token/);
  });

  it("answers 404 for an unknown project, environment or experiment and 405 for other methods", async () => {
    expectLdError(
      await ld("GET", "/api/v2/projects/nope/environments/production/experiments"),
      404,
      "not_found",
      /nope/,
    );
    expectLdError(
      await ld("GET", "/api/v2/projects/demo/environments/qa/experiments"),
      404,
      "not_found",
      /'qa'/,
    );
    expectLdError(await ld("GET", `${EXPERIMENTS}/missing`), 404, "not_found", /missing/);
    expectLdError(await ld("PUT", `${EXPERIMENTS}/missing`, { body: {} }), 405, "method_not_allowed", /PUT/);
    expectLdError(await ld("DELETE", EXPERIMENTS), 405, "method_not_allowed");
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
      expectLdError(response, status, status === 409 ? "conflict" : "invalid_request", message);
      expect(await observed()).toEqual(before);
    });
  }
});

describe("LaunchDarkly experiments: the life of an experiment, stage by stage", () => {
  // Each test brings an experiment of its own, on a flag of its own, to the stage it checks
  // (givenExperiment), so none depends on another's changes.

  it("creates LaunchDarkly's documented example experiment on the flag's real variation ids", async () => {
    const target = await createCtaFlag();
    const { variationIds, flagKey } = target;
    const reader = await tokenWith(server, "reader");
    expectLdError(
      await ld("POST", EXPERIMENTS, { body: exampleExperiment({}, {}, target), token: reader }),
      403,
      "forbidden",
      /writer/,
    );

    const at = clock;
    const created = await ld("POST", EXPERIMENTS, { body: exampleExperiment({}, {}, target) });
    expect(created.status, created.text).toBe(201);
    const experiment = created.body;
    expect(experiment).toMatchObject({
      key: "experiment-key-123abc",
      name: "Example experiment",
      description: "An example experiment, used in testing",
      _maintainerId: "12ab3c45de678910fgh12345",
      environmentKey: "production",
      _creationDate: at,
      _links: { self: { href: `${EXPERIMENTS}/experiment-key-123abc` } },
      currentIteration: {
        status: "not_started",
        hypothesis: "Example hypothesis, the new button placement will increase conversion",
        canReshuffleTraffic: true,
        randomizationUnit: "user",
        attributes: ["country", "os"],
        primaryMetric: { key: "signup", kind: "custom", isNumeric: false, isGroup: false },
        secondaryMetrics: [{ key: "revenue", isNumeric: true }],
      },
    });
    const iteration = experiment.currentIteration;
    expect(
      iteration.treatments.map((t: J) => [
        t.name,
        t.allocationPercent,
        t.baseline,
        t.parameters[0].variationId,
      ]),
    ).toEqual([
      ["Control", "34", true, String(variationIds.control)],
      ["Blue button", "33", false, String(variationIds.blue)],
      ["Green button", "33", false, String(variationIds.green)],
    ]);
    const flagRep = iteration.flags[flagKey];
    const ruleId = Number(flagRep.targetingRule);
    expect(flagRep.targetingRuleDescription).toBe("Example experiment");
    expect(flagRep.notInExperimentVariationId).toBe(String(variationIds.control));

    // The same experiment seen from the Kameleoon API: a new paused EXPERIMENTATION rule, the metrics as goals.
    const flag = await server.request("GET", `/feature-flags/demo/${flagKey}`);
    expect(flag.body.version).toBeGreaterThan(target.flagVersion);
    expect(flagRep.flagConfigVersion).toBe(flag.body.version);
    const production = flag.body.environmentConfigurations.find((e: J) => e.environmentKey === "production");
    expect(production.featureEnabled).toBe(false);
    expect(production.rolloutRules).toHaveLength(1);
    expect(production.rolloutRules[0]).toMatchObject({
      id: ruleId,
      type: "EXPERIMENTATION",
      state: "PAUSED",
      experimentId: Number(experiment._id),
      controlVariationKey: "control",
      trafficAllocations: [
        { variationKey: "control", exposition: 34 },
        { variationKey: "blue", exposition: 33 },
        { variationKey: "green", exposition: 33 },
      ],
    });
    const signup = await server.request("GET", "/api/v2/metrics/demo/signup");
    const revenue = await server.request("GET", "/api/v2/metrics/demo/revenue");
    expect(flag.body.primaryGoalId).toBe(Number(signup.body._id));
    expect(flag.body.secondaryGoalIds).toEqual([Number(revenue.body._id)]);

    const audit = await server.request(
      "GET",
      `/audit-log?projectKey=demo&resourceType=experiment&resourceId=${experiment._id}`,
    );
    expect(audit.status, audit.text).toBe(200);
    expect(JSON.stringify(audit.body.items)).toContain("experiment.create");

    const again = await ld("POST", EXPERIMENTS, {
      body: exampleExperiment({}, { flags: { [flagKey]: { ruleId: "fallthrough" } } }, target),
    });
    expectLdError(again, 409, "conflict", /already exists/);
  });

  it("lists it with filters, expand and LaunchDarkly's total_count", async () => {
    const { flagKey, key } = await givenExperiment("created");
    const count = async (filter: string) =>
      (await ld("GET", `${EXPERIMENTS}?filter=flagKey:${flagKey},${filter}`)).body.total_count;
    const notStarted = await ld("GET", `${EXPERIMENTS}?filter=flagKey:${flagKey},status:not_started`);
    expect(notStarted.status).toBe(200);
    expect(notStarted.body.total_count).toBe(1);
    expect(notStarted.body.items[0].key).toBe(key);
    // Treatments and secondary metrics only on expand.
    expect(notStarted.body.items[0].currentIteration.treatments).toBeUndefined();
    expect(notStarted.body.items[0].currentIteration.secondaryMetrics).toBeUndefined();
    expect(await count("status:running")).toBe(0);
    expect(await count("metricKey:revenue")).toBe(1);
    expect(await count("metricKey:purchase")).toBe(0);
    expectLdError(
      await ld("GET", `${EXPERIMENTS}?filter=owner:me`),
      400,
      "invalid_request",
      /unknown field 'owner'/,
    );
    expectLdError(
      await ld("GET", `${EXPERIMENTS}?filter=status:paused`),
      400,
      "invalid_request",
      /status 'paused'/,
    );
    expectLdError(
      await ld("GET", `${EXPERIMENTS}?expand=everything`),
      400,
      "invalid_request",
      /expand: unknown field 'everything'/,
    );
    const expanded = await ld(
      "GET",
      `${EXPERIMENTS}?filter=flagKey:${flagKey}&expand=treatments,draftIteration&limit=1`,
    );
    expect(expanded.body.items[0].currentIteration.treatments).toHaveLength(3);
    expect(expanded.body._links.self.href).toContain("limit=1");
  });

  it("refuses bad semantic patches without changing anything", async () => {
    const { url } = await givenExperiment("created");
    const notSemantic = await ld("PATCH", url, {
      body: { instructions: [{ kind: "updateName", value: "x" }] },
    });
    expectLdError(notSemantic, 400, "invalid_request", /domain-model=launchdarkly\.semanticpatch/);
    expectLdError(
      await semanticPatch(url, { instructions: [{ kind: "explode" }] }),
      400,
      "invalid_request",
      /kind 'explode'/,
    );
    expectLdError(await semanticPatch(url, { instructions: [] }), 400, "invalid_request", /instructions/);
    expectLdError(
      await semanticPatch(url, { instructions: [{ kind: "stopIteration" }] }),
      400,
      "invalid_request",
      /no running iteration/,
    );
    expectLdError(
      await semanticPatch(url, {
        instructions: [
          { kind: "updateName", value: "Renamed" },
          { kind: "updateName", value: 3 },
        ],
      }),
      400,
      "invalid_request",
      /instructions\.1\.value/,
    );
    expectLdError(
      await semanticPatch(url, { instructions: [{ kind: "startIteration", winningReason: "x" }] }),
      400,
      "invalid_request",
      /winningReason is not a parameter of startIteration/,
    );
    const reader = await tokenWith(server, "reader");
    expectLdError(
      await semanticPatch(url, { instructions: [{ kind: "startIteration" }] }, reader),
      403,
      "forbidden",
    );
    expect((await ld("GET", url)).body.name).toBe("Example experiment");
  });

  it("renames and starts it: the rule turns ACTIVE with the treatments' allocations and the flag is switched on", async () => {
    const { url, flagKey, ruleId } = await givenExperiment("created");
    const started = await semanticPatch(url, {
      comment: "go",
      instructions: [
        { kind: "updateName", value: "CTA colour test" },
        { kind: "updateDescription", value: "Which button colour converts best" },
        { kind: "startIteration" },
      ],
    });
    expect(started.status, started.text).toBe(200);
    expect(started.body).toMatchObject({
      name: "CTA colour test",
      description: "Which button colour converts best",
      currentIteration: { status: "running", startedAt: clock },
    });
    const flag = await server.request("GET", `/feature-flags/demo/${flagKey}`);
    const production = flag.body.environmentConfigurations.find((e: J) => e.environmentKey === "production");
    expect(production.featureEnabled).toBe(true);
    expect(production.rolloutRules[0]).toMatchObject({ id: ruleId, state: "ACTIVE", status: "ACTIVE" });

    const running = await ld("GET", `${EXPERIMENTS}?filter=flagKey:${flagKey},status:running`);
    expect(running.body.total_count).toBe(1);
    expect(running.body.items[0].currentIteration.status).toBe("running");
  });

  it("reads Bayesian results where the truly better treatment wins", async () => {
    const { url, experiment, events, treatments, startedAt } = await measured();
    const exposures = exposuresOf(events, Number(experiment._id));
    expect(exposures.length).toBe(30_000);

    const results = await ld("GET", `${url}/metrics/signup/results`);
    expect(results.status, results.text).toBe(200);
    const byName = Object.fromEntries(results.body.treatmentResults.map((t: J) => [t.treatmentName, t]));
    expect(Object.keys(byName)).toEqual(["Control", "Blue button", "Green button"]);
    const green = byName["Green button"];
    const control = byName.Control;
    expect(green.treatmentId).toBe(treatments["Green button"]);
    // Units add up to the visitors exposed in the experiment, split as allocated.
    const units = results.body.treatmentResults.map((t: J) => t.units);
    expect(units.reduce((a: number, b: number) => a + b, 0)).toBe(exposures.length);
    for (const [name, variation] of [
      ["Control", "control"],
      ["Blue button", "blue"],
      ["Green button", "green"],
    ] as const) {
      expect(byName[name].units).toBe(exposures.filter((e) => e.variationKey === variation).length);
    }
    expect(green.pBest).toBeGreaterThan(0.99);
    expect(control.pBest + byName["Blue button"].pBest + green.pBest).toBeCloseTo(1, 6);
    expect(green.mean).toBeGreaterThan(0.12);
    expect(green.mean).toBeLessThan(0.16);
    expect(green.credibleInterval.lower).toBeLessThan(green.mean);
    expect(green.credibleInterval.upper).toBeGreaterThan(green.mean);
    const fromBaseline = green.relativeDifferences.find((d: J) => d.fromTreatmentId === treatments.Control);
    expect(fromBaseline.lower).toBeGreaterThan(0);
    expect(fromBaseline.upper).toBeGreaterThan(fromBaseline.lower);
    expect(control.relativeDifferences).toEqual([]);
    expect(results.body.metricSeen.ever).toBe(true);
    expect(results.body.metricSeen.timestamp).toBeGreaterThanOrEqual(startedAt - DAY);

    // expand=traffic adds each treatment's exposed units; without it there is no traffic field.
    expect(results.body.treatmentResults.every((t: J) => t.traffic === undefined)).toBe(true);
    const withTraffic = await ld("GET", `${url}/metrics/signup/results?expand=traffic`);
    expect(withTraffic.body.treatmentResults.map((t: J) => t.traffic)).toEqual(units);
    // The list's expand=units (the console's Units column, one call) counts the same units; without it, none.
    const listed = await ld("GET", `${EXPERIMENTS}?expand=units`);
    expect(listed.status, listed.text).toBe(200);
    const item = listed.body.items.find((e: J) => e._id === experiment._id);
    expect(item.units).toBe(exposures.length);
    const plain = await ld("GET", EXPERIMENTS);
    expect(plain.body.items.every((e: J) => e.units === undefined)).toBe(true);
    expectLdError(
      await ld("GET", `${url}/metrics/signup/results?expand=nope`),
      400,
      "invalid_request",
      /expand: unknown field 'nope'/,
    );

    // The numeric secondary metric has no conversions yet: units, no events seen.
    const revenue = await ld("GET", `${url}/metrics/revenue/results`);
    expect(revenue.status, revenue.text).toBe(200);
    expect(revenue.body.metricSeen).toEqual({ ever: false });
    expect(revenue.body.treatmentResults.reduce((s: number, t: J) => s + t.units, 0)).toBe(exposures.length);

    expectLdError(await ld("GET", `${url}/metrics/nope/results`), 404, "not_found", /nope/);
    expectLdError(
      await ld("GET", `${url}/metrics/purchase/results`),
      404,
      "not_found",
      /not a metric of this iteration/,
    );
    expectLdError(
      await ld("GET", `${url}/metrics/signup/results?iterationId=1`),
      404,
      "not_found",
      /Iteration '1'/,
    );
  });

  it("reads the legacy per-flag results: totals, daily series and the K x 2 chi-square", async () => {
    const { flagKey, experiment, events, startedAt } = await measured();
    const legacyUrl = `/api/v2/flags/demo/${flagKey}/experiments`;
    const legacy = await ld("GET", `${legacyUrl}/production/signup`);
    expect(legacy.status, legacy.text).toBe(200);
    const { totals, stats, series } = legacy.body;
    expect(legacy.body.granularity).toBe("daily");
    expect(legacy.body.metadata.map((m: J) => m.key)).toEqual(["control", "blue", "green"]);
    expect(totals).toHaveLength(3);
    const exposures = exposuresOf(events, Number(experiment._id));
    expect(totals.reduce((s: number, t: J) => s + t.cumulativeImpressionCount, 0)).toBe(exposures.length);
    const greenConverted = new Set(events.filter((e) => e.kind === "conversion").map((e) => e.visitorCode));
    const greenUnits = exposures.filter((e) => e.variationKey === "green");
    expect(totals[2].cumulativeCount).toBe(
      greenUnits.filter((e) => greenConverted.has(e.visitorCode)).length,
    );
    expect(totals[2].cumulativeConversionRate).toBeCloseTo(
      totals[2].cumulativeCount / totals[2].cumulativeImpressionCount,
      12,
    );
    expect(totals[2].cumulativeConfidenceInterval.lower).toBeLessThan(totals[2].cumulativeConversionRate);
    expect(totals[0].pValue).toBeUndefined();
    expect(totals[2].pValue).toBeLessThan(0.001);
    expect(totals[2].improvement).toBeGreaterThan(20);
    expect(stats.chi2).toBeGreaterThan(30);
    expect(stats.pValue).toBeLessThan(1e-6);
    expect(stats.winningVariationIdx).toBe(2);
    expect(typeof stats.minSampleSizeMet).toBe("boolean");
    expect(series.length).toBeGreaterThanOrEqual(2);
    const last = series.at(-1);
    // LaunchDarkly's ExperimentTimeSeriesSlice: `Time` and `VariationData`, capitalised.
    expect(Object.keys(last).sort()).toEqual(["Time", "VariationData"]);
    expect(last.VariationData).toHaveLength(3);
    expect(last.VariationData[2].cumulativeCount).toBe(totals[2].cumulativeCount);
    expect(legacy.body.metricSeen.ever).toBe(true);

    const windowed = await ld(
      "GET",
      `${legacyUrl}/production/signup?from=${startedAt}&to=${startedAt + DAY}`,
    );
    expect(windowed.status).toBe(200);
    const windowUnits = windowed.body.totals.reduce((s: number, t: J) => s + t.cumulativeImpressionCount, 0);
    expect(windowUnits).toBe(exposures.filter((e) => e.time < startedAt + DAY).length);
    expectLdError(
      await ld("GET", `${legacyUrl}/production/signup?from=${startedAt + DAY}&to=${startedAt}`),
      400,
      "invalid_request",
      /from .* must be before/,
    );
    expectLdError(
      await ld("GET", `${legacyUrl}/production/signup?from=yesterday`),
      400,
      "invalid_request",
      /from/,
    );
    expectLdError(await ld("GET", `${legacyUrl}/production/purchase`), 404, "not_found", /not attached/);
    expectLdError(
      await ld("GET", "/api/v2/flags/demo/nope/experiments/production/signup"),
      404,
      "not_found",
      /'nope'/,
    );
    expectLdError(await ld("GET", `${legacyUrl}/qa/signup`), 404, "not_found", /'qa'/);
  });

  it("stops it with a winner: the rule pauses and no new exposures are recorded", async () => {
    const { url, flagKey, ruleId, treatments, signupGoalId, experiment, startedAt } =
      await givenExperiment("measured");
    expectLdError(
      await semanticPatch(url, {
        instructions: [{ kind: "stopIteration", winningTreatmentId: "not-a-treatment" }],
      }),
      400,
      "invalid_request",
      /winningTreatmentId 'not-a-treatment' is not a treatment/,
    );
    expectLdError(
      await semanticPatch(url, { instructions: [{ kind: "archiveExperiment" }] }),
      400,
      "invalid_request",
      /stop the running iteration/,
    );
    const stopped = await semanticPatch(url, {
      instructions: [
        {
          kind: "stopIteration",
          winningTreatmentId: treatments["Green button"],
          winningReason: "Green converts 40 % better",
        },
      ],
    });
    expect(stopped.status, stopped.text).toBe(200);
    expect(stopped.body.currentIteration).toMatchObject({
      status: "stopped",
      startedAt,
      endedAt: clock,
      winningTreatmentId: treatments["Green button"],
      winningReason: "Green converts 40 % better",
    });
    const flag = await server.request("GET", `/feature-flags/demo/${flagKey}`);
    const production = flag.body.environmentConfigurations.find((e: J) => e.environmentKey === "production");
    expect(production.rolloutRules[0]).toMatchObject({ id: ruleId, state: "PAUSED" });

    const before = await ld("GET", `${url}/metrics/signup/results`);
    const later = await simulate({
      featureKey: flagKey,
      visitors: 2000,
      goalId: signupGoalId,
      rates: { control: 0.5, blue: 0.5, green: 0.5 },
      seed: 7,
      end: clock + DAY,
      days: 1,
    });
    expect(exposuresOf(later, Number(experiment._id))).toHaveLength(0);
    clock += 2 * DAY;
    const after = await ld("GET", `${url}/metrics/signup/results`);
    expect(after.body.treatmentResults.map((t: J) => t.units)).toEqual(
      before.body.treatmentResults.map((t: J) => t.units),
    );
    expectLdError(
      await semanticPatch(url, { instructions: [{ kind: "stopIteration" }] }),
      400,
      "invalid_request",
      /no running iteration/,
    );
    expectLdError(
      await semanticPatch(url, { instructions: [{ kind: "startIteration" }] }),
      400,
      "invalid_request",
      /no iteration to start/,
    );
  });

  it("starts a new iteration and keeps the previous one", async () => {
    const given = await givenExperiment("stopped");
    const { url, flagKey, treatments } = given;
    const body = secondIteration(given);
    const badRule = await ld("POST", `${url}/iterations`, {
      body: { ...body, flags: { [flagKey]: { ruleId: "400999" } } },
    });
    expectLdError(badRule, 400, "invalid_request", /ruleId '400999'/);
    const created = await ld("POST", `${url}/iterations`, { body });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ status: "not_started", hypothesis: "Green keeps winning at 50/50" });
    expect(created.body.treatments).toHaveLength(2);

    const withDraft = await ld("GET", `${url}?expand=draftIteration,previousIterations`);
    expect(withDraft.body.currentIteration.status).toBe("stopped");
    expect(withDraft.body.draftIteration._id).toBe(created.body._id);

    const started = await semanticPatch(url, {
      instructions: [{ kind: "startIteration", changeJustification: "50/50" }],
    });
    expect(started.status, started.text).toBe(200);
    expect(started.body.currentIteration).toMatchObject({
      _id: created.body._id,
      status: "running",
      startedAt: clock,
    });
    const full = await ld("GET", `${url}?expand=previousIterations`);
    expect(full.body.previousIterations).toHaveLength(1);
    expect(full.body.previousIterations[0]).toMatchObject({
      status: "stopped",
      winningTreatmentId: treatments["Green button"],
      winningReason: "Green converts 40 % better",
    });
    const flag = await server.request("GET", `/feature-flags/demo/${flagKey}`);
    const rule = flag.body.environmentConfigurations.find((e: J) => e.environmentKey === "production")
      .rolloutRules[0];
    expect(rule).toMatchObject({
      state: "ACTIVE",
      trafficAllocations: [
        { variationKey: "control", exposition: 50 },
        { variationKey: "green", exposition: 50 },
      ],
    });
    // The new iteration starts from zero; the previous one keeps its results.
    const fresh = await ld("GET", `${url}/metrics/signup/results`);
    expect(fresh.body.treatmentResults.map((t: J) => t.units)).toEqual([0, 0]);
    const previous = await ld(
      "GET",
      `${url}/metrics/signup/results?iterationId=${full.body.previousIterations[0]._id}`,
    );
    // givenExperiment's 3,000 simulated visitors all came while the first iteration ran.
    expect(previous.body.treatmentResults.reduce((s: number, t: J) => s + t.units, 0)).toBe(3000);
  });

  it("resets one legacy experiment (flag + metric): only its results restart", async () => {
    const { url, flagKey } = await givenExperiment("iterated");
    const reader = await tokenWith(server, "reader");
    const path = `/api/v2/flags/demo/${flagKey}/experiments/production/signup/results`;
    expectLdError(await ld("DELETE", path, { token: reader }), 403, "forbidden");
    expectLdError(
      await ld("DELETE", `/api/v2/flags/demo/${flagKey}/experiments/production/nope/results`),
      404,
      "not_found",
      /nope/,
    );
    const legacyOf = (metric: string) =>
      ld("GET", `/api/v2/flags/demo/${flagKey}/experiments/production/${metric}`);
    const impressions = (body: J) => body.totals.map((t: J) => t.cumulativeImpressionCount);
    const full = await ld("GET", `${url}?expand=previousIterations`);
    const previousUrl = `${url}/metrics/signup/results?iterationId=${full.body.previousIterations[0]._id}`;
    const before = {
      revenue: impressions((await legacyOf("revenue")).body),
      previous: (await ld("GET", previousUrl)).body.treatmentResults.map((t: J) => t.units),
    };
    expect(before.previous.reduce((a: number, b: number) => a + b, 0)).toBeGreaterThan(0);

    const reset = await ld("DELETE", path);
    expect(reset.status, reset.text).toBe(204);
    // This legacy experiment counts from the reset: nothing yet.
    const signup = await legacyOf("signup");
    expect(impressions(signup.body)).toEqual([0, 0, 0]);
    expect(signup.body.stats.chi2).toBeUndefined();
    // The flag's other metric and the experiment's iterations keep their data (events stay in the store).
    expect(impressions((await legacyOf("revenue")).body)).toEqual(before.revenue);
    expect((await ld("GET", previousUrl)).body.treatmentResults.map((t: J) => t.units)).toEqual(
      before.previous,
    );
  });

  it("archives and restores it", async () => {
    const given = await givenExperiment("running");
    const { url, flagKey } = given;
    const count = async (query = "") =>
      (await ld("GET", `${EXPERIMENTS}?filter=flagKey:${flagKey}${query}`)).body.total_count;
    const stopped = await semanticPatch(url, {
      instructions: [{ kind: "stopIteration" }, { kind: "archiveExperiment" }],
    });
    expect(stopped.status, stopped.text).toBe(200);
    expect(stopped.body.archivedDate).toBe(clock);
    expect(await count()).toBe(0);
    expect(await count("&lifecycleState=archived")).toBe(1);
    const body = exampleExperiment({}, {}, given).iteration as J;
    body.flags = { [flagKey]: {} };
    expectLdError(await ld("POST", `${url}/iterations`, { body }), 400, "invalid_request", /archived/);
    const restored = await semanticPatch(url, { instructions: [{ kind: "restoreExperiment" }] });
    expect(restored.body.archivedDate).toBeUndefined();
    expect(await count()).toBe(1);
  });
});

describe("LaunchDarkly experiments: an EXPERIMENTATION rule and an experiment are one thing", () => {
  it("shows a Kameleoon rule as an experiment and links it when an experiment names the rule", async () => {
    const flag = await createFlag(server, {
      featureKey: "banner",
      name: "Banner",
      primaryGoalId: Number((await server.request("GET", "/api/v2/metrics/demo/purchase")).body._id),
      environmentConfigurations: [
        {
          environmentKey: "staging",
          featureEnabled: true,
          defaultVariationKey: "off",
          rolloutRules: [
            { type: "TARGETED_DELIVERY", name: "Everyone", variationKey: "on", exposition: 0 },
            {
              type: "EXPERIMENTATION",
              name: "Banner test",
              state: "ACTIVE",
              trafficAllocations: [
                { variationKey: "off", exposition: 50 },
                { variationKey: "on", exposition: 50 },
              ],
            },
          ],
        },
      ],
    });
    const staging = flag.environmentConfigurations.find((e: J) => e.environmentKey === "staging");
    const [targeted, rule] = staging.rolloutRules;
    const url = "/api/v2/projects/demo/environments/staging/experiments";
    const list = await ld("GET", `${url}?expand=treatments`);
    expect(list.body.total_count).toBe(1);
    expect(list.body.items[0]).toMatchObject({
      _id: String(rule.experimentId),
      key: `banner-${rule.id}`,
      name: "Banner test",
      currentIteration: { _id: `rule-${rule.id}`, status: "running", primaryMetric: { key: "purchase" } },
    });
    expect(list.body.items[0].currentIteration.treatments.map((t: J) => t.allocationPercent)).toEqual([
      "50",
      "50",
    ]);
    // The iteration read from the rule has an _id, so its results can be asked by iteration.
    const byIteration = await ld(
      "GET",
      `${url}/banner-${rule.id}/metrics/purchase/results?iterationId=rule-${rule.id}`,
    );
    expect(byIteration.status, byIteration.text).toBe(200);
    expect(byIteration.body.iterationId).toBe(`rule-${rule.id}`);

    const ids = Object.fromEntries(flag.variations.map((v: J) => [v.key, v.id]));
    const body = {
      key: "banner-test",
      name: "Banner test (LD)",
      iteration: {
        hypothesis: "The banner sells",
        metrics: [{ key: "purchase", primary: true }],
        treatments: [
          {
            name: "Off",
            baseline: true,
            allocationPercent: 50,
            parameters: [{ flagKey: "banner", variationId: ids.off }],
          },
          { name: "On", allocationPercent: "50", parameters: [{ flagKey: "banner", variationId: "on" }] },
        ],
        flags: { banner: { ruleId: String(rule.id), flagConfigVersion: flag.version } },
      },
    };
    const targetedBody = {
      ...body,
      iteration: { ...body.iteration, flags: { banner: { ruleId: String(targeted.id) } } },
    };
    expectLdError(
      await ld("POST", url, { body: targetedBody }),
      400,
      "invalid_request",
      /TARGETED_DELIVERY rule/,
    );
    const linked = await ld("POST", url, { body });
    expect(linked.status, linked.text).toBe(201);
    expect(linked.body).toMatchObject({ _id: String(rule.experimentId), key: "banner-test" });
    expect(linked.body.currentIteration.flags.banner.targetingRule).toBe(String(rule.id));
    // The rule was running: that run is the current iteration, the LaunchDarkly one is the draft.
    expect(linked.body.currentIteration).toMatchObject({ status: "running", startedAt: clock });
    expect(linked.body.draftIteration).toMatchObject({
      status: "not_started",
      hypothesis: "The banner sells",
    });
    const again = await ld("POST", url, { body: { ...body, key: "banner-test-2" } });
    expectLdError(again, 409, "conflict", /already runs experiment 'banner-test'/);
    const kameleoon = await server.request("GET", "/feature-flags/demo/banner");
    expect(
      kameleoon.body.environmentConfigurations.find((e: J) => e.environmentKey === "staging").rolloutRules,
    ).toHaveLength(2);

    // A stop ends the running rule's iteration and pauses the rule; the draft can then start.
    const stopped = await semanticPatch(`${url}/banner-test`, { instructions: [{ kind: "stopIteration" }] });
    expect(stopped.status, stopped.text).toBe(200);
    expect(stopped.body.currentIteration).toMatchObject({ status: "stopped", endedAt: clock });
    const paused = await server.request("GET", "/feature-flags/demo/banner");
    const stagingRules = paused.body.environmentConfigurations.find(
      (e: J) => e.environmentKey === "staging",
    ).rolloutRules;
    expect(stagingRules[1]).toMatchObject({ id: rule.id, state: "PAUSED" });
    const restarted = await semanticPatch(`${url}/banner-test`, {
      instructions: [{ kind: "startIteration" }],
    });
    expect(restarted.body.currentIteration).toMatchObject({
      status: "running",
      hypothesis: "The banner sells",
    });

    // Deleting the flag (Kameleoon API) deletes its experiments and their iterations.
    expect((await server.request("DELETE", "/feature-flags/demo/banner")).status).toBe(204);
    expect((await ld("GET", url)).body.total_count).toBe(0);
    expectLdError(await ld("GET", `${url}/banner-test`), 404, "not_found");
  });
});

describe("LaunchDarkly legacy flag experiments (PATCH /api/v2/flags/{projectKey}/{flagKey})", () => {
  it("attaches metrics per environment and sets the baseline; other paths answer 400 naming them", async () => {
    const { flagKey } = await createCtaFlag();
    const url = `/api/v2/flags/demo/${flagKey}`;
    const attached = await server.request("PATCH", url, {
      body: {
        comment: "measure purchases too",
        patch: [
          {
            op: "add",
            path: "/experiments/items/-",
            value: { metricKey: "purchase", environments: ["production"] },
          },
          { op: "replace", path: "/experiments/baselineIdx", value: 1 },
        ],
      },
    });
    expect(attached.status, attached.text).toBe(200);
    expect(attached.body).toMatchObject({
      key: flagKey,
      variations: [{ value: "control" }, { value: "blue" }, { value: "green" }],
      experiments: {
        baselineIdx: 1,
        items: [{ metricKey: "purchase", environments: ["production"], _metric: { key: "purchase" } }],
      },
    });
    expect(attached.body.experiments.items[0]._environmentSettings.production.startDate).toBe(clock);
    const flag = await server.request("GET", `/feature-flags/demo/${flagKey}`);
    const purchase = await server.request("GET", "/api/v2/metrics/demo/purchase");
    // The flag had no goal: the attached metric becomes its primary goal.
    expect(flag.body.primaryGoalId).toBe(Number(purchase.body._id));

    const legacy = await ld("GET", `${url}/experiments/production/purchase`);
    expect(legacy.status, legacy.text).toBe(200);
    expect(legacy.body.baselineIdx).toBe(1);

    const moreEnvironments = await server.request("PATCH", url, {
      body: [{ op: "add", path: "/experiments/items/0/environments/-", value: "staging" }],
    });
    expect(moreEnvironments.body.experiments.items[0].environments).toEqual(["production", "staging"]);
    const detached = await server.request("PATCH", url, {
      body: [{ op: "remove", path: "/experiments/items/0/environments/0" }],
    });
    expect(detached.body.experiments.items[0].environments).toEqual(["staging"]);
    expect(detached.body.experiments.items[0]._environmentSettings.production.stopDate).toBe(clock);

    const refusals: [unknown, RegExp][] = [
      [
        [
          { op: "replace", path: "/name", value: "x" },
          { op: "remove", path: "/experiments/items/0" },
        ],
        /cannot be mixed with other flag paths/,
      ],
      [
        [{ op: "replace", path: "/experiments/baselineIdx", value: 7 }],
        /baselineIdx must be an integer from 0 to 2/,
      ],
      [
        [{ op: "add", path: "/experiments/items/-", value: { metricKey: "nope" } }],
        /metric 'nope' not found/,
      ],
      [
        [{ op: "add", path: "/experiments/items/-", value: { metricKey: "purchase" } }],
        /repeats metric 'purchase'/,
      ],
      [
        [{ op: "add", path: "/experiments/items/-", value: { metricKey: "signup", environments: ["qa"] } }],
        /environment 'qa' not found/,
      ],
      [
        [{ op: "add", path: "/experiments/items/-", value: { metricKey: "signup", color: 1 } }],
        /color is not a field/,
      ],
      [[{ op: "remove", path: "/experiments/items/9" }], /Invalid JSON Patch/],
      [{ instructions: [] }, /body/],
      [{ instructions: [{ kind: "turnFlagOn" }] }, /semantic patch: send 'Content-Type/],
    ];
    for (const [body, message] of refusals) {
      expectLdError(await server.request("PATCH", url, { body }), 400, "invalid_request", message);
    }
    // The flag itself changes through LaunchDarkly's flags resource too (launchdarkly-flags.test.ts).
    expectLdError(
      await server.request("PATCH", "/api/v2/flags/demo/nope", {
        body: [{ op: "remove", path: "/experiments/items/0" }],
      }),
      404,
      "not_found",
    );
  });
});

describe("LaunchDarkly experiments: roles and project scope", () => {
  it("lets a reader read and not write; a scoped token sees only its project", async () => {
    const given = await givenExperiment("running");
    const { url, flagKey } = given;
    const reader = await tokenWith(server, "reader");
    expect((await ld("GET", EXPERIMENTS, { token: reader })).status).toBe(200);
    expect((await ld("GET", `${url}/metrics/signup/results`, { token: reader })).status).toBe(200);
    const body = exampleExperiment({}, {}, given).iteration;
    expectLdError(await ld("POST", `${url}/iterations`, { body, token: reader }), 403, "forbidden");

    const other = await server.request("POST", "/api/v2/projects", { body: { key: "other", name: "Other" } });
    expect(other.status).toBe(201);
    const scoped = await tokenWith(server, "writer", "other");
    expectLdError(
      await ld("GET", EXPERIMENTS, { token: scoped }),
      403,
      "forbidden",
      /scoped to project 'other'/,
    );
    expectLdError(await ld("GET", url, { token: scoped }), 403, "forbidden");
    expectLdError(
      await ld("GET", `/api/v2/flags/demo/${flagKey}/experiments/production/signup`, { token: scoped }),
      403,
      "forbidden",
    );
    expectLdError(
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
