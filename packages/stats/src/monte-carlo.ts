import randomBeta from "@stdlib/random-base-beta";
import randomNormal from "@stdlib/random-base-normal";
import type { BestArmProbabilities, BetaDist, NormalDist } from "./bayesian.js";

/** Options of a seeded Monte Carlo estimate. */
export interface MonteCarloOptions {
  draws?: number;
  seed?: number;
}

/**
 * P(each arm is best) and P(second best) by seeded Monte Carlo (stdlib's MT19937 samplers); the result
 * states its largest standard error sqrt(p(1-p)/draws). Prefer the integrated forms; this one is a
 * cross-check and what peers (LaunchDarkly, GrowthBook) do.
 */
export function probabilityToBeBestMonteCarlo(
  arms: ({ kind: "beta" } & BetaDist)[] | ({ kind: "normal" } & NormalDist)[],
  options: MonteCarloOptions = {},
): BestArmProbabilities {
  const draws = options.draws ?? 100_000;
  const seed = options.seed ?? 20240601;
  const k = arms.length;
  const samplers = arms.map((arm, i) => {
    if (arm.kind === "beta") return randomBeta.factory(arm.alpha, arm.beta, { seed: seed + i });
    const g = randomNormal.factory(arm.mean, arm.sd > 0 ? arm.sd : Number.MIN_VALUE, { seed: seed + i });
    return g;
  });
  const best = new Float64Array(k);
  const second = new Float64Array(k);
  const v = new Float64Array(k);
  for (let d = 0; d < draws; d++) {
    let b1 = -1;
    let b2 = -1;
    for (let i = 0; i < k; i++) {
      v[i] = samplers[i]!();
      if (b1 < 0 || v[i]! > v[b1]!) {
        b2 = b1;
        b1 = i;
      } else if (b2 < 0 || v[i]! > v[b2]!) b2 = i;
    }
    best[b1]! += 1;
    if (b2 >= 0) second[b2]! += 1;
  }
  const pBest = Array.from(best, (c) => c / draws);
  const pSecond = Array.from(second, (c) => c / draws);
  const standardError = Math.max(...[...pBest, ...pSecond].map((p) => Math.sqrt((p * (1 - p)) / draws)));
  return { pBest, pSecond, method: "monte-carlo", standardError };
}
