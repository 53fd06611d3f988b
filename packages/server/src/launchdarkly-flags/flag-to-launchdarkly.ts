import {
  type FlagValues,
  type LdVariationOrRollout,
  NotServable,
  type ServedRule,
  variationValues as servedValues,
  servingOf,
} from "../launchdarkly-model/serving.js";
import { clausesOfSegment, type LdClause, type SegmentInfo, targetKeysOf } from "./clauses.js";

// Vexil flag -> LaunchDarkly flag (FeatureFlag of LaunchDarkly's REST API v2). Pure: everything it needs is
// passed in. docs/launchdarkly-flags.md describes the mapping; launchdarkly-to-flag.ts is the way back.

/** A rule as the Kameleoon view of a flag shows it (what this mapping reads of it). */
export interface VexilRule {
  id: number;
  type: "TARGETED_DELIVERY" | "PROGRESSIVE_DELIVERY" | "EXPERIMENTATION";
  name: string;
  exposition: number;
  state: "ACTIVE" | "PAUSED";
  release?: unknown;
  segmentId?: number;
  variationKey?: string;
  currentExposition?: number;
  trafficAllocations?: { variationKey: string; exposition: number }[];
  [field: string]: unknown;
}

export interface VexilEnvironment {
  environmentKey: string;
  featureEnabled: boolean;
  defaultVariationKey: string;
  dateModified: string;
  rolloutRules: VexilRule[];
  [field: string]: unknown;
}

/** The Kameleoon view of a flag (FlagView), as far as this mapping reads it. */
export interface VexilFlag {
  id: number;
  featureKey: string;
  siteCode: string;
  name: string;
  description: string;
  tags: string[];
  archived: boolean;
  health: string;
  version: number;
  variables: { key: string; type: string; value: string }[];
  variations: { id: number; key: string; name: string; variables?: { key: string; value: string }[] }[];
  environmentConfigurations: VexilEnvironment[];
  dateCreated: string;
  [field: string]: unknown;
}

export interface LdWeightedVariation {
  variation: number;
  weight: number;
  _untracked?: boolean;
}
export interface LdRollout {
  variations: LdWeightedVariation[];
  bucketBy?: string;
  contextKind?: string;
  seed?: number;
}
export interface LdRule {
  _id?: string;
  variation?: number;
  rollout?: LdRollout;
  clauses: LdClause[];
  trackEvents: boolean;
  description?: string;
}
export interface LdTarget {
  values: string[];
  variation: number;
  contextKind?: string;
}
export interface LdEnvironment {
  on: boolean;
  archived: boolean;
  salt: string;
  sel: string;
  lastModified: number;
  version: number;
  targets?: LdTarget[];
  contextTargets?: LdTarget[];
  rules?: LdRule[];
  fallthrough: { variation?: number; rollout?: LdRollout };
  offVariation: number;
  prerequisites?: { key: string; variation: number }[];
  _site: { href: string; type: string };
  _environmentName: string;
  _vexilNotServable?: string;
  trackEvents: boolean;
  trackEventsFallthrough: boolean;
  _summary: { variations: Record<string, Record<string, number | boolean>>; prerequisites: number };
}

/** What the mapping needs besides the flag. */
export interface LdMappingContext {
  /** The project's environments, in order. */
  environments: { key: string; name: string }[];
  /** Segments the flag's rules use. */
  segments: ReadonlyMap<number, SegmentInfo>;
  /** The project's default client-side availability (flags carry no setting of their own). */
  clientSideAvailability: { usingEnvironmentId: boolean; usingMobileKey: boolean };
  /** The flag's legacy `experiments` (ExperimentInfoRep). */
  experiments: { baselineIdx: number; items: unknown[] };
  /** By environment key: why LaunchDarkly's SDKs cannot be served the flag there (launchdarkly-model). */
  notServable?: Readonly<Record<string, string>>;
}

/** The name of the rules that hold a flag's individual targets (one per variation, first in the list). */
export const TARGETS_RULE_NAME = "Individual targets";
const FULL = 100_000;
const weightOf = (percent: number) => Math.round(percent * 1000);

/**
 * Variation values: the ones LaunchDarkly's SDKs get (launchdarkly-model), else the variation keys for a
 * flag whose variables do not decode.
 */
export function variationValues(flag: Pick<VexilFlag, "variables" | "variations">): {
  kind: "boolean" | "multivariate";
  values: unknown[];
} {
  let values: unknown[];
  try {
    const variations = flag.variations.map((v) => ({ ...v, variables: v.variables ?? [] }));
    values = servedValues({ variables: flag.variables, variations } as FlagValues);
  } catch (error) {
    if (!(error instanceof NotServable)) throw error;
    values = flag.variations.map((v) => v.key);
  }
  const kind =
    values.length === 2 && values.every((v) => typeof v === "boolean") ? "boolean" : "multivariate";
  return { kind, values };
}

/** Whether a rule serves everyone who reaches it (no segment, no schedule, fully exposed, active). */
function servesEveryone(rule: VexilRule): boolean {
  return (
    rule.segmentId === undefined &&
    rule.state === "ACTIVE" &&
    rule.release === undefined &&
    rule.exposition === 100
  );
}

/** Whether a rule is one of LaunchDarkly's individual-target lists. */
export function isTargetsRule(rule: VexilRule, segments: ReadonlyMap<number, SegmentInfo>): boolean {
  return (
    rule.type === "TARGETED_DELIVERY" &&
    rule.name.startsWith(TARGETS_RULE_NAME) &&
    rule.state === "ACTIVE" &&
    rule.release === undefined &&
    rule.exposition === 100 &&
    rule.segmentId !== undefined &&
    targetKeysOf(segments.get(rule.segmentId)) !== undefined
  );
}

/** Whether the last rule stands for LaunchDarkly's fallthrough (a variation, or a rollout summing to 100 %). */
export function isFallthroughRule(rule: VexilRule): boolean {
  if (!servesEveryone(rule)) return false;
  if (rule.type === "TARGETED_DELIVERY") return rule.variationKey !== undefined;
  if (rule.type !== "EXPERIMENTATION") return false;
  const total = (rule.trafficAllocations ?? []).reduce((s, a) => s + weightOf(a.exposition), 0);
  return total === FULL;
}

/** An environment's rules split the way LaunchDarkly shows them. */
export function splitRules(environment: VexilEnvironment, segments: ReadonlyMap<number, SegmentInfo>) {
  const rules = [...environment.rolloutRules];
  const targets: VexilRule[] = [];
  while (rules.length > 0 && isTargetsRule(rules[0]!, segments)) targets.push(rules.shift()!);
  const last = rules.at(-1);
  const fallthrough = last && isFallthroughRule(last) ? rules.pop() : undefined;
  return { targets, rules, fallthrough };
}

/** A Vexil rule's serving (launchdarkly-model's, at a ramp's current step) in the REST API's shape. */
function restServingOf(
  rule: VexilRule,
  indexOf: (key: string | undefined) => number,
  defaultIndex: number,
): { variation?: number; rollout?: LdRollout } {
  const exposition =
    rule.type === "PROGRESSIVE_DELIVERY" ? (rule.currentExposition ?? rule.exposition) : rule.exposition;
  const { served } = servingOf(rule as unknown as ServedRule, exposition, indexOf, defaultIndex);
  return restShape(served);
}

/** The SDK model's serving as the REST API writes it (`_untracked`, no `kind`). */
function restShape(served: LdVariationOrRollout): { variation?: number; rollout?: LdRollout } {
  if (!served.rollout) return { variation: served.variation! };
  const { kind: _kind, variations, ...rest } = served.rollout;
  return {
    rollout: {
      ...rest,
      variations: variations.map(({ untracked, ...v }) => (untracked ? { ...v, _untracked: true } : v)),
    },
  };
}

/** One environment of the flag as LaunchDarkly's FeatureFlagConfig. */
export function environmentOf(
  flag: VexilFlag,
  environment: VexilEnvironment,
  environmentName: string,
  context: LdMappingContext,
): LdEnvironment {
  const keys = flag.variations.map((v) => v.key);
  const indexOf = (key: string | undefined) => Math.max(0, keys.indexOf(key ?? ""));
  const offVariation = indexOf(environment.defaultVariationKey);
  const split = splitRules(environment, context.segments);
  const targets: LdTarget[] = split.targets.map((rule) => ({
    values: targetKeysOf(context.segments.get(rule.segmentId!)) ?? [],
    variation: indexOf(rule.variationKey),
  }));
  const rules: LdRule[] = split.rules.map((rule) => {
    const segment = rule.segmentId === undefined ? undefined : context.segments.get(rule.segmentId);
    const clauses =
      rule.segmentId === undefined
        ? []
        : segment
          ? clausesOfSegment(segment)
          : [
              {
                attribute: "segmentMatch",
                op: "segmentMatch",
                values: [String(rule.segmentId)],
                negate: false,
              },
            ];
    return {
      _id: String(rule.id),
      ...restServingOf(rule, indexOf, offVariation),
      clauses,
      trackEvents: false,
      description: rule.name,
    };
  });
  const fallthrough = split.fallthrough
    ? restServingOf(split.fallthrough, indexOf, offVariation)
    : { variation: offVariation };
  const summary: Record<string, Record<string, number | boolean>> = {};
  keys.forEach((_, index) => {
    const serves = (r: LdRule) =>
      r.variation === index ||
      (r.rollout?.variations.some((v) => v.variation === index && v.weight > 0) ?? false);
    const entry: Record<string, number | boolean> = {
      rules: rules.filter(serves).length,
      nullRules: 0,
      targets: targets.filter((t) => t.variation === index).reduce((s, t) => s + t.values.length, 0),
      contextTargets: 0,
    };
    if (fallthrough.variation === index) entry.isFallthrough = true;
    if (offVariation === index) entry.isOff = true;
    const share = fallthrough.rollout?.variations.find((v) => v.variation === index);
    if (share) entry.rollout = share.weight;
    summary[String(index)] = entry;
  });
  return {
    on: environment.featureEnabled,
    archived: flag.archived,
    salt: `${flag.id}`,
    sel: "",
    lastModified: Date.parse(environment.dateModified),
    version: flag.version,
    targets,
    contextTargets: [],
    rules,
    fallthrough,
    offVariation,
    prerequisites: [],
    _site: {
      href: `/${flag.siteCode}/${environment.environmentKey}/features/${flag.featureKey}`,
      type: "text/html",
    },
    _environmentName: environmentName,
    ...(context.notServable?.[environment.environmentKey] === undefined
      ? {}
      : {
          _vexilNotServable: `not servable to LaunchDarkly SDKs: ${context.notServable[environment.environmentKey]}`,
        }),
    trackEvents: false,
    trackEventsFallthrough: false,
    _summary: { variations: summary, prerequisites: 0 },
  };
}

/** The flag as LaunchDarkly's FeatureFlag, with every project environment (or those of `only`). */
export function launchDarklyFlag(
  flag: VexilFlag,
  context: LdMappingContext,
  options: { summary?: boolean; only?: readonly string[] } = {},
) {
  const { kind, values } = variationValues(flag);
  const environments: Record<string, LdEnvironment> = {};
  for (const { key, name } of context.environments) {
    if (options.only && !options.only.includes(key)) continue;
    const environment = flag.environmentConfigurations.find((e) => e.environmentKey === key);
    if (!environment) continue;
    const config = environmentOf(flag, environment, name, context);
    if (options.summary) {
      delete config.targets;
      delete config.contextTargets;
      delete config.rules;
      delete config.prerequisites;
    }
    environments[key] = config;
  }
  const first = Object.values(environments)[0];
  const path = `/api/v2/flags/${flag.siteCode}`;
  return {
    _links: {
      parent: { href: path, type: "application/json" },
      self: { href: `${path}/${flag.featureKey}`, type: "application/json" },
    },
    key: flag.featureKey,
    name: flag.name,
    description: flag.description,
    kind,
    _version: flag.version,
    creationDate: Date.parse(flag.dateCreated),
    includeInSnippet: context.clientSideAvailability.usingEnvironmentId,
    clientSideAvailability: context.clientSideAvailability,
    variations: flag.variations.map((v, i) => ({ _id: String(v.id), value: values[i], name: v.name })),
    temporary: flag.health !== "PERMANENT",
    tags: flag.tags,
    experiments: context.experiments,
    customProperties: {},
    archived: flag.archived,
    deprecated: false,
    defaults: {
      onVariation: first?.fallthrough.variation ?? first?.offVariation ?? 0,
      offVariation: first?.offVariation ?? 0,
    },
    environments,
  };
}

export type LaunchDarklyFlag = ReturnType<typeof launchDarklyFlag>;
