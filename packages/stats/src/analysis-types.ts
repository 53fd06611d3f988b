// Input and output shapes of analyzeMetric / analyzeExperiment.
import type { BetaPrior } from "./bayesian.js";
import type { CorrectionMethod } from "./corrections.js";
import type { EffectTest } from "./effects.js";
import type { MonteCarloOptions } from "./monte-carlo.js";
import type { StratumStats } from "./post-stratification.js";
import type { ChiSquareResult } from "./proportions.js";
import type { SrmResult } from "./srm.js";
import type { Alternative, Interval } from "./types.js";

/** One variation's sufficient statistics for a metric. */
export interface VariationInput {
  /** Variation key (id). */
  key: string;
  name?: string;
  /** Units (visitors, users) exposed. */
  n: number;
  /** Sum of the metric over units (for a conversion metric: the conversions). */
  sum?: number;
  /** Sum of squared values (a conversion metric may omit it: it equals the conversions). */
  sumSquares?: number;
  /**
   * Sum of squared deviations from the mean (centred; preferred over sumSquares, which loses the variance
   * when the mean is large against the spread). Either this or sumSquares is required for numeric metrics.
   */
  m2?: number;
  /** Conversions of a proportion metric (alias of sum). */
  conversions?: number;
  /** CUPED: sum of the pre-exposure covariate, of its squares, and of metric x covariate. */
  preSum?: number;
  preSumSquares?: number;
  crossSum?: number;
  /** CUPED, centred (preferred when given): the covariate's squared deviations and the co-moment. */
  preM2?: number;
  crossM2?: number;
  /**
   * Regression adjustment: means of [metric, x1, ..., xk] over the variation's units and their centred
   * co-moments ((k+1) x (k+1), index 0 the metric), as `regressionStatsOf` computes them.
   */
  regression?: { means: number[]; comoments: number[][] };
  /** Post-stratification: the variation's units, sum and centred sum of squares per stratum. */
  strata?: StratumStats[];
  /** Configured allocation weight, for the sample-ratio check. */
  weight?: number;
}

/** A variance reduction: none, CUPED (one covariate), regression on k covariates, post-stratification. */
export type AdjustmentMethod = "none" | "cuped" | "regression" | "post-stratification";

/** A metric (goal) with its per-variation statistics. */
export interface MetricInput {
  key?: string;
  name?: string;
  /** A conversion metric: values are 0/1 and the per-unit variance is p(1-p). */
  isProportion?: boolean;
  /** Smaller is better (e.g. latency, bounce rate): flips chance to beat, P(best), loss and winner. */
  lowerIsBetter?: boolean;
  /** Apply CUPED to this metric (default: the analysis' `cuped` option). */
  cuped?: boolean;
  /** The variance reduction of this metric (default: CUPED when `cuped`, else the analysis'). */
  adjustment?: AdjustmentMethod;
  /** Names of the regression covariates (default x1..xk). */
  covariates?: string[];
  variations: VariationInput[];
}

/** Sequential testing options. */
export interface SequentialOptions {
  /** Asymptotic confidence sequence (default) or a normal-mixture mSPRT. */
  method?: "confidence-sequence" | "msprt";
  /** Units (both arms) at which the sequence is tightest (default 5000). */
  tuningN?: number;
}

/** Options of an analysis. */
export interface AnalysisOptions {
  /** Significance level; intervals are at 1 - alpha (default 0.05). */
  alpha?: number;
  /** Key of the reference (control) variation; the first variation by default. */
  reference?: string;
  /** Which framework leads `reliability`, `significant` and the winner (both are always computed). */
  engine?: "frequentist" | "bayesian";
  alternative?: Alternative;
  sequential?: boolean | SequentialOptions;
  cuped?: boolean;
  /** The variance reduction of every metric that does not choose its own (default none). */
  adjustment?: AdjustmentMethod;
  /** Post-stratification: a stratum with fewer units in some arm is merged with the small ones (20). */
  minUnitsPerStratum?: number;
  correction?: CorrectionMethod;
  /** Priors: Beta for conversion rates (default Beta(1,1)); normal on the relative effect (default flat). */
  prior?: { beta?: BetaPrior; normal?: { mean: number; variance: number } | null };
  /** Allocation weights by variation key (or per-variation `weight`) for the sample-ratio check. */
  weights?: Record<string, number>;
  srmThreshold?: number;
  /** Relative minimum detectable effect for the sample-size check (default 0.1 = 10 %). */
  minimumDetectableEffect?: number;
  power?: number;
  /** P(best) by quadrature (default) or seeded Monte Carlo. */
  pBestMethod?: "integral" | "monte-carlo";
  monteCarlo?: MonteCarloOptions;
  /** Relative differences from the reference only (default) or from every other variation. */
  relativeDifferences?: "reference" | "all";
}

/**
 * An effect's estimate, test and interval (after CUPED when it applies). The interval is inverted from
 * the same test as the p-value: it excludes 0 exactly when pValue < alpha (adjusted: when pValueAdjusted
 * < alpha). Bounds are +-Infinity where the data bound nothing on that side.
 */
export interface EffectEstimate {
  estimate: number;
  /** Standard error (relative effects: the delta method's, for reference only). */
  se: number;
  /** Reference distribution's degrees of freedom; null for the normal. */
  df: number | null;
  /** Fixed-horizon, or always-valid when sequential testing is on. */
  pValue: number;
  ci: Interval;
  /** The fixed-horizon test when sequential testing is on (null otherwise). */
  fixedHorizon: { pValue: number; ci: Interval } | null;
  /** After the multiple-testing correction (null when none applies). */
  pValueAdjusted: number | null;
  ciAdjusted: Interval | null;
}

/** The Bayesian comparison of a variation with the reference. */
export interface BayesianComparison {
  model: "beta-binomial" | "normal";
  /** P(variation is better than the reference), respecting lowerIsBetter. */
  chanceToBeat: number;
  /** Expected loss (metric units) of shipping the variation, and of keeping the reference. */
  expectedLoss: { chooseVariation: number; keepReference: number };
  /** Credible interval (1 - alpha) of the relative difference variation/reference - 1. */
  relativeInterval: Interval;
  /** The credible interval excludes 0 (chance to beat above 1 - alpha/2 or below alpha/2). */
  credible: boolean;
}

/** A variation compared with the reference. */
export interface Comparison {
  /** Kameleoon improvementRate: relative lift in %, null when the reference mean is 0. */
  improvementRate: number | null;
  /** Kameleoon reliability in %: 100 (1 - p) (adjusted p when a correction applies), or 100 P(beat). */
  reliability: number | null;
  /** The test behind both effects (Welch, CUPED z, pooled score, Fisher's exact), null without one. */
  test: EffectTest | null;
  /** Small expected counts: the report says so (and uses the exact test at fixed horizon). */
  thin: boolean;
  absolute: EffectEstimate | null;
  relative: EffectEstimate | null;
  /** The headline p-value: the one test behind both intervals, adjusted value beside it. */
  pValue: number | null;
  pValueAdjusted: number | null;
  /**
   * The engine's verdict. Frequentist: the (adjusted) p-value is below alpha, i.e. the (adjusted)
   * intervals exclude 0. Bayesian: the credible interval of the relative difference excludes 0.
   */
  significant: boolean;
  /** Conversion metrics: the pooled two-proportion z-test. */
  zTest: { z: number; pValue: number } | null;
  cuped: { theta: number; varianceReduction: number } | null;
  /** The variance reduction applied (any method): 1 - Var(adjusted effect) / Var(unadjusted effect). */
  adjustment: { method: Exclude<AdjustmentMethod, "none">; varianceReduction: number } | null;
  sequential: { method: "confidence-sequence" | "msprt"; tuningN: number; n: number } | null;
  bayesian: BayesianComparison | null;
  /** Units per arm needed to detect the MDE with the configured power (Fleiss pooled for conversions). */
  sampleSize: { perArm: number; met: boolean; minimumDetectableEffect: number } | null;
  /** Why some numbers are missing. */
  reason?: string;
  warnings: string[];
}

/** One variation in the analysis. */
export interface VariationAnalysis {
  key: string;
  name?: string;
  isReference: boolean;
  units: number;
  /** Observed mean (conversion rate for conversion metrics); null without units. */
  sampleMean: number | null;
  /** Per-unit variance; null when undefined. */
  variance: number | null;
  conversions: number | null;
  /** Kameleoon conversionRate (conversion metrics), as a fraction. */
  conversionRate: number | null;
  /** CUPED-adjusted mean when CUPED applies. */
  adjustedMean: number | null;
  /** LaunchDarkly fields: posterior mean, its credible interval, P(best), relative differences. */
  mean: number | null;
  credibleInterval: Interval | null;
  pBest: number | null;
  relativeDifferences: { fromVariation: string; lower: number; upper: number }[];
  comparison: Comparison | null;
  reason?: string;
  warnings: string[];
}

/** The analysis of one metric. */
export interface MetricAnalysis {
  metric?: string;
  isProportion: boolean;
  lowerIsBetter: boolean;
  reference: string | null;
  alpha: number;
  engine: "frequentist" | "bayesian";
  alternative: Alternative;
  sequential: { method: "confidence-sequence" | "msprt"; tuningN: number } | null;
  /** Whether CUPED was applied (it needs valid covariate statistics and must narrow every interval). */
  cuped: { theta: number } | null;
  /** Why CUPED was asked for and not applied (null when applied or not asked). */
  cupedReason: string | null;
  /**
   * The variance reduction applied (CUPED, regression, post-stratification): the regression's covariates
   * used with their pooled slopes and those left out; the strata with their pooled weights and the small
   * strata merged into one.
   */
  adjustment: {
    method: Exclude<AdjustmentMethod, "none">;
    covariates: { name: string; coefficient: number }[];
    dropped: { covariate: string; reason: string }[];
    strata: { stratum: string; weight: number }[] | null;
    merged: string[];
  } | null;
  /** Why the asked variance reduction was not applied (null when applied or none asked). */
  adjustmentReason: string | null;
  correction: CorrectionMethod;
  variations: VariationAnalysis[];
  /** K x 2 chi-square of conversion metrics (LaunchDarkly legacy chi2/pValue). */
  chiSquare: ChiSquareResult | null;
  srm: SrmResult | null;
  /** Key of the winning variation under the engine's rule, or null. */
  winner: string | null;
  /** P(best) method and, for Monte Carlo, its largest standard error. */
  pBestMethod: { method: "integral" | "monte-carlo"; standardError: number | null };
  warnings: string[];
}
