import { type CompiledRule, decodeVariable, parseInstant, type RolloutConfiguration } from "@vexil/engine";
import { ApiError } from "../http/api-error.js";
import type {
  EnvironmentInput,
  FlagInput,
  RollbackConditionInput,
  RolloutConfigurationInput,
  RuleInput,
  VariableInput,
  VariationInput,
} from "./flags.schemas.js";
import { ruleClock } from "./rule-clock.js";

// The stored shape of a flag (one JSON document), how a request body becomes one (defaults, ids kept,
// every semantic check), and how it is shown (computed fields added at read time).

export type VariableType = VariableInput["type"];
export type RuleType = RuleInput["type"];
export type Health = "HEALTHY" | "PERMANENT" | "STALE" | "SMELLY";

export interface StoredVariable {
  key: string;
  type: VariableType;
  value: string;
  allowedValues?: string[];
}

export interface StoredVariation {
  id: number;
  key: string;
  name: string;
  variables: { key: string; type: VariableType; value: string }[];
}

export interface StoredRollbackCondition {
  id: number;
  criteria: "UPLIFT" | "DOWNLIFT" | "CONVERSION_RATE";
  comparisonOperator: "GREATER_THAN" | "LESS_THAN";
  matchValue: number;
  goalId: number;
  visitors: number;
  target: "RULE" | "ENVIRONMENT";
  recipients: string[];
}

export interface StoredRule {
  id: number;
  type: RuleType;
  name: string;
  exposition: number;
  state: "ACTIVE" | "PAUSED";
  release?: { releaseFrom?: string; releaseTo?: string; timeZone?: string };
  segmentId?: number;
  rollbackConditions: StoredRollbackCondition[];
  variationKey?: string;
  rolloutConfiguration?: RolloutConfiguration;
  trafficAllocations?: { variationKey: string; exposition: number }[];
  controlVariationKey?: string;
  multiArmedBandit?: boolean;
  reallocation?: boolean;
  trafficAllocationMethod?: "MANUAL" | "MULTI_ARMED_BANDIT";
  experimentId?: number;
  /** Set by a re-allocation (automation); changes the experiment's bucketing salt. Not exposed. */
  respoolTime?: number | null;
  /**
   * Set when a rollback condition acted on the rule (automation): from then on its conditions read only
   * later exposures, so re-activating it is judged on new traffic. Kept across edits; not exposed.
   */
  rolledBackAt?: number;
}

export interface StoredEnvironment {
  environmentKey: string;
  featureEnabled: boolean;
  defaultVariationKey: string;
  integrations?: { deliveryRules?: unknown[]; experimentRules?: unknown[] };
  dateModified: string;
  rolloutRules: StoredRule[];
}

/** The `document` column. */
export interface StoredFlag {
  featureKey: string;
  name: string;
  description: string;
  tags: string[];
  attributionWindow?: number;
  bucketingKey?: { bucketingKeyType?: "VISITOR_CODE"; customDataId?: number };
  /** Bucketing mode `launchdarkly` (engine): LaunchDarkly's SHA-1 rollouts; absent = Vexil's MurmurHash3. */
  bucketing?: "launchdarkly";
  /** LaunchDarkly salt of the flag in mode `launchdarkly`; absent = the flag id (decimal). */
  salt?: string;
  primaryGoalId?: number;
  secondaryGoalIds: number[];
  variables: StoredVariable[];
  variations: StoredVariation[];
  environmentConfigurations: StoredEnvironment[];
}

/** The row columns that are not in the document. */
export interface FlagMeta {
  id: number;
  projectKey: string;
  health: Health;
  archived: boolean;
  version: number;
  createdById: number | null;
  dateCreated: string;
  dateModified: string;
  dateContentModified: string;
  lockedBy: string | null;
  lockedUntil: string | null;
}

export interface FlagRecord {
  meta: FlagMeta;
  doc: StoredFlag;
}

/** A resolved flag before it is written: ids of new rules and variations are 0 until allocated. */
export type DraftFlag = StoredFlag;

const RULE_NAMES: Record<RuleType, string> = {
  TARGETED_DELIVERY: "Targeted delivery",
  PROGRESSIVE_DELIVERY: "Progressive delivery",
  EXPERIMENTATION: "Experiment",
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

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

function ruleView(rule: StoredRule, variationIds: Map<string, number>, orderIndex: number, now: number) {
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

/** The flag as Kameleoon's API shows it, with rule `status` and `currentExposition` computed at `now`. */
export function flagView(record: FlagRecord, environmentKeys: readonly string[], now: number): FlagView {
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
    rolloutRules: environment.rolloutRules.map((rule, index) => ruleView(rule, variationIds, index, now)),
  }));
  if (meta.createdById !== null) view.createdById = meta.createdById;
  view.dateCreated = meta.dateCreated;
  view.dateModified = meta.dateModified;
  view.dateContentModified = meta.dateContentModified;
  return view;
}

/** Everything a resolution needs to know besides the request. */
export interface ResolveContext {
  /** The project's environments. */
  environmentKeys: readonly string[];
  /** Segments and goals of the project (at least those the input refers to). */
  segmentIds: ReadonlySet<number>;
  goalIds: ReadonlySet<number>;
  projectKey: string;
  /** The flag before this change (rule ids, rollback condition ids and experiment ids are kept from it). */
  previous?: StoredFlag | undefined;
  /** When the previous flag was created (the dateModified of environments it never configured). */
  previousDateCreated?: string | undefined;
  /** Now, ISO: the dateModified of environment configurations that change. */
  nowIso: string;
  /**
   * The writer is the bandit automation, which may set the trafficAllocations of a multi-armed-bandit rule;
   * anyone else changing them gets a 400 (automation/bandit-reallocation.ts).
   */
  banditAllocationsWritable?: boolean | undefined;
  /** How errors name places; lets the environment and rule PATCH bodies be named `body`. */
  paths?: {
    environment?: (index: number, environmentKey: string) => string | undefined;
    rule?: (environmentPath: string, index: number, inputId: number | undefined) => string | undefined;
  };
}

/** The segment and goal ids a request refers to (looked up before resolving). */
export function referencedIds(input: FlagInput): { segmentIds: number[]; goalIds: number[] } {
  const segmentIds = new Set<number>();
  const goalIds = new Set<number>(input.secondaryGoalIds ?? []);
  if (input.primaryGoalId !== undefined) goalIds.add(input.primaryGoalId);
  for (const environment of input.environmentConfigurations ?? []) {
    for (const rule of environment.rolloutRules ?? []) {
      if (rule.segmentId !== undefined) segmentIds.add(rule.segmentId);
      for (const condition of rule.rollbackConditions ?? []) goalIds.add(condition.goalId);
    }
  }
  return { segmentIds: [...segmentIds], goalIds: [...goalIds] };
}

/** Whether a field carries something (an empty list, false or "" do not ask for anything). */
function meaningful(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Even split of 100 % over n variations, at the engine's 0.001 % resolution. */
function evenSplit(keys: string[]): { variationKey: string; exposition: number }[] {
  const base = Math.floor(100_000 / keys.length);
  const remainder = 100_000 - base * keys.length;
  return keys.map((variationKey, i) => ({
    variationKey,
    exposition: (base + (i < remainder ? 1 : 0)) / 1000,
  }));
}

class Problems {
  readonly list: string[] = [];
  add(path: string, message: string) {
    if (this.list.length < 25) this.list.push(`${path} ${message}`);
  }
  throwIfAny() {
    if (this.list.length > 0) throw new ApiError(400, this.list.join("; "));
  }
}

/**
 * Turns a validated-by-schema request document into the stored document: applies defaults, keeps ids
 * from the previous version, and checks every semantic rule (references, sums, schedules, types). Throws
 * one 400 naming every offending field; nothing is written before this succeeds.
 */
export function resolveFlag(input: FlagInput, context: ResolveContext, prefix = "body"): DraftFlag {
  const problems = new Problems();

  // Variables and variations.
  const variables = resolveVariables(input.variables ?? [], `${prefix}.variables`, problems);
  const variableByKey = new Map(variables.map((v) => [v.key, v]));
  const variations = resolveVariations(
    input.variations ?? [
      { key: "off", name: "Off", variables: [] },
      { key: "on", name: "On", variables: [] },
    ],
    variableByKey,
    new Map((context.previous?.variations ?? []).map((v) => [v.key, v.id])),
    `${prefix}.variations`,
    problems,
  );
  const variationKeys = new Set(variations.map((v) => v.key));

  // Goals.
  const secondaryGoalIds = input.secondaryGoalIds ?? [];
  if (input.primaryGoalId !== undefined && !context.goalIds.has(input.primaryGoalId)) {
    problems.add(
      `${prefix}.primaryGoalId`,
      `names goal ${input.primaryGoalId}, which does not exist in project '${context.projectKey}'`,
    );
  }
  const seenGoals = new Set<number>();
  secondaryGoalIds.forEach((goalId, i) => {
    if (!context.goalIds.has(goalId)) {
      problems.add(
        `${prefix}.secondaryGoalIds.${i}`,
        `names goal ${goalId}, which does not exist in project '${context.projectKey}'`,
      );
    }
    if (seenGoals.has(goalId)) problems.add(`${prefix}.secondaryGoalIds.${i}`, `repeats goal ${goalId}`);
    seenGoals.add(goalId);
  });

  if (input.bucketingKey?.bucketingKeyType === "CUSTOM_DATA") {
    problems.add(
      `${prefix}.bucketingKey.bucketingKeyType`,
      "CUSTOM_DATA is not supported: Vexil buckets on the visitor code (VISITOR_CODE)",
    );
  }

  // Environments.
  const previousRules = new Map<number, { environmentKey: string; rule: StoredRule }>();
  const previousEnvironments = new Map<string, StoredEnvironment>();
  for (const environment of context.previous?.environmentConfigurations ?? []) {
    previousEnvironments.set(environment.environmentKey, environment);
    for (const rule of environment.rolloutRules) {
      previousRules.set(rule.id, { environmentKey: environment.environmentKey, rule });
    }
  }
  const knownEnvironments = new Set(context.environmentKeys);
  const seenEnvironments = new Set<string>();
  const usedRuleIds = new Set<number>();
  const environments: StoredEnvironment[] = [];
  const inputEnvironments: EnvironmentInput[] =
    input.environmentConfigurations ??
    (context.previous
      ? []
      : context.environmentKeys.map((environmentKey) => ({ environmentKey, featureEnabled: false })));
  inputEnvironments.forEach((environment, index) => {
    const path =
      context.paths?.environment?.(index, environment.environmentKey) ??
      `${prefix}.environmentConfigurations.${index}`;
    if (!knownEnvironments.has(environment.environmentKey)) {
      problems.add(
        `${path}.environmentKey`,
        `names environment '${environment.environmentKey}', which does not exist in project '${context.projectKey}' (known: ${context.environmentKeys.join(", ")})`,
      );
      return;
    }
    if (seenEnvironments.has(environment.environmentKey)) {
      problems.add(`${path}.environmentKey`, `repeats environment '${environment.environmentKey}'`);
      return;
    }
    seenEnvironments.add(environment.environmentKey);
    const defaultVariationKey =
      environment.defaultVariationKey ?? (variationKeys.has("off") ? "off" : (variations[0]?.key ?? "off"));
    if (!variationKeys.has(defaultVariationKey)) {
      problems.add(
        `${path}.defaultVariationKey`,
        `names variation '${defaultVariationKey}', which the flag does not have`,
      );
    }
    // Array order is evaluation order; `orderIndex` is output only (PATCH .../rules/{id} moves a rule with it).
    const inputRules = environment.rolloutRules ?? [];
    const rules = inputRules.map((rule, ruleIndex) => {
      const rulePath = context.paths?.rule?.(path, ruleIndex, rule.id) ?? `${path}.rolloutRules.${ruleIndex}`;
      let previous: StoredRule | undefined;
      if (rule.id !== undefined) {
        const known = previousRules.get(rule.id);
        if (usedRuleIds.has(rule.id)) problems.add(`${rulePath}.id`, `repeats rule ${rule.id}`);
        else if (known && known.environmentKey === environment.environmentKey) previous = known.rule;
        usedRuleIds.add(rule.id);
      }
      const resolved = resolveRule(rule, previous, rulePath, {
        context,
        variations,
        variationKeys,
        problems,
      });
      // A bandit re-allocates on the flag's primary goal (else its first secondary goal): without one it
      // would silently never move.
      if (resolved.multiArmedBandit && input.primaryGoalId === undefined && secondaryGoalIds.length === 0) {
        problems.add(
          `${rulePath}.multiArmedBandit`,
          "needs a goal to optimize: set the flag's primaryGoalId (or secondaryGoalIds)",
        );
      }
      return resolved;
    });
    const resolved: StoredEnvironment = {
      environmentKey: environment.environmentKey,
      featureEnabled: environment.featureEnabled ?? false,
      defaultVariationKey,
      dateModified: context.nowIso,
      rolloutRules: rules,
    };
    // Integrations are kept as given; none (or two empty lists) reads as two empty lists.
    const integrations = environment.integrations;
    if (
      integrations &&
      (meaningful(integrations.deliveryRules) || meaningful(integrations.experimentRules))
    ) {
      resolved.integrations = integrations;
    }
    // Keep the previous dateModified when nothing in this environment changed.
    const before =
      previousEnvironments.get(environment.environmentKey) ??
      (context.previous && context.previousDateCreated
        ? defaultEnvironment(context.previous, environment.environmentKey, context.previousDateCreated)
        : undefined);
    if (before && sameEnvironment(before, resolved)) resolved.dateModified = before.dateModified;
    environments.push(resolved);
  });

  problems.throwIfAny();
  const draft: DraftFlag = {
    featureKey: input.featureKey,
    name: input.name,
    description: input.description ?? "",
    tags: [...new Set(input.tags ?? [])],
    secondaryGoalIds,
    variables,
    variations,
    environmentConfigurations: environments,
  };
  if (input.attributionWindow !== undefined) draft.attributionWindow = input.attributionWindow;
  if (input.bucketingKey !== undefined) draft.bucketingKey = input.bucketingKey as StoredFlag["bucketingKey"];
  if (input.bucketingMode === "LAUNCHDARKLY") draft.bucketing = "launchdarkly";
  if (input.primaryGoalId !== undefined) draft.primaryGoalId = input.primaryGoalId;
  return draft;
}

function sameEnvironment(a: StoredEnvironment, b: StoredEnvironment): boolean {
  const strip = (e: StoredEnvironment) => JSON.stringify({ ...e, dateModified: "" });
  return strip(a) === strip(b);
}

function decodes(type: VariableType, value: string): boolean {
  return typeof decodeVariable(type, value) !== "symbol";
}

const typeHint: Record<VariableType, string> = {
  BOOLEAN: '"true" or "false"',
  NUMBER: "a finite decimal number",
  JSON: "JSON text",
  STRING: "a string",
  JS: "a string",
  CSS: "a string",
};

function resolveVariables(input: VariableInput[], path: string, problems: Problems): StoredVariable[] {
  const seen = new Set<string>();
  return input.map((variable, i) => {
    if (seen.has(variable.key)) problems.add(`${path}.${i}.key`, `repeats variable '${variable.key}'`);
    seen.add(variable.key);
    if (!decodes(variable.type, variable.value)) {
      problems.add(
        `${path}.${i}.value`,
        `must be ${typeHint[variable.type]} for a ${variable.type} variable`,
      );
    }
    const stored: StoredVariable = { key: variable.key, type: variable.type, value: variable.value };
    if (variable.allowedValues !== undefined) {
      variable.allowedValues.forEach((allowed, j) => {
        if (!decodes(variable.type, allowed)) {
          problems.add(`${path}.${i}.allowedValues.${j}`, `must be ${typeHint[variable.type]}`);
        }
      });
      if (!variable.allowedValues.includes(variable.value)) {
        problems.add(`${path}.${i}.value`, "must be one of allowedValues");
      }
      stored.allowedValues = variable.allowedValues;
    }
    return stored;
  });
}

function resolveVariations(
  input: VariationInput[],
  variables: Map<string, StoredVariable>,
  previousIds: Map<string, number>,
  path: string,
  problems: Problems,
): StoredVariation[] {
  const seen = new Set<string>();
  return input.map((variation, i) => {
    if (seen.has(variation.key)) problems.add(`${path}.${i}.key`, `repeats variation '${variation.key}'`);
    seen.add(variation.key);
    const seenVariables = new Set<string>();
    const resolvedVariables = (variation.variables ?? []).map((variable, j) => {
      const where = `${path}.${i}.variables.${j}`;
      if (seenVariables.has(variable.key)) problems.add(`${where}.key`, `repeats variable '${variable.key}'`);
      seenVariables.add(variable.key);
      const declared = variables.get(variable.key);
      let type: VariableType;
      if (variable.type !== undefined) {
        type = variable.type;
        if (declared && declared.type !== type) {
          problems.add(
            `${where}.type`,
            `is ${type} but the flag declares '${variable.key}' as ${declared.type}`,
          );
        }
      } else if (declared) {
        type = declared.type;
      } else {
        problems.add(
          `${where}.key`,
          `names variable '${variable.key}', which the flag does not declare (declare it in variables or give its type)`,
        );
        type = "STRING";
      }
      if (!decodes(type, variable.value))
        problems.add(`${where}.value`, `must be ${typeHint[type]} for a ${type} variable`);
      if (declared?.allowedValues && !declared.allowedValues.includes(variable.value)) {
        problems.add(`${where}.value`, `must be one of the allowedValues of '${variable.key}'`);
      }
      return { key: variable.key, type, value: variable.value };
    });
    // Ids stay with keys; a new key gets its id when the draft is written (0 until then).
    const id = previousIds.get(variation.key) ?? 0;
    return { id, key: variation.key, name: variation.name ?? variation.key, variables: resolvedVariables };
  });
}

interface RuleScope {
  context: ResolveContext;
  variations: StoredVariation[];
  variationKeys: Set<string>;
  problems: Problems;
}

function resolveRule(
  input: RuleInput,
  previous: StoredRule | undefined,
  path: string,
  scope: RuleScope,
): StoredRule {
  const { context, variationKeys, problems } = scope;
  const checkVariation = (field: string, key: string | undefined) => {
    if (key !== undefined && !variationKeys.has(key)) {
      problems.add(`${path}.${field}`, `names variation '${key}', which the flag does not have`);
    }
  };
  const forbid = (fields: (keyof RuleInput)[]) => {
    for (const field of fields) {
      if (meaningful(input[field])) problems.add(`${path}.${field}`, `does not apply to ${input.type} rules`);
    }
  };

  // Release window.
  let timeZone = "UTC";
  if (input.release?.timeZone !== undefined) {
    if (isValidTimeZone(input.release.timeZone)) timeZone = input.release.timeZone;
    else problems.add(`${path}.release.timeZone`, `'${input.release.timeZone}' is not an IANA time zone`);
  }
  if (input.release) {
    const from =
      input.release.releaseFrom === undefined ? -Infinity : parseInstant(input.release.releaseFrom, timeZone);
    const to =
      input.release.releaseTo === undefined ? Infinity : parseInstant(input.release.releaseTo, timeZone);
    if (Number.isNaN(from)) problems.add(`${path}.release.releaseFrom`, "is not an ISO 8601 date-time");
    if (Number.isNaN(to)) problems.add(`${path}.release.releaseTo`, "is not an ISO 8601 date-time");
    if (!Number.isNaN(from) && !Number.isNaN(to) && from >= to) {
      problems.add(`${path}.release`, "releaseFrom must be before releaseTo");
    }
  }

  if (input.segmentId !== undefined && !context.segmentIds.has(input.segmentId)) {
    problems.add(
      `${path}.segmentId`,
      `names segment ${input.segmentId}, which does not exist in project '${context.projectKey}'`,
    );
  }

  const rule: StoredRule = {
    id: previous?.id ?? 0,
    type: input.type,
    name: input.name ?? RULE_NAMES[input.type],
    exposition: input.exposition ?? 100,
    state: input.state ?? "ACTIVE",
    rollbackConditions: resolveRollbackConditions(
      input.rollbackConditions ?? [],
      previous,
      `${path}.rollbackConditions`,
      scope,
      input.type,
    ),
  };
  if (input.release !== undefined) rule.release = input.release;
  if (input.segmentId !== undefined) rule.segmentId = input.segmentId;

  switch (input.type) {
    case "TARGETED_DELIVERY":
    case "PROGRESSIVE_DELIVERY": {
      forbid([
        "trafficAllocations",
        "controlVariationKey",
        "multiArmedBandit",
        "reallocation",
        "trafficAllocationMethod",
      ]);
      if (input.type === "TARGETED_DELIVERY") forbid(["rolloutConfiguration"]);
      if (input.variationKey === undefined)
        problems.add(`${path}.variationKey`, `is required for a ${input.type} rule`);
      checkVariation("variationKey", input.variationKey);
      if (input.variationKey !== undefined) rule.variationKey = input.variationKey;
      if (input.type === "PROGRESSIVE_DELIVERY" && input.rolloutConfiguration) {
        rule.rolloutConfiguration = resolveRollout(
          input.rolloutConfiguration,
          timeZone,
          `${path}.rolloutConfiguration`,
          problems,
        );
        if (input.exposition === undefined) {
          rule.exposition =
            input.rolloutConfiguration.type === "PROGRESSIVE_EXPOSURE"
              ? (input.rolloutConfiguration.percentageRange?.start ?? 0)
              : 0;
        }
      }
      break;
    }
    case "EXPERIMENTATION": {
      forbid(["variationKey", "rolloutConfiguration"]);
      const variationById = new Map(scope.variations.filter((v) => v.id > 0).map((v) => [v.id, v.key]));
      const seen = new Set<string>();
      const requested: { variationKey?: string; variationId?: number; exposition: number }[] =
        input.trafficAllocations ?? evenSplit([...variationKeys]);
      const allocations = requested.map((allocation, i) => {
        let key = allocation.variationKey;
        if (key === undefined) {
          const byId =
            allocation.variationId === undefined ? undefined : variationById.get(allocation.variationId);
          if (byId === undefined) {
            problems.add(
              `${path}.trafficAllocations.${i}`,
              "needs a variationKey (or the variationId of a variation of this flag)",
            );
          }
          key = byId ?? "";
        } else checkVariation(`trafficAllocations.${i}.variationKey`, key);
        if (seen.has(key))
          problems.add(`${path}.trafficAllocations.${i}.variationKey`, `repeats variation '${key}'`);
        seen.add(key);
        return { variationKey: key, exposition: allocation.exposition };
      });
      const sum = allocations.reduce((total, a) => total + a.exposition, 0);
      if (sum > 100 + 1e-9) {
        problems.add(
          `${path}.trafficAllocations`,
          `expositions sum to ${Math.round(sum * 1000) / 1000}, must be <= 100`,
        );
      }
      rule.trafficAllocations = allocations;
      const control =
        input.controlVariationKey ??
        (allocations.some((a) => a.variationKey === "off") ? "off" : allocations[0]?.variationKey);
      checkVariation("controlVariationKey", control);
      if (control !== undefined) rule.controlVariationKey = control;
      if (input.trafficAllocationMethod === "CONTEXTUAL_BANDIT") {
        problems.add(
          `${path}.trafficAllocationMethod`,
          "CONTEXTUAL_BANDIT is not supported (MANUAL or MULTI_ARMED_BANDIT)",
        );
      }
      const bandit =
        input.multiArmedBandit ?? (input.trafficAllocationMethod === "MULTI_ARMED_BANDIT" ? true : undefined);
      if (
        input.multiArmedBandit !== undefined &&
        input.trafficAllocationMethod !== undefined &&
        input.trafficAllocationMethod !== "CONTEXTUAL_BANDIT" &&
        input.multiArmedBandit !== (input.trafficAllocationMethod === "MULTI_ARMED_BANDIT")
      ) {
        problems.add(
          `${path}.multiArmedBandit`,
          `contradicts trafficAllocationMethod ${input.trafficAllocationMethod}`,
        );
      }
      rule.multiArmedBandit = bandit ?? false;
      if (rule.multiArmedBandit && allocations.length < 2) {
        problems.add(
          `${path}.multiArmedBandit`,
          "needs at least two variations in trafficAllocations to choose between",
        );
      }
      rule.trafficAllocationMethod = rule.multiArmedBandit ? "MULTI_ARMED_BANDIT" : "MANUAL";
      if (
        rule.multiArmedBandit &&
        previous?.type === "EXPERIMENTATION" &&
        previous.multiArmedBandit === true &&
        !context.banditAllocationsWritable &&
        JSON.stringify(allocations) !== JSON.stringify(previous.trafficAllocations ?? [])
      ) {
        problems.add(
          `${path}.trafficAllocations`,
          "is set by the multi-armed bandit of this rule and cannot be edited; set multiArmedBandit to false to allocate traffic by hand",
        );
      }
      rule.reallocation = input.reallocation ?? false;
      if (previous?.experimentId !== undefined) rule.experimentId = previous.experimentId;
      if (previous?.respoolTime !== undefined && previous.type === "EXPERIMENTATION") {
        rule.respoolTime = previous.respoolTime;
      }
      break;
    }
  }
  if (previous?.rolledBackAt !== undefined) rule.rolledBackAt = previous.rolledBackAt;
  return rule;
}

function resolveRollbackConditions(
  input: RollbackConditionInput[],
  previous: StoredRule | undefined,
  path: string,
  scope: RuleScope,
  ruleType: StoredRule["type"],
): StoredRollbackCondition[] {
  const { context, problems } = scope;
  const previousIds = new Set(previous?.rollbackConditions.map((c) => c.id) ?? []);
  const kept = new Set<number>();
  const resolved = input.map((condition, i) => {
    if (!context.goalIds.has(condition.goalId)) {
      problems.add(
        `${path}.${i}.goalId`,
        `names goal ${condition.goalId}, which does not exist in project '${context.projectKey}'`,
      );
    }
    if (
      condition.matchType !== undefined &&
      condition.comparisonOperator !== undefined &&
      condition.matchType !== condition.comparisonOperator
    ) {
      problems.add(`${path}.${i}.matchType`, "contradicts comparisonOperator");
    }
    const criteria = condition.criteria ?? "DOWNLIFT";
    if (criteria !== "CONVERSION_RATE" && ruleType !== "EXPERIMENTATION") {
      // UPLIFT/DOWNLIFT compare variations with a control; a delivery rule serves one variation, so the
      // condition would never be evaluated.
      problems.add(
        `${path}.${i}.criteria`,
        `${criteria}${condition.criteria === undefined ? " (the default)" : ""} compares variations with the control of an EXPERIMENTATION rule; a ${ruleType} rule serves one variation: use CONVERSION_RATE`,
      );
    }
    (condition.recipients ?? []).forEach((recipient, j) => {
      if (!EMAIL.test(recipient)) problems.add(`${path}.${i}.recipients.${j}`, "must be an email address");
    });
    let id = 0;
    if (condition.id !== undefined && previousIds.has(condition.id) && !kept.has(condition.id)) {
      id = condition.id;
      kept.add(id);
    }
    return {
      id,
      criteria,
      comparisonOperator: condition.comparisonOperator ?? condition.matchType ?? "GREATER_THAN",
      matchValue: condition.matchValue,
      goalId: condition.goalId,
      visitors: condition.visitors ?? 1000,
      target: condition.target ?? "RULE",
      recipients: condition.recipients ?? [],
    } satisfies StoredRollbackCondition;
  });
  // New conditions get ids unique within the rule.
  let next = Math.max(0, ...previousIds, ...kept) + 1;
  for (const condition of resolved) if (condition.id === 0) condition.id = next++;
  return resolved;
}

function resolveRollout(
  input: RolloutConfigurationInput,
  timeZone: string,
  path: string,
  problems: Problems,
): RolloutConfiguration {
  if (input.type === "PROGRESSIVE_EXPOSURE") {
    if (meaningful(input.steps)) problems.add(`${path}.steps`, "does not apply to PROGRESSIVE_EXPOSURE");
    if (!input.percentageRange)
      problems.add(`${path}.percentageRange`, "is required for PROGRESSIVE_EXPOSURE");
    else if (input.percentageRange.start > input.percentageRange.stop) {
      problems.add(`${path}.percentageRange`, "start must be <= stop");
    }
    if (input.increaseBy === undefined)
      problems.add(`${path}.increaseBy`, "is required for PROGRESSIVE_EXPOSURE");
    if (!input.frequency) problems.add(`${path}.frequency`, "is required for PROGRESSIVE_EXPOSURE");
    if (input.releaseDateTime === undefined) {
      problems.add(`${path}.releaseDateTime`, "is required for PROGRESSIVE_EXPOSURE");
    } else if (Number.isNaN(parseInstant(input.releaseDateTime, timeZone))) {
      problems.add(`${path}.releaseDateTime`, "is not an ISO 8601 date-time");
    }
    return {
      type: "PROGRESSIVE_EXPOSURE",
      percentageRange: input.percentageRange ?? { start: 0, stop: 0 },
      increaseBy: input.increaseBy ?? 0,
      frequency: input.frequency ?? { unit: "Days", value: 1 },
      releaseDateTime: input.releaseDateTime ?? "",
    };
  }
  for (const field of ["percentageRange", "increaseBy", "frequency", "releaseDateTime"] as const) {
    if (meaningful(input[field])) problems.add(`${path}.${field}`, "does not apply to CUSTOM_RAMP_UP");
  }
  const steps = input.steps ?? [];
  if (steps.length === 0) problems.add(`${path}.steps`, "is required for CUSTOM_RAMP_UP (at least one step)");
  let last = -Infinity;
  steps.forEach((step, i) => {
    const at = parseInstant(step.dateTime, timeZone);
    if (Number.isNaN(at)) problems.add(`${path}.steps.${i}.dateTime`, "is not an ISO 8601 date-time");
    else if (at <= last) problems.add(`${path}.steps.${i}.dateTime`, "must be after the previous step's");
    else last = at;
  });
  return {
    type: "CUSTOM_RAMP_UP",
    steps: steps.map((s) => ({ dateTime: s.dateTime, exposure: s.exposure })),
  };
}
