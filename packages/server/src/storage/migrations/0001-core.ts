import type { Kysely } from "kysely";
import { withIdColumn } from "../column-types.js";
import type { SqlDialect } from "../database.js";

/** Projects, environments, access tokens and the audit log. */
export async function coreMigration(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  await db.schema
    .createTable("projects")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("tags", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("callback_secret", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("environments")
    .addColumn("project_key", "text", (c) => c.notNull().references("projects.key").onDelete("cascade"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("color", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("sdk_key", "text", (c) => c.notNull().unique())
    .addColumn("client_key", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("environments_pk", ["project_key", "key"])
    .execute();

  await withIdColumn(db.schema.createTable("access_tokens"), dialect)
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("project_key", "text")
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text")
    .addColumn("revoked", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await withIdColumn(db.schema.createTable("audit_log"), dialect)
    .addColumn("project_key", "text")
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("resource_type", "text", (c) => c.notNull())
    .addColumn("resource_id", "text", (c) => c.notNull())
    .addColumn("before_json", "text")
    .addColumn("after_json", "text")
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("audit_log_resource")
    .on("audit_log")
    .columns(["project_key", "resource_type", "resource_id"])
    .execute();
}
