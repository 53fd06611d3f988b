import { type CreateTableBuilder, type Kysely, sql } from "kysely";
import type { SqlDialect } from "./database.js";

/** Adds an auto-incrementing int64 primary key named `id` in the dialect's own way. */
export function withIdColumn<T extends string>(
  table: CreateTableBuilder<T, never>,
  dialect: SqlDialect,
): CreateTableBuilder<T, "id"> {
  return dialect === "postgres"
    ? table.addColumn("id", "bigserial", (c) => c.primaryKey())
    : table.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());
}

/** Makes a table's ids start at `first`, so numeric ids of different resources rarely look alike. */
export async function startIdsAt(db: Kysely<unknown>, dialect: SqlDialect, table: string, first: number) {
  if (dialect === "postgres") {
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), ${first - 1}, true)`.execute(db);
  } else {
    await sql`insert into sqlite_sequence (name, seq) values (${table}, ${first - 1})`.execute(db);
  }
}
