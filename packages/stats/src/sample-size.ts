import { noncentralTSf, normalQuantile, tQuantile } from "./distributions.js";
import { StatsInputError } from "./errors.js";
import { findRoot } from "./numerics.js";

/** Common inputs of the sample-size formulas. */
export interface PowerOptions {
  alpha?: number;
  power?: number;
  /** Two-sided test (default) or one-sided. */
  twoSided?: boolean;
  /** Treatment units per control unit (default 1). The result is the control arm's size. */
  ratio?: number;
}

function quantiles(options: PowerOptions): { za: number; zb: number; alpha: number; power: number } {
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  const za = normalQuantile(1 - (options.twoSided === false ? alpha : alpha / 2));
  return { za, zb: normalQuantile(power), alpha, power };
}

/** Sample size formula for two proportions. */
export type ProportionSampleSizeMethod = "pooled" | "unpooled" | "arcsine";

/** Cohen's h = 2 asin(sqrt p2) - 2 asin(sqrt p1). */
export function cohensH(p1: number, p2: number): number {
  return 2 * Math.asin(Math.sqrt(p2)) - 2 * Math.asin(Math.sqrt(p1));
}

/**
 * Minimum units in the control arm to detect pControl -> pTreatment: Fleiss pooled (default, = R
 * power.prop.test), unpooled, or arcsine (Cohen's h). Not rounded up.
 */
export function sampleSizeProportions(
  pControl: number,
  pTreatment: number,
  options: PowerOptions & { method?: ProportionSampleSizeMethod } = {},
): number {
  if (!(pControl >= 0 && pControl <= 1 && pTreatment >= 0 && pTreatment <= 1))
    throw new StatsInputError("rates must lie in [0, 1]");
  if (pControl === pTreatment) throw new StatsInputError("no sample size detects a difference of 0");
  const { za, zb } = quantiles(options);
  const k = options.ratio ?? 1;
  const method = options.method ?? "pooled";
  const d = pTreatment - pControl;
  const v1 = pControl * (1 - pControl);
  const v2 = pTreatment * (1 - pTreatment);
  if (method === "arcsine") {
    const h = cohensH(pControl, pTreatment);
    return ((za + zb) / h) ** 2 * (1 + 1 / k);
  }
  if (method === "unpooled") return ((za + zb) ** 2 * (v1 + v2 / k)) / (d * d);
  const pbar = (pControl + k * pTreatment) / (1 + k);
  const term = za * Math.sqrt(pbar * (1 - pbar) * (1 + 1 / k)) + zb * Math.sqrt(v1 + v2 / k);
  return (term * term) / (d * d);
}

/**
 * Minimum units in the control arm to detect a difference delta of means with per-unit SD sigma: the
 * normal closed form, or (method "t") the noncentral-t solution of R's power.t.test (equal arms only).
 */
export function sampleSizeMeans(
  sigma: number,
  delta: number,
  options: PowerOptions & { method?: "normal" | "t" } = {},
): number {
  if (!(delta !== 0 && Number.isFinite(delta)))
    throw new StatsInputError("no sample size detects a difference of 0");
  if (!(sigma >= 0 && Number.isFinite(sigma))) throw new StatsInputError("sigma must be finite and >= 0");
  const { za, zb, alpha, power } = quantiles(options);
  const k = options.ratio ?? 1;
  const normal = ((za + zb) ** 2 * sigma * sigma * (1 + 1 / k)) / (delta * delta);
  if (options.method !== "t") return normal;
  const twoSided = options.twoSided !== false;
  const effect = Math.abs(delta) / sigma;
  // power(n) = P(T'(2n-2, sqrt(n/2) d/s) > t_{1-a/2, 2n-2}), the single tail like R's strict = FALSE.
  const powerAt = (n: number): number => {
    const df = 2 * n - 2;
    const crit = tQuantile(1 - (twoSided ? alpha / 2 : alpha), df);
    return noncentralTSf(crit, df, Math.sqrt(n / 2) * effect);
  };
  return findRoot((n) => powerAt(n) - power, 2, Math.max(10, 4 * normal + 10), 1e-10);
}
