import { randomUUID } from "node:crypto";
import type { FlagRecord, StoredRule } from "../flags/flags.document.js";
import { environmentsOf, type FlagView } from "../flags/flags.view.js";
import type { Goal } from "../goals/goals.store.js";
import { badRequest, conflict } from "../http/api-error.js";
import type { ExperimentState } from "./experiment-view.js";
import type { ExperimentPost, IterationInput } from "./experiments.schemas.js";
import type {
  ExperimentRecord,
  IterationRecord,
  StoredMetric,
  StoredTreatment,
} from "./experiments.store.js";

// Pure checks and plans of LaunchDarkly experiment bodies against a flag and the project's metrics:
// ExperimentsService loads what they need, calls them, then writes.

/** Rule ids that mean "the flag's default targeting": Vexil then adds an EXPERIMENTATION rule. */
const FALLTHROUGH = new Set(["", "fallthrough", "default", "defaultRule"]);
/** Built-in visitor attributes an iteration may be sliced by (plus `custom:<name>`). */
const KNOWN_ATTRIBUTES = new Set(["browser", "deviceType", "os", "country", "newVisitor"]);
const RANDOMIZATION_UNITS = new Set(["user", "visitor"]);
const MAX_RULE_NAME = 100;

/** What an iteration body resolves to against the flag and the project's metrics. */
export interface ResolvedIteration {
  flag: FlagRecord;
  /** The EXPERIMENTATION rule named by `flags.{key}.ruleId`; undefined = create one ("fallthrough"). */
  rule: StoredRule | undefined;
  hypothesis: string;
  canReshuffleTraffic: boolean;
  randomizationUnit: string;
  attributes: string[];
  metrics: StoredMetric[];
  goals: Goal[];
  treatments: StoredTreatment[];
  /** Traffic allocations of the rule, by variation key. */
  allocations: { variationKey: string; exposition: number }[];
  baselineVariationKey: string;
}

export const jsonCopy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The fields of an experiment POST Vexil cannot honour: a clear 400 each rather than a silent ignore. */
export function checkExperimentPost(body: ExperimentPost): void {
  if (body.holdoutId !== undefined) throw badRequest("body.holdoutId: holdouts are not supported");
  if (body.type !== undefined && body.type !== "experiment") {
    throw badRequest(
      `body.type '${body.type}' is not supported (only 'experiment'; for a multi-armed bandit set multiArmedBandit on the rule through the Kameleoon API)`,
    );
  }
  if (body.methodology !== undefined && body.methodology !== "bayesian") {
    throw badRequest(
      `body.methodology '${body.methodology}' is not supported here: these results are Bayesian (frequentist, sequential and CUPED results come from the Kameleoon results API)`,
    );
  }
  if (body.dataSource !== undefined && body.dataSource !== "launchdarkly") {
    throw badRequest(
      `body.dataSource '${body.dataSource}' is not supported: events come from Vexil's own event store ('launchdarkly')`,
    );
  }
  if (body.analysisConfig !== undefined) {
    throw badRequest(
      "body.analysisConfig is not supported: results use 90 % credible intervals and probability to be best",
    );
  }
}

/** The iteration fields that need nothing from storage: unsupported features, unit, attributes, metric keys. */
export function checkIterationFields(input: IterationInput, path: string): void {
  if (input.primaryFunnelKey !== undefined) {
    throw badRequest(
      `${path}.primaryFunnelKey: metric groups (funnels) are not supported; use primarySingleMetricKey`,
    );
  }
  if (input.covariateId !== undefined) {
    throw badRequest(
      `${path}.covariateId: uploaded covariates are not supported (Vexil's CUPED uses pre-exposure conversions, Kameleoon results API)`,
    );
  }
  if (input.reallocationFrequencyMillis !== undefined) {
    throw badRequest(
      `${path}.reallocationFrequencyMillis: multi-armed bandit experiments are not supported here (set multiArmedBandit on the rule through the Kameleoon API)`,
    );
  }
  const randomizationUnit = input.randomizationUnit ?? "user";
  if (!RANDOMIZATION_UNITS.has(randomizationUnit)) {
    throw badRequest(
      `${path}.randomizationUnit '${randomizationUnit}' is not supported: Vexil randomizes by visitor code ('user')`,
    );
  }
  (input.attributes ?? []).forEach((attribute, i) => {
    if (!KNOWN_ATTRIBUTES.has(attribute) && !attribute.startsWith("custom:")) {
      throw badRequest(
        `${path}.attributes.${i} '${attribute}' is not a visitor attribute (${[...KNOWN_ATTRIBUTES].join(", ")} or custom:<name>)`,
      );
    }
  });
  const seen = new Set<string>();
  for (const [i, metric] of input.metrics.entries()) {
    if (metric.isGroup) throw badRequest(`${path}.metrics.${i}.isGroup: metric groups are not supported`);
    if (seen.has(metric.key)) throw badRequest(`${path}.metrics.${i}.key repeats metric '${metric.key}'`);
    seen.add(metric.key);
  }
  const flagKeys = Object.keys(input.flags);
  if (flagKeys.length !== 1) {
    throw badRequest(
      `${path}.flags must name exactly one flag (got ${flagKeys.length}); multi-flag experiments are not supported`,
    );
  }
}

/** The metrics in order, primary first: the one named by primarySingleMetricKey or marked primary, else the first. */
export function orderMetrics(
  input: IterationInput,
  goals: Goal[],
  path: string,
): { goals: Goal[]; metrics: StoredMetric[] } {
  const flagged = input.metrics.filter((m) => m.primary === true).map((m) => m.key);
  if (flagged.length > 1) throw badRequest(`${path}.metrics: more than one metric has primary: true`);
  let primaryKey = input.primarySingleMetricKey ?? flagged[0] ?? input.metrics[0]!.key;
  if (input.primarySingleMetricKey !== undefined) {
    if (!input.metrics.some((m) => m.key === input.primarySingleMetricKey)) {
      throw badRequest(
        `${path}.primarySingleMetricKey '${input.primarySingleMetricKey}' is not one of ${path}.metrics`,
      );
    }
    if (flagged[0] !== undefined && flagged[0] !== input.primarySingleMetricKey) {
      throw badRequest(
        `${path}.primarySingleMetricKey contradicts the metric marked primary ('${flagged[0]}')`,
      );
    }
    primaryKey = input.primarySingleMetricKey;
  }
  const ordered = [
    ...goals.filter((g) => g.key === primaryKey),
    ...goals.filter((g) => g.key !== primaryKey),
  ];
  return { goals: ordered, metrics: ordered.map((g) => ({ goalId: g.id, primary: g.key === primaryKey })) };
}

/** A variation by numeric id (number or digits), else by key. */
export function variationOf(flag: FlagRecord, reference: string | number) {
  const text = String(reference).trim();
  if (/^\d+$/.test(text)) {
    const byId = flag.doc.variations.find((v) => v.id === Number(text));
    if (byId) return byId;
  }
  return typeof reference === "string" ? flag.doc.variations.find((v) => v.key === text) : undefined;
}

/**
 * The experiment's rule of the flag: the EXPERIMENTATION rule `flags.{key}.ruleId` names, undefined for
 * "fallthrough" (one is added), or the experiment's own for a new iteration of an existing experiment.
 */
export function resolveRule(
  flag: FlagRecord,
  environmentKey: string,
  input: IterationInput,
  path: string,
  experiment: ExperimentState | undefined,
): StoredRule | undefined {
  const flagKey = Object.keys(input.flags)[0]!;
  const flagInput = input.flags[flagKey]!;
  const flagPath = `${path}.flags.${flagKey}`;
  if (experiment && experiment.experiment.flagId !== flag.meta.id) {
    throw badRequest(
      `${path}.flags: the experiment runs on flag '${experiment.flag?.doc.featureKey ?? experiment.experiment.flagId}', not '${flagKey}'`,
    );
  }
  if (flag.meta.archived) throw badRequest(`${path}.flags: flag '${flagKey}' is archived`);
  if (flagInput.flagConfigVersion !== undefined && flagInput.flagConfigVersion !== flag.meta.version) {
    throw conflict(
      `${flagPath}.flagConfigVersion is ${flagInput.flagConfigVersion} but flag '${flagKey}' is at version ${flag.meta.version}; read the flag again`,
    );
  }
  const environment = environmentsOf(flag, [environmentKey])[0]!;
  const ruleText = flagInput.ruleId === undefined ? "" : String(flagInput.ruleId).trim();
  let rule: StoredRule | undefined;
  if (!FALLTHROUGH.has(ruleText)) {
    const ruleId = /^\d+$/.test(ruleText) ? Number(ruleText) : Number.NaN;
    const found = environment.rolloutRules.find((r) => r.id === ruleId);
    if (!found) {
      throw badRequest(
        `${flagPath}.ruleId '${ruleText}' names no rule of flag '${flagKey}' in environment '${environmentKey}' (use one of its EXPERIMENTATION rule ids, or 'fallthrough' to add one)`,
      );
    }
    if (found.type !== "EXPERIMENTATION") {
      throw badRequest(
        `${flagPath}.ruleId ${ruleId} is a ${found.type} rule; an experiment runs on an EXPERIMENTATION rule (or 'fallthrough' to add one)`,
      );
    }
    rule = found;
  }
  if (experiment) {
    if (!experiment.rule) {
      throw badRequest(
        `Rule ${experiment.experiment.ruleId} of this experiment no longer exists on flag '${flagKey}' (changed through the Kameleoon API); create a new experiment`,
      );
    }
    if (rule && rule.id !== experiment.rule.id) {
      throw badRequest(`${flagPath}.ruleId ${rule.id} is not this experiment's rule (${experiment.rule.id})`);
    }
    rule = experiment.rule;
  }
  if (flagInput.notInExperimentVariationId !== undefined) {
    const named = variationOf(flag, flagInput.notInExperimentVariationId);
    if (!named)
      throw badRequest(`${flagPath}.notInExperimentVariationId names no variation of flag '${flagKey}'`);
    if (named.key !== environment.defaultVariationKey) {
      throw badRequest(
        `${flagPath}.notInExperimentVariationId: visitors outside the experiment continue to the flag's next rules and then get its default variation '${environment.defaultVariationKey}' in '${environmentKey}'; change the default through the Kameleoon API`,
      );
    }
  }
  return rule;
}

function parsePercent(value: string | number, path: string): number {
  const number = typeof value === "number" ? value : Number(value.trim());
  if (typeof value === "string" && !/^\s*\d+(\.\d+)?\s*$/.test(value)) {
    throw badRequest(`${path} '${value}' is not a decimal number of percent`);
  }
  if (!Number.isFinite(number) || number < 0 || number > 100) {
    throw badRequest(`${path} must be between 0 and 100 (got ${value})`);
  }
  return Math.round(number * 1000) / 1000;
}

/** The treatments, each one variation of the flag, exactly one baseline, allocations summing to at most 100. */
export function resolveTreatments(
  flag: FlagRecord,
  input: IterationInput,
  path: string,
): Pick<ResolvedIteration, "treatments" | "allocations" | "baselineVariationKey"> {
  const flagKey = Object.keys(input.flags)[0]!;
  const treatments: StoredTreatment[] = [];
  const names = new Set<string>();
  const used = new Set<number>();
  input.treatments.forEach((treatment, i) => {
    const where = `${path}.treatments.${i}`;
    if (names.has(treatment.name)) throw badRequest(`${where}.name repeats treatment '${treatment.name}'`);
    names.add(treatment.name);
    if (treatment.parameters.length !== 1) {
      throw badRequest(`${where}.parameters must hold exactly one parameter (the flag's variation)`);
    }
    const parameter = treatment.parameters[0]!;
    if (parameter.flagKey !== flagKey) {
      throw badRequest(
        `${where}.parameters.0.flagKey '${parameter.flagKey}' is not the experiment's flag '${flagKey}'`,
      );
    }
    const variation = variationOf(flag, parameter.variationId);
    if (!variation) {
      throw badRequest(
        `${where}.parameters.0.variationId '${parameter.variationId}' names no variation of flag '${flagKey}' (ids: ${flag.doc.variations.map((v) => `${v.id} (${v.key})`).join(", ")})`,
      );
    }
    if (used.has(variation.id)) {
      throw badRequest(
        `${where}.parameters.0.variationId: variation '${variation.key}' is already another treatment's`,
      );
    }
    used.add(variation.id);
    treatments.push({
      _id: randomUUID(),
      name: treatment.name,
      baseline: treatment.baseline === true,
      allocationPercent: parsePercent(treatment.allocationPercent, `${where}.allocationPercent`),
      flagKey,
      variationId: variation.id,
    });
  });
  const baselines = treatments.filter((t) => t.baseline);
  if (baselines.length !== 1) {
    throw badRequest(
      `${path}.treatments must have exactly one baseline treatment (found ${baselines.length})`,
    );
  }
  const total = treatments.reduce((sum, t) => sum + t.allocationPercent, 0);
  if (total > 100 + 1e-9)
    throw badRequest(
      `${path}.treatments allocationPercent sum to ${Math.round(total * 1000) / 1000}, more than 100`,
    );
  if (total <= 0)
    throw badRequest(`${path}.treatments: at least one treatment needs a non-zero allocationPercent`);
  const keyOf = (t: StoredTreatment) => flag.doc.variations.find((v) => v.id === t.variationId)!.key;
  return {
    treatments,
    allocations: treatments.map((t) => ({ variationKey: keyOf(t), exposition: t.allocationPercent })),
    baselineVariationKey: keyOf(baselines[0]!),
  };
}

/** The iteration LaunchDarkly would show for a rule the LaunchDarkly API never touched. */
export function ruleIteration(
  experiment: ExperimentRecord,
  flag: FlagRecord,
  rule: StoredRule,
  featureEnabled: boolean,
): IterationRecord {
  const running = rule.state === "ACTIVE" && featureEnabled && !flag.meta.archived;
  const createdAt = Date.parse(experiment.createdAt);
  const goalIds = [
    ...(flag.doc.primaryGoalId !== undefined ? [flag.doc.primaryGoalId] : []),
    ...flag.doc.secondaryGoalIds,
  ];
  const treatments: StoredTreatment[] = [];
  for (const allocation of rule.trafficAllocations ?? []) {
    const variation = flag.doc.variations.find((v) => v.key === allocation.variationKey);
    if (!variation) continue;
    treatments.push({
      _id: `variation-${variation.id}`,
      name: variation.name,
      baseline: variation.key === rule.controlVariationKey,
      allocationPercent: allocation.exposition,
      flagKey: flag.doc.featureKey,
      variationId: variation.id,
    });
  }
  return {
    id: null,
    experimentId: experiment.id,
    status: running ? "running" : "not_started",
    hypothesis: "",
    canReshuffleTraffic: true,
    randomizationUnit: "user",
    attributes: [],
    metrics: goalIds.map((goalId, i) => ({ goalId, primary: i === 0 })),
    treatments,
    ruleId: rule.id,
    flagConfigVersion: flag.meta.version,
    createdAt,
    startedAt: running ? createdAt : null,
    endedAt: null,
    winningTreatmentId: null,
    winningReason: null,
    changeJustification: null,
  };
}

/** The flag view with the goals added (primary first), as the flag's primary or secondary goals. */
export function withGoals(view: FlagView, goalIds: number[]): { next: FlagView; changed: boolean } {
  const next = jsonCopy(view) as FlagView & { primaryGoalId?: number; secondaryGoalIds?: number[] };
  let changed = false;
  const secondary = [...(next.secondaryGoalIds ?? [])];
  for (const goalId of goalIds) {
    if (next.primaryGoalId === goalId || secondary.includes(goalId)) continue;
    if (next.primaryGoalId === undefined) next.primaryGoalId = goalId;
    else secondary.push(goalId);
    changed = true;
  }
  next.secondaryGoalIds = secondary;
  return { next, changed };
}

/** A new iteration of the experiment, not started, from a resolved body. */
export function draftIteration(
  experimentId: number,
  resolved: ResolvedIteration,
  ruleId: number,
  flagVersion: number,
  now: number,
): Omit<IterationRecord, "id"> {
  return {
    experimentId,
    status: "not_started",
    hypothesis: resolved.hypothesis,
    canReshuffleTraffic: resolved.canReshuffleTraffic,
    randomizationUnit: resolved.randomizationUnit,
    attributes: resolved.attributes,
    metrics: resolved.metrics,
    treatments: resolved.treatments,
    ruleId,
    flagConfigVersion: flagVersion,
    createdAt: now,
    startedAt: null,
    endedAt: null,
    winningTreatmentId: null,
    winningReason: null,
    changeJustification: null,
  };
}

/**
 * The flag with a new EXPERIMENTATION rule at the end of the environment's rules (LaunchDarkly's
 * "fallthrough"), paused until an iteration starts; the flag's goals gain the metrics in the same change.
 */
export function withExperimentRule(
  view: FlagView,
  environmentKey: string,
  name: string,
  resolved: ResolvedIteration,
): Record<string, unknown> {
  const next = withGoals(
    view,
    resolved.metrics.map((m) => m.goalId),
  ).next as Record<string, unknown>;
  const environments = next.environmentConfigurations as {
    environmentKey: string;
    rolloutRules: unknown[];
  }[];
  const environment = environments.find((e) => e.environmentKey === environmentKey)!;
  environment.rolloutRules.push({
    type: "EXPERIMENTATION",
    name: name.slice(0, MAX_RULE_NAME),
    exposition: 100,
    state: "PAUSED",
    trafficAllocations: resolved.allocations,
    controlVariationKey: resolved.baselineVariationKey,
  });
  return next;
}

/** The flag without the rule (undoing the rule a failed create added). */
export function withoutRule(view: FlagView, ruleId: number): Record<string, unknown> {
  const next = jsonCopy(view) as Record<string, unknown>;
  for (const environment of next.environmentConfigurations as { rolloutRules: { id?: number }[] }[]) {
    environment.rolloutRules = environment.rolloutRules.filter((r) => r.id !== ruleId);
  }
  return next;
}

/** The rule's traffic allocations for starting the draft iteration (each treatment's variation by key). */
export function startAllocations(draft: IterationRecord, flag: FlagRecord) {
  return draft.treatments.map((t) => {
    const variation = flag.doc.variations.find((v) => v.id === t.variationId);
    if (!variation) {
      throw badRequest(
        `Treatment '${t.name}' names variation ${t.variationId}, which flag '${flag.doc.featureKey}' no longer has; create a new iteration`,
      );
    }
    return { variationKey: variation.key, exposition: t.allocationPercent, baseline: t.baseline };
  });
}
