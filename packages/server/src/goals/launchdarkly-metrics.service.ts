import type { AppContext } from "../app-context.js";
import { conflict, notFound } from "../http/api-error.js";
import { applyJsonPatch, type JsonPatch } from "../http/json-patch.js";
import type { Actor } from "../http/write-guards.js";
import { projectsStore } from "../projects/projects.store.js";
import { cappingOf, cappingView, type GoalsService } from "./goals.service.js";
import { type Goal, goalsStore } from "./goals.store.js";
import {
  applyFilter,
  applySort,
  checkMetric,
  checkPatchedMetric,
  checkPatchPaths,
  documentOf,
  documentOfPost,
  type MetricDocument,
} from "./launchdarkly-metric-rules.js";
import { emptyMetricSettings, type MetricUsage, metricRep } from "./launchdarkly-metric-view.js";
import { type MetricPost, PATCHABLE } from "./launchdarkly-metrics.schemas.js";
import { metricSettingsStore } from "./launchdarkly-metrics.store.js";

/** Where goals are used, asked of experiments (a higher capability; wired in composition.ts). */
export type MetricUsageOf = (projectKey: string, goalIds: number[]) => Promise<Map<number, MetricUsage>>;

/**
 * LaunchDarkly's Metrics API over Vexil goals: a metric IS a goal (metricKey = goal key), so a metric created
 * here is a goal under /goals and a goal created there is a metric here. Goal writes go through GoalsService;
 * the LaunchDarkly-only settings are written in the goal's transaction.
 */
export class LaunchDarklyMetricsService {
  constructor(
    private readonly context: AppContext,
    private readonly goals: GoalsService,
    private readonly usageOf: MetricUsageOf,
  ) {}

  private async projectOrThrow(projectKey: string): Promise<void> {
    if (!(await projectsStore.find(this.context.db, projectKey)))
      throw notFound(`Project '${projectKey}' not found`);
  }

  private async metricOrThrow(projectKey: string, metricKey: string): Promise<Goal> {
    await this.projectOrThrow(projectKey);
    const goal = await goalsStore.findByKey(this.context.db, projectKey, metricKey);
    if (!goal) throw notFound(`Metric '${metricKey}' not found in project '${projectKey}'`);
    return goal;
  }

  private async represent(goal: Goal, expand: ReadonlySet<string>) {
    const [settings, usage] = await Promise.all([
      metricSettingsStore.get(this.context.db, [goal.id]),
      this.usageOf(goal.projectKey, [goal.id]),
    ]);
    return metricRep(goal, settings.get(goal.id) ?? emptyMetricSettings(), usage.get(goal.id)!, expand);
  }

  /** The project's metrics, filtered and sorted as LaunchDarkly's list query asks. */
  async list(
    projectKey: string,
    query: { filter?: string | undefined; sort?: string | undefined; expand: ReadonlySet<string> },
  ) {
    await this.projectOrThrow(projectKey);
    const all = await goalsStore.list(this.context.db, [projectKey]);
    const ids = all.map((g) => g.id);
    const [settings, usage] = await Promise.all([
      metricSettingsStore.get(this.context.db, ids),
      this.usageOf(projectKey, ids),
    ]);
    const connections = (g: Goal) => usage.get(g.id)!.flags.length + usage.get(g.id)!.experiments.length;
    const listed = applySort(
      applyFilter(
        all.map((goal) => ({ goal, connections: connections(goal) })),
        query.filter,
      ),
      query.sort,
    );
    return listed.map(({ goal }) =>
      metricRep(goal, settings.get(goal.id) ?? emptyMetricSettings(), usage.get(goal.id)!, query.expand),
    );
  }

  async get(projectKey: string, metricKey: string, expand: ReadonlySet<string>) {
    return this.represent(await this.metricOrThrow(projectKey, metricKey), expand);
  }

  async create(actor: Actor, projectKey: string, body: MetricPost) {
    await this.projectOrThrow(projectKey);
    const document = documentOfPost(body);
    checkMetric(document, true);
    const goal = await this.goals.create(
      actor,
      {
        siteCode: projectKey,
        key: body.key,
        name: document.name,
        description: document.description,
        kind: document.kind,
        eventKey: document.eventKey,
        isNumeric: document.isNumeric,
        unit: document.unit,
        successCriteria: document.successCriteria,
        unitAggregationType: document.unitAggregationType,
        tags: document.tags,
        cappingSettings: document.cappingSettings,
      },
      (trx, created) => metricSettingsStore.put(trx, created.id, settingsOf(document)),
    );
    return this.represent(goal, new Set());
  }

  /** A JSON Patch of the metric, applied to its document, checked, then written as the goal's change. */
  async patch(actor: Actor, projectKey: string, metricKey: string, patch: JsonPatch) {
    const goal = await this.metricOrThrow(projectKey, metricKey);
    checkPatchPaths(patch);
    const settings =
      (await metricSettingsStore.get(this.context.db, [goal.id])).get(goal.id) ?? emptyMetricSettings();
    const next = applyJsonPatch(documentOf(goal, settings), patch, PATCHABLE);
    checkPatchedMetric(next);
    const updated = await this.goals.update(
      actor,
      goal.id,
      {
        name: next.name,
        description: next.description ?? "",
        kind: next.kind,
        eventKey: next.eventKey ?? goal.key,
        isNumeric: next.isNumeric,
        unit: next.unit ?? null,
        successCriteria: next.successCriteria,
        unitAggregationType: next.unitAggregationType,
        tags: next.tags,
        cappingSettings: cappingView(
          cappingOf(next.cappingSettings, next.isNumeric, "patched metric.cappingSettings"),
        ),
      },
      (trx) => metricSettingsStore.put(trx, goal.id, settingsOf(next)),
    );
    return this.represent(updated, new Set());
  }

  /** Deletes the metric unless an experiment or a flag uses it. */
  async delete(actor: Actor, projectKey: string, metricKey: string): Promise<void> {
    const goal = await this.metricOrThrow(projectKey, metricKey);
    const usage = (await this.usageOf(goal.projectKey, [goal.id])).get(goal.id)!;
    const users = [
      ...usage.experiments.map((e) => `experiment '${e.key}' (${e.environmentKey})`),
      ...usage.flags.map((f) => `flag '${f.key}'`),
    ];
    if (users.length > 0) throw conflict(`Metric '${goal.key}' is in use by ${users.join(", ")}`);
    await this.goals.delete(actor, goal.id);
  }
}

function settingsOf(document: MetricDocument) {
  return {
    maintainerId: document.maintainerId ?? null,
    selector: document.selector ?? null,
    urls: document.urls,
  };
}
