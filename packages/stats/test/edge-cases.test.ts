// Edge cases of the issue "statistical truth": every public answer is a defined value with a reason, or a
// typed error; verdicts never contradict the interval printed beside them.
import { describe, expect, it } from "vitest";
import {
  type AnalysisOptions,
  analyzeExperiment,
  analyzeMetric,
  confidenceSequence,
  evaluateRollbackCondition,
  type MetricAnalysis,
  type MetricInput,
  msprt,
  StatsInputError,
  sampleRatioMismatch,
  sampleSizeMeans,
  sampleSizeProportions,
  summarize,
  twoProportionZTest,
  welchTTest,
} from "../src/index.js";
import { samplers } from "./sampling.js";

// Every number must be real; infinities only as interval bounds (arrays).
function badNumbers(value: unknown, path = "$", inArray = false, out: string[] = []): string[] {
  if (typeof value === "number") {
    if (Number.isNaN(value)) out.push(`${path} is NaN`);
    else if (!Number.isFinite(value) && !inArray) out.push(`${path} is ${value}`);
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) badNumbers(v, `${path}[${i}]`, true, out);
  } else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) badNumbers(v, `${path}.${k}`, false, out);
  return out;
}

const excludes0 = (ci: [number, number]) => ci[0] > 0 || ci[1] < 0;

// The verdict beside each printed interval: frequentist significant <=> the (adjusted) interval of both
// effects excludes 0; Bayesian significant <=> the credible interval excludes 0; a winner is significant.
function verdictContradictions(r: MetricAnalysis): string[] {
  const out: string[] = [];
  for (const v of r.variations) {
    const c = v.comparison;
    if (!c) continue;
    if (r.engine === "bayesian") {
      if (c.bayesian && c.significant !== excludes0(c.bayesian.relativeInterval))
        out.push(`${v.key}: bayesian verdict ${c.significant} vs ${c.bayesian.relativeInterval}`);
    } else
      for (const e of [c.absolute, c.relative]) {
        if (!e) continue;
        const ci = e.ciAdjusted ?? e.ci;
        if (c.significant !== excludes0(ci)) out.push(`${v.key}: significant ${c.significant} vs ${ci}`);
      }
    if (r.winner === v.key && !c.significant) out.push(`${v.key}: winner without significance`);
  }
  return out;
}

describe("no verdict contradicts its interval", () => {
  const { binomial, normal } = samplers(1414);
  it("on 100 random A/A and A/B datasets, every engine, sequential and correction", () => {
    const settings: AnalysisOptions[] = [
      {},
      { sequential: true },
      { sequential: { method: "msprt" } },
      { correction: "holm" },
      { correction: "bh", alternative: "greater" },
      { engine: "bayesian" },
      { cuped: true },
    ];
    const found: string[] = [];
    for (let i = 0; i < 100; i++) {
      const n = [20, 300, 5000][i % 3]!;
      const p = [0.005, 0.05, 0.5][i % 5 === 0 ? 0 : i % 2 ? 1 : 2]!;
      const lift = i % 4 === 0 ? 0 : 0.2;
      const conversions: MetricInput = {
        isProportion: true,
        variations: [0, lift, lift / 2].map((l, k) => ({
          key: `v${k}`,
          n,
          conversions: binomial(n, p * (1 + l)),
        })),
      };
      const mean = i % 7 === 0 ? 0.01 : 10;
      const numeric: MetricInput = {
        variations: [0, lift].map((l, k) => {
          const m = normal(mean * (1 + l), 5 / Math.sqrt(n));
          const s2 = 25 * (1 + 0.1 * normal(0, 1)) ** 2;
          const x = normal(3, 1 / Math.sqrt(n));
          return {
            key: `v${k}`,
            n,
            sum: n * m,
            sumSquares: (n - 1) * s2 + n * m * m,
            preSum: n * x,
            preSumSquares: (n - 1) * 1 + n * x * x,
            crossSum: (n - 1) * 2 + n * x * m,
          };
        }),
      };
      for (const o of settings)
        for (const r of [analyzeMetric(conversions, o), analyzeMetric(numeric, o)]) {
          found.push(...verdictContradictions(r), ...badNumbers(r));
        }
      const family = analyzeExperiment([conversions, numeric], { correction: "holm" });
      for (const r of family) found.push(...verdictContradictions(r));
    }
    expect(found).toEqual([]);
  });
});

describe("issue 14 edge cases", () => {
  it("0/1000 vs 5/1000 uses Fisher's exact test (scipy fisher_exact: p = 0.0621875785163488)", () => {
    const r = analyzeMetric({
      isProportion: true,
      variations: [
        { key: "a", n: 1000, conversions: 0 },
        { key: "b", n: 1000, conversions: 5 },
      ],
    });
    const c = r.variations[1]!.comparison!;
    expect(c.test).toBe("fisher-exact");
    expect(c.thin).toBe(true);
    expect(c.pValue).toBeCloseTo(0.0621875785163488, 12);
    expect(c.significant).toBe(false);
    expect(c.reason).toMatch(/too thin/);
    expect(c.relative).toBeNull();
    expect(excludes0(c.absolute!.ci)).toBe(false);
  });

  it("a chi-square over one unit per arm carries a warning, and the comparison is exact", () => {
    const r = analyzeMetric({
      isProportion: true,
      variations: [
        { key: "a", n: 1, conversions: 0 },
        { key: "b", n: 1, conversions: 1 },
      ],
    });
    expect(r.warnings.join()).toMatch(/below 5/);
    expect(r.variations[1]!.comparison!.test).toBe("fisher-exact");
    expect(r.variations[1]!.comparison!.pValue).toBe(1);
    expect(badNumbers(r)).toEqual([]);
  });

  it("a near-zero control mean: no lift, a reason, and P(beat) = P(best) with two arms", () => {
    // n = 500 with sum 5e-7 (one unit carries it) against a normal arm.
    const metric: MetricInput = {
      variations: [
        { key: "a", n: 500, sum: 5e-7, sumSquares: 2.5e-13 },
        { key: "b", n: 500, sum: 500, sumSquares: 1000 },
      ],
    };
    for (const engine of ["frequentist", "bayesian"] as const) {
      const r = analyzeMetric(metric, { engine });
      const c = r.variations[1]!.comparison!;
      expect(c.improvementRate).toBeNull();
      expect(c.relative).toBeNull();
      expect(c.reason).toMatch(/not distinguishable from 0/);
      expect(c.bayesian!.chanceToBeat).toBe(r.variations[1]!.pBest);
      expect(badNumbers(r)).toEqual([]);
    }
  });

  it("two conversion arms: P(beat control) and P(best) are one number", () => {
    const r = analyzeMetric({
      isProportion: true,
      variations: [
        { key: "a", n: 3000, conversions: 300 },
        { key: "b", n: 3000, conversions: 335 },
      ],
    });
    expect(r.variations[1]!.comparison!.bayesian!.chanceToBeat).toBe(r.variations[1]!.pBest);
    expect(r.variations[0]!.pBest! + r.variations[1]!.pBest!).toBeCloseTo(1, 14);
  });

  it("CUPED: impossible cross sums and a useless covariate are not applied, with the reason", () => {
    const arm = (key: string, crossSum: number) => ({
      key,
      n: 100,
      sum: 100,
      sumSquares: 200, // var ~ 1.01
      preSum: 100,
      preSumSquares: 200,
      crossSum, // cov = (crossSum - 100) / 99; |corr| <= 1 needs crossSum in [1, 199]
    });
    const impossible = analyzeMetric({ variations: [arm("a", 2600), arm("b", 2600)] }, { cuped: true });
    expect(impossible.cuped).toBeNull();
    expect(impossible.cupedReason).toMatch(/correlation above 1/);
    expect(impossible.variations[1]!.comparison!.cuped).toBeNull();
    // Opposite within-arm correlations: pooled theta ~ 0 helps neither arm; the one that would widen an
    // interval is dropped.
    const useless = analyzeMetric({ variations: [arm("a", 180), arm("b", 20)] }, { cuped: true });
    expect(useless.cuped).toBeNull();
    expect(useless.cupedReason).toMatch(/widen|no correlation/);
    const none = analyzeMetric(
      { variations: [{ key: "a", n: 10, sum: 5, sumSquares: 9 }, arm("b", 150)] },
      { cuped: true },
    );
    expect(none.cupedReason).toMatch(/missing for a/);
  });

  it("CUPED on a conversion goal with the Bayesian engine: every output uses the adjusted estimate", () => {
    // Pre-period conversions strongly predict the metric: CUPED shrinks the variance a lot.
    const arm = (key: string, conv: number, pre: number, both: number) => ({
      key,
      n: 1000,
      conversions: conv,
      preSum: pre,
      preSumSquares: pre,
      crossSum: both,
    });
    const metric: MetricInput = {
      isProportion: true,
      variations: [arm("a", 100, 100, 90), arm("b", 112, 90, 85)],
    };
    const r = analyzeMetric(metric, { engine: "bayesian", cuped: true });
    const c = r.variations[1]!.comparison!;
    expect(r.cuped).not.toBeNull();
    expect(c.bayesian!.model).toBe("normal");
    // The chance to beat is read from the adjusted effect: Phi(estimate / se) of the CUPED z.
    const z = c.absolute!.estimate / c.absolute!.se;
    const phi = 0.5 * (1 + erf(z / Math.SQRT2));
    expect(c.bayesian!.chanceToBeat).toBeCloseTo(phi, 9);
    expect(c.reliability).toBeCloseTo(100 * phi, 7);
    expect(r.variations[1]!.pBest).toBe(c.bayesian!.chanceToBeat);
  });

  it("identical arms, zero variance, negative values, n = 1: defined values with reasons", () => {
    const cases: MetricInput[] = [
      {
        variations: [
          { key: "a", n: 50, sum: 100, sumSquares: 300 },
          { key: "b", n: 50, sum: 100, sumSquares: 300 },
        ],
      },
      {
        variations: [
          { key: "a", n: 50, sum: 100, sumSquares: 200 },
          { key: "b", n: 50, sum: 150, sumSquares: 450 },
        ],
      },
      {
        variations: [
          { key: "a", n: 50, sum: -100, sumSquares: 300 },
          { key: "b", n: 50, sum: -80, sumSquares: 250 },
        ],
      },
      {
        variations: [
          { key: "a", n: 1, sum: 3, sumSquares: 9 },
          { key: "b", n: 1, sum: 4, sumSquares: 16 },
        ],
      },
      {
        isProportion: true,
        variations: [
          { key: "a", n: 0, conversions: 0 },
          { key: "b", n: 1, conversions: 1 },
        ],
      },
    ];
    const identical = analyzeMetric(cases[0]!).variations[1]!.comparison!;
    expect(identical.pValue).toBe(1);
    expect(identical.significant).toBe(false);
    // Negative means: the lift is (mB - mA) / |mA| and its interval holds the estimate.
    const negative = analyzeMetric(cases[2]!).variations[1]!.comparison!;
    expect(negative.improvementRate).toBeCloseTo(20, 10);
    expect(negative.relative!.ci[0]).toBeLessThan(0.2);
    expect(negative.relative!.ci[1]).toBeGreaterThan(0.2);
    for (const m of cases)
      for (const o of [{}, { engine: "bayesian" as const, sequential: true }]) {
        const r = analyzeMetric(m, o);
        expect(badNumbers(r)).toEqual([]);
        for (const v of r.variations.slice(1))
          if (v.comparison!.pValue === null) expect(v.comparison!.reason).toBeTruthy();
      }
    expect(analyzeMetric(cases[1]!).variations[1]!.comparison!.reason).toMatch(/no variance/);
  });

  it("public functions answer a defined value or throw StatsInputError", () => {
    const throwsTyped = (f: () => unknown) => expect(f).toThrow(StatsInputError);
    throwsTyped(() => twoProportionZTest({ n: 0, conversions: 0 }, { n: 10, conversions: 1 }));
    throwsTyped(() => twoProportionZTest({ n: 10, conversions: 0 }, { n: 10, conversions: 0 }));
    throwsTyped(() => msprt(0.1, 0, 1));
    throwsTyped(() => confidenceSequence(0.1, 0, 100));
    throwsTyped(() => sampleSizeProportions(0.1, 0.1));
    throwsTyped(() => sampleSizeMeans(1, 0));
    throwsTyped(() => summarize({ n: 0, sum: 0, sumSquares: 0 }));
    throwsTyped(() => summarize({ n: 1, sum: 2, sumSquares: 4 }));
    throwsTyped(() => welchTTest({ n: 10, mean: 1, variance: 0 }, { n: 10, mean: 1, variance: 0 }));
    // Arms with weight 0 are skipped: expected 0, never NaN.
    const srm = sampleRatioMismatch([100, 90, 7], [50, 50, 0]);
    expect(srm.expected).toEqual([95, 95, 0]);
    expect(badNumbers(srm)).toEqual([]);
  });

  it("a rollback condition below its minimum visitors is not evaluated and has no value", () => {
    const r = evaluateRollbackCondition(
      { kpi: "UPLIFT", operator: "LESS_THAN", thresholdPct: -5, minVisitors: 1000 },
      { n: 100, conversions: 10 },
      { n: 100, conversions: 2 },
    );
    expect(r).toEqual({ evaluated: false, triggered: false, value: null });
    const met = evaluateRollbackCondition(
      { kpi: "UPLIFT", operator: "LESS_THAN", thresholdPct: -5, minVisitors: 100 },
      { n: 100, conversions: 10 },
      { n: 100, conversions: 2 },
    );
    expect(met.evaluated).toBe(true);
    expect(met.value).toBeCloseTo(-80, 10);
  });

  it("1e9 and 1e12 units: defined values, P(best) summing to 1", () => {
    for (const n of [1e9, 1e12]) {
      const r = analyzeMetric({
        isProportion: true,
        variations: [
          { key: "a", n, conversions: Math.round(0.05 * n) },
          { key: "b", n, conversions: Math.round(0.05 * n + 2 * Math.sqrt(0.05 * n)) },
          { key: "c", n, conversions: Math.round(0.05 * n - Math.sqrt(0.05 * n)) },
        ],
      });
      expect(badNumbers(r)).toEqual([]);
      expect(r.variations.reduce((s, v) => s + v.pBest!, 0)).toBeCloseTo(1, 10);
    }
  });
});

// Abramowitz-Stegun 7.1.26 is too coarse; erf by its Taylor series (|x| < 3 here) to 1e-15.
function erf(x: number): number {
  let sum = x;
  let term = x;
  for (let k = 1; k < 200; k++) {
    term *= (-x * x) / k;
    sum += term / (2 * k + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
