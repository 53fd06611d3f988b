// Shared shapes of the statistics package.

/** A closed interval [lower, upper]; bounds may be +-Infinity for one-sided intervals. */
export type Interval = [number, number];

/** Direction of the alternative hypothesis for treatment minus control. */
export type Alternative = "two-sided" | "greater" | "less";

/** Per-arm sufficient statistics of a metric (sum of values and of squared values over n units). */
export interface SufficientStats {
  n: number;
  sum: number;
  sumSquares: number;
}

/** Sufficient statistics with a pre-exposure covariate, for CUPED. */
export interface CupedSufficientStats extends SufficientStats {
  preSum: number;
  preSumSquares: number;
  /** Sum over units of metric x covariate. */
  crossSum: number;
  /**
   * Centred moments, when known (preferred over the raw sums, which lose the variance when the mean is
   * large against the spread): sums of squared deviations of the metric and the covariate, co-moment.
   */
  m2?: number;
  preM2?: number;
  crossM2?: number;
}

/** Per-arm summary: units, mean and per-unit variance. */
export interface Summary {
  n: number;
  mean: number;
  variance: number;
}

/** An estimate with its standard error, test and interval. */
export interface Inference {
  estimate: number;
  se: number;
  /** Degrees of freedom of the reference distribution (Infinity = normal). */
  df: number;
  statistic: number;
  pValue: number;
  ci: Interval;
  alpha: number;
  alternative: Alternative;
}

/** Common test options. */
export interface TestOptions {
  /** Significance level (default 0.05); intervals are at level 1 - alpha. */
  alpha?: number;
  alternative?: Alternative;
}

/** A Beta(alpha, beta) distribution (posterior of a conversion rate). */
export interface BetaDist {
  alpha: number;
  beta: number;
}

/** A normal distribution (posterior of a mean or an effect). */
export interface NormalDist {
  mean: number;
  sd: number;
}

/** Beta prior of a conversion rate; Beta(1, 1) (uniform) by default. */
export interface BetaPrior {
  alpha: number;
  beta: number;
}
