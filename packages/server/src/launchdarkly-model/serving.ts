// What a Vexil flag serves, said in LaunchDarkly's terms: the variation values and a rule's variation or
// rollout. Both LaunchDarkly views of a flag use it (the SDK data model in ld-model.ts, the REST API's flag in
// launchdarkly-flags), so a flag reads the same through the REST API as LaunchDarkly's SDKs evaluate it.

import { type CompiledFlag, decodeVariable, launchDarklyWeights, UNDECODABLE } from "@vexil/engine";
import { ofrepValue, valueShape } from "../ofrep/ofrep-values.js";

/** LaunchDarkly's weights are out of 100,000. */
export const WEIGHT_TOTAL = 100_000;

/** Why a flag cannot be said exactly in LaunchDarkly's model. */
export class NotServable extends Error {}

/** Vexil operator -> LaunchDarkly clause operator, for the operators both have. */
export const LD_OPERATORS: Readonly<Record<string, string>> = {
  equals: "in",
  in: "in",
  startsWith: "startsWith",
  endsWith: "endsWith",
  contains: "contains",
  matches: "matches",
  lt: "lessThan",
  lte: "lessThanOrEqual",
  gt: "greaterThan",
  gte: "greaterThanOrEqual",
  before: "before",
  after: "after",
  semverEq: "semVerEqual",
  semverLt: "semVerLessThan",
  semverGt: "semVerGreaterThan",
  inSegment: "segmentMatch",
};

export interface LdRollout {
  kind: "rollout" | "experiment";
  variations: { variation: number; weight: number; untracked?: boolean }[];
  contextKind: "user";
  bucketBy?: "key";
  seed?: number;
}

export interface LdVariationOrRollout {
  variation?: number;
  rollout?: LdRollout;
}

/** The flag parts that decide its values (a compiled flag or the flag's API view). */
export type FlagValues = Pick<CompiledFlag, "variables" | "variations">;

/**
 * Each variation's value, shaped as OFREP shapes it (docs/ofrep.md): the single variable's value, a boolean
 * for on/off flags without variables, the variation key, or an object of every variable.
 */
export function variationValues(flag: FlagValues): unknown[] {
  const shape = valueShape(flag);
  const defaults = new Map(flag.variables.map((v) => [v.key, v]));
  return flag.variations.map((variation) => {
    const byKey = new Map(defaults);
    for (const v of variation.variables) byKey.set(v.key, { ...byKey.get(v.key), ...v });
    const variables: Record<string, unknown> = {};
    for (const [key, v] of byKey) {
      const value = decodeVariable(v.type, v.value);
      if (value === UNDECODABLE)
        throw new NotServable(`variable '${key}' of '${variation.key}' does not decode`);
      variables[key] = value;
    }
    return ofrepValue(shape, {
      variationKey: variation.key,
      variables,
      reason: "DEFAULT",
      inExperiment: false,
    });
  });
}

/** The parts of a rule its serving depends on. */
export interface ServedRule {
  id: number;
  type: "TARGETED_DELIVERY" | "PROGRESSIVE_DELIVERY" | "EXPERIMENTATION";
  variationKey?: string | undefined;
  trafficAllocations?: { variationKey: string; exposition: number }[] | undefined;
  seed?: number | null | undefined;
  respoolTime?: number | null | undefined;
}

/**
 * A rule's serving at `exposition` (a progressive ramp's current step) as LaunchDarkly's variation or
 * rollout. Visitors a delivery does not enter get the default variation; an experiment's uncovered share goes
 * untracked to the default (`partial`): Vexil would go on to the next rule, so that is exact only when none
 * follows.
 */
export function servingOf(
  rule: ServedRule,
  exposition: number,
  index: (variationKey: string | undefined) => number,
  off: number,
): { served: LdVariationOrRollout; partial: boolean } {
  const seed = rule.seed ?? (rule.type === "EXPERIMENTATION" ? rule.respoolTime : null);
  const seeded = seed === undefined || seed === null ? {} : { seed };
  if (rule.type === "EXPERIMENTATION") {
    const allocations = rule.trafficAllocations ?? [];
    const weights = launchDarklyWeights(
      exposition,
      allocations.map((a) => a.exposition),
    );
    const variations: LdRollout["variations"] = allocations.map((a, i) => ({
      variation: index(a.variationKey),
      weight: weights[i]!,
    }));
    const rest = WEIGHT_TOTAL - weights.reduce((sum, w) => sum + w, 0);
    if (rest > 0) variations.push({ variation: off, weight: rest, untracked: true });
    const rollout: LdRollout = { kind: "experiment", variations, contextKind: "user", ...seeded };
    return { served: { rollout }, partial: rest > 0 };
  }
  const weight = Math.round(exposition * 1000);
  const variation = index(rule.variationKey);
  if (weight >= WEIGHT_TOTAL || variation === off) return { served: { variation }, partial: false };
  if (weight <= 0) return { served: { variation: off }, partial: false };
  const rollout: LdRollout = {
    kind: "rollout",
    variations: [
      { variation, weight },
      { variation: off, weight: WEIGHT_TOTAL - weight },
    ],
    contextKind: "user",
    bucketBy: "key",
    ...seeded,
  };
  return { served: { rollout }, partial: false };
}
