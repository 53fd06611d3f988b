import { chiSquareSf } from "./distributions.js";

/** Sample-ratio-mismatch check. */
export interface SrmResult {
  chi2: number;
  df: number;
  pValue: number;
  /** p < threshold (0.001 by default). */
  flagged: boolean;
  threshold: number;
  /** Expected units per arm (0 for arms with weight 0, which the check skips). */
  expected: number[];
}

/**
 * Pearson chi-square of observed units against configured weights; arms with weight <= 0 are skipped
 * (GrowthBook semantics), df = k - 1, flagged below 0.001.
 */
export function sampleRatioMismatch(units: number[], weights: number[], threshold = 0.001): SrmResult {
  const active = units.map((_, i) => i).filter((i) => (weights[i] ?? 0) > 0 && Number.isFinite(units[i]!));
  const total = active.reduce((s, i) => s + units[i]!, 0);
  const weightSum = active.reduce((s, i) => s + weights[i]!, 0);
  const expected = units.map(() => 0);
  let chi2 = 0;
  for (const i of active) {
    const e = (weights[i]! / weightSum) * total;
    expected[i] = e;
    if (e > 0) chi2 += (units[i]! - e) ** 2 / e;
  }
  const df = active.length - 1;
  // Nothing to compare (one arm or no units): no evidence of a mismatch.
  const pValue = df > 0 && total > 0 ? chiSquareSf(chi2, df) : 1;
  return { chi2, df: Math.max(0, df), pValue, flagged: pValue < threshold, threshold, expected };
}
