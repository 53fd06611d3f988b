import type { Kysely } from "kysely";
import type { SqlDialect } from "../database.js";

/** The automation scheduler's leader lease (automation/scheduler.ts): one row per lease name. */
export async function automationMigration(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const bigint = dialect === "postgres" ? "bigint" : "integer";
  await db.schema
    .createTable("scheduler_leases")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("holder", "text", (c) => c.notNull())
    .addColumn("lease_until", bigint, (c) => c.notNull())
    .execute();
}
