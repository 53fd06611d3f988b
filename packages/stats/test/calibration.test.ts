// Calibration on simulated experiments with fixed seeds. Sufficient statistics are drawn directly (a
// mean from N(mu, s^2/n), a scatter from chi-square/Wishart, conversions from a binomial) instead of
// looping over users, so thousands of experiments take seconds.
import randomChisquare from "@stdlib/random-base-chisquare";
import randomNormal from "@stdlib/random-base-normal";
import { describe, expect, it } from "vitest";
import {
  analyzeMetric,
  type Calibration,
  fixedCalibration,
  type MetricInput,
  meanEffects,
  proportionEffects,
  sequentialCalibration,
  summarize,
  thompsonWeights,
  topTwoThompsonWeights,
  type VariationInput,
  welchDf,
} from "../src/index.js";
import { samplers } from "./sampling.js";

// Exact binomial draws (see sampling.ts: the stdlib binomial sampler is biased for n p ~ 10-30).
const binomial = samplers(20240101).binomial;
const normal = randomNormal.factory({ seed: 20240102 });
const chisq = randomChisquare.factory({ seed: 20240103 });

// Sum and sum of squares of n draws from N(mu, sigma^2).
function normalSums(n: number, mu: number, sigma: number): { sum: number; sumSquares: number } {
  const mean = normal(mu, sigma / Math.sqrt(n));
  const ss = sigma * sigma * chisq(n - 1);
  return { sum: n * mean, sumSquares: ss + n * mean * mean };
}

// Sufficient statistics of n draws of (X, Y) with X ~ N(mx, sx^2) and Y = beta X + N(my - beta mx, se^2):
// mean vector ~ N(mu, Sigma/n), scatter ~ Wishart(n - 1, Sigma) by Bartlett's decomposition.
function cupedSums(n: number, mx: number, sx: number, beta: number, my: number, se: number): VariationInput {
  const sxx = sx * sx;
  const sxy = beta * sxx;
  const syy = beta * beta * sxx + se * se;
  const l11 = Math.sqrt(sxx);
  const l21 = sxy / l11;
  const l22 = Math.sqrt(syy - l21 * l21);
  const z1 = normal(0, 1);
  const z2 = normal(0, 1);
  const xbar = mx + (l11 * z1) / Math.sqrt(n);
  const ybar = my + (l21 * z1 + l22 * z2) / Math.sqrt(n);
  const t11 = Math.sqrt(chisq(n - 1));
  const t22 = Math.sqrt(chisq(n - 2));
  const t21 = normal(0, 1);
  // S = L T T' L' with T lower triangular.
  const a11 = t11 * t11;
  const a21 = t21 * t11;
  const a22 = t21 * t21 + t22 * t22;
  const Sxx = l11 * l11 * a11;
  const Sxy = l11 * (l21 * a11 + l22 * a21);
  const Syy = l21 * l21 * a11 + 2 * l21 * l22 * a21 + l22 * l22 * a22;
  return {
    key: "",
    n,
    sum: n * ybar,
    sumSquares: Syy + n * ybar * ybar,
    preSum: n * xbar,
    preSumSquares: Sxx + n * xbar * xbar,
    crossSum: Sxy + n * xbar * ybar,
  };
}

const numericMetric = (n: number, muA: number, muB: number, sigma: number): MetricInput => ({
  variations: [
    { key: "a", n, ...normalSums(n, muA, sigma) },
    { key: "b", n, ...normalSums(n, muB, sigma) },
  ],
});
const conversionMetric = (n: number, pA: number, pB: number): MetricInput => ({
  isProportion: true,
  variations: [
    { key: "a", n, conversions: binomial(n, pA) },
    { key: "b", n, conversions: binomial(n, pB) },
  ],
});

describe("calibration (seeded simulations)", () => {
  it("2,000 A/A experiments: fixed-horizon false-positive rate within 5 % +- 1.5 %", () => {
    const runs = 2000;
    let headline = 0;
    let absolute = 0;
    let bayes = 0;
    for (let i = 0; i < runs; i++) {
      const metric = i % 2 === 0 ? numericMetric(500, 10, 10, 4) : conversionMetric(2000, 0.05, 0.05);
      const c = analyzeMetric(metric).variations[1]!.comparison!;
      if (c.pValue! < 0.05) headline++;
      if (c.absolute!.pValue < 0.05) absolute++;
      const beat = c.bayesian!.chanceToBeat;
      if (beat > 0.975 || beat < 0.025) bayes++;
    }
    const rates = { headline: headline / runs, absolute: absolute / runs, bayes: bayes / runs };
    console.info("A/A false-positive rates", rates);
    for (const r of Object.values(rates)) {
      expect(r).toBeGreaterThanOrEqual(0.035);
      expect(r).toBeLessThanOrEqual(0.065);
    }
  });

  it("sequential test with 20 peeks per A/A experiment stays at or below 5 %", () => {
    const runs = 2000;
    const peeks = 20;
    let sequentialRejections = 0;
    let naiveRejections = 0;
    for (let i = 0; i < runs; i++) {
      const proportion = i % 2 === 1;
      const acc = [
        { n: 0, sum: 0, sumSquares: 0 },
        { n: 0, sum: 0, sumSquares: 0 },
      ];
      let rejected = false;
      let naive = false;
      for (let k = 0; k < peeks; k++) {
        for (const arm of acc) {
          const m = proportion ? 500 : 150;
          const batch = proportion
            ? (() => {
                const c = binomial(m, 0.1);
                return { sum: c, sumSquares: c };
              })()
            : normalSums(m, 10, 4);
          arm.n += m;
          arm.sum += batch.sum;
          arm.sumSquares += batch.sumSquares;
        }
        const a = summarize(acc[0]!, proportion);
        const b = summarize(acc[1]!, proportion);
        // The path analyzeMetric takes: one test (score or Welch) read always-valid, and at fixed horizon.
        const effects = (cal: (df: number) => Calibration) =>
          proportion
            ? proportionEffects(
                { n: a.n, conversions: acc[0]!.sum },
                { n: b.n, conversions: acc[1]!.sum },
                cal(Number.POSITIVE_INFINITY),
                { alpha: 0.05, exact: false },
              )
            : meanEffects(
                { mean: a.mean, varianceOfMean: a.variance / a.n },
                { mean: b.mean, varianceOfMean: b.variance / b.n },
                cal(welchDf(a, b)),
                "welch",
                0.05,
              );
        const seq = effects(() =>
          sequentialCalibration({ method: "confidence-sequence", tuningN: 5000, n: a.n + b.n, alpha: 0.05 }),
        );
        if (seq.relative!.pValue < 0.05) rejected = true;
        if (effects((df) => fixedCalibration(df)).relative!.pValue < 0.05) naive = true;
      }
      if (rejected) sequentialRejections++;
      if (naive) naiveRejections++;
    }
    const rate = sequentialRejections / runs;
    console.info(
      "20 peeks: always-valid rejection rate",
      rate,
      "naive fixed-horizon",
      naiveRejections / runs,
    );
    expect(rate).toBeLessThanOrEqual(0.05);
    // The naive test peeked 20 times is far above alpha: the simulation can see the difference.
    expect(naiveRejections / runs).toBeGreaterThan(0.15);
  });

  it("95 % intervals cover a known true effect 95 % +- 1.5 % (means, conversions, CUPED)", () => {
    const runs = 2000;
    const cover = { absolute: 0, relative: 0, cupedAbsolute: 0, cupedRelative: 0 };
    let cupedRuns = 0;
    for (let i = 0; i < runs; i++) {
      let metric: MetricInput;
      let trueAbs: number;
      let trueRel: number;
      if (i % 2 === 0) {
        metric = numericMetric(500, 10, 10.5, 4);
        trueAbs = 0.5;
        trueRel = 0.05;
      } else {
        metric = conversionMetric(3000, 0.1, 0.11);
        trueAbs = 0.01;
        trueRel = 0.1;
      }
      const c = analyzeMetric(metric).variations[1]!.comparison!;
      if (c.absolute!.ci[0] <= trueAbs && trueAbs <= c.absolute!.ci[1]) cover.absolute++;
      if (c.relative!.ci[0] <= trueRel && trueRel <= c.relative!.ci[1]) cover.relative++;
      if (i % 2 === 0) {
        // CUPED: Y = 0.8 X + noise, pre-period X identical in both arms, effect +0.5 on Y (mean 10).
        cupedRuns++;
        const a = { ...cupedSums(400, 10, 4, 0.8, 10, 2), key: "a" };
        const b = { ...cupedSums(400, 10, 4, 0.8, 10.5, 2), key: "b" };
        const cu = analyzeMetric({ variations: [a, b] }, { cuped: true }).variations[1]!.comparison!;
        if (cu.absolute!.ci[0] <= 0.5 && 0.5 <= cu.absolute!.ci[1]) cover.cupedAbsolute++;
        if (cu.relative!.ci[0] <= 0.05 && 0.05 <= cu.relative!.ci[1]) cover.cupedRelative++;
      }
    }
    const rates = {
      absolute: cover.absolute / runs,
      relative: cover.relative / runs,
      cupedAbsolute: cover.cupedAbsolute / cupedRuns,
      cupedRelative: cover.cupedRelative / cupedRuns,
    };
    console.info("coverage of 95 % intervals", rates);
    for (const r of [rates.absolute, rates.relative]) {
      expect(r).toBeGreaterThanOrEqual(0.935);
      expect(r).toBeLessThanOrEqual(0.965);
    }
    // 1,000 CUPED runs: the same band (binomial SD 0.7 %).
    for (const r of [rates.cupedAbsolute, rates.cupedRelative]) {
      expect(r).toBeGreaterThanOrEqual(0.935);
      expect(r).toBeLessThanOrEqual(0.965);
    }
  });

  it("Thompson-sampling weights move to the truly best arm", () => {
    const truth = [0.05, 0.06, 0.075];
    for (const allocator of ["thompson", "top-two"] as const) {
      const stats = truth.map(() => ({ n: 0, conversions: 0 }));
      let weights = truth.map(() => 1 / truth.length);
      for (let round = 0; round < 30; round++) {
        // 1,500 visitors per round split by the current weights (a multinomial by sequential binomials).
        let left = 1500;
        let mass = 1;
        truth.forEach((p, i) => {
          const share = i === truth.length - 1 ? left : binomial(left, Math.min(1, weights[i]! / mass));
          left -= share;
          mass -= weights[i]!;
          stats[i]!.n += share;
          stats[i]!.conversions += binomial(share, p);
        });
        const arms = stats.map((s) => ({
          kind: "beta" as const,
          alpha: 1 + s.conversions,
          beta: 1 + s.n - s.conversions,
        }));
        weights =
          allocator === "thompson"
            ? thompsonWeights(arms, { floor: 0.01 })
            : topTwoThompsonWeights(arms, { floor: 0.01 });
      }
      console.info(allocator, "final weights", weights.map((w) => w.toFixed(3)).join(" "));
      const best = weights.indexOf(Math.max(...weights));
      expect(best).toBe(2);
      expect(weights[2]!).toBeGreaterThan(allocator === "thompson" ? 0.8 : 0.45);
      expect(Math.min(...weights)).toBeGreaterThanOrEqual(0.01 - 1e-12);
    }
    // Numeric metric (normal posteriors of the means).
    const means = [10, 10.2, 10.6];
    const acc = means.map(() => ({ n: 0, sum: 0, sumSquares: 0 }));
    let w = means.map(() => 1 / 3);
    for (let round = 0; round < 20; round++) {
      means.forEach((mu, i) => {
        const m = Math.max(2, Math.round(600 * w[i]!));
        const s = normalSums(m, mu, 3);
        acc[i]!.n += m;
        acc[i]!.sum += s.sum;
        acc[i]!.sumSquares += s.sumSquares;
      });
      w = thompsonWeights(
        acc.map((s) => {
          const x = summarize(s);
          return { kind: "normal" as const, mean: x.mean, sd: Math.sqrt(x.variance / x.n) };
        }),
        { floor: 0.02 },
      );
    }
    console.info("normal bandit final weights", w.map((v) => v.toFixed(3)).join(" "));
    expect(w.indexOf(Math.max(...w))).toBe(2);
    expect(w[2]!).toBeGreaterThan(0.8);
  });
});
