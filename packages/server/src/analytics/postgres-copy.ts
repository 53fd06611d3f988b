/**
 * Event rows into PostgreSQL through `COPY ... FROM STDIN` (text format, pg-copy-streams over the pool's own
 * connection, so it runs in the caller's transaction). COPY skips what a multi-row INSERT costs the server
 * per batch: parsing one array literal per column and unnesting them, planning the statement; the rows go
 * straight to the partition they belong to.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { ColumnKind, ColumnValue, EventColumn } from "./event-columns.js";

/** Rows written to the COPY stream at a time (one string each). */
const ROWS_PER_CHUNK = 1000;

// In COPY's text format only these characters need escaping (the delimiter is a tab, rows end at \n).
const NEEDS_ESCAPE = /[\\\n\r\t]/;
const SPECIAL = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function escaped(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(SPECIAL, (c) => ESCAPES[c] as string) : text;
}

// JSON of a custom attributes' text form, which events sharing an attribute set share (event-columns.ts).
const customJson = new WeakMap<object, string>();

function customField(custom: object): string {
  let json = customJson.get(custom);
  if (json === undefined) {
    json = escaped(JSON.stringify(custom));
    customJson.set(custom, json);
  }
  return json;
}

function field(kind: ColumnKind, value: ColumnValue): string {
  if (value === null) return "\\N";
  switch (kind) {
    case "boolean":
      return value ? "t" : "f";
    case "bigint":
    case "double":
      return String(value);
    case "custom":
      return customField(value as object);
    case "text":
      return escaped(value as string);
  }
}

function* chunks<E>(columns: EventColumn<E>[], events: E[]): Generator<string> {
  let text = "";
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as E;
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c] as EventColumn<E>;
      text += (c === 0 ? "" : "\t") + field(column.kind, column.read(event));
    }
    text += "\n";
    if ((i + 1) % ROWS_PER_CHUNK === 0) {
      yield text;
      text = "";
    }
  }
  if (text !== "") yield text;
}

/** Writes `events` into `table` with one COPY, on `client` (inside its transaction, if any). */
export async function copyRows<E>(
  client: pg.PoolClient,
  table: string,
  columns: EventColumn<E>[],
  events: E[],
): Promise<void> {
  if (events.length === 0) return;
  const names = columns.map((column) => column.name).join(", ");
  const copy = client.query(copyFrom(`COPY ${table} (${names}) FROM STDIN`));
  await pipeline(Readable.from(chunks(columns, events), { objectMode: false }), copy);
}
