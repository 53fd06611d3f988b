import type { CompiledRule } from "@vexil/engine";
import type { FlagRecord, StoredEnvironment, StoredFlag, StoredRule } from "./flags.document.js";
import { ruleClock } from "./rule-clock.js";

// How a stored flag is shown and compiled: computed fields (rule status, current exposition) added at
// read time, and the engine's rule shape.
/** The default environment configuration: what an environment without one (e.g. added later) reads as. */
export function defaultEnvironment(doc: StoredFlag, environmentKey: string, dateModified: string) {
  const keys = doc.variations.map((v) => v.key);
  return {
    environmentKey,
    featureEnabled: false,
    defaultVariationKey: keys.includes("off") ? "off" : (keys[0] ?? "off"),
    dateModified,
    rolloutRules: [] as StoredRule[],
  } satisfies StoredEnvironment;
}

/** The flag's configuration for each project environment, in the project's order (defaults filled in). */
export function environmentsOf(record: FlagRecord, environmentKeys: readonly string[]): StoredEnvironment[] {
  const byKey = new Map(record.doc.environmentConfigurations.map((e) => [e.environmentKey, e]));
  return environmentKeys.map(
    (key) => byKey.get(key) ?? defaultEnvironment(record.doc, key, record.meta.dateCreated),
  );
}

/**
 * The engine's view of a stored rule, sharing the stored objects (the engine only reads them): for the
 * computed fields of a read, where copying would be wasted.
 */
function engineRuleOf(rule: StoredRule): CompiledRule {
  const compiled: CompiledRule = {
    id: rule.id,
    type: rule.type,
    exposition: rule.exposition,
    state: rule.state,
  };
  if (rule.release) compiled.release = rule.release;
  if (rule.rolloutConfiguration) compiled.rolloutConfiguration = rule.rolloutConfiguration;
  return compiled;
}

/** The engine's view of a stored rule (compiled payloads): a copy, so consumers cannot alter the store. */
export function compiledRule(rule: StoredRule): CompiledRule {
  const compiled: CompiledRule = {
    id: rule.id,
    type: rule.type,
    exposition: rule.exposition,
    state: rule.state,
  };
  if (rule.release) compiled.release = { ...rule.release };
  if (rule.segmentId !== undefined) compiled.segmentId = rule.segmentId;
  if (rule.variationKey !== undefined) compiled.variationKey = rule.variationKey;
  if (rule.rolloutConfiguration) compiled.rolloutConfiguration = structuredClone(rule.rolloutConfiguration);
  if (rule.trafficAllocations) {
    compiled.trafficAllocations = rule.trafficAllocations.map((a) => ({
      variationKey: a.variationKey,
      exposition: a.exposition,
    }));
  }
  if (rule.experimentId !== undefined) compiled.experimentId = rule.experimentId;
  if (rule.respoolTime !== undefined && rule.respoolTime !== null) compiled.respoolTime = rule.respoolTime;
  return compiled;
}

/** The interval [from, to) over which a view's computed fields stay what they were at its `now`. */
export interface ViewValidity {
  from: number;
  to: number;
}

function ruleView(
  rule: StoredRule,
  variationIds: Map<string, number>,
  orderIndex: number,
  now: number,
  validity: ViewValidity,
) {
  const engineRule = engineRuleOf(rule);
  const view: Record<string, unknown> = {
    id: rule.id,
    type: rule.type,
    name: rule.name,
    orderIndex,
    exposition: rule.exposition,
  };
  // Time-dependent fields, computed by the engine at `now` (cached per schedule step, see rule-clock.ts).
  const timed = rule.release !== undefined || rule.rolloutConfiguration !== undefined;
  const clockKey = timed
    ? JSON.stringify([rule.type, rule.state, rule.exposition, rule.release, rule.rolloutConfiguration])
    : undefined;
  const clock = ruleClock(engineRule, clockKey, now);
  if (timed) {
    validity.from = Math.max(validity.from, clock.from);
    validity.to = Math.min(validity.to, clock.to);
  }
  if (rule.type === "PROGRESSIVE_DELIVERY") view.currentExposition = clock.exposition;
  view.state = rule.state;
  view.status = clock.status;
  if (rule.release) view.release = rule.release;
  if (rule.segmentId !== undefined) view.segmentId = rule.segmentId;
  view.rollbackConditions = rule.rollbackConditions;
  if (rule.variationKey !== undefined) view.variationKey = rule.variationKey;
  if (rule.rolloutConfiguration) view.rolloutConfiguration = rule.rolloutConfiguration;
  if (rule.trafficAllocations) {
    view.trafficAllocations = rule.trafficAllocations.map((a) => ({
      variationKey: a.variationKey,
      variationId: variationIds.get(a.variationKey),
      exposition: a.exposition,
    }));
  }
  if (rule.controlVariationKey !== undefined) view.controlVariationKey = rule.controlVariationKey;
  if (rule.multiArmedBandit !== undefined) view.multiArmedBandit = rule.multiArmedBandit;
  if (rule.reallocation !== undefined) view.reallocation = rule.reallocation;
  if (rule.trafficAllocationMethod !== undefined) view.trafficAllocationMethod = rule.trafficAllocationMethod;
  if (rule.experimentId !== undefined) view.experimentId = rule.experimentId;
  return view;
}

export type FlagView = Record<string, unknown> & {
  id: number;
  featureKey: string;
  siteCode: string;
  version: number;
};

/**
 * The flag as Kameleoon's API shows it, with rule `status` and `currentExposition` computed at `now`;
 * `validity` is narrowed to the interval over which those computed fields stay the same.
 */
export function flagView(
  record: FlagRecord,
  environmentKeys: readonly string[],
  now: number,
  validity: ViewValidity = { from: -Infinity, to: Infinity },
): FlagView {
  const { meta, doc } = record;
  const variationIds = new Map(doc.variations.map((v) => [v.key, v.id]));
  const view: FlagView = {
    id: meta.id,
    featureKey: doc.featureKey,
    name: doc.name,
    description: doc.description,
    siteCode: meta.projectKey,
    tags: doc.tags,
    archived: meta.archived,
    health: meta.health,
    version: meta.version,
  };
  if (doc.attributionWindow !== undefined) view.attributionWindow = doc.attributionWindow;
  if (doc.bucketingKey !== undefined) view.bucketingKey = doc.bucketingKey;
  if (doc.bucketing === "launchdarkly") view.bucketingMode = "LAUNCHDARKLY";
  if (doc.primaryGoalId !== undefined) view.primaryGoalId = doc.primaryGoalId;
  view.secondaryGoalIds = doc.secondaryGoalIds;
  view.variables = doc.variables;
  view.variations = doc.variations;
  view.environmentConfigurations = environmentsOf(record, environmentKeys).map((environment) => ({
    environmentKey: environment.environmentKey,
    featureEnabled: environment.featureEnabled,
    defaultVariationKey: environment.defaultVariationKey,
    integrations: environment.integrations ?? { deliveryRules: [], experimentRules: [] },
    dateModified: environment.dateModified,
    rolloutRules: environment.rolloutRules.map((rule, index) =>
      ruleView(rule, variationIds, index, now, validity),
    ),
  }));
  if (meta.createdById !== null) view.createdById = meta.createdById;
  view.dateCreated = meta.dateCreated;
  view.dateModified = meta.dateModified;
  view.dateContentModified = meta.dateContentModified;
  return view;
}
