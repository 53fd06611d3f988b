// Calibration of the data shapes through the functions analyzeMetric calls (proportionEffects,
// meanEffects with fixed or always-valid calibration), with fixed seeds. Goals: A/A false-positive rate
// 5 % +- 1 %, coverage 95 % +- 1 %, sequential (20 peeks) at most 5 %.
// Monte Carlo error: with R runs a rate near 5 % has standard error sqrt(0.05 * 0.95 / R) = 0.34 % at
// R = 4,000 and 0.40 % at R = 3,000, so the +-1 % goal is 2.5-3 standard errors wide: a method exactly at
// 5 % / 95 % passes with probability > 98.8 %, and the fixed seeds make every run identical.
import { describe, expect, it } from "vitest";
import {
  adjustPValues,
  fixedCalibration,
  meanEffects,
  proportionEffects,
  sequentialCalibration,
  summarize,
  type TwoArmEffects,
  welchDf,
} from "../src/index.js";
import { percentileCont, revenueValues, samplers } from "./sampling.js";

const covers = (ci: [number, number], truth: number) => ci[0] <= truth && truth <= ci[1];

function conversions(xa: number, xb: number, n: number, sequentialN?: number): TwoArmEffects {
  const cal = sequentialN
    ? sequentialCalibration({ method: "confidence-sequence", tuningN: 5000, n: sequentialN, alpha: 0.05 })
    : fixedCalibration(Number.POSITIVE_INFINITY);
  return proportionEffects({ n, conversions: xa }, { n, conversions: xb }, cal, {
    alpha: 0.05,
    exact: !sequentialN,
  });
}

function means(
  a: { n: number; sum: number; sumSquares: number },
  b: { n: number; sum: number; sumSquares: number },
  sequential = false,
): TwoArmEffects | null {
  if (a.n < 2 || b.n < 2) return null;
  const sa = summarize(a);
  const sb = summarize(b);
  const cal = sequential
    ? sequentialCalibration({ method: "confidence-sequence", tuningN: 5000, n: a.n + b.n, alpha: 0.05 })
    : fixedCalibration(welchDf(sa, sb));
  return meanEffects(
    { mean: sa.mean, varianceOfMean: sa.variance / sa.n },
    { mean: sb.mean, varianceOfMean: sb.variance / sb.n },
    cal,
    "welch",
    0.05,
  );
}

describe("calibration: rare and small conversions", () => {
  it("1 % conversion, 2,000 per arm: A/A 5 % +- 1 %, coverage of 1 % -> 1.5 % 95 % +- 1 %", () => {
    const s = samplers(101);
    const R = 4000;
    let fp = 0;
    const cover = { absolute: 0, relative: 0 };
    for (let r = 0; r < R; r++) {
      const aa = conversions(s.binomial(2000, 0.01), s.binomial(2000, 0.01), 2000);
      if (aa.absolute!.pValue < 0.05) fp++;
      const ab = conversions(s.binomial(2000, 0.01), s.binomial(2000, 0.015), 2000);
      if (covers(ab.absolute!.interval(0.05), 0.005)) cover.absolute++;
      // No relative interval (control rate 0) holds nothing false: counted as covering.
      if (!ab.relative || covers(ab.relative.interval(0.05), 0.5)) cover.relative++;
    }
    console.info("rare 1 %: A/A", fp / R, "coverage", cover.absolute / R, cover.relative / R);
    expect(Math.abs(fp / R - 0.05)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(cover.absolute / R - 0.95)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(cover.relative / R - 0.95)).toBeLessThanOrEqual(0.01);
  });

  it("5 % -> 7.5 % with n = 300: coverage 95 % +- 1 %, misses on both sides", () => {
    const s = samplers(202);
    const R = 4000;
    const miss = { low: 0, high: 0 };
    let absolute = 0;
    for (let r = 0; r < R; r++) {
      const e = conversions(s.binomial(300, 0.05), s.binomial(300, 0.075), 300);
      if (covers(e.absolute!.interval(0.05), 0.025)) absolute++;
      const ci = e.relative ? e.relative.interval(0.05) : null;
      if (ci && ci[0] > 0.5) miss.low++;
      if (ci && ci[1] < 0.5) miss.high++;
    }
    const relative = 1 - (miss.low + miss.high) / R;
    console.info("5 % -> 7.5 %, n = 300: coverage", absolute / R, relative, "misses", miss);
    expect(Math.abs(absolute / R - 0.95)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(relative - 0.95)).toBeLessThanOrEqual(0.01);
    // The delta method missed only on one side; each side now holds at most 2/3 of the misses.
    expect(Math.max(miss.low, miss.high)).toBeLessThanOrEqual((2 / 3) * (miss.low + miss.high));
  });

  it("sequential, 20 peeks of 100 units per arm at 1 %: always-valid rejections at most 5 %", () => {
    const s = samplers(303);
    const R = 2000;
    let rejected = 0;
    for (let r = 0; r < R; r++) {
      let xa = 0;
      let xb = 0;
      for (let k = 1; k <= 20; k++) {
        xa += s.binomial(100, 0.01);
        xb += s.binomial(100, 0.01);
        if (xa + xb === 0) continue;
        if (conversions(xa, xb, 100 * k, 200 * k).absolute!.pValue < 0.05) {
          rejected++;
          break;
        }
      }
    }
    console.info("rare, 20 peeks: always-valid rejection rate", rejected / R);
    expect(rejected / R).toBeLessThanOrEqual(0.05);
  });
});

describe("calibration: heavy-tailed revenue (5 % convert, value lognormal(3, 2))", () => {
  it("10,000 per arm: conservative without capping, 5 % +- 1 % and 95 % +- 1 % with a pooled P99 cap, more power", () => {
    const s = samplers(404);
    const R = 3000;
    const n = 10_000;
    const rate = {
      fpPlain: 0,
      fpCapped: 0,
      absPlain: 0,
      relPlain: 0,
      absCapped: 0,
      relCapped: 0,
      powerPlain: 0,
      powerCapped: 0,
    };
    // True effects: uncapped, scale x 1.1 = +10 % and +0.1 E[Y] (E[Y] = 0.05 e^5); capped at the pooled
    // population P99 c (P(Y > c) = 1 % over both arms), E[min(Y, c)] from the lognormal's partial mean.
    const meanY = 0.05 * Math.exp(5);
    const c = capQuantile(0.1);
    const capped = { a: cappedMean(c, 1), b: cappedMean(c, 1.1) };
    for (let r = 0; r < R; r++) {
      for (const lift of [0, 0.1]) {
        const va = revenueValues(s, n, 0.05, 3, 2, 1);
        const vb = revenueValues(s, n, 0.05, 3, 2, 1 + lift);
        const cap = percentileCont([...va, ...vb], 2 * n, 0.99);
        const plain = means(sums(va, n, Number.POSITIVE_INFINITY), sums(vb, n, Number.POSITIVE_INFINITY));
        const cut = means(sums(va, n, cap), sums(vb, n, cap));
        if (!plain?.absolute || !cut?.absolute) continue;
        if (lift === 0) {
          if (plain.absolute.pValue < 0.05) rate.fpPlain++;
          if (cut.absolute.pValue < 0.05) rate.fpCapped++;
          continue;
        }
        // Power: the +10 % lift (scale x 1.1) detected at alpha 0.05 (two-sided).
        if (plain.absolute.pValue < 0.05) rate.powerPlain++;
        if (cut.absolute.pValue < 0.05) rate.powerCapped++;
        if (covers(plain.absolute.interval(0.05), 0.1 * meanY)) rate.absPlain++;
        if (!plain.relative || covers(plain.relative.interval(0.05), 0.1)) rate.relPlain++;
        if (covers(cut.absolute.interval(0.05), capped.b - capped.a)) rate.absCapped++;
        if (!cut.relative || covers(cut.relative.interval(0.05), capped.b / capped.a - 1)) rate.relCapped++;
      }
    }
    const f = Object.fromEntries(Object.entries(rate).map(([k, v]) => [k, v / R]));
    console.info("heavy-tailed revenue, n = 10,000", f);
    // Uncapped, Welch and Fieller err on the safe side (self-normalisation under heavy tails).
    expect(f.fpPlain!).toBeLessThanOrEqual(0.06);
    expect(f.absPlain!).toBeGreaterThanOrEqual(0.94);
    expect(f.relPlain!).toBeGreaterThanOrEqual(0.94);
    for (const k of ["fpCapped"]) expect(Math.abs(f[k]! - 0.05)).toBeLessThanOrEqual(0.01);
    for (const k of ["absCapped", "relCapped"]) expect(Math.abs(f[k]! - 0.95)).toBeLessThanOrEqual(0.01);
    // Capping trades the estimand (the capped mean) for variance: the same +10 % scale shift is found more
    // often (measured: 4.7 % uncapped, 7.6 % capped). Paired on the same datasets, the difference of the two
    // rates has a Monte Carlo standard error of at most sqrt((0.047 + 0.076) / 3000) = 0.64 %; the test
    // asks for a gain of at least 1.5 points (2.2 standard errors below the measured 2.9).
    expect(f.powerCapped! - f.powerPlain!).toBeGreaterThanOrEqual(0.015);
  });

  it("sequential, 20 peeks of 500 units per arm: always-valid rejections at most 5 %", () => {
    const s = samplers(505);
    const R = 2000;
    let rejected = 0;
    for (let r = 0; r < R; r++) {
      const acc = [
        { n: 0, sum: 0, sumSquares: 0 },
        { n: 0, sum: 0, sumSquares: 0 },
      ];
      for (let k = 0; k < 20; k++) {
        for (const arm of acc) {
          const v = sums(revenueValues(s, 500, 0.05, 3, 2, 1), 500, Number.POSITIVE_INFINITY);
          arm.n += 500;
          arm.sum += v.sum;
          arm.sumSquares += v.sumSquares;
        }
        const e = means(acc[0]!, acc[1]!, true);
        if (e?.absolute && e.absolute.pValue < 0.05) {
          rejected++;
          break;
        }
      }
    }
    console.info("revenue, 20 peeks: always-valid rejection rate", rejected / R);
    expect(rejected / R).toBeLessThanOrEqual(0.05);
  });
});

describe("calibration: corrections over 10 metrics", () => {
  it("Holm and Bonferroni keep the family-wise error, BH the false discovery rate, at most 5 %", () => {
    // 10 A/A normal metrics per experiment (n = 200 per arm): every rejection is false, so FWER = FDR.
    const s = samplers(606);
    const R = 2000;
    const errors = { bonferroni: 0, holm: 0, bh: 0, none: 0 };
    for (let r = 0; r < R; r++) {
      const p: number[] = [];
      for (let m = 0; m < 10; m++) {
        const arm = () => {
          let sum = 0;
          let sumSquares = 0;
          for (let i = 0; i < 200; i++) {
            const v = s.normal(10, 3);
            sum += v;
            sumSquares += v * v;
          }
          return { n: 200, sum, sumSquares };
        };
        p.push(means(arm(), arm())!.absolute!.pValue);
      }
      for (const method of ["bonferroni", "holm", "bh", "none"] as const) {
        const adjusted = method === "none" ? p : adjustPValues(p, method);
        if (adjusted.some((x) => x < 0.05)) errors[method]++;
      }
    }
    const rates = Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v / R]));
    console.info("10 A/A metrics: family-wise error", rates);
    // 2,000 runs: standard error 0.49 % at 5 %; 1 - 0.95^10 = 40 % uncorrected.
    for (const k of ["bonferroni", "holm", "bh"]) expect(rates[k]!).toBeLessThanOrEqual(0.05 + 0.01);
    expect(rates.none!).toBeGreaterThan(0.35);
  });
});

function sums(values: number[], n: number, cap: number) {
  let sum = 0;
  let sumSquares = 0;
  for (const v of values) {
    const y = Math.min(v, cap);
    sum += y;
    sumSquares += y * y;
  }
  return { n, sum, sumSquares };
}

// Lognormal(3, 2) with 5 % converting, scaled: P(Y > c) and E[min(Y, c)] in closed form.
function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}
function erfc(x: number): number {
  // Numerical Recipes' erfc (fractional error < 1.2e-7), enough for a truth used at +-1 % tolerance.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
function tail(c: number, scale: number): number {
  return 0.05 * (1 - normalCdf((Math.log(c / scale) - 3) / 2));
}
function cappedMean(c: number, scale: number): number {
  const m = Math.log(scale) + 3;
  return (
    0.05 *
    (Math.exp(m + 2) * normalCdf((Math.log(c) - m - 4) / 2) + c * (1 - normalCdf((Math.log(c) - m) / 2)))
  );
}
function capQuantile(lift: number): number {
  let lo = 1;
  let hi = 1e7;
  for (let i = 0; i < 200; i++) {
    const mid = Math.sqrt(lo * hi);
    if (0.5 * (tail(mid, 1) + tail(mid, 1 + lift)) > 0.01) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}
