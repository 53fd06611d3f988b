import { inferenceOf } from "./frequentist.js";
import { type CoMoments, mergeCoMoments } from "./moments.js";
import type { CupedSufficientStats, Inference, TestOptions } from "./types.js";

/**
 * CUPED theta. "pooled" (default): cov(Y, X) / var(X) from the joint sums of the given arms (n-1), so
 * the adjustment does not depend on the treatment. "within": the pooled within-arm slope, i.e. the OLS
 * coefficient of the covariate in a regression with arm dummies (ANCOVA), offered for contrast.
 */
export function cupedTheta(arms: CupedSufficientStats[], method: "pooled" | "within" = "pooled"): number {
  const moments = arms.map(cupedMoments);
  if (method === "within") {
    const xx = moments.reduce((s, m) => s + m.m2X, 0);
    const xy = moments.reduce((s, m) => s + m.cXY, 0);
    return xx > 0 ? xy / xx : 0;
  }
  const pooled = moments.reduce(mergeCoMoments);
  return pooled.m2X > 0 ? pooled.cXY / pooled.m2X : 0;
}

/** An arm's centred moments (covariate X, metric Y): from m2/preM2/crossM2 when given, else the sums. */
export function cupedMoments(a: CupedSufficientStats): CoMoments {
  const { n } = a;
  return {
    n,
    meanX: a.preSum / n,
    meanY: a.sum / n,
    m2X: a.preM2 ?? a.preSumSquares - (a.preSum * a.preSum) / n,
    m2Y: a.m2 ?? a.sumSquares - (a.sum * a.sum) / n,
    cXY: a.crossM2 ?? a.crossSum - (a.preSum * a.sum) / n,
  };
}

/** One arm after CUPED adjustment. */
export interface CupedArm {
  n: number;
  meanY: number;
  meanX: number;
  varY: number;
  varX: number;
  covXY: number;
  /** Ybar - theta (Xbar_arm - Xbar_pooled). */
  meanAdjusted: number;
  /** s_Y^2 + theta^2 s_X^2 - 2 theta s_XY (within arm, n-1). */
  varianceUnitAdjusted: number;
  varianceMeanAdjusted: number;
  varianceMeanUnadjusted: number;
}

/** Adjusted means and variances of each arm for a theta, centring on the covariate mean of these arms. */
export function cupedAdjust(arms: CupedSufficientStats[], theta: number): CupedArm[] {
  const nTotal = arms.reduce((s, a) => s + a.n, 0);
  const xPooled = arms.reduce((s, a) => s + a.preSum, 0) / nTotal;
  return arms.map((a) => {
    const { n } = a;
    const m = cupedMoments(a);
    const meanY = m.meanY;
    const meanX = m.meanX;
    const varY = Math.max(0, m.m2Y / (n - 1));
    const varX = Math.max(0, m.m2X / (n - 1));
    const covXY = m.cXY / (n - 1);
    const varianceUnitAdjusted = Math.max(0, varY + theta * theta * varX - 2 * theta * covXY);
    return {
      n,
      meanY,
      meanX,
      varY,
      varX,
      covXY,
      meanAdjusted: meanY - theta * (meanX - xPooled),
      varianceUnitAdjusted,
      varianceMeanAdjusted: varianceUnitAdjusted / n,
      varianceMeanUnadjusted: varY / n,
    };
  });
}

/** Gradient convention of the relative CUPED lift's variance. */
export type CupedRelativeGradient = "exact" | "growthbook";

/** CUPED comparison of a treatment with a control. */
export interface CupedComparison {
  theta: number;
  control: CupedArm;
  treatment: CupedArm;
  absolute: Inference;
  /** Relative lift = adjusted effect / unadjusted control mean. */
  relative: Inference;
  /** The unadjusted absolute comparison (normal), for reference. */
  unadjusted: Inference;
  /** 1 - Var(adjusted effect) / Var(unadjusted effect). */
  varianceReduction: number;
}

/**
 * CUPED (Deng et al. 2013) with theta pooled over both arms. The relative lift's variance by the delta
 * method with the exact gradient (default) or GrowthBook's (d/d control mean = -Ybar_B / Ybar_A^2).
 */
export function cupedComparison(
  control: CupedSufficientStats,
  treatment: CupedSufficientStats,
  options: TestOptions & { theta?: number; relativeGradient?: CupedRelativeGradient; df?: number } = {},
): CupedComparison {
  const theta = options.theta ?? cupedTheta([control, treatment]);
  const [a, b] = cupedAdjust([control, treatment], theta) as [CupedArm, CupedArm];
  const df = options.df ?? Number.POSITIVE_INFINITY;
  const effect = b.meanAdjusted - a.meanAdjusted;
  const varEffect = a.varianceMeanAdjusted + b.varianceMeanAdjusted;
  const varUnadjusted = a.varianceMeanUnadjusted + b.varianceMeanUnadjusted;
  const absolute = inferenceOf(effect, Math.sqrt(varEffect), df, options);
  const unadjusted = inferenceOf(b.meanY - a.meanY, Math.sqrt(varUnadjusted), df, options);
  // lift = (Ybar_B - theta (Xbar_B - Xbar_A) - Ybar_A) / |Ybar_A|, theta held fixed.
  const ya = a.meanY;
  const numerator = b.meanY - theta * (b.meanX - a.meanX);
  const lift = (numerator - ya) / Math.abs(ya);
  const gY = -(options.relativeGradient === "growthbook" ? b.meanY : numerator) / (ya * ya);
  const gX = theta / ya;
  const varA = (gY * gY * a.varY + 2 * gY * gX * a.covXY + gX * gX * a.varX) / a.n;
  const varB = b.varianceMeanAdjusted / (ya * ya);
  const relative = inferenceOf(lift, Math.sqrt(Math.max(0, varA + varB)), df, options);
  return {
    theta,
    control: a,
    treatment: b,
    absolute,
    relative,
    unadjusted,
    varianceReduction: varUnadjusted > 0 ? 1 - varEffect / varUnadjusted : 0,
  };
}
