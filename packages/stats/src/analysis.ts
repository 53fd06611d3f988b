// One entry point over a metric's per-variation sufficient statistics, returning every number the
// results APIs (Kameleoon, LaunchDarkly) need. Degenerate inputs yield `reason`/`warnings`, never NaN.
import {
  type BetaDist,
  type BetaPrior,
  betaCredibleInterval,
  betaExpectedLoss,
  betaMean,
  betaPosterior,
  betaRelativeDifferenceQuantiles,
  normalEffectPosterior,
  normalRisk,
  probabilityBetaGreater,
  probabilityToBeBestBeta,
  probabilityToBeBestNormal,
} from "./bayesian.js";
import { adjustPValues, type CorrectionMethod } from "./corrections.js";
import {
  type CupedArm,
  type CupedRelativeGradient,
  cupedAdjust,
  cupedComparison,
  cupedTheta,
} from "./cuped.js";
import { normalQuantile } from "./distributions.js";
import { intervalOf, summarize, welchTTest } from "./frequentist.js";
import { type MonteCarloOptions, probabilityToBeBestMonteCarlo } from "./monte-carlo.js";
import { type ChiSquareResult, conversionChiSquare, twoProportionZTest } from "./proportions.js";
import { relativeLiftTest } from "./relative.js";
import { sampleSizeMeans, sampleSizeProportions } from "./sample-size.js";
import { confidenceSequence, DEFAULT_TUNING_N, msprt } from "./sequential.js";
import { type SrmResult, sampleRatioMismatch } from "./srm.js";
import type { Alternative, CupedSufficientStats, Inference, Interval, Summary } from "./types.js";

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
  /** Conversions of a proportion metric (alias of sum). */
  conversions?: number;
  /** CUPED: sum of the pre-exposure covariate, of its squares, and of metric x covariate. */
  preSum?: number;
  preSumSquares?: number;
  crossSum?: number;
  /** Configured allocation weight, for the sample-ratio check. */
  weight?: number;
}

/** A metric (goal) with its per-variation statistics. */
export interface MetricInput {
  key?: string;
  name?: string;
  /** A conversion metric: values are 0/1 and the per-unit variance is p(1-p). */
  isProportion?: boolean;
  /** Smaller is better (e.g. latency, bounce rate): flips chance to beat, P(best), loss and winner. */
  lowerIsBetter?: boolean;
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
  cupedRelativeGradient?: CupedRelativeGradient;
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

/** An effect's estimate, test and interval (after CUPED when it applies). */
export interface EffectEstimate {
  estimate: number;
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
}

/** A variation compared with the reference. */
export interface Comparison {
  /** Kameleoon improvementRate: relative lift in %, null when the reference mean is 0. */
  improvementRate: number | null;
  /** Kameleoon reliability in %: 100 (1 - p) (adjusted p when a correction applies), or 100 P(beat). */
  reliability: number | null;
  absolute: EffectEstimate | null;
  relative: EffectEstimate | null;
  /** The headline p-value: the test of the absolute difference (Welch), adjusted value beside it. */
  pValue: number | null;
  pValueAdjusted: number | null;
  significant: boolean;
  /** Conversion metrics: the pooled two-proportion z-test. */
  zTest: { z: number; pValue: number } | null;
  cuped: { theta: number; varianceReduction: number } | null;
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
  /** Whether CUPED was applied (it needs covariate statistics for every variation). */
  cuped: { theta: number } | null;
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

interface Arm {
  input: VariationInput;
  index: number;
  summary: Summary | null;
  conversions: number | null;
  cuped: CupedSufficientStats | null;
  reason?: string;
}

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

// Validate one variation into usable statistics, or a reason why it cannot be used.
function toArm(v: VariationInput, index: number, isProportion: boolean): Arm {
  const arm: Arm = { input: v, index, summary: null, conversions: null, cuped: null };
  if (!finite(v.n) || v.n < 0) return { ...arm, reason: `invalid unit count ${String(v.n)}` };
  if (v.n === 0) return { ...arm, reason: "no units" };
  if (isProportion) {
    const c = v.conversions ?? v.sum;
    if (!finite(c) || c < 0) return { ...arm, reason: `invalid conversions ${String(c)}` };
    if (c > v.n) return { ...arm, reason: `more conversions (${c}) than units (${v.n})` };
    arm.conversions = c;
    arm.summary = summarize({ n: v.n, sum: c, sumSquares: c }, true);
  } else {
    if (!finite(v.sum) || !finite(v.sumSquares))
      return { ...arm, reason: "sum and sumSquares are required and must be finite" };
    // Sum of squares below sum^2/n means the statistics cannot come from real values.
    const floor = (v.sum * v.sum) / v.n;
    if (v.sumSquares < floor - 1e-9 * Math.max(1, floor))
      return { ...arm, reason: "sumSquares is smaller than sum^2/n: inconsistent statistics" };
    if (v.n < 2) return { ...arm, reason: "fewer than 2 units: variance undefined" };
    arm.summary = summarize({ n: v.n, sum: v.sum, sumSquares: v.sumSquares });
  }
  if (finite(v.preSum) && finite(v.preSumSquares) && finite(v.crossSum)) {
    arm.cuped = {
      n: v.n,
      sum: isProportion ? arm.conversions! : v.sum!,
      sumSquares: isProportion ? arm.conversions! : v.sumSquares!,
      preSum: v.preSum,
      preSumSquares: v.preSumSquares,
      crossSum: v.crossSum,
    };
  }
  return arm;
}

function sequentialOptions(o: AnalysisOptions["sequential"]): MetricAnalysis["sequential"] {
  if (!o) return null;
  const s = o === true ? {} : o;
  return { method: s.method ?? "confidence-sequence", tuningN: s.tuningN ?? DEFAULT_TUNING_N };
}

// How to recompute an effect's interval at another level (for intervals widened by a correction).
const intervalAtLevel = new WeakMap<EffectEstimate, (alpha: number) => Interval>();

// Fixed-horizon inference, replaced by the always-valid interval and p-value when sequential is on.
function effectOf(
  fixed: Inference,
  sequential: MetricAnalysis["sequential"],
  n: number,
  alpha: number,
): EffectEstimate {
  const df = Number.isFinite(fixed.df) ? fixed.df : null;
  let pValue = fixed.pValue;
  let ci = fixed.ci;
  let at = (level: number): Interval =>
    intervalOf(fixed.estimate, fixed.se, fixed.df, level, fixed.alternative);
  if (sequential?.method === "msprt") {
    // Mixing variance on the effect scale: Statsig's z^2 (vA + vB) / N, held at N = N* so it is a fixed
    // prior (se^2 n / 2 = vA + vB for equal arms).
    const z = normalQuantile(1 - alpha / 2);
    const tau2 = (z * z * fixed.se * fixed.se * n) / (2 * sequential.tuningN);
    const m = msprt(fixed.estimate, fixed.se, tau2, { alpha });
    pValue = m.pValue;
    ci = m.ci;
    at = (level) => msprt(fixed.estimate, fixed.se, tau2, { alpha: level }).ci;
  } else if (sequential) {
    const tuningN = sequential.tuningN;
    const cs = confidenceSequence(fixed.estimate, fixed.se, n, { alpha, tuningN });
    pValue = cs.pValue;
    ci = cs.ci;
    at = (level) => confidenceSequence(fixed.estimate, fixed.se, n, { alpha: level, tuningN }).ci;
  }
  const effect: EffectEstimate = {
    estimate: fixed.estimate,
    se: fixed.se,
    df,
    pValue,
    ci,
    fixedHorizon: sequential ? { pValue: fixed.pValue, ci: fixed.ci } : null,
    pValueAdjusted: null,
    ciAdjusted: null,
  };
  intervalAtLevel.set(effect, at);
  return effect;
}

function isUsable(i: Inference): boolean {
  return Number.isFinite(i.estimate) && i.se > 0 && Number.isFinite(i.se) && Number.isFinite(i.pValue);
}

/**
 * Analyze one metric: frequentist (Welch, relative lift, z-test, chi-square), Bayesian (Beta-Binomial or
 * normal), sequential, CUPED, correction over its variations, SRM, sample size, P(best).
 */
export function analyzeMetric(metric: MetricInput, options: AnalysisOptions = {}): MetricAnalysis {
  const warnings: string[] = [];
  let alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) {
    warnings.push(`alpha ${String(options.alpha)} is not in (0, 1); using 0.05`);
    alpha = 0.05;
  }
  const isProportion = metric.isProportion === true;
  const lowerIsBetter = metric.lowerIsBetter === true;
  const engine = options.engine ?? "frequentist";
  let alternative = options.alternative ?? "two-sided";
  const sequential = sequentialOptions(options.sequential);
  if (sequential && alternative !== "two-sided") {
    warnings.push("sequential tests are two-sided; the alternative was ignored");
    alternative = "two-sided";
  }
  const correction = options.correction ?? "none";
  const variationsIn = Array.isArray(metric.variations) ? metric.variations : [];
  const arms = variationsIn.map((v, i) => toArm(v, i, isProportion));
  for (const a of arms) if (a.reason) warnings.push(`variation ${a.input.key}: ${a.reason}`);

  const result: MetricAnalysis = {
    ...(metric.key !== undefined ? { metric: metric.key } : {}),
    isProportion,
    lowerIsBetter,
    reference: null,
    alpha,
    engine,
    alternative,
    sequential,
    cuped: null,
    correction,
    variations: [],
    chiSquare: null,
    srm: null,
    winner: null,
    pBestMethod: { method: options.pBestMethod ?? "integral", standardError: null },
    warnings,
  };
  if (arms.length === 0) {
    warnings.push("no variations");
    return result;
  }
  let refIndex = 0;
  if (options.reference !== undefined) {
    const found = arms.findIndex((a) => a.input.key === options.reference);
    if (found < 0)
      warnings.push(`reference variation ${options.reference} not found; using ${arms[0]!.input.key}`);
    else refIndex = found;
  }
  const ref = arms[refIndex]!;
  result.reference = ref.input.key;
  if (arms.length === 1) warnings.push("only one variation: nothing to compare");

  const usable = arms.filter((a) => a.summary !== null);

  // CUPED needs the covariate for every usable arm; theta is pooled over all of them.
  let cupedArms: Map<number, CupedArm> | null = null;
  let theta = 0;
  if (options.cuped) {
    const missing = usable.filter((a) => a.cuped === null);
    if (missing.length > 0 || usable.length < 2) {
      warnings.push(
        `CUPED not applied: covariate statistics (preSum, preSumSquares, crossSum) missing for ${missing.map((a) => a.input.key).join(", ") || "the comparison"}`,
      );
    } else {
      const stats = usable.map((a) => a.cuped!);
      theta = cupedTheta(stats);
      const adjusted = cupedAdjust(stats, theta);
      cupedArms = new Map(usable.map((a, i) => [a.index, adjusted[i]!]));
      result.cuped = { theta };
      if (theta === 0) warnings.push("CUPED covariate has no variance (or no correlation): theta = 0");
    }
  }

  // Bayesian posteriors per usable arm.
  const betaPrior = options.prior?.beta ?? { alpha: 1, beta: 1 };
  const posterior = new Map<number, BetaDist>();
  if (isProportion)
    for (const a of usable) posterior.set(a.index, betaPosterior(a.input.n, a.conversions!, betaPrior));
  // Numeric arms: the mean's posterior under a flat prior (CUPED-adjusted when it applies).
  const normalOf = (a: Arm): { mean: number; sd: number } => {
    const c = cupedArms?.get(a.index);
    if (c) return { mean: c.meanAdjusted, sd: Math.sqrt(c.varianceMeanAdjusted) };
    return { mean: a.summary!.mean, sd: Math.sqrt(a.summary!.variance / a.summary!.n) };
  };

  const pBest = bestProbabilities(usable, isProportion, lowerIsBetter, posterior, normalOf, options, result);

  result.variations = arms.map((a) => {
    const v: VariationAnalysis = {
      key: a.input.key,
      ...(a.input.name !== undefined ? { name: a.input.name } : {}),
      isReference: a === ref,
      units: finite(a.input.n) ? a.input.n : 0,
      sampleMean: a.summary ? a.summary.mean : null,
      variance: a.summary && Number.isFinite(a.summary.variance) ? a.summary.variance : null,
      conversions: a.conversions,
      conversionRate: isProportion && a.summary ? a.summary.mean : null,
      adjustedMean: cupedArms?.get(a.index)?.meanAdjusted ?? null,
      mean: null,
      credibleInterval: null,
      pBest: pBest.get(a.index) ?? null,
      relativeDifferences: [],
      comparison: null,
      warnings: [],
      ...(a.reason ? { reason: a.reason } : {}),
    };
    if (a.summary) {
      const post = posterior.get(a.index);
      if (post) {
        v.mean = betaMean(post);
        v.credibleInterval = betaCredibleInterval(post, 1 - alpha);
      } else {
        const nd = normalOf(a);
        const z = normalQuantile(1 - alpha / 2);
        v.mean = nd.mean;
        v.credibleInterval = [nd.mean - z * nd.sd, nd.mean + z * nd.sd];
      }
    }
    return v;
  });

  const ctx: CompareContext = {
    alpha,
    alternative,
    sequential,
    isProportion,
    lowerIsBetter,
    options,
    cupedArms,
    theta,
    posterior,
  };
  for (const a of arms) {
    if (a === ref) continue;
    const v = result.variations[a.index]!;
    v.comparison = compare(ref, a, ctx);
  }

  // Relative differences (LaunchDarkly): from the reference, or from every other usable arm.
  const fromAll = options.relativeDifferences === "all";
  for (const a of usable) {
    const v = result.variations[a.index]!;
    for (const from of usable) {
      if (from === a || (!fromAll && from !== ref)) continue;
      const rd = relativeDifference(from, a, ctx, from === ref ? v.comparison : null);
      if (rd) v.relativeDifferences.push({ fromVariation: from.input.key, lower: rd[0], upper: rd[1] });
    }
  }

  if (isProportion && usable.length >= 2) {
    const counts = usable.map((a) => ({ n: a.input.n, conversions: a.conversions! }));
    const conv = counts.reduce((s, c) => s + c.conversions, 0);
    const units = counts.reduce((s, c) => s + c.n, 0);
    if (conv > 0 && conv < units) result.chiSquare = conversionChiSquare(counts);
  }

  result.srm = srmOf(arms, options, warnings);
  if (correction !== "none") applyCorrection([result], correction);
  finalize(result);
  return result;
}

/** Analyze many metrics; the correction family spans every metric x variation comparison. */
export function analyzeExperiment(metrics: MetricInput[], options: AnalysisOptions = {}): MetricAnalysis[] {
  const correction = options.correction ?? "none";
  const results = metrics.map((m) => analyzeMetric(m, { ...options, correction: "none" }));
  for (const r of results) r.correction = correction;
  if (correction !== "none") {
    applyCorrection(results, correction);
    for (const r of results) finalize(r);
  }
  return results;
}

interface CompareContext {
  alpha: number;
  alternative: Alternative;
  sequential: MetricAnalysis["sequential"];
  isProportion: boolean;
  lowerIsBetter: boolean;
  options: AnalysisOptions;
  cupedArms: Map<number, CupedArm> | null;
  theta: number;
  posterior: Map<number, BetaDist>;
}

function emptyComparison(reason: string): Comparison {
  return {
    improvementRate: null,
    reliability: null,
    absolute: null,
    relative: null,
    pValue: null,
    pValueAdjusted: null,
    significant: false,
    zTest: null,
    cuped: null,
    sequential: null,
    bayesian: null,
    sampleSize: null,
    reason,
    warnings: [],
  };
}

// The comparison of one arm with the reference.
function compare(ref: Arm, arm: Arm, ctx: CompareContext): Comparison {
  if (!ref.summary)
    return emptyComparison(`reference variation ${ref.input.key}: ${ref.reason ?? "no data"}`);
  if (!arm.summary) return emptyComparison(arm.reason ?? "no data");
  const a = ref.summary;
  const b = arm.summary;
  const { alpha, alternative, sequential } = ctx;
  const c = emptyComparison("");
  delete c.reason;
  const reasons: string[] = [];
  const n = a.n + b.n;
  const testOptions = { alpha, alternative };

  let absolute: Inference | null = welchTTest(a, b, testOptions);
  let relative: Inference | null = a.mean !== 0 ? relativeLiftTest(a, b, testOptions) : null;
  if (a.mean === 0) reasons.push("reference mean is 0: relative lift undefined");
  const ca = ctx.cupedArms?.get(ref.index);
  const cb = ctx.cupedArms?.get(arm.index);
  if (ca && cb) {
    const cu = cupedComparison(ref.cuped!, arm.cuped!, {
      ...testOptions,
      theta: ctx.theta,
      ...(ctx.options.cupedRelativeGradient ? { relativeGradient: ctx.options.cupedRelativeGradient } : {}),
    });
    absolute = cu.absolute;
    relative = a.mean !== 0 ? cu.relative : null;
    c.cuped = { theta: cu.theta, varianceReduction: cu.varianceReduction };
  }
  if (!isUsable(absolute)) {
    reasons.push("no variance in either arm: tests undefined");
    absolute = null;
    relative = null;
  } else if (relative && !isUsable(relative)) relative = null;
  c.absolute = absolute ? effectOf(absolute, sequential, n, alpha) : null;
  c.relative = relative ? effectOf(relative, sequential, n, alpha) : null;
  if (sequential) c.sequential = { ...sequential, n };
  c.pValue = c.absolute ? c.absolute.pValue : null;
  if (relative) c.improvementRate = 100 * relative.estimate;

  if (ctx.isProportion && a.variance + b.variance > 0) {
    const z = twoProportionZTest(
      { n: a.n, conversions: ref.conversions! },
      { n: b.n, conversions: arm.conversions! },
      testOptions,
    );
    if (Number.isFinite(z.pooled.z)) c.zTest = { z: z.pooled.z, pValue: z.pooled.pValue };
  }

  c.bayesian = bayesianCompare(ref, arm, ctx, absolute, relative);
  c.sampleSize = sampleSizeOf(a, ctx);
  if (reasons.length > 0) c.reason = reasons.join("; ");
  return c;
}

function bayesianCompare(
  ref: Arm,
  arm: Arm,
  ctx: CompareContext,
  absolute: Inference | null,
  relative: Inference | null,
): BayesianComparison | null {
  const flip = ctx.lowerIsBetter;
  const pa = ctx.posterior.get(ref.index);
  const pb = ctx.posterior.get(arm.index);
  if (pa && pb) {
    const beat = probabilityBetaGreater(pb, pa);
    const loss = betaExpectedLoss(pa, pb, beat);
    const t = ctx.alpha / 2;
    const [lo, hi] = betaRelativeDifferenceQuantiles(pa, pb, [t, 1 - t]) as [number, number];
    return {
      model: "beta-binomial",
      chanceToBeat: flip ? beat.less : beat.greater,
      // Loss of shipping B: E[max(pA - pB, 0)] (reversed when lower is better).
      expectedLoss: flip
        ? { chooseVariation: loss.chooseControl, keepReference: loss.chooseTreatment }
        : { chooseVariation: loss.chooseTreatment, keepReference: loss.chooseControl },
      relativeInterval: [lo, hi],
    };
  }
  if (!absolute) return null;
  // Normal model: chance to beat from the relative effect (where the optional prior lives), loss in
  // metric units from the absolute effect (flat prior).
  const effect = relative ?? absolute;
  const prior = relative ? (ctx.options.prior?.normal ?? null) : null;
  const post = normalEffectPosterior(effect.estimate, effect.se, prior, ctx.alpha);
  const risk = normalRisk(absolute.estimate, absolute.se);
  const relPost = relative ? post : null;
  return {
    model: "normal",
    chanceToBeat: flip ? 1 - post.chanceToWin : post.chanceToWin,
    expectedLoss: flip
      ? { chooseVariation: risk.riskControl, keepReference: risk.riskTreatment }
      : { chooseVariation: risk.riskTreatment, keepReference: risk.riskControl },
    relativeInterval: relPost ? relPost.ci : [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
  };
}

// Credible interval of arm/from - 1: exact Beta ratio quantiles, or the normal posterior of the lift.
function relativeDifference(
  from: Arm,
  arm: Arm,
  ctx: CompareContext,
  cmp: Comparison | null,
): Interval | null {
  if (cmp)
    return cmp.bayesian && Number.isFinite(cmp.bayesian.relativeInterval[0])
      ? cmp.bayesian.relativeInterval
      : null;
  const pa = ctx.posterior.get(from.index);
  const pb = ctx.posterior.get(arm.index);
  if (pa && pb) {
    const t = ctx.alpha / 2;
    return betaRelativeDifferenceQuantiles(pa, pb, [t, 1 - t]) as Interval;
  }
  if (!from.summary || !arm.summary || from.summary.mean === 0) return null;
  const ca = ctx.cupedArms?.get(from.index);
  const rel =
    ca && from.cuped && arm.cuped
      ? cupedComparison(from.cuped, arm.cuped, { alpha: ctx.alpha, theta: ctx.theta }).relative
      : relativeLiftTest(from.summary, arm.summary, { alpha: ctx.alpha });
  if (!isUsable(rel)) return null;
  return normalEffectPosterior(rel.estimate, rel.se, ctx.options.prior?.normal ?? null, ctx.alpha).ci;
}

function sampleSizeOf(a: Summary, ctx: CompareContext): Comparison["sampleSize"] {
  const mde = ctx.options.minimumDetectableEffect ?? 0.1;
  const opts = { alpha: ctx.alpha, power: ctx.options.power ?? 0.8 };
  let perArm = Number.NaN;
  if (ctx.isProportion) {
    const p2 = a.mean * (1 + mde);
    if (a.mean > 0 && p2 < 1 && p2 > 0) perArm = sampleSizeProportions(a.mean, p2, opts);
  } else if (a.mean !== 0 && a.variance > 0) {
    perArm = sampleSizeMeans(Math.sqrt(a.variance), mde * Math.abs(a.mean), opts);
  }
  if (!Number.isFinite(perArm)) return null;
  const required = Math.ceil(perArm);
  return { perArm: required, met: a.n >= required, minimumDetectableEffect: mde };
}

function bestProbabilities(
  usable: Arm[],
  isProportion: boolean,
  lowerIsBetter: boolean,
  posterior: Map<number, BetaDist>,
  normalOf: (a: Arm) => { mean: number; sd: number },
  options: AnalysisOptions,
  result: MetricAnalysis,
): Map<number, number> {
  const out = new Map<number, number>();
  if (usable.length === 0) return out;
  if (isProportion) {
    // Lower is better: the best rate is the best 1 - rate, Beta(beta, alpha).
    const dists = usable.map((a) => {
      const p = posterior.get(a.index)!;
      return lowerIsBetter ? { alpha: p.beta, beta: p.alpha } : p;
    });
    const r =
      options.pBestMethod === "monte-carlo"
        ? probabilityToBeBestMonteCarlo(
            dists.map((d) => ({ kind: "beta" as const, ...d })),
            options.monteCarlo,
          )
        : probabilityToBeBestBeta(dists);
    if (r.standardError !== undefined) result.pBestMethod.standardError = r.standardError;
    usable.forEach((a, i) => {
      out.set(a.index, r.pBest[i]!);
    });
    return out;
  }
  const dists = usable.map((a) => {
    const d = normalOf(a);
    return lowerIsBetter ? { mean: -d.mean, sd: d.sd } : d;
  });
  const r =
    options.pBestMethod === "monte-carlo"
      ? probabilityToBeBestMonteCarlo(
          dists.map((d) => ({ kind: "normal" as const, ...d })),
          options.monteCarlo,
        )
      : probabilityToBeBestNormal(dists);
  if (r.standardError !== undefined) result.pBestMethod.standardError = r.standardError;
  usable.forEach((a, i) => {
    out.set(a.index, r.pBest[i]!);
  });
  return out;
}

function srmOf(arms: Arm[], options: AnalysisOptions, warnings: string[]): SrmResult | null {
  const weights = arms.map((a) => options.weights?.[a.input.key] ?? a.input.weight);
  if (weights.every((w) => w === undefined)) return null;
  if (weights.some((w) => w === undefined || !finite(w) || w < 0)) {
    warnings.push("sample-ratio check skipped: a weight is missing or invalid");
    return null;
  }
  const units = arms.map((a) => (finite(a.input.n) && a.input.n >= 0 ? a.input.n : 0));
  const srm = sampleRatioMismatch(units, weights as number[], options.srmThreshold ?? 0.001);
  if (srm.flagged)
    warnings.push(`sample ratio mismatch: p = ${srm.pValue.toExponential(2)} < ${srm.threshold}`);
  return srm;
}

// Adjusts p-values over every comparison of the given analyses (absolute and relative families apart)
// and widens each interval to level 1 - alpha p / p_adj: exactly alpha/m for Bonferroni, and for Holm and
// BH an interval that excludes 0 exactly when the adjusted p-value is below alpha (also for sequences).
function applyCorrection(results: MetricAnalysis[], method: CorrectionMethod): void {
  for (const family of ["absolute", "relative"] as const) {
    const effects: { e: EffectEstimate; alpha: number }[] = [];
    for (const r of results)
      for (const v of r.variations) {
        const e = v.comparison?.[family];
        if (e) effects.push({ e, alpha: r.alpha });
      }
    const adjusted = adjustPValues(
      effects.map((x) => x.e.pValue),
      method,
    );
    const m = effects.length;
    effects.forEach(({ e, alpha }, i) => {
      const pAdj = adjusted[i]!;
      e.pValueAdjusted = pAdj;
      const ratio = e.pValue > 0 && pAdj > 0 ? e.pValue / pAdj : 1 / m;
      const at = intervalAtLevel.get(e);
      e.ciAdjusted = ratio >= 1 || !at ? e.ci : at(alpha * ratio);
    });
  }
}

// Headline numbers that depend on the correction and the engine.
function finalize(r: MetricAnalysis): void {
  let best: { key: string; score: number } | null = null;
  for (const v of r.variations) {
    const c = v.comparison;
    if (!c) continue;
    const headline = c.absolute;
    c.pValueAdjusted = headline?.pValueAdjusted ?? null;
    const p = c.pValueAdjusted ?? c.pValue;
    const good = headline ? (r.lowerIsBetter ? headline.estimate < 0 : headline.estimate > 0) : false;
    c.significant = p !== null && p < r.alpha;
    if (r.engine === "bayesian" && c.bayesian) c.reliability = 100 * c.bayesian.chanceToBeat;
    else c.reliability = p !== null ? 100 * (1 - p) : null;
    if (r.engine === "frequentist" && c.significant && good && headline) {
      const score = Math.abs(headline.estimate);
      if (!best || score > best.score) best = { key: v.key, score };
    }
  }
  if (r.engine === "bayesian") {
    const top = r.variations.filter((v) => v.pBest !== null && v.pBest >= 1 - r.alpha);
    r.winner = top[0]?.key ?? null;
  } else r.winner = best?.key ?? null;
}
