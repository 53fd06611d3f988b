import { type BetaExpectedLoss, betaExpectedLoss, probabilityBetaGreater } from "./beta-compare.js";
import { betaRelativeDifferenceQuantiles } from "./beta-relative.js";
import { betaQuantile, normalCdf, normalPdf, normalQuantile, normalSf } from "./distributions.js";
import type { ConversionCounts } from "./proportions.js";
import type { BetaDist, BetaPrior, Interval } from "./types.js";

export * from "./best-arm.js";
export * from "./beta-compare.js";
export { betaRelativeDifferenceQuantiles } from "./beta-relative.js";
export type { BetaDist, BetaPrior, NormalDist } from "./types.js";

/** Beta posterior Beta(prior.alpha + conversions, prior.beta + n - conversions). */
export function betaPosterior(
  n: number,
  conversions: number,
  prior: BetaPrior = { alpha: 1, beta: 1 },
): BetaDist {
  return { alpha: prior.alpha + conversions, beta: prior.beta + n - conversions };
}

/** Mean of a Beta distribution. */
export function betaMean(d: BetaDist): number {
  return d.alpha / (d.alpha + d.beta);
}

/** Equal-tailed credible interval of a Beta distribution. */
export function betaCredibleInterval(d: BetaDist, level = 0.95): Interval {
  const t = (1 - level) / 2;
  return [betaQuantile(t, d.alpha, d.beta), betaQuantile(1 - t, d.alpha, d.beta)];
}

/** Everything the Beta-Binomial model says about a treatment against a control. */
export interface BetaBinomialComparison {
  control: BetaDist;
  treatment: BetaDist;
  /** P(pB > pA), exact. */
  probTreatmentBeats: number;
  /** P(pA > pB), exact (not 1 - the other, so tiny values keep their precision). */
  probControlBeats: number;
  expectedLoss: BetaExpectedLoss;
  /** Equal-tailed credible interval and median of pB/pA - 1. */
  relativeDifference: { ci: Interval; median: number };
}

/** Beta-Binomial comparison: posteriors, exact P(B > A), expected losses, relative-difference interval. */
export function betaBinomialComparison(
  control: ConversionCounts,
  treatment: ConversionCounts,
  options: { prior?: BetaPrior; level?: number } = {},
): BetaBinomialComparison {
  const a = betaPosterior(control.n, control.conversions, options.prior);
  const b = betaPosterior(treatment.n, treatment.conversions, options.prior);
  const p = probabilityBetaGreater(b, a);
  const t = (1 - (options.level ?? 0.95)) / 2;
  const [lower, median, upper] = betaRelativeDifferenceQuantiles(a, b, [t, 0.5, 1 - t]) as [
    number,
    number,
    number,
  ];
  return {
    control: a,
    treatment: b,
    probTreatmentBeats: p.greater,
    probControlBeats: p.less,
    expectedLoss: betaExpectedLoss(a, b, p),
    relativeDifference: { ci: [lower, upper], median },
  };
}

/** Posterior of an effect under a normal likelihood N(estimate, se^2) and an optional normal prior. */
export interface NormalEffectPosterior {
  mean: number;
  sd: number;
  /** P(effect > 0). */
  chanceToWin: number;
  /** Equal-tailed credible interval at level 1 - alpha. */
  ci: Interval;
  /** [E[max(X,0)], E[max(-X,0)]] = [loss of keeping control, loss of shipping treatment]. */
  risk: [number, number];
}

/** Normal-normal posterior of an effect: flat prior (null) or N(prior.mean, prior.variance). */
export function normalEffectPosterior(
  estimate: number,
  se: number,
  prior: { mean: number; variance: number } | null = null,
  alpha = 0.05,
): NormalEffectPosterior {
  let mean = estimate;
  let variance = se * se;
  if (prior && prior.variance > 0 && Number.isFinite(prior.variance)) {
    const precision = 1 / variance + 1 / prior.variance;
    mean = (estimate / variance + prior.mean / prior.variance) / precision;
    variance = 1 / precision;
  }
  const sd = Math.sqrt(variance);
  const z = normalQuantile(1 - alpha / 2);
  const r = normalRisk(mean, sd);
  return {
    mean,
    sd,
    chanceToWin: sd > 0 ? normalSf(-mean / sd) : mean > 0 ? 1 : mean < 0 ? 0 : 0.5,
    ci: [mean - z * sd, mean + z * sd],
    risk: [r.riskControl, r.riskTreatment],
  };
}

/** Expected losses of X ~ N(mu, sigma^2): E[max(X,0)] (keeping control) and E[max(-X,0)] (shipping). */
export function normalRisk(mu: number, sigma: number): { riskControl: number; riskTreatment: number } {
  if (!(sigma > 0)) return { riskControl: Math.max(mu, 0), riskTreatment: Math.max(-mu, 0) };
  const z = mu / sigma;
  const phi = normalPdf(z);
  // Write each in the form that does not subtract nearly equal numbers for its sign of z.
  const riskControl = mu * normalCdf(z) + sigma * phi;
  const riskTreatment = -mu * normalCdf(-z) + sigma * phi;
  return { riskControl, riskTreatment };
}
