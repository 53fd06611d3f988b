import type { ConditionTree } from "@vexil/engine";
import type { Kysely } from "kysely";
import type { SqlDialect } from "../storage/database.js";
import type { Database } from "../storage/schema.js";

export interface SegmentRecord {
  id: number;
  projectKey: string;
  name: string;
  description: string;
  tags: string[];
  condition: ConditionTree | null;
  included: string[];
  excluded: string[];
  version: number;
  dateCreated: string;
  dateModified: string;
}

type SegmentRow = Database["segments"] & { id: number };

function toRecord(row: SegmentRow): SegmentRecord {
  return {
    id: Number(row.id),
    projectKey: row.project_key,
    name: row.name,
    description: row.description,
    tags: JSON.parse(row.tags) as string[],
    condition: row.condition === null ? null : (JSON.parse(row.condition) as ConditionTree),
    included: JSON.parse(row.included) as string[],
    excluded: JSON.parse(row.excluded) as string[],
    version: row.version,
    dateCreated: row.date_created,
    dateModified: row.date_modified,
  };
}

function columns(segment: Omit<SegmentRecord, "id" | "projectKey" | "dateCreated">) {
  return {
    name: segment.name,
    description: segment.description,
    tags: JSON.stringify(segment.tags),
    condition: segment.condition === null ? null : JSON.stringify(segment.condition),
    included: JSON.stringify(segment.included),
    excluded: JSON.stringify(segment.excluded),
    version: segment.version,
    date_modified: segment.dateModified,
  };
}

/** Reads and writes segments. */
export const segmentsStore = {
  async find(db: Kysely<Database>, id: number, lock?: SqlDialect): Promise<SegmentRecord | undefined> {
    let query = db.selectFrom("segments").selectAll().where("id", "=", id);
    if (lock === "postgres") query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row && toRecord(row as SegmentRow);
  },

  async list(db: Kysely<Database>, projectKey: string): Promise<SegmentRecord[]> {
    const rows = await db
      .selectFrom("segments")
      .selectAll()
      .where("project_key", "=", projectKey)
      .orderBy("id")
      .execute();
    return rows.map((row) => toRecord(row as SegmentRow));
  },

  async listIn(db: Kysely<Database>, projectKeys: string[] | null): Promise<SegmentRecord[]> {
    let query = db.selectFrom("segments").selectAll();
    if (projectKeys !== null) {
      if (projectKeys.length === 0) return [];
      query = query.where("project_key", "in", projectKeys);
    }
    return (await query.orderBy("id").execute()).map((row) => toRecord(row as SegmentRow));
  },

  /** Which of `ids` are segments of the project. */
  async existing(db: Kysely<Database>, projectKey: string, ids: number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await db
      .selectFrom("segments")
      .select("id")
      .where("project_key", "=", projectKey)
      .where("id", "in", ids)
      .execute();
    return new Set(rows.map((r) => Number(r.id)));
  },

  async insert(db: Kysely<Database>, segment: Omit<SegmentRecord, "id">): Promise<number> {
    const row = await db
      .insertInto("segments")
      .values({ project_key: segment.projectKey, date_created: segment.dateCreated, ...columns(segment) })
      .returning("id")
      .executeTakeFirstOrThrow();
    return Number(row.id);
  },

  async update(db: Kysely<Database>, segment: SegmentRecord): Promise<void> {
    await db.updateTable("segments").set(columns(segment)).where("id", "=", segment.id).execute();
  },

  async delete(db: Kysely<Database>, id: number): Promise<void> {
    await db.deleteFrom("segments").where("id", "=", id).execute();
  },
};
