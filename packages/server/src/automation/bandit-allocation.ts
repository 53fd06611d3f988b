/**
 * The arithmetic of a multi-armed-bandit re-allocation (pure; the tick is bandit-reallocation.ts): from each
 * arm's units and converted units on the primary goal, Thompson-sampling weights (each arm's probability of
 * being the best under a Beta(1 + converted, 1 + units - converted) posterior, computed by quadrature, so the
 * same data always gives the same weights), floored, then turned into traffic allocations that keep the
 * rule's allocated total exactly, at the engine's resolution of 0.001 %.
 */
import { type ArmPosterior, thompsonWeights } from "@vexil/stats";

export interface BanditArm {
  variationKey: string;
  /** Current allocation, % of the rule's traffic. */
  exposition: number;
  units: number;
  convertedUnits: number;
}

export interface BanditSettings {
  /** Least weight per arm, 0 to 1 (clipped to 1/k). */
  floor: number;
  /** Units every arm needs before the first and every later re-allocation. */
  minUnits: number;
}

export type BanditDecision =
  | {
      decision: "waiting";
      /** Arms below minUnits. */
      arms: { variationKey: string; units: number }[];
    }
  | {
      decision: "reallocate";
      /** Floored Thompson weights, in the order of the arms. */
      weights: number[];
      /** The new allocations, same order and total as the current ones. */
      allocations: { variationKey: string; exposition: number }[];
      changed: boolean;
    };

/** Allocations are whole thousandths of a percent (the engine compares buckets with exposition * 1000). */
const RESOLUTION = 1000;

export function banditDecision(arms: readonly BanditArm[], settings: BanditSettings): BanditDecision {
  const short = arms.filter((arm) => arm.units < settings.minUnits);
  if (short.length > 0 || arms.length < 2) {
    return { decision: "waiting", arms: short.map(({ variationKey, units }) => ({ variationKey, units })) };
  }
  const posteriors: ArmPosterior[] = arms.map((arm) => ({
    kind: "beta",
    alpha: 1 + arm.convertedUnits,
    beta: 1 + Math.max(0, arm.units - arm.convertedUnits),
  }));
  const weights = thompsonWeights(posteriors, { floor: settings.floor });
  const total = arms.reduce((sum, arm) => sum + Math.round(arm.exposition * RESOLUTION), 0);
  const shares = apportion(weights, total);
  const allocations = arms.map((arm, i) => ({
    variationKey: arm.variationKey,
    exposition: shares[i]! / RESOLUTION,
  }));
  const changed = allocations.some((allocation, i) => allocation.exposition !== arms[i]!.exposition);
  return { decision: "reallocate", weights, allocations, changed };
}

/**
 * Largest-remainder apportionment of `total` integer units by `weights` (which sum to 1): every share is
 * floor(w * total) or one more, and the shares add up to `total` exactly. Ties go to the earlier arm.
 */
export function apportion(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (sum > 0 ? (w / sum) * total : total / weights.length));
  const shares = exact.map((value) => Math.floor(value));
  let left = total - shares.reduce((s, v) => s + v, 0);
  const order = exact
    .map((value, i) => ({ i, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (let k = 0; left > 0 && order.length > 0; k = (k + 1) % order.length, left--) {
    const i = order[k]!.i;
    shares[i] = shares[i]! + 1;
  }
  return shares;
}
