import type { Kysely } from "kysely";
import type { SqlDialect } from "../database.js";

/**
 * LaunchDarkly dialect additions: the settings its clients give projects and environments (tags, critical,
 * requireComments, default client-side availability...: one JSON column each, read by projects.store.ts),
 * and the reset time of a legacy experiment (flag + metric in an environment), from which its results count.
 */
export async function launchDarklyDialectMigration(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const bigint = dialect === "postgres" ? "bigint" : "integer";
  for (const table of ["projects", "environments"]) {
    await db.schema
      .alterTable(table)
      .addColumn("settings", "text", (c) => c.notNull().defaultTo("{}"))
      .execute();
  }
  await db.schema
    .createTable("legacy_results_resets")
    .addColumn("flag_id", bigint, (c) => c.notNull().references("flags.id").onDelete("cascade"))
    .addColumn("environment_key", "text", (c) => c.notNull())
    .addColumn("goal_id", bigint, (c) => c.notNull().references("goals.id").onDelete("cascade"))
    .addColumn("reset_at", bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint("legacy_results_resets_pk", ["flag_id", "environment_key", "goal_id"])
    .execute();
}
