import { type Kysely, sql } from "kysely";
import type { AppContext } from "../app-context.js";
import type { Database } from "../storage/schema.js";

/** Evaluations of one flag in one environment, to add to the running totals. */
export interface EvaluationTally {
  projectKey: string;
  environmentKey: string;
  featureKey: string;
  count: number;
  /** Epoch ms of the latest evaluation counted. */
  at: number;
}

/** What storage knows of one flag's evaluations. */
export interface FlagEvaluationStats {
  /** Latest evaluation over every environment (ISO 8601). */
  lastEvaluatedAt: string;
  /** Evaluations reported over every environment. */
  count: number;
  environments: Record<string, { lastEvaluatedAt: string; count: number }>;
}

/** Adds tallies to the running counts and moves `last_evaluated_at` forward (never back), in one transaction. */
export async function addEvaluations(db: Kysely<Database>, tallies: EvaluationTally[]): Promise<void> {
  if (tallies.length === 0) return;
  await db.transaction().execute(async (trx) => {
    // Chunks keep each statement under SQLite's bound-parameter limit.
    for (let i = 0; i < tallies.length; i += 500) {
      const rows = tallies.slice(i, i + 500).map((t) => ({
        project_key: t.projectKey,
        environment_key: t.environmentKey,
        feature_key: t.featureKey,
        last_evaluated_at: new Date(t.at).toISOString(),
        evaluation_count: t.count,
      }));
      await trx
        .insertInto("sdk_flag_evaluations")
        .values(rows)
        .onConflict((oc) =>
          oc.columns(["project_key", "environment_key", "feature_key"]).doUpdateSet({
            evaluation_count: sql`sdk_flag_evaluations.evaluation_count + excluded.evaluation_count`,
            last_evaluated_at: sql`case when excluded.last_evaluated_at > sdk_flag_evaluations.last_evaluated_at then excluded.last_evaluated_at else sdk_flag_evaluations.last_evaluated_at end`,
          }),
        )
        .execute();
    }
  });
}

/**
 * When each flag of a project was last evaluated by an SDK (POST /sdk/v1/evaluations) or through OFREP,
 * by feature key; flags never reported are absent. For flag health (STALE/SMELLY). OFREP evaluations reach
 * storage within the recorder's flush interval (10 s).
 */
export async function lastEvaluatedAt(
  context: Pick<AppContext, "db">,
  projectKey: string,
  options: { featureKeys?: string[] } = {},
): Promise<Map<string, FlagEvaluationStats>> {
  let query = context.db
    .selectFrom("sdk_flag_evaluations")
    .select(["environment_key", "feature_key", "last_evaluated_at", "evaluation_count"])
    .where("project_key", "=", projectKey);
  if (options.featureKeys) {
    if (options.featureKeys.length === 0) return new Map();
    query = query.where("feature_key", "in", options.featureKeys);
  }
  const stats = new Map<string, FlagEvaluationStats>();
  for (const row of await query.execute()) {
    const count = Number(row.evaluation_count);
    let flag = stats.get(row.feature_key);
    if (!flag) {
      flag = { lastEvaluatedAt: row.last_evaluated_at, count: 0, environments: {} };
      stats.set(row.feature_key, flag);
    }
    flag.count += count;
    if (row.last_evaluated_at > flag.lastEvaluatedAt) flag.lastEvaluatedAt = row.last_evaluated_at;
    flag.environments[row.environment_key] = { lastEvaluatedAt: row.last_evaluated_at, count };
  }
  return stats;
}

/**
 * Counts evaluations in memory (OFREP answers thousands per second) and writes them in one transaction per
 * interval, so the hot path does no storage work. Counts still in memory when the process dies are lost
 * (they only feed flag health).
 */
export class EvaluationRecorder {
  private pending = new Map<string, EvaluationTally>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  record(projectKey: string, environmentKey: string, featureKey: string, count: number, at: number): void {
    const id = `${projectKey}\u0000${environmentKey}\u0000${featureKey}`;
    const tally = this.pending.get(id);
    if (tally) {
      tally.count += count;
      if (at > tally.at) tally.at = at;
    } else {
      this.pending.set(id, { projectKey, environmentKey, featureKey, count, at });
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.intervalMs).unref();
    }
  }

  /** Writes what is pending; resolves when written (or failed and reported). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.flushing = this.flushing.then(() => addEvaluations(this.db, batch).catch(this.onError));
    return this.flushing;
  }
}
