import { inferenceOf } from "./frequentist.js";
import type { Inference, TestOptions } from "./types.js";

/** Per-arm sufficient statistics of a ratio metric (numerator and denominator per unit). */
export interface RatioSufficientStats {
  n: number;
  sumNum: number;
  sumDen: number;
  sumNumSquares: number;
  sumDenSquares: number;
  sumNumDen: number;
}

/** A ratio metric's point estimate and delta-method variance. */
export interface RatioSummary {
  n: number;
  ratio: number;
  /** Variance of the ratio estimate (not per unit). */
  variance: number;
  meanNum: number;
  meanDen: number;
  varNum: number;
  varDen: number;
  cov: number;
}

/** Ratio sum(num)/sum(den) with delta-method variance (s_M^2/d^2 - 2 m s_MD/d^3 + m^2 s_D^2/d^4)/n. */
export function ratioSummary(s: RatioSufficientStats): RatioSummary {
  const { n } = s;
  const m = s.sumNum / n;
  const d = s.sumDen / n;
  const varNum = (s.sumNumSquares - (s.sumNum * s.sumNum) / n) / (n - 1);
  const varDen = (s.sumDenSquares - (s.sumDen * s.sumDen) / n) / (n - 1);
  const cov = (s.sumNumDen - (s.sumNum * s.sumDen) / n) / (n - 1);
  const variance = (varNum / (d * d) - (2 * m * cov) / (d * d * d) + (m * m * varDen) / (d * d * d * d)) / n;
  return {
    n,
    ratio: s.sumNum / s.sumDen,
    variance: Math.max(0, variance),
    meanNum: m,
    meanDen: d,
    varNum,
    varDen,
    cov,
  };
}

/** Ratio-metric comparison: absolute difference and relative lift, both by the delta method. */
export function ratioMetricTest(
  control: RatioSufficientStats,
  treatment: RatioSufficientStats,
  options: TestOptions = {},
): { control: RatioSummary; treatment: RatioSummary; absolute: Inference; relative: Inference } {
  const a = ratioSummary(control);
  const b = ratioSummary(treatment);
  // The delta method is asymptotic, so the reference distribution is the normal.
  const df = Number.POSITIVE_INFINITY;
  const absolute = inferenceOf(b.ratio - a.ratio, Math.sqrt(a.variance + b.variance), df, options);
  const ra2 = a.ratio * a.ratio;
  const relVar = b.variance / ra2 + (b.ratio * b.ratio * a.variance) / (ra2 * ra2);
  const relative = inferenceOf((b.ratio - a.ratio) / Math.abs(a.ratio), Math.sqrt(relVar), df, options);
  return { control: a, treatment: b, absolute, relative };
}
