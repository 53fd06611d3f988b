// How a test statistic becomes a p-value and an interval: the fixed-horizon t or normal law, or an
// always-valid sequence (confidence sequence or mSPRT). Every interval of a comparison is the set of
// effects its own test does not reject, so a verdict and the interval beside it cannot disagree.
import { normalQuantile, tQuantile } from "./distributions.js";
import { pValueOf } from "./frequentist.js";
import { confidenceSequence, msprt } from "./sequential.js";
import type { Alternative } from "./types.js";

/** Sequential testing settings of a comparison. */
export interface SequentialSpec {
  method: "confidence-sequence" | "msprt";
  tuningN: number;
  /** Units of both arms at this look. */
  n: number;
  /** The analysis' level (the mSPRT's mixing variance is set from it). */
  alpha: number;
}

/** A statistic's law: its p-value, and the critical value at a level (one- or two-sided). */
export interface Calibration {
  alternative: Alternative;
  /** Degrees of freedom of the fixed-horizon law (Infinity: normal); null when sequential. */
  df: number | null;
  pValue(statistic: number): number;
  critical(alpha: number): number;
}

/** Fixed-horizon calibration: Student t with df (Infinity = normal). */
export function fixedCalibration(df: number, alternative: Alternative = "two-sided"): Calibration {
  const sides = alternative === "two-sided" ? 2 : 1;
  return {
    alternative,
    df,
    pValue: (statistic) => pValueOf(statistic, df, alternative),
    critical: (alpha) => tQuantile(1 - alpha / sides, df),
  };
}

/** Always-valid calibration (two-sided): the multiplier of the sequence depends only on the units. */
export function sequentialCalibration(spec: SequentialSpec): Calibration {
  const { n, tuningN } = spec;
  // The sequence's rho is tuned at the analysis' level; its p-value is read at that same level.
  if (spec.method === "msprt") {
    // Mixing variance z^2 (vA + vB) / N* on the effect (Statsig), i.e. tau2 / se^2 = z^2 n / (2 N*).
    const z = normalQuantile(1 - spec.alpha / 2);
    const ratio = (z * z * n) / (2 * tuningN);
    return {
      alternative: "two-sided",
      df: null,
      pValue: (statistic) => msprt(statistic, 1, ratio).pValue,
      critical: (alpha) => msprt(0, 1, ratio, { alpha }).halfwidth,
    };
  }
  return {
    alternative: "two-sided",
    df: null,
    pValue: (statistic) => confidenceSequence(statistic, 1, n, { alpha: spec.alpha, tuningN }).pValue,
    critical: (alpha) => confidenceSequence(0, 1, n, { alpha, tuningN }).halfwidth,
  };
}

/** Applies the alternative to two-sided bounds computed at the calibration's critical value. */
export function sided(bounds: [number, number], alternative: Alternative): [number, number] {
  if (alternative === "greater") return [bounds[0], Number.POSITIVE_INFINITY];
  if (alternative === "less") return [Number.NEGATIVE_INFINITY, bounds[1]];
  return bounds;
}
