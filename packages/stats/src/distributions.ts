// Thin wrappers over @stdlib special functions and distributions, so the rest of the package depends on
// one small surface (and on names that say which tail they return).
import betainc from "@stdlib/math-base-special-betainc";
import betaln from "@stdlib/math-base-special-betaln";
import gammainc from "@stdlib/math-base-special-gammainc";
import gammaln from "@stdlib/math-base-special-gammaln";
import betaCdfLib from "@stdlib/stats-base-dists-beta-cdf";
import betaPdfLib from "@stdlib/stats-base-dists-beta-pdf";
import betaQuantileLib from "@stdlib/stats-base-dists-beta-quantile";
import normalCdfLib from "@stdlib/stats-base-dists-normal-cdf";
import normalPdfLib from "@stdlib/stats-base-dists-normal-pdf";
import normalQuantileLib from "@stdlib/stats-base-dists-normal-quantile";
import tCdfLib from "@stdlib/stats-base-dists-t-cdf";
import tQuantileLib from "@stdlib/stats-base-dists-t-quantile";

/** Standard normal CDF Phi(x). */
export function normalCdf(x: number): number {
  return normalCdfLib(x, 0, 1);
}

/** Standard normal survival function 1 - Phi(x), accurate in the upper tail. */
export function normalSf(x: number): number {
  return normalCdfLib(-x, 0, 1);
}

/** Standard normal density phi(x). */
export function normalPdf(x: number): number {
  return normalPdfLib(x, 0, 1);
}

/** Standard normal quantile Phi^-1(p). */
export function normalQuantile(p: number): number {
  return normalQuantileLib(p, 0, 1);
}

// Beyond this many degrees of freedom Student's t is the normal to well under 1e-10 in the quantities
// we report, and stdlib's t functions slow down; an infinite df means "use the normal".
const T_AS_NORMAL_DF = 1e12;

/** Student t CDF with (possibly non-integer) df; df = Infinity gives the normal. */
export function tCdf(x: number, df: number): number {
  if (!(df > 0)) return Number.NaN;
  if (df >= T_AS_NORMAL_DF) return normalCdf(x);
  return tCdfLib(x, df);
}

/** Student t survival function P(T > x), accurate in the upper tail. */
export function tSf(x: number, df: number): number {
  return tCdf(-x, df);
}

/** Student t quantile with (possibly non-integer) df; df = Infinity gives the normal. */
export function tQuantile(p: number, df: number): number {
  if (!(df > 0)) return Number.NaN;
  if (df >= T_AS_NORMAL_DF) return normalQuantile(p);
  return tQuantileLib(p, df);
}

/** Chi-square survival function P(X > x) with df degrees of freedom (upper regularized gamma). */
export function chiSquareSf(x: number, df: number): number {
  if (!(df > 0) || Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  return gammainc(x / 2, df / 2, true, true);
}

/** Beta(a, b) CDF. */
export function betaCdf(x: number, a: number, b: number): number {
  return betaCdfLib(x, a, b);
}

/** Beta(a, b) survival function P(X > x), accurate in the upper tail. */
export function betaSf(x: number, a: number, b: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  return betainc(x, a, b, true, true);
}

/** Beta(a, b) density. */
export function betaPdf(x: number, a: number, b: number): number {
  return betaPdfLib(x, a, b);
}

/** Beta(a, b) quantile. */
export function betaQuantile(p: number, a: number, b: number): number {
  return betaQuantileLib(p, a, b);
}

/** Regularized incomplete beta I_x(a, b) (upper = 1 - I_x). */
export function betaIncomplete(x: number, a: number, b: number, upper = false): number {
  return betainc(x, a, b, true, upper);
}

/** ln B(a, b). */
export function logBeta(a: number, b: number): number {
  return betaln(a, b);
}

/** ln Gamma(x). */
export function logGamma(x: number): number {
  return gammaln(x);
}

/**
 * Noncentral t survival function P(T'(df, ncp) > t): the Poisson-weighted incomplete-beta series of
 * Lenth (AS 243), as in R's pnt(), with every special function from stdlib.
 */
export function noncentralTSf(t: number, df: number, ncp: number): number {
  return 1 - noncentralTCdf(t, df, ncp);
}

/** Noncentral t CDF P(T'(df, ncp) <= t) (AS 243 series over stdlib's incomplete beta). */
export function noncentralTCdf(t: number, df: number, ncp: number): number {
  if (!(df > 0) || Number.isNaN(t) || Number.isNaN(ncp)) return Number.NaN;
  if (ncp === 0) return tCdf(t, df);
  // Reflect so the series always runs for t >= 0: F(t; d) = 1 - F(-t; -d).
  const negate = t < 0;
  const tt = negate ? -t : t;
  const del = negate ? -ncp : ncp;
  let tnc = 0;
  const x0 = (tt * tt) / (tt * tt + df);
  if (x0 > 0) {
    const lambda = del * del;
    let p = 0.5 * Math.exp(-0.5 * lambda);
    let q = Math.sqrt(2 / Math.PI) * p * del;
    let s = 0.5 - p;
    if (s < 1e-7) s = -0.5 * Math.expm1(-0.5 * lambda);
    let a = 0.5;
    const b = 0.5 * df;
    const rxb = (1 - x0) ** b;
    const albeta = 0.5 * Math.log(Math.PI) + gammaln(b) - gammaln(0.5 + b);
    let xodd = betainc(x0, a, b, true, false);
    let godd = 2 * rxb * Math.exp(a * Math.log(x0) - albeta);
    let tnc0 = b * x0;
    let xeven = tnc0 < Number.EPSILON ? tnc0 : 1 - rxb;
    let geven = tnc0 * rxb;
    tnc0 = p * xodd + q * xeven;
    for (let it = 1; it <= 1000; it++) {
      a += 1;
      xodd -= godd;
      xeven -= geven;
      godd *= (x0 * (a + b - 1)) / a;
      geven *= (x0 * (a + b - 0.5)) / (a + 0.5);
      p *= lambda / (2 * it);
      q *= lambda / (2 * it + 1);
      tnc0 += p * xodd + q * xeven;
      s -= p;
      if (s < -1e-10) break;
      if (s <= 0 && it > 1) break;
      if (Math.abs(2 * s * (xodd - godd)) < 1e-12) break;
    }
    tnc = tnc0;
  }
  tnc += normalCdf(-del);
  const lower = Math.min(tnc, 1);
  return negate ? 1 - lower : lower;
}
