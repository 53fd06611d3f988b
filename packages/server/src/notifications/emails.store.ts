import type { Kysely, Selectable } from "kysely";
import type { Database } from "../storage/schema.js";

export type EmailStatus = "PENDING" | "SENT" | "FAILED" | "SKIPPED";

/** A notification email and what became of it. */
export interface NotificationEmail {
  id: number;
  kind: string;
  projectKey: string;
  featureKey: string;
  flagId: number;
  environmentKey: string;
  ruleId: number | null;
  recipients: string[];
  subject: string;
  body: string;
  status: EmailStatus;
  attempts: number;
  error: string | null;
  messageId: string | null;
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
}

export type NewEmail = Pick<
  NotificationEmail,
  | "kind"
  | "projectKey"
  | "featureKey"
  | "flagId"
  | "environmentKey"
  | "ruleId"
  | "recipients"
  | "subject"
  | "body"
>;

type EmailRow = Selectable<Database["notification_emails"]>;

const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

function toEmail(row: EmailRow): NotificationEmail {
  return {
    id: Number(row.id),
    kind: row.kind,
    projectKey: row.project_key,
    featureKey: row.feature_key,
    flagId: Number(row.flag_id),
    environmentKey: row.environment_key,
    ruleId: numOrNull(row.rule_id),
    recipients: JSON.parse(row.recipients) as string[],
    subject: row.subject,
    body: row.body,
    status: row.status as EmailStatus,
    attempts: Number(row.attempts),
    error: row.error,
    messageId: row.message_id,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    sentAt: numOrNull(row.sent_at),
  };
}

/** The notification email log. */
export const emailsStore = {
  async insert(db: Kysely<Database>, email: NewEmail, now: number): Promise<number> {
    const row = await db
      .insertInto("notification_emails")
      .values({
        kind: email.kind,
        project_key: email.projectKey,
        feature_key: email.featureKey,
        flag_id: email.flagId,
        environment_key: email.environmentKey,
        rule_id: email.ruleId,
        recipients: JSON.stringify(email.recipients),
        subject: email.subject,
        body: email.body,
        status: "PENDING",
        attempts: 0,
        error: null,
        message_id: null,
        created_at: now,
        updated_at: now,
        sent_at: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return Number(row.id);
  },

  async find(db: Kysely<Database>, id: number): Promise<NotificationEmail | undefined> {
    const row = await db
      .selectFrom("notification_emails")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return row && toEmail(row);
  },

  /** Records the outcome of an attempt (or SKIPPED/FAILED without one); only a PENDING email changes. */
  async settle(
    db: Kysely<Database>,
    id: number,
    outcome: { status: EmailStatus; error: string | null; messageId?: string | null; attempted: boolean },
    now: number,
  ): Promise<void> {
    await db
      .updateTable("notification_emails")
      .set((eb) => ({
        status: outcome.status,
        error: outcome.error,
        updated_at: now,
        ...(outcome.attempted ? { attempts: eb("attempts", "+", 1) } : {}),
        ...(outcome.messageId !== undefined ? { message_id: outcome.messageId } : {}),
        ...(outcome.status === "SENT" ? { sent_at: now } : {}),
      }))
      .where("id", "=", id)
      .where("status", "=", "PENDING")
      .execute();
  },

  /** Newest first; a project's only when projectKey is given. */
  async list(
    db: Kysely<Database>,
    filter: { projectKey?: string | undefined; limit: number; offset: number },
  ): Promise<{ items: NotificationEmail[]; total: number }> {
    let query = db.selectFrom("notification_emails");
    if (filter.projectKey) query = query.where("project_key", "=", filter.projectKey);
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy("id", "desc").limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toEmail), total: Number(count.total) };
  },
};
