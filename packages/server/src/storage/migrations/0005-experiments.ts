import type { Kysely } from "kysely";
import { startIdsAt, withIdColumn } from "../column-types.js";
import type { SqlDialect } from "../database.js";

/**
 * LaunchDarkly experiments on top of the minimal `experiments` table (one per EXPERIMENTATION rule, made by
 * 0002-flags): the experiment's own fields, its iterations, the legacy per-flag experiments (metrics
 * attached to a flag per environment, and the baseline variation), and the LaunchDarkly-only attributes of
 * a metric (a goal) that the goals table has no column for.
 */
export async function experimentsMigration(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const bigint = dialect === "postgres" ? "bigint" : "integer";

  // One ALTER per column: SQLite adds a single column per statement.
  await db.schema
    .alterTable("experiments")
    .addColumn("name", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema
    .alterTable("experiments")
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema.alterTable("experiments").addColumn("maintainer_id", "text").execute();
  // kameleoon: made for a rule by the Kameleoon API; launchdarkly: created (or adopted) by the LD API.
  await db.schema
    .alterTable("experiments")
    .addColumn("source", "text", (c) => c.notNull().defaultTo("kameleoon"))
    .execute();
  await db.schema.alterTable("experiments").addColumn("archived_at", "text").execute();
  await db.schema.alterTable("experiments").addColumn("updated_at", "text").execute();

  await withIdColumn(db.schema.createTable("experiment_iterations"), dialect)
    .addColumn("experiment_id", bigint, (c) => c.notNull().references("experiments.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("hypothesis", "text", (c) => c.notNull())
    .addColumn("can_reshuffle_traffic", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("randomization_unit", "text", (c) => c.notNull().defaultTo("user"))
    .addColumn("attributes", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("metrics", "text", (c) => c.notNull())
    .addColumn("treatments", "text", (c) => c.notNull())
    .addColumn("rule_id", bigint, (c) => c.notNull())
    .addColumn("flag_config_version", "integer", (c) => c.notNull())
    .addColumn("created_at", bigint, (c) => c.notNull())
    .addColumn("started_at", bigint)
    .addColumn("ended_at", bigint)
    .addColumn("winning_treatment_id", "text")
    .addColumn("winning_reason", "text")
    .addColumn("change_justification", "text")
    .execute();
  await db.schema
    .createIndex("experiment_iterations_experiment")
    .on("experiment_iterations")
    .column("experiment_id")
    .execute();
  await startIdsAt(db, dialect, "experiment_iterations", 600_001);

  await db.schema
    .createTable("flag_legacy_experiments")
    .addColumn("flag_id", bigint, (c) => c.notNull().references("flags.id").onDelete("cascade"))
    .addColumn("goal_id", bigint, (c) => c.notNull().references("goals.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("environments", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("environment_settings", "text", (c) => c.notNull().defaultTo("{}"))
    .addPrimaryKeyConstraint("flag_legacy_experiments_pk", ["flag_id", "goal_id"])
    .execute();
  await db.schema
    .createIndex("flag_legacy_experiments_goal")
    .on("flag_legacy_experiments")
    .column("goal_id")
    .execute();

  await db.schema
    .createTable("flag_legacy_experiment_settings")
    .addColumn("flag_id", bigint, (c) => c.primaryKey().references("flags.id").onDelete("cascade"))
    .addColumn("baseline_idx", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("launchdarkly_metric_settings")
    .addColumn("goal_id", bigint, (c) => c.primaryKey().references("goals.id").onDelete("cascade"))
    .addColumn("maintainer_id", "text")
    .addColumn("selector", "text")
    .addColumn("urls", "text", (c) => c.notNull().defaultTo("[]"))
    .execute();
}
