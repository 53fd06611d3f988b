// Seeded samplers for the calibration tests. Binomial draws are exact (inversion from the mode over the
// pmf): @stdlib/random-base-binomial 0.2.2 is biased for n p between ~10 and ~30 (mean 20.47 and variance
// 18.4 for Binomial(2000, 0.01), 200,000 draws), which moved rare-conversion false-positive rates by a
// full point.
import randomMt19937 from "@stdlib/random-base-mt19937";
import randomNormal from "@stdlib/random-base-normal";
import { logGamma, regressionStatsOf, type VariationInput } from "../src/index.js";

/** Seeded uniform, normal, exact binomial and lognormal draws. */
export function samplers(seed: number) {
  // Uniform in [0, 1) from the 32-bit Mersenne Twister.
  const mt = randomMt19937.factory({ seed });
  const uniform = (): number => mt() / 4294967296;
  const normal = randomNormal.factory({ seed: seed + 1 });
  const binomial = (n: number, p: number): number => {
    if (p <= 0 || n <= 0) return 0;
    if (p >= 1) return n;
    const mode = Math.min(n, Math.floor((n + 1) * p));
    const pm = Math.exp(
      logGamma(n + 1) -
        logGamma(mode + 1) -
        logGamma(n - mode + 1) +
        mode * Math.log(p) +
        (n - mode) * Math.log1p(-p),
    );
    // Walk outward from the mode, taking the heavier side first, until the cumulated mass passes u.
    let u = uniform() - pm;
    if (u <= 0) return mode;
    let lo = mode;
    let hi = mode;
    let pLo = pm;
    let pHi = pm;
    const odds = p / (1 - p);
    for (;;) {
      const nextHi = hi < n ? (pHi * (n - hi) * odds) / (hi + 1) : 0;
      const nextLo = lo > 0 ? (pLo * lo) / ((n - lo + 1) * odds) : 0;
      if (nextHi === 0 && nextLo === 0) return mode;
      if (nextHi >= nextLo) {
        hi++;
        pHi = nextHi;
        u -= pHi;
        if (u <= 0) return hi;
      } else {
        lo--;
        pLo = nextLo;
        u -= pLo;
        if (u <= 0) return lo;
      }
    }
  };
  return { uniform, normal, binomial };
}

/** Sums of n units of which a share p converts with a lognormal(mu, sigma) value times scale. */
export function revenueSums(
  s: ReturnType<typeof samplers>,
  n: number,
  p: number,
  mu: number,
  sigma: number,
  scale = 1,
): { n: number; sum: number; sumSquares: number } {
  const k = s.binomial(n, p);
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < k; i++) {
    const v = scale * Math.exp(s.normal(mu, sigma));
    sum += v;
    sumSquares += v * v;
  }
  return { n, sum, sumSquares };
}

/** The converting units' values of n units (the others are 0): lognormal(mu, sigma) times scale. */
export function revenueValues(
  s: ReturnType<typeof samplers>,
  n: number,
  p: number,
  mu: number,
  sigma: number,
  scale: number,
): number[] {
  const k = s.binomial(n, p);
  const out: number[] = [];
  for (let i = 0; i < k; i++) out.push(scale * Math.exp(s.normal(mu, sigma)));
  return out;
}

/**
 * percentile_cont(q) (linear interpolation, as SQL's) over `total` values of which the given ones are
 * the non-zero ones (the rest are 0).
 */
export function percentileCont(values: number[], total: number, q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const zeros = total - sorted.length;
  const at = (i: number): number => (i < zeros ? 0 : sorted[i - zeros]!);
  const h = (total - 1) * q;
  const lo = Math.floor(h);
  return at(lo) + (h - lo) * (at(Math.min(total - 1, lo + 1)) - at(lo));
}

/**
 * Units of one arm for the variance-reduction calibration (known effect, known correlation): a stratum
 * (3 values, shares 0.5 / 0.3 / 0.2, stratum means 0 / 4 / 8), three pre-period covariates
 * x = 0.5 stratum mean + z (z standard normal, pairwise correlation 0.5), and the outcome
 * y = (10 + stratum mean + x1 + 0.6 x2 + 0.3 x3 + N(0, 3^2)) (1 + lift): the lift is the true relative
 * effect and lift ADJUSTMENT_BASE_MEAN the true absolute one.
 */
export function adjustmentUnits(
  s: ReturnType<typeof samplers>,
  n: number,
  lift: number,
): { strata: string[]; rows: number[][] } {
  const shares = [0.5, 0.3, 0.2];
  const stratumMeans = [0, 4, 8];
  const strata: string[] = [];
  const rows: number[][] = [];
  const rho = Math.sqrt(0.5);
  for (let i = 0; i < n; i++) {
    const u = s.uniform();
    const k = u < shares[0]! ? 0 : u < shares[0]! + shares[1]! ? 1 : 2;
    const m = stratumMeans[k]!;
    // Pairwise correlation 0.5: a shared factor with loading sqrt(0.5).
    const f = s.normal(0, 1);
    const x = [0, 1, 2].map(() => 0.5 * m + rho * f + rho * s.normal(0, 1));
    const y = (10 + m + x[0]! + 0.6 * x[1]! + 0.3 * x[2]! + s.normal(0, 3)) * (1 + lift);
    strata.push(["desktop", "mobile", "tablet"][k]!);
    rows.push([y, ...x]);
  }
  return { strata, rows };
}

/** The true mean of adjustmentUnits' outcome without a lift: 10 + 2.8 (1 + 0.5 (1 + 0.6 + 0.3)). */
export const ADJUSTMENT_BASE_MEAN = 10 + 2.8 * (1 + 0.5 * 1.9);

/** One variation of adjustmentUnits with every variance reduction's statistics (CUPED on x1). */
export function adjustmentVariation(
  key: string,
  units: { strata: string[]; rows: number[][] },
): VariationInput {
  const regression = regressionStatsOf(units.rows);
  const c = regression.comoments;
  const n = units.rows.length;
  const strata = new Map<string, number[]>();
  units.rows.forEach((r, i) => {
    const list = strata.get(units.strata[i]!) ?? [];
    list.push(r[0]!);
    strata.set(units.strata[i]!, list);
  });
  return {
    key,
    n,
    sum: n * regression.means[0]!,
    m2: c[0]![0]!,
    preSum: n * regression.means[1]!,
    preSumSquares: c[1]![1]! + n * regression.means[1]! ** 2,
    crossSum: c[0]![1]! + n * regression.means[0]! * regression.means[1]!,
    preM2: c[1]![1]!,
    crossM2: c[0]![1]!,
    regression: { means: regression.means, comoments: c },
    strata: [...strata].map(([stratum, ys]) => {
      const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
      return {
        stratum,
        n: ys.length,
        sum: mean * ys.length,
        m2: ys.reduce((a, y) => a + (y - mean) ** 2, 0),
      };
    }),
  };
}
