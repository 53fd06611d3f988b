import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import { flagRules } from "../src/flags/flags.read-model.js";
import { createExperiment } from "../src/results/results-simulation.test-support.js";
import { createFlag } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer, testDatabaseKind } from "./harness.js";

// The queries automation asks of flags (flags/flags.read-model.ts), run against flags stored through the
// API: a change in how flags are stored that stops them finding these rules fails here, not silently in
// automation.

let server: TestServer;
let goalId: number;
let banditRuleId: number;

beforeAll(async () => {
  server = await startTestServer();
  await ensureDemoProject(server.context);
  const goal = await server.request("POST", "/goals", {
    body: { siteCode: "demo", name: "Buy", key: "buy" },
  });
  goalId = goal.body.id;
  const production = (rolloutRules: unknown[], featureEnabled = true) => [
    { environmentKey: "production", featureEnabled, defaultVariationKey: "off", rolloutRules },
  ];
  await createFlag(server, { featureKey: "plain", name: "Plain", environmentConfigurations: production([]) });
  await createFlag(server, {
    featureKey: "ramp",
    name: "Ramp",
    environmentConfigurations: production([
      {
        type: "PROGRESSIVE_DELIVERY",
        variationKey: "on",
        rolloutConfiguration: {
          type: "PROGRESSIVE_EXPOSURE",
          percentageRange: { start: 10, stop: 100 },
          increaseBy: 30,
          frequency: { unit: "Hours", value: 1 },
          releaseDateTime: "2026-03-02T10:00:00Z",
        },
      },
    ]),
  });
  const guard = {
    criteria: "CONVERSION_RATE",
    comparisonOperator: "GREATER_THAN",
    matchValue: 10,
    goalId,
    visitors: 100,
  };
  const guarded = (featureKey: string, featureEnabled: boolean) =>
    createFlag(server, {
      featureKey,
      name: featureKey,
      primaryGoalId: goalId,
      environmentConfigurations: production(
        [{ type: "TARGETED_DELIVERY", variationKey: "on", exposition: 50, rollbackConditions: [guard] }],
        featureEnabled,
      ),
    });
  await guarded("guarded", true);
  await guarded("guarded-off", false);
  const experiment = await createExperiment(server, { featureKey: "bandit", goals: [{ name: "Purchase" }] });
  banditRuleId = experiment.ruleId;
  const patched = await server.request("PATCH", `/feature-flags/rules/${banditRuleId}`, {
    body: { multiArmedBandit: true, trafficAllocationMethod: "MULTI_ARMED_BANDIT", reallocation: true },
  });
  expect(patched.status, patched.text).toBe(200);
});

afterAll(async () => {
  await server?.close();
});

/** Every item of a paged read, in order. */
async function all<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) items.push(...page);
  return items;
}

describe(`flags read model for automation (${testDatabaseKind})`, () => {
  it("finds the flags with a rule of a type, and only those", async () => {
    const keys = (await all(flagRules.flagsWithRuleType(server.context.db, "PROGRESSIVE_DELIVERY"))).map(
      (r) => r.doc.featureKey,
    );
    expect(keys).toEqual(["ramp"]);
  });

  it("finds the bandit rules", async () => {
    const found = await all(flagRules.banditRules(server.context.db));
    expect(found.map((f) => [f.record.doc.featureKey, f.rule.id])).toEqual([["bandit", banditRuleId]]);
  });

  it("finds the active rules with rollback conditions where the flag is on", async () => {
    const found = await all(flagRules.watchedRules(server.context.db));
    expect(found.map((f) => [f.record.doc.featureKey, f.environment.environmentKey])).toEqual([
      ["guarded", "production"],
    ]);
    expect(found[0]!.rule.rollbackConditions).toMatchObject([{ criteria: "CONVERSION_RATE", goalId }]);
  });

  it("reads rules page by page: every flag once, in id order, the same as in one page", async () => {
    await createFlag(server, {
      featureKey: "guarded-too",
      name: "Guarded too",
      primaryGoalId: goalId,
      environmentConfigurations: [
        {
          environmentKey: "production",
          featureEnabled: true,
          defaultVariationKey: "off",
          rolloutRules: [
            {
              type: "TARGETED_DELIVERY",
              variationKey: "on",
              exposition: 10,
              rollbackConditions: [
                {
                  criteria: "CONVERSION_RATE",
                  comparisonOperator: "LESS_THAN",
                  matchValue: 1,
                  goalId,
                  visitors: 50,
                },
              ],
            },
          ],
        },
      ],
    });
    const onePage = await all(flagRules.watchedRules(server.context.db));
    const pages: string[][] = [];
    for await (const page of flagRules.watchedRules(server.context.db, 1)) {
      pages.push(page.map((f) => f.record.doc.featureKey));
    }
    // One flag per page (an off flag's page has no watched rule); the flags in creation order.
    expect(pages.flat()).toEqual(["guarded", "guarded-too"]);
    expect(pages.every((page) => page.length <= 1)).toBe(true);
    expect(pages.flat()).toEqual(onePage.map((f) => f.record.doc.featureKey));
  });

  it("pages the flags health watches: every one once, in id order", async () => {
    const all = await flagRules.healthWatched(server.context.db, 0, 1_000_000);
    expect(all.length).toBeGreaterThan(2);
    const paged: number[] = [];
    for (let afterId = 0; ; ) {
      const page = await flagRules.healthWatched(server.context.db, afterId, 2);
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(2);
      paged.push(...page.map((r) => r.meta.id));
      afterId = page[page.length - 1]!.meta.id;
    }
    expect(paged).toEqual(all.map((r) => r.meta.id));
  });
});
