import { chiSquareSf, normalSf } from "./distributions.js";
import { StatsInputError } from "./errors.js";
import { inferenceOf, pValueOf } from "./frequentist.js";
import { relativeLiftTest } from "./relative.js";
import type { Inference, Summary, TestOptions } from "./types.js";

/** Units and conversions of one arm. */
export interface ConversionCounts {
  n: number;
  conversions: number;
}

/** Summary of a conversion metric: the rate, with the per-unit variance p(1-p) (no n/(n-1)). */
export function proportionSummary(counts: ConversionCounts): Summary {
  if (!(counts.n > 0)) throw new StatsInputError("a conversion rate needs at least one unit");
  const p = counts.conversions / counts.n;
  return { n: counts.n, mean: p, variance: p * (1 - p) };
}

/** Result of the two-proportion z-test. */
export interface TwoProportionResult {
  pControl: number;
  pTreatment: number;
  diff: number;
  /** Classic test with the pooled rate under H0 (= 2x2 chi-square without Yates). */
  pooled: { se: number; z: number; pValue: number };
  /** Wald test and interval with the unpooled SE. */
  unpooled: Inference;
  /** Relative lift with delta-method SE and the normal quantile; null when the control rate is 0. */
  relative: Inference | null;
}

/**
 * Two-proportion z-test: pooled test, unpooled (Wald) interval, relative lift by the delta method. Throws
 * StatsInputError without units in an arm, or when no arm has both outcomes (no variance to test with).
 */
export function twoProportionZTest(
  control: ConversionCounts,
  treatment: ConversionCounts,
  options: TestOptions = {},
): TwoProportionResult {
  const a = proportionSummary(control);
  const b = proportionSummary(treatment);
  const diff = b.mean - a.mean;
  const pool = (control.conversions + treatment.conversions) / (control.n + treatment.n);
  if (pool === 0 || pool === 1)
    throw new StatsInputError("the z-test needs both outcomes in the data (pooled rate is 0 or 1)");
  const pooledSe = Math.sqrt(pool * (1 - pool) * (1 / control.n + 1 / treatment.n));
  const z = diff / pooledSe;
  const unpooledSe = Math.sqrt(a.variance / a.n + b.variance / b.n);
  return {
    pControl: a.mean,
    pTreatment: b.mean,
    diff,
    pooled: { se: pooledSe, z, pValue: pValueOf(z, Number.POSITIVE_INFINITY, options.alternative) },
    unpooled: inferenceOf(diff, unpooledSe, Number.POSITIVE_INFINITY, options),
    relative: a.mean > 0 ? relativeLiftTest(a, b, { ...options, distribution: "normal" }) : null,
  };
}

/** Pearson chi-square test of independence. */
export interface ChiSquareResult {
  chi2: number;
  df: number;
  pValue: number;
  expected: number[][];
}

/** Pearson chi-square test of an r x c table (Yates' continuity correction for 2 x 2 when asked). */
export function chiSquareTest(table: number[][], options: { yates?: boolean } = {}): ChiSquareResult {
  const rows = table.length;
  const cols = table[0]?.length ?? 0;
  const rowSums = table.map((r) => r.reduce((s, v) => s + v, 0));
  const colSums = Array.from({ length: cols }, (_, j) => table.reduce((s, r) => s + (r[j] ?? 0), 0));
  const total = rowSums.reduce((s, v) => s + v, 0);
  const expected = table.map((_, i) => colSums.map((c) => (rowSums[i]! * c) / total));
  // Yates only applies to 2 x 2; like R, the correction never exceeds |O - E|.
  const yates = options.yates === true && rows === 2 && cols === 2;
  let chi2 = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const e = expected[i]![j]!;
      if (e <= 0) continue;
      let d = Math.abs(table[i]![j]! - e);
      if (yates) d -= Math.min(0.5, d);
      chi2 += (d * d) / e;
    }
  }
  const df = (rows - 1) * (cols - 1);
  return { chi2, df, pValue: chiSquareSf(chi2, df), expected };
}

/** K x 2 chi-square over arms' (conversions, non-conversions) (LaunchDarkly legacy `chi2`/`pValue`). */
export function conversionChiSquare(
  arms: ConversionCounts[],
  options: { yates?: boolean } = {},
): ChiSquareResult {
  return chiSquareTest(
    arms.map((a) => [a.conversions, a.n - a.conversions]),
    options,
  );
}

/** One-sided-aware normal p-value for a z statistic (exported for callers holding a z). */
export function zPValue(z: number, alternative: TestOptions["alternative"] = "two-sided"): number {
  if (alternative === "greater") return normalSf(z);
  if (alternative === "less") return normalSf(-z);
  return Math.min(1, 2 * normalSf(Math.abs(z)));
}
