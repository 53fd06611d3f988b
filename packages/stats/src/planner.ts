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
  /** Numeric metric: the reference's mean (non-zero) and the per-unit standard deviation. */
  mean?: number;
  sd?: number;
  /** Relative minimum detectable effect, e.g. 0.05 for +5 % (negative for a decrease). */
  minimumDetectableEffect: number;
  /** Arms including the reference (default 2). */
  variations?: number;
  alpha?: number;
  power?: number;
  /** Correction over the variations - 1 comparisons (planned at Bonferroni's level: safe for Holm and BH). */
  correction?: CorrectionMethod;
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
  method: "fleiss-pooled" | "normal" | "confidence-sequence";
}

/**
 * Units per arm to detect the effect with the given power: Fleiss' pooled formula for rates and the normal
 * formula for means at fixed horizon; with sequential testing, the smallest n at which the expected z
 * clears the confidence sequence's boundary at n by the power quantile. Throws StatsInputError on input
 * that has no answer (no effect, a rate outside (0, 1), a zero mean).
 */
export function planSampleSize(input: PlanInput): Plan {
  const alpha = input.alpha ?? 0.05;
  const power = input.power ?? 0.8;
  const k = input.variations ?? 2;
  const mde = input.minimumDetectableEffect;
  if (!(alpha > 0 && alpha < 1) || !(power > 0 && power < 1))
    throw new StatsInputError("alpha and power must lie in (0, 1)");
  if (!Number.isInteger(k) || k < 2) throw new StatsInputError("variations must be an integer of at least 2");
  if (!(Number.isFinite(mde) && mde !== 0))
    throw new StatsInputError("the minimum detectable effect must be non-zero");
  const comparisons = k - 1;
  const alphaPerComparison = (input.correction ?? "none") === "none" ? alpha : alpha / comparisons;
  // Per-arm variance of the reference and the treatment, and the absolute effect.
  let delta: number;
  let varA: number;
  let varB: number;
  let fixed: number;
  if (input.baselineRate !== undefined) {
    const p = input.baselineRate;
    const q = p * (1 + mde);
    if (!(p > 0 && p < 1 && q > 0 && q < 1))
      throw new StatsInputError("the baseline rate and the rate it moves to must lie in (0, 1)");
    delta = q - p;
    varA = p * (1 - p);
    varB = q * (1 - q);
    fixed = sampleSizeProportions(p, q, { alpha: alphaPerComparison, power });
  } else {
    const { mean, sd } = input;
    if (!(mean !== undefined && Number.isFinite(mean) && mean !== 0))
      throw new StatsInputError("a numeric plan needs a non-zero mean");
    if (!(sd !== undefined && sd > 0 && Number.isFinite(sd)))
      throw new StatsInputError("a numeric plan needs sd > 0");
    delta = mde * Math.abs(mean);
    varA = sd * sd;
    varB = sd * sd;
    fixed = sampleSizeMeans(sd, delta, { alpha: alphaPerComparison, power });
  }
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
    perArm = findRoot(gap, Math.max(1, hi / 2), hi, 1e-6);
    method = "confidence-sequence";
  }
  const units = Math.ceil(perArm);
  const total = units * k;
  const days =
    input.dailyUnits !== undefined && input.dailyUnits > 0 ? Math.ceil(total / input.dailyUnits) : null;
  return { perArm: units, total, days, alphaPerComparison, comparisons, method };
}
