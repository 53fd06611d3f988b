/**
 * Fills DuckDB data chunks straight from event columns, one typed buffer per vector, and inserts them.
 *
 * `DuckDBDataChunk.setColumns` takes one JS value per cell (a BigInt per BIGINT, a MAP value object per
 * custom-attribute cell) and makes one native call per string. Here every column is written as the bytes of
 * its vector: BIGINT as two 32-bit words, DOUBLE and BOOLEAN as typed arrays, validity as a bit mask, and
 * VARCHAR as DuckDB's 16-byte `duckdb_string_t` (`duckdb.h`): a string of at most 12 UTF-8 bytes is stored
 * inline (length, then the bytes, zero padded), so only longer strings cost a native call that copies them
 * into the vector's string heap. MAP(VARCHAR, VARCHAR) is a LIST of STRUCT(key, value): list entries
 * (offset, length) in the vector, keys and values in the two child vectors.
 *
 * Every layout written here is the C API's (vectors are little-endian, as on every platform DuckDB ships).
 */
import { createRequire } from "node:module";
import {
  type DuckDBConnection,
  type DuckDBDataChunk,
  type DuckDBPreparedStatement,
  DuckDBTableFunction,
  type DuckDBType,
} from "@duckdb/node-api";
import type { StatementRunner } from "./duckdb-polled-run.js";
import type { ColumnKind, ColumnValue, CustomAttributesText, EventColumn } from "./event-columns.js";

/** The few @duckdb/node-bindings functions used here (opaque handles, as the C API has them). */
interface VectorBindings {
  sizeof_bool: number;
  data_chunk_get_vector(chunk: unknown, columnIndex: number): unknown;
  copy_data_to_vector(
    vector: unknown,
    targetByteOffset: number,
    source: ArrayBufferLike,
    sourceByteOffset: number,
    byteCount: number,
  ): void;
  copy_data_to_vector_validity(
    vector: unknown,
    targetByteOffset: number,
    source: ArrayBufferLike,
    sourceByteOffset: number,
    byteCount: number,
  ): void;
  vector_ensure_validity_writable(vector: unknown): void;
  vector_assign_string_element(vector: unknown, index: number, value: string): void;
  list_vector_reserve(vector: unknown, capacity: number): void;
  list_vector_set_size(vector: unknown, size: number): void;
  list_vector_get_child(vector: unknown): unknown;
  struct_vector_get_child(vector: unknown, index: number): unknown;
}

// The very module instance @duckdb/node-api loaded (resolved from its own directory): its handles are only
// valid with its functions, and this way the two can never be two different versions.
const nodeApiPath = createRequire(import.meta.url).resolve("@duckdb/node-api");
const bindings = createRequire(nodeApiPath)("@duckdb/node-bindings") as VectorBindings;
if (bindings.sizeof_bool !== 1) throw new Error(`unsupported DuckDB bool size ${bindings.sizeof_bool}`);

/** Rows per DataChunk: DuckDB's vector size. */
export const ROWS_PER_CHUNK = 2048;

const STRING_T_BYTES = 16;
const INLINE_BYTES = 12;
const TWO_POW_32 = 4294967296;
const encoder = new TextEncoder();

let nextFunctionSerial = 1;

/**
 * Inserts event rows into one table: a prepared `INSERT INTO <table> SELECT * FROM <function>()` whose
 * table function scans the events handed to `insert`, filling each output chunk with `fillEventChunk`.
 *
 * Why not the Appender: its flush is synchronous and runs DuckDB's own INSERT (bind, plan, local append) on
 * the JS thread, which then cannot read or parse requests meanwhile. This INSERT runs on DuckDB's threads
 * (started and awaited by `runStatement`, see duckdb-polled-run.ts); DuckDB calls back into the JS thread only
 * to fill the chunks (the bindings run every callback there), so the JS thread does the column writing and
 * nothing else. The function takes no
 * parameter, so the statement is planned once: which rows it scans is `insert`'s argument of the moment.
 *
 * Bound to one connection; its inserts must not overlap (a writer connection's statements are serial).
 * The function is registered and the statement prepared when the store opens, before any query runs:
 * registering takes catalog locks, which the JS thread must never wait for while an INSERT waits for it.
 */
export class EventRowsInserter<E> {
  private pending: readonly E[] | undefined;
  private prepared: DuckDBPreparedStatement | undefined;

  /** `tableFunction` is kept referenced for as long as the statement may call it. */
  private constructor(
    private readonly tableFunction: DuckDBTableFunction,
    private readonly runStatement: StatementRunner,
  ) {}

  static async prepare<E>(
    connection: DuckDBConnection,
    table: string,
    columns: readonly EventColumn<E>[],
    types: readonly DuckDBType[],
    runStatement: StatementRunner,
  ): Promise<EventRowsInserter<E>> {
    // Unique per inserter: connections (and stores sharing a cached instance) never clash on the name.
    const name = `vexil_pending_rows_${nextFunctionSerial++}`;
    // Assigned below: the function's callbacks only run once the inserter exists.
    let inserter: EventRowsInserter<E> | undefined;
    const tableFunction = DuckDBTableFunction.create({
      name,
      bindFunction: (info) => {
        columns.forEach((column, index) => {
          info.addResultColumn(column.name, types[index]!);
        });
      },
      initFunction: (info) => {
        info.setInitData({ next: 0 });
      },
      mainFunction: (info, output) => {
        const state = info.initData as { next: number };
        try {
          const events = inserter?.pending;
          if (events === undefined) throw new Error(`${name} scanned outside an insert`);
          const count = Math.min(ROWS_PER_CHUNK, events.length - state.next);
          if (count <= 0) {
            output.rowCount = 0; // end of the scan
            return;
          }
          fillEventChunk(output, columns, events, state.next, count);
          state.next += count;
        } catch (error) {
          info.setError(error instanceof Error ? error.message : String(error));
        }
      },
    });
    connection.registerTableFunction(tableFunction);
    const names = columns.map((column) => column.name).join(", ");
    inserter = new EventRowsInserter<E>(tableFunction, runStatement);
    inserter.prepared = await connection.prepare(`INSERT INTO ${table} (${names}) SELECT * FROM ${name}()`);
    return inserter;
  }

  /** Inserts `events` inside the connection's open transaction. */
  async insert(events: readonly E[]): Promise<void> {
    if (events.length === 0) return;
    if (this.prepared === undefined) throw new Error("inserter is closed");
    this.pending = events;
    try {
      await this.runStatement(this.prepared);
    } finally {
      this.pending = undefined;
    }
  }

  /** Frees the prepared statement (before its connection closes). */
  close(): void {
    this.prepared?.destroySync();
    this.prepared = undefined;
    void this.tableFunction;
  }
}

/** Writes rows [start, start + count) of `events` into `chunk`, whose columns are `columns` in order. */
export function fillEventChunk<E>(
  chunk: DuckDBDataChunk,
  columns: readonly EventColumn<E>[],
  events: readonly E[],
  start: number,
  count: number,
): void {
  chunk.rowCount = count;
  for (let index = 0; index < columns.length; index++) {
    const column = columns[index]!;
    const values = new Array<ColumnValue>(count);
    for (let row = 0; row < count; row++) values[row] = column.read(events[start + row]!);
    writeColumn(bindings.data_chunk_get_vector(chunk.chunk, index), column.kind, values, column.name);
  }
}

function writeColumn(vector: unknown, kind: ColumnKind, values: ColumnValue[], name: string): void {
  if (kind === "text") writeStrings(vector, values, name);
  else if (kind === "bigint") writeBigInts(vector, values, name);
  else if (kind === "double") writeDoubles(vector, values, name);
  else if (kind === "boolean") writeBooleans(vector, values, name);
  else writeStringMaps(vector, values, name);
}

/** A validity mask (one bit per row, set = valid) with every row valid. */
function allValid(count: number): Uint8Array {
  return new Uint8Array(Math.ceil(count / 64) * 8).fill(0xff);
}

function setInvalid(validity: Uint8Array, row: number): void {
  validity[row >> 3]! &= ~(1 << (row & 7));
}

function writeValidity(vector: unknown, validity: Uint8Array | undefined): void {
  if (validity === undefined) return; // a fresh vector has every row valid
  bindings.vector_ensure_validity_writable(vector);
  bindings.copy_data_to_vector_validity(vector, 0, validity.buffer, 0, validity.byteLength);
}

function wrongType(name: string, expected: string, value: unknown): Error {
  return new TypeError(`column ${name}: expected ${expected}, got ${typeof value}`);
}

function writeStrings(vector: unknown, values: readonly ColumnValue[], name: string): void {
  const count = values.length;
  const bytes = new Uint8Array(count * STRING_T_BYTES);
  const words = new Uint32Array(bytes.buffer);
  let validity: Uint8Array | undefined;
  const long: number[] = [];
  for (let row = 0; row < count; row++) {
    const value = values[row];
    if (value === null || value === undefined) {
      validity ??= allValid(count);
      setInvalid(validity, row);
      continue;
    }
    if (typeof value !== "string") throw wrongType(name, "a string", value);
    // More than 12 UTF-16 units is more than 12 UTF-8 bytes: not inlined.
    if (value.length <= INLINE_BYTES && inlineString(bytes, words, row, value)) continue;
    long.push(row);
  }
  bindings.copy_data_to_vector(vector, 0, bytes.buffer, 0, bytes.byteLength);
  for (const row of long) bindings.vector_assign_string_element(vector, row, values[row] as string);
  writeValidity(vector, validity);
}

/** Writes `value` inline at `row` when its UTF-8 form fits 12 bytes; false (slot left zero) when it does not. */
function inlineString(bytes: Uint8Array, words: Uint32Array, row: number, value: string): boolean {
  const start = row * STRING_T_BYTES + 4;
  const length = value.length;
  let ascii = true;
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x80) {
      ascii = false;
      break;
    }
    bytes[start + i] = code;
  }
  if (ascii) {
    words[row * 4] = length;
    return true;
  }
  const { read, written } = encoder.encodeInto(value, bytes.subarray(start, start + INLINE_BYTES));
  if (read === length) {
    words[row * 4] = written;
    return true;
  }
  bytes.fill(0, start, start + INLINE_BYTES);
  return false;
}

function writeBigInts(vector: unknown, values: readonly ColumnValue[], name: string): void {
  const count = values.length;
  const words = new Int32Array(count * 2);
  let validity: Uint8Array | undefined;
  for (let row = 0; row < count; row++) {
    const value = values[row];
    if (value === null || value === undefined) {
      validity ??= allValid(count);
      setInvalid(validity, row);
      continue;
    }
    if (!Number.isSafeInteger(value)) throw wrongType(name, "a safe integer", value);
    const high = Math.floor((value as number) / TWO_POW_32);
    words[row * 2] = (value as number) - high * TWO_POW_32; // low word, stored modulo 2^32
    words[row * 2 + 1] = high;
  }
  bindings.copy_data_to_vector(vector, 0, words.buffer, 0, words.byteLength);
  writeValidity(vector, validity);
}

function writeDoubles(vector: unknown, values: readonly ColumnValue[], name: string): void {
  const count = values.length;
  const doubles = new Float64Array(count);
  let validity: Uint8Array | undefined;
  for (let row = 0; row < count; row++) {
    const value = values[row];
    if (value === null || value === undefined) {
      validity ??= allValid(count);
      setInvalid(validity, row);
    } else if (typeof value === "number") doubles[row] = value;
    else throw wrongType(name, "a number", value);
  }
  bindings.copy_data_to_vector(vector, 0, doubles.buffer, 0, doubles.byteLength);
  writeValidity(vector, validity);
}

function writeBooleans(vector: unknown, values: readonly ColumnValue[], name: string): void {
  const count = values.length;
  const booleans = new Uint8Array(count);
  let validity: Uint8Array | undefined;
  for (let row = 0; row < count; row++) {
    const value = values[row];
    if (value === null || value === undefined) {
      validity ??= allValid(count);
      setInvalid(validity, row);
    } else if (typeof value === "boolean") booleans[row] = value ? 1 : 0;
    else throw wrongType(name, "a boolean", value);
  }
  bindings.copy_data_to_vector(vector, 0, booleans.buffer, 0, booleans.byteLength);
  writeValidity(vector, validity);
}

/** MAP(VARCHAR, VARCHAR): list entries {uint64 offset, uint64 length} here, keys and values in the children. */
function writeStringMaps(vector: unknown, values: readonly ColumnValue[], name: string): void {
  const count = values.length;
  const entries = new Uint32Array(count * 4); // high words stay 0: a chunk never holds 2^32 entries
  const keys: string[] = [];
  const texts: string[] = [];
  let validity: Uint8Array | undefined;
  for (let row = 0; row < count; row++) {
    const value = values[row];
    if (value === null || value === undefined) {
      validity ??= allValid(count);
      setInvalid(validity, row);
      continue;
    }
    if (typeof value !== "object") throw wrongType(name, "an object of strings", value);
    const offset = keys.length;
    for (const [key, text] of Object.entries(value as CustomAttributesText)) {
      keys.push(key);
      texts.push(text);
    }
    entries[row * 4] = offset;
    entries[row * 4 + 2] = keys.length - offset;
  }
  if (keys.length > 0) {
    bindings.list_vector_reserve(vector, keys.length);
    bindings.list_vector_set_size(vector, keys.length);
    // The child is fetched after the reserve, which may have reallocated it.
    const struct = bindings.list_vector_get_child(vector);
    writeStrings(bindings.struct_vector_get_child(struct, 0), keys, name);
    writeStrings(bindings.struct_vector_get_child(struct, 1), texts, name);
  }
  bindings.copy_data_to_vector(vector, 0, entries.buffer, 0, entries.byteLength);
  writeValidity(vector, validity);
}
