// Ingestion over HTTP: batches of 1,000 events from 4 concurrent senders for N seconds against a Vexil
// server (child process, embedded DuckDB), next to a bare Node server that only parses the same bodies.
// Stored events must equal acknowledged events. Run: npx tsx --conditions=source bench/ingestion.bench.ts
// [--seconds=60] [--runs=3] [--senders=4]

import { eventBatches, postBatch } from "./support/event-batches.js";
import { benchOptions } from "./support/options.js";
import { median, printTable } from "./support/table.js";
import { adminRequest, startBareServer, startVexil } from "./support/vexil-process.js";

const { seconds, runs, senders } = benchOptions({ seconds: 60, runs: 3, senders: 4 });
const BATCH = 1000;

interface Load {
  acked: number;
  refused: number;
  eventsPerSecond: number;
}

/** Runs `senders` loops posting batches until the deadline; counts acknowledged events. */
async function load(baseUrl: string, sdkKey: string, batches: string[], tag: string): Promise<Load> {
  const deadline = Date.now() + seconds * 1000;
  let acked = 0;
  let refused = 0;
  let sequence = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (Date.now() < deadline) {
        const n = sequence++;
        const { status, retryAfterMs } = await postBatch(
          baseUrl,
          sdkKey,
          batches[n % batches.length] as string,
          `${tag}-${n}`,
        );
        if (status === 202) acked += BATCH;
        else if (status === 429 || status === 503) {
          refused++;
          await new Promise((resolve) => setTimeout(resolve, retryAfterMs || 100));
        } else throw new Error(`unexpected status ${status}`);
      }
    }),
  );
  return { acked, refused, eventsPerSecond: acked / ((performance.now() - start) / 1000) };
}

async function bareServerLoad(batches: string[]): Promise<number> {
  const bare = await startBareServer(0, '{"accepted":1000}', { status: 202, parseJson: true });
  try {
    return (await load(bare.baseUrl, "none", batches, "bare")).eventsPerSecond;
  } finally {
    await bare.stop();
  }
}

const server = await startVexil({ port: 18_430 });
await adminRequest(server, "POST", "/projects", { key: "bench", name: "Bench" });
await adminRequest(server, "POST", "/goals", { siteCode: "bench", name: "Purchase", key: "purchase" });
const environment = await adminRequest(server, "GET", "/projects/bench/environments/production");
const batches = eventBatches(40, BATCH, "purchase");
const peakRss: number[] = [];
const rows: Record<string, string | number>[] = [];
const rates: number[] = [];
let totalAcked = 0;
for (let run = 1; run <= runs; run++) {
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, server.rssMb());
  }, 500);
  const result = await load(server.baseUrl, environment.serverSdkKey, batches, `run${run}`);
  clearInterval(sampler);
  totalAcked += result.acked;
  peakRss.push(peak);
  rates.push(result.eventsPerSecond);
  rows.push({
    run,
    "events/s": Math.round(result.eventsPerSecond),
    acknowledged: result.acked,
    "429/503": result.refused,
    "peak RSS MB": Math.round(peak),
  });
}
const stored = await adminRequest(server, "GET", "/admin/events?projectKey=bench");
const storedTotal = (stored.counts as { count: number }[]).reduce((sum, row) => sum + row.count, 0);
await server.stop();
const bare = await bareServerLoad(batches);
printTable(rows);
console.log();
printTable([
  { measure: "vexil median events/s", value: Math.round(median(rates)) },
  { measure: "bare node (parse only) events/s", value: Math.round(bare) },
  { measure: "ratio vexil / bare", value: median(rates) / bare },
  { measure: "acknowledged events", value: totalAcked },
  { measure: "stored events", value: storedTotal },
  { measure: "stored == acknowledged", value: storedTotal === totalAcked ? "yes" : "NO" },
  { measure: "max peak RSS MB", value: Math.round(Math.max(...peakRss)) },
]);
