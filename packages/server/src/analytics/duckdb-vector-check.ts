import type { DuckDBConnection } from "@duckdb/node-api";
import type { ExposureEvent } from "./analytics-store.js";
import { statementRunner } from "./duckdb-polled-run.js";
import { EventRowsInserter } from "./duckdb-vectors.js";
import { DUCKDB_TYPES } from "./duckdb-writer.js";
import { type ColumnValue, EXPOSURE_COLUMNS } from "./event-columns.js";

// The vector writer (duckdb-vectors.ts) writes DuckDB's C memory layouts through @duckdb/node-bindings
// internals (docs/decisions/0004-duckdb-vector-writer.md). The packages are pinned, but a wrong layout would
// corrupt events silently, so every store open writes probe events through it into a temporary table and
// reads them back; a difference stops the store from opening with the first cell that differs.

const TABLE = "vexil_vector_writer_probe";

/** Probe events: short (inline) and long (heap) strings, non-ASCII text, nulls, extreme integers, a map. */
export const PROBE_EVENTS: ExposureEvent[] = [
  {
    kind: "exposure",
    projectKey: "p",
    environmentKey: "production-environment-key",
    featureKey: "fläg-ünïcode-key-longer-than-12",
    flagId: 1,
    ruleId: 2 ** 53 - 1,
    experimentId: null,
    variationKey: "on",
    visitorCode: "v",
    visitId: "visit-0123456789abcdef",
    time: 1_700_000_000_000,
    attributes: {
      browser: "Firefox",
      newVisitor: true,
      custom: { plan: "pro", "long key name": "x".repeat(40) },
    },
  },
  {
    kind: "exposure",
    projectKey: "project-key-of-exactly-28-b",
    environmentKey: "e",
    featureKey: "twelve-bytes",
    flagId: -(2 ** 53 - 1),
    ruleId: 0,
    experimentId: 7,
    variationKey: "",
    visitorCode: "visitor-code-with-😀",
    visitId: "w",
    time: 0,
    attributes: {},
  },
];

/** A cell as the check compares it: integers as decimal text, maps as sorted key=value lists. */
function normal(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint" || typeof value === "number") return String(value);
  if (Array.isArray(value)) {
    return (value as { key: string; value: string }[]).map((e) => `${e.key}=${e.value}`).sort();
  }
  if (typeof value === "object") {
    return Object.entries(value as Record<string, string>)
      .map(([k, v]) => `${k}=${v}`)
      .sort();
  }
  return value;
}

/** The first difference between what was written and what was read back, or undefined. */
export function firstDifference(
  written: readonly Record<string, ColumnValue>[],
  read: readonly Record<string, unknown>[],
): string | undefined {
  if (written.length !== read.length) return `wrote ${written.length} rows, read ${read.length}`;
  for (let row = 0; row < written.length; row++) {
    for (const [column, value] of Object.entries(written[row]!)) {
      const expected = JSON.stringify(normal(value));
      const actual = JSON.stringify(normal(read[row]![column]));
      if (expected !== actual) return `row ${row}, column ${column}: wrote ${expected}, read ${actual}`;
    }
  }
  return undefined;
}

/** Writes PROBE_EVENTS through the vector writer and reads them back; throws naming the first difference. */
export async function checkVectorWriter(connection: DuckDBConnection): Promise<void> {
  const definitions = EXPOSURE_COLUMNS.map((c) => `${c.name} ${DUCKDB_TYPES[c.kind].toString()}`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${TABLE} (${definitions.join(", ")})`);
  const inserter = await EventRowsInserter.prepare<ExposureEvent>(
    connection,
    TABLE,
    EXPOSURE_COLUMNS,
    EXPOSURE_COLUMNS.map((c) => DUCKDB_TYPES[c.kind]),
    await statementRunner(connection), // as the writers run it
  );
  try {
    await inserter.insert(PROBE_EVENTS);
    const read = (
      await connection.runAndReadAll(`SELECT * FROM ${TABLE} ORDER BY time DESC`)
    ).getRowObjectsJson();
    const written = PROBE_EVENTS.map((event) =>
      Object.fromEntries(EXPOSURE_COLUMNS.map((c) => [c.name, c.read(event)])),
    );
    const difference = firstDifference(written, read);
    if (difference) {
      throw new Error(
        `DuckDB vector writer round trip failed (${difference}): the installed @duckdb/node-api or ` +
          "@duckdb/node-bindings does not match the layouts analytics/duckdb-vectors.ts writes; install the " +
          "versions pinned in packages/server/package.json",
      );
    }
  } finally {
    inserter.close();
    await connection.run(`DROP TABLE IF EXISTS ${TABLE}`);
  }
}
