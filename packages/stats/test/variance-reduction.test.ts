// Regression adjustment on k covariates and post-stratification: exact values on small hand-checkable
// data, their degenerate inputs (each a defined value with a reason), and how analyzeMetric reports them.
import { describe, expect, it } from "vitest";
import {
  analyzeMetric,
  cupedTheta,
  mergeRegressionStats,
  postStratify,
  regressionAdjustment,
  regressionStatsOf,
  type StratumStats,
} from "../src/index.js";
import { adjustmentUnits, adjustmentVariation, samplers } from "./sampling.js";

// y = 1 + 2 x1 - 3 x2 exactly: OLS recovers the slopes and leaves no residual.
const exactRows = (offset: number) =>
  [
    [0, 1],
    [1, 0],
    [2, 3],
    [3, 1],
    [4, 4],
    [5, 2],
  ].map(([x1, x2]) => [1 + offset + 2 * x1! - 3 * x2!, x1!, x2!]);

describe("regression adjustment", () => {
  it("recovers the slopes of an exact linear outcome, pooled over arms, with no residual variance", () => {
    const fit = regressionAdjustment([regressionStatsOf(exactRows(0)), regressionStatsOf(exactRows(5))], 2);
    expect(fit.applied).toBe(true);
    if (!fit.applied) return;
    // The arms differ by 5 in the outcome at equal covariates: pooled over them the slopes are still 2, -3.
    expect(fit.coefficients[0]).toBeCloseTo(2, 12);
    expect(fit.coefficients[1]).toBeCloseTo(-3, 12);
    expect(fit.arms[1]!.meanAdjusted - fit.arms[0]!.meanAdjusted).toBeCloseTo(5, 12);
    // Rounding leaves ~1e-16 of a variance that is 36 without the adjustment.
    expect(fit.arms[0]!.varianceMeanAdjusted).toBeLessThan(1e-12);
    // N = 12 units, k = 2 slopes: residual variance times 11 / 9.
    expect(fit.dfCorrection).toBeCloseTo(11 / 9, 15);
  });

  it("with one covariate is CUPED: the same slope and adjusted means", () => {
    const s = samplers(7);
    const arms = [0, 0.1].map((lift) => adjustmentVariation("v", adjustmentUnits(s, 300, lift)));
    const one = arms.map((v) => ({
      n: v.n,
      means: v.regression!.means.slice(0, 2),
      comoments: v.regression!.comoments.slice(0, 2).map((r) => r.slice(0, 2)),
    }));
    const fit = regressionAdjustment(one, 1);
    if (!fit.applied) throw new Error(fit.reason);
    const cuped = cupedTheta(
      arms.map((v) => ({
        n: v.n,
        sum: v.sum!,
        sumSquares: 0,
        m2: v.m2!,
        preSum: v.preSum!,
        preSumSquares: v.preSumSquares!,
        crossSum: v.crossSum!,
        preM2: v.preM2!,
        crossM2: v.crossM2!,
      })),
    );
    expect(fit.coefficients[0]).toBeCloseTo(cuped, 12);
  });

  it("merges per-chunk statistics into the statistics of the whole sample", () => {
    const rows = exactRows(0).map((r, i) => [r[0]! + (i % 2) * 0.5, r[1]!, r[2]!]);
    const merged = mergeRegressionStats(
      regressionStatsOf(rows.slice(0, 2)),
      regressionStatsOf(rows.slice(2)),
    );
    const whole = regressionStatsOf(rows);
    merged.comoments.forEach((row, i) => {
      row.forEach((c, j) => {
        expect(c).toBeCloseTo(whole.comoments[i]![j]!, 10);
      });
    });
  });

  it("leaves out a covariate without variance (no pre-period data) or collinear with earlier ones", () => {
    const rows = exactRows(0).map((r) => [r[0]! + (r[1]! % 2), r[1]!, r[2]!, 0, 2 * r[1]! + r[2]!]);
    const fit = regressionAdjustment([regressionStatsOf(rows), regressionStatsOf(rows)], 4);
    expect(fit.applied).toBe(true);
    expect(fit.dropped).toEqual([
      { index: 2, reason: "no variance (no pre-period data?)" },
      { index: 3, reason: "collinear with the covariates before it" },
    ]);
    if (fit.applied) expect(fit.coefficients[2]).toBe(0);
  });

  it("answers a reason, not a number, on degenerate input", () => {
    const none = exactRows(0).map((r) => [r[0]!, 0, 0]);
    expect(regressionAdjustment([regressionStatsOf(none), regressionStatsOf(none)], 2)).toMatchObject({
      applied: false,
      reason: "no covariate has variance",
    });
    // k >= N - 2: 2 covariates on 4 units leave one residual degree of freedom.
    const few = exactRows(0);
    expect(
      regressionAdjustment([regressionStatsOf(few.slice(0, 2)), regressionStatsOf(few.slice(2, 4))], 2),
    ).toMatchObject({
      applied: false,
      reason: "2 covariates need more than 4 units (got 4)",
    });
    const impossible = regressionStatsOf(exactRows(0));
    impossible.comoments[0]![1] = impossible.comoments[1]![0] = 10 * impossible.comoments[1]![1]! ** 2;
    expect(regressionAdjustment([impossible, regressionStatsOf(exactRows(0))], 2)).toMatchObject({
      applied: false,
      reason: "arm 0: impossible statistics (a correlation above 1)",
    });
    expect(
      regressionAdjustment(
        [
          {
            n: 1,
            means: [1, 1],
            comoments: [
              [0, 0],
              [0, 0],
            ],
          },
        ],
        1,
      ),
    ).toMatchObject({
      applied: false,
      reason: "arm 0: fewer than 2 units",
    });
  });
});

describe("post-stratification", () => {
  // Hand-computed: strata A (weight 60/100) and B (40/100); arm means 0.6 * 2 + 0.4 * 10 = 5.2 and
  // 0.6 * 3 + 0.4 * 12 = 6.6; variance of arm 0's mean 0.36 * (29/29)/30 + 0.16 * (39/19)/20.
  const arm0: StratumStats[] = [
    { stratum: "A", n: 30, sum: 60, m2: 29 },
    { stratum: "B", n: 20, sum: 200, m2: 39 },
  ];
  const arm1: StratumStats[] = [
    { stratum: "A", n: 30, sum: 90, m2: 29 },
    { stratum: "B", n: 20, sum: 240, m2: 39 },
  ];

  it("re-weights each arm's strata to the pooled shares", () => {
    const ps = postStratify([arm0, arm1]);
    if (!ps.applied) throw new Error(ps.reason);
    expect(ps.strata).toEqual([
      { stratum: "A", weight: 0.6 },
      { stratum: "B", weight: 0.4 },
    ]);
    expect(ps.arms[0]!.meanAdjusted).toBeCloseTo(5.2, 12);
    expect(ps.arms[1]!.meanAdjusted).toBeCloseTo(6.6, 12);
    expect(ps.arms[0]!.varianceMeanAdjusted).toBeCloseTo(0.36 / 30 + (0.16 * (39 / 19)) / 20, 14);
  });

  it("merges small strata, and says why when fewer than two strata remain", () => {
    const withSmall = [
      [...arm0, { stratum: "C", n: 3, sum: 3, m2: 1 }],
      [...arm1, { stratum: "C", n: 2, sum: 2, m2: 0.5 }],
    ];
    const ps = postStratify(withSmall);
    // C alone is small, so it joins the largest stratum (A).
    expect(ps).toMatchObject({ applied: true, merged: ["C"] });
    const tiny = postStratify([arm0, arm1], { minUnitsPerArm: 25 });
    expect(tiny).toMatchObject({ applied: false, merged: ["B"] });
    if (!tiny.applied) expect(tiny.reason).toBe("fewer than 2 strata with at least 25 units in every arm");
    expect(postStratify([[{ stratum: "A", n: 5, sum: 1, m2: -1 }], arm1])).toMatchObject({
      applied: false,
      reason: "arm 0: impossible stratum statistics",
    });
  });
});

describe("analyzeMetric with a variance reduction", () => {
  const s = samplers(11);
  const control = adjustmentVariation("control", adjustmentUnits(s, 2000, 0));
  const treatment = adjustmentVariation("treatment", adjustmentUnits(s, 2000, 0.05));

  it("regression on 3 covariates: one test behind both intervals, the covariates and reduction shown", () => {
    const r = analyzeMetric(
      { covariates: ["x1", "x2", "x3"], variations: [control, treatment] },
      { adjustment: "regression" },
    );
    const c = r.variations[1]!.comparison!;
    expect(c.test).toBe("regression-z");
    expect(r.adjustment?.covariates.map((x) => x.name)).toEqual(["x1", "x2", "x3"]);
    expect(c.adjustment!.method).toBe("regression");
    // The outcome's R^2 on the covariates is ~0.5 in this model: the reduction is large and below 1.
    expect(c.adjustment!.varianceReduction).toBeGreaterThan(0.3);
    expect(c.adjustment!.varianceReduction).toBeLessThan(0.9);
    expect(c.absolute!.ci[0] > 0).toBe(c.pValue! < 0.05);
    expect(c.relative!.ci[0] > 0).toBe(c.pValue! < 0.05);
    expect(r.variations[1]!.adjustedMean).not.toBeNull();
  });

  it("regression reduces more than CUPED on one covariate; post-stratification reduces too", () => {
    const reduction = (adjustment: "cuped" | "regression" | "post-stratification") =>
      analyzeMetric({ variations: [control, treatment] }, { adjustment }).variations[1]!.comparison!
        .adjustment!.varianceReduction;
    expect(reduction("regression")).toBeGreaterThan(reduction("cuped"));
    expect(reduction("post-stratification")).toBeGreaterThan(0.05);
    const ps = analyzeMetric({ variations: [control, treatment] }, { adjustment: "post-stratification" });
    expect(ps.variations[1]!.comparison!.test).toBe("post-stratified-z");
    expect(ps.adjustment!.strata!.map((x) => x.stratum)).toEqual(["desktop", "mobile", "tablet"]);
  });

  it("without the statistics: not applied, the reason in the report, the unadjusted test kept", () => {
    const bare = [control, treatment].map(({ regression: _r, strata: _s, ...v }) => v);
    for (const adjustment of ["regression", "post-stratification"] as const) {
      const r = analyzeMetric({ variations: bare }, { adjustment });
      expect(r.adjustment).toBeNull();
      expect(r.adjustmentReason).toMatch(/missing for control, treatment/);
      expect(r.variations[1]!.comparison!.test).toBe("welch");
    }
    const wrong = analyzeMetric(
      { variations: [{ ...control, sum: control.sum! + 100 }, treatment] },
      { adjustment: "post-stratification" },
    );
    expect(wrong.adjustmentReason).toBe("variation control: its strata do not add up to its units and sum");
  });
});
