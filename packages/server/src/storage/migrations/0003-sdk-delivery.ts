import type { Kysely } from "kysely";
import type { SqlDialect } from "../database.js";

/** SDK delivery: evaluation counts and last-evaluation times per flag and environment (flag health). */
export async function sdkDeliveryMigration(db: Kysely<unknown>, _dialect: SqlDialect): Promise<void> {
  await db.schema
    .createTable("sdk_flag_evaluations")
    .addColumn("project_key", "text", (c) => c.notNull())
    .addColumn("environment_key", "text", (c) => c.notNull())
    .addColumn("feature_key", "text", (c) => c.notNull())
    .addColumn("last_evaluated_at", "text", (c) => c.notNull())
    .addColumn("evaluation_count", "bigint", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("sdk_flag_evaluations_pk", ["project_key", "environment_key", "feature_key"])
    .addForeignKeyConstraint(
      "sdk_flag_evaluations_environment_fk",
      ["project_key", "environment_key"],
      "environments",
      ["project_key", "key"],
      (fk) => fk.onDelete("cascade"),
    )
    .execute();
}
