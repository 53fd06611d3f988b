/**
 * Embedded analytics store on DuckDB (`<dataDir>/events.duckdb`).
 *
 * Writes go through one writer connection and a group-commit queue: concurrent `append` calls are
 * coalesced into one transaction (payload ids, then one bulk INSERT per table), and each caller resolves once that
 * transaction committed (DuckDB fsyncs its WAL on commit). Reads use short-lived connections of their own,
 * so aggregations never wait for ingestion.
 *
 * No indexes: DuckDB keeps min/max zone maps per row group, and events arrive roughly in time order,
 * so a date-restricted query skips old row groups; the flag filter is a dictionary-compressed column scan.
 */
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBType,
  listValue,
  MAP,
  VARCHAR,
} from "@duckdb/node-api";
import {
  type AggregationSqlRow,
  aggregateOneGoal,
  buildAggregationSql,
  buildEventCountsSql,
  duckDbDialect,
  type EventCountsSqlRow,
  type SqlParameter,
  toUnitGroups,
} from "./aggregation-sql.js";
import type {
  AggregationQuery,
  AggregationResult,
  AnalyticsEvent,
  AnalyticsStore,
  AppendResult,
  EventCount,
  EventCountFilter,
  ExperimentDataScope,
  GoalsAggregationQuery,
  RuleOutcome,
  RuleOutcomeRequest,
  RuleOutcomesOptions,
  UnitGroupStats,
} from "./analytics-store.js";
import { PendingRowsFunction } from "./duckdb-vectors.js";
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
import { GroupCommitQueue } from "./group-commit.js";
import { buildRuleOutcomesSql, type RuleOutcomesSqlRow, toRuleOutcomes } from "./rule-outcomes-sql.js";

export interface GroupCommitReport {
  /** append() calls that went into this transaction (duplicates included). */
  appends: number;
  /** Events written. */
  events: number;
  durationMs: number;
}

export interface DuckDbAnalyticsStoreOptions {
  /** Database file, e.g. `<dataDir>/events.duckdb`; its directory is created if missing. */
  path: string;
  /** Upper bound on events per group-commit transaction. Default 200,000. */
  maxEventsPerCommit?: number;
  /** DuckDB configuration (e.g. `threads`, `memory_limit`). */
  config?: Record<string, string>;
  /** Called after each group commit, for metrics. */
  onCommit?: (report: GroupCommitReport) => void;
}

interface PendingAppend {
  events: EventsByKind;
  payloadId: string | undefined;
}

const DUCKDB_TYPES: Record<ColumnKind, DuckDBType> = {
  text: VARCHAR,
  bigint: BIGINT,
  double: DOUBLE,
  boolean: BOOLEAN,
  custom: MAP(VARCHAR, VARCHAR),
};

const EXPOSURE_TYPES = EXPOSURE_COLUMNS.map((column) => DUCKDB_TYPES[column.kind]);
const CONVERSION_TYPES = CONVERSION_COLUMNS.map((column) => DUCKDB_TYPES[column.kind]);

const DUCKDB_TYPE_NAMES: Record<ColumnKind, string> = {
  text: "VARCHAR",
  bigint: "BIGINT",
  double: "DOUBLE",
  boolean: "BOOLEAN",
  custom: "MAP(VARCHAR, VARCHAR)",
};

export async function openDuckDbAnalyticsStore(
  options: DuckDbAnalyticsStoreOptions,
): Promise<AnalyticsStore> {
  await mkdir(dirname(options.path), { recursive: true });
  // From the process-wide cache: a second store (or the CLI, or a bench) on the same file in this process
  // shares the instance instead of failing on DuckDB's file lock; the file closes with its last handle.
  const instance = await DuckDBInstance.fromCache(options.path, options.config);
  const writer = await instance.connect();
  try {
    await createSchema(writer);
  } catch (error) {
    writer.closeSync();
    instance.closeSync();
    throw error;
  }
  return new DuckDbAnalyticsStore(instance, writer, options);
}

function createTableSql<E>(table: string, columns: EventColumn<E>[]): string {
  const definitions = columns.map(
    (column) => `${column.name} ${DUCKDB_TYPE_NAMES[column.kind]}${column.nullable ? "" : " NOT NULL"}`,
  );
  return `CREATE TABLE IF NOT EXISTS ${table} (\n  ${definitions.join(",\n  ")}\n)`;
}

async function createSchema(connection: DuckDBConnection): Promise<void> {
  // Nothing read here relies on row order (results are sorted in TypeScript) and the inserts write
  // batches in arrival order regardless, so let parallel operators reorder. Set on the instance rather
  // than through `config`, which would make other handles on the cached instance incompatible.
  await connection.run("SET GLOBAL preserve_insertion_order = false");
  // The commit that takes the WAL past this size checkpoints it into the file, rewriting (and compressing
  // again) the last, partly filled row group of each table. At the default 16 MB (~140k events) that is
  // every row group twice; 64 MB (~550k events) checkpoints 3x less often for 20-25 % less writer time
  // under sustained ingestion, at ~100 MB more memory for the not-yet-checkpointed rows.
  await connection.run("SET GLOBAL checkpoint_threshold = '64MB'");
  await connection.run(createTableSql(EXPOSURES_TABLE, EXPOSURE_COLUMNS));
  await connection.run(createTableSql(CONVERSIONS_TABLE, CONVERSION_COLUMNS));
  await connection.run(
    `CREATE TABLE IF NOT EXISTS ${PAYLOADS_TABLE} (
  payload_id VARCHAR PRIMARY KEY,
  received_at BIGINT NOT NULL,
  event_count INTEGER NOT NULL
)`,
  );
}

class DuckDbAnalyticsStore implements AnalyticsStore {
  private readonly writes: GroupCommitQueue<PendingAppend, AppendResult>;
  private readonly reads = new Set<Promise<unknown>>();
  /** Event rows reach DuckDB through this table function (see duckdb-vectors.ts). */
  private readonly rows = new PendingRowsFunction();
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly options: DuckDbAnalyticsStoreOptions,
  ) {
    this.writes = new GroupCommitQueue({
      commit: (items) => this.commitAppends(items),
      weight: (item) => item.events.exposures.length + item.events.conversions.length,
      maxGroupWeight: options.maxEventsPerCommit ?? 200_000,
    });
    this.rows.register(writer);
  }

  async append(events: AnalyticsEvent[], payloadId?: string): Promise<AppendResult> {
    this.assertOpen();
    const split = splitValidatedEvents(events);
    return this.writes.submit({ events: split, payloadId });
  }

  async aggregate(query: AggregationQuery): Promise<AggregationResult> {
    return aggregateOneGoal((goals) => this.aggregateGoals(goals), query);
  }

  async ruleOutcomes(requests: RuleOutcomeRequest[], options?: RuleOutcomesOptions): Promise<RuleOutcome[]> {
    const built = buildRuleOutcomesSql(requests, "duckdb", options);
    if (!built) return [];
    return toRuleOutcomes(await this.read<RuleOutcomesSqlRow>(built.sql, built.params));
  }

  async counts(filter: EventCountFilter): Promise<EventCount[]> {
    const { sql, params } = buildEventCountsSql(filter);
    const rows = await this.read<EventCountsSqlRow>(sql, params);
    return rows.map((row) => ({
      kind: row.kind,
      projectKey: row.project_key,
      environmentKey: row.environment_key,
      count: row.count,
    }));
  }

  async deleteOlderThan(time: number): Promise<number> {
    this.assertOpen();
    requireSafeInteger(time, "retention cutoff");
    return this.writes.exclusive(() =>
      this.inWriteTransaction(async () => {
        const exposures = await this.writer.run(`DELETE FROM ${EXPOSURES_TABLE} WHERE time < $1::BIGINT`, [
          time,
        ]);
        const conversions = await this.writer.run(
          `DELETE FROM ${CONVERSIONS_TABLE} WHERE time < $1::BIGINT`,
          [time],
        );
        await this.writer.run(`DELETE FROM ${PAYLOADS_TABLE} WHERE received_at < $1::BIGINT`, [time]);
        return exposures.rowsChanged + conversions.rowsChanged;
      }),
    );
  }

  async deleteExperimentData(scope: ExperimentDataScope): Promise<number> {
    this.assertOpen();
    if (scope.experimentId !== undefined) requireSafeInteger(scope.experimentId, "experimentId");
    const params: SqlParameter[] = [scope.projectKey, scope.environmentKey, scope.featureKey];
    let sql = `DELETE FROM ${EXPOSURES_TABLE} WHERE project_key = $1 AND environment_key = $2 AND feature_key = $3`;
    if (scope.experimentId !== undefined) {
      sql += " AND experiment_id = $4::BIGINT";
      params.push(scope.experimentId);
    }
    return this.writes.exclusive(async () => (await this.writer.run(sql, params)).rowsChanged);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writes.drain();
    await Promise.allSettled([...this.reads]);
    this.writer.closeSync();
    this.instance.closeSync();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("analytics store is closed");
  }

  async aggregateGoals(query: GoalsAggregationQuery): Promise<UnitGroupStats[]> {
    const built = buildAggregationSql(query, duckDbDialect);
    return toUnitGroups(await this.read<AggregationSqlRow>(built.sql, built.params), built);
  }

  /** Runs a read on its own connection, tracked so close() waits for it. */
  private read<Row>(sql: string, params: SqlParameter[]): Promise<Row[]> {
    this.assertOpen();
    const reading = this.readOnFreshConnection<Row>(sql, params);
    this.reads.add(reading);
    void reading.finally(() => this.reads.delete(reading)).catch(() => undefined);
    return reading;
  }

  private async readOnFreshConnection<Row>(sql: string, params: SqlParameter[]): Promise<Row[]> {
    const connection = await this.instance.connect();
    try {
      const reader = await connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJS() as Row[];
    } finally {
      connection.closeSync();
    }
  }

  private async commitAppends(items: PendingAppend[]): Promise<AppendResult[]> {
    const started = performance.now();
    const { outcomes, written } = await this.inWriteTransaction(() => this.writeAppends(items));
    this.options.onCommit?.({
      appends: items.length,
      events: written,
      durationMs: performance.now() - started,
    });
    return outcomes;
  }

  private async inWriteTransaction<T>(work: () => Promise<T>): Promise<T> {
    await this.writer.run("BEGIN TRANSACTION");
    try {
      const result = await work();
      await this.writer.run("COMMIT");
      return result;
    } catch (error) {
      await this.writer.run("ROLLBACK").catch(() => undefined);
      throw error;
    }
  }

  /**
   * Inside the transaction: claim the group's payload ids first (one already stored, or repeated within the
   * group, stores nothing), then insert the events of the rest.
   */
  private async writeAppends(items: PendingAppend[]): Promise<{ outcomes: AppendResult[]; written: number }> {
    const claimed = await this.claimPayloadIds(items);
    const fresh: PendingAppend[] = [];
    const outcomes = items.map((item) => {
      // delete(): only the first item of the group carrying a claimed id stores its events.
      if (item.payloadId !== undefined && !claimed.delete(item.payloadId))
        return { stored: 0, duplicate: true };
      fresh.push(item);
      return { stored: eventCount(item), duplicate: false };
    });
    const exposures = fresh.flatMap((item) => item.events.exposures);
    const conversions = fresh.flatMap((item) => item.events.conversions);
    await this.rows.insert(this.writer, EXPOSURES_TABLE, EXPOSURE_TYPES, EXPOSURE_COLUMNS, exposures);
    await this.rows.insert(this.writer, CONVERSIONS_TABLE, CONVERSION_TYPES, CONVERSION_COLUMNS, conversions);
    return { outcomes, written: exposures.length + conversions.length };
  }

  /** Records the group's payload ids in one statement; answers the ones that were not stored before. */
  private async claimPayloadIds(items: PendingAppend[]): Promise<Set<string>> {
    const counts = new Map<string, number>();
    for (const item of items) {
      if (item.payloadId !== undefined && !counts.has(item.payloadId))
        counts.set(item.payloadId, eventCount(item));
    }
    if (counts.size === 0) return new Set();
    const reader = await this.writer.runAndReadAll(
      `INSERT INTO ${PAYLOADS_TABLE} (payload_id, received_at, event_count)
       SELECT id, $2::BIGINT, n FROM (SELECT unnest($1::VARCHAR[]) AS id, unnest($3::INTEGER[]) AS n)
       ON CONFLICT DO NOTHING RETURNING payload_id`,
      [listValue([...counts.keys()]), BigInt(Date.now()), listValue([...counts.values()])],
    );
    return new Set(reader.getRowObjectsJS().map((row) => String(row.payload_id)));
  }
}

function eventCount(item: PendingAppend): number {
  return item.events.exposures.length + item.events.conversions.length;
}
