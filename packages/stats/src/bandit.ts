import {
  type BestArmProbabilities,
  type BetaDist,
  type NormalDist,
  probabilityToBeBestBeta,
  probabilityToBeBestNormal,
} from "./bayesian.js";
import { type MonteCarloOptions, probabilityToBeBestMonteCarlo } from "./monte-carlo.js";

/** Posterior of one bandit arm: Beta for conversions, normal for numeric metrics. */
export type ArmPosterior = ({ kind: "beta" } & BetaDist) | ({ kind: "normal" } & NormalDist);

/** Options of the bandit allocators. */
export interface BanditOptions {
  /** Minimum weight per arm (default 0); weights become f + (1 - k f) w. */
  floor?: number;
  /** Exact quadrature (default) or seeded Monte Carlo. */
  method?: "integral" | "monte-carlo";
  monteCarlo?: MonteCarloOptions;
}

/** P(best) and P(second) of each arm, integrated or sampled. */
export function bestArmProbabilities(
  arms: ArmPosterior[],
  options: Pick<BanditOptions, "method" | "monteCarlo"> = {},
): BestArmProbabilities {
  const kinds = new Set(arms.map((a) => a.kind));
  if (kinds.size > 1) throw new TypeError("bandit arms must all be Beta or all be normal");
  if (options.method === "monte-carlo")
    return probabilityToBeBestMonteCarlo(
      arms as Parameters<typeof probabilityToBeBestMonteCarlo>[0],
      options.monteCarlo,
    );
  return arms[0]?.kind === "normal"
    ? probabilityToBeBestNormal(arms as NormalDist[], { second: true })
    : probabilityToBeBestBeta(arms as BetaDist[], { second: true });
}

/** Floor every weight: f + (1 - k f) w, so each arm keeps at least f and the weights still sum to 1. */
export function applyFloor(weights: number[], floor: number): number[] {
  const k = weights.length;
  if (!(floor > 0)) return weights.slice();
  const f = Math.min(floor, 1 / k);
  return weights.map((w) => f + (1 - k * f) * w);
}

/** Thompson-sampling allocation: each arm's weight is its probability of being best (then floored). */
export function thompsonWeights(arms: ArmPosterior[], options: BanditOptions = {}): number[] {
  return applyFloor(bestArmProbabilities(arms, options).pBest, options.floor ?? 0);
}

/**
 * Top-two Thompson sampling (Russo 2016) as an allocation: play the best draw with probability beta,
 * else the best of a re-draw that differs: w_j = beta p_j + (1 - beta) p_j sum_{i != j} p_i / (1 - p_i).
 */
export function topTwoThompsonWeights(
  arms: ArmPosterior[],
  options: BanditOptions & { beta?: number } = {},
): number[] {
  const beta = options.beta ?? 0.5;
  const p = bestArmProbabilities(arms, options).pBest;
  const w = p.map((pj, j) => {
    let challenger = 0;
    p.forEach((pi, i) => {
      if (i !== j && pi < 1) challenger += (pi * pj) / (1 - pi);
    });
    return beta * pj + (1 - beta) * challenger;
  });
  const total = w.reduce((s, v) => s + v, 0);
  return applyFloor(
    w.map((v) => v / total),
    options.floor ?? 0,
  );
}

/** GrowthBook's top-two weights: (count of first places + count of second places) / (2 draws). */
export function growthbookTopTwoWeights(arms: ArmPosterior[], options: BanditOptions = {}): number[] {
  const r = bestArmProbabilities(arms, options);
  const second = r.pSecond ?? r.pBest.map(() => 0);
  return applyFloor(
    r.pBest.map((p, i) => (p + second[i]!) / 2),
    options.floor ?? 0,
  );
}
