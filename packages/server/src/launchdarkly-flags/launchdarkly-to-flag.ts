import type { ConditionTree } from "@vexil/engine";
import { badRequest } from "../http/api-error.js";
import { conditionOfClauses, type SegmentInfo, segmentIdOfClauses, targetsCondition } from "./clauses.js";
import {
  type LdEnvironment,
  type LdRollout,
  type LdRule,
  type LdTarget,
  splitRules,
  TARGETS_RULE_NAME,
  type VexilEnvironment,
  type VexilFlag,
  type VexilRule,
  variationValues,
} from "./flag-to-launchdarkly.js";

// LaunchDarkly flag -> Vexil flag (the Kameleoon create/update document). Pure: a LaunchDarkly document
// (created, or read and then patched) is compared with what the flag read as before, so what LaunchDarkly did
// not change keeps every Vexil detail (rule ids, schedules, variables); what it changed is rebuilt, and what
// cannot map is a 400 naming it. Audiences become segments through `segmentFor` (the caller finds or creates
// them; a first pass may just collect them).

/** The parts of a LaunchDarkly flag document this mapping reads. */
export interface LdFlagDocument {
  key: string;
  name: string;
  description?: string;
  tags?: string[];
  archived?: boolean;
  temporary?: boolean;
  variations: { _id?: string; value: unknown; name?: string; description?: string }[];
  environments: Record<string, Partial<LdEnvironment>>;
  [field: string]: unknown;
}

/** Finds or makes the segment of a condition; answers its id. */
export type SegmentFor = (condition: ConditionTree, name: string) => number;

const FULL = 100_000;
const KEY = /^[A-Za-z0-9._-]{1,255}$/;

/** JSON equality that ignores key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v !== null && typeof v === "object"
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .filter(([, x]) => x !== undefined)
              .sort(([x], [y]) => (x < y ? -1 : 1))
              .map(([k, x]) => [k, canonical(x)]),
          )
        : v;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

const typeOfValues = (values: unknown[]) =>
  values.every((v) => typeof v === "boolean")
    ? "BOOLEAN"
    : values.every((v) => typeof v === "number")
      ? "NUMBER"
      : values.every((v) => typeof v === "string")
        ? "STRING"
        : "JSON";
const encode = (value: unknown, type: string) => (type === "JSON" ? JSON.stringify(value) : String(value));

/**
 * Variations from LaunchDarkly values: true/false become `on`/`off`, distinct key-like strings become the
 * keys, anything else is kept in a flag variable `value` (the variation keys then are `variation-<n>`); a
 * flag with one variable keeps its values in that variable (they are what reads show). Variations keep their
 * Vexil id (and variables) when `_id` names one.
 */
function variationsOf(document: LdFlagDocument, previous: VexilFlag | undefined) {
  const values = document.variations.map((v) => v.value);
  if (values.length === 0) throw badRequest("variations: a flag needs at least one variation");
  const byId = new Map((previous?.variations ?? []).map((v) => [String(v.id), v]));
  if (previous && previous.variables.length > 1) return sameVariations(document, previous);
  const previousVariable = previous?.variables.length === 1 ? previous.variables[0] : undefined;
  const valueKey = previousVariable?.key ?? "value";
  const booleans =
    values.length === 2 && values.every((v) => typeof v === "boolean") && values[0] !== values[1];
  const keyLike =
    values.every((v) => typeof v === "string" && KEY.test(v)) && new Set(values).size === values.length;
  const asVariable = previousVariable !== undefined || (!booleans && !keyLike);
  const type = previousVariable?.type ?? typeOfValues(values);
  if (asVariable && previousVariable) {
    values.forEach((value, i) => {
      const ok =
        type === "JSON" ||
        (type === "BOOLEAN" && typeof value === "boolean") ||
        (type === "NUMBER" && typeof value === "number") ||
        (type !== "BOOLEAN" && type !== "NUMBER" && typeof value === "string");
      if (!ok) throw badRequest(`variations.${i}.value must be of the flag's value type ${type}`);
    });
  }
  const used = new Set<string>();
  const variations = document.variations.map((variation, i) => {
    const before = variation._id === undefined ? undefined : byId.get(variation._id);
    let key =
      booleans && !asVariable
        ? variation.value
          ? "on"
          : "off"
        : asVariable
          ? (before?.key ?? `variation-${i}`)
          : String(variation.value);
    while (used.has(key)) key = `${key}-${i}`;
    used.add(key);
    const variables = (before?.variables ?? []).filter((v) => v.key !== valueKey);
    if (asVariable) variables.push({ key: valueKey, value: encode(variation.value, type) });
    return {
      ...(before ? { id: before.id } : {}),
      key,
      name: (variation.name ?? (asVariable ? key : String(variation.value))).slice(0, 255),
      variables,
    };
  });
  const variables = (previous?.variables ?? []).filter((v) => v.key !== valueKey);
  if (asVariable) variables.push({ key: valueKey, type, value: encode(values[0], type) });
  return { variations, variables };
}

/**
 * A flag with several variables reads as one object per variation: those objects stay as they are (names
 * may change); new values would have to be split into the variables, which the dialect does not do.
 */
function sameVariations(document: LdFlagDocument, previous: VexilFlag) {
  const before = variationValues(previous).values;
  const same =
    document.variations.length === previous.variations.length &&
    document.variations.every((v, i) => sameJson(v.value, before[i]));
  if (!same) {
    throw badRequest(
      "variations: this flag has several variables; change its values through /feature-flags (Vexil's API)",
    );
  }
  const variations = previous.variations.map((variation, i) => ({
    id: variation.id,
    key: variation.key,
    name: (document.variations[i]!.name ?? variation.name).slice(0, 255),
    variables: variation.variables ?? [],
  }));
  return { variations, variables: previous.variables };
}

function checkRollout(rollout: LdRollout, path: string) {
  if (rollout.contextKind !== undefined && rollout.contextKind !== "user") {
    throw badRequest(`${path}.contextKind '${rollout.contextKind}': only the user context kind is supported`);
  }
  if (rollout.bucketBy !== undefined && rollout.bucketBy !== "key") {
    throw badRequest(`${path}.bucketBy '${rollout.bucketBy}': Vexil buckets on the context key only`);
  }
  const total = rollout.variations.reduce((s, v) => s + v.weight, 0);
  if (total !== FULL) throw badRequest(`${path}.variations: weights must add up to 100000 (got ${total})`);
}

/** A new Vexil rule serving a LaunchDarkly variation or rollout. */
function servingRule(
  serving: { variation?: number; rollout?: LdRollout },
  keyAt: (index: number, path: string) => string,
  path: string,
): Partial<VexilRule> {
  if ((serving.variation === undefined) === (serving.rollout === undefined)) {
    throw badRequest(`${path}: give exactly one of variation and rollout`);
  }
  if (serving.variation !== undefined) {
    return {
      type: "TARGETED_DELIVERY",
      exposition: 100,
      variationKey: keyAt(serving.variation, `${path}.variation`),
    };
  }
  const rollout = serving.rollout!;
  checkRollout(rollout, `${path}.rollout`);
  return {
    type: "EXPERIMENTATION",
    exposition: 100,
    trafficAllocations: rollout.variations.map((v, i) => ({
      variationKey: keyAt(v.variation, `${path}.rollout.variations.${i}.variation`),
      exposition: v.weight / 1000,
    })),
  };
}

interface EnvironmentInputs {
  next: Partial<LdEnvironment>;
  previousLd: Partial<LdEnvironment> | undefined;
  previous: VexilEnvironment | undefined;
  segments: ReadonlyMap<number, SegmentInfo>;
  keys: string[];
  segmentFor: SegmentFor;
  featureKey: string;
  path: string;
}

function environmentInput(input: EnvironmentInputs): Record<string, unknown> {
  const { next, previousLd, previous, keys, segmentFor, path } = input;
  const keyAt = (index: number, where: string) => {
    if (!Number.isInteger(index) || index < 0 || index >= keys.length) {
      throw badRequest(`${where}: variation index ${index} does not exist (the flag has ${keys.length})`);
    }
    return keys[index]!;
  };
  if ((next.prerequisites ?? []).length > 0)
    throw badRequest(`${path}.prerequisites: prerequisites are not supported`);
  if ((next.contextTargets ?? []).length > 0) {
    throw badRequest(`${path}.contextTargets: only user targets are supported (use targets)`);
  }
  const split = previous
    ? splitRules(previous, input.segments)
    : { targets: [], rules: [], fallthrough: undefined };
  const offVariation = next.offVariation ?? 0;
  const defaultVariationKey = keyAt(offVariation, `${path}.offVariation`);

  let targetRules: Record<string, unknown>[];
  const targets: LdTarget[] = next.targets ?? [];
  if (previousLd && sameJson(targets, previousLd.targets ?? [])) targetRules = split.targets;
  else {
    targetRules = targets
      .filter((t) => t.values.length > 0)
      .map((target, i) => {
        const where = `${path}.targets.${i}`;
        if (target.contextKind !== undefined && target.contextKind !== "user") {
          throw badRequest(`${where}.contextKind '${target.contextKind}': only user targets are supported`);
        }
        const variationKey = keyAt(target.variation, `${where}.variation`);
        const name = `${TARGETS_RULE_NAME}: ${variationKey}`.slice(0, 100);
        const reused = split.targets.find((r) => r.variationKey === variationKey);
        return {
          ...(reused ? { id: reused.id } : {}),
          type: "TARGETED_DELIVERY",
          name,
          exposition: 100,
          state: "ACTIVE",
          variationKey,
          segmentId: segmentFor(targetsCondition(target.values), `${input.featureKey}: ${name}`),
        };
      });
  }

  const rules = (next.rules ?? []).map((rule: LdRule, i) => {
    const where = `${path}.rules.${i}`;
    const before = rule._id === undefined ? undefined : split.rules.find((r) => String(r.id) === rule._id);
    const beforeLd = previousLd?.rules?.find((r) => r._id === rule._id);
    if (before && beforeLd && sameJson(rule, beforeLd)) return before as Record<string, unknown>;
    if (!Array.isArray(rule.clauses)) throw badRequest(`${where}.clauses must be an array`);
    const named = segmentIdOfClauses(rule.clauses);
    const name = (rule.description || `LaunchDarkly rule ${i + 1}`).slice(0, 100);
    const segmentId =
      rule.clauses.length === 0
        ? undefined
        : (named ??
          segmentFor(conditionOfClauses(rule.clauses, `${where}.clauses`), `${input.featureKey}: ${name}`));
    return {
      ...(before ? { id: before.id } : {}),
      name,
      state: "ACTIVE",
      ...(segmentId !== undefined ? { segmentId } : {}),
      ...servingRule(rule, keyAt, where),
    };
  });

  const fallthrough = next.fallthrough ?? { variation: offVariation };
  let last: Record<string, unknown> | undefined;
  if (
    fallthrough.variation !== undefined &&
    fallthrough.rollout === undefined &&
    fallthrough.variation === offVariation
  ) {
    keyAt(fallthrough.variation, `${path}.fallthrough.variation`);
    last = undefined;
  } else if (split.fallthrough && previousLd && sameJson(fallthrough, previousLd.fallthrough)) {
    last = split.fallthrough;
  } else {
    const serving = servingRule(fallthrough, keyAt, `${path}.fallthrough`);
    // The same kind of rule as before keeps its id and name (an experiment stays linked to its rule).
    const before = split.fallthrough?.type === serving.type ? split.fallthrough : undefined;
    const name = serving.type === "EXPERIMENTATION" ? "Fallthrough rollout" : "Fallthrough";
    last = { ...(before ? { id: before.id } : {}), name: before?.name ?? name, state: "ACTIVE", ...serving };
  }
  return {
    ...(previous ?? {}),
    environmentKey: previous?.environmentKey,
    featureEnabled: next.on ?? false,
    defaultVariationKey,
    rolloutRules: [...targetRules, ...rules, ...(last ? [last] : [])],
  };
}

/**
 * The Vexil flag document (Kameleoon's create/update body) of a LaunchDarkly flag document. `previous` is
 * the flag before (undefined on create) and `previousLd` how it read through LaunchDarkly's dialect.
 */
export function flagInputOf(
  document: LdFlagDocument,
  options: {
    projectKey: string;
    previous?: VexilFlag | undefined;
    previousLd?: { environments: Record<string, Partial<LdEnvironment>> } | undefined;
    segments: ReadonlyMap<number, SegmentInfo>;
    segmentFor: SegmentFor;
  },
): Record<string, unknown> {
  const { previous, previousLd } = options;
  const { variations, variables } = variationsOf(document, previous);
  const keys = variations.map((v) => v.key);
  const environmentConfigurations = (previous?.environmentConfigurations ?? []).map(
    (e) => e as Record<string, unknown>,
  );
  for (const [environmentKey, next] of Object.entries(document.environments)) {
    const index = environmentConfigurations.findIndex((e) => e.environmentKey === environmentKey);
    const built = environmentInput({
      next,
      previousLd: previousLd?.environments[environmentKey],
      previous: previous?.environmentConfigurations.find((e) => e.environmentKey === environmentKey),
      segments: options.segments,
      keys,
      segmentFor: options.segmentFor,
      featureKey: document.key,
      path: `environments.${environmentKey}`,
    });
    built.environmentKey = environmentKey;
    if (index >= 0) environmentConfigurations[index] = built;
    else environmentConfigurations.push(built);
  }
  const health =
    document.temporary === false
      ? "PERMANENT"
      : previous?.health === "PERMANENT" || previous === undefined
        ? "HEALTHY"
        : previous.health;
  return {
    ...(previous ?? {}),
    // LaunchDarkly's bucketing, so its SDKs draw as Vexil's engine does (an existing flag keeps its mode).
    ...(previous === undefined ? { bucketingMode: "LAUNCHDARKLY" } : {}),
    siteCode: options.projectKey,
    featureKey: document.key,
    name: document.name,
    description: document.description ?? "",
    tags: document.tags ?? [],
    archived: document.archived ?? false,
    health,
    variations,
    variables,
    environmentConfigurations,
  };
}
