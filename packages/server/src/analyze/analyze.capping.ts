// `vexil analyze` capping: a metric given per-unit values (`values` per variation) and `capping` gets its
// sums from the capped values, the cap computed on every variation's values pooled, as the results APIs do.

import type { VariationInput } from "@vexil/stats";
import { type CappingSettings, cappedSums, capThreshold, StatsInputError } from "@vexil/stats";

/** The capping a metric's analysis applied: the setting and the cap (null: none, or a percentile at 0). */
export interface AnalyzeCapping {
  type: CappingSettings["type"];
  value: number | null;
  cap: number | null;
  applied: boolean;
}

/** Reads a metric's `capping` field; throws a message for the input error. */
export function cappingSettingsOf(raw: unknown): CappingSettings {
  if (raw === undefined || raw === null) return { type: "none" };
  const c = raw as { type?: unknown; value?: unknown };
  if (typeof raw !== "object" || !["none", "absolute", "percentile"].includes(c.type as string))
    throw new Error('"capping" must be {"type": "none" | "absolute" | "percentile", "value": number}');
  if (c.type === "none") return { type: "none" };
  const value = Number(c.value);
  if (c.type === "absolute" && !(Number.isFinite(value) && value > 0))
    throw new Error(`"capping": an absolute cap is a number above 0, got ${JSON.stringify(c.value)}`);
  if (c.type === "percentile" && !(value > 0 && value < 1))
    throw new Error(
      `"capping": a percentile is a fraction between 0 and 1 (0.99 = P99), got ${JSON.stringify(c.value)}`,
    );
  return { type: c.type as "absolute" | "percentile", value };
}

/**
 * Fills each variation's sum, sumSquares and m2 from its per-unit `values` (the other n - values.length
 * units count 0), capped at the cap of the pooled values. Throws a message for an input error.
 */
export function applyCapping(
  variations: VariationInput[],
  values: (number[] | undefined)[],
  settings: CappingSettings,
): AnalyzeCapping | null {
  if (values.every((v) => v === undefined)) {
    if (settings.type !== "none") throw new Error('"capping" needs per-unit "values" for every variation');
    return null;
  }
  if (values.some((v) => v === undefined))
    throw new Error('per-unit "values" must be given for every variation of the metric, or for none');
  const lists = values as number[][];
  try {
    const pooled = lists.flat();
    const total = variations.reduce((s, v) => s + v.n, 0);
    let cap = capThreshold(settings, pooled, total);
    // As in the results APIs: a percentile that comes out at 0 or below is not applied.
    if (settings.type === "percentile" && cap !== null && cap <= 0) cap = null;
    variations.forEach((v, i) => {
      const sums = cappedSums(lists[i]!, v.n, cap);
      v.sum = sums.sum;
      v.sumSquares = sums.sumSquares;
      v.m2 = sums.m2;
    });
    if (settings.type === "none") return null;
    return { type: settings.type, value: settings.value, cap, applied: cap !== null };
  } catch (e) {
    if (e instanceof StatsInputError) throw new Error(e.message);
    throw e;
  }
}
