import { describe, expect, it } from "vitest";
import {
  analyzeExperiment,
  analyzeMetric,
  betaBinomialComparison,
  cupedComparison,
  type MetricAnalysis,
  type MetricInput,
} from "../src/index.js";

// Every number in a result must be a real number; infinities only as interval bounds (arrays).
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

const conversions: MetricInput = {
  key: "signup",
  isProportion: true,
  variations: [
    { key: "control", n: 2000, conversions: 200, weight: 1 },
    { key: "b", n: 2000, conversions: 250, weight: 1 },
    { key: "c", n: 2100, conversions: 215, weight: 1 },
  ],
};

const revenue: MetricInput = {
  key: "revenue",
  variations: [
    { key: "control", n: 3407, sum: 1396.87, sumSquares: 52377.9767 },
    { key: "b", n: 3461, sum: 2422.7, sumSquares: 134698.29 },
  ],
};

describe("analyzeMetric", () => {
  it("reports the frequentist, Bayesian and Kameleoon numbers of a conversion metric", () => {
    const r = analyzeMetric(conversions, { reference: "control" });
    expect(badNumbers(r)).toEqual([]);
    expect(r.reference).toBe("control");
    const b = r.variations[1]!;
    expect(b.conversionRate).toBeCloseTo(0.125, 12);
    const c = b.comparison!;
    // One test behind both effects: the pooled score test (= prop.test without continuity correction,
    // scipy chi2_contingency(correction=False): p = 0.012350947711191402), Miettinen-Nurminen score
    // intervals of the difference and of the ratio (scipy: restricted likelihood maximised numerically,
    // bounds by brentq).
    expect(c.test).toBe("pooled-z");
    expect(c.absolute!.pValue).toBeCloseTo(0.012350947711191402, 12);
    expect(c.relative!.pValue).toBe(c.absolute!.pValue);
    expect(c.absolute!.ci[0]).toBeCloseTo(0.005432125806082183, 9);
    expect(c.absolute!.ci[1]).toBeCloseTo(0.04466291660649731, 9);
    expect(c.relative!.ci[0]).toBeCloseTo(0.04935172950709843, 9);
    expect(c.relative!.ci[1]).toBeCloseTo(0.4893683713766337, 9);
    expect(c.improvementRate).toBeCloseTo(25, 10);
    expect(c.reliability).toBeCloseTo(100 * (1 - c.absolute!.pValue), 10);
    expect(c.zTest!.pValue).toBeCloseTo(0.01235094771, 9);
    const bayes = betaBinomialComparison({ n: 2000, conversions: 200 }, { n: 2000, conversions: 250 });
    expect(c.bayesian!.chanceToBeat).toBeCloseTo(bayes.probTreatmentBeats, 12);
    expect(b.relativeDifferences).toHaveLength(1);
    expect(b.relativeDifferences[0]!.fromVariation).toBe("control");
    expect(b.relativeDifferences[0]!.lower).toBeCloseTo(bayes.relativeDifference.ci[0], 11);
    expect(b.relativeDifferences[0]!.upper).toBeCloseTo(bayes.relativeDifference.ci[1], 11);
    const pBest = r.variations.map((v) => v.pBest!);
    expect(pBest.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 10);
    expect(r.chiSquare!.df).toBe(2);
    expect(r.srm!.flagged).toBe(false);
    expect(r.winner).toBe("b");
  });

  it("switches reliability to the chance to beat with the Bayesian engine", () => {
    const r = analyzeMetric(conversions, { engine: "bayesian" });
    const c = r.variations[1]!.comparison!;
    expect(c.reliability).toBeCloseTo(100 * c.bayesian!.chanceToBeat, 12);
  });

  it("applies CUPED with theta pooled over the arms and reports the variance reduction", () => {
    const metric: MetricInput = {
      variations: [
        {
          key: "a",
          n: 20,
          sum: 633.69,
          sumSquares: 21722.3635,
          preSum: 597.7,
          preSumSquares: 19582.3084,
          crossSum: 20522.8949,
        },
        {
          key: "b",
          n: 20,
          sum: 674.43,
          sumSquares: 25831.7147,
          preSum: 579.11,
          preSumSquares: 20416.3861,
          crossSum: 22786.7573,
        },
      ],
    };
    const r = analyzeMetric(metric, { cuped: true });
    const c = r.variations[1]!.comparison!;
    expect(c.cuped!.varianceReduction).toBeCloseTo(0.9232504518, 9);
    expect(c.absolute!.estimate).toBeCloseTo(2.871034582, 8);
    const direct = cupedComparison(
      {
        n: 20,
        sum: 633.69,
        sumSquares: 21722.3635,
        preSum: 597.7,
        preSumSquares: 19582.3084,
        crossSum: 20522.8949,
      },
      {
        n: 20,
        sum: 674.43,
        sumSquares: 25831.7147,
        preSum: 579.11,
        preSumSquares: 20416.3861,
        crossSum: 22786.7573,
      },
    );
    expect(c.absolute!.se).toBeCloseTo(direct.absolute.se, 14);
    expect(c.absolute!.pValue).toBeCloseTo(direct.absolute.pValue, 14);
    expect(c.test).toBe("cuped-z");
    // Without covariates CUPED is skipped with a warning.
    const plain = analyzeMetric(revenue, { cuped: true });
    expect(plain.cuped).toBeNull();
    expect(plain.warnings.join()).toMatch(/CUPED not applied/);
  });

  it("uses always-valid intervals and p-values when sequential", () => {
    const fixed = analyzeMetric(revenue).variations[1]!.comparison!;
    const seq = analyzeMetric(revenue, { sequential: true }).variations[1]!.comparison!;
    expect(seq.sequential!.n).toBe(3407 + 3461);
    expect(seq.relative!.pValue).toBeGreaterThanOrEqual(fixed.relative!.pValue);
    const width = (i: [number, number]) => i[1] - i[0];
    expect(width(seq.relative!.ci)).toBeGreaterThan(width(fixed.relative!.ci));
    expect(seq.relative!.fixedHorizon!.pValue).toBeCloseTo(fixed.relative!.pValue, 14);
    const m = analyzeMetric(revenue, { sequential: { method: "msprt" } }).variations[1]!.comparison!;
    expect(m.sequential!.method).toBe("msprt");
    expect(badNumbers(m)).toEqual([]);
  });

  it("widens intervals to match the correction (Bonferroni exactly at alpha/m)", () => {
    const r = analyzeMetric(conversions, { correction: "bonferroni" });
    const b = r.variations[1]!.comparison!.absolute!;
    expect(b.pValueAdjusted).toBeCloseTo(Math.min(1, 2 * b.pValue), 14);
    // The score interval at alpha / 2 (scipy, as above, at alpha = 0.025).
    expect(b.ciAdjusted![0]).toBeCloseTo(0.0026135665010062273, 9);
    expect(b.ciAdjusted![1]).toBeCloseTo(0.04751009560646367, 9);
    const holm = analyzeMetric(conversions, { correction: "holm" });
    for (const v of holm.variations.slice(1)) {
      const e = v.comparison!.relative!;
      // Excludes 0 exactly when the adjusted p-value is below alpha.
      expect(e.ciAdjusted![0] > 0 || e.ciAdjusted![1] < 0).toBe(e.pValueAdjusted! < 0.05);
    }
  });

  it("corrects across metrics x variations in analyzeExperiment", () => {
    const rs = analyzeExperiment([conversions, revenue], { correction: "bh" });
    const ps = rs.flatMap((r) => r.variations.flatMap((v) => (v.comparison ? [v.comparison] : [])));
    expect(ps).toHaveLength(3);
    for (const c of ps) expect(c.pValueAdjusted!).toBeGreaterThanOrEqual(c.pValue!);
    expect(rs.every((r) => r.correction === "bh")).toBe(true);
  });

  it("flags a sample ratio mismatch against the configured weights", () => {
    const r = analyzeMetric(
      {
        isProportion: true,
        variations: [
          { key: "a", n: 1000, conversions: 10 },
          { key: "b", n: 1200, conversions: 12 },
        ],
      },
      { weights: { a: 50, b: 50 } },
    );
    expect(r.srm!.pValue).toBeCloseTo(2.007865612e-5, 12);
    expect(r.srm!.flagged).toBe(true);
    expect(r.warnings.join()).toMatch(/sample ratio mismatch/);
  });

  it("respects lowerIsBetter", () => {
    const r = analyzeMetric({ ...conversions, lowerIsBetter: true });
    const up = analyzeMetric(conversions);
    const c = r.variations[1]!.comparison!.bayesian!;
    const u = up.variations[1]!.comparison!.bayesian!;
    expect(c.chanceToBeat).toBeCloseTo(1 - u.chanceToBeat, 12);
    expect(c.expectedLoss.chooseVariation).toBeCloseTo(u.expectedLoss.keepReference, 14);
    expect(r.variations[0]!.pBest!).toBeGreaterThan(0.5);
    expect(r.winner).toBeNull();
  });
});

describe("analyzeMetric on degenerate input", () => {
  const cases: [string, MetricInput, (r: MetricAnalysis) => void][] = [
    [
      "zero units",
      {
        isProportion: true,
        variations: [
          { key: "a", n: 100, conversions: 10 },
          { key: "b", n: 0, conversions: 0 },
        ],
      },
      (r) => {
        expect(r.variations[1]!.reason).toBe("no units");
        expect(r.variations[1]!.comparison!.reason).toBe("no units");
        expect(r.variations[0]!.pBest).toBe(1);
      },
    ],
    [
      "zero variance",
      {
        variations: [
          { key: "a", n: 10, sum: 50, sumSquares: 250 },
          { key: "b", n: 10, sum: 50, sumSquares: 250 },
        ],
      },
      (r) => {
        const c = r.variations[1]!.comparison!;
        expect(c.reason).toMatch(/no variance/);
        expect(c.pValue).toBeNull();
      },
    ],
    [
      "no conversions anywhere",
      {
        isProportion: true,
        variations: [
          { key: "a", n: 500, conversions: 0 },
          { key: "b", n: 500, conversions: 0 },
        ],
      },
      (r) => {
        const c = r.variations[1]!.comparison!;
        expect(c.reason).toMatch(/no conversions in any arm/);
        expect(c.pValue).toBe(1);
        expect(c.significant).toBe(false);
        // The Beta posteriors still say something.
        expect(c.bayesian!.chanceToBeat).toBeCloseTo(0.5, 12);
        expect(r.chiSquare).toBeNull();
      },
    ],
    [
      "zero baseline",
      {
        variations: [
          { key: "a", n: 10, sum: 0, sumSquares: 10 },
          { key: "b", n: 10, sum: 5, sumSquares: 12 },
        ],
      },
      (r) => {
        const c = r.variations[1]!.comparison!;
        expect(c.relative).toBeNull();
        expect(c.improvementRate).toBeNull();
        expect(c.reason).toMatch(/reference mean is 0/);
        expect(c.absolute!.estimate).toBeCloseTo(0.5, 14);
      },
    ],
    [
      "a single arm",
      { isProportion: true, variations: [{ key: "a", n: 100, conversions: 3 }] },
      (r) => {
        expect(r.warnings.join()).toMatch(/only one variation/);
        expect(r.variations[0]!.pBest).toBe(1);
        expect(r.variations[0]!.comparison).toBeNull();
      },
    ],
    [
      "NaN and impossible counts",
      {
        isProportion: true,
        variations: [
          { key: "a", n: 100, conversions: 5 },
          { key: "b", n: Number.NaN, conversions: 5 },
          { key: "c", n: 10, conversions: 12 },
        ],
      },
      (r) => {
        expect(r.variations[1]!.reason).toMatch(/invalid unit count/);
        expect(r.variations[2]!.reason).toMatch(/more conversions/);
        expect(r.warnings).toHaveLength(2);
      },
    ],
    [
      "inconsistent sums and a missing sumSquares",
      {
        variations: [
          { key: "a", n: 10, sum: 100, sumSquares: 50 },
          { key: "b", n: 10, sum: 100 },
          { key: "c", n: 1, sum: 3, sumSquares: 9 },
        ],
      },
      (r) => {
        expect(r.variations[0]!.reason).toMatch(/inconsistent statistics/);
        expect(r.variations[1]!.reason).toMatch(/sum and sumSquares \(or m2\) are required/);
        expect(r.variations[2]!.reason).toMatch(/fewer than 2 units/);
        expect(r.variations[2]!.comparison!.reason).toMatch(/reference variation a/);
      },
    ],
    [
      "a missing reference and a bad alpha",
      {
        variations: [
          { key: "a", n: 10, sum: 10, sumSquares: 20 },
          { key: "b", n: 10, sum: 12, sumSquares: 25 },
        ],
      },
      (r) => {
        expect(r.reference).toBe("a");
        expect(r.alpha).toBe(0.05);
        expect(r.warnings.join()).toMatch(/not found/);
      },
    ],
    [
      "every unit converting",
      {
        isProportion: true,
        variations: [
          { key: "a", n: 50, conversions: 50 },
          { key: "b", n: 50, conversions: 50 },
        ],
      },
      (r) => {
        expect(r.variations[1]!.comparison!.reason).toMatch(/every unit converted/);
        expect(r.variations[1]!.comparison!.pValue).toBe(1);
      },
    ],
    [
      "no variations",
      { variations: [] },
      (r) => {
        expect(r.warnings).toContain("no variations");
      },
    ],
  ];
  it.each(cases)("%s: a reason, never NaN or a throw", (_name, metric, check) => {
    const options = _name.startsWith("a missing") ? { reference: "zz", alpha: 2 } : {};
    const r = analyzeMetric(metric, { ...options, sequential: true, correction: "holm" });
    expect(badNumbers(r)).toEqual([]);
    check(r);
    const bayes = analyzeMetric(metric, {
      ...options,
      engine: "bayesian",
      cuped: true,
      pBestMethod: "monte-carlo",
    });
    expect(badNumbers(bayes)).toEqual([]);
  });
});
