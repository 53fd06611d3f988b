import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { checkVectorWriter, firstDifference, PROBE_EVENTS } from "./duckdb-vector-check.js";
import { EXPOSURE_COLUMNS } from "./event-columns.js";

describe("DuckDB vector writer round trip (run when the store opens)", () => {
  it("reads back every probe cell on the pinned DuckDB packages", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      await expect(checkVectorWriter(connection)).resolves.toBeUndefined();
      // The probe table is gone: nothing of the check stays in the store.
      const tables = await connection.runAndReadAll("SELECT table_name FROM duckdb_tables()");
      expect(tables.getRowObjectsJson()).toEqual([]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it("names the first cell that differs", () => {
    const written = PROBE_EVENTS.map((event) =>
      Object.fromEntries(EXPOSURE_COLUMNS.map((c) => [c.name, c.read(event)])),
    );
    const read = written.map((row) => ({ ...row }));
    expect(firstDifference(written, read)).toBeUndefined();
    read[1]!.visitor_code = "visitor-code-with-?";
    expect(firstDifference(written, read)).toBe(
      'row 1, column visitor_code: wrote "visitor-code-with-😀", read "visitor-code-with-?"',
    );
    expect(firstDifference(written, read.slice(1))).toBe("wrote 2 rows, read 1");
  });
});
