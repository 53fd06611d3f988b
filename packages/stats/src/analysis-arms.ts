// The arms of an analysis: validated statistics (or why an arm cannot be used), CUPED adjustment with
// its own validation, and the posteriors behind P(best).

import type { AnalysisOptions, MetricAnalysis, VariationInput } from "./analysis-types.js";
import {
  type BetaDist,
  betaPosterior,
  probabilityToBeBestBeta,
  probabilityToBeBestNormal,
} from "./bayesian.js";
import { probabilityBetaGreater } from "./beta-compare.js";
import { type CupedArm, cupedAdjust, cupedMoments, cupedTheta } from "./cuped.js";
import { normalSf } from "./distributions.js";
import { summarize } from "./frequentist.js";
import { probabilityToBeBestMonteCarlo } from "./monte-carlo.js";
import type { CupedSufficientStats, Summary } from "./types.js";

/** One variation as the analysis uses it. */
export interface Arm {
  input: VariationInput;
  index: number;
  summary: Summary | null;
  conversions: number | null;
  cuped: CupedSufficientStats | null;
  reason?: string;
}

export const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Validates one variation into usable statistics, or a reason why it cannot be used. */
export function toArm(v: VariationInput, index: number, isProportion: boolean): Arm {
  const arm: Arm = { input: v, index, summary: null, conversions: null, cuped: null };
  if (!finite(v.n) || v.n < 0) return { ...arm, reason: `invalid unit count ${String(v.n)}` };
  if (v.n === 0) return { ...arm, reason: "no units" };
  if (isProportion) {
    const c = v.conversions ?? v.sum;
    if (!finite(c) || c < 0) return { ...arm, reason: `invalid conversions ${String(c)}` };
    if (c > v.n) return { ...arm, reason: `more conversions (${c}) than units (${v.n})` };
    arm.conversions = c;
    arm.summary = summarize({ n: v.n, sum: c, sumSquares: c }, true);
  } else {
    if (!finite(v.sum) || !(finite(v.sumSquares) || finite(v.m2)))
      return { ...arm, reason: "sum and sumSquares (or m2) are required and must be finite" };
    if (finite(v.m2)) {
      if (v.m2 < 0) return { ...arm, reason: "m2 is negative: inconsistent statistics" };
    } else {
      // Sum of squares below sum^2/n means the statistics cannot come from real values.
      const floor = (v.sum * v.sum) / v.n;
      if (v.sumSquares! < floor - 1e-9 * Math.max(1, floor))
        return { ...arm, reason: "sumSquares is smaller than sum^2/n: inconsistent statistics" };
    }
    if (v.n < 2) return { ...arm, reason: "fewer than 2 units: variance undefined" };
    arm.summary = finite(v.m2)
      ? { n: v.n, mean: v.sum / v.n, variance: v.m2 / (v.n - 1) }
      : summarize({ n: v.n, sum: v.sum, sumSquares: v.sumSquares! });
  }
  if (finite(v.preSum) && finite(v.preSumSquares) && finite(v.crossSum)) {
    arm.cuped = {
      n: v.n,
      sum: isProportion ? arm.conversions! : v.sum!,
      sumSquares: isProportion ? arm.conversions! : (v.sumSquares ?? 0),
      preSum: v.preSum,
      preSumSquares: v.preSumSquares,
      crossSum: v.crossSum,
      ...(isProportion ? {} : finite(v.m2) ? { m2: v.m2 } : {}),
      ...(finite(v.preM2) ? { preM2: v.preM2 } : {}),
      ...(finite(v.crossM2) ? { crossM2: v.crossM2 } : {}),
    };
  }
  return arm;
}

// Covariate statistics real data can produce: a non-negative covariate variance and a correlation with
// the metric of at most 1 (with room for rounding).
function cupedInputProblem(s: CupedSufficientStats): string | null {
  const m = cupedMoments(s);
  const tol = 1e-9;
  if (m.m2X < -tol * Math.max(1, s.preM2 ?? s.preSumSquares))
    return "preSumSquares is smaller than preSum^2/n";
  const slack = s.crossM2 !== undefined ? 0 : tol * Math.max(1, Math.abs(s.crossSum)) ** 2;
  if (m.cXY * m.cXY > Math.max(0, m.m2X) * Math.max(0, m.m2Y) * (1 + tol) + slack)
    return "crossSum implies a correlation above 1";
  return null;
}

/**
 * CUPED over the usable arms: theta pooled over all of them; not applied (with the reason) when an arm
 * lacks covariate statistics, when they are impossible, or when the adjustment would widen the interval of
 * any comparison with the reference (a covariate that does not help only adds noise through theta).
 */
export function cupedArmsOf(
  usable: Arm[],
  ref: Arm,
): { arms: Map<number, CupedArm>; theta: number } | { reason: string } {
  const missing = usable.filter((a) => a.cuped === null);
  if (missing.length > 0 || usable.length < 2)
    return {
      reason: `covariate statistics (preSum, preSumSquares, crossSum) missing for ${missing.map((a) => a.input.key).join(", ") || "the comparison"}`,
    };
  for (const a of usable) {
    const problem = cupedInputProblem(a.cuped!);
    if (problem) return { reason: `variation ${a.input.key}: impossible covariate statistics (${problem})` };
  }
  const stats = usable.map((a) => a.cuped!);
  const theta = cupedTheta(stats);
  if (theta === 0) return { reason: "the covariate has no variance or no correlation with the metric" };
  const adjusted = cupedAdjust(stats, theta);
  const arms = new Map(usable.map((a, i) => [a.index, adjusted[i]!]));
  const r = arms.get(ref.index);
  if (r) {
    for (const [index, c] of arms) {
      if (index === ref.index) continue;
      if (
        r.varianceMeanAdjusted + c.varianceMeanAdjusted >
        r.varianceMeanUnadjusted + c.varianceMeanUnadjusted
      )
        return {
          reason: "the adjustment would widen the interval (the covariate does not predict the metric)",
        };
    }
  }
  return { arms, theta };
}

/** A normal posterior of an arm's mean (flat prior). */
export interface ArmNormal {
  mean: number;
  sd: number;
}

/**
 * P(best) of each usable arm. Two arms: exactly the chance to beat of the comparison (the same event);
 * more arms: quadrature (or seeded Monte Carlo) over Beta or normal posteriors.
 */
export function bestProbabilities(
  usable: Arm[],
  lowerIsBetter: boolean,
  posterior: Map<number, BetaDist>,
  normalOf: (a: Arm) => ArmNormal,
  options: AnalysisOptions,
  result: MetricAnalysis,
): Map<number, number> {
  const out = new Map<number, number>();
  if (usable.length === 0) return out;
  const beta = usable.every((a) => posterior.has(a.index));
  if (usable.length === 2 && options.pBestMethod !== "monte-carlo") {
    const [x, y] = usable as [Arm, Arm];
    let greater: number;
    let less: number;
    if (beta) {
      const p = probabilityBetaGreater(posterior.get(y.index)!, posterior.get(x.index)!);
      greater = p.greater;
      less = p.less;
    } else {
      const nx = normalOf(x);
      const ny = normalOf(y);
      const sd = Math.hypot(nx.sd, ny.sd);
      const d = ny.mean - nx.mean;
      greater = sd > 0 ? normalSf(-d / sd) : d > 0 ? 1 : d < 0 ? 0 : 0.5;
      less = sd > 0 ? normalSf(d / sd) : 1 - greater;
    }
    out.set(y.index, lowerIsBetter ? less : greater);
    out.set(x.index, lowerIsBetter ? greater : less);
    return out;
  }
  let r: { pBest: number[]; standardError?: number };
  if (beta) {
    // Lower is better: the best rate is the best 1 - rate, Beta(beta, alpha).
    const dists = usable.map((a) => {
      const p = posterior.get(a.index)!;
      return lowerIsBetter ? { alpha: p.beta, beta: p.alpha } : p;
    });
    r =
      options.pBestMethod === "monte-carlo"
        ? probabilityToBeBestMonteCarlo(
            dists.map((d) => ({ kind: "beta" as const, ...d })),
            options.monteCarlo,
          )
        : probabilityToBeBestBeta(dists);
  } else {
    const dists = usable.map((a) => {
      const d = normalOf(a);
      return lowerIsBetter ? { mean: -d.mean, sd: d.sd } : d;
    });
    r =
      options.pBestMethod === "monte-carlo"
        ? probabilityToBeBestMonteCarlo(
            dists.map((d) => ({ kind: "normal" as const, ...d })),
            options.monteCarlo,
          )
        : probabilityToBeBestNormal(dists);
  }
  if (r.standardError !== undefined) result.pBestMethod.standardError = r.standardError;
  usable.forEach((a, i) => {
    out.set(a.index, r.pBest[i]!);
  });
  return out;
}

/** Beta posteriors of conversion arms (not when CUPED applies: the adjusted model is normal). */
export function betaPosteriors(usable: Arm[], options: AnalysisOptions): Map<number, BetaDist> {
  const prior = options.prior?.beta ?? { alpha: 1, beta: 1 };
  return new Map(usable.map((a) => [a.index, betaPosterior(a.input.n, a.conversions!, prior)]));
}
