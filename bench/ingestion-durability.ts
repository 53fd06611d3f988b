// Durability of ingestion: kill -9 the server in the middle of ingestion, restart it on the same data,
// and check that every acknowledged batch is stored. Then re-send the batches whose answer was lost
// (same payload ids): the store must end with exactly every batch once.
// Run: npx tsx --conditions=source bench/ingestion-durability.ts [--database-url postgres://...]
import { parseArgs } from "node:util";
import { eventBatches, postBatch } from "./support/event-batches.js";
import { printTable } from "./support/table.js";
import { adminRequest, startVexil, type VexilProcess } from "./support/vexil-process.js";

const { values } = parseArgs({ options: { "database-url": { type: "string" } } });
const env: Record<string, string> = values["database-url"]
  ? { VEXIL_DATABASE_URL: values["database-url"] }
  : {};
const BATCH = 1000;
const port = 18_440;

async function storedEvents(server: VexilProcess): Promise<number> {
  const stored = await adminRequest(server, "GET", "/admin/events?projectKey=durable");
  return (stored.counts as { count: number }[]).reduce((sum, row) => sum + row.count, 0);
}

const first = await startVexil({ port, env });
await adminRequest(first, "POST", "/projects", { key: "durable", name: "Durable" });
await adminRequest(first, "POST", "/goals", { siteCode: "durable", name: "Purchase", key: "purchase" });
const { serverSdkKey } = await adminRequest(first, "GET", "/projects/durable/environments/production");
const batches = eventBatches(20, BATCH, "purchase");

const acknowledged = new Set<number>();
const sent = new Set<number>();
let sequence = 0;
let killed = false;
const senders = Array.from({ length: 4 }, async () => {
  while (!killed) {
    const n = sequence++;
    sent.add(n);
    try {
      const { status } = await postBatch(
        first.baseUrl,
        serverSdkKey,
        batches[n % batches.length] as Buffer,
        `batch-${n}`,
      );
      if (status === 202) acknowledged.add(n);
    } catch {
      return; // the server is gone
    }
  }
});
await new Promise((resolve) => setTimeout(resolve, 4000));
killed = true;
await first.kill9();
await Promise.all(senders);

const second = await startVexil({ port, env, dataDir: first.dataDir, adminToken: first.adminToken });
const afterRestart = await storedEvents(second);
const lost = [...sent].filter((n) => !acknowledged.has(n));
for (const n of lost) {
  await postBatch(second.baseUrl, serverSdkKey, batches[n % batches.length] as Buffer, `batch-${n}`);
}
const afterResend = await storedEvents(second);
await second.stop();

printTable([
  { measure: "batches sent before kill -9", value: sent.size },
  { measure: "batches acknowledged (202)", value: acknowledged.size },
  { measure: "events stored after restart", value: afterRestart },
  {
    measure: "every acknowledged event stored",
    value: afterRestart >= acknowledged.size * BATCH ? "yes" : "NO",
  },
  { measure: "unacknowledged batches re-sent", value: lost.length },
  { measure: "events stored after re-send", value: afterResend },
  { measure: "exactly once (stored == sent)", value: afterResend === sent.size * BATCH ? "yes" : "NO" },
]);
if (afterRestart < acknowledged.size * BATCH || afterResend !== sent.size * BATCH) process.exitCode = 1;
