import type { Kysely } from "kysely";
import { withIdColumn } from "../column-types.js";
import type { SqlDialect } from "../database.js";

/** Console accounts: users, database-held sessions (shared by replicas) and sign-in throttling. */
export async function accountsMigration(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const bigint = dialect === "postgres" ? "bigint" : "integer";

  await withIdColumn(db.schema.createTable("users"), dialect)
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("project_key", "text")
    .addColumn("disabled", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", bigint, (c) => c.notNull())
    .addColumn("updated_at", bigint, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", bigint, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("csrf_token", "text", (c) => c.notNull())
    .addColumn("created_at", bigint, (c) => c.notNull())
    .addColumn("last_seen_at", bigint, (c) => c.notNull())
    .addColumn("expires_at", bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("login_throttle")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("window_start", bigint, (c) => c.notNull())
    .addColumn("blocked_until", bigint)
    .execute();
}
