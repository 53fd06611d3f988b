/**
 * Tables made before a key hash column existed (event-columns.ts `hashOf`) get it added and filled from the
 * text column it hashes, so the aggregation never meets a NULL hash. A no-op (one catalog read per table)
 * once every column exists. PostgreSQL runs it in one transaction; DuckDB cannot update a table it altered
 * in the same transaction, so there each statement commits alone and `refillExisting` makes a later start
 * finish a fill that a crash interrupted (a cheap query: row groups without NULLs are skipped on statistics).
 */

import {
  CONVERSION_COLUMNS,
  CONVERSIONS_TABLE,
  type EventColumn,
  EXPOSURE_COLUMNS,
  EXPOSURES_TABLE,
  keyHash,
} from "./event-columns.js";
import { type SqlParameter, SqlParameters } from "./sql-parameters.js";

/** The statements a store lends to the upgrade: both run inside one transaction. */
export interface SchemaSession {
  rows<Row>(sql: string, params: SqlParameter[]): Promise<Row[]>;
  run(sql: string, params: SqlParameter[]): Promise<void>;
}

/** Distinct keys hashed per UPDATE: bounded statements (parameters, memory) on tables of any size. */
const KEYS_PER_STATEMENT = 1000;

export async function addMissingKeyHashes(
  session: SchemaSession,
  options: { refillExisting: boolean },
): Promise<void> {
  const tables: [string, EventColumn<never>[]][] = [
    [EXPOSURES_TABLE, EXPOSURE_COLUMNS as EventColumn<never>[]],
    [CONVERSIONS_TABLE, CONVERSION_COLUMNS as EventColumn<never>[]],
  ];
  for (const [table, columns] of tables) {
    const existing = new Set(
      (
        await session.rows<{ column_name: string }>(
          "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1",
          [table],
        )
      ).map((row) => row.column_name),
    );
    for (const column of columns) {
      if (column.hashOf === undefined) continue;
      if (existing.has(column.name) && !options.refillExisting) continue;
      if (!existing.has(column.name))
        await session.run(`ALTER TABLE ${table} ADD COLUMN ${column.name} BIGINT`, []);
      await backfill(session, table, column.name, column.hashOf);
    }
  }
}

async function backfill(session: SchemaSession, table: string, hashColumn: string, source: string) {
  for (;;) {
    const keys = await session.rows<{ key: string }>(
      `SELECT DISTINCT ${source} AS key FROM ${table} WHERE ${hashColumn} IS NULL LIMIT ${KEYS_PER_STATEMENT}`,
      [],
    );
    if (keys.length === 0) return;
    const params = new SqlParameters();
    const mapping = keys.map(({ key }) => `(${params.text(key)}, ${params.bigint(keyHash(key), "hash")})`);
    await session.run(
      `UPDATE ${table} SET ${hashColumn} = m.hash FROM (VALUES ${mapping.join(", ")}) AS m(key, hash)
WHERE ${table}.${source} = m.key`,
      params.values,
    );
  }
}
