import { normalQuantile, tQuantile } from "./distributions.js";
import type { Interval } from "./types.js";

/** Multiple-testing correction family. */
export type CorrectionMethod = "none" | "bonferroni" | "holm" | "bh";

// Indices of the finite p-values, sorted by p ascending (stable, so ties keep input order).
function order(p: number[]): number[] {
  return p
    .map((v, i) => [v, i] as const)
    .filter(([v]) => Number.isFinite(v))
    .sort((x, y) => x[0] - y[0] || x[1] - y[1])
    .map(([, i]) => i);
}

/** Bonferroni: min(1, m p). Non-finite p-values are left as they are and not counted in m. */
export function bonferroni(p: number[]): number[] {
  const m = order(p).length;
  return p.map((v) => (Number.isFinite(v) ? Math.min(1, m * v) : v));
}

/** Holm-Bonferroni step-down: running max of (m - i + 1) p_(i), capped at 1; in input order. */
export function holm(p: number[]): number[] {
  const idx = order(p);
  const m = idx.length;
  const out = p.slice();
  let running = 0;
  idx.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p[i]!));
    out[i] = running;
  });
  return out;
}

/** Benjamini-Hochberg step-up: running min from the largest of m p_(i) / i, capped at 1; in input order. */
export function benjaminiHochberg(p: number[]): number[] {
  const idx = order(p);
  const m = idx.length;
  const out = p.slice();
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const i = idx[rank]!;
    running = Math.min(running, (m * p[i]!) / (rank + 1));
    out[i] = running;
  }
  return out;
}

/** Adjusted p-values of a family, in input order. */
export function adjustPValues(p: number[], method: CorrectionMethod): number[] {
  switch (method) {
    case "bonferroni":
      return bonferroni(p);
    case "holm":
      return holm(p);
    case "bh":
      return benjaminiHochberg(p);
    default:
      return p.slice();
  }
}

/**
 * Interval widened to match an adjusted p-value (GrowthBook's adjustedCI): sd_adj = |est / z_{1-p_adj/2}|,
 * CI = est +- z_{1-a/2} sd_adj. `reported` keeps the unadjusted CI unless the adjusted one is wider on
 * both sides, and is (-inf, inf) once p_adj > 0.999999.
 */
export function adjustedInterval(
  estimate: number,
  ci: Interval,
  pAdjusted: number,
  alpha = 0.05,
): { raw: Interval; reported: Interval } {
  const sd = Math.abs(estimate / normalQuantile(1 - pAdjusted / 2));
  const z = normalQuantile(1 - alpha / 2);
  const raw: Interval = [estimate - z * sd, estimate + z * sd];
  if (pAdjusted > 0.999999) return { raw, reported: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY] };
  const wider = raw[0] < ci[0] && raw[1] > ci[1];
  return { raw, reported: wider ? raw : ci };
}

/** Bonferroni interval: the two-sided interval at level 1 - alpha/m (t with df, or normal). */
export function bonferroniInterval(
  estimate: number,
  se: number,
  m: number,
  alpha = 0.05,
  df = Number.POSITIVE_INFINITY,
): { quantile: number; ci: Interval } {
  const q = Number.isFinite(df) ? tQuantile(1 - alpha / (2 * m), df) : normalQuantile(1 - alpha / (2 * m));
  return { quantile: q, ci: [estimate - q * se, estimate + q * se] };
}
