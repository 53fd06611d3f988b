// Probability of being best (and second best) across Beta or normal posteriors, by quadrature.

import { betaGreaterEdgeworth, isHugeBeta, logitNormal } from "./beta-compare.js";
import { betaGrid, betaWeights, logitNodes, logitRange, logitStep } from "./beta-grid.js";
import { betaCdf, normalCdf, normalPdf } from "./distributions.js";
import { integrateVector } from "./numerics.js";
import type { BetaDist, NormalDist } from "./types.js";

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
  // Huge counts: the Beta CDFs lose digits; logit(p) is normal to O(1/sqrt(count)) and the ordering is
  // the same on that scale.
  if (isHugeBeta(...arms)) {
    if (k === 2 && !options.second) {
      const p = betaGreaterEdgeworth(arms[1]!, arms[0]!);
      return { pBest: [p.less, p.greater], method: "integral" };
    }
    return probabilityToBeBestNormal(
      arms.map((d) => logitNormal(d, arms[0]!)),
      options,
    );
  }
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
