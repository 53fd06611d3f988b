/**
 * Embedded analytics store on DuckDB (`<dataDir>/events.duckdb`).
 *
 * Writes go through one writer connection and a group-commit queue: concurrent `append` calls are
 * coalesced into one transaction (appender bulk insert + payload ids), and each caller resolves once that
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
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  type DuckDBType,
  type DuckDBValue,
  listValue,
  MAP,
  mapValue,
  VARCHAR,
} from "@duckdb/node-api";
import {
  type AggregationSqlRow,
  buildAggregationSql,
  buildEventCountsSql,
  duckDbDialect,
  type EventCountsSqlRow,
  type SqlParameter,
  seriesQuery,
  toSeries,
  toVariationStats,
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
  VariationStats,
} from "./analytics-store.js";
import {
  CONVERSION_COLUMNS,
  CONVERSIONS_TABLE,
  type ColumnKind,
  type ColumnValue,
  type CustomAttributesText,
  type EventColumn,
  type EventsByKind,
  EXPOSURE_COLUMNS,
  EXPOSURES_TABLE,
  PAYLOADS_TABLE,
  requireSafeInteger,
  splitValidatedEvents,
} from "./event-columns.js";
import { GroupCommitQueue } from "./group-commit.js";

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

/** A DataChunk holds at most one DuckDB vector of rows. */
const ROWS_PER_CHUNK = 2048;

const DUCKDB_TYPES: Record<ColumnKind, DuckDBType> = {
  text: VARCHAR,
  bigint: BIGINT,
  double: DOUBLE,
  boolean: BOOLEAN,
  custom: MAP(VARCHAR, VARCHAR),
};

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
  // Nothing read here relies on row order (results are sorted in TypeScript) and the appender writes
  // batches in arrival order regardless, so let parallel operators reorder. Set on the instance rather
  // than through `config`, which would make other handles on the cached instance incompatible.
  await connection.run("SET GLOBAL preserve_insertion_order = false");
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
  }

  async append(events: AnalyticsEvent[], payloadId?: string): Promise<AppendResult> {
    this.assertOpen();
    const split = splitValidatedEvents(events);
    return this.writes.submit({ events: split, payloadId });
  }

  async aggregate(query: AggregationQuery): Promise<AggregationResult> {
    const rows = await this.aggregateRows(query);
    if (query.series !== "DAY") return { rows };
    return { rows, series: toSeries(await this.aggregateRows(seriesQuery(query))) };
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

  private async aggregateRows(query: AggregationQuery): Promise<VariationStats[]> {
    const built = buildAggregationSql(query, duckDbDialect);
    return toVariationStats(await this.read<AggregationSqlRow>(built.sql, built.params), built);
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

  /** Inside the transaction: skip payloads already stored (or repeated in this group), write the rest. */
  private async writeAppends(items: PendingAppend[]): Promise<{ outcomes: AppendResult[]; written: number }> {
    const seen = await this.storedPayloadIds(items);
    const fresh: PendingAppend[] = [];
    const outcomes = items.map((item) => {
      if (item.payloadId !== undefined) {
        if (seen.has(item.payloadId)) return { stored: 0, duplicate: true };
        seen.add(item.payloadId);
      }
      fresh.push(item);
      return { stored: eventCount(item), duplicate: false };
    });
    const exposures = fresh.flatMap((item) => item.events.exposures);
    const conversions = fresh.flatMap((item) => item.events.conversions);
    await appendRows(this.writer, EXPOSURES_TABLE, EXPOSURE_COLUMNS, exposures);
    await appendRows(this.writer, CONVERSIONS_TABLE, CONVERSION_COLUMNS, conversions);
    await this.rememberPayloads(fresh);
    return { outcomes, written: exposures.length + conversions.length };
  }

  private async storedPayloadIds(items: PendingAppend[]): Promise<Set<string>> {
    const ids = items.map((item) => item.payloadId).filter((id) => id !== undefined);
    if (ids.length === 0) return new Set();
    const reader = await this.writer.runAndReadAll(
      `SELECT payload_id FROM ${PAYLOADS_TABLE} WHERE payload_id IN (SELECT unnest($1::VARCHAR[]))`,
      [listValue(ids)],
    );
    return new Set(reader.getRowObjectsJS().map((row) => String(row.payload_id)));
  }

  private async rememberPayloads(items: PendingAppend[]): Promise<void> {
    const remembered = items.filter((item) => item.payloadId !== undefined);
    if (remembered.length === 0) return;
    const receivedAt = BigInt(Date.now());
    await withAppender(this.writer, PAYLOADS_TABLE, (appender) => {
      for (const item of remembered) {
        appender.appendVarchar(item.payloadId!);
        appender.appendBigInt(receivedAt);
        appender.appendInteger(eventCount(item));
        appender.endRow();
      }
    });
  }
}

function eventCount(item: PendingAppend): number {
  return item.events.exposures.length + item.events.conversions.length;
}

/** Bulk insert through the Appender, one DataChunk (column vectors) per 2048 rows. */
async function appendRows<E>(
  connection: DuckDBConnection,
  table: string,
  columns: EventColumn<E>[],
  events: E[],
): Promise<void> {
  if (events.length === 0) return;
  const types = columns.map((column) => DUCKDB_TYPES[column.kind]);
  await withAppender(connection, table, (appender) => {
    for (let start = 0; start < events.length; start += ROWS_PER_CHUNK) {
      const slice = events.slice(start, start + ROWS_PER_CHUNK);
      const chunk = DuckDBDataChunk.create(types, slice.length);
      chunk.setColumns(
        columns.map((column) => slice.map((event) => duckDbValue(column.kind, column.read(event)))),
      );
      appender.appendDataChunk(chunk);
    }
  });
}

/** Fills an appender and flushes it into the writer's open transaction; a failed close never hides the cause. */
async function withAppender(
  connection: DuckDBConnection,
  table: string,
  fill: (appender: DuckDBAppender) => void,
): Promise<void> {
  const appender = await connection.createAppender(table);
  try {
    fill(appender);
    appender.flushSync();
  } catch (error) {
    try {
      appender.closeSync();
    } catch {
      // the fill/flush error is the one worth reporting
    }
    throw error;
  }
  appender.closeSync();
}

function duckDbValue(kind: ColumnKind, value: ColumnValue): DuckDBValue {
  if (value === null) return null;
  switch (kind) {
    case "bigint":
      return BigInt(value as number);
    case "custom":
      return mapValue(
        Object.entries(value as CustomAttributesText).map(([key, text]) => ({ key, value: text })),
      );
    default:
      return value as string | number | boolean;
  }
}
