/**
 * Runs a writer's event INSERT (duckdb-vectors.ts) without a thread spinning while it executes.
 *
 * `DuckDBPreparedStatement.run()` executes on a libuv worker that loops on DuckDB's PendingQueryResult:
 * while one of DuckDB's own threads runs the statement's task (and, for the event INSERT, waits for the JS
 * thread to fill its chunks), that worker finds no task of its own and asks again, at full speed, until the
 * task ends, taking a core from the JS thread the task waits for: ~20 % of the store's CPU per event
 * (measured with 1,000-event batches, 2 cores). Here the statement is started, DuckDB's threads run it, and
 * the JS thread looks at its state once a millisecond (a look runs no task); the result is fetched once
 * ready, on a worker. Short statements (BEGIN, COMMIT) are not worth it: their spin is shorter than the
 * polling's delays and wake-ups (bench/duckdb-commit-cpu.bench.ts measures both ways).
 *
 * With a single DuckDB thread nobody else would run the task: `run()` is used, and spins on nothing.
 */
import { createRequire } from "node:module";
import type { DuckDBConnection, DuckDBPendingResult, DuckDBPreparedStatement } from "@duckdb/node-api";

interface PendingBindings {
  pending_execute_check_state(pending: unknown): number;
  pending_execution_is_finished(state: number): boolean;
}

// The module instance @duckdb/node-api loaded (see duckdb-vectors.ts): its handles are valid only with it.
const nodeApiPath = createRequire(import.meta.url).resolve("@duckdb/node-api");
const bindings = createRequire(nodeApiPath)("@duckdb/node-bindings") as PendingBindings;

const POLL_MS = 1;

/** How a writer connection runs its prepared statements. */
export type StatementRunner = (statement: DuckDBPreparedStatement) => Promise<void>;

const runDirectly: StatementRunner = async (statement) => {
  await statement.run();
};

/** The native handle of a pending result (a private field of @duckdb/node-api, whose version is pinned). */
function pendingHandle(pending: DuckDBPendingResult): unknown {
  const handle = (pending as unknown as { pending_result?: unknown }).pending_result;
  if (handle === undefined) throw new Error("@duckdb/node-api changed: DuckDBPendingResult has no handle");
  return handle;
}

const runPolled: StatementRunner = async (statement) => {
  const pending = statement.start();
  const handle = pendingHandle(pending);
  while (!bindings.pending_execution_is_finished(bindings.pending_execute_check_state(handle))) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  await pending.getResult(); // rejects with the statement's error, if any
};

/** The runner for `connection`'s statements, by the instance's thread count. */
export async function statementRunner(connection: DuckDBConnection): Promise<StatementRunner> {
  const reader = await connection.runAndReadAll("SELECT current_setting('threads') AS threads");
  return Number(reader.getRows()[0]![0]) > 1 ? runPolled : runDirectly;
}
