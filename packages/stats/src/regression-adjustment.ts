// Regression adjustment on several pre-period covariates (multivariate CUPED; CUPAC when a covariate is a
// prediction): the outcome's OLS slopes on k covariates pooled over every arm, then each arm's mean
// adjusted to the pooled covariate means. With one covariate it is CUPED (cuped.ts). Inputs are per-arm
// centred co-moments, which merge without cancellation (moments.ts) and which the aggregation SQL yields.
import { StatsInputError } from "./errors.js";

/**
 * One arm's outcome and k covariates: units, means of [outcome, x1, ..., xk] and the (k+1) x (k+1)
 * centred co-moments sum over units of (v_i - mean_i)(v_j - mean_j) (index 0 is the outcome).
 */
export interface RegressionStats {
  n: number;
  means: number[];
  comoments: number[][];
}

/** An arm after an adjustment: its adjusted mean and the variances of its mean with and without it. */
export interface AdjustedArm {
  n: number;
  meanAdjusted: number;
  varianceMeanAdjusted: number;
  varianceMeanUnadjusted: number;
}

/** A covariate the regression left out, and why. */
export interface DroppedCovariate {
  index: number;
  reason: string;
}

/** The regression adjustment of a set of arms, or why it has no defined value. */
export type RegressionAdjustment =
  | {
      applied: true;
      /** Slope of each covariate (0 for a dropped one), pooled over the arms. */
      coefficients: number[];
      /** Indexes (0-based, among the k covariates) of the covariates used. */
      used: number[];
      dropped: DroppedCovariate[];
      /** Multiplier (N - 1) / (N - 1 - k) of the residual variance for the k estimated slopes. */
      dfCorrection: number;
      arms: AdjustedArm[];
    }
  | { applied: false; reason: string; dropped: DroppedCovariate[] };

/** Relative tolerance below which a covariate's variance unexplained by earlier ones counts as none. */
const COLLINEAR = 1e-9;

/** Statistics of per-unit rows [outcome, x1, ..., xk] (two-pass centred sums). */
export function regressionStatsOf(rows: readonly (readonly number[])[]): RegressionStats {
  const n = rows.length;
  const width = rows[0]?.length ?? 0;
  const means = Array.from({ length: width }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / (n || 1));
  const comoments = means.map((mi, i) =>
    means.map((mj, j) => rows.reduce((s, r) => s + (r[i]! - mi) * (r[j]! - mj), 0)),
  );
  return { n, means, comoments };
}

/** The statistics of the union of two samples (Chan et al.: co-moments plus n_a n_b / n delta delta'). */
export function mergeRegressionStats(a: RegressionStats, b: RegressionStats): RegressionStats {
  if (a.n === 0) return b;
  if (b.n === 0) return a;
  const n = a.n + b.n;
  const delta = a.means.map((m, i) => b.means[i]! - m);
  const w = (a.n * b.n) / n;
  return {
    n,
    means: a.means.map((m, i) => m + (delta[i]! * b.n) / n),
    comoments: a.comoments.map((row, i) =>
      row.map((c, j) => c + b.comoments[i]![j]! + w * delta[i]! * delta[j]!),
    ),
  };
}

/**
 * Why statistics cannot come from real data (null when they can): wrong shapes, non-finite numbers, or
 * co-moments that are not a covariance matrix (asymmetric, a negative variance, a correlation above 1).
 */
export function regressionStatsProblem(s: RegressionStats, k: number): string | null {
  if (!(Number.isFinite(s.n) && s.n >= 0)) return `invalid unit count ${String(s.n)}`;
  if (s.means.length !== k + 1 || s.comoments.length !== k + 1 || s.comoments.some((r) => r.length !== k + 1))
    return `expected the means and co-moments of the outcome and ${k} covariates`;
  if (!s.means.every(Number.isFinite) || !s.comoments.every((r) => r.every(Number.isFinite)))
    return "the means and co-moments must be finite";
  const c = s.comoments;
  for (let i = 0; i <= k; i++) {
    if (c[i]![i]! < -COLLINEAR * Math.max(1, Math.abs(c[i]![i]!))) return "a negative variance";
    for (let j = 0; j < i; j++) {
      const scale = Math.max(Math.abs(c[i]![j]!), Math.abs(c[j]![i]!), 1e-300);
      if (Math.abs(c[i]![j]! - c[j]![i]!) > 1e-9 * scale) return "the co-moments are not symmetric";
      if (c[i]![j]! ** 2 > Math.max(0, c[i]![i]!) * Math.max(0, c[j]![j]!) * (1 + 1e-9) + 1e-300)
        return "a correlation above 1";
    }
  }
  return null;
}

/**
 * Cholesky factor of the covariates' scatter, dropping (in order) a covariate without variance or whose
 * variance the earlier ones explain: the solution is then the OLS fit on the remaining ones.
 */
function factor(sxx: number[][]): { used: number[]; lower: number[][]; dropped: DroppedCovariate[] } {
  const used: number[] = [];
  const lower: number[][] = [];
  const dropped: DroppedCovariate[] = [];
  sxx.forEach((row, j) => {
    if (!(row[j]! > 0)) {
      dropped.push({ index: j, reason: "no variance (no pre-period data?)" });
      return;
    }
    const l = used.map(() => 0);
    for (let p = 0; p < used.length; p++) {
      let v = row[used[p]!]!;
      for (let q = 0; q < p; q++) v -= lower[p]![q]! * l[q]!;
      l[p] = v / lower[p]![p]!;
    }
    const pivot = row[j]! - l.reduce((s, v) => s + v * v, 0);
    if (!(pivot > COLLINEAR * row[j]!)) {
      dropped.push({ index: j, reason: "collinear with the covariates before it" });
      return;
    }
    l.push(Math.sqrt(pivot));
    used.push(j);
    lower.push(l);
  });
  return { used, lower, dropped };
}

function solve(lower: number[][], b: number[]): number[] {
  const m = b.length;
  const y = new Array<number>(m).fill(0);
  for (let i = 0; i < m; i++) {
    let v = b[i]!;
    for (let j = 0; j < i; j++) v -= lower[i]![j]! * y[j]!;
    y[i] = v / lower[i]![i]!;
  }
  const x = new Array<number>(m).fill(0);
  for (let i = m - 1; i >= 0; i--) {
    let v = y[i]!;
    for (let j = i + 1; j < m; j++) v -= lower[j]![i]! * x[j]!;
    x[i] = v / lower[i]![i]!;
  }
  return x;
}

/**
 * Regression adjustment of arms on k covariates: slopes theta = Sxx^-1 Sxy of the data pooled over the
 * arms (so they do not depend on the treatment), each arm's mean Ybar - theta'(Xbar_arm - Xbar_pooled),
 * and its variance from the arm's own residual scatter, s_r^2 / n with s_r^2 = (Syy - 2 theta'Sxy +
 * theta'Sxx theta) / (n - 1) times (N - 1) / (N - 1 - k) for the k slopes fitted on the N pooled units.
 * Not applied (a reason instead) without k < N - 2, with an arm of fewer than 2 units, with impossible
 * statistics, or when no covariate has variance.
 */
export function regressionAdjustment(arms: readonly RegressionStats[], k: number): RegressionAdjustment {
  if (!(Number.isInteger(k) && k >= 1)) throw new StatsInputError(`k must be an integer >= 1, got ${k}`);
  for (const [i, a] of arms.entries()) {
    const problem = regressionStatsProblem(a, k);
    if (problem)
      return { applied: false, reason: `arm ${i}: impossible statistics (${problem})`, dropped: [] };
    if (a.n < 2) return { applied: false, reason: `arm ${i}: fewer than 2 units`, dropped: [] };
  }
  if (arms.length === 0) return { applied: false, reason: "no arms", dropped: [] };
  const pooled = arms.reduce(mergeRegressionStats);
  const sxx = pooled.comoments.slice(1).map((row) => row.slice(1));
  const { used, lower, dropped } = factor(sxx);
  if (used.length === 0) return { applied: false, reason: "no covariate has variance", dropped };
  const N = pooled.n;
  if (N - 1 - used.length < 2)
    return {
      applied: false,
      reason: `${used.length} covariates need more than ${used.length + 2} units (got ${N})`,
      dropped,
    };
  const solved = solve(
    lower,
    used.map((j) => pooled.comoments[j + 1]![0]!),
  );
  const coefficients = new Array<number>(k).fill(0);
  used.forEach((j, p) => {
    coefficients[j] = solved[p]!;
  });
  const dfCorrection = (N - 1) / (N - 1 - used.length);
  const adjusted = arms.map((a) => {
    const c = a.comoments;
    let resid = c[0]![0]!;
    let shift = 0;
    for (const i of used) {
      const ti = coefficients[i]!;
      shift += ti * (a.means[i + 1]! - pooled.means[i + 1]!);
      resid -= 2 * ti * c[i + 1]![0]!;
      for (const j of used) resid += ti * coefficients[j]! * c[i + 1]![j + 1]!;
    }
    const varianceUnit = (Math.max(0, resid) / (a.n - 1)) * dfCorrection;
    return {
      n: a.n,
      meanAdjusted: a.means[0]! - shift,
      varianceMeanAdjusted: varianceUnit / a.n,
      varianceMeanUnadjusted: Math.max(0, c[0]![0]!) / (a.n - 1) / a.n,
    };
  });
  return { applied: true, coefficients, used, dropped, dfCorrection, arms: adjusted };
}
