import type { Kysely, Selectable } from "kysely";
import type { SqlDialect } from "../storage/database.js";
import type { Database } from "../storage/schema.js";

export type IterationStatus = "not_started" | "running" | "stopped";

/** An experiment row: one EXPERIMENTATION rule of a flag in one environment. */
export interface ExperimentRecord {
  id: number;
  projectKey: string;
  environmentKey: string;
  flagId: number;
  ruleId: number;
  key: string;
  name: string;
  description: string;
  maintainerId: string | null;
  source: "kameleoon" | "launchdarkly";
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string | null;
}

/** A treatment as stored: the variation is kept by its numeric id (stable across renames). */
export interface StoredTreatment {
  _id: string;
  name: string;
  baseline: boolean;
  allocationPercent: number;
  flagKey: string;
  variationId: number;
}

/** A metric of an iteration, kept by goal id (a metric key may change). */
export interface StoredMetric {
  goalId: number;
  primary: boolean;
}

export interface IterationRecord {
  /** null for the iteration read from a rule that the LaunchDarkly API never touched. */
  id: number | null;
  experimentId: number;
  status: IterationStatus;
  hypothesis: string;
  canReshuffleTraffic: boolean;
  randomizationUnit: string;
  attributes: string[];
  metrics: StoredMetric[];
  treatments: StoredTreatment[];
  ruleId: number;
  flagConfigVersion: number;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  winningTreatmentId: string | null;
  winningReason: string | null;
  changeJustification: string | null;
}

type ExperimentRow = Selectable<Database["experiments"]>;
type IterationRow = Selectable<Database["experiment_iterations"]>;

function toExperiment(row: ExperimentRow): ExperimentRecord {
  return {
    id: Number(row.id),
    projectKey: row.project_key,
    environmentKey: row.environment_key,
    flagId: Number(row.flag_id),
    ruleId: Number(row.rule_id),
    key: row.key,
    name: row.name,
    description: row.description,
    maintainerId: row.maintainer_id,
    source: row.source === "launchdarkly" ? "launchdarkly" : "kameleoon",
    archivedAt: row.archived_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const nullableNumber = (value: number | null) => (value === null ? null : Number(value));

function toIteration(row: IterationRow): IterationRecord {
  return {
    id: Number(row.id),
    experimentId: Number(row.experiment_id),
    status: row.status as IterationStatus,
    hypothesis: row.hypothesis,
    canReshuffleTraffic: Boolean(row.can_reshuffle_traffic),
    randomizationUnit: row.randomization_unit,
    attributes: JSON.parse(row.attributes) as string[],
    metrics: JSON.parse(row.metrics) as StoredMetric[],
    treatments: JSON.parse(row.treatments) as StoredTreatment[],
    ruleId: Number(row.rule_id),
    flagConfigVersion: Number(row.flag_config_version),
    createdAt: Number(row.created_at),
    startedAt: nullableNumber(row.started_at),
    endedAt: nullableNumber(row.ended_at),
    winningTreatmentId: row.winning_treatment_id,
    winningReason: row.winning_reason,
    changeJustification: row.change_justification,
  };
}

export type NewIteration = Omit<IterationRecord, "id">;

/** Reads and writes experiments and their iterations. */
export const experimentsStore = {
  async find(
    db: Kysely<Database>,
    projectKey: string,
    environmentKey: string,
    key: string,
    lock?: SqlDialect,
  ): Promise<ExperimentRecord | undefined> {
    let query = db
      .selectFrom("experiments")
      .selectAll()
      .where("project_key", "=", projectKey)
      .where("environment_key", "=", environmentKey)
      .where("key", "=", key);
    if (lock === "postgres") query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row && toExperiment(row as ExperimentRow);
  },

  async findById(db: Kysely<Database>, id: number): Promise<ExperimentRecord | undefined> {
    const row = await db.selectFrom("experiments").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toExperiment(row as ExperimentRow);
  },

  async findByRule(db: Kysely<Database>, ruleId: number): Promise<ExperimentRecord | undefined> {
    const row = await db
      .selectFrom("experiments")
      .selectAll()
      .where("rule_id", "=", ruleId)
      .executeTakeFirst();
    return row && toExperiment(row as ExperimentRow);
  },

  async inEnvironment(
    db: Kysely<Database>,
    projectKey: string,
    environmentKey: string,
  ): Promise<ExperimentRecord[]> {
    const rows = await db
      .selectFrom("experiments")
      .selectAll()
      .where("project_key", "=", projectKey)
      .where("environment_key", "=", environmentKey)
      .orderBy("id")
      .execute();
    return rows.map((row) => toExperiment(row as ExperimentRow));
  },

  async inProject(db: Kysely<Database>, projectKey: string): Promise<ExperimentRecord[]> {
    const rows = await db
      .selectFrom("experiments")
      .selectAll()
      .where("project_key", "=", projectKey)
      .orderBy("id")
      .execute();
    return rows.map((row) => toExperiment(row as ExperimentRow));
  },

  async keyTaken(db: Kysely<Database>, projectKey: string, environmentKey: string, key: string) {
    const row = await db
      .selectFrom("experiments")
      .select("id")
      .where("project_key", "=", projectKey)
      .where("environment_key", "=", environmentKey)
      .where("key", "=", key)
      .executeTakeFirst();
    return row === undefined ? undefined : Number(row.id);
  },

  async update(
    db: Kysely<Database>,
    id: number,
    fields: Partial<
      Pick<ExperimentRecord, "key" | "name" | "description" | "maintainerId" | "source" | "archivedAt">
    > & { updatedAt: string },
  ): Promise<void> {
    const set: Record<string, unknown> = { updated_at: fields.updatedAt };
    if (fields.key !== undefined) set.key = fields.key;
    if (fields.name !== undefined) set.name = fields.name;
    if (fields.description !== undefined) set.description = fields.description;
    if (fields.maintainerId !== undefined) set.maintainer_id = fields.maintainerId;
    if (fields.source !== undefined) set.source = fields.source;
    if (fields.archivedAt !== undefined) set.archived_at = fields.archivedAt;
    await db.updateTable("experiments").set(set).where("id", "=", id).execute();
  },

  /** Iterations of the given experiments, oldest first. */
  async iterations(db: Kysely<Database>, experimentIds: number[]): Promise<IterationRecord[]> {
    if (experimentIds.length === 0) return [];
    const rows = await db
      .selectFrom("experiment_iterations")
      .selectAll()
      .where("experiment_id", "in", experimentIds)
      .orderBy("id")
      .execute();
    return rows.map((row) => toIteration(row as IterationRow));
  },

  async insertIteration(db: Kysely<Database>, iteration: NewIteration): Promise<number> {
    const row = await db
      .insertInto("experiment_iterations")
      .values({
        experiment_id: iteration.experimentId,
        status: iteration.status,
        hypothesis: iteration.hypothesis,
        can_reshuffle_traffic: iteration.canReshuffleTraffic ? 1 : 0,
        randomization_unit: iteration.randomizationUnit,
        attributes: JSON.stringify(iteration.attributes),
        metrics: JSON.stringify(iteration.metrics),
        treatments: JSON.stringify(iteration.treatments),
        rule_id: iteration.ruleId,
        flag_config_version: iteration.flagConfigVersion,
        created_at: iteration.createdAt,
        started_at: iteration.startedAt,
        ended_at: iteration.endedAt,
        winning_treatment_id: iteration.winningTreatmentId,
        winning_reason: iteration.winningReason,
        change_justification: iteration.changeJustification,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return Number(row.id);
  },

  async deleteIteration(db: Kysely<Database>, id: number): Promise<void> {
    await db.deleteFrom("experiment_iterations").where("id", "=", id).execute();
  },

  /**
   * Moves an iteration from one status to another; false when it was no longer in `from` (a concurrent
   * change won), so callers answer 409.
   */
  async transition(
    db: Kysely<Database>,
    id: number,
    from: IterationStatus,
    to: IterationStatus,
    fields: {
      startedAt?: number;
      endedAt?: number;
      winningTreatmentId?: string | null;
      winningReason?: string | null;
      changeJustification?: string | null;
    },
  ): Promise<boolean> {
    const set: Record<string, unknown> = { status: to };
    if (fields.startedAt !== undefined) set.started_at = fields.startedAt;
    if (fields.endedAt !== undefined) set.ended_at = fields.endedAt;
    if (fields.winningTreatmentId !== undefined) set.winning_treatment_id = fields.winningTreatmentId;
    if (fields.winningReason !== undefined) set.winning_reason = fields.winningReason;
    if (fields.changeJustification !== undefined) set.change_justification = fields.changeJustification;
    const result = await db
      .updateTable("experiment_iterations")
      .set(set)
      .where("id", "=", id)
      .where("status", "=", from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },
};

/** The iterations of one experiment seen as LaunchDarkly shows them. */
export interface IterationSet {
  /** The latest started iteration, else the draft. */
  current: IterationRecord | undefined;
  /** The iteration not started yet, if any. */
  draft: IterationRecord | undefined;
  /** Started iterations before the current one, newest first. */
  previous: IterationRecord[];
  all: IterationRecord[];
}

export function iterationSet(iterations: IterationRecord[]): IterationSet {
  const started = iterations.filter((i) => i.status !== "not_started");
  const draft = iterations.filter((i) => i.status === "not_started").at(-1);
  const current = started.at(-1) ?? draft;
  const previous = started.slice(0, -1).reverse();
  return { current, draft, previous, all: iterations };
}
