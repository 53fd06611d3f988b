// The two event stores a storage test runs against: DuckDB in a temporary folder, and PostgreSQL in a
// scratch database next to VEXIL_TEST_POSTGRES_URL (default: the local server), each removed afterwards.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createScratchDatabase } from "../storage/scratch-database.test-support.js";
import type { AnalyticsStore } from "./analytics-store.js";
import { openDuckDbAnalyticsStore } from "./duckdb-store.js";
import { openPostgresAnalyticsStore } from "./postgres-store.js";

const POSTGRES_ADMIN_URL =
  process.env.VEXIL_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface StoreTarget {
  name: "duckdb" | "postgres";
  open(): Promise<AnalyticsStore>;
  cleanup(): Promise<void>;
}

/** Both stores, named for describe.each; `prefix` names their temporary folder and database. */
export function storeTargets(prefix: string): StoreTarget[] {
  let dir = "";
  let drop = async () => {};
  return [
    {
      name: "duckdb",
      async open() {
        dir = await mkdtemp(join(tmpdir(), `vexil-${prefix}-`));
        return openDuckDbAnalyticsStore({ path: join(dir, "events.duckdb") });
      },
      cleanup: () => rm(dir, { recursive: true, force: true }),
    },
    {
      name: "postgres",
      async open() {
        const database = `vexil_${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
        const scratch = await createScratchDatabase(POSTGRES_ADMIN_URL, database);
        drop = scratch.drop;
        return openPostgresAnalyticsStore({ connectionString: scratch.url });
      },
      cleanup: () => drop(),
    },
  ];
}
