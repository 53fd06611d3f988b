import type { AppContext } from "../app-context.js";
import type { FlagRecord } from "../flags/flags.document.js";
import { findFlagByKey, findFlagRecord, flagSubject } from "../flags/flags.lookup.js";
import type { FlagView } from "../flags/flags.view.js";
import { type Goal, goalsStore } from "../goals/goals.store.js";
import { metricV2Rep } from "../goals/launchdarkly-metric-view.js";
import { badRequest, notFound } from "../http/api-error.js";
import { applyJsonPatch, type JsonPatch } from "../http/json-patch.js";
import { link } from "../http/launchdarkly-http.js";
import type { Actor } from "../http/write-guards.js";
import { projectsStore } from "../projects/projects.store.js";
import {
  type EnvironmentSetting,
  type LegacyExperiments,
  type LegacyItem,
  legacyStore,
} from "./legacy-experiments.store.js";

// LaunchDarkly's legacy (per-flag) experiments: a flag's `experiments` object holds the metrics attached to
// it, each switched on in some environments, and the baseline variation index. Vexil keeps them beside the
// flag (flag_legacy_experiments) and, like experiments, makes each attached metric a goal of the flag.

/** The paths of a flag's JSON Patch that this endpoint applies; everything else is the Kameleoon API's. */
export const LEGACY_PATCH_PREFIXES = ["/experiments/items", "/experiments/baselineIdx"];
const ITEM_FIELDS = new Set(["metricKey", "environments", "_metric", "_environmentSettings"]);
const MAX_ITEMS = 50;

/** The flag's `experiments` object as LaunchDarkly shows it. */
export function legacyExperimentsRep(projectKey: string, value: LegacyExperiments, goals: Map<number, Goal>) {
  return {
    baselineIdx: value.baselineIdx,
    items: value.items.map((item) => {
      const goal = goals.get(item.goalId);
      return {
        metricKey: goal?.key ?? `deleted-goal-${item.goalId}`,
        // LaunchDarkly's LegacyExperimentRep says _metric is a MetricListingRep: MetricV2Rep's fields plus
        // the metric's _id, tags and _creationDate.
        _metric: {
          ...metricV2Rep(projectKey, goal, item.goalId),
          _id: String(item.goalId),
          tags: goal?.tags ?? [],
          _creationDate: goal ? Date.parse(goal.dateCreated) : 0,
        },
        environments: item.environments,
        _environmentSettings: item.environmentSettings,
      };
    }),
  };
}

/**
 * A LaunchDarkly-shaped flag with what this endpoint manages. Variation `value`s are Vexil variation keys
 * (a Vexil variation serves variables, not one value); `_id`s are the numeric variation ids.
 */
export function legacyFlagRep(flag: FlagRecord, experiments: ReturnType<typeof legacyExperimentsRep>) {
  const path = `/api/v2/flags/${flag.meta.projectKey}/${flag.doc.featureKey}`;
  const keys = flag.doc.variations.map((v) => v.key);
  const boolean = keys.length === 2 && keys.includes("on") && keys.includes("off");
  return {
    key: flag.doc.featureKey,
    name: flag.doc.name,
    description: flag.doc.description,
    kind: boolean ? "boolean" : "multivariate",
    tags: flag.doc.tags,
    archived: flag.meta.archived,
    _version: flag.meta.version,
    creationDate: Date.parse(flag.meta.dateCreated),
    variations: flag.doc.variations.map((v) => ({ _id: String(v.id), value: v.key, name: v.name })),
    experiments,
    _links: { parent: link(`/api/v2/flags/${flag.meta.projectKey}`), self: link(path) },
  };
}

function closePeriods(setting: EnvironmentSetting, now: number): EnvironmentSetting {
  return {
    ...setting,
    stopDate: now,
    enabledPeriods: setting.enabledPeriods.map((p) =>
      p.stopDate === undefined ? { ...p, stopDate: now } : p,
    ),
  };
}

function openPeriod(setting: EnvironmentSetting | undefined, now: number): EnvironmentSetting {
  if (!setting) return { startDate: now, enabledPeriods: [{ startDate: now }] };
  const { stopDate: _stopped, ...rest } = setting;
  return { ...rest, enabledPeriods: [...setting.enabledPeriods, { startDate: now }] };
}

/** Loads a flag for the legacy endpoints (404 naming the flag). */
export async function legacyFlag(
  context: AppContext,
  projectKey: string,
  flagKey: string,
): Promise<FlagRecord> {
  if (!(await projectsStore.find(context.db, projectKey)))
    throw notFound(`Project '${projectKey}' not found`);
  const view = await findFlagByKey(context, projectKey, flagKey);
  if (!view) throw notFound(`Feature flag '${flagKey}' not found in project '${projectKey}'`);
  return (await findFlagRecord(context, view.id))!;
}

/** The body of a flag PATCH: a JSON Patch array, or `{comment, patch}` as LaunchDarkly also takes it. */
export function patchOperations(body: unknown): { patch: JsonPatch; comment?: string } {
  if (Array.isArray(body)) return { patch: body as JsonPatch };
  if (body && typeof body === "object" && Array.isArray((body as { patch?: unknown }).patch)) {
    const { patch, comment, ...rest } = body as { patch: JsonPatch; comment?: unknown };
    const extra = Object.keys(rest);
    if (extra.length > 0)
      throw badRequest(`body.${extra[0]} is not a field of a commented JSON Patch ({comment, patch})`);
    if (comment !== undefined && typeof comment !== "string")
      throw badRequest("body.comment must be a string");
    return { patch, ...(comment !== undefined ? { comment } : {}) };
  }
  throw badRequest("body must be a JSON Patch array (or {comment, patch})");
}

/**
 * PATCH /api/v2/flags/{projectKey}/{flagKey}: JSON Patch of `/experiments/items...` (attach or detach
 * metrics, switch them on per environment) and `/experiments/baselineIdx`. Other paths answer 400: flags
 * themselves change through the Kameleoon API.
 */
export async function patchLegacyExperiments(
  context: AppContext,
  actor: Actor,
  projectKey: string,
  flagKey: string,
  body: unknown,
) {
  const { patch, comment } = patchOperations(body);
  patch.forEach((operation, i) => {
    const op = operation as { op?: unknown; path?: unknown; from?: unknown };
    if (typeof op.op !== "string" || typeof op.path !== "string") {
      throw badRequest(`body.${i} must be a JSON Patch operation {op, path, value?}`);
    }
    for (const path of [op.path, ...(typeof op.from === "string" ? [op.from] : [])]) {
      if (!LEGACY_PATCH_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) {
        throw badRequest(
          `body.${i}.path '${path}' cannot be changed here: this PATCH only takes /experiments/items... and /experiments/baselineIdx; change the flag itself through the Kameleoon API (PATCH /feature-flags/${projectKey}/${flagKey})`,
        );
      }
    }
  });
  let flag = await legacyFlag(context, projectKey, flagKey);
  const current = await legacyStore.load(context.db, flag.meta.id);
  const goalsById = new Map(
    (
      await goalsStore.findByIds(
        context.db,
        current.items.map((i) => i.goalId),
      )
    ).map((g) => [g.id, g]),
  );
  const document = { experiments: legacyExperimentsRep(projectKey, current, goalsById) };
  const next = applyJsonPatch(document, patch, LEGACY_PATCH_PREFIXES) as {
    experiments: Record<string, unknown>;
  };

  // Validate the result.
  const experiments = next.experiments;
  const baselineIdx = experiments.baselineIdx;
  if (
    !Number.isInteger(baselineIdx) ||
    (baselineIdx as number) < 0 ||
    (baselineIdx as number) >= flag.doc.variations.length
  ) {
    throw badRequest(
      `/experiments/baselineIdx must be an integer from 0 to ${flag.doc.variations.length - 1} (the flag's variation indexes)`,
    );
  }
  const items = experiments.items;
  if (!Array.isArray(items)) throw badRequest("/experiments/items must be an array");
  if (items.length > MAX_ITEMS) throw badRequest(`/experiments/items holds at most ${MAX_ITEMS} metrics`);
  const environmentKeys = new Set(
    (await projectsStore.environments(context.db, projectKey)).map((e) => e.key),
  );
  const now = context.now();
  const previousByGoal = new Map(current.items.map((i) => [i.goalId, i]));
  const resolved: LegacyItem[] = [];
  const seen = new Set<number>();
  for (const [i, raw] of items.entries()) {
    const where = `/experiments/items/${i}`;
    if (!raw || typeof raw !== "object" || Array.isArray(raw))
      throw badRequest(`${where} must be an object {metricKey, environments}`);
    const item = raw as Record<string, unknown>;
    for (const field of Object.keys(item)) {
      if (!ITEM_FIELDS.has(field))
        throw badRequest(`${where}/${field} is not a field of a flag experiment (metricKey, environments)`);
    }
    if (typeof item.metricKey !== "string") throw badRequest(`${where}/metricKey must be a metric key`);
    const goal = await goalsStore.findByKey(context.db, projectKey, item.metricKey);
    if (!goal)
      throw badRequest(`${where}/metricKey: metric '${item.metricKey}' not found in project '${projectKey}'`);
    if (seen.has(goal.id)) throw badRequest(`${where}/metricKey repeats metric '${item.metricKey}'`);
    seen.add(goal.id);
    goalsById.set(goal.id, goal);
    const environments = item.environments ?? [];
    if (!Array.isArray(environments) || environments.some((e) => typeof e !== "string")) {
      throw badRequest(`${where}/environments must be an array of environment keys`);
    }
    const unique = [...new Set(environments as string[])];
    if (unique.length !== environments.length)
      throw badRequest(`${where}/environments repeats an environment`);
    for (const environment of unique) {
      if (!environmentKeys.has(environment)) {
        throw badRequest(
          `${where}/environments: environment '${environment}' not found in project '${projectKey}'`,
        );
      }
    }
    const previous = previousByGoal.get(goal.id);
    const settings: Record<string, EnvironmentSetting> = { ...(previous?.environmentSettings ?? {}) };
    for (const environment of unique) {
      if (!previous?.environments.includes(environment))
        settings[environment] = openPeriod(settings[environment], now);
    }
    for (const environment of previous?.environments ?? []) {
      if (!unique.includes(environment) && settings[environment]) {
        settings[environment] = closePeriods(settings[environment], now);
      }
    }
    resolved.push({ goalId: goal.id, environments: unique, environmentSettings: settings });
  }
  const value: LegacyExperiments = { baselineIdx: baselineIdx as number, items: resolved };

  // Newly attached metrics become goals of the flag (protected from deletion, in Kameleoon results too).
  const flags = context.services.flags;
  const newGoals = resolved.map((i) => i.goalId).filter((id) => !previousByGoal.has(id));
  if (newGoals.length > 0) {
    await flags.update(actor, flag.meta.id, (view: FlagView) => {
      const copy = JSON.parse(JSON.stringify(view)) as FlagView & {
        primaryGoalId?: number;
        secondaryGoalIds?: number[];
      };
      const secondary = [...(copy.secondaryGoalIds ?? [])];
      for (const goalId of newGoals) {
        if (copy.primaryGoalId === goalId || secondary.includes(goalId)) continue;
        if (copy.primaryGoalId === undefined) copy.primaryGoalId = goalId;
        else secondary.push(goalId);
      }
      copy.secondaryGoalIds = secondary;
      return copy;
    });
    flag = (await findFlagRecord(context, flag.meta.id))!;
  }
  const before = legacyExperimentsRep(projectKey, current, goalsById);
  const after = legacyExperimentsRep(projectKey, value, goalsById);
  if (JSON.stringify(before) !== JSON.stringify(after)) {
    await context.db.transaction().execute(async (trx) => {
      await legacyStore.save(trx, flag.meta.id, value);
      await context.outbox.publish(
        trx,
        {
          projectKey,
          actor: actor.name,
          action: "flag.update-legacy-experiments",
          resourceType: "feature-flag",
          resourceId: String(flag.meta.id),
          before,
          after: { ...after, ...(comment !== undefined ? { comment } : {}) },
          subject: await flagSubject(trx, flag),
        },
        new Date(now),
      );
    });
  }
  return legacyFlagRep(flag, after);
}

/** Whether a metric is measured on a flag in an environment (legacy attachment or a goal of the flag). */
export async function isAttached(
  context: AppContext,
  flag: FlagRecord,
  goal: Goal,
  environmentKey: string,
): Promise<boolean> {
  if (flag.doc.primaryGoalId === goal.id || flag.doc.secondaryGoalIds.includes(goal.id)) return true;
  const legacy = await legacyStore.load(context.db, flag.meta.id);
  return legacy.items.some((i) => i.goalId === goal.id && i.environments.includes(environmentKey));
}
