// Quadrature against Beta densities. Nodes are evenly spaced in logit space, where a Beta density is
// smooth, unimodal and analytic in a strip, so the trapezoidal rule converges geometrically; weights are
// computed relative to the mode and normalized by their own sum, so no ln B(a, b) of huge arguments
// (and its cancellation) enters the results.

// ln of the smallest relative weight kept: e^-46 ~ 1e-20.
const LOG_CUTOFF = -46;

/** Log of x^a (1-x)^b relative to its value at the logit-mode xm = a/(a+b), computed without cancellation. */
export function logitLogWeight(x: number, a: number, b: number, xm: number): number {
  // x - xm is exact for nearby doubles, so large a and b do not amplify rounding.
  const d = x - xm;
  return a * Math.log1p(d / xm) + b * Math.log1p(-d / (1 - xm));
}

/** A Beta distribution's trapezoid grid: nodes x and normalized weights (summing to 1). */
export interface BetaGrid {
  x: Float64Array;
  w: Float64Array;
}

/** Logit-space step that resolves a Beta(a, b) density (its Laplace SD in logit space is sqrt(1/a + 1/b)). */
export function logitStep(a: number, b: number): number {
  // Trapezoid error ~ exp(-2 pi^2 sd^2 / h^2) for a Gaussian-like density; small counts are limited by
  // the strip |Im z| < pi instead. 0.4 SD (at most 0.4) is within ~1e-14 of 40-digit quadrature on
  // small-count cases; 0.55 SD was off by 2e-10.
  return Math.min(0.4, 0.4 * Math.sqrt(1 / a + 1 / b));
}

/** The logit-space range [zlo, zhi] outside which Beta(a, b)'s density is below e^-46 of its mode. */
export function logitRange(a: number, b: number): [number, number] {
  const zm = Math.log(a / b);
  const xm = a / (a + b);
  const sd = Math.sqrt(1 / a + 1 / b);
  const g = (z: number): number => logitLogWeight(sigmoid(z), a, b, xm);
  let lo = 10 * sd;
  while (g(zm - lo) > LOG_CUTOFF && lo < 1e4) lo *= 1.5;
  let hi = 10 * sd;
  while (g(zm + hi) > LOG_CUTOFF && hi < 1e4) hi *= 1.5;
  return [zm - lo, zm + hi];
}

/** Logistic function 1/(1+e^-z). */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Trapezoid nodes over [zlo, zhi] with step h (aligned so grids with the same h share nodes). */
export function logitNodes(zlo: number, zhi: number, h: number): Float64Array {
  const i0 = Math.floor(zlo / h);
  const i1 = Math.ceil(zhi / h);
  const x = new Float64Array(i1 - i0 + 1);
  for (let i = i0; i <= i1; i++) x[i - i0] = sigmoid(i * h);
  return x;
}

/** Normalized weights of Beta(a, b) at logit-spaced nodes x (the density of logit(X) times the step). */
export function betaWeights(x: Float64Array, a: number, b: number): Float64Array {
  const xm = a / (a + b);
  const w = new Float64Array(x.length);
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const lw = xi > 0 && xi < 1 ? logitLogWeight(xi, a, b, xm) : Number.NEGATIVE_INFINITY;
    const v = lw > LOG_CUTOFF - 5 ? Math.exp(lw) : 0;
    w[i] = v;
    total += v;
  }
  for (let i = 0; i < x.length; i++) w[i]! /= total;
  return w;
}

/** The trapezoid grid of one Beta(a, b), with its own step unless a finer one is given. */
export function betaGrid(a: number, b: number, step = logitStep(a, b)): BetaGrid {
  const [zlo, zhi] = logitRange(a, b);
  const x = logitNodes(zlo, zhi, step);
  return { x, w: betaWeights(x, a, b) };
}
