/**
 * One writer connection of the DuckDB store and the statements it prepared once: the payload-id claim and
 * one INSERT per event table. A group commit is one transaction on one writer; the store runs a few writers
 * so one fills its transaction while another waits for its commit (see group-commit.ts).
 */
import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  type DuckDBConnection,
  type DuckDBPreparedStatement,
  type DuckDBType,
  INTEGER,
  LIST,
  listValue,
  MAP,
  VARCHAR,
} from "@duckdb/node-api";
import type { AppendResult, ConversionEvent, ExposureEvent } from "./analytics-store.js";
import { statementRunner } from "./duckdb-polled-run.js";
import { EventRowsInserter } from "./duckdb-vectors.js";
import {
  CONVERSION_COLUMNS,
  CONVERSIONS_TABLE,
  type ColumnKind,
  type EventsByKind,
  EXPOSURE_COLUMNS,
  EXPOSURES_TABLE,
  PAYLOADS_TABLE,
} from "./event-columns.js";

/** One append() call waiting for its group commit. */
export interface PendingAppend {
  events: EventsByKind;
  payloadId: string | undefined;
}

export function eventCount(item: PendingAppend): number {
  return item.events.exposures.length + item.events.conversions.length;
}

export const DUCKDB_TYPES: Record<ColumnKind, DuckDBType> = {
  text: VARCHAR,
  bigint: BIGINT,
  double: DOUBLE,
  boolean: BOOLEAN,
  custom: MAP(VARCHAR, VARCHAR),
};

// Records a group's payload ids. The plain INSERT fails (and aborts the transaction) when one of them was
// stored before, i.e. on a client's retry; the claim then skips those and answers the ids it inserted.
// ON CONFLICT costs ~2 ms a statement in DuckDB, the plain INSERT ~0.5 ms: retries are the rare case.
const PAYLOAD_ROWS =
  "SELECT id, $2::BIGINT, n FROM (SELECT unnest($1::VARCHAR[]) AS id, unnest($3::INTEGER[]) AS n)";
const RECORD_PAYLOADS_SQL = `INSERT INTO ${PAYLOADS_TABLE} (payload_id, received_at, event_count) ${PAYLOAD_ROWS}`;
const CLAIM_PAYLOADS_SQL = `${RECORD_PAYLOADS_SQL} ON CONFLICT DO NOTHING RETURNING payload_id`;
const PAYLOADS_TYPES = [LIST(VARCHAR), BIGINT, LIST(INTEGER)];

export class DuckDbWriter {
  private constructor(
    readonly connection: DuckDBConnection,
    private readonly record: DuckDBPreparedStatement,
    private readonly claim: DuckDBPreparedStatement,
    private readonly exposures: EventRowsInserter<ExposureEvent>,
    private readonly conversions: EventRowsInserter<ConversionEvent>,
  ) {}

  /** Prepares the writer's statements on `connection` (the tables exist already). */
  static async open(connection: DuckDBConnection): Promise<DuckDbWriter> {
    const types = (columns: { kind: ColumnKind }[]) => columns.map((column) => DUCKDB_TYPES[column.kind]);
    // The instance lets reads reorder rows (see createSchema); an INSERT without that order runs DuckDB's
    // parallel path, which builds per-thread row groups and copies them again to merge them. Our source is
    // one scan anyway: the serial path appends straight to the transaction's storage.
    await connection.run("SET SESSION preserve_insertion_order = true");
    // The event INSERTs only: their task waits for the JS thread to fill chunks, which a spinning worker
    // slows down. The other statements are short, and polling them measured dearer than their spin.
    const runInsert = await statementRunner(connection);
    const record = await connection.prepare(RECORD_PAYLOADS_SQL);
    const claim = await connection.prepare(CLAIM_PAYLOADS_SQL);
    const exposures = await EventRowsInserter.prepare<ExposureEvent>(
      connection,
      EXPOSURES_TABLE,
      EXPOSURE_COLUMNS,
      types(EXPOSURE_COLUMNS),
      runInsert,
    );
    const conversions = await EventRowsInserter.prepare<ConversionEvent>(
      connection,
      CONVERSIONS_TABLE,
      CONVERSION_COLUMNS,
      types(CONVERSION_COLUMNS),
      runInsert,
    );
    return new DuckDbWriter(connection, record, claim, exposures, conversions);
  }

  /**
   * One group commit: records the group's payload ids first (one stored before, or repeated within the group,
   * stores nothing), inserts the events of the rest, commits. Resolves once the commit is durable.
   */
  async commit(items: PendingAppend[]): Promise<{ outcomes: AppendResult[]; written: number }> {
    const counts = new Map<string, number>();
    for (const item of items) {
      if (item.payloadId !== undefined && !counts.has(item.payloadId)) {
        counts.set(item.payloadId, eventCount(item));
      }
    }
    const run = (sql: string) => this.connection.run(sql);
    await run("BEGIN TRANSACTION");
    try {
      let stored = new Set(counts.keys());
      if (counts.size > 0) {
        try {
          await this.runPayloads(this.record, counts);
        } catch {
          // One of the ids was stored before (a retry): start over, claiming only the new ones.
          await run("ROLLBACK");
          await run("BEGIN TRANSACTION");
          const reader = await this.runPayloads(this.claim, counts);
          stored = new Set(reader.getRowObjectsJS().map((row) => String(row.payload_id)));
        }
      }
      const fresh: PendingAppend[] = [];
      const outcomes = items.map((item) => {
        // delete(): only the first item of the group carrying a stored id stores its events.
        if (item.payloadId !== undefined && !stored.delete(item.payloadId)) {
          return { stored: 0, duplicate: true };
        }
        fresh.push(item);
        return { stored: eventCount(item), duplicate: false };
      });
      const exposures = fresh.flatMap((item) => item.events.exposures);
      const conversions = fresh.flatMap((item) => item.events.conversions);
      await this.exposures.insert(exposures);
      await this.conversions.insert(conversions);
      await run("COMMIT");
      return { outcomes, written: exposures.length + conversions.length };
    } catch (error) {
      await run("ROLLBACK").catch(() => undefined);
      throw error;
    }
  }

  /** Frees the prepared statements; the connection stays open (its owner closes it). */
  close(): void {
    this.record.destroySync();
    this.claim.destroySync();
    this.exposures.close();
    this.conversions.close();
  }

  private runPayloads(statement: DuckDBPreparedStatement, counts: Map<string, number>) {
    // Typed as prepared: a value of another type (numbers default to DOUBLE) would re-plan the statement.
    statement.bind(
      [listValue([...counts.keys()]), BigInt(Date.now()), listValue([...counts.values()])],
      PAYLOADS_TYPES,
    );
    return statement.runAndReadAll();
  }
}
