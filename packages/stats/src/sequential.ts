import { normalCdf, normalQuantile } from "./distributions.js";
import { StatsInputError } from "./errors.js";
import type { Interval } from "./types.js";

/** Default tuning parameter N* of the asymptotic confidence sequence (units of both arms). */
export const DEFAULT_TUNING_N = 5000;

/** Result of an always-valid sequential test at one look. */
export interface SequentialResult {
  estimate: number;
  se: number;
  /** Units of both arms. */
  n: number;
  halfwidth: number;
  ci: Interval;
  /** Always-valid p-value at this look: min(1, 1/e). */
  pValue: number;
  /** The e-value (mixture likelihood ratio); may be Infinity when astronomically large. */
  eValue: number;
  logEValue: number;
}

/**
 * rho of the normal-mixture confidence sequence tuned to be tightest at N* units (Waudby-Smith et al.
 * 2023, as GrowthBook): sqrt((-2 ln a + ln(-2 ln a + 1)) / N*).
 */
export function confidenceSequenceRho(alpha = 0.05, tuningN = DEFAULT_TUNING_N): number {
  const l = -2 * Math.log(alpha);
  return Math.sqrt((l + Math.log(l + 1)) / tuningN);
}

/**
 * Asymptotic confidence sequence (Waudby-Smith et al. 2023, eq. 9): interval and always-valid p-value
 * for an estimate with standard error se after n units (both arms).
 */
export function confidenceSequence(
  estimate: number,
  se: number,
  n: number,
  options: { alpha?: number; tuningN?: number } = {},
): SequentialResult {
  if (!(se > 0 && n > 0)) throw new StatsInputError("a confidence sequence needs se > 0 and n > 0");
  const alpha = options.alpha ?? 0.05;
  const rho = confidenceSequenceRho(alpha, options.tuningN ?? DEFAULT_TUNING_N);
  const nr2 = n * rho * rho;
  const sigma = se * Math.sqrt(n);
  const halfwidth =
    sigma * Math.sqrt((2 * (nr2 + 1) * Math.log(Math.sqrt(nr2 + 1) / alpha)) / (n * n * rho * rho));
  const z = estimate / se;
  // In log space: e-values reach 1e43 and beyond on real data.
  const logEValue = (nr2 * z * z) / (2 * (nr2 + 1)) - 0.5 * Math.log(nr2 + 1);
  return {
    estimate,
    se,
    n,
    halfwidth,
    ci: [estimate - halfwidth, estimate + halfwidth],
    pValue: Math.min(1, Math.exp(-logEValue)),
    eValue: Math.exp(logEValue),
    logEValue,
  };
}

/** Eppo's form of the same sequence: rho = N_tune / (ln ln(e/a^2) - 2 ln a). */
export function eppoRho(alpha = 0.05, tuningN = 10000): number {
  return tuningN / (Math.log(Math.log(Math.E / (alpha * alpha))) - 2 * Math.log(alpha));
}

/** Eppo's interval multiplier B = sqrt((t + rho) ln((t + rho)/(rho a^2))) / sqrt(t) (CI = est +- B se). */
export function eppoMultiplier(n: number, alpha = 0.05, tuningN = 10000): number {
  const rho = eppoRho(alpha, tuningN);
  return Math.sqrt((n + rho) * Math.log((n + rho) / (rho * alpha * alpha))) / Math.sqrt(n);
}

/**
 * Normal-mixture mSPRT (Johari et al. 2017/2022) for an estimate with standard error se and mixing
 * variance tau2 on the effect: Lambda = sqrt(s2/(s2+t2)) exp(t2 (d - theta0)^2 / (2 s2 (s2+t2))).
 */
export function msprt(
  estimate: number,
  se: number,
  tau2: number,
  options: { alpha?: number; theta0?: number } = {},
): { lambda: number; logLambda: number; pValue: number; halfwidth: number; ci: Interval } {
  if (!(se > 0 && tau2 > 0)) throw new StatsInputError("the mSPRT needs se > 0 and a mixing variance > 0");
  const alpha = options.alpha ?? 0.05;
  const s2 = se * se;
  const d = estimate - (options.theta0 ?? 0);
  const logLambda = 0.5 * Math.log(s2 / (s2 + tau2)) + (tau2 * d * d) / (2 * s2 * (s2 + tau2));
  const halfwidth = Math.sqrt(
    ((s2 * (s2 + tau2)) / tau2) * (2 * Math.log(1 / alpha) + Math.log((s2 + tau2) / s2)),
  );
  return {
    lambda: Math.exp(logLambda),
    logLambda,
    pValue: Math.min(1, Math.exp(-logLambda)),
    halfwidth,
    ci: [estimate - halfwidth, estimate + halfwidth],
  };
}

/**
 * The mSPRT of two Bernoulli arms with n units each as in Johari et al. (V = pA qA + pB qB plug-in):
 * the same test as msprt() with se^2 = V/n and mixing variance tau2 on the difference.
 */
export function msprtBernoulli(
  n: number,
  conversionsControl: number,
  conversionsTreatment: number,
  tau2: number,
  options: { alpha?: number; theta0?: number } = {},
): ReturnType<typeof msprt> & { v: number; diff: number } {
  const pa = conversionsControl / n;
  const pb = conversionsTreatment / n;
  const v = pa * (1 - pa) + pb * (1 - pb);
  const diff = pb - pa;
  // The paper's Lambda_n (with V and n) is exactly the se form with se^2 = V/n.
  return { ...msprt(diff, Math.sqrt(v / n), tau2, options), v, diff };
}

/** Statsig's sequential test (Zhao et al. 2019 mSPRT with its data-driven tau). */
export function statsigSequential(input: {
  meanTreatment: number;
  meanControl: number;
  varTreatment: number;
  varControl: number;
  nTreatment: number;
  nControl: number;
  alpha?: number;
}): { v: number; tau: number; zStar: number; ci: Interval; z: number; sigma: number; pValue: number } {
  const alpha = input.alpha ?? 0.05;
  const v = input.varTreatment / input.nTreatment + input.varControl / input.nControl;
  const zq = normalQuantile(1 - alpha / 2);
  const tau = (zq * zq * (input.varTreatment + input.varControl)) / (input.nTreatment + input.nControl);
  const zStar = Math.sqrt(((v + tau) / tau) * (-2 * Math.log(alpha / 2) - Math.log(v / (v + tau))));
  const diff = input.meanTreatment - input.meanControl;
  const half = zStar * Math.sqrt(v);
  const z = diff / Math.sqrt(v);
  const sigma = zStar / zq;
  return {
    v,
    tau,
    zStar,
    ci: [diff - half, diff + half],
    z,
    sigma,
    pValue: 2 * normalCdf(-Math.abs(z) / sigma),
  };
}

/** Always-valid p-values over successive looks: the running minimum of each look's p-value. */
export function alwaysValidPValues(pValues: number[]): number[] {
  let min = 1;
  return pValues.map((p) => {
    if (p < min) min = p;
    return min;
  });
}
