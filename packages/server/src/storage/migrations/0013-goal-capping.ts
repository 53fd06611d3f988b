import type { Kysely } from "kysely";
import type { SqlDialect } from "../database.js";

/**
 * Capping (winsorisation) of numeric goals: `capping_type` none | absolute | percentile and its value (the
 * cap, or the percentile as a fraction). Existing goals are uncapped, as before.
 */
export async function goalCappingMigration(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  await db.schema
    .alterTable("goals")
    .addColumn("capping_type", "text", (c) => c.notNull().defaultTo("none"))
    .execute();
  await db.schema
    .alterTable("goals")
    .addColumn("capping_value", dialect === "postgres" ? "double precision" : "real")
    .execute();
}
