import type { Kysely, Selectable } from "kysely";
import type { Database } from "../storage/schema.js";
import type { Statement } from "./webhook-statements.js";

export interface Webhook {
  id: number;
  name: string | null;
  url: string;
  secret: string | null;
  sign: boolean;
  on: boolean;
  tags: string[];
  statements: Statement[];
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

/** The fields a user sets (POST body, PATCH result). */
export type WebhookFields = Pick<Webhook, "name" | "url" | "secret" | "sign" | "on" | "tags" | "statements">;

export type DeliveryStatus = "PENDING" | "DELIVERED" | "FAILED";

export interface Delivery {
  id: number;
  webhookId: number;
  eventId: number;
  projectKey: string;
  featureKey: string;
  action: string;
  title: string;
  status: DeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  error: string | null;
  createdAt: number;
  lastAttemptAt: number | null;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
}

type WebhookRow = Selectable<Database["webhooks"]>;
type DeliveryRow = Selectable<Database["webhook_deliveries"]>;

const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

export function toWebhook(row: WebhookRow): Webhook {
  return {
    id: Number(row.id),
    name: row.name,
    url: row.url,
    secret: row.secret,
    sign: row.sign === 1,
    on: row.enabled === 1,
    tags: JSON.parse(row.tags) as string[],
    statements: JSON.parse(row.statements) as Statement[],
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toDelivery(row: Omit<DeliveryRow, "payload">): Delivery {
  return {
    id: Number(row.id),
    webhookId: Number(row.webhook_id),
    eventId: Number(row.event_id),
    projectKey: row.project_key,
    featureKey: row.feature_key,
    action: row.action,
    title: row.title,
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    responseStatus: numOrNull(row.response_status),
    error: row.error,
    createdAt: Number(row.created_at),
    lastAttemptAt: numOrNull(row.last_attempt_at),
    nextAttemptAt: numOrNull(row.next_attempt_at),
    deliveredAt: numOrNull(row.delivered_at),
  };
}

const columnsOf = (fields: WebhookFields) => ({
  name: fields.name,
  url: fields.url,
  secret: fields.secret,
  sign: fields.sign ? 1 : 0,
  enabled: fields.on ? 1 : 0,
  tags: JSON.stringify(fields.tags),
  statements: JSON.stringify(fields.statements),
});

/** Webhooks and their delivery log. */
export const webhooksStore = {
  async list(db: Kysely<Database>): Promise<Webhook[]> {
    return (await db.selectFrom("webhooks").selectAll().orderBy("id").execute()).map(toWebhook);
  },

  async enabled(db: Kysely<Database>): Promise<Webhook[]> {
    const rows = await db.selectFrom("webhooks").selectAll().where("enabled", "=", 1).orderBy("id").execute();
    return rows.map(toWebhook);
  },

  async find(db: Kysely<Database>, id: number): Promise<Webhook | undefined> {
    const row = await db.selectFrom("webhooks").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toWebhook(row);
  },

  async insert(
    db: Kysely<Database>,
    fields: WebhookFields,
    createdBy: string,
    now: number,
  ): Promise<Webhook> {
    const row = await db
      .insertInto("webhooks")
      .values({ ...columnsOf(fields), created_by: createdBy, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toWebhook(row);
  },

  async update(db: Kysely<Database>, id: number, fields: WebhookFields, now: number): Promise<void> {
    await db
      .updateTable("webhooks")
      .set({ ...columnsOf(fields), updated_at: now })
      .where("id", "=", id)
      .execute();
  },

  /** Deletes the webhook; its delivery log goes with it (ON DELETE CASCADE), so pending deliveries are dropped. */
  async delete(db: Kysely<Database>, id: number): Promise<boolean> {
    const result = await db.deleteFrom("webhooks").where("id", "=", id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },

  async insertDelivery(
    db: Kysely<Database>,
    delivery: Pick<Delivery, "webhookId" | "eventId" | "projectKey" | "featureKey" | "action" | "title">,
    payload: string,
    now: number,
  ): Promise<number> {
    const row = await db
      .insertInto("webhook_deliveries")
      .values({
        webhook_id: delivery.webhookId,
        event_id: delivery.eventId,
        project_key: delivery.projectKey,
        feature_key: delivery.featureKey,
        action: delivery.action,
        title: delivery.title,
        payload,
        status: "PENDING",
        attempts: 0,
        response_status: null,
        error: null,
        created_at: now,
        last_attempt_at: null,
        next_attempt_at: now,
        delivered_at: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return Number(row.id);
  },

  /** A delivery with the body it sends. */
  async delivery(db: Kysely<Database>, id: number): Promise<(Delivery & { payload: string }) | undefined> {
    const row = await db.selectFrom("webhook_deliveries").selectAll().where("id", "=", id).executeTakeFirst();
    return row && { ...toDelivery(row), payload: row.payload };
  },

  /** Records one attempt: its outcome, and the next attempt's time while it stays PENDING. */
  async recordAttempt(
    db: Kysely<Database>,
    id: number,
    outcome: {
      status: DeliveryStatus;
      responseStatus: number | null;
      error: string | null;
      nextAttemptAt: number | null;
    },
    now: number,
  ): Promise<void> {
    await db
      .updateTable("webhook_deliveries")
      .set((eb) => ({
        status: outcome.status,
        attempts: eb("attempts", "+", 1),
        response_status: outcome.responseStatus,
        error: outcome.error,
        last_attempt_at: now,
        next_attempt_at: outcome.nextAttemptAt,
        delivered_at: outcome.status === "DELIVERED" ? now : null,
      }))
      .where("id", "=", id)
      .where("status", "=", "PENDING")
      .execute();
  },

  /** Ends a PENDING delivery as FAILED without an attempt (given up, webhook turned off). */
  async fail(db: Kysely<Database>, id: number, error: string | null): Promise<void> {
    await db
      .updateTable("webhook_deliveries")
      .set((eb) => ({
        status: "FAILED",
        next_attempt_at: null,
        error: error === null ? eb.ref("error") : error,
      }))
      .where("id", "=", id)
      .where("status", "=", "PENDING")
      .execute();
  },

  /** A page of a webhook's delivery log, newest first. */
  async deliveries(
    db: Kysely<Database>,
    webhookId: number,
    page: { limit: number; offset: number; status?: DeliveryStatus | undefined },
  ): Promise<{ items: Delivery[]; total: number }> {
    let query = db.selectFrom("webhook_deliveries").where("webhook_id", "=", webhookId);
    if (page.status) query = query.where("status", "=", page.status);
    const [rows, count] = await Promise.all([
      query
        .select([
          "id",
          "webhook_id",
          "event_id",
          "project_key",
          "feature_key",
          "action",
          "title",
          "status",
          "attempts",
          "response_status",
          "error",
          "created_at",
          "last_attempt_at",
          "next_attempt_at",
          "delivered_at",
        ])
        .orderBy("id", "desc")
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
      query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toDelivery), total: Number(count.total) };
  },
};
