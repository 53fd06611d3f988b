import { parseInstant, rampSteps } from "@vexil/engine";
import type { RolloutConfiguration, Rule, TrafficAllocation } from "../api/types.js";

/** Sum of a rule's allocations in percent, rounded to hundredths (floating sums like 33.33 * 3). */
export function allocationSum(allocations: readonly TrafficAllocation[] | undefined): number {
  const sum = (allocations ?? []).reduce(
    (total, a) => total + (Number.isFinite(a.exposition) ? a.exposition : 0),
    0,
  );
  return Math.round(sum * 100) / 100;
}

/** What the editor says about a sum: allocations of an experiment must add up to exactly 100 %. */
export function allocationProblem(allocations: readonly TrafficAllocation[] | undefined): string | null {
  const sum = allocationSum(allocations);
  return sum === 100 ? null : `Allocations add up to ${sum} %, not 100 %`;
}

/** Splits 100 % evenly over n variations in hundredths, the remainder on the first ones (sum exactly 100). */
export function evenSplit(n: number): number[] {
  if (n <= 0) return [];
  const base = Math.floor(10_000 / n);
  const remainder = 10_000 - base * n;
  return Array.from({ length: n }, (_, i) => (base + (i < remainder ? 1 : 0)) / 100);
}

export interface RampPoint {
  at: number;
  exposure: number;
}

/**
 * The ramp a progressive rule will follow, computed by the engine's own step clock (rampSteps, the same
 * calendar and time-zone rules as the server): for PROGRESSIVE_EXPOSURE, start % at the release time, then
 * + increaseBy every frequency until stop %; for CUSTOM_RAMP_UP, the given steps in time order. Empty when
 * the configuration is incomplete (the editor shows what is missing instead of a wrong preview).
 */
export function rampPreview(
  config: RolloutConfiguration | undefined,
  timeZone = "UTC",
  maxPoints = 100,
): RampPoint[] {
  if (!config) return [];
  if (config.type === "CUSTOM_RAMP_UP") {
    return (config.steps ?? [])
      .map((s) => ({ at: parseInstant(s.dateTime, timeZone), exposure: s.exposure }))
      .filter((p) => Number.isFinite(p.at))
      .sort((a, b) => a.at - b.at);
  }
  const release = parseInstant(config.releaseDateTime, timeZone);
  const range = config.percentageRange;
  const step = config.increaseBy;
  if (
    !Number.isFinite(release) ||
    !range ||
    !step ||
    step <= 0 ||
    range.start > range.stop ||
    !config.frequency
  ) {
    return [];
  }
  const clock = rampSteps(config.frequency.unit, config.frequency.value, release, timeZone);
  if (!clock) return [];
  const points: RampPoint[] = [];
  for (let k = 0; points.length < maxPoints; k++) {
    const at = clock.stepStart(k);
    if (!Number.isFinite(at)) break;
    const exposure = Math.min(range.stop, Math.round((range.start + k * step) * 100) / 100);
    points.push({ at, exposure });
    if (exposure >= range.stop) break;
  }
  return points;
}

/** Rules with orderIndex matching their position (after a drag), as the API expects them. */
export function reorder<T extends Pick<Rule, "orderIndex">>(
  rules: readonly T[],
  from: number,
  to: number,
): T[] {
  const next = rules.slice();
  const [moved] = next.splice(from, 1);
  if (moved === undefined) return next;
  next.splice(to, 0, moved);
  return next.map((rule, orderIndex) => ({ ...rule, orderIndex }));
}

/**
 * The variations an experiment compares: those its first experimentation rule allocates traffic to (a
 * variation at 0 % gets no units), or every variation when there is no such rule yet.
 */
export function experimentArmCount(rules: readonly Rule[], variationCount: number): number {
  const rule = rules.find((r) => r.type === "EXPERIMENTATION");
  if (!rule?.trafficAllocations) return variationCount;
  return rule.trafficAllocations.filter((a) => Number.isFinite(a.exposition) && a.exposition > 0).length;
}

/** A new rule of a type with the fields that type needs, ready to edit. */
export function newRule(type: Rule["type"], variationKeys: readonly string[], orderIndex: number): Rule {
  const base = { type, orderIndex, exposition: 100, state: "ACTIVE" as const };
  if (type === "EXPERIMENTATION") {
    const split = evenSplit(variationKeys.length);
    return {
      ...base,
      name: "Experiment",
      trafficAllocations: variationKeys.map((variationKey, i) => ({
        variationKey,
        exposition: split[i] ?? 0,
      })),
      ...(variationKeys[0] ? { controlVariationKey: variationKeys[0] } : {}),
      trafficAllocationMethod: "MANUAL",
    };
  }
  const variationKey = variationKeys[variationKeys.length - 1] ?? "on";
  if (type === "PROGRESSIVE_DELIVERY") {
    return {
      ...base,
      name: "Progressive rollout",
      variationKey,
      exposition: 10,
      rolloutConfiguration: {
        type: "PROGRESSIVE_EXPOSURE",
        percentageRange: { start: 10, stop: 100 },
        increaseBy: 10,
        frequency: { unit: "Days", value: 1 },
        releaseDateTime: new Date(Date.now() + 3_600_000).toISOString(),
      },
    };
  }
  return { ...base, name: "Targeted delivery", variationKey };
}

/**
 * What keeps an environment's rules from being saved, one message per problem: an experiment's allocations
 * not adding up to 100 %, or a multi-armed bandit with no goal to optimize (the flag has none).
 */
export function rulesProblems(rules: readonly Rule[], hasGoal: boolean): string[] {
  return rules.flatMap((rule, i) => {
    if (rule.type !== "EXPERIMENTATION") return [];
    const problems: string[] = [];
    const allocation = allocationProblem(rule.trafficAllocations);
    if (allocation) problems.push(`Rule ${i + 1}: ${allocation}`);
    const bandit = rule.trafficAllocationMethod === "MULTI_ARMED_BANDIT" || rule.multiArmedBandit === true;
    if (bandit && !hasGoal)
      problems.push(`Rule ${i + 1}: a bandit needs a goal to optimize; pick a primary goal`);
    return problems;
  });
}
