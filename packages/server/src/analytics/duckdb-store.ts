/**
 * Embedded analytics store on DuckDB (`<dataDir>/events.duckdb`).
 *
 * Writes go through a group-commit queue over two writer connections (duckdb-writer.ts): concurrent
 * `append` calls are coalesced into one transaction (payload ids, then one bulk INSERT per table), one
 * writer filling its transaction while the other commits, and each caller resolves once its transaction
 * committed (DuckDB fsyncs its WAL on commit). Reads use short-lived connections of their own, so
 * aggregations never wait for ingestion.
 *
 * No indexes: DuckDB keeps min/max zone maps per row group, and events arrive roughly in time order,
 * so a date-restricted query skips old row groups; the flag filter is a dictionary-compressed column scan.
 */
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { duckDbDialect } from "./aggregation-dialects.js";
import {
  buildRegressionSql,
  type RegressionSqlRow,
  toRegressionGroups,
} from "./aggregation-regression-sql.js";
import { aggregateOneGoal, toUnitGroups } from "./aggregation-rows.js";
import { type AggregationSqlRow, buildAggregationSql } from "./aggregation-sql.js";
import type {
  AggregationQuery,
  AggregationResult,
  AnalyticsEvent,
  AnalyticsStore,
  AppendResult,
  EventCount,
  EventCountFilter,
  ExperimentDataScope,
  GoalBaseline,
  GoalBaselineQuery,
  GoalsAggregationQuery,
  RegressionAggregationQuery,
  RegressionGroupStats,
  RuleOutcome,
  RuleOutcomeRequest,
  RuleOutcomesOptions,
  UnitGroupStats,
} from "./analytics-store.js";
import { checkVectorWriter } from "./duckdb-vector-check.js";
import { DuckDbWriter, eventCount, type PendingAppend } from "./duckdb-writer.js";
import {
  CONVERSION_COLUMNS,
  CONVERSIONS_TABLE,
  type ColumnKind,
  type EventColumn,
  EXPOSURE_COLUMNS,
  EXPOSURES_TABLE,
  PAYLOADS_TABLE,
  requireSafeInteger,
  splitValidatedEvents,
} from "./event-columns.js";
import { buildEventCountsSql, type EventCountsSqlRow } from "./event-counts-sql.js";
import { buildGoalBaselineSql, type GoalBaselineSqlRow } from "./goal-baseline-sql.js";
import { GroupCommitQueue } from "./group-commit.js";
import { addMissingKeyHashes } from "./key-hash-upgrade.js";
import { buildRuleOutcomesSql, type RuleOutcomesSqlRow, toRuleOutcomes } from "./rule-outcomes-sql.js";
import type { SqlParameter } from "./sql-parameters.js";

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
  /** Writer connections, i.e. group-commit transactions that may run at once. Default 2. */
  writers?: number;
}

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
  const writers: DuckDbWriter[] = [];
  try {
    await createSchema(writer);
    // Fails loudly (the store does not open) rather than let a layout mismatch corrupt events.
    await checkVectorWriter(writer);
    // Prepared (table functions registered) now, before any query of this store can run.
    for (let index = 0; index < (options.writers ?? 2); index++) {
      writers.push(await DuckDbWriter.open(index === 0 ? writer : await instance.connect()));
    }
  } catch (error) {
    for (const lane of writers) {
      lane.close();
      if (lane.connection !== writer) lane.connection.closeSync();
    }
    writer.closeSync();
    instance.closeSync();
    throw error;
  }
  return new DuckDbAnalyticsStore(instance, writer, writers, options);
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
  // under sustained ingestion, at ~100 MB more memory for the not-yet-checkpointed rows. (A CHECKPOINT run
  // beside the writers instead was measured: their commits wait for it about as long.)
  await connection.run("SET GLOBAL checkpoint_threshold = '64MB'");
  await connection.run(createTableSql(EXPOSURES_TABLE, EXPOSURE_COLUMNS));
  await connection.run(createTableSql(CONVERSIONS_TABLE, CONVERSION_COLUMNS));
  await addMissingKeyHashes(
    {
      rows: async (sql, params) => (await connection.runAndReadAll(sql, params)).getRowObjectsJS() as never,
      run: async (sql, params) => {
        await connection.run(sql, params);
      },
    },
    { refillExisting: true },
  );
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
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    /** Also the first writer's connection; exclusive tasks (retention, resets) run on it. */
    private readonly writer: DuckDBConnection,
    private readonly writers: DuckDbWriter[],
    private readonly options: DuckDbAnalyticsStoreOptions,
  ) {
    this.writes = new GroupCommitQueue({
      commit: (items, lane) => this.commitAppends(items, this.writers[lane]!),
      weight: eventCount,
      maxGroupWeight: options.maxEventsPerCommit ?? 200_000,
      lanes: writers.length,
      // A transaction costs ~1.5 ms of DuckDB time besides its rows (statements, WAL, fsync): a second one
      // runs alongside only for enough events to be worth it, else they wait for the next free writer.
      minConcurrentWeight: 2000,
      // A retried payload is claimed against committed state, never against a transaction still running.
      key: (item) => item.payloadId,
    });
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

  async goalBaseline(query: GoalBaselineQuery): Promise<GoalBaseline> {
    const { sql, params } = buildGoalBaselineSql(query);
    const row = (await this.read<GoalBaselineSqlRow>(sql, params))[0];
    return {
      units: Number(row?.units ?? 0),
      convertedUnits: Number(row?.converted_units ?? 0),
      sum: Number(row?.sum ?? 0),
      m2: Number(row?.m2 ?? 0),
      cap: row?.cap === null || row?.cap === undefined ? null : Number(row.cap),
    };
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
    for (const lane of this.writers) {
      lane.close();
      if (lane.connection !== this.writer) lane.connection.closeSync();
    }
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

  async aggregateRegression(query: RegressionAggregationQuery): Promise<RegressionGroupStats[]> {
    const built = buildRegressionSql(query, duckDbDialect);
    return toRegressionGroups(await this.read<RegressionSqlRow>(built.sql, built.params), built);
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

  private async commitAppends(items: PendingAppend[], lane: DuckDbWriter): Promise<AppendResult[]> {
    const started = performance.now();
    const { outcomes, written } = await lane.commit(items);
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
}
