import { type Kysely, sql } from "kysely";
import type { DomainChange } from "../changes/outbox.js";
import type { Database } from "../storage/schema.js";

/** An audit entry is a published domain change (changes/outbox.ts). */
export type AuditEntry = DomainChange;

export interface AuditRecord extends Required<Omit<AuditEntry, "before" | "after" | "subject">> {
  id: number;
  at: string;
  before: unknown;
  after: unknown;
}

export interface AuditFilter {
  projectKey?: string | undefined;
  resourceType?: string | undefined;
  resourceId?: string | undefined;
  /** Part of the actor's name ("user:3:ada@example.com"), case-insensitive. */
  actor?: string | undefined;
  /** ISO instants; `from` inclusive, `to` exclusive. */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

/** The audit log: the outbox's journal writes it; AuditService reads it. */
export const auditStore = {
  /** Writes an audit entry in `db` (the outbox's journal: pass the transaction of the change); returns its id. */
  async insert(db: Kysely<Database>, entry: AuditEntry, at = new Date()): Promise<number> {
    const row = await db
      .insertInto("audit_log")
      .values({
        project_key: entry.projectKey,
        actor: entry.actor,
        action: entry.action,
        resource_type: entry.resourceType,
        resource_id: entry.resourceId,
        before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
        after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
        at: at.toISOString(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return Number(row.id);
  },

  /** Reads audit entries, newest first. */
  async list(db: Kysely<Database>, filter: AuditFilter): Promise<{ items: AuditRecord[]; total: number }> {
    let query = db.selectFrom("audit_log");
    if (filter.projectKey) query = query.where("project_key", "=", filter.projectKey);
    if (filter.resourceType) query = query.where("resource_type", "=", filter.resourceType);
    if (filter.resourceId) query = query.where("resource_id", "=", filter.resourceId);
    if (filter.actor) {
      // LIKE's wildcards in the filter are matched literally.
      const pattern = `%${filter.actor.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where(sql<boolean>`lower(actor) like ${pattern} escape '\\'`);
    }
    // `at` is stored as toISOString() text, so text order is time order.
    if (filter.from) query = query.where("at", ">=", filter.from);
    if (filter.to) query = query.where("at", "<", filter.to);
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy("id", "desc").limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow(),
    ]);
    return {
      total: Number(count.total),
      items: rows.map((row) => ({
        id: row.id,
        projectKey: row.project_key,
        actor: row.actor,
        action: row.action,
        resourceType: row.resource_type,
        resourceId: row.resource_id,
        before: row.before_json === null ? null : JSON.parse(row.before_json),
        after: row.after_json === null ? null : JSON.parse(row.after_json),
        at: row.at,
      })),
    };
  },
};
