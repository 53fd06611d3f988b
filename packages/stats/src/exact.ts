// Fisher's exact test of a 2 x 2 table of conversions, and the conditional exact interval of its odds
// ratio (Cornfield), both from the same central tails so the interval excludes 1 exactly when p < alpha.
import { logGamma } from "./distributions.js";
import { findRoot } from "./numerics.js";
import type { Alternative } from "./types.js";

/** Result of Fisher's exact test for treatment against control conversions. */
export interface FisherExactResult {
  /** Central p-value: two-sided min(1, 2 min(tails)); one-sided the tail of the alternative. */
  pValue: number;
  /** Conditional exact interval of the odds ratio (treatment over control); upper may be Infinity. */
  oddsRatioInterval: [number, number];
}

const logChoose = (n: number, k: number): number => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);

// Conversions of the treatment given both margins follow Fisher's noncentral hypergeometric law; its
// support is small whenever an exact test is needed (an expected cell count below 5).
function hypergeometric(nA: number, nB: number, total: number) {
  const lo = Math.max(0, total - nA);
  const hi = Math.min(total, nB);
  const logWeights: number[] = [];
  for (let k = lo; k <= hi; k++) logWeights.push(logChoose(nB, k) + logChoose(nA, total - k));
  // P(X <= x) and P(X >= x) at odds ratio psi, normalised in log space.
  const tails = (x: number, logPsi: number): { lower: number; upper: number } => {
    let max = Number.NEGATIVE_INFINITY;
    const terms = logWeights.map((w, i) => {
      const t = w + (lo + i) * logPsi;
      if (t > max) max = t;
      return t;
    });
    let all = 0;
    let lower = 0;
    let upper = 0;
    terms.forEach((t, i) => {
      const e = Math.exp(t - max);
      all += e;
      if (lo + i <= x) lower += e;
      if (lo + i >= x) upper += e;
    });
    return { lower: lower / all, upper: upper / all };
  };
  return { lo, hi, tails };
}

/** Fisher's exact test and the conditional exact odds-ratio interval at level 1 - alpha. */
export function fisherExactTest(
  control: { n: number; conversions: number },
  treatment: { n: number; conversions: number },
  options: { alpha?: number; alternative?: Alternative } = {},
): FisherExactResult {
  const alpha = options.alpha ?? 0.05;
  const alternative = options.alternative ?? "two-sided";
  const total = control.conversions + treatment.conversions;
  const x = treatment.conversions;
  const h = hypergeometric(control.n, treatment.n, total);
  const at1 = h.tails(x, 0);
  const pValue =
    alternative === "greater"
      ? at1.upper
      : alternative === "less"
        ? at1.lower
        : Math.min(1, 2 * Math.min(at1.lower, at1.upper));
  const tail = alternative === "two-sided" ? alpha / 2 : alpha;
  // ln psi where the tail equals `tail`; the tails are monotone in psi.
  const solve = (f: (logPsi: number) => number): number => {
    let a = -1;
    let b = 1;
    while (f(a) * f(b) > 0 && b < 700) {
      a *= 2;
      b *= 2;
    }
    return f(a) * f(b) > 0 ? Number.NaN : findRoot(f, a, b, 1e-10);
  };
  const lower = alternative === "less" || x <= h.lo ? 0 : Math.exp(solve((l) => h.tails(x, l).upper - tail));
  const upper =
    alternative === "greater" || x >= h.hi
      ? Number.POSITIVE_INFINITY
      : Math.exp(solve((l) => h.tails(x, l).lower - tail));
  return {
    pValue,
    oddsRatioInterval: [
      Number.isNaN(lower) ? 0 : lower,
      Number.isNaN(upper) ? Number.POSITIVE_INFINITY : upper,
    ],
  };
}
