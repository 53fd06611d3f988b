// Power and sample-size planning: units per arm (and days at a traffic) to detect a minimum effect, for a
// conversion rate or a mean, with several variations, a multiple-testing correction and sequential testing.
import type { CorrectionMethod } from "./corrections.js";
import { normalQuantile } from "./distributions.js";
import { StatsInputError } from "./errors.js";
import { findRoot } from "./numerics.js";
import { sampleSizeMeans, sampleSizeProportions } from "./sample-size.js";
import { confidenceSequence, DEFAULT_TUNING_N } from "./sequential.js";

/** What to plan for. */
export interface PlanInput {
  /** Conversion metric: the reference's rate in (0, 1). */
  baselineRate?: number;
  /** Numeric metric: the reference's mean and the per-unit standard deviation (or variance). */
  mean?: number;
  sd?: number;
  variance?: number;
  /** Minimum detectable effect: relative (0.05 for +5 %, negative for a decrease) unless effect is "absolute". */
  minimumDetectableEffect: number;
  /** How the effect is given: a fraction of the baseline (default) or in the metric's own units. */
  effect?: "relative" | "absolute";
  /** Arms including the reference (default 2). */
  variations?: number;
  alpha?: number;
  power?: number;
  /**
   * Correction over the (variations - 1) x goals comparisons, planned at Bonferroni's level (safe for Holm and
   * BH, which reject at least what Bonferroni rejects).
   */
  correction?: CorrectionMethod;
  /** Goals analysed together under the correction (default 1). */
  goals?: number;
  /** Always-valid confidence sequence (tuning N*, default 5000): planned at its boundary. */
  sequential?: boolean | { tuningN?: number };
  /** Units per day over all arms, for the duration. */
  dailyUnits?: number;
}

/** The plan. */
export interface Plan {
  perArm: number;
  total: number;
  /** Days at dailyUnits (null without it). */
  days: number | null;
  /** Level each comparison is tested at (alpha / comparisons under a correction). */
  alphaPerComparison: number;
  comparisons: number;
  /** The effect planned for, in the metric's units and relative to the baseline (null for a zero baseline). */
  absoluteEffect: number;
  relativeEffect: number | null;
  method: "fleiss-pooled" | "normal" | "confidence-sequence";
}

/**
 * Units per arm to detect the effect with the given power: Fleiss' pooled formula for rates and the normal
 * formula for means at fixed horizon; with sequential testing, the smallest n at which the expected z
 * clears the confidence sequence's boundary at n by the power quantile. Throws StatsInputError on input
 * that has no answer (no effect, a rate outside (0, 1), a relative effect on a zero mean).
 */
export function planSampleSize(input: PlanInput): Plan {
  const alpha = input.alpha ?? 0.05;
  const power = input.power ?? 0.8;
  const k = input.variations ?? 2;
  const goals = input.goals ?? 1;
  const mde = input.minimumDetectableEffect;
  const absolute = input.effect === "absolute";
  if (!(alpha > 0 && alpha < 1) || !(power > 0 && power < 1))
    throw new StatsInputError("alpha and power must lie in (0, 1)");
  if (!Number.isInteger(k) || k < 2) throw new StatsInputError("variations must be an integer of at least 2");
  if (!Number.isInteger(goals) || goals < 1)
    throw new StatsInputError("goals must be an integer of at least 1");
  if (!(Number.isFinite(mde) && mde !== 0))
    throw new StatsInputError("the minimum detectable effect must be non-zero");
  const comparisons = (k - 1) * goals;
  const alphaPerComparison = (input.correction ?? "none") === "none" ? alpha : alpha / comparisons;
  // Per-arm variance of the reference and the treatment, and the absolute effect.
  let delta: number;
  let varA: number;
  let varB: number;
  let fixed: number;
  if (input.baselineRate !== undefined) {
    const p = input.baselineRate;
    const q = absolute ? p + mde : p * (1 + mde);
    if (!(p > 0 && p < 1 && q > 0 && q < 1))
      throw new StatsInputError("the baseline rate and the rate it moves to must lie in (0, 1)");
    delta = q - p;
    varA = p * (1 - p);
    varB = q * (1 - q);
    fixed = sampleSizeProportions(p, q, { alpha: alphaPerComparison, power });
  } else {
    const { mean } = input;
    const sd = input.sd ?? (input.variance === undefined ? undefined : Math.sqrt(input.variance));
    if (!(mean !== undefined && Number.isFinite(mean)))
      throw new StatsInputError("a numeric plan needs a finite mean");
    if (!absolute && mean === 0)
      throw new StatsInputError("a relative effect needs a non-zero mean (give an absolute effect instead)");
    if (!(sd !== undefined && sd > 0 && Number.isFinite(sd)))
      throw new StatsInputError("a numeric plan needs sd (or variance) > 0");
    delta = absolute ? mde : mde * Math.abs(mean);
    varA = sd * sd;
    varB = sd * sd;
    fixed = sampleSizeMeans(sd, delta, { alpha: alphaPerComparison, power });
  }
  const tooSmall = () =>
    new StatsInputError("the effect is too small to plan for: it needs more than 2^53 units per arm");
  if (!(fixed <= Number.MAX_SAFE_INTEGER)) throw tooSmall();
  let perArm = fixed;
  let method: Plan["method"] = input.baselineRate !== undefined ? "fleiss-pooled" : "normal";
  if (input.sequential) {
    const tuningN = (input.sequential === true ? undefined : input.sequential.tuningN) ?? DEFAULT_TUNING_N;
    const zb = normalQuantile(power);
    // gap(n) = |delta| / se(n) - z_power - boundary(2n): increasing in n past the fixed-horizon size.
    const gap = (n: number) =>
      Math.abs(delta) / Math.sqrt((varA + varB) / n) -
      zb -
      confidenceSequence(0, 1, 2 * n, { alpha: alphaPerComparison, tuningN }).halfwidth;
    let hi = Math.max(2, fixed);
    while (gap(hi) < 0 && hi < 1e15) hi *= 2;
    if (!(gap(hi) >= 0)) throw tooSmall();
    perArm = findRoot(gap, Math.max(1, hi / 2), hi, 1e-6);
    method = "confidence-sequence";
  }
  // At least 2 units per arm: an arm's variance needs two.
  const units = Math.max(2, Math.ceil(perArm));
  const total = units * k;
  if (!(total <= Number.MAX_SAFE_INTEGER)) throw tooSmall();
  const days =
    input.dailyUnits !== undefined && input.dailyUnits > 0 ? Math.ceil(total / input.dailyUnits) : null;
  if (days !== null && !(days <= Number.MAX_SAFE_INTEGER))
    throw new StatsInputError("at this daily traffic the plan takes more than 2^53 days");
  const baseline = input.baselineRate ?? Math.abs(input.mean ?? 0);
  const relativeEffect = baseline === 0 ? null : absolute ? delta / baseline : mde;
  return {
    perArm: units,
    total,
    days,
    alphaPerComparison,
    comparisons,
    absoluteEffect: delta,
    relativeEffect,
    method,
  };
}
