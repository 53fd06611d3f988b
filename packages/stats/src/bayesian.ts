import { type BetaGrid, betaGrid, betaWeights, logitNodes, logitRange, logitStep } from "./beta-grid.js";
import {
  betaCdf,
  betaQuantile,
  betaSf,
  logBeta,
  normalCdf,
  normalPdf,
  normalQuantile,
  normalSf,
} from "./distributions.js";
import { integrateVector } from "./numerics.js";
import type { ConversionCounts } from "./proportions.js";
import type { Interval } from "./types.js";

/** A Beta(alpha, beta) distribution (posterior of a conversion rate). */
export interface BetaDist {
  alpha: number;
  beta: number;
}

/** A normal distribution (posterior of a mean or an effect). */
export interface NormalDist {
  mean: number;
  sd: number;
}

/** Beta prior of a conversion rate; Beta(1, 1) (uniform) by default. */
export interface BetaPrior {
  alpha: number;
  beta: number;
}

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

/** P(X > Y) and P(X < Y) for independent Beta variables, each accurate even when tiny. */
export interface BetaComparison {
  greater: number;
  less: number;
  method: "sum" | "integral";
}

// Evan Miller's closed form: P(X > Y) for X ~ Beta(a1, b1) with integer a1 is
//   sum_{i=0}^{a1-1} t_i,  t_i = B(a2+i, b2+b1) / ((b1+i) B(1+i, b1) B(a2, b2)),
// and t_i (which does not depend on a1) is a probability mass function over i >= 0 (a beta-negative-
// binomial). Summing it outward from its mode with the ratio t_{i+1}/t_i, relative to the mode and divided
// by its own total, needs no ln B of huge arguments, gives both tails accurately, and costs O(sqrt(counts)).
function millerTails(a: number, b: number, c: number, cut: number): { lower: number; upper: number } | null {
  const ratio = (i: number): number => ((a + i) * (c + i)) / ((a + b + c + i) * (1 + i));
  const mode = Math.max(0, Math.floor((a * c - a - b - c) / (b + 1)));
  let lower = 0;
  let upper = 0;
  const add = (i: number, t: number): void => {
    if (i <= cut) lower += t;
    else upper += t;
  };
  add(mode, 1);
  // Walk each way until the terms are negligible against the tail they add to (so tiny tails keep
  // their relative precision), but never stop short of the cut while terms are above underflow. The
  // tail decays like i^-(b+1): callers avoid small b, and a runaway walk gives up (null).
  const negligible = (i: number, t: number): boolean =>
    !(t > 1e-300) || (i <= cut ? t < 1e-17 * lower : t < 1e-17 * upper);
  let budget = MAX_MILLER_TERMS;
  let t = 1;
  for (let i = mode; ; i++) {
    t *= ratio(i);
    add(i + 1, t);
    if (negligible(i + 1, t) && (i + 1 > cut || !(t > 1e-300))) break;
    if (--budget === 0) return null;
  }
  t = 1;
  for (let i = mode - 1; i >= 0; i--) {
    t /= ratio(i);
    add(i, t);
    if (negligible(i, t) && (i <= cut || !(t > 1e-300))) break;
    if (--budget === 0) return null;
  }
  const total = lower + upper;
  return { lower: lower / total, upper: upper / total };
}

// About 5 ms of terms; counts in the tens of millions need ~1e5.
const MAX_MILLER_TERMS = 1_000_000;
// Below this shape the summed pmf has a power-law tail too long to walk.
const MIN_MILLER_SHAPE = 20;

const isCount = (v: number): boolean => Number.isInteger(v) && v >= 1;

/** Self-normalized quadrature of P(X > Y) over the narrower of the two distributions. */
function betaGreaterByIntegral(x: BetaDist, y: BetaDist): BetaComparison {
  const cv = (d: BetaDist): number => Math.sqrt(1 / d.alpha + 1 / d.beta);
  if (cv(y) <= cv(x)) {
    const g = betaGrid(y.alpha, y.beta);
    let greater = 0;
    let less = 0;
    for (let i = 0; i < g.x.length; i++) {
      greater += g.w[i]! * betaSf(g.x[i]!, x.alpha, x.beta);
      less += g.w[i]! * betaCdf(g.x[i]!, x.alpha, x.beta);
    }
    return { greater, less, method: "integral" };
  }
  const swapped = betaGreaterByIntegral(y, x);
  return { greater: swapped.less, less: swapped.greater, method: "integral" };
}

/**
 * P(X > Y) for independent X ~ Beta, Y ~ Beta: Evan Miller's closed-form sum (over whichever integer
 * parameter is smallest, summed around its mode), or self-normalized quadrature (non-integer parameters,
 * or "auto" past 3e5 where it is faster). The two agree to ~1e-11 for counts in the millions.
 */
export function probabilityBetaGreater(
  x: BetaDist,
  y: BetaDist,
  method: "auto" | "sum" | "integral" = "auto",
): BetaComparison {
  if (method === "integral") return betaGreaterByIntegral(x, y);
  // The four equivalent forms, by symmetry (swap arms, or swap successes and failures): each sums up to
  // an integer parameter ("cut") the pmf with parameters (a, b, c); `greater` says which tail is P(X > Y).
  const forms: { cut: number; a: number; b: number; c: number; greater: "lower" | "upper" }[] = [];
  if (isCount(x.alpha)) forms.push({ cut: x.alpha, a: y.alpha, b: y.beta, c: x.beta, greater: "lower" });
  // X > Y  <=>  1-Y > 1-X with 1-Y ~ Beta(y.beta, y.alpha).
  if (isCount(y.beta)) forms.push({ cut: y.beta, a: x.beta, b: x.alpha, c: y.alpha, greater: "lower" });
  if (isCount(y.alpha)) forms.push({ cut: y.alpha, a: x.alpha, b: x.beta, c: y.beta, greater: "upper" });
  if (isCount(x.beta)) forms.push({ cut: x.beta, a: y.beta, b: y.alpha, c: x.alpha, greater: "upper" });
  const usable = forms.filter((f) => f.b >= MIN_MILLER_SHAPE).sort((p, q) => p.cut - q.cut);
  // The sum costs O(sqrt(parameter)) terms, the quadrature ~70 incomplete-beta calls: past a few hundred
  // thousand conversions the quadrature is faster and as accurate, except for tail probabilities too
  // small for its absolute accuracy, which the sum keeps to full relative precision.
  if (method === "auto" && (usable.length === 0 || usable[0]!.cut > 300_000)) {
    const q = betaGreaterByIntegral(x, y);
    if ((q.greater > 1e-12 && q.less > 1e-12) || usable.length === 0) return q;
  }
  const candidates = method === "sum" ? [...usable, ...forms.filter((f) => f.b < MIN_MILLER_SHAPE)] : usable;
  for (const f of candidates) {
    const r = millerTails(f.a, f.b, f.c, f.cut - 1);
    if (!r) continue;
    return f.greater === "lower"
      ? { greater: r.lower, less: r.upper, method: "sum" }
      : { greater: r.upper, less: r.lower, method: "sum" };
  }
  if (method === "sum") throw new RangeError("the closed-form sum needs an integer posterior parameter");
  return betaGreaterByIntegral(x, y);
}

/** Expected loss of each choice between two Beta arms (in conversion-rate units). */
export interface BetaExpectedLoss {
  /** E[max(pA - pB, 0)]: what choosing the treatment B costs if A is better. */
  chooseTreatment: number;
  /** E[max(pB - pA, 0)]: what keeping the control A costs if B is better. */
  chooseControl: number;
}

/**
 * Expected loss of choosing either arm. With A ~ Beta(a, b), B ~ Beta(c, d) and
 * K = B(a+c, b+d) / (B(a, b) B(c, d)) (from I_y(a+1, b) = I_y(a, b) - y^a (1-y)^b / (a B(a, b))):
 * E[max(pA - pB, 0)] = P(A > B)(mA - mB) + K (1/(a+b) + 1/(c+d)), and symmetrically; so one exact
 * P(B > A) (passed in when already known) and three ln B are enough. Relative accuracy ~1e-9 at
 * counts in the millions (ln B's rounding), far better below.
 */
export function betaExpectedLoss(
  control: BetaDist,
  treatment: BetaDist,
  known?: BetaComparison,
): BetaExpectedLoss {
  const a = control;
  const b = treatment;
  const p = known ?? probabilityBetaGreater(b, a);
  const ma = betaMean(a);
  const mb = betaMean(b);
  const k = Math.exp(
    logBeta(a.alpha + b.alpha, a.beta + b.beta) - logBeta(a.alpha, a.beta) - logBeta(b.alpha, b.beta),
  );
  const spread = k * (1 / (a.alpha + a.beta) + 1 / (b.alpha + b.beta));
  return {
    chooseTreatment: Math.max(0, p.less * (ma - mb) + spread),
    chooseControl: Math.max(0, p.greater * (mb - ma) + spread),
  };
}

/**
 * Quantiles of the relative difference pB/pA - 1 of two Beta arms: the CDF of ln(pB/pA) by
 * self-normalized quadrature over the narrower arm, solved by safeguarded Halley steps from a
 * Cornish-Fisher guess (so two CDF evaluations per quantile are typical).
 */
export function betaRelativeDifferenceQuantiles(
  control: BetaDist,
  treatment: BetaDist,
  probs: number[],
): number[] {
  const a = control;
  const b = treatment;
  const la = logBetaCumulants(a);
  const lb = logBetaCumulants(b);
  // G(s) = P(ln(pB/pA) <= s); integrate over the arm with the smaller spread of its log, so the other
  // arm's CDF is smooth on the grid's scale. The other CDF's argument must stay inside (0, 1): past 1 it
  // is clamped, a kink that spoils the trapezoid's geometric convergence. Over the control that cannot
  // happen for s < 0, over the treatment for s >= 0, so a grid with real mass past the edge is swapped.
  const preferControl = la.variance <= lb.variance;
  const grids: { control?: BetaGrid; treatment?: BetaGrid } = {};
  // The step resolves both arms: the other arm's CDF varies on its own logit scale.
  const step = Math.min(logitStep(a.alpha, a.beta), logitStep(b.alpha, b.beta));
  const gridOf = (overControl: boolean): BetaGrid => {
    if (overControl) {
      if (!grids.control) grids.control = betaGrid(a.alpha, a.beta, step);
      return grids.control;
    }
    if (!grids.treatment) grids.treatment = betaGrid(b.alpha, b.beta, step);
    return grids.treatment;
  };
  const lnBeta = { control: logBeta(a.alpha, a.beta), treatment: logBeta(b.alpha, b.beta) };
  // Returns G(s), G'(s), G''(s). With y the other arm's argument, d/ds moves y by +-y.
  const evaluateOver = (overControl: boolean, s: number): [number, number, number] => {
    const g = gridOf(overControl);
    const other = overControl ? b : a;
    const lnB = overControl ? lnBeta.treatment : lnBeta.control;
    const am1 = other.alpha - 1;
    const bm1 = other.beta - 1;
    const es = Math.exp(s);
    let cdf = 0;
    let d1 = 0;
    let d2 = 0;
    for (let i = 0; i < g.x.length; i++) {
      const w = g.w[i]!;
      if (w === 0) continue;
      // Over control: P(pB <= e^s x). Over treatment: P(pA >= e^-s y).
      const y = overControl ? es * g.x[i]! : g.x[i]! / es;
      if (y >= 1) {
        if (overControl) cdf += w;
        continue;
      }
      cdf += w * (overControl ? betaCdf(y, other.alpha, other.beta) : betaSf(y, other.alpha, other.beta));
      const pdf = Math.exp(am1 * Math.log(y) + bm1 * Math.log1p(-y) - lnB);
      // d/ds F(e^s x) = f(y) y ; d2/ds2 = y (f(y) + y f'(y)), f'(y) = f(y) ((a-1)/y - (b-1)/(1-y)).
      const dlog = am1 / y - bm1 / (1 - y);
      d1 += w * pdf * y;
      d2 += overControl ? w * pdf * y * (1 + y * dlog) : -w * pdf * y * (1 + y * dlog);
    }
    return [cdf, d1, d2];
  };
  const evaluate = (s: number): [number, number, number] => {
    const kinkFree = s < 0;
    if (preferControl === kinkFree) return evaluateOver(preferControl, s);
    const g = gridOf(preferControl);
    const es = Math.exp(s);
    let past = 0;
    for (let i = 0; i < g.x.length; i++) {
      const y = preferControl ? es * g.x[i]! : g.x[i]! / es;
      if (y >= 1) past += g.w[i]!;
    }
    // Mass this small past the edge moves G by less than itself.
    return evaluateOver(past > 1e-13 ? kinkFree : preferControl, s);
  };
  const mu = lb.mean - la.mean;
  const sigma = Math.sqrt(la.variance + lb.variance);
  const skew = (lb.third - la.third) / (sigma * sigma * sigma);
  return probs.map((p) => {
    const z = normalQuantile(p);
    const guess = mu + sigma * (z + ((z * z - 1) * skew) / 6);
    return Math.expm1(solveQuantile(evaluate, p, guess, sigma));
  });
}

// Mean, variance and third cumulant of ln X for X ~ Beta(a, b): psi(a) - psi(a+b) and its derivatives.
// Only a starting guess is built from them, so asymptotic series (after shifting the argument up) do.
function logBetaCumulants(d: BetaDist): { mean: number; variance: number; third: number } {
  const [p0a, p1a, p2a] = polygammas(d.alpha);
  const [p0s, p1s, p2s] = polygammas(d.alpha + d.beta);
  return { mean: p0a - p0s, variance: p1a - p1s, third: p2a - p2s };
}

function polygammas(x: number): [number, number, number] {
  let psi = 0;
  let psi1 = 0;
  let psi2 = 0;
  let v = x;
  while (v < 8) {
    psi -= 1 / v;
    psi1 += 1 / (v * v);
    psi2 -= 2 / (v * v * v);
    v += 1;
  }
  const i1 = 1 / v;
  const i2 = i1 * i1;
  psi += Math.log(v) - 0.5 * i1 - i2 * (1 / 12 - i2 * (1 / 120 - i2 / 252));
  psi1 += i1 + 0.5 * i2 + i2 * i1 * (1 / 6 - i2 * (1 / 30 - i2 / 42));
  psi2 += -i2 - i2 * i1 - i2 * i2 * (0.5 - i2 * (1 / 6 - i2 / 6));
  return [psi, psi1, psi2];
}

// Safeguarded Halley iteration for G(s) = p inside a bracket that is grown until it holds the root, with
// bisection whenever a step would leave it. Halley converges cubically: once |G - p| < 1e-5 the next
// step is within ~1e-11 (relative) of the root on 300 random cases, so it is returned without another
// (costly) evaluation.
function solveQuantile(
  f: (s: number) => [number, number, number],
  p: number,
  guess: number,
  scale: number,
): number {
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  let s = guess;
  let step = Math.max(scale, 1e-12);
  for (let it = 0; it < 100; it++) {
    const [c, d1, d2] = f(s);
    const err = c - p;
    if (err === 0) return s;
    if (err < 0) lo = s;
    else hi = s;
    const newton = err / d1;
    const denom = 1 - (newton * d2) / (2 * d1);
    let next = d1 > 0 ? s - newton / (denom > 0.5 ? denom : 1) : Number.NaN;
    if (Math.abs(err) < 1e-5 && next > lo && next < hi) return next;
    if (!(next > lo && next < hi)) {
      if (Number.isFinite(lo) && Number.isFinite(hi)) next = 0.5 * (lo + hi);
      else {
        next = err < 0 ? s + step : s - step;
        step *= 2;
      }
    }
    if (Math.abs(next - s) <= 1e-14 * Math.max(1, Math.abs(s))) return next;
    s = next;
  }
  return s;
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

/** Probability of being best (and optionally second best) of each arm. */
export interface BestArmProbabilities {
  pBest: number[];
  pSecond?: number[];
  method: "integral" | "monte-carlo";
  /** Monte Carlo only: the largest standard error of the estimates. */
  standardError?: number;
}

// Accumulates, node by node, P(j best) = sum w_j prod_{i != j} F_i and P(j second) =
// sum w_j sum_{m != j} S_m prod_{i != j, m} F_i, with prefix/suffix products (no division by a CDF of 0)
// in buffers allocated once.
class BestAccumulator {
  readonly pBest: Float64Array;
  readonly pSecond: Float64Array | null;
  private readonly pre: Float64Array;
  private readonly suf: Float64Array;
  private readonly scratch: Float64Array;
  private readonly tail: Float64Array;

  constructor(
    private readonly k: number,
    second: boolean,
  ) {
    this.pBest = new Float64Array(k);
    this.pSecond = second ? new Float64Array(k) : null;
    this.pre = new Float64Array(k + 1);
    this.suf = new Float64Array(k + 1);
    this.scratch = new Float64Array(k);
    this.tail = new Float64Array(k + 1);
  }

  add(w: Float64Array, cdf: Float64Array): void {
    const { k, pre, suf, scratch, tail, pBest, pSecond } = this;
    pre[0] = 1;
    for (let i = 0; i < k; i++) pre[i + 1] = pre[i]! * cdf[i]!;
    suf[k] = 1;
    for (let i = k - 1; i >= 0; i--) suf[i] = suf[i + 1]! * cdf[i]!;
    for (let j = 0; j < k; j++) {
      const weight = w[j]!;
      if (weight === 0) continue;
      pBest[j]! += weight * pre[j]! * suf[j + 1]!;
      if (pSecond) {
        let n = 0;
        for (let i = 0; i < k; i++) if (i !== j) scratch[n++] = cdf[i]!;
        tail[n] = 1;
        for (let i = n - 1; i >= 0; i--) tail[i] = tail[i + 1]! * scratch[i]!;
        let acc = 0;
        let prefix = 1;
        for (let m = 0; m < n; m++) {
          acc += (1 - scratch[m]!) * prefix * tail[m + 1]!;
          prefix *= scratch[m]!;
        }
        pSecond[j]! += weight * acc;
      }
    }
  }

  result(): BestArmProbabilities {
    return {
      pBest: Array.from(this.pBest),
      ...(this.pSecond ? { pSecond: Array.from(this.pSecond) } : {}),
      method: "integral",
    };
  }
}

/** P(each arm is best) across Beta arms by quadrature (exact to ~1e-12); pSecond too when asked. */
export function probabilityToBeBestBeta(
  arms: BetaDist[],
  options: { second?: boolean } = {},
): BestArmProbabilities {
  const k = arms.length;
  if (k === 1) return { pBest: [1], ...(options.second ? { pSecond: [0] } : {}), method: "integral" };
  // One step for all, fine enough for the narrowest arm (each arm's CDF varies on its own logit scale).
  let zlo = Number.POSITIVE_INFINITY;
  let zhi = Number.NEGATIVE_INFINITY;
  let h = Number.POSITIVE_INFINITY;
  let perArmRange = 0;
  for (const d of arms) {
    const [lo, hi] = logitRange(d.alpha, d.beta);
    zlo = Math.min(zlo, lo);
    zhi = Math.max(zhi, hi);
    perArmRange += hi - lo;
    h = Math.min(h, logitStep(d.alpha, d.beta));
  }
  const acc = new BestAccumulator(k, options.second === true);
  const cdf = new Float64Array(k);
  const w = new Float64Array(k);
  // A shared grid over all arms costs (its nodes) x k CDFs, one grid per arm sum(their nodes) x k.
  if (zhi - zlo <= perArmRange) {
    const x = logitNodes(zlo, zhi, h);
    const weights = arms.map((d) => betaWeights(x, d.alpha, d.beta));
    for (let n = 0; n < x.length; n++) {
      let any = false;
      for (let j = 0; j < k; j++) {
        w[j] = weights[j]![n]!;
        if (w[j]! > 0) any = true;
      }
      if (!any) continue;
      for (let i = 0; i < k; i++) cdf[i] = betaCdf(x[n]!, arms[i]!.alpha, arms[i]!.beta);
      acc.add(w, cdf);
    }
  } else {
    // Arms far apart: one grid per arm j (only w_j is non-zero on it).
    for (let j = 0; j < k; j++) {
      const g = betaGrid(arms[j]!.alpha, arms[j]!.beta, h);
      w.fill(0);
      for (let n = 0; n < g.x.length; n++) {
        w[j] = g.w[n]!;
        if (w[j] === 0) continue;
        for (let i = 0; i < k; i++) cdf[i] = betaCdf(g.x[n]!, arms[i]!.alpha, arms[i]!.beta);
        acc.add(w, cdf);
      }
    }
  }
  return acc.result();
}

/** P(each arm is best) across normal posteriors by quadrature; pSecond too when asked. */
export function probabilityToBeBestNormal(
  arms: NormalDist[],
  options: { second?: boolean } = {},
): BestArmProbabilities {
  const k = arms.length;
  if (k === 1) return { pBest: [1], ...(options.second ? { pSecond: [0] } : {}), method: "integral" };
  if (arms.some((d) => !(d.sd > 0))) return bestByPointMass(arms, options.second === true);
  const second = options.second === true;
  // No arm has mass beyond 9.7 SD (e^-46). For P(best) only the region where every other CDF is
  // non-negligible matters: above the largest lower end; P(second) needs all but one.
  const lows = arms.map((d) => d.mean - 9.7 * d.sd).sort((a, b) => b - a);
  const lo = second ? lows[1]! : lows[0]!;
  const hi = Math.max(...arms.map((d) => d.mean + 9.7 * d.sd));
  const h = 0.4 * Math.min(...arms.map((d) => d.sd));
  const acc = new BestAccumulator(k, second);
  const cdf = new Float64Array(k);
  const w = new Float64Array(k);
  const nodes = Math.ceil((hi - lo) / h);
  if (nodes <= 20_000) {
    // Trapezoid rule: geometric convergence for these entire, Gaussian-decaying integrands. With a step
    // of 0.4 SD the trapezoid sum of each density is 1 to within e^-120, so the weight is h phi(z)/sd.
    const scale = h / Math.sqrt(2 * Math.PI);
    for (let n = 0; n <= nodes; n++) {
      const x = lo + n * h;
      let any = false;
      for (let i = 0; i < k; i++) {
        const d = arms[i]!;
        const z = (x - d.mean) / d.sd;
        w[i] = Math.abs(z) < 40 ? (scale * Math.exp(-0.5 * z * z)) / d.sd : 0;
        cdf[i] = normalCdf(z);
        if (w[i]! > 0) any = true;
      }
      if (any) acc.add(w, cdf);
    }
    return acc.result();
  }
  // Widths too different for one grid: adaptive Gauss-Kronrod over the same range.
  const dim = second ? 2 * k : k;
  const out = integrateVector(
    (x, res) => {
      acc.pBest.fill(0);
      acc.pSecond?.fill(0);
      for (let i = 0; i < k; i++) {
        const d = arms[i]!;
        const z = (x - d.mean) / d.sd;
        cdf[i] = normalCdf(z);
        w[i] = normalPdf(z) / d.sd;
      }
      acc.add(w, cdf);
      for (let j = 0; j < k; j++) res[j] = acc.pBest[j]!;
      if (acc.pSecond) for (let j = 0; j < k; j++) res[k + j] = acc.pSecond[j]!;
    },
    lo,
    hi,
    dim,
    {
      absTol: 1e-13,
      relTol: 1e-12,
      maxIntervals: 400,
      // Every arm's bulk starts as its own panels, so narrow arms are not stepped over.
      breakpoints: arms.flatMap((d) => [-9.7, -6, -3, -1, 0, 1, 3, 6, 9.7].map((z) => d.mean + z * d.sd)),
    },
  );
  return {
    pBest: Array.from(out.subarray(0, k)),
    ...(second ? { pSecond: Array.from(out.subarray(k, 2 * k)) } : {}),
    method: "integral",
  };
}

// Arms without spread: the best mean wins (ties share).
function bestByPointMass(arms: NormalDist[], second: boolean): BestArmProbabilities {
  const max = Math.max(...arms.map((d) => d.mean));
  const top = arms.filter((d) => d.mean === max).length;
  const pBest = arms.map((d) => (d.mean === max ? 1 / top : 0));
  if (!second) return { pBest, method: "integral" };
  const rest = arms.filter((d) => d.mean !== max).map((d) => d.mean);
  const max2 = rest.length ? Math.max(...rest) : Number.NaN;
  const n2 = arms.filter((d) => d.mean === max2).length;
  const pSecond = arms.map((d) =>
    top > 1 ? (d.mean === max ? (top - 1) / top : 0) : d.mean === max2 ? 1 / n2 : 0,
  );
  return { pBest, pSecond, method: "integral" };
}
