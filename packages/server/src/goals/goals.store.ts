import type { CappingSettings } from "@vexil/stats";
import type { Kysely } from "kysely";
import type { SqlDialect } from "../storage/database.js";
import type { Database } from "../storage/schema.js";

export type GoalKind = "custom" | "pageview" | "click";

export interface Goal {
  id: number;
  projectKey: string;
  /** Unique in the project; LaunchDarkly's metricKey. */
  key: string;
  name: string;
  description: string;
  kind: GoalKind;
  eventKey: string;
  isNumeric: boolean;
  unit: string | null;
  successCriteria: "HigherThanBaseline" | "LowerThanBaseline";
  unitAggregationType: "sum" | "average";
  hasMultipleConversions: boolean;
  tags: string[];
  /** Winsorisation of the per-unit values in every analysis of the goal (numeric goals only). */
  capping: CappingSettings;
  dateCreated: string;
  dateModified: string;
}

type GoalRow = Database["goals"] & { id: number };

function toGoal(row: GoalRow): Goal {
  return {
    id: Number(row.id),
    projectKey: row.project_key,
    key: row.key,
    name: row.name,
    description: row.description,
    kind: row.kind as GoalKind,
    eventKey: row.event_key,
    isNumeric: Boolean(row.is_numeric),
    unit: row.unit,
    successCriteria: row.success_criteria as Goal["successCriteria"],
    unitAggregationType: row.unit_aggregation_type as Goal["unitAggregationType"],
    hasMultipleConversions: Boolean(row.has_multiple_conversions),
    tags: JSON.parse(row.tags) as string[],
    capping:
      (row.capping_type === "absolute" || row.capping_type === "percentile") && row.capping_value !== null
        ? { type: row.capping_type, value: Number(row.capping_value) }
        : { type: "none" },
    dateCreated: row.date_created,
    dateModified: row.date_modified,
  };
}

function columns(goal: Omit<Goal, "id" | "projectKey" | "dateCreated">) {
  return {
    key: goal.key,
    name: goal.name,
    description: goal.description,
    kind: goal.kind,
    event_key: goal.eventKey,
    is_numeric: goal.isNumeric ? 1 : 0,
    unit: goal.unit,
    success_criteria: goal.successCriteria,
    unit_aggregation_type: goal.unitAggregationType,
    has_multiple_conversions: goal.hasMultipleConversions ? 1 : 0,
    tags: JSON.stringify(goal.tags),
    capping_type: goal.capping.type,
    capping_value: goal.capping.type === "none" ? null : goal.capping.value,
    date_modified: goal.dateModified,
  };
}

/** Reads and writes goals (metrics). Other capabilities look goals up through here. */
export const goalsStore = {
  async findById(db: Kysely<Database>, id: number, lock?: SqlDialect): Promise<Goal | undefined> {
    let query = db.selectFrom("goals").selectAll().where("id", "=", id);
    if (lock === "postgres") query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row && toGoal(row as GoalRow);
  },

  async findByKey(db: Kysely<Database>, projectKey: string, key: string): Promise<Goal | undefined> {
    const row = await db
      .selectFrom("goals")
      .selectAll()
      .where("project_key", "=", projectKey)
      .where("key", "=", key)
      .executeTakeFirst();
    return row && toGoal(row as GoalRow);
  },

  async findByIds(db: Kysely<Database>, ids: number[]): Promise<Goal[]> {
    if (ids.length === 0) return [];
    const rows = await db.selectFrom("goals").selectAll().where("id", "in", ids).orderBy("id").execute();
    return rows.map((row) => toGoal(row as GoalRow));
  },

  /** Goals of the given projects (null = every project). */
  async list(db: Kysely<Database>, projectKeys: string[] | null): Promise<Goal[]> {
    let query = db.selectFrom("goals").selectAll();
    if (projectKeys !== null) {
      if (projectKeys.length === 0) return [];
      query = query.where("project_key", "in", projectKeys);
    }
    return (await query.orderBy("id").execute()).map((row) => toGoal(row as GoalRow));
  },

  /** Which of `ids` are goals of the project. */
  async existing(db: Kysely<Database>, projectKey: string, ids: number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await db
      .selectFrom("goals")
      .select("id")
      .where("project_key", "=", projectKey)
      .where("id", "in", ids)
      .execute();
    return new Set(rows.map((r) => Number(r.id)));
  },

  async keys(db: Kysely<Database>, projectKey: string): Promise<Set<string>> {
    const rows = await db.selectFrom("goals").select("key").where("project_key", "=", projectKey).execute();
    return new Set(rows.map((r) => r.key));
  },

  async insert(db: Kysely<Database>, goal: Omit<Goal, "id">): Promise<number> {
    const row = await db
      .insertInto("goals")
      .values({ project_key: goal.projectKey, date_created: goal.dateCreated, ...columns(goal) })
      .returning("id")
      .executeTakeFirstOrThrow();
    return Number(row.id);
  },

  async update(db: Kysely<Database>, goal: Goal): Promise<void> {
    await db.updateTable("goals").set(columns(goal)).where("id", "=", goal.id).execute();
  },

  async delete(db: Kysely<Database>, id: number): Promise<void> {
    await db.deleteFrom("goals").where("id", "=", id).execute();
  },
};
