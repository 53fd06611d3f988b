import { CompiledQuery, type Kysely, sql } from "kysely";
import type { SqlDialect } from "../storage/database.js";
import type { Database } from "../storage/schema.js";
import type { DraftFlag, FlagMeta, FlagRecord, Health, StoredFlag } from "./flags.document.js";
import { type EnvironmentStates, environmentStatesOf } from "./flags.tables.js";

type FlagRow = Database["flags"] & { id: number };

/** Separates environment keys in the aggregated column (keys are [A-Za-z0-9._-]). */
const UNIT_SEPARATOR = "\x1f";
const READ_SQL: Record<SqlDialect, string> = {
  sqlite: `select flags.*, (select group_concat(key, char(31) order by position) from environments
      where environments.project_key = flags.project_key) as environment_keys
    from flags where project_key = ? and feature_key = ?`,
  postgres: `select flags.*, (select string_agg(key, chr(31) order by position) from environments
      where environments.project_key = flags.project_key) as environment_keys
    from flags where project_key = $1 and feature_key = $2`,
};

// What decides whether a cached view of the flag is still the flag (flags.view-cache.ts): id, version and
// the project's environment keys, without the document.
const PROBE_SQL: Record<SqlDialect, string> = {
  sqlite: `select id, version, (select group_concat(key, char(31) order by position) from environments
      where environments.project_key = flags.project_key) as environment_keys
    from flags where project_key = ? and feature_key = ?`,
  postgres: `select id, version, (select string_agg(key, chr(31) order by position) from environments
      where environments.project_key = flags.project_key) as environment_keys
    from flags where project_key = $1 and feature_key = $2`,
};

/** A flag's identity and version for the GET path, with its project's environment keys joined by U+001F. */
export interface FlagProbe {
  id: number;
  version: number;
  environments: string;
}

/** The columns lists read (everything but the document). */
export interface FlagSummary {
  id: number;
  projectKey: string;
  featureKey: string;
  name: string;
  description: string;
  tags: string[];
  health: Health;
  archived: boolean;
  version: number;
  dateCreated: string;
  dateModified: string;
  dateContentModified: string;
  /** On/off and rule types per environment key. */
  environments: EnvironmentStates;
}

function toMeta(row: Omit<FlagRow, "document">): FlagMeta {
  return {
    id: Number(row.id),
    projectKey: row.project_key,
    health: row.health as Health,
    archived: Boolean(row.archived),
    version: row.version,
    createdById: row.created_by_id === null ? null : Number(row.created_by_id),
    dateCreated: row.date_created,
    dateModified: row.date_modified,
    dateContentModified: row.date_content_modified,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until,
  };
}

export function toRecord(row: FlagRow): FlagRecord {
  return { meta: toMeta(row), doc: JSON.parse(row.document) as StoredFlag };
}

/** The row columns a document change writes. */
export interface FlagWrite {
  featureKey: string;
  name: string;
  description: string;
  tags: string[];
  health: Health;
  archived: boolean;
  version: number;
  document: StoredFlag;
  dateModified: string;
  dateContentModified: string;
}

/** Reads and writes flags, their id tables and references. */
export const flagsStore = {
  async findByKey(
    db: Kysely<Database>,
    projectKey: string,
    featureKey: string,
    lock?: SqlDialect,
  ): Promise<FlagRecord | undefined> {
    let query = db
      .selectFrom("flags")
      .selectAll()
      .where("project_key", "=", projectKey)
      .where("feature_key", "=", featureKey);
    if (lock === "postgres") query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row && toRecord(row as FlagRow);
  },

  /**
   * The GET path: the flag row and its project's environment keys (in order) in one indexed query, sent as
   * precompiled SQL so no query builder runs per request.
   */
  async findForRead(
    db: Kysely<Database>,
    dialect: SqlDialect,
    projectKey: string,
    featureKey: string,
  ): Promise<{ record: FlagRecord; environmentKeys: string[] } | undefined> {
    const result = await db.executeQuery<FlagRow & { environment_keys: string | null }>(
      CompiledQuery.raw(READ_SQL[dialect], [projectKey, featureKey]),
    );
    const row = result.rows[0];
    if (!row) return undefined;
    return {
      record: toRecord(row),
      environmentKeys: row.environment_keys ? row.environment_keys.split(UNIT_SEPARATOR) : [],
    };
  },

  /** The GET path's cheap first query: what a cached view must match (see PROBE_SQL). */
  async probe(
    db: Kysely<Database>,
    dialect: SqlDialect,
    projectKey: string,
    featureKey: string,
  ): Promise<FlagProbe | undefined> {
    const result = await db.executeQuery<{ id: number; version: number; environment_keys: string | null }>(
      CompiledQuery.raw(PROBE_SQL[dialect], [projectKey, featureKey]),
    );
    const row = result.rows[0];
    if (!row) return undefined;
    return { id: Number(row.id), version: Number(row.version), environments: row.environment_keys ?? "" };
  },

  async findById(db: Kysely<Database>, id: number, lock?: SqlDialect): Promise<FlagRecord | undefined> {
    let query = db.selectFrom("flags").selectAll().where("id", "=", id);
    if (lock === "postgres") query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row && toRecord(row as FlagRow);
  },

  async keyExists(db: Kysely<Database>, projectKey: string, featureKey: string): Promise<boolean> {
    const row = await db
      .selectFrom("flags")
      .select("id")
      .where("project_key", "=", projectKey)
      .where("feature_key", "=", featureKey)
      .executeTakeFirst();
    return row !== undefined;
  },

  /** Feature keys of the project that start with `prefix` (to find a free `<key>-copy-N`). */
  async keysStartingWith(db: Kysely<Database>, projectKey: string, prefix: string): Promise<Set<string>> {
    const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
    const rows = await db
      .selectFrom("flags")
      .select("feature_key")
      .where("project_key", "=", projectKey)
      .where(sql<boolean>`feature_key like ${`${escaped}%`} escape '\\'`)
      .execute();
    return new Set(rows.map((r) => r.feature_key));
  },

  /** Inserts the row (with an empty document) and returns its id; the document is written by `update`. */
  async insert(
    db: Kysely<Database>,
    projectKey: string,
    write: FlagWrite,
    createdById: number | null,
    dateCreated: string,
  ): Promise<number> {
    const row = await db
      .insertInto("flags")
      .values({
        project_key: projectKey,
        feature_key: write.featureKey,
        name: write.name,
        description: write.description,
        tags: JSON.stringify(write.tags),
        health: write.health,
        archived: write.archived ? 1 : 0,
        version: write.version,
        document: "{}",
        environment_states: "{}",
        created_by_id: createdById,
        date_created: dateCreated,
        date_modified: write.dateModified,
        date_content_modified: write.dateContentModified,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return Number(row.id);
  },

  async update(db: Kysely<Database>, id: number, write: FlagWrite): Promise<void> {
    await db
      .updateTable("flags")
      .set({
        feature_key: write.featureKey,
        name: write.name,
        description: write.description,
        tags: JSON.stringify(write.tags),
        health: write.health,
        archived: write.archived ? 1 : 0,
        version: write.version,
        document: JSON.stringify(write.document),
        environment_states: JSON.stringify(environmentStatesOf(write.document)),
        date_modified: write.dateModified,
        date_content_modified: write.dateContentModified,
      })
      .where("id", "=", id)
      .execute();
  },

  async delete(db: Kysely<Database>, id: number): Promise<void> {
    // Children first: SQLite enforces the cascades only with foreign_keys on, PostgreSQL always.
    await db.deleteFrom("flag_references").where("flag_id", "=", id).execute();
    await db.deleteFrom("flag_rules").where("flag_id", "=", id).execute();
    await db.deleteFrom("flag_variations").where("flag_id", "=", id).execute();
    await db.deleteFrom("experiments").where("flag_id", "=", id).execute();
    await db.deleteFrom("flags").where("id", "=", id).execute();
  },

  /**
   * Gives every new variation (id 0) and rule (id 0) of a draft its id, drops the rule rows the draft no
   * longer has, and links each EXPERIMENTATION rule to an experiment (creating it when needed).
   */
  async allocateIds(db: Kysely<Database>, flagId: number, projectKey: string, draft: DraftFlag, now: string) {
    const known = await db
      .selectFrom("flag_variations")
      .select(["id", "key"])
      .where("flag_id", "=", flagId)
      .execute();
    const variationIds = new Map(known.map((r) => [r.key, Number(r.id)]));
    for (const variation of draft.variations) {
      let id = variationIds.get(variation.key);
      if (id === undefined) {
        const row = await db
          .insertInto("flag_variations")
          .values({ flag_id: flagId, key: variation.key })
          .returning("id")
          .executeTakeFirstOrThrow();
        id = Number(row.id);
      }
      variation.id = id;
    }

    const kept: number[] = [];
    for (const environment of draft.environmentConfigurations) {
      for (const rule of environment.rolloutRules) {
        if (rule.id === 0) {
          const row = await db
            .insertInto("flag_rules")
            .values({ flag_id: flagId, environment_key: environment.environmentKey })
            .returning("id")
            .executeTakeFirstOrThrow();
          rule.id = Number(row.id);
        }
        kept.push(rule.id);
      }
    }
    let stale = db.deleteFrom("flag_rules").where("flag_id", "=", flagId);
    if (kept.length > 0) stale = stale.where("id", "not in", kept);
    await stale.execute();

    for (const environment of draft.environmentConfigurations) {
      for (const rule of environment.rolloutRules) {
        if (rule.type !== "EXPERIMENTATION" || rule.experimentId !== undefined) continue;
        const existing = await db
          .selectFrom("experiments")
          .select("id")
          .where("rule_id", "=", rule.id)
          .executeTakeFirst();
        if (existing) {
          rule.experimentId = Number(existing.id);
          continue;
        }
        const row = await db
          .insertInto("experiments")
          .values({
            project_key: projectKey,
            environment_key: environment.environmentKey,
            flag_id: flagId,
            rule_id: rule.id,
            key: `${draft.featureKey}-${rule.id}`,
            created_at: now,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        rule.experimentId = Number(row.id);
      }
    }
  },

  /** Rewrites the segment and goal references of a flag. */
  async syncReferences(db: Kysely<Database>, flagId: number, doc: StoredFlag): Promise<void> {
    await db.deleteFrom("flag_references").where("flag_id", "=", flagId).execute();
    const rows: Database["flag_references"][] = [];
    if (doc.primaryGoalId !== undefined) {
      rows.push({ flag_id: flagId, kind: "goal", ref_id: doc.primaryGoalId, detail: "primaryGoalId" });
    }
    for (const goalId of doc.secondaryGoalIds) {
      rows.push({ flag_id: flagId, kind: "goal", ref_id: goalId, detail: "secondaryGoalIds" });
    }
    for (const environment of doc.environmentConfigurations) {
      for (const rule of environment.rolloutRules) {
        const where = `rule ${rule.id} (${environment.environmentKey})`;
        if (rule.segmentId !== undefined) {
          rows.push({ flag_id: flagId, kind: "segment", ref_id: rule.segmentId, detail: where });
        }
        for (const condition of rule.rollbackConditions) {
          rows.push({
            flag_id: flagId,
            kind: "goal",
            ref_id: condition.goalId,
            detail: `rollback condition ${condition.id} of ${where}`,
          });
        }
      }
    }
    if (rows.length > 0) await db.insertInto("flag_references").values(rows).execute();
  },

  /** Which flags use a segment or goal, and where. */
  async usersOf(
    db: Kysely<Database>,
    kind: "segment" | "goal",
    refId: number,
  ): Promise<
    { flagId: number; projectKey: string; featureKey: string; archived: boolean; detail: string }[]
  > {
    const rows = await db
      .selectFrom("flag_references")
      .innerJoin("flags", "flags.id", "flag_references.flag_id")
      .select([
        "flags.id as flagId",
        "flags.project_key as projectKey",
        "flags.feature_key as featureKey",
        "flags.archived as archived",
        "flag_references.detail as detail",
      ])
      .where("flag_references.kind", "=", kind)
      .where("flag_references.ref_id", "=", refId)
      .orderBy("flags.id")
      .execute();
    return rows.map((r) => ({ ...r, flagId: Number(r.flagId), archived: Boolean(r.archived) }));
  },

  /** The ids of the segments or goals the project's flags use directly. */
  async referencedIds(db: Kysely<Database>, projectKey: string, kind: "segment" | "goal"): Promise<number[]> {
    const rows = await db
      .selectFrom("flag_references")
      .innerJoin("flags", "flags.id", "flag_references.flag_id")
      .select("flag_references.ref_id")
      .distinct()
      .where("flags.project_key", "=", projectKey)
      .where("flag_references.kind", "=", kind)
      .execute();
    return rows.map((r) => Number(r.ref_id));
  },

  /** The flag and environment of a rule. */
  async ruleLocation(
    db: Kysely<Database>,
    ruleId: number,
  ): Promise<{ flagId: number; environmentKey: string } | undefined> {
    const row = await db
      .selectFrom("flag_rules")
      .select(["flag_id", "environment_key"])
      .where("id", "=", ruleId)
      .executeTakeFirst();
    return row && { flagId: Number(row.flag_id), environmentKey: row.environment_key };
  },

  /** List columns of the flags in the given projects (null = all), optionally only (non-)archived ones. */
  async summaries(
    db: Kysely<Database>,
    projectKeys: string[] | null,
    archived: boolean | undefined,
  ): Promise<FlagSummary[]> {
    let query = db
      .selectFrom("flags")
      .select([
        "id",
        "project_key",
        "feature_key",
        "name",
        "description",
        "tags",
        "health",
        "archived",
        "version",
        "date_created",
        "date_modified",
        "date_content_modified",
        "environment_states",
      ]);
    if (projectKeys !== null) {
      if (projectKeys.length === 0) return [];
      query = query.where("project_key", "in", projectKeys);
    }
    if (archived !== undefined) query = query.where("archived", "=", archived ? 1 : 0);
    const rows = await query.orderBy("id").execute();
    return rows.map((row) => ({
      id: Number(row.id),
      projectKey: row.project_key,
      featureKey: row.feature_key,
      name: row.name,
      description: row.description,
      tags: JSON.parse(row.tags) as string[],
      health: row.health as Health,
      archived: Boolean(row.archived),
      version: row.version,
      dateCreated: row.date_created,
      dateModified: row.date_modified,
      dateContentModified: row.date_content_modified,
      environments: JSON.parse(row.environment_states) as EnvironmentStates,
    }));
  },

  async findByIds(db: Kysely<Database>, ids: number[]): Promise<FlagRecord[]> {
    if (ids.length === 0) return [];
    const rows = await db.selectFrom("flags").selectAll().where("id", "in", ids).execute();
    return rows.map((row) => toRecord(row as FlagRow));
  },

  /** Every non-archived flag of a project (compiled payloads). */
  async activeInProject(db: Kysely<Database>, projectKey: string): Promise<FlagRecord[]> {
    const rows = await db
      .selectFrom("flags")
      .selectAll()
      .where("project_key", "=", projectKey)
      .where("archived", "=", 0)
      .orderBy("id")
      .execute();
    return rows.map((row) => toRecord(row as FlagRow));
  },

  /** Takes the automation lock unless another holder has it; true when taken. */
  async tryLock(
    db: Kysely<Database>,
    id: number,
    holder: string,
    now: string,
    until: string,
  ): Promise<boolean> {
    const result = await db
      .updateTable("flags")
      .set({ locked_by: holder, locked_until: until })
      .where("id", "=", id)
      .where((eb) =>
        eb.or([eb("locked_by", "is", null), eb("locked_until", "<=", now), eb("locked_by", "=", holder)]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  async unlock(db: Kysely<Database>, id: number, holder: string): Promise<void> {
    await db
      .updateTable("flags")
      .set({ locked_by: null, locked_until: null })
      .where("id", "=", id)
      .where("locked_by", "=", holder)
      .execute();
  },

  async lockOf(db: Kysely<Database>, id: number) {
    return db
      .selectFrom("flags")
      .select(["locked_by", "locked_until"])
      .where("id", "=", id)
      .executeTakeFirst();
  },
};
