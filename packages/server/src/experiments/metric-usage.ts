import type { AppContext } from "../app-context.js";
import { flagsStore } from "../flags/flags.store.js";
import type { MetricUsage } from "../goals/launchdarkly-metric-view.js";
import { experimentsStore } from "./experiments.store.js";

/**
 * Where each goal of a project is used: flags that measure it (a flag goal, a rollback condition, a legacy
 * attachment) and experiments whose iterations have it as a metric.
 */
export async function metricUsage(context: AppContext, projectKey: string, goalIds: number[]) {
  const usage = new Map<number, MetricUsage>();
  for (const id of goalIds) usage.set(id, { flags: [], experiments: [] });
  if (goalIds.length === 0) return usage;

  const flagIds = new Map<number, Set<number>>();
  const add = (goalId: number, flagId: number) => {
    const set = flagIds.get(goalId) ?? new Set<number>();
    set.add(flagId);
    flagIds.set(goalId, set);
  };
  for (const goalId of goalIds) {
    for (const user of await flagsStore.usersOf(context.db, "goal", goalId)) add(goalId, user.flagId);
  }
  const legacy = await context.db
    .selectFrom("flag_legacy_experiments")
    .select(["flag_id", "goal_id"])
    .where("goal_id", "in", goalIds)
    .execute();
  for (const row of legacy) add(Number(row.goal_id), Number(row.flag_id));
  const allFlagIds = [...new Set([...flagIds.values()].flatMap((s) => [...s]))];
  const flags = new Map((await flagsStore.findByIds(context.db, allFlagIds)).map((f) => [f.meta.id, f]));
  for (const [goalId, ids] of flagIds) {
    usage.get(goalId)!.flags = [...ids]
      .map((id) => flags.get(id))
      .filter((f) => f !== undefined)
      .map((f) => ({ key: f.doc.featureKey, name: f.doc.name }));
  }

  const experiments = await experimentsStore.inProject(context.db, projectKey);
  const iterations = await experimentsStore.iterations(
    context.db,
    experiments.map((e) => e.id),
  );
  const wanted = new Set(goalIds);
  for (const experiment of experiments) {
    const used = new Set(
      iterations
        .filter((i) => i.experimentId === experiment.id)
        .flatMap((i) => i.metrics.map((m) => m.goalId))
        .filter((id) => wanted.has(id)),
    );
    for (const goalId of used) {
      usage.get(goalId)!.experiments.push({
        key: experiment.key,
        name: experiment.name || experiment.key,
        environmentKey: experiment.environmentKey,
        creationDate: Date.parse(experiment.createdAt),
      });
    }
  }
  return usage;
}
