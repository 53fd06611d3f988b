// P(X > Y) for two Beta posteriors, and the expected losses that follow from it.
import { betaGrid } from "./beta-grid.js";
import { betaCdf, betaSf, logBeta, normalCdf, normalPdf, normalSf } from "./distributions.js";
import type { BetaDist } from "./types.js";

/** P(X > Y) and P(X < Y) for independent Beta variables, each accurate even when tiny. */
export interface BetaComparison {
  greater: number;
  less: number;
  method: "sum" | "integral" | "edgeworth";
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
 * or "auto" past 3e5 where it is faster), or past 1e7 in every parameter a second-order Edgeworth
 * expansion on the logit scale. They agree to ~1e-11 for counts in the millions.
 */
export function probabilityBetaGreater(
  x: BetaDist,
  y: BetaDist,
  method: "auto" | "sum" | "integral" = "auto",
): BetaComparison {
  if (method === "integral") return betaGreaterByIntegral(x, y);
  if (method === "auto" && isHugeBeta(x, y)) return betaGreaterEdgeworth(x, y);
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
  const ma = a.alpha / (a.alpha + a.beta);
  const mb = b.alpha / (b.alpha + b.beta);
  const k = Math.exp(
    logBeta(a.alpha + b.alpha, a.beta + b.beta) - logBeta(a.alpha, a.beta) - logBeta(b.alpha, b.beta),
  );
  const spread = k * (1 / (a.alpha + a.beta) + 1 / (b.alpha + b.beta));
  return {
    chooseTreatment: Math.max(0, p.less * (ma - mb) + spread),
    chooseControl: Math.max(0, p.greater * (mb - ma) + spread),
  };
}

// Past this every posterior parameter is large enough for the Edgeworth expansion below (error of order
// count^-3/2, under 1e-10), while the quadrature's incomplete-beta CDFs lose digits (7.8e-5 at 1e9 units).
const EDGEWORTH_MIN_PARAMETER = 1e7;

// psi(x) - psi(y) for large x, y without cancelling ln x - ln y, and psi', psi'', psi''' by their
// asymptotic series (terms past x^-7 are below 1e-49 here).
function digammaDifference(x: number, y: number): number {
  const inv = (v: number) => 1 / v;
  return (
    Math.log1p((x - y) / y) -
    0.5 * (inv(x) - inv(y)) -
    (inv(x * x) - inv(y * y)) / 12 +
    (inv(x ** 4) - inv(y ** 4)) / 120
  );
}
function trigamma(x: number): number {
  return 1 / x + 1 / (2 * x * x) + 1 / (6 * x ** 3) - 1 / (30 * x ** 5);
}
function tetragamma(x: number): number {
  return -1 / (x * x) - 1 / x ** 3 - 1 / (2 * x ** 4) + 1 / (6 * x ** 6);
}
function pentagamma(x: number): number {
  return 2 / x ** 3 + 3 / x ** 4 + 2 / x ** 5 - 1 / x ** 7;
}

/** Whether every parameter is past the threshold where the logit approximations are used. */
export function isHugeBeta(...dists: BetaDist[]): boolean {
  return dists.every((d) => Math.min(d.alpha, d.beta) >= EDGEWORTH_MIN_PARAMETER);
}

/**
 * Mean and sd of logit(p) for p ~ Beta(a, b) (= ln G_a - ln G_b), the mean relative to a reference arm's
 * so that nearby arms keep their difference to full precision.
 */
export function logitNormal(d: BetaDist, reference: BetaDist): { mean: number; sd: number } {
  return {
    mean: digammaDifference(d.alpha, reference.alpha) - digammaDifference(d.beta, reference.beta),
    sd: Math.sqrt(trigamma(d.alpha) + trigamma(d.beta)),
  };
}

/**
 * P(X > Y) for huge Beta posteriors: D = logit X - logit Y is a sum of four independent log-gamma
 * variables with cumulants from polygamma functions; a second-order Edgeworth expansion of P(D > 0).
 */
export function betaGreaterEdgeworth(x: BetaDist, y: BetaDist): BetaComparison {
  const k1 = digammaDifference(x.alpha, y.alpha) - digammaDifference(x.beta, y.beta);
  const k2 = trigamma(x.alpha) + trigamma(x.beta) + trigamma(y.alpha) + trigamma(y.beta);
  const k3 = tetragamma(x.alpha) - tetragamma(x.beta) - tetragamma(y.alpha) + tetragamma(y.beta);
  const k4 = pentagamma(x.alpha) + pentagamma(x.beta) + pentagamma(y.alpha) + pentagamma(y.beta);
  const sd = Math.sqrt(k2);
  const g1 = k3 / (k2 * sd);
  const g2 = k4 / (k2 * k2);
  const z = -k1 / sd;
  const z2 = z * z;
  // F(z) = Phi(z) - phi(z) [g1/6 He2 + g2/24 He3 + g1^2/72 He5].
  const correction =
    normalPdf(z) *
    ((g1 / 6) * (z2 - 1) + (g2 / 24) * z * (z2 - 3) + ((g1 * g1) / 72) * z * (z2 * z2 - 10 * z2 + 15));
  return { greater: normalSf(z) + correction, less: normalCdf(z) - correction, method: "edgeworth" };
}
