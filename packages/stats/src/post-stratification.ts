// Post-stratification by a categorical visitor attribute (device, browser, country, a custom datum):
// each arm's mean re-weighted to the strata's shares of the pooled data, which removes the part of the
// variance the attribute explains (Miratrix, Sekhon and Yu 2013).
import type { AdjustedArm } from "./regression-adjustment.js";

/** One stratum of an arm: units, sum and centred sum of squares of the metric. */
export interface StratumStats {
  stratum: string;
  n: number;
  sum: number;
  m2: number;
}

/** Options of post-stratification. */
export interface PostStratificationOptions {
  /**
   * A stratum with fewer units than this in some arm is merged with the other small ones (and, if that
   * merged stratum is still small, into the largest stratum): its variance would be too noisy. Default 20.
   */
  minUnitsPerArm?: number;
}

/** Post-stratified arms, or why post-stratification has no defined value. */
export type PostStratification =
  | {
      applied: true;
      /** The strata used, with their pooled weights; `merged` lists the small strata pooled into one. */
      strata: { stratum: string; weight: number }[];
      merged: string[];
      arms: AdjustedArm[];
    }
  | { applied: false; reason: string; merged: string[] };

const OTHER = "(small strata merged)";

interface Cell {
  n: number;
  sum: number;
  m2: number;
}

function mergeCell(a: Cell, b: Cell): Cell {
  if (a.n === 0) return b;
  if (b.n === 0) return a;
  const n = a.n + b.n;
  const delta = b.sum / b.n - a.sum / a.n;
  return { n, sum: a.sum + b.sum, m2: a.m2 + b.m2 + (delta * delta * a.n * b.n) / n };
}

const EMPTY: Cell = { n: 0, sum: 0, m2: 0 };

function validCell(s: StratumStats): boolean {
  return Number.isFinite(s.n) && s.n >= 0 && Number.isFinite(s.sum) && Number.isFinite(s.m2) && s.m2 >= 0;
}

/**
 * Post-stratification of arms (each a list of strata). Weights w_s = N_s / N from the data pooled over
 * the arms; each arm's mean sum_s w_s Ybar_{a,s}, with the conditional variance sum_s w_s^2 s^2_{a,s} /
 * n_{a,s}. Small strata are merged first (see the option); not applied, with the reason, when fewer than
 * two strata remain or an arm has fewer than 2 units.
 */
export function postStratify(
  arms: readonly (readonly StratumStats[])[],
  options: PostStratificationOptions = {},
): PostStratification {
  const min = Math.max(2, options.minUnitsPerArm ?? 20);
  for (const [i, arm] of arms.entries())
    if (!arm.every(validCell))
      return { applied: false, reason: `arm ${i}: impossible stratum statistics`, merged: [] };
  const keys = [...new Set(arms.flatMap((arm) => arm.map((s) => s.stratum)))].sort();
  const cells = (key: string) =>
    arms.map((arm) => arm.filter((s) => s.stratum === key).reduce<Cell>(mergeCell, EMPTY));
  const table = new Map(keys.map((key) => [key, cells(key)]));
  const small = keys.filter((key) => table.get(key)!.some((c) => c.n < min));
  const merged = small.length > 0 ? [...small] : [];
  if (small.length > 0) {
    const other = arms.map((_, a) => small.reduce((acc, key) => mergeCell(acc, table.get(key)![a]!), EMPTY));
    for (const key of small) table.delete(key);
    if (other.some((c) => c.n < min)) {
      const largest = [...table.entries()].sort(
        (x, y) => y[1].reduce((s, c) => s + c.n, 0) - x[1].reduce((s, c) => s + c.n, 0),
      )[0];
      if (largest)
        table.set(
          largest[0],
          largest[1].map((c, a) => mergeCell(c, other[a]!)),
        );
      else table.set(OTHER, other);
    } else table.set(OTHER, other);
  }
  const totals = arms.map((_, a) => [...table.values()].reduce((acc, row) => mergeCell(acc, row[a]!), EMPTY));
  for (const [i, t] of totals.entries())
    if (t.n < 2) return { applied: false, reason: `arm ${i}: fewer than 2 units`, merged };
  if (table.size < 2)
    return {
      applied: false,
      reason: `fewer than 2 strata with at least ${min} units in every arm`,
      merged,
    };
  const N = totals.reduce((s, t) => s + t.n, 0);
  const strata = [...table.entries()].map(([stratum, row]) => ({
    stratum,
    weight: row.reduce((s, c) => s + c.n, 0) / N,
  }));
  const rows = [...table.values()];
  const adjusted = totals.map((total, a) => {
    let mean = 0;
    let variance = 0;
    rows.forEach((row, s) => {
      const c = row[a]!;
      const w = strata[s]!.weight;
      mean += w * (c.sum / c.n);
      variance += (w * w * (c.m2 / (c.n - 1))) / c.n;
    });
    return {
      n: total.n,
      meanAdjusted: mean,
      varianceMeanAdjusted: variance,
      varianceMeanUnadjusted: total.m2 / (total.n - 1) / total.n,
    };
  });
  return { applied: true, strata, merged, arms: adjusted };
}
