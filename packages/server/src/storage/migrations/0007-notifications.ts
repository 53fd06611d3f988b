import type { Kysely } from "kysely";
import { withIdColumn } from "../column-types.js";
import type { SqlDialect } from "../database.js";

/** Webhooks, their delivery log (also the outbox of pending deliveries) and the notification email log. */
export async function notificationsMigration(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const bigint = dialect === "postgres" ? "bigint" : "integer";

  await withIdColumn(db.schema.createTable("webhooks"), dialect)
    .addColumn("name", "text")
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("secret", "text")
    .addColumn("sign", "integer", (c) => c.notNull())
    .addColumn("enabled", "integer", (c) => c.notNull())
    .addColumn("tags", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("statements", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", bigint, (c) => c.notNull())
    .addColumn("updated_at", bigint, (c) => c.notNull())
    .execute();

  await withIdColumn(db.schema.createTable("webhook_deliveries"), dialect)
    .addColumn("webhook_id", bigint, (c) => c.notNull().references("webhooks.id").onDelete("cascade"))
    .addColumn("event_id", bigint, (c) => c.notNull())
    .addColumn("project_key", "text", (c) => c.notNull())
    .addColumn("feature_key", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("response_status", "integer")
    .addColumn("error", "text")
    .addColumn("created_at", bigint, (c) => c.notNull())
    .addColumn("last_attempt_at", bigint)
    .addColumn("next_attempt_at", bigint)
    .addColumn("delivered_at", bigint)
    .execute();
  // The delivery log of one webhook, newest first.
  await db.schema
    .createIndex("webhook_deliveries_webhook")
    .on("webhook_deliveries")
    .columns(["webhook_id", "id"])
    .execute();

  await withIdColumn(db.schema.createTable("notification_emails"), dialect)
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("project_key", "text", (c) => c.notNull())
    .addColumn("feature_key", "text", (c) => c.notNull())
    .addColumn("flag_id", bigint, (c) => c.notNull())
    .addColumn("environment_key", "text", (c) => c.notNull())
    .addColumn("rule_id", bigint)
    .addColumn("recipients", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("error", "text")
    .addColumn("message_id", "text")
    .addColumn("created_at", bigint, (c) => c.notNull())
    .addColumn("updated_at", bigint, (c) => c.notNull())
    .addColumn("sent_at", bigint)
    .execute();
  await db.schema
    .createIndex("notification_emails_project")
    .on("notification_emails")
    .columns(["project_key", "id"])
    .execute();
}
