// One variation compared with the reference: both effects from one test (fixed horizon or always-valid),
// the Bayesian comparison, the sample-size check.
import type { Arm, ArmNormal } from "./analysis-arms.js";
import type {
  AdjustmentMethod,
  AnalysisOptions,
  BayesianComparison,
  Comparison,
  EffectEstimate,
  MetricAnalysis,
} from "./analysis-types.js";
import { type BetaDist, normalEffectPosterior, normalRisk } from "./bayesian.js";
import { betaExpectedLoss, probabilityBetaGreater } from "./beta-compare.js";
import { betaRelativeDifferenceQuantiles } from "./beta-relative.js";
import { type Calibration, fixedCalibration, sequentialCalibration } from "./calibration.js";
import { normalQuantile, normalSf } from "./distributions.js";
import {
  type EffectCore,
  fiellerLift,
  meanEffects,
  proportionEffects,
  type TwoArmEffects,
} from "./effects.js";
import { welchDf } from "./frequentist.js";
import { zPValue } from "./proportions.js";
import type { AdjustedArm } from "./regression-adjustment.js";
import { sampleSizeMeans, sampleSizeProportions } from "./sample-size.js";
import type { Alternative, Interval, Summary } from "./types.js";

/** What every comparison of one metric shares. */
export interface CompareContext {
  alpha: number;
  alternative: Alternative;
  sequential: MetricAnalysis["sequential"];
  isProportion: boolean;
  lowerIsBetter: boolean;
  options: AnalysisOptions;
  /** Arms after the metric's variance reduction (CUPED, regression, post-stratification), if applied. */
  adjustedArms: Map<number, AdjustedArm> | null;
  /** The applied variance reduction, and CUPED's theta. */
  adjustment: Exclude<AdjustmentMethod, "none"> | null;
  theta: number;
  posterior: Map<number, BetaDist>;
  normalOf: (a: Arm) => ArmNormal;
}

/** How to recompute an effect's interval at another level (for intervals widened by a correction). */
export const intervalAtLevel = new WeakMap<EffectEstimate, (alpha: number) => Interval>();

export function emptyComparison(reason: string): Comparison {
  return {
    improvementRate: null,
    reliability: null,
    test: null,
    thin: false,
    absolute: null,
    relative: null,
    pValue: null,
    pValueAdjusted: null,
    significant: false,
    zTest: null,
    cuped: null,
    adjustment: null,
    sequential: null,
    bayesian: null,
    sampleSize: null,
    reason,
    warnings: [],
  };
}

const ADJUSTED_TEST = {
  cuped: "cuped-z",
  regression: "regression-z",
  "post-stratification": "post-stratified-z",
} as const;

// Both effects under one calibration: Welch / CUPED z / score / exact.
function effectsOf(
  ref: Arm,
  arm: Arm,
  ctx: CompareContext,
  cal: (df: number) => Calibration,
  exact: boolean,
) {
  const a = ref.summary!;
  const b = arm.summary!;
  const ca = ctx.adjustedArms?.get(ref.index);
  const cb = ctx.adjustedArms?.get(arm.index);
  if (ca && cb)
    return meanEffects(
      { mean: ca.meanAdjusted, varianceOfMean: ca.varianceMeanAdjusted },
      { mean: cb.meanAdjusted, varianceOfMean: cb.varianceMeanAdjusted },
      cal(Number.POSITIVE_INFINITY),
      ADJUSTED_TEST[ctx.adjustment ?? "cuped"],
      ctx.alpha,
    );
  if (ctx.isProportion)
    return proportionEffects(
      { n: a.n, conversions: ref.conversions! },
      { n: b.n, conversions: arm.conversions! },
      cal(Number.POSITIVE_INFINITY),
      { alpha: ctx.alpha, exact },
    );
  return meanEffects(
    { mean: a.mean, varianceOfMean: a.variance / a.n },
    { mean: b.mean, varianceOfMean: b.variance / b.n },
    cal(welchDf(a, b)),
    "welch",
    ctx.alpha,
  );
}

function estimateOf(
  core: EffectCore,
  cal: Calibration,
  fixed: EffectCore | null,
  alpha: number,
): EffectEstimate {
  const effect: EffectEstimate = {
    estimate: core.estimate,
    se: core.se,
    df: cal.df !== null && Number.isFinite(cal.df) ? cal.df : null,
    pValue: core.pValue,
    ci: core.interval(alpha),
    fixedHorizon: fixed ? { pValue: fixed.pValue, ci: fixed.interval(alpha) } : null,
    pValueAdjusted: null,
    ciAdjusted: null,
  };
  intervalAtLevel.set(effect, core.interval);
  return effect;
}

/** The comparison of one arm with the reference. */
export function compare(ref: Arm, arm: Arm, ctx: CompareContext): Comparison {
  if (!ref.summary)
    return emptyComparison(`reference variation ${ref.input.key}: ${ref.reason ?? "no data"}`);
  if (!arm.summary) return emptyComparison(arm.reason ?? "no data");
  const a = ref.summary;
  const b = arm.summary;
  const { alpha, alternative, sequential } = ctx;
  const c = emptyComparison("");
  delete c.reason;
  const n = a.n + b.n;
  const fixedCal = (df: number) => fixedCalibration(df, alternative);
  const fixed = effectsOf(ref, arm, ctx, fixedCal, true);
  let effects: TwoArmEffects = fixed;
  let cal: Calibration = fixedCal(Number.POSITIVE_INFINITY);
  if (sequential) {
    const seqCal = () => sequentialCalibration({ ...sequential, n, alpha });
    effects = effectsOf(ref, arm, ctx, seqCal, false);
    cal = seqCal();
  } else if (fixed.test === "welch") cal = fixedCal(welchDf(a, b));
  const reasons = [...effects.reasons];
  if (sequential && fixed.test === "fisher-exact")
    reasons.push(
      "sequential test on thin data: the always-valid score test is used; Fisher's exact p is in fixedHorizon",
    );
  c.test = effects.test;
  c.thin = effects.thin;
  c.absolute = effects.absolute
    ? estimateOf(effects.absolute, cal, sequential ? fixed.absolute : null, alpha)
    : null;
  c.relative = effects.relative
    ? estimateOf(effects.relative, cal, sequential ? fixed.relative : null, alpha)
    : null;
  if (sequential) c.sequential = { ...sequential, n };
  c.pValue = c.absolute ? c.absolute.pValue : null;
  if (c.relative) c.improvementRate = 100 * c.relative.estimate;
  const ca = ctx.adjustedArms?.get(ref.index);
  const cb = ctx.adjustedArms?.get(arm.index);
  if (ca && cb) {
    const unadjusted = ca.varianceMeanUnadjusted + cb.varianceMeanUnadjusted;
    const adjusted = ca.varianceMeanAdjusted + cb.varianceMeanAdjusted;
    const varianceReduction = unadjusted > 0 ? 1 - adjusted / unadjusted : 0;
    if (ctx.adjustment === "cuped") c.cuped = { theta: ctx.theta, varianceReduction };
    if (ctx.adjustment) c.adjustment = { method: ctx.adjustment, varianceReduction };
  }
  if (
    ctx.isProportion &&
    ref.conversions! + arm.conversions! > 0 &&
    ref.conversions! + arm.conversions! < n
  ) {
    const pool = (ref.conversions! + arm.conversions!) / n;
    const z = (b.mean - a.mean) / Math.sqrt(pool * (1 - pool) * (1 / a.n + 1 / b.n));
    c.zTest = { z, pValue: zPValue(z, alternative) };
  }
  c.bayesian = bayesianCompare(ref, arm, ctx, reasons);
  c.sampleSize = sampleSizeOf(a, ctx);
  if (reasons.length > 0) c.reason = reasons.join("; ");
  return c;
}

// P(beat) above 1 - alpha/2 or below alpha/2: the equal-tailed credible interval excludes 0.
const credibleOf = (chance: number, alpha: number): boolean => chance > 1 - alpha / 2 || chance < alpha / 2;

/**
 * Bayesian comparison. Conversions without CUPED: Beta-Binomial (exact P(B > A), Beta ratio quantiles).
 * Otherwise the normal posteriors of the arm means (CUPED-adjusted when it applies): chance to beat
 * Phi(d / sd), which is P(best) for two arms, and the relative interval by Fieller at the normal quantile,
 * which is the equal-tailed posterior interval of the ratio; with a prior on the relative effect, the
 * normal-normal posterior of the delta-method lift gives both.
 */
function bayesianCompare(
  ref: Arm,
  arm: Arm,
  ctx: CompareContext,
  reasons: string[],
): BayesianComparison | null {
  const flip = ctx.lowerIsBetter;
  const pa = ctx.posterior.get(ref.index);
  const pb = ctx.posterior.get(arm.index);
  if (pa && pb) {
    const beat = probabilityBetaGreater(pb, pa);
    const loss = betaExpectedLoss(pa, pb, beat);
    const t = ctx.alpha / 2;
    const [lo, hi] = betaRelativeDifferenceQuantiles(pa, pb, [t, 1 - t]) as [number, number];
    const chance = flip ? beat.less : beat.greater;
    return {
      model: "beta-binomial",
      chanceToBeat: chance,
      // Loss of shipping B: E[max(pA - pB, 0)] (reversed when lower is better).
      expectedLoss: flip
        ? { chooseVariation: loss.chooseControl, keepReference: loss.chooseTreatment }
        : { chooseVariation: loss.chooseTreatment, keepReference: loss.chooseControl },
      relativeInterval: [lo, hi],
      credible: credibleOf(chance, ctx.alpha),
    };
  }
  const na = ctx.normalOf(ref);
  const nb = ctx.normalOf(arm);
  const sd = Math.hypot(na.sd, nb.sd);
  if (!(sd > 0)) return null;
  const d = nb.mean - na.mean;
  const risk = normalRisk(d, sd);
  let beat = normalSf(-d / sd);
  let interval: Interval = fiellerLift(
    { mean: na.mean, varianceOfMean: na.sd ** 2 },
    { mean: nb.mean, varianceOfMean: nb.sd ** 2 },
    normalQuantile(1 - ctx.alpha / 2),
  );
  const prior = ctx.options.prior?.normal ?? null;
  if (prior && na.mean !== 0) {
    const lift = d / Math.abs(na.mean);
    const se = Math.sqrt(nb.sd ** 2 / na.mean ** 2 + (nb.mean ** 2 * na.sd ** 2) / na.mean ** 4);
    const post = normalEffectPosterior(lift, se, prior, ctx.alpha);
    beat = post.chanceToWin;
    interval = post.ci;
  }
  if (!Number.isFinite(interval[0]) && !reasons.some((r) => r.includes("not distinguishable")))
    reasons.push(
      "reference mean is not distinguishable from 0: the credible interval of the lift is unbounded",
    );
  const chance = flip ? 1 - beat : beat;
  return {
    model: "normal",
    chanceToBeat: chance,
    expectedLoss: flip
      ? { chooseVariation: risk.riskControl, keepReference: risk.riskTreatment }
      : { chooseVariation: risk.riskTreatment, keepReference: risk.riskControl },
    relativeInterval: interval,
    credible: credibleOf(chance, ctx.alpha),
  };
}

/** Credible interval of arm/from - 1 (LaunchDarkly relativeDifferences): Beta ratio, or normal Fieller. */
export function relativeDifference(
  from: Arm,
  arm: Arm,
  ctx: CompareContext,
  cmp: Comparison | null,
): Interval | null {
  const bounded = (i: Interval) => (Number.isFinite(i[0]) && Number.isFinite(i[1]) ? i : null);
  if (cmp) return cmp.bayesian ? bounded(cmp.bayesian.relativeInterval) : null;
  if (!from.summary || !arm.summary) return null;
  const pa = ctx.posterior.get(from.index);
  const pb = ctx.posterior.get(arm.index);
  const t = ctx.alpha / 2;
  if (pa && pb) return betaRelativeDifferenceQuantiles(pa, pb, [t, 1 - t]) as Interval;
  const na = ctx.normalOf(from);
  const nb = ctx.normalOf(arm);
  return bounded(
    fiellerLift(
      { mean: na.mean, varianceOfMean: na.sd ** 2 },
      { mean: nb.mean, varianceOfMean: nb.sd ** 2 },
      normalQuantile(1 - t),
    ),
  );
}

function sampleSizeOf(a: Summary, ctx: CompareContext): Comparison["sampleSize"] {
  const mde = ctx.options.minimumDetectableEffect ?? 0.1;
  const opts = { alpha: ctx.alpha, power: ctx.options.power ?? 0.8 };
  let perArm = Number.NaN;
  if (ctx.isProportion) {
    const p2 = a.mean * (1 + mde);
    if (a.mean > 0 && p2 < 1 && p2 > 0 && mde !== 0) perArm = sampleSizeProportions(a.mean, p2, opts);
  } else if (a.mean !== 0 && a.variance > 0 && mde !== 0) {
    perArm = sampleSizeMeans(Math.sqrt(a.variance), mde * Math.abs(a.mean), opts);
  }
  if (!Number.isFinite(perArm)) return null;
  const required = Math.ceil(perArm);
  return { perArm: required, met: a.n >= required, minimumDetectableEffect: mde };
}
