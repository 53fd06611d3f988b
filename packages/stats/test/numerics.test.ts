// Cross-checks of the package's numerical methods against independent ones (a second algorithm, Monte
// Carlo with its stated error, or values from scipy).
import { describe, expect, it } from "vitest";
import {
  alwaysValidPValues,
  applyFloor,
  betaRelativeDifferenceQuantiles,
  chiSquareSf,
  confidenceSequence,
  eppoMultiplier,
  logitNormal,
  msprt,
  noncentralTCdf,
  noncentralTSf,
  normalCdf,
  probabilityBetaGreater,
  probabilityToBeBestBeta,
  probabilityToBeBestMonteCarlo,
  probabilityToBeBestNormal,
  thompsonWeights,
  tSf,
} from "../src/index.js";
import { findRoot, integrate } from "../src/numerics.js";

describe("distributions", () => {
  it("noncentral t matches scipy.stats.nct", () => {
    expect(noncentralTSf(2, 10, 1)).toBeCloseTo(0.19238843746962478, 12);
    expect(noncentralTCdf(-1.5, 25, 0.7)).toBeCloseTo(0.016228215578603565, 12);
    expect(noncentralTSf(1.96, 3138, 2.8)).toBeCloseTo(0.7995175351658831, 12);
    expect(noncentralTCdf(3, 7.5, 2.2)).toBeCloseTo(0.7092710445719164, 12);
  });
  it("keeps upper tails accurate", () => {
    expect(chiSquareSf(30, 3) / 1.3800570312932553e-6).toBeCloseTo(1, 10);
    expect(tSf(40, 5) / 9.205981085886477e-8).toBeCloseTo(1, 9);
  });
});

describe("numerics", () => {
  it("integrates and finds roots", () => {
    expect(integrate((x) => Math.exp(-x * x), -10, 10)).toBeCloseTo(Math.sqrt(Math.PI), 13);
    expect(findRoot((x) => x * x - 2, 0, 2)).toBeCloseTo(Math.SQRT2, 12);
  });
});

describe("P(B > A) for Beta posteriors", () => {
  it("the closed-form sum and the quadrature agree to 1e-9 for counts in the millions", () => {
    const pairs = [
      [
        { alpha: 1_000_001, beta: 9_000_001 },
        { alpha: 1_001_501, beta: 8_998_501 },
      ],
      [
        { alpha: 4_000_001, beta: 16_000_001 },
        { alpha: 4_002_001, beta: 15_998_001 },
      ],
      [
        { alpha: 121, beta: 881 },
        { alpha: 101, beta: 901 },
      ],
    ] as const;
    for (const [a, b] of pairs) {
      const sum = probabilityBetaGreater(b, a, "sum");
      const quad = probabilityBetaGreater(b, a, "integral");
      expect(sum.method).toBe("sum");
      expect(Math.abs(sum.greater - quad.greater)).toBeLessThan(1e-9);
      expect(Math.abs(sum.greater + sum.less - 1)).toBeLessThan(1e-12);
    }
  });
  it("keeps tiny probabilities (no 1 - p cancellation)", () => {
    const r = probabilityBetaGreater({ alpha: 1001, beta: 9001 }, { alpha: 1401, beta: 8601 });
    expect(r.greater).toBeGreaterThan(0);
    expect(r.greater).toBeLessThan(1e-12);
    const q = probabilityBetaGreater({ alpha: 1001, beta: 9001 }, { alpha: 1401, beta: 8601 }, "integral");
    // 40-digit mpmath quadrature; the quadrature form is only accurate in absolute terms here.
    expect(r.greater / 1.39151268513354e-18).toBeCloseTo(1, 8);
    expect(Math.abs(q.greater - r.greater)).toBeLessThan(1e-15);
  });
  it("stays exact at 1e9 and 1e12 units per arm (Edgeworth on the logit scale); P(best) sums to 1", () => {
    // Reference: Evan Miller's closed-form sum ("sum"), exact for integer parameters; the quadrature
    // lost 7e-5 here (rate 0.3 at 1e9).
    const cases = [
      [1e9, 0.01],
      [1e9, 0.3],
      [1e12, 1e-5],
    ] as const;
    for (const [n, rate] of cases) {
      const ca = Math.round(rate * n);
      const cb = Math.round(ca + 1.3 * Math.sqrt(ca));
      const a = { alpha: 1 + ca, beta: 1 + n - ca };
      const b = { alpha: 1 + cb, beta: 1 + n - cb };
      const auto = probabilityBetaGreater(b, a);
      expect(auto.method).toBe("edgeworth");
      expect(Math.abs(auto.greater - probabilityBetaGreater(b, a, "sum").greater)).toBeLessThan(1e-10);
      expect(auto.greater + auto.less).toBeCloseTo(1, 14);
      const best = probabilityToBeBestBeta([a, b]);
      expect(Math.abs(best.pBest[1]! - auto.greater)).toBeLessThan(1e-9);
      const three = probabilityToBeBestBeta([a, b, { alpha: a.alpha + 7, beta: a.beta - 7 }]);
      expect(three.pBest.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 10);
    }
    // 1e12 units at 1 %: beyond the closed-form sum's budget; the expansion's two tails still add to 1
    // and it agrees with the first-order normal on the logit scale to its skewness term (~1e-6).
    const a = { alpha: 1e10 + 1, beta: 1e12 - 1e10 + 1 };
    const b = { alpha: 1e10 + 1e5 + 1, beta: 1e12 - 1e10 - 1e5 + 1 };
    const p = probabilityBetaGreater(b, a);
    expect(p.greater + p.less).toBeCloseTo(1, 14);
    const ln = logitNormal(b, a);
    const sd0 = logitNormal(a, a).sd;
    expect(Math.abs(p.greater - normalCdf(ln.mean / Math.hypot(ln.sd, sd0)))).toBeLessThan(1e-5);
    expect(probabilityToBeBestBeta([a, b]).pBest[1]).toBeCloseTo(p.greater, 8);
  });
  it("handles non-integer posteriors (Jeffreys prior) by quadrature", () => {
    const r = probabilityBetaGreater({ alpha: 2.5, beta: 48.5 }, { alpha: 0.5, beta: 50.5 });
    expect(r.method).toBe("integral");
    // 40-digit mpmath quadrature.
    expect(r.greater).toBeCloseTo(0.926540525963273, 13);
  });
});

describe("relative difference of Beta posteriors", () => {
  it("matches 40-digit quadrature for small counts", () => {
    const q = betaRelativeDifferenceQuantiles(
      { alpha: 0.5, beta: 50.5 },
      { alpha: 2.5, beta: 48.5 },
      [0.025, 0.5, 0.975],
    );
    expect(q[0]).toBeCloseTo(-0.485154964976595, 12);
    expect(q[1]).toBeCloseTo(8.42795501079156, 11);
    expect(q[2]! / 4562.88735156125).toBeCloseTo(1, 11);
  });
  it("is close to the log-normal approximation for large counts", () => {
    const a = { alpha: 50_001, beta: 450_001 };
    const b = { alpha: 50_601, beta: 449_401 };
    const [lo, med, hi] = betaRelativeDifferenceQuantiles(a, b, [0.025, 0.5, 0.975]) as [
      number,
      number,
      number,
    ];
    // Log-normal approximation is close for such counts; the exact values sit within 1e-4 of it.
    const mu = Math.log((50_601 / 500_002) * (500_002 / 50_001));
    const sd = Math.sqrt(450_001 / (50_001 * 500_003) + 449_401 / (50_601 * 500_003));
    expect(med).toBeCloseTo(Math.expm1(mu), 4);
    expect(lo).toBeCloseTo(Math.expm1(mu - 1.959964 * sd), 4);
    expect(hi).toBeCloseTo(Math.expm1(mu + 1.959964 * sd), 4);
  });
});

describe("probability to be best", () => {
  it("integrated Beta P(best) agrees with seeded Monte Carlo within its stated error", () => {
    const arms = [
      { alpha: 101, beta: 901 },
      { alpha: 121, beta: 881 },
      { alpha: 111, beta: 891 },
      { alpha: 3, beta: 30 },
    ];
    const exact = probabilityToBeBestBeta(arms, { second: true });
    const mc = probabilityToBeBestMonteCarlo(
      arms.map((d) => ({ kind: "beta" as const, ...d })),
      { draws: 200_000, seed: 7 },
    );
    expect(mc.standardError).toBeLessThan(0.0012);
    exact.pBest.forEach((p, i) => {
      expect(Math.abs(p - mc.pBest[i]!)).toBeLessThan(5 * mc.standardError!);
    });
    exact.pSecond!.forEach((p, i) => {
      expect(Math.abs(p - mc.pSecond![i]!)).toBeLessThan(5 * mc.standardError!);
    });
    expect(exact.pBest.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 10);
    expect(exact.pSecond!.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 10);
  });
  it("integrated normal P(best) agrees with Monte Carlo, including very unequal widths", () => {
    const arms = [
      { mean: 10, sd: 0.2 },
      { mean: 10.3, sd: 0.25 },
      { mean: 10.1, sd: 2 },
    ];
    const exact = probabilityToBeBestNormal(arms, { second: true });
    const mc = probabilityToBeBestMonteCarlo(
      arms.map((d) => ({ kind: "normal" as const, ...d })),
      { draws: 200_000, seed: 11 },
    );
    exact.pBest.forEach((p, i) => {
      expect(Math.abs(p - mc.pBest[i]!)).toBeLessThan(5 * mc.standardError!);
    });
    expect(exact.pSecond!.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 9);
  });
  it("two normal arms: P(best) is Phi(diff / sd), on the trapezoid and the adaptive path", () => {
    for (const [a, b] of [
      [
        { mean: 1, sd: 0.3 },
        { mean: 1.2, sd: 0.4 },
      ],
      [
        { mean: 1, sd: 1e-4 },
        { mean: 1.5, sd: 10 },
      ],
    ] as const) {
      const p = probabilityToBeBestNormal([a, b]).pBest;
      const exact = normalCdf((b.mean - a.mean) / Math.hypot(a.sd, b.sd));
      expect(p[1]).toBeCloseTo(exact, 11);
      expect(p[0]! + p[1]!).toBeCloseTo(1, 11);
    }
  });
  it("two arms: P(best) is P(B > A)", () => {
    const a = { alpha: 1001, beta: 9001 };
    const b = { alpha: 1051, beta: 8951 };
    const best = probabilityToBeBestBeta([a, b]).pBest;
    expect(best[1]).toBeCloseTo(probabilityBetaGreater(b, a).greater, 11);
  });
});

describe("bandit helpers", () => {
  it("floors keep every arm at least f and sum to 1", () => {
    const w = applyFloor([0.98, 0.02, 0], 0.05);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(0.05);
    expect(w.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
    const t = thompsonWeights(
      [
        { kind: "normal", mean: 1, sd: 0.1 },
        { kind: "normal", mean: 1.2, sd: 0.1 },
      ],
      { floor: 0.1 },
    );
    expect(t[0]).toBeGreaterThanOrEqual(0.1);
  });
});

describe("sequential", () => {
  it("confidence sequence equals Eppo's form and mSPRT with tau2 = rho^2 N se^2", () => {
    const cs = confidenceSequence(0.02, 0.008, 20000, { tuningN: 5000 });
    expect(cs.halfwidth / 0.008).toBeCloseTo(eppoMultiplier(20000, 0.05, 5000), 12);
    const rho2 = (-2 * Math.log(0.05) + Math.log(-2 * Math.log(0.05) + 1)) / 5000;
    const m = msprt(0.02, 0.008, rho2 * 20000 * 0.008 * 0.008);
    expect(m.halfwidth).toBeCloseTo(cs.halfwidth, 12);
    expect(m.pValue).toBeCloseTo(cs.pValue, 12);
  });
  it("always-valid p-values never increase", () => {
    expect(alwaysValidPValues([1, 0.5, 0.7, 0.2, 0.3])).toEqual([1, 0.5, 0.5, 0.2, 0.2]);
  });
});
