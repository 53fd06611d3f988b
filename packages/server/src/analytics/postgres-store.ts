/**
 * Analytics store on PostgreSQL (with `VEXIL_DATABASE_URL`), shared by every replica.
 *
 * Both event tables are PARTITIONED BY RANGE on time, one partition per UTC day, created on demand
 * before an insert needs it; retention drops whole days instead of deleting rows. A batch is one
 * COPY per table (postgres-copy.ts), in the same transaction as its payload id (INSERT ... ON CONFLICT DO NOTHING), so a retried payload is stored exactly once even when
 * two replicas receive it at the same moment. Indexes serve the aggregation's two access paths: exposures
 * by flag and time, conversions by goal and unit key.
 */
import pg from "pg";
import { postgresDialect } from "./aggregation-dialects.js";
import {
  buildRegressionSql,
  type RegressionSqlRow,
  toRegressionGroups,
} from "./aggregation-regression-sql.js";
import { aggregateOneGoal, toUnitGroups } from "./aggregation-rows.js";
import { type AggregationSqlRow, buildAggregationSql } from "./aggregation-sql.js";
import {
  type AggregationQuery,
  type AggregationResult,
  type AnalyticsEvent,
  type AnalyticsStore,
  type AppendResult,
  DAY_MS,
  type EventCount,
  type EventCountFilter,
  type ExperimentDataScope,
  type GoalBaseline,
  type GoalBaselineQuery,
  type GoalsAggregationQuery,
  type RegressionAggregationQuery,
  type RegressionGroupStats,
  type RuleOutcome,
  type RuleOutcomeRequest,
  type RuleOutcomesOptions,
  type UnitGroupStats,
} from "./analytics-store.js";
import {
  CONVERSION_COLUMNS,
  CONVERSIONS_TABLE,
  type ColumnKind,
  type EventColumn,
  type EventsByKind,
  EXPOSURE_COLUMNS,
  EXPOSURES_TABLE,
  PAYLOADS_TABLE,
  requireSafeInteger,
  splitValidatedEvents,
} from "./event-columns.js";
import { buildEventCountsSql, type EventCountsSqlRow } from "./event-counts-sql.js";
import { buildGoalBaselineSql, type GoalBaselineSqlRow } from "./goal-baseline-sql.js";
import { addMissingKeyHashes } from "./key-hash-upgrade.js";
import { copyRows } from "./postgres-copy.js";
import { buildRuleOutcomesSql, type RuleOutcomesSqlRow, toRuleOutcomes } from "./rule-outcomes-sql.js";
import type { SqlParameter } from "./sql-parameters.js";

export interface PostgresAnalyticsStoreOptions {
  connectionString: string;
  /** Pool size. Default 10. */
  maxConnections?: number;
  /** work_mem for aggregation statements: they hash or sort one row per unit. Default "256MB". */
  aggregationWorkMem?: string;
}

const PG_TYPE_NAMES: Record<ColumnKind, string> = {
  text: "text",
  bigint: "bigint",
  double: "double precision",
  boolean: "boolean",
  custom: "jsonb",
};

const PARTITIONED_TABLES = [EXPOSURES_TABLE, CONVERSIONS_TABLE] as const;

/** Serializes schema and partition DDL across replicas (pg_advisory_xact_lock keys). */
const SCHEMA_LOCK = 7_460_113_001;
const PARTITION_LOCK = 7_460_113_002;

const WORK_MEM_PATTERN = /^\d+\s*(kB|MB|GB)$/;

export async function openPostgresAnalyticsStore(
  options: PostgresAnalyticsStoreOptions,
): Promise<AnalyticsStore> {
  const workMem = options.aggregationWorkMem ?? "256MB";
  if (!WORK_MEM_PATTERN.test(workMem))
    throw new Error(`aggregationWorkMem must look like "256MB", got ${workMem}`);
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
  // An idle connection dropped by the server must not crash the process; the pool replaces it.
  pool.on("error", (error) => console.error(`vexil: idle PostgreSQL connection lost: ${error.message}`));
  try {
    await createSchema(pool);
    const partitions = new DailyPartitions(pool);
    await partitions.load();
    return new PostgresAnalyticsStore(pool, partitions, workMem);
  } catch (error) {
    await pool.end();
    throw error;
  }
}

function createTableSql<E>(table: string, columns: EventColumn<E>[]): string {
  const definitions = columns.map(
    (column) => `${column.name} ${PG_TYPE_NAMES[column.kind]}${column.nullable ? "" : " NOT NULL"}`,
  );
  return `CREATE TABLE IF NOT EXISTS ${table} (\n  ${definitions.join(",\n  ")}\n) PARTITION BY RANGE (time)`;
}

const SCHEMA_STATEMENTS = [
  createTableSql(EXPOSURES_TABLE, EXPOSURE_COLUMNS),
  `CREATE INDEX IF NOT EXISTS ${EXPOSURES_TABLE}_flag_time ON ${EXPOSURES_TABLE} (project_key, environment_key, feature_key, time)`,
  createTableSql(CONVERSIONS_TABLE, CONVERSION_COLUMNS),
  `CREATE TABLE IF NOT EXISTS ${PAYLOADS_TABLE} (
  payload_id text PRIMARY KEY,
  received_at bigint NOT NULL,
  event_count integer NOT NULL
)`,
  `CREATE INDEX IF NOT EXISTS ${PAYLOADS_TABLE}_received_at ON ${PAYLOADS_TABLE} (received_at)`,
];

/** Created after the key hash columns (which tables from before they existed only get in the upgrade). */
const KEY_HASH_INDEXES = [
  `CREATE INDEX IF NOT EXISTS ${CONVERSIONS_TABLE}_goal_visitor_hash ON ${CONVERSIONS_TABLE} (project_key, environment_key, goal_id, visitor_hash)`,
  `CREATE INDEX IF NOT EXISTS ${CONVERSIONS_TABLE}_goal_visit_hash ON ${CONVERSIONS_TABLE} (project_key, environment_key, goal_id, visit_hash)`,
];

async function createSchema(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock($1)", [SCHEMA_LOCK]);
    for (const statement of SCHEMA_STATEMENTS) await client.query(statement);
    await addMissingKeyHashes(
      {
        rows: async (sql, params) => (await client.query(sql, params)).rows,
        run: async (sql, params) => {
          await client.query(sql, params);
        },
      },
      { refillExisting: false },
    );
    // Conversions are joined on the key hashes since they exist; the text-key indexes are dead weight.
    await client.query(`DROP INDEX IF EXISTS ${CONVERSIONS_TABLE}_goal_visitor`);
    await client.query(`DROP INDEX IF EXISTS ${CONVERSIONS_TABLE}_goal_visit`);
    for (const statement of KEY_HASH_INDEXES) await client.query(statement);
  });
}

async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    client.release();
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    // A connection that failed mid-transaction is not trusted back into the pool.
    client.release(true);
    throw error;
  }
}

interface Partition {
  table: string;
  name: string;
  day: number;
}

/** The daily partitions of both event tables, known locally so most appends need no DDL. */
class DailyPartitions {
  private readonly known = new Set<string>();

  constructor(private readonly pool: pg.Pool) {}

  async load(): Promise<void> {
    this.known.clear();
    for (const partition of await this.list(this.pool)) this.known.add(partition.name);
  }

  /** Creates the missing partitions for these days (idempotent across replicas). */
  async ensure(days: Iterable<number>): Promise<void> {
    const missing = PARTITIONED_TABLES.flatMap((table) =>
      [...days].map((day) => ({ table, day, name: partitionName(table, day) })),
    ).filter((partition) => !this.known.has(partition.name));
    if (missing.length === 0) return;
    await inTransaction(this.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1)", [PARTITION_LOCK]);
      for (const partition of missing) await client.query(createPartitionSql(partition));
    });
    for (const partition of missing) this.known.add(partition.name);
  }

  /** Drops the partitions that end at or before `time`; answers the rows they held. */
  async dropBefore(client: pg.PoolClient, time: number): Promise<number> {
    await client.query("SELECT pg_advisory_xact_lock($1)", [PARTITION_LOCK]);
    let dropped = 0;
    for (const partition of await this.list(client)) {
      if ((partition.day + 1) * DAY_MS > time) continue;
      const counted = await client.query<{ count: string }>(
        `SELECT count(*) AS count FROM ${partition.name}`,
      );
      dropped += Number(counted.rows[0]?.count ?? 0);
      await client.query(`DROP TABLE ${partition.name}`);
      this.known.delete(partition.name);
    }
    return dropped;
  }

  private async list(queryable: pg.Pool | pg.PoolClient): Promise<Partition[]> {
    const result = await queryable.query<{ parent: string; name: string }>(
      `SELECT parent.relname AS parent, child.relname AS name
       FROM pg_inherits
       JOIN pg_class parent ON parent.oid = pg_inherits.inhparent
       JOIN pg_class child ON child.oid = pg_inherits.inhrelid
       JOIN pg_namespace ns ON ns.oid = parent.relnamespace
       WHERE parent.relname = ANY($1) AND ns.nspname = current_schema()`,
      [[...PARTITIONED_TABLES]],
    );
    return result.rows.flatMap((row) => {
      const day = partitionDay(row.parent, row.name);
      return day === null ? [] : [{ table: row.parent, name: row.name, day }];
    });
  }
}

/** `analytics_exposures_p20250120`: generated from an integer day, never from input text. */
function partitionName(table: string, day: number): string {
  return `${table}_p${new Date(day * DAY_MS).toISOString().slice(0, 10).replaceAll("-", "")}`;
}

function partitionDay(table: string, name: string): number | null {
  const match = new RegExp(`^${table}_p(\\d{4})(\\d{2})(\\d{2})$`).exec(name);
  if (!match) return null;
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
}

function createPartitionSql(partition: Partition): string {
  const from = partition.day * DAY_MS;
  return `CREATE TABLE IF NOT EXISTS ${partition.name} PARTITION OF ${partition.table} FOR VALUES FROM (${from}) TO (${from + DAY_MS})`;
}

function daysOf(events: EventsByKind): Set<number> {
  const days = new Set<number>();
  for (const event of events.exposures) days.add(Math.floor(event.time / DAY_MS));
  for (const event of events.conversions) days.add(Math.floor(event.time / DAY_MS));
  return days;
}

/** PostgreSQL's answer when no partition accepts a row (e.g. another replica's retention just dropped it). */
function isMissingPartition(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === "23514" && (message ?? "").includes("no partition");
}

class PostgresAnalyticsStore implements AnalyticsStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly partitions: DailyPartitions,
    private readonly workMem: string,
  ) {}

  async append(events: AnalyticsEvent[], payloadId?: string): Promise<AppendResult> {
    const split = splitValidatedEvents(events);
    const days = daysOf(split);
    await this.partitions.ensure(days);
    try {
      return await this.appendInTransaction(split, payloadId);
    } catch (error) {
      if (!isMissingPartition(error)) throw error;
      await this.partitions.load();
      await this.partitions.ensure(days);
      return this.appendInTransaction(split, payloadId);
    }
  }

  async aggregate(query: AggregationQuery): Promise<AggregationResult> {
    return aggregateOneGoal((goals) => this.aggregateGoals(goals), query);
  }

  async ruleOutcomes(requests: RuleOutcomeRequest[], options?: RuleOutcomesOptions): Promise<RuleOutcome[]> {
    const built = buildRuleOutcomesSql(requests, "postgres", options);
    if (!built) return [];
    const rows = await inTransaction(this.pool, async (client) => {
      await client.query(`SET LOCAL work_mem = '${this.workMem}'`);
      await client.query("SET LOCAL jit = off");
      // Set-based joins only, as in aggregateGoals: unanalyzed day partitions would invite nested loops.
      await client.query("SET LOCAL enable_nestloop = off");
      return (await client.query<RuleOutcomesSqlRow>(built.sql, built.params)).rows;
    });
    return toRuleOutcomes(rows);
  }

  async counts(filter: EventCountFilter): Promise<EventCount[]> {
    const { sql, params } = buildEventCountsSql(filter);
    const result = await this.pool.query<EventCountsSqlRow>(sql, params);
    return result.rows.map((row) => ({
      kind: row.kind,
      projectKey: row.project_key,
      environmentKey: row.environment_key,
      count: row.count,
    }));
  }

  async goalBaseline(query: GoalBaselineQuery): Promise<GoalBaseline> {
    const { sql, params } = buildGoalBaselineSql(query);
    const row = (await this.pool.query<GoalBaselineSqlRow>(sql, params)).rows[0];
    return {
      units: Number(row?.units ?? 0),
      convertedUnits: Number(row?.converted_units ?? 0),
      sum: Number(row?.sum ?? 0),
      m2: Number(row?.m2 ?? 0),
      cap: row?.cap === null || row?.cap === undefined ? null : Number(row.cap),
    };
  }

  async deleteOlderThan(time: number): Promise<number> {
    requireSafeInteger(time, "retention cutoff");
    return inTransaction(this.pool, async (client) => {
      // Whole days go with their partition (no dead tuples); the day holding the cutoff is trimmed.
      let deleted = await this.partitions.dropBefore(client, time);
      for (const table of PARTITIONED_TABLES) {
        deleted += (await client.query(`DELETE FROM ${table} WHERE time < $1::bigint`, [time])).rowCount ?? 0;
      }
      await client.query(`DELETE FROM ${PAYLOADS_TABLE} WHERE received_at < $1::bigint`, [time]);
      return deleted;
    });
  }

  async deleteExperimentData(scope: ExperimentDataScope): Promise<number> {
    if (scope.experimentId !== undefined) requireSafeInteger(scope.experimentId, "experimentId");
    const params: SqlParameter[] = [scope.projectKey, scope.environmentKey, scope.featureKey];
    let sql = `DELETE FROM ${EXPOSURES_TABLE} WHERE project_key = $1 AND environment_key = $2 AND feature_key = $3`;
    if (scope.experimentId !== undefined) {
      sql += " AND experiment_id = $4::bigint";
      params.push(scope.experimentId);
    }
    return (await this.pool.query(sql, params)).rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async appendInTransaction(
    events: EventsByKind,
    payloadId: string | undefined,
  ): Promise<AppendResult> {
    const stored = events.exposures.length + events.conversions.length;
    return inTransaction(this.pool, async (client) => {
      if (payloadId !== undefined && !(await claimPayload(client, payloadId, stored))) {
        return { stored: 0, duplicate: true };
      }
      await copyRows(client, EXPOSURES_TABLE, EXPOSURE_COLUMNS, events.exposures);
      await copyRows(client, CONVERSIONS_TABLE, CONVERSION_COLUMNS, events.conversions);
      return { stored, duplicate: false };
    });
  }

  async aggregateGoals(query: GoalsAggregationQuery): Promise<UnitGroupStats[]> {
    const built = buildAggregationSql(query, postgresDialect);
    return toUnitGroups(await this.readAggregation<AggregationSqlRow>(built.sql, built.params), built);
  }

  async aggregateRegression(query: RegressionAggregationQuery): Promise<RegressionGroupStats[]> {
    const built = buildRegressionSql(query, postgresDialect);
    return toRegressionGroups(await this.readAggregation<RegressionSqlRow>(built.sql, built.params), built);
  }

  private readAggregation<Row extends pg.QueryResultRow>(
    sql: string,
    params: SqlParameter[],
  ): Promise<Row[]> {
    return inTransaction(this.pool, async (client) => {
      await client.query(`SET LOCAL work_mem = '${this.workMem}'`);
      // JIT compilation costs more than it saves on these hash/sort-bound statements.
      await client.query("SET LOCAL jit = off");
      // Every join here is set-based (units x conversions on the unit key). Day partitions that autovacuum
      // has not analyzed yet look empty to the planner, which then picks nested loops that rescan the
      // conversions for every unit; hash joins are right at any size.
      await client.query("SET LOCAL enable_nestloop = off");
      return (await client.query<Row>(sql, params)).rows;
    });
  }
}

/** Records the payload id; false when it was already there (a retry), which stores nothing. */
async function claimPayload(client: pg.PoolClient, payloadId: string, eventCount: number): Promise<boolean> {
  const result = await client.query(
    `INSERT INTO ${PAYLOADS_TABLE} (payload_id, received_at, event_count) VALUES ($1, $2, $3)
     ON CONFLICT (payload_id) DO NOTHING`,
    [payloadId, Date.now(), eventCount],
  );
  return result.rowCount === 1;
}
