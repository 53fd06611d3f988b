import { createScratchDatabase } from "../../packages/server/src/storage/scratch-database.test-support.js";

/** Creates an empty database next to the one of `adminUrl` (for --postgres); answers its URL and a function dropping it. */
export function createDatabase(
  adminUrl: string,
  name = `vexil_bench_${process.pid}`,
): Promise<{ url: string; drop(): Promise<void> }> {
  return createScratchDatabase(adminUrl, name);
}
