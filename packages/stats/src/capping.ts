// Capping (winsorisation) of a numeric metric's per-unit values, as Statsig and GrowthBook offer it: every
// unit's value above a cap counts as the cap. The cap is absolute, or a percentile of the pooled per-unit
// values of every arm (units without a value count as 0), so the arms are capped alike and the cap does not
// depend on which arm a unit is in. The analysis then estimates the difference of the capped means.
import { StatsInputError } from "./errors.js";
import { type Moments, mergeMoments } from "./moments.js";

/** A goal's capping: none, an absolute upper cap, or a percentile (0 < value < 1) of the pooled values. */
export type CappingSettings =
  | { type: "none" }
  | { type: "absolute"; value: number }
  | { type: "percentile"; value: number };

/** Throws StatsInputError unless the settings are usable (finite absolute cap; percentile in (0, 1)). */
export function validateCapping(settings: CappingSettings): void {
  if (settings.type === "none") return;
  if (!Number.isFinite(settings.value))
    throw new StatsInputError(`capping value must be a finite number, got ${settings.value}`);
  if (settings.type === "percentile" && !(settings.value > 0 && settings.value < 1))
    throw new StatsInputError(
      `a percentile cap is a fraction between 0 and 1 (0.99 = P99), got ${settings.value}`,
    );
}

/**
 * The q-quantile of `total` units' values, `values` being the units that have one and the others 0, with
 * linear interpolation between order statistics (type 7: SQL's percentile_cont, DuckDB's quantile_cont).
 */
export function pooledPercentile(values: readonly number[], total: number, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new StatsInputError(`quantile must be in [0, 1], got ${q}`);
  if (!Number.isInteger(total) || total < values.length)
    throw new StatsInputError(
      `total units (${total}) must be an integer of at least the ${values.length} values`,
    );
  if (total === 0) throw new StatsInputError("no units: the percentile is undefined");
  const zeros = total - values.length;
  const all = [...values, ...(zeros > 0 ? [0] : [])].sort((a, b) => a - b);
  // Order statistic i of the pooled sample: the zeros form one run at the position 0 sorts to.
  const zeroAt = all.indexOf(0);
  const at = (i: number): number => {
    if (zeros === 0) return all[i]!;
    if (i < zeroAt) return all[i]!;
    if (i < zeroAt + zeros) return 0;
    return all[i - zeros + 1]!;
  };
  const h = (total - 1) * q;
  const lo = Math.floor(h);
  return at(lo) + (h - lo) * (at(Math.min(total - 1, lo + 1)) - at(lo));
}

/**
 * The cap a goal's settings give on the analysed data (`values` of `total` units pooled over every arm);
 * null without capping.
 */
export function capThreshold(
  settings: CappingSettings,
  values: readonly number[],
  total: number,
): number | null {
  validateCapping(settings);
  if (settings.type === "none") return null;
  if (settings.type === "absolute") return settings.value;
  return pooledPercentile(values, total, settings.value);
}

/**
 * Sufficient statistics of an arm's per-unit values capped at `cap` (null: uncapped): `values` are the
 * units that have a value, the other `n - values.length` units count 0. `m2` is the centred sum of squares.
 */
export function cappedSums(
  values: readonly number[],
  n: number,
  cap: number | null,
): { n: number; sum: number; sumSquares: number; m2: number } {
  if (!Number.isInteger(n) || n < values.length)
    throw new StatsInputError(`n (${n}) must be an integer of at least the ${values.length} values`);
  let sum = 0;
  let sumSquares = 0;
  let moments: Moments = { n: 0, mean: 0, m2: 0 };
  for (const v of values) {
    if (!Number.isFinite(v)) throw new StatsInputError(`per-unit values must be finite, got ${v}`);
    const y = cap === null ? v : Math.min(v, cap);
    sum += y;
    sumSquares += y * y;
    moments = mergeMoments(moments, { n: 1, mean: y, m2: 0 });
  }
  moments = mergeMoments(moments, { n: n - values.length, mean: 0, m2: 0 });
  return { n, sum, sumSquares, m2: moments.m2 };
}
