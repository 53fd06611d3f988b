import { tCdf, tQuantile } from "./distributions.js";
import { StatsInputError } from "./errors.js";
import type { Alternative, Inference, Interval, SufficientStats, Summary, TestOptions } from "./types.js";

/**
 * Mean and per-unit variance from sufficient statistics; proportions use p(1-p), other metrics n-1.
 * Throws StatsInputError without units (or, for a variance with n-1, with fewer than 2).
 */
export function summarize(stats: SufficientStats, isProportion = false): Summary {
  const { n, sum, sumSquares } = stats;
  if (!(n >= (isProportion ? 1 : 2)))
    throw new StatsInputError(
      `a ${isProportion ? "rate" : "variance"} needs at least ${isProportion ? 1 : 2} units`,
    );
  const mean = sum / n;
  if (isProportion) return { n, mean, variance: mean * (1 - mean) };
  // Clamp: sums of squares minus the squared sum can round slightly below zero for constant data.
  const variance = Math.max(0, (sumSquares - (sum * sum) / n) / (n - 1));
  return { n, mean, variance };
}

/** Summary from a mean and a sample standard deviation (n-1 denominator). */
export function summaryFromMeanSd(n: number, mean: number, sd: number): Summary {
  return { n, mean, variance: sd * sd };
}

/** Welch-Satterthwaite degrees of freedom of the difference of two means. */
export function welchDf(control: Summary, treatment: Summary): number {
  const a = control.variance / control.n;
  const b = treatment.variance / treatment.n;
  const den = (a * a) / (control.n - 1) + (b * b) / (treatment.n - 1);
  return den > 0 ? ((a + b) * (a + b)) / den : Number.POSITIVE_INFINITY;
}

/** p-value of a statistic under a t (df) or normal (df = Infinity) null, for the given alternative. */
export function pValueOf(statistic: number, df: number, alternative: Alternative = "two-sided"): number {
  if (Number.isNaN(statistic)) return Number.NaN;
  if (alternative === "greater") return tCdf(-statistic, df);
  if (alternative === "less") return tCdf(statistic, df);
  return Math.min(1, 2 * tCdf(-Math.abs(statistic), df));
}

/** Interval at level 1 - alpha around an estimate with standard error se (t with df, or normal). */
export function intervalOf(
  estimate: number,
  se: number,
  df: number,
  alpha = 0.05,
  alternative: Alternative = "two-sided",
): Interval {
  if (alternative === "two-sided") {
    const q = tQuantile(1 - alpha / 2, df);
    return [estimate - q * se, estimate + q * se];
  }
  const q = tQuantile(1 - alpha, df);
  return alternative === "greater"
    ? [estimate - q * se, Number.POSITIVE_INFINITY]
    : [Number.NEGATIVE_INFINITY, estimate + q * se];
}

/**
 * Test and interval for an estimate with a standard error (df = Infinity for the normal). Throws
 * StatsInputError when the standard error is not positive or the estimate not finite (no test exists).
 */
export function inferenceOf(
  estimate: number,
  se: number,
  df = Number.POSITIVE_INFINITY,
  options: TestOptions = {},
): Inference {
  if (!(se > 0 && Number.isFinite(se)) || !Number.isFinite(estimate))
    throw new StatsInputError(`no test for estimate ${estimate} with standard error ${se}`);
  const alpha = options.alpha ?? 0.05;
  const alternative = options.alternative ?? "two-sided";
  const statistic = estimate / se;
  return {
    estimate,
    se,
    df,
    statistic,
    pValue: pValueOf(statistic, df, alternative),
    ci: intervalOf(estimate, se, df, alpha, alternative),
    alpha,
    alternative,
  };
}

/** Options of the two-sample tests: the reference distribution is Student t (Welch df) or normal. */
export interface TwoSampleOptions extends TestOptions {
  distribution?: "t" | "normal";
}

/** Welch t-test of treatment minus control (absolute difference of means). */
export function welchTTest(control: Summary, treatment: Summary, options: TwoSampleOptions = {}): Inference {
  const se = Math.sqrt(control.variance / control.n + treatment.variance / treatment.n);
  const df = options.distribution === "normal" ? Number.POSITIVE_INFINITY : welchDf(control, treatment);
  return inferenceOf(treatment.mean - control.mean, se, df, options);
}
