// The DuckDB store's write path: every column value reaches the table exactly as given (the vectors are
// written as raw bytes, see duckdb-vectors.ts), and payload ids stay idempotent when a group mixes new ids,
// ids stored before and ids repeated within the group.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConversionEvent, ExposureEvent } from "./analytics-store.js";
import { type GroupCommitReport, openDuckDbAnalyticsStore } from "./duckdb-store.js";
import {
  CONVERSION_COLUMNS,
  CONVERSIONS_TABLE,
  type EventColumn,
  EXPOSURE_COLUMNS,
  EXPOSURES_TABLE,
} from "./event-columns.js";

const T0 = Date.UTC(2025, 2, 1);

// Around the 12-byte inline limit of DuckDB strings, in ASCII and multi-byte UTF-8, and empty.
const TEXTS = [
  "",
  "a",
  "twelve-bytes", // 12 ASCII bytes: inline
  "thirteen-byte", // 13: not inline
  "éééééé", // 6 UTF-16 units, 12 UTF-8 bytes: inline
  "ééééééé", // 14 UTF-8 bytes: not inline
  "😀😀😀", // 3 surrogate pairs, 12 UTF-8 bytes: inline
  "abc😀defgh", // 12 UTF-8 bytes with a pair in the middle
  "ab\u0000cd", // NUL inside
  "x".repeat(256),
  `it's "quoted", with, commas\nand a newline`,
];

const text = (i: number) => TEXTS[i % TEXTS.length]!;
const nonEmpty = (i: number) => text(i) || "-";

function customOf(i: number): Record<string, string | number | boolean> | undefined {
  switch (i % 5) {
    case 0:
      return undefined;
    case 1:
      return {};
    case 2:
      return { plan: text(i), age: i, beta: i % 2 === 0 };
    case 3:
      return Object.fromEntries(Array.from({ length: 50 }, (_, k) => [`key ${k} ${text(k)}`, text(i + k)]));
    default:
      return { [text(i + 3) || "empty"]: -1.5 };
  }
}

function exposure(i: number): ExposureEvent {
  return {
    kind: "exposure",
    projectKey: "vectors",
    environmentKey: nonEmpty(i + 1),
    visitorCode: `${nonEmpty(i)}-${i}`,
    visitId: `${i}`,
    featureKey: nonEmpty(i + 2),
    flagId: i % 3 === 0 ? -(2 ** 40) - i : i,
    ruleId: i % 7 === 0 ? Number.MAX_SAFE_INTEGER : i % 4,
    experimentId: i % 4 === 0 ? null : i % 4 === 1 ? Number.MIN_SAFE_INTEGER : 2 ** 32 + i,
    variationKey: nonEmpty(i + 5),
    time: T0 + i,
    attributes: {
      ...(i % 2 === 0 ? { browser: text(i) } : {}),
      ...(i % 3 === 0 ? {} : { deviceType: text(i + 1), os: text(i + 2) }),
      ...(i % 5 === 0 ? {} : { country: text(i + 4) }),
      ...(i % 3 === 2 ? {} : { newVisitor: i % 3 === 0 }),
      ...(customOf(i) === undefined ? {} : { custom: customOf(i)! }),
    },
  };
}

function conversion(i: number): ConversionEvent {
  return {
    kind: "conversion",
    projectKey: "vectors",
    environmentKey: nonEmpty(i + 1),
    visitorCode: `${nonEmpty(i + 6)}-${i}`,
    visitId: `${i}`,
    goalId: i % 2 === 0 ? 2 ** 33 + i : i,
    value: [0, -1.5, 1e300, 5e-324, 123.456][i % 5]!,
    time: T0 + i,
    ...(i % 2 === 0 ? {} : { attributes: { browser: text(i), custom: customOf(i) ?? {} } }),
  };
}

/** A column value as DuckDB answers it, normalised for comparison with what `read` gave. */
function normalise(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  return value;
}

async function storedRows<E>(path: string, table: string, columns: EventColumn<E>[]) {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    const select = columns.map((column) =>
      column.kind === "custom" ? `to_json(${column.name})::VARCHAR AS ${column.name}` : column.name,
    );
    const reader = await connection.runAndReadAll(`SELECT ${select.join(", ")} FROM ${table} ORDER BY time`);
    return reader.getRowObjectsJS().map((row) =>
      Object.fromEntries(
        columns.map((column) => {
          const value = row[column.name];
          return [
            column.name,
            column.kind === "custom" && value !== null ? JSON.parse(value as string) : normalise(value),
          ];
        }),
      ),
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function expectedRows<E>(events: E[], columns: EventColumn<E>[]) {
  return events.map((event) =>
    Object.fromEntries(columns.map((column) => [column.name, column.read(event)])),
  );
}

describe("DuckDB store write path", () => {
  let directory = "";

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "vexil-duckdb-writer-"));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("stores every column exactly as given, across chunk boundaries and concurrent writers", async () => {
    const path = join(directory, "events.duckdb");
    const store = await openDuckDbAnalyticsStore({ path });
    // 5,000 of each kind in batches of varied sizes, some larger than one 2,048-row chunk.
    const exposures = Array.from({ length: 5000 }, (_, i) => exposure(i));
    const conversions = Array.from({ length: 5000 }, (_, i) => conversion(i));
    const sizes = [1, 2047, 2048, 2049, 855];
    const batches: (ExposureEvent | ConversionEvent)[][] = [];
    let start = 0;
    for (const size of sizes) {
      batches.push([...exposures.slice(start, start + size), ...conversions.slice(start, start + size)]);
      start += size;
    }
    const results = await Promise.all(batches.map((batch, index) => store.append(batch, `batch-${index}`)));
    expect(results).toEqual(batches.map((batch) => ({ stored: batch.length, duplicate: false })));
    await store.close();

    expect(await storedRows(path, EXPOSURES_TABLE, EXPOSURE_COLUMNS)).toEqual(
      expectedRows(exposures, EXPOSURE_COLUMNS),
    );
    expect(await storedRows(path, CONVERSIONS_TABLE, CONVERSION_COLUMNS)).toEqual(
      expectedRows(conversions, CONVERSION_COLUMNS),
    );
  });

  it("in one group, stores new payload ids once and skips ids stored before", async () => {
    const reports: GroupCommitReport[] = [];
    const store = await openDuckDbAnalyticsStore({
      path: join(directory, "events.duckdb"),
      writers: 1,
      onCommit: (report) => reports.push(report),
    });
    const batch = (n: number) => [exposure(n), exposure(n + 1)];
    expect(await store.append(batch(0), "old")).toEqual({ stored: 2, duplicate: false });
    // While this commits alone, the next four wait and then go together in one transaction.
    const running = store.append(batch(10), "first");
    const group = await Promise.all([
      store.append(batch(20), "old"),
      store.append(batch(30), "new"),
      store.append(batch(40), "new"),
      store.append(batch(50)),
    ]);
    await running;
    expect(group).toEqual([
      { stored: 0, duplicate: true },
      { stored: 2, duplicate: false },
      { stored: 0, duplicate: true },
      { stored: 2, duplicate: false },
    ]);
    expect(reports.at(-1)).toMatchObject({ appends: 4, events: 4 });
    const total = (await store.counts({ projectKey: "vectors" })).reduce((sum, row) => sum + row.count, 0);
    expect(total).toBe(2 + 2 + 2 + 2);
    // A retry of the whole group later stores nothing new.
    expect(await store.append(batch(30), "new")).toEqual({ stored: 0, duplicate: true });
    await store.close();
  });
});
