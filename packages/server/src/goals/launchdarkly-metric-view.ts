import { createHash } from "node:crypto";
import type { Static } from "typebox";
import type { MetricRepSchema } from "./goals.responses.js";
import { cappingView } from "./goals.service.js";
import type { Goal } from "./goals.store.js";

/** LaunchDarkly's MetricRep, as its schema declares it. */
export type MetricRep = Static<typeof MetricRepSchema>;

// A LaunchDarkly metric is a Vexil goal: key = metricKey, kind/isNumeric/unit/eventKey/successCriteria/
// unitAggregationType are goal columns. What LaunchDarkly has beyond that (maintainer, click selector, URL
// matchers) lives in launchdarkly_metric_settings.

export interface MetricSettings {
  maintainerId: string | null;
  selector: string | null;
  urls: unknown[];
}

export const emptyMetricSettings = (): MetricSettings => ({ maintainerId: null, selector: null, urls: [] });

const link = (href: string) => ({ href, type: "application/json" });

export const metricPath = (projectKey: string, key: string) =>
  `/api/v2/metrics/${encodeURIComponent(projectKey)}/${encodeURIComponent(key)}`;

/** LaunchDarkly's `_versionId`: changes whenever the goal does. */
export function metricVersionId(goal: Goal): string {
  return createHash("sha1").update(`${goal.id}:${goal.dateModified}`).digest("hex").slice(0, 24);
}

/** The short metric representation experiments embed (LaunchDarkly's MetricV2Rep). */
export function metricV2Rep(projectKey: string, goal: Goal | undefined, goalId: number) {
  if (!goal) {
    return {
      key: `deleted-goal-${goalId}`,
      _versionId: `deleted-goal-${goalId}`,
      name: `(deleted goal ${goalId})`,
      kind: "custom",
      isNumeric: false,
      _links: {},
    };
  }
  return {
    key: goal.key,
    _versionId: metricVersionId(goal),
    name: goal.name,
    kind: goal.kind,
    isNumeric: goal.isNumeric,
    unitAggregationType: goal.unitAggregationType,
    _links: { self: link(metricPath(projectKey, goal.key)) },
  };
}

/** Where a metric is used, for its representation and for the delete check. */
export interface MetricUsage {
  flags: { key: string; name: string }[];
  experiments: { key: string; name: string; environmentKey: string; creationDate: number }[];
}

/** LaunchDarkly's MetricRep of a goal. `usage` fills `_attachedFlagCount` and the expanded fields. */
export function metricRep(
  goal: Goal,
  settings: MetricSettings,
  usage: MetricUsage,
  expand: ReadonlySet<string> = new Set(),
) {
  const self = metricPath(goal.projectKey, goal.key);
  const rep: MetricRep = {
    _id: String(goal.id),
    _versionId: metricVersionId(goal),
    key: goal.key,
    name: goal.name,
    description: goal.description,
    kind: goal.kind,
    _attachedFlagCount: usage.flags.length,
    _links: { self: link(self), parent: link(`/api/v2/metrics/${encodeURIComponent(goal.projectKey)}`) },
    tags: goal.tags,
    _creationDate: Date.parse(goal.dateCreated),
    lastModified: { date: goal.dateModified },
    isNumeric: goal.isNumeric,
    successCriteria: goal.successCriteria,
    eventKey: goal.eventKey,
    randomizationUnits: ["user"],
    unitAggregationType: goal.unitAggregationType,
    analysisType: "mean",
    eventDefault: { disabled: false, value: 0 },
    urls: settings.urls,
    isActive: usage.experiments.length > 0 || usage.flags.length > 0,
    _attachedFeatures: usage.flags,
    cappingSettings: cappingView(goal.capping),
  };
  if (goal.unit !== null) rep.unit = goal.unit;
  if (settings.maintainerId !== null) rep.maintainerId = settings.maintainerId;
  if (settings.selector !== null) rep.selector = settings.selector;
  if (expand.has("experimentCount")) rep.experimentCount = usage.experiments.length;
  if (expand.has("metricGroupCount")) rep.metricGroupCount = 0;
  if (expand.has("metricGroups")) rep.metricGroups = [];
  if (expand.has("experiments")) {
    rep.experiments = usage.experiments.map((experiment) => {
      const parent = `/api/v2/projects/${goal.projectKey}/environments/${experiment.environmentKey}`;
      return {
        key: experiment.key,
        name: experiment.name,
        environmentKey: experiment.environmentKey,
        creationDate: experiment.creationDate,
        _links: { parent: link(parent), self: link(`${parent}/experiments/${experiment.key}`) },
      };
    });
  }
  return rep;
}
