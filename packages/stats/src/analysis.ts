// One entry point over a metric's per-variation sufficient statistics, returning every number the
// results APIs (Kameleoon, LaunchDarkly) need. Degenerate inputs yield `reason`/`warnings`, never NaN.
import { adjustedArmsOf, adjustmentMethodOf } from "./analysis-adjustment.js";
import { type Arm, bestProbabilities, betaPosteriors, finite, toArm } from "./analysis-arms.js";
import { type CompareContext, compare, intervalAtLevel, relativeDifference } from "./analysis-compare.js";
import type {
  AnalysisOptions,
  EffectEstimate,
  MetricAnalysis,
  MetricInput,
  VariationAnalysis,
} from "./analysis-types.js";
import { type BetaDist, betaCredibleInterval, betaMean } from "./bayesian.js";
import { adjustPValues, type CorrectionMethod } from "./corrections.js";
import { normalQuantile } from "./distributions.js";
import { conversionChiSquare } from "./proportions.js";
import type { AdjustedArm } from "./regression-adjustment.js";
import { DEFAULT_TUNING_N } from "./sequential.js";
import { type SrmResult, sampleRatioMismatch } from "./srm.js";

export type * from "./analysis-types.js";

function sequentialOptions(o: AnalysisOptions["sequential"]): MetricAnalysis["sequential"] {
  if (!o) return null;
  const s = o === true ? {} : o;
  return { method: s.method ?? "confidence-sequence", tuningN: s.tuningN ?? DEFAULT_TUNING_N };
}

/**
 * Analyze one metric: one test per comparison behind both effects (Welch with Fieller's lift, pooled
 * score with Miettinen-Nurminen intervals, Fisher's exact test on thin conversions, CUPED z), sequential,
 * Bayesian (Beta-Binomial or normal), correction over its variations, chi-square, SRM, sample size, P(best).
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
    cupedReason: null,
    adjustment: null,
    adjustmentReason: null,
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

  // One variance reduction (CUPED, regression, post-stratification) feeds every output of the metric.
  let adjustedArms: Map<number, AdjustedArm> | null = null;
  let theta = 0;
  const method = adjustmentMethodOf(metric, options);
  const adjusted = adjustedArmsOf(method, usable, ref, metric, options.minUnitsPerStratum);
  if (adjusted && "reason" in adjusted) {
    result.adjustmentReason = adjusted.reason;
    if (method === "cuped") result.cupedReason = adjusted.reason;
    warnings.push(`${method === "cuped" ? "CUPED" : method} not applied: ${adjusted.reason}`);
  } else if (adjusted) {
    adjustedArms = adjusted.arms;
    theta = adjusted.theta;
    result.adjustment = adjusted.summary;
    if (method === "cuped") result.cuped = { theta };
  }

  // Beta posteriors for conversions; with a variance reduction every output uses the adjusted (normal) model.
  const posterior: Map<number, BetaDist> =
    isProportion && !adjustedArms ? betaPosteriors(usable, options) : new Map();
  const normalOf = (a: Arm): { mean: number; sd: number } => {
    const c = adjustedArms?.get(a.index);
    if (c) return { mean: c.meanAdjusted, sd: Math.sqrt(c.varianceMeanAdjusted) };
    return { mean: a.summary!.mean, sd: Math.sqrt(a.summary!.variance / a.summary!.n) };
  };

  const pBest = bestProbabilities(usable, lowerIsBetter, posterior, normalOf, options, result);

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
      adjustedMean: adjustedArms?.get(a.index)?.meanAdjusted ?? null,
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
    adjustedArms,
    adjustment: result.adjustment?.method ?? null,
    theta,
    posterior,
    normalOf,
  };
  for (const a of arms) {
    if (a === ref) continue;
    result.variations[a.index]!.comparison = compare(ref, a, ctx);
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
    if (conv > 0 && conv < units) {
      result.chiSquare = conversionChiSquare(counts);
      const smallest = Math.min(...result.chiSquare.expected.flat());
      if (smallest < 5)
        warnings.push(
          `chi-square: an expected count is ${smallest.toPrecision(3)} (below 5); too thin for its p-value, see each comparison's exact test`,
        );
    }
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

// Adjusts p-values over every comparison of the given analyses and widens each interval to level
// 1 - alpha p / p_adj: exactly alpha/m for Bonferroni, and for Holm and BH an interval that excludes 0
// exactly when the adjusted p-value is below alpha (the interval is inverted from the same test). Both
// effects of a comparison share their test, so one family of p-values serves both.
function applyCorrection(results: MetricAnalysis[], method: CorrectionMethod): void {
  const comparisons: { abs: EffectEstimate; rel: EffectEstimate | null; alpha: number }[] = [];
  for (const r of results)
    for (const v of r.variations) {
      const c = v.comparison;
      if (c?.absolute) comparisons.push({ abs: c.absolute, rel: c.relative, alpha: r.alpha });
    }
  const adjusted = adjustPValues(
    comparisons.map((x) => x.abs.pValue),
    method,
  );
  const m = comparisons.length;
  comparisons.forEach(({ abs, rel, alpha }, i) => {
    const pAdj = adjusted[i]!;
    const ratio = abs.pValue > 0 && pAdj > 0 ? abs.pValue / pAdj : 1 / m;
    for (const e of rel ? [abs, rel] : [abs]) {
      e.pValueAdjusted = pAdj;
      const at = intervalAtLevel.get(e);
      e.ciAdjusted = ratio >= 1 || !at ? e.ci : at(alpha * ratio);
    }
  });
}

// Headline numbers that depend on the correction and the engine: every verdict from the test (or the
// posterior) behind the interval printed beside it.
function finalize(r: MetricAnalysis): void {
  let best: { key: string; score: number } | null = null;
  for (const v of r.variations) {
    const c = v.comparison;
    if (!c) continue;
    const headline = c.absolute;
    c.pValueAdjusted = headline?.pValueAdjusted ?? null;
    const p = c.pValueAdjusted ?? c.pValue;
    if (r.engine === "bayesian") {
      c.significant = c.bayesian?.credible ?? false;
      c.reliability = c.bayesian ? 100 * c.bayesian.chanceToBeat : null;
    } else {
      c.significant = p !== null && p < r.alpha;
      c.reliability = p !== null ? 100 * (1 - p) : null;
    }
    const good = headline ? (r.lowerIsBetter ? headline.estimate < 0 : headline.estimate > 0) : false;
    if (r.engine === "frequentist" && c.significant && good && headline) {
      const score = Math.abs(headline.estimate);
      if (!best || score > best.score) best = { key: v.key, score };
    }
  }
  if (r.engine === "bayesian") {
    // P(best) above 1 - alpha/2: with two arms exactly "its credible interval against the other excludes 0".
    const top = r.variations.filter((v) => v.pBest !== null && v.pBest > 1 - r.alpha / 2);
    r.winner = top[0]?.key ?? null;
  } else r.winner = best?.key ?? null;
}
