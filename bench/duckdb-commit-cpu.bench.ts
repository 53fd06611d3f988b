// CPU per small transaction of DuckDB as the embedded event store runs it (a libuv worker executes each
// statement), with DuckDB's default thread count (one per core) vs one thread, two files in the same
// process, alternating. Each transaction is a small group commit: BEGIN, an INSERT of `rows` rows, COMMIT
// (fsync). With background threads, the statement's task often runs on one of DuckDB's threads while the
// worker that asked for it busy-waits (PendingQueryResult::ExecuteInternal loops on NO_TASKS_AVAILABLE),
// through the COMMIT's fsync too; this measures what that costs, and the same statements run as the store
// runs its event INSERTs (analytics/duckdb-polled-run.ts: started, polled once a millisecond). Run:
//   npx tsx --conditions=source bench/duckdb-commit-cpu.bench.ts [--commits=200] [--rows=1] [--runs=3]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBPreparedStatement } from "@duckdb/node-api";
import { statementRunner } from "../packages/server/src/analytics/duckdb-polled-run.js";
import { benchOptions } from "./support/options.js";
import { median, printTable } from "./support/table.js";

const { commits, rows, runs } = benchOptions({ commits: 200, rows: 1, runs: 3 });
const directory = fs.mkdtempSync(path.join(os.tmpdir(), "vexil-commit-cpu-"));

// `polled`: statements run as the store's writers run them (analytics/duckdb-polled-run.ts), else run().
async function open(name: string, config: Record<string, string>, polled = false) {
  const instance = await DuckDBInstance.create(path.join(directory, `${name}.duckdb`), config);
  const connection = await instance.connect();
  await connection.run("CREATE TABLE events (visitor VARCHAR, time BIGINT)");
  const statements = await Promise.all(
    [
      "BEGIN TRANSACTION",
      `INSERT INTO events SELECT 'visitor-' || i, i FROM range(${rows}) t(i)`,
      "COMMIT",
    ].map((sql) => connection.prepare(sql)),
  );
  const threads = (await connection.runAndReadAll("SELECT current_setting('threads')")).getRows()[0]![0];
  const run = polled
    ? await statementRunner(connection)
    : async (statement: DuckDBPreparedStatement) => {
        await statement.run();
      };
  return {
    threads: String(threads),
    /** CPU and wall ms per transaction of this process (DuckDB's threads included). */
    async measure() {
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < commits; i++) for (const statement of statements) await run(statement);
      const cpu = process.cpuUsage(cpuStart);
      return { cpu: (cpu.user + cpu.system) / 1000 / commits, wall: (performance.now() - start) / commits };
    },
    close() {
      for (const statement of statements) statement.destroySync();
      connection.closeSync();
      instance.closeSync();
    },
  };
}

const stores = {
  "default (one thread per core)": await open("default", {}),
  "default, polled as the store runs it": await open("polled", {}, true),
  "threads = 1 (baseline)": await open("one", { threads: "1" }),
};
const results = new Map<string, { cpu: number[]; wall: number[] }>();
for (let run = 0; run < runs; run++) {
  for (const [name, store] of Object.entries(stores)) {
    const { cpu, wall } = await store.measure();
    const result = results.get(name) ?? { cpu: [], wall: [] };
    result.cpu.push(cpu);
    result.wall.push(wall);
    results.set(name, result);
  }
}
const baselineCpu = median(results.get("threads = 1 (baseline)")!.cpu);
printTable(
  [...results].map(([name, { cpu, wall }]) => ({
    "DuckDB threads": `${name}: ${stores[name as keyof typeof stores].threads}`,
    "CPU ms/commit (median)": median(cpu),
    "wall ms/commit (median)": median(wall),
    "CPU vs 1 thread": median(cpu) / baselineCpu,
    "load avg (1/5/15)": os
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(" "),
  })),
);
console.log(`\n${runs} runs of ${commits} commits of ${rows} row(s) each, ${os.cpus().length} cores`);
for (const store of Object.values(stores)) store.close();
fs.rmSync(directory, { recursive: true, force: true });
