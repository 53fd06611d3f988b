// The regression statement (aggregation-regression-sql.ts) on both stores: per variation, the means and
// centred co-moments of an outcome goal's post-exposure per-unit revenue and of two covariates, the
// pre-window per-unit values of two goals. Expected numbers: @vexil/stats regressionStatsOf (two-pass
// centred sums) over the per-unit table below, which a reader can check by hand; also a numeric custom
// attribute as a covariate, read alike by both databases.
import { regressionStatsOf } from "@vexil/stats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnalyticsEvent, AnalyticsStore, RegressionAggregationQuery } from "./analytics-store.js";
import { storeTargets } from "./store-targets.test-support.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 2, 3, 12);

// Per unit: arm, goal 7's values after exposure (the outcome), goal 8's and goal 9's values in the 14 days
// before it (covariates), and the custom attribute "score" of its exposure (a numeric covariate: a value
// that is not a number, or none, counts 0). Unit 5 has no event at all (every value 0).
const UNITS: { arm: "off" | "on"; y: number[]; x8: number[]; x9: number[]; score?: string }[] = [
  { arm: "off", y: [10], x8: [4], x9: [], score: "1.5" },
  { arm: "off", y: [20, 5], x8: [9, 1], x9: [3], score: " 4 " },
  { arm: "off", y: [], x8: [2], x9: [1], score: "high" },
  { arm: "off", y: [7], x8: [], x9: [6], score: "-2e1" },
  { arm: "off", y: [30], x8: [12], x9: [2], score: "Infinity" },
  { arm: "on", y: [], x8: [], x9: [] },
  { arm: "on", y: [40], x8: [15], x9: [4], score: "9" },
  { arm: "on", y: [8], x8: [3], x9: [], score: "1e400" },
  { arm: "on", y: [12, 12], x8: [11], x9: [5], score: ".5" },
  { arm: "on", y: [3], x8: [], x9: [1], score: "3" },
];
/** The score as both databases must read it. */
const SCORE: Record<string, number> = { "1.5": 1.5, " 4 ": 4, "-2e1": -20, "9": 9, ".5": 0.5, "3": 3 };
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function events(): AnalyticsEvent[] {
  const out: AnalyticsEvent[] = [];
  UNITS.forEach((unit, i) => {
    const base = { projectKey: "p", environmentKey: "production", visitorCode: `u${i}`, visitId: `u${i}-1` };
    const time = T0 + i;
    out.push({
      ...base,
      kind: "exposure",
      featureKey: "f",
      flagId: 1,
      ruleId: 1,
      experimentId: 1,
      variationKey: unit.arm,
      attributes: unit.score === undefined ? {} : { custom: { score: unit.score } },
      time,
    });
    const conversion = (goalId: number, value: number, at: number) => {
      out.push({ ...base, kind: "conversion", goalId, value, time: at });
    };
    for (const [k, v] of unit.y.entries()) conversion(7, v, time + 1000 + k);
    for (const [k, v] of unit.x8.entries()) conversion(8, v, time - DAY + k);
    for (const [k, v] of unit.x9.entries()) conversion(9, v, time - 2 * DAY + k);
    // Neither counts: goal 7 before exposure is not the outcome; goal 8 after exposure is not a covariate;
    // goal 9 older than the 14-day pre-window is not either.
    conversion(7, 1000, time - DAY);
    conversion(8, 1000, time + 2000);
    conversion(9, 1000, time - 20 * DAY);
  });
  return out;
}

const query: RegressionAggregationQuery = {
  projectKey: "p",
  environmentKey: "production",
  featureKey: "f",
  unit: "visitor",
  conversionType: "ALL_CONVERSION",
  goalIds: [7],
  covariateGoalIds: [8, 9],
  covariateAttributes: ["score"],
  from: T0 - DAY,
  to: T0 + 7 * DAY,
};

function expected(arm: "off" | "on", converted = false) {
  const value = (values: number[]) => (converted ? (values.length > 0 ? 1 : 0) : sum(values));
  return regressionStatsOf(
    UNITS.filter((u) => u.arm === arm).map((u) => [
      value(u.y),
      value(u.x8),
      value(u.x9),
      SCORE[u.score ?? ""] ?? 0,
    ]),
  );
}

describe.each(storeTargets("regression"))("regression statistics on $name", (target) => {
  let store: AnalyticsStore;
  beforeAll(async () => {
    store = await target.open();
    await store.append(events());
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await target.cleanup();
  });

  const check = (groups: Awaited<ReturnType<AnalyticsStore["aggregateRegression"]>>, converted: boolean) => {
    expect(groups.map((g) => [g.variationKey, g.units])).toEqual([
      ["off", 5],
      ["on", 5],
    ]);
    for (const group of groups) {
      const want = expected(group.variationKey as "off" | "on", converted);
      const got = group.goals[0]!;
      expect(got.goalId).toBe(7);
      got.means.forEach((m, i) => {
        expect(m).toBeCloseTo(want.means[i]!, 10);
      });
      got.comoments.forEach((row, i) => {
        row.forEach((c, j) => {
          expect(c).toBeCloseTo(want.comoments[i]![j]!, 9);
        });
      });
    }
  };

  it("means and co-moments of the outcome's revenue, the covariates' pre-window revenue and the score", async () => {
    check(await store.aggregateRegression(query), false);
  });

  it("under CONVERTED_VISITS the outcome and the covariates are 0/1 per unit", async () => {
    check(await store.aggregateRegression({ ...query, conversionType: "CONVERTED_VISITS" }), true);
  });

  it("rejects a regression without covariates", async () => {
    await expect(
      store.aggregateRegression({ ...query, covariateGoalIds: [], covariateAttributes: [] }),
    ).rejects.toThrow(/1 to 10 covariates/);
  });
});
