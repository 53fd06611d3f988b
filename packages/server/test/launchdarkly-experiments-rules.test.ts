import { describe, expect, it } from "vitest";
import { createFlag, expectLaunchDarklyError, type J } from "./fixtures/flag-test-helpers.js";
import {
  clock,
  createCtaFlag,
  ld,
  semanticPatch,
  server,
  useExperimentsServer,
} from "./fixtures/launchdarkly-experiments.js";

// LaunchDarkly's experiments and Vexil's EXPERIMENTATION rules are one thing, seen from both dialects; and
// LaunchDarkly's legacy flag experiments (PATCH /api/v2/flags). Real SQLite/DuckDB (or PostgreSQL) underneath.

useExperimentsServer();

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
    expectLaunchDarklyError(
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
    expectLaunchDarklyError(again, 409, "conflict", /already runs experiment 'banner-test'/);
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
    expectLaunchDarklyError(await ld("GET", `${url}/banner-test`), 404, "not_found");
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
      expectLaunchDarklyError(await server.request("PATCH", url, { body }), 400, "invalid_request", message);
    }
    // The flag itself changes through LaunchDarkly's flags resource too (launchdarkly-flags.test.ts).
    expectLaunchDarklyError(
      await server.request("PATCH", "/api/v2/flags/demo/nope", {
        body: [{ op: "remove", path: "/experiments/items/0" }],
      }),
      404,
      "not_found",
    );
  });
});
