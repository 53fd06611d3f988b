import type { Static } from "typebox";
import type { FlagRecord, StoredEnvironment, StoredRule } from "../flags/flags.document.js";
import type { Goal } from "../goals/goals.store.js";
import { metricV2Rep } from "../goals/launchdarkly-metric-view.js";
import { link } from "../http/launchdarkly-http.js";
import type { ExperimentRepSchema, IterationRepSchema } from "./experiments.responses.js";
import type { ExperimentRecord, IterationRecord, IterationSet } from "./experiments.store.js";

/** LaunchDarkly's IterationRep and Experiment, as their response schemas declare them. */
export type IterationRep = Static<typeof IterationRepSchema>;
export type ExperimentRep = Static<typeof ExperimentRepSchema>;

/** An experiment with what its representation and its operations need. */
export interface ExperimentState {
  experiment: ExperimentRecord;
  /** undefined when the flag was deleted. */
  flag: FlagRecord | undefined;
  /** The experiment's EXPERIMENTATION rule; undefined when it was removed (Kameleoon API) or retyped. */
  rule: StoredRule | undefined;
  environment: StoredEnvironment | undefined;
  iterations: IterationSet;
}

export const experimentPath = (experiment: ExperimentRecord) =>
  `/api/v2/projects/${experiment.projectKey}/environments/${experiment.environmentKey}/experiments/${experiment.key}`;

/**
 * An iteration's `_id`: its stored id, or `rule-<ruleId>` for the iteration read from a rule the
 * LaunchDarkly API never touched (made through the Kameleoon API), so its results can be asked by id too.
 */
export const iterationIdOf = (iteration: IterationRecord): string =>
  iteration.id !== null ? String(iteration.id) : `rule-${iteration.ruleId}`;

/** A number as LaunchDarkly writes allocation percentages: a decimal string. */
export const percentText = (value: number) => String(Math.round(value * 1000) / 1000);

export function iterationRep(
  state: ExperimentState,
  iteration: IterationRecord,
  goals: ReadonlyMap<number, Goal>,
  expand: ReadonlySet<string>,
) {
  const { experiment, flag, rule, environment } = state;
  const projectKey = experiment.projectKey;
  const flagKey = flag?.doc.featureKey ?? iteration.treatments[0]?.flagKey ?? "";
  const defaultVariationId = flag?.doc.variations.find((v) => v.key === environment?.defaultVariationKey)?.id;
  const rep: Record<string, unknown> = {};
  rep._id = iterationIdOf(iteration);
  rep.hypothesis = iteration.hypothesis;
  rep.status = iteration.status;
  rep.createdAt = iteration.createdAt;
  if (iteration.startedAt !== null) rep.startedAt = iteration.startedAt;
  if (iteration.endedAt !== null) rep.endedAt = iteration.endedAt;
  if (iteration.winningTreatmentId !== null) rep.winningTreatmentId = iteration.winningTreatmentId;
  if (iteration.winningReason !== null) rep.winningReason = iteration.winningReason;
  rep.canReshuffleTraffic = iteration.canReshuffleTraffic;
  rep.flags = {
    [flagKey]: {
      targetingRule: String(iteration.ruleId),
      ...(rule && rule.id === iteration.ruleId ? { targetingRuleDescription: rule.name } : {}),
      flagConfigVersion: iteration.flagConfigVersion,
      ...(defaultVariationId !== undefined ? { notInExperimentVariationId: String(defaultVariationId) } : {}),
      _links: { self: link(`/api/v2/flags/${projectKey}/${flagKey}`) },
    },
  };
  const primary = iteration.metrics.find((m) => m.primary) ?? iteration.metrics[0];
  if (primary) {
    const metric = metricV2Rep(projectKey, goals.get(primary.goalId), primary.goalId);
    // primaryMetric is LaunchDarkly's DependentMetricOrMetricGroupRep (says isGroup); metric groups are
    // not supported, so it is always a single metric.
    rep.primaryMetric = { ...metric, isGroup: false };
    rep.primarySingleMetric = metric;
  }
  rep.randomizationUnit = iteration.randomizationUnit;
  if (iteration.attributes.length > 0) rep.attributes = iteration.attributes;
  if (expand.has("treatments") && iteration.treatments.length > 0) {
    rep.treatments = iteration.treatments.map((t) => ({
      _id: t._id,
      name: t.name,
      allocationPercent: percentText(t.allocationPercent),
      baseline: t.baseline,
      parameters: [{ flagKey: t.flagKey, variationId: String(t.variationId) }],
    }));
  }
  if (expand.has("secondaryMetrics")) {
    const secondary = iteration.metrics.filter((m) => m !== primary);
    if (secondary.length > 0) {
      rep.secondaryMetrics = secondary.map((m) => metricV2Rep(projectKey, goals.get(m.goalId), m.goalId));
    }
    rep.metrics = iteration.metrics.map((m) => ({
      ...metricV2Rep(projectKey, goals.get(m.goalId), m.goalId),
      isGroup: false,
    }));
  }
  // Built field by field in LaunchDarkly's order; the schema (experiments.responses.ts) is its type.
  return rep as IterationRep;
}

/** LaunchDarkly's Experiment representation. */
export function experimentRep(
  state: ExperimentState,
  goals: ReadonlyMap<number, Goal>,
  expand: ReadonlySet<string>,
) {
  const { experiment, iterations } = state;
  const path = experimentPath(experiment);
  const rep: Record<string, unknown> = {
    _id: String(experiment.id),
    key: experiment.key,
    name: experiment.name || state.rule?.name || experiment.key,
    description: experiment.description,
    _maintainerId: experiment.maintainerId ?? "",
    _creationDate: Date.parse(experiment.createdAt),
    environmentKey: experiment.environmentKey,
    _links: {
      parent: link(`/api/v2/projects/${experiment.projectKey}/environments/${experiment.environmentKey}`),
      self: link(path),
    },
  };
  if (experiment.archivedAt !== null) rep.archivedDate = Date.parse(experiment.archivedAt);
  if (iterations.current) rep.currentIteration = iterationRep(state, iterations.current, goals, expand);
  if (expand.has("draftIteration") && iterations.draft) {
    rep.draftIteration = iterationRep(state, iterations.draft, goals, expand);
  }
  if (expand.has("previousIterations") && iterations.previous.length > 0) {
    rep.previousIterations = iterations.previous.map((i) => iterationRep(state, i, goals, expand));
  }
  return rep as ExperimentRep;
}

/** Every goal id the experiment's iterations use. */
export function goalIdsOf(states: ExperimentState[]): number[] {
  const ids = new Set<number>();
  for (const state of states)
    for (const i of state.iterations.all) for (const m of i.metrics) ids.add(m.goalId);
  return [...ids];
}
