import { decodeVariable, type RolloutConfiguration } from "@vexil/engine";
import { meaningful, Problems, resolveRule } from "./flags.rule-resolution.js";
import type {
  COMPARISON_OPERATORS,
  EnvironmentInput,
  FlagInput,
  HEALTHS,
  ROLLBACK_CRITERIA,
  ROLLBACK_TARGETS,
  RULE_STATES,
  RuleInput,
  TRAFFIC_ALLOCATION_METHODS,
  VariableInput,
  VariationInput,
} from "./flags.schemas.js";
import { defaultEnvironment } from "./flags.view.js";

// The stored shape of a flag (one JSON document), how a request body becomes one (defaults, ids kept,
// every semantic check); flags.view.ts shows it. Its enums are the request schemas' (flags.schemas.ts).

export type VariableType = VariableInput["type"];
export type RuleType = RuleInput["type"];
export type Health = (typeof HEALTHS)[number];
type Member<T extends readonly string[]> = T[number];

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
  criteria: Member<typeof ROLLBACK_CRITERIA>;
  comparisonOperator: Member<typeof COMPARISON_OPERATORS>;
  matchValue: number;
  goalId: number;
  visitors: number;
  target: Member<typeof ROLLBACK_TARGETS>;
  recipients: string[];
}

export interface StoredRule {
  id: number;
  type: RuleType;
  name: string;
  exposition: number;
  state: Member<typeof RULE_STATES>;
  release?: { releaseFrom?: string; releaseTo?: string; timeZone?: string };
  segmentId?: number;
  rollbackConditions: StoredRollbackCondition[];
  variationKey?: string;
  rolloutConfiguration?: RolloutConfiguration;
  trafficAllocations?: { variationKey: string; exposition: number }[];
  controlVariationKey?: string;
  multiArmedBandit?: boolean;
  reallocation?: boolean;
  /** Contextual bandits are refused when a flag is resolved, so never stored. */
  trafficAllocationMethod?: Exclude<Member<typeof TRAFFIC_ALLOCATION_METHODS>, "CONTEXTUAL_BANDIT">;
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
