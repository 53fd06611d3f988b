import type { Kysely } from "kysely";
import { withIdColumn } from "../column-types.js";
import type { SqlDialect } from "../database.js";

/**
 * Durable jobs with leases (results reports, their callbacks, automation ticks). A results report is the
 * `result` of its `results.report` job, keyed by its dataCode, so no table of its own is needed.
 */
export async function jobsResultsMigration(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const bigint = dialect === "postgres" ? "bigint" : "integer";
  await withIdColumn(db.schema.createTable("jobs"), dialect)
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("key", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("progress", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("result", "text")
    .addColumn("error", "text")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("max_attempts", "integer", (c) => c.notNull())
    .addColumn("run_after", bigint, (c) => c.notNull())
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", bigint)
    .addColumn("created_at", bigint, (c) => c.notNull())
    .addColumn("updated_at", bigint, (c) => c.notNull())
    .addColumn("started_at", bigint)
    .addColumn("finished_at", bigint)
    .execute();
  // One job per (kind, key); jobs without a key (NULL) never collide.
  await db.schema.createIndex("jobs_kind_key").on("jobs").columns(["kind", "key"]).unique().execute();
  // The claim query: due PENDING jobs and RUNNING jobs whose lease expired.
  await db.schema.createIndex("jobs_due").on("jobs").columns(["status", "run_after"]).execute();
}
