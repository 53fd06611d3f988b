// DuckDB-only behaviour: group commit and durability of acknowledged appends across a hard kill.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveConfig } from "../config.js";
import type { ExposureEvent } from "./analytics-store.js";
import { type GroupCommitReport, openDuckDbAnalyticsStore } from "./duckdb-store.js";

const analyticsDirectory = dirname(fileURLToPath(import.meta.url));
const repositoryRoot = resolve(analyticsDirectory, "../../../..");

function exposures(batch: number, size: number): ExposureEvent[] {
  return Array.from({ length: size }, (_, i) => ({
    kind: "exposure",
    projectKey: "durable",
    environmentKey: "test",
    visitorCode: `visitor-${batch}-${i}`,
    visitId: `visit-${batch}-${i}`,
    featureKey: "flag",
    flagId: 1,
    ruleId: 1,
    experimentId: 1,
    variationKey: i % 2 === 0 ? "on" : "off",
    time: Date.UTC(2025, 0, 1) + batch * 1000 + i,
    attributes: { browser: "chrome", custom: { batch } },
  }));
}

describe("DuckDB analytics store", () => {
  let directory = "";

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "vexil-duckdb-"));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("bounds DuckDB's memory by the configured limit (VEXIL_DUCKDB_MEMORY_LIMIT, 1GB by default)", async () => {
    expect(resolveConfig({}, {}).duckdbMemoryLimit).toBe("1GB");
    expect(resolveConfig({}, { VEXIL_DUCKDB_MEMORY_LIMIT: "300MB" }).duckdbMemoryLimit).toBe("300MB");
    expect(() => resolveConfig({}, { VEXIL_DUCKDB_MEMORY_LIMIT: "lots" })).toThrow(
      /VEXIL_DUCKDB_MEMORY_LIMIT/,
    );
    const path = join(directory, "events.duckdb");
    const store = await openDuckDbAnalyticsStore({ path, config: { memory_limit: "300MB" } });
    const connection = await (await DuckDBInstance.fromCache(path, { memory_limit: "300MB" })).connect();
    const reader = await connection.runAndReadAll("SELECT current_setting('memory_limit') AS v");
    // DuckDB reports it in binary units: 300,000,000 bytes = 286.1 MiB.
    expect(String(reader.getRowObjects()[0]?.v)).toMatch(/^286\.\d MiB$/);
    connection.closeSync();
    await store.close();
  });

  it("runs on the configured number of threads (VEXIL_DUCKDB_THREADS; 0, the default, leaves DuckDB's)", async () => {
    expect(resolveConfig({}, {}).duckdbThreads).toBe(0);
    expect(resolveConfig({}, { VEXIL_DUCKDB_THREADS: "1" }).duckdbThreads).toBe(1);
    expect(() => resolveConfig({}, { VEXIL_DUCKDB_THREADS: "two" })).toThrow(/VEXIL_DUCKDB_THREADS/);
    const path = join(directory, "events.duckdb");
    const store = await openDuckDbAnalyticsStore({ path, config: { threads: "1" } });
    const connection = await (await DuckDBInstance.fromCache(path, { threads: "1" })).connect();
    const reader = await connection.runAndReadAll("SELECT current_setting('threads') AS v");
    expect(Number(reader.getRowObjects()[0]?.v)).toBe(1);
    connection.closeSync();
    await store.close();
  });

  it("coalesces concurrent appends into few transactions, each caller answered after its commit", async () => {
    const reports: GroupCommitReport[] = [];
    const store = await openDuckDbAnalyticsStore({
      path: join(directory, "events.duckdb"),
      onCommit: (report) => reports.push(report),
    });
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, batch) => store.append(exposures(batch, 50), `batch-${batch}`)),
    );
    expect(results.every((r) => r.stored === 50 && !r.duplicate)).toBe(true);
    expect(reports.reduce((n, r) => n + r.appends, 0)).toBe(64);
    expect(reports.reduce((n, r) => n + r.events, 0)).toBe(64 * 50);
    expect(reports.length).toBeLessThan(8);
    expect(await store.counts({ projectKey: "durable" })).toEqual([
      { kind: "exposure", projectKey: "durable", environmentKey: "test", count: 3200 },
    ]);
    await store.close();
  });

  it("keeps every acknowledged append when the process is killed (SIGKILL) mid-ingestion", async () => {
    const path = join(directory, "events.duckdb");
    const child = join(directory, "ingest.mjs");
    await writeFile(
      child,
      `const { openDuckDbAnalyticsStore } = await import(process.argv[2]);
const store = await openDuckDbAnalyticsStore({ path: process.argv[3] });
const batch = (n) => Array.from({ length: 100 }, (_, i) => ({
  kind: "exposure", projectKey: "durable", environmentKey: "test", visitorCode: "v" + n + "-" + i,
  visitId: "s" + n + "-" + i, featureKey: "flag", flagId: 1, ruleId: 1, experimentId: 1,
  variationKey: "on", time: 1735689600000 + n, attributes: {} }));
for (let n = 0; ; n++) {
  // Two appends in flight at a time, so the kill lands while a commit may be running.
  await Promise.all([n * 2, n * 2 + 1].map(async (id) => {
    await store.append(batch(id), "p" + id);
    process.stdout.write("acked " + id + "\\n");
  }));
}
`,
    );
    const acked = await runUntilAcked(child, [join(analyticsDirectory, "duckdb-store.ts"), path], 30);

    const store = await openDuckDbAnalyticsStore({ path });
    const counts = await store.counts({ projectKey: "durable" });
    const stored = counts[0]?.count ?? 0;
    expect(stored % 100).toBe(0);
    expect(stored).toBeGreaterThanOrEqual(acked.size * 100);
    for (const id of acked)
      expect(await store.append(exposures(id, 1), `p${id}`)).toEqual({ stored: 0, duplicate: true });
    await store.close();
  }, 60_000);
});

/** Runs the ingesting child and SIGKILLs it as soon as `enough` appends were acknowledged. */
function runUntilAcked(script: string, args: string[], enough: number): Promise<Set<number>> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", script, ...args], {
      cwd: repositoryRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const acked = new Set<number>();
    let stderr = "";
    let buffered = "";
    child.stderr.on("data", (data) => {
      stderr += String(data);
    });
    child.stdout.on("data", (data) => {
      buffered += String(data);
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) if (line.startsWith("acked ")) acked.add(Number(line.slice(6)));
      if (acked.size >= enough) child.kill("SIGKILL");
    });
    child.on("exit", (_code, signal) => {
      if (signal === "SIGKILL") resolvePromise(acked);
      else reject(new Error(`ingesting child exited on its own: ${stderr}`));
    });
  });
}
