import { describe, expect, it } from "vitest";
import { expectLaunchDarklyError, type J, tokenWith } from "./fixtures/flag-test-helpers.js";
import {
  advanceClock,
  clock,
  createCtaFlag,
  DAY,
  EXPERIMENTS,
  exampleExperiment,
  exposuresOf,
  givenExperiment,
  ld,
  measured,
  secondIteration,
  semanticPatch,
  server,
  simulate,
  useExperimentsServer,
} from "./fixtures/launchdarkly-experiments.js";

// LaunchDarkly's Experiments (beta) API over Vexil: create LaunchDarkly's documented example experiment on a
// real flag, start it, feed it simulated traffic where one treatment is truly better, read Bayesian and
// legacy results, stop it with a winner, iterate, reset. Real SQLite/DuckDB (or PostgreSQL) underneath.

useExperimentsServer();

describe("LaunchDarkly experiments: the life of an experiment, stage by stage", () => {
  // Each test brings an experiment of its own, on a flag of its own, to the stage it checks
  // (givenExperiment), so none depends on another's changes.

  it("creates LaunchDarkly's documented example experiment on the flag's real variation ids", async () => {
    const target = await createCtaFlag();
    const { variationIds, flagKey } = target;
    const reader = await tokenWith(server, "reader");
    expectLaunchDarklyError(
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
    expectLaunchDarklyError(again, 409, "conflict", /already exists/);
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
    expectLaunchDarklyError(
      await ld("GET", `${EXPERIMENTS}?filter=owner:me`),
      400,
      "invalid_request",
      /unknown field 'owner'/,
    );
    expectLaunchDarklyError(
      await ld("GET", `${EXPERIMENTS}?filter=status:paused`),
      400,
      "invalid_request",
      /status 'paused'/,
    );
    expectLaunchDarklyError(
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
    expectLaunchDarklyError(notSemantic, 400, "invalid_request", /domain-model=launchdarkly\.semanticpatch/);
    expectLaunchDarklyError(
      await semanticPatch(url, { instructions: [{ kind: "explode" }] }),
      400,
      "invalid_request",
      /kind 'explode'/,
    );
    expectLaunchDarklyError(
      await semanticPatch(url, { instructions: [] }),
      400,
      "invalid_request",
      /instructions/,
    );
    expectLaunchDarklyError(
      await semanticPatch(url, { instructions: [{ kind: "stopIteration" }] }),
      400,
      "invalid_request",
      /no running iteration/,
    );
    expectLaunchDarklyError(
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
    expectLaunchDarklyError(
      await semanticPatch(url, { instructions: [{ kind: "startIteration", winningReason: "x" }] }),
      400,
      "invalid_request",
      /winningReason is not a parameter of startIteration/,
    );
    const reader = await tokenWith(server, "reader");
    expectLaunchDarklyError(
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
    expectLaunchDarklyError(
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

    expectLaunchDarklyError(await ld("GET", `${url}/metrics/nope/results`), 404, "not_found", /nope/);
    expectLaunchDarklyError(
      await ld("GET", `${url}/metrics/purchase/results`),
      404,
      "not_found",
      /not a metric of this iteration/,
    );
    expectLaunchDarklyError(
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
    expectLaunchDarklyError(
      await ld("GET", `${legacyUrl}/production/signup?from=${startedAt + DAY}&to=${startedAt}`),
      400,
      "invalid_request",
      /from .* must be before/,
    );
    expectLaunchDarklyError(
      await ld("GET", `${legacyUrl}/production/signup?from=yesterday`),
      400,
      "invalid_request",
      /from/,
    );
    expectLaunchDarklyError(
      await ld("GET", `${legacyUrl}/production/purchase`),
      404,
      "not_found",
      /not attached/,
    );
    expectLaunchDarklyError(
      await ld("GET", "/api/v2/flags/demo/nope/experiments/production/signup"),
      404,
      "not_found",
      /'nope'/,
    );
    expectLaunchDarklyError(await ld("GET", `${legacyUrl}/qa/signup`), 404, "not_found", /'qa'/);
  });

  it("stops it with a winner: the rule pauses and no new exposures are recorded", async () => {
    const { url, flagKey, ruleId, treatments, signupGoalId, experiment, startedAt } =
      await givenExperiment("measured");
    expectLaunchDarklyError(
      await semanticPatch(url, {
        instructions: [{ kind: "stopIteration", winningTreatmentId: "not-a-treatment" }],
      }),
      400,
      "invalid_request",
      /winningTreatmentId 'not-a-treatment' is not a treatment/,
    );
    expectLaunchDarklyError(
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
    advanceClock(2 * DAY);
    const after = await ld("GET", `${url}/metrics/signup/results`);
    expect(after.body.treatmentResults.map((t: J) => t.units)).toEqual(
      before.body.treatmentResults.map((t: J) => t.units),
    );
    expectLaunchDarklyError(
      await semanticPatch(url, { instructions: [{ kind: "stopIteration" }] }),
      400,
      "invalid_request",
      /no running iteration/,
    );
    expectLaunchDarklyError(
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
    expectLaunchDarklyError(badRule, 400, "invalid_request", /ruleId '400999'/);
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
    expectLaunchDarklyError(await ld("DELETE", path, { token: reader }), 403, "forbidden");
    expectLaunchDarklyError(
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
    expectLaunchDarklyError(
      await ld("POST", `${url}/iterations`, { body }),
      400,
      "invalid_request",
      /archived/,
    );
    const restored = await semanticPatch(url, { instructions: [{ kind: "restoreExperiment" }] });
    expect(restored.body.archivedDate).toBeUndefined();
    expect(await count()).toBe(1);
  });
});
