// The absolute and relative effects of a treatment against a control, each with a p-value and an interval
// at any level, both inverted from one test: Welch (means), the CUPED-adjusted z (means after CUPED),
// the pooled score test (conversions), or Fisher's exact test (conversions with small expected counts).
// The relative interval is Fieller's (means) or the Miettinen-Nurminen score interval of the rate ratio
// (conversions): both are the effects the test does not reject, so they hold on skewed and rare data
// where the delta method does not, and they exclude 0 exactly when the p-value is below the level.
import { type Calibration, sided } from "./calibration.js";
import { fisherExactTest } from "./exact.js";
import { findRoot } from "./numerics.js";
import type { ConversionCounts } from "./proportions.js";
import type { Interval } from "./types.js";

/** One effect (absolute difference, or relative lift (B - A)/|A|) with its test and its intervals. */
export interface EffectCore {
  estimate: number;
  /** Standard error (relative: the delta method's, for reference; the interval does not use it). */
  se: number;
  pValue: number;
  /** The interval at level 1 - alpha, from the same test as the p-value. */
  interval(alpha: number): Interval;
}

/** The test behind both effects. */
export type EffectTest =
  | "welch"
  | "cuped-z"
  | "regression-z"
  | "post-stratified-z"
  | "pooled-z"
  | "fisher-exact";

/** The tests of two means (Welch, or z on the means after a variance reduction). */
export type MeanTest = Exclude<EffectTest, "pooled-z" | "fisher-exact">;

/** Both effects of a comparison, from one test. */
export interface TwoArmEffects {
  test: EffectTest;
  /** Small expected counts: large-sample tests do not apply (the exact test is used at fixed horizon). */
  thin: boolean;
  absolute: EffectCore | null;
  relative: EffectCore | null;
  /** Why an effect is missing or unbounded. */
  reasons: string[];
}

/** An arm's mean and the variance of that mean (s^2 / n, or after CUPED). */
export interface ArmMean {
  mean: number;
  varianceOfMean: number;
}

const INF = Number.POSITIVE_INFINITY;
const UNBOUNDED: Interval = [Number.NEGATIVE_INFINITY, INF];
const isUnbounded = (i: Interval): boolean => !Number.isFinite(i[0]) || !Number.isFinite(i[1]);

/**
 * Fieller's interval of the lift (mB - mA)/|mA| at critical value c: the ratios rho with
 * |mB - rho mA| <= c sqrt(vB + rho^2 vA). Unbounded when mA is not distinguishable from 0 at c.
 */
export function fiellerLift(control: ArmMean, treatment: ArmMean, c: number): Interval {
  const { mean: ma, varianceOfMean: va } = control;
  const { mean: mb, varianceOfMean: vb } = treatment;
  const a = ma * ma - c * c * va;
  if (!(a > 0)) return UNBOUNDED;
  const root = c * Math.sqrt(Math.max(0, ma * ma * vb + mb * mb * va - c * c * va * vb));
  const r1 = (ma * mb - root) / a;
  const r2 = (ma * mb + root) / a;
  return ma > 0 ? [r1 - 1, r2 - 1] : [1 - r2, 1 - r1];
}

/** Welch or adjusted (CUPED, regression, post-stratified) comparison of two means: difference and Fieller's lift. */
export function meanEffects(
  control: ArmMean,
  treatment: ArmMean,
  cal: Calibration,
  test: MeanTest,
  alpha: number,
): TwoArmEffects {
  const reasons: string[] = [];
  const se = Math.sqrt(control.varianceOfMean + treatment.varianceOfMean);
  const out: TwoArmEffects = { test, thin: false, absolute: null, relative: null, reasons };
  if (!(se > 0 && Number.isFinite(se))) {
    reasons.push("no variance in either arm: tests undefined");
    return out;
  }
  const d = treatment.mean - control.mean;
  const pValue = cal.pValue(d / se);
  out.absolute = {
    estimate: d,
    se,
    pValue,
    interval: (level) => {
      const c = cal.critical(level);
      return sided([d - c * se, d + c * se], cal.alternative);
    },
  };
  const ma = control.mean;
  if (ma === 0) {
    reasons.push("reference mean is 0: relative lift undefined");
    return out;
  }
  const relSe = Math.sqrt(
    treatment.varianceOfMean / (ma * ma) + (treatment.mean ** 2 * control.varianceOfMean) / ma ** 4,
  );
  const relative: EffectCore = {
    estimate: d / Math.abs(ma),
    se: relSe,
    pValue,
    interval: (level) => sided(fiellerLift(control, treatment, cal.critical(level)), cal.alternative),
  };
  if (isUnbounded(fiellerLift(control, treatment, cal.critical(alpha)))) {
    reasons.push(
      "reference mean is not distinguishable from 0: the relative lift and its interval are not reported",
    );
    return out;
  }
  out.relative = relative;
  return out;
}

// Restricted maximum likelihood of the control rate when pB - pA = delta (the score equation is
// decreasing in pA on its domain; a boundary maximum is taken when it has no interior root).
function restrictedDifference(xa: number, na: number, xb: number, nb: number, delta: number): number {
  const lo = Math.max(0, -delta);
  const hi = Math.min(1, 1 - delta);
  const g = (p: number): number =>
    (xa > 0 ? xa / p : 0) -
    (na - xa > 0 ? (na - xa) / (1 - p) : 0) +
    (xb > 0 ? xb / (p + delta) : 0) -
    (nb - xb > 0 ? (nb - xb) / (1 - p - delta) : 0);
  const eps = 1e-13;
  const a = lo + eps * (hi - lo);
  const b = hi - eps * (hi - lo);
  if (!(b > a)) return 0.5 * (lo + hi);
  if (g(a) <= 0) return lo;
  if (g(b) >= 0) return hi;
  return findRoot(g, a, b, 1e-15);
}

// Restricted maximum likelihood of the control rate when pB = rho pA (Farrington-Manning's quadratic,
// in the form without cancellation).
function restrictedRatio(xa: number, na: number, xb: number, nb: number, rho: number): number {
  const A = (na + nb) * rho;
  const B = -(nb * rho + xb + na + xa * rho);
  const C = xa + xb;
  const disc = Math.max(0, B * B - 4 * A * C);
  return (2 * C) / (-B + Math.sqrt(disc));
}

// Solves f(s) = 0 for a decreasing f, walking from `start` in direction `dir` by doubling steps; returns
// the limit when the walk reaches it without a sign change.
function walkRoot(f: (s: number) => number, start: number, dir: 1 | -1, limit: number): number {
  let inner = start;
  let step = 0.05;
  for (let i = 0; i < 200; i++) {
    let outer = inner + dir * step;
    if (dir > 0 ? outer >= limit : outer <= limit) outer = limit;
    const fo = f(outer);
    if (dir > 0 ? fo <= 0 : fo >= 0)
      return findRoot(f, Math.min(inner, outer), Math.max(inner, outer), 1e-13);
    if (outer === limit) return limit;
    inner = outer;
    step *= 2;
  }
  return limit;
}

/** Smallest expected cell count of the 2 x 2 table of conversions and non-conversions. */
export function smallestExpectedCount(control: ConversionCounts, treatment: ConversionCounts): number {
  const n = control.n + treatment.n;
  const total = control.conversions + treatment.conversions;
  return (Math.min(control.n, treatment.n) * Math.min(total, n - total)) / n;
}

/** Below this expected count in a cell, large-sample tests of conversions are replaced by Fisher's. */
export const MIN_EXPECTED_COUNT = 5;

/**
 * Comparison of two conversion rates: the pooled score test with Miettinen-Nurminen intervals of the
 * difference and of the ratio, or (exact = true and an expected count below 5) Fisher's exact test with
 * its exact odds-ratio interval carried to the difference and the lift at the control's rate.
 */
export function proportionEffects(
  control: ConversionCounts,
  treatment: ConversionCounts,
  cal: Calibration,
  options: { alpha: number; exact: boolean },
): TwoArmEffects {
  const { n: na, conversions: xa } = control;
  const { n: nb, conversions: xb } = treatment;
  const pa = xa / na;
  const pb = xb / nb;
  const total = xa + xb;
  const pooled = total / (na + nb);
  const thin = smallestExpectedCount(control, treatment) < MIN_EXPECTED_COUNT;
  const reasons: string[] = [];
  const d = pb - pa;
  const unpooledSe = Math.sqrt((pa * (1 - pa)) / na + (pb * (1 - pb)) / nb);
  const relSe =
    pa > 0 ? Math.sqrt((pb * (1 - pb)) / (nb * pa * pa) + (pb * pb * (1 - pa)) / (na * pa * pa * pa)) : 0;
  if (pa === 0) reasons.push("reference rate is 0: relative lift undefined");

  if (total === 0 || total === na + nb) {
    reasons.push(
      total === 0 ? "no conversions in any arm: nothing to test" : "every unit converted: nothing to test",
    );
    return {
      test: "fisher-exact",
      thin: true,
      absolute: { estimate: 0, se: 0, pValue: 1, interval: () => sided([-1, 1], cal.alternative) },
      relative:
        pa > 0 ? { estimate: 0, se: 0, pValue: 1, interval: () => sided([-1, 0], cal.alternative) } : null,
      reasons,
    };
  }

  if (thin && options.exact) {
    reasons.push(
      `too thin for large-sample tests (an expected count below ${MIN_EXPECTED_COUNT}): Fisher's exact test, intervals from its exact odds-ratio interval`,
    );
    // The odds ratio psi, at the control's observed rate (or the pooled one when it is 0 or 1), as a
    // risk ratio psi / (1 - p0 + p0 psi): monotone and 1 at psi = 1, so the exclusion of 0 is kept.
    const p0 = pa > 0 && pa < 1 ? pa : pooled;
    const lift = (psi: number): number => (psi === INF ? 1 / p0 : psi / (1 - p0 + p0 * psi)) - 1;
    const exact = (level: number) =>
      fisherExactTest(control, treatment, { alpha: level, alternative: cal.alternative }).oddsRatioInterval;
    const pValue = fisherExactTest(control, treatment, { alternative: cal.alternative }).pValue;
    const mapped = (level: number, f: (psi: number) => number): Interval => {
      const [lo, hi] = exact(level);
      return sided([f(lo), f(hi)], cal.alternative);
    };
    return {
      test: "fisher-exact",
      thin,
      absolute: { estimate: d, se: unpooledSe, pValue, interval: (l) => mapped(l, (psi) => p0 * lift(psi)) },
      relative:
        pa > 0 ? { estimate: pb / pa - 1, se: relSe, pValue, interval: (l) => mapped(l, lift) } : null,
      reasons,
    };
  }
  if (thin) reasons.push(`thin data: an expected count is below ${MIN_EXPECTED_COUNT}`);

  const statistic = d / Math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb));
  const pValue = cal.pValue(statistic);
  const scoreDifference = (delta: number): number => {
    const p = restrictedDifference(xa, na, xb, nb, delta);
    const q = p + delta;
    const v = (p * (1 - p)) / na + (q * (1 - q)) / nb;
    const num = d - delta;
    return v > 0 ? num / Math.sqrt(v) : num > 0 ? INF : num < 0 ? -INF : 0;
  };
  const absolute: EffectCore = {
    estimate: d,
    se: unpooledSe,
    pValue,
    interval: (level) => {
      const c = cal.critical(level);
      const lo = d <= -1 + 1e-12 ? -1 : walkRoot((x) => scoreDifference(x) - c, d, -1, -1);
      const hi = d >= 1 - 1e-12 ? 1 : walkRoot((x) => scoreDifference(x) + c, d, 1, 1);
      return sided([lo, hi], cal.alternative);
    },
  };
  let relative: EffectCore | null = null;
  if (pa > 0) {
    // In ln rho, where the score statistic is smooth and the walk covers rho in (e^-60, e^60).
    const scoreRatio = (s: number): number => {
      const rho = Math.exp(s);
      const p = restrictedRatio(xa, na, xb, nb, rho);
      const q = rho * p;
      const v = (q * (1 - q)) / nb + (rho * rho * p * (1 - p)) / na;
      const num = pb - rho * pa;
      return v > 0 ? num / Math.sqrt(v) : num > 0 ? INF : num < 0 ? -INF : 0;
    };
    const s0 = pb > 0 ? Math.log(pb / pa) : Number.NEGATIVE_INFINITY;
    relative = {
      estimate: pb / pa - 1,
      se: relSe,
      pValue,
      interval: (level) => {
        const c = cal.critical(level);
        const lo = pb > 0 ? walkRoot((s) => scoreRatio(s) - c, s0, -1, -60) : -60;
        const hi = walkRoot((s) => scoreRatio(s) + c, pb > 0 ? s0 : -60, 1, 60);
        return sided([lo <= -60 ? -1 : Math.expm1(lo), hi >= 60 ? INF : Math.expm1(hi)], cal.alternative);
      },
    };
  }
  return { test: "pooled-z", thin, absolute, relative, reasons };
}
