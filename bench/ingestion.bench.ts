// Ingestion over HTTP: batches of 1,000 events from 4 concurrent senders for N seconds against a Vexil
// server (child process, embedded DuckDB, or PostgreSQL with --postgres=URL of a database of its own), next to
// a bare Node server that only parses the same bodies. Stored events must equal acknowledged events. Run:
//   npx tsx --conditions=source bench/ingestion.bench.ts [--seconds=60] [--runs=3] [--senders=4]
//     [--format=2] [--port=18430] [--postgres=postgres://...]
// --format: 2 (default) sends bodies as the SDK writes them (columns), 1 the array of event objects.
//
// What is measured: the senders run in this process (node:http, keep-alive, pre-encoded bodies that vary
// only in their X-Vexil-Payload-Id header) and share the machine's cores with the server; their CPU and
// the server's are reported per 1,000 events so the numbers say where the time went. The bare server is
// the ceiling of Node's HTTP stack + JSON.parse of the same bodies with the same client, on this machine.

import os from "node:os";
import { eventBatches, postBatch } from "./support/event-batches.js";
import { benchOptions } from "./support/options.js";
import { median, printTable } from "./support/table.js";
import { adminRequest, type ServerProcess, startBareServer, startVexil } from "./support/vexil-process.js";

const { seconds, runs, senders, format, port, postgres } = benchOptions(
  { seconds: 60, runs: 3, senders: 4, format: 2, port: 18_430 },
  ["postgres"],
);
if (format !== 1 && format !== 2) throw new Error("--format is 1 or 2");
const BATCH = 1000;

interface Load {
  acked: number;
  refused: number;
  eventsPerSecond: number;
  /** CPU seconds per 1,000 acknowledged events, as ms: this process (senders) and the server. */
  clientCpuMsPer1000: number;
  serverCpuMsPer1000: number;
  /** Mean cores busy over the run. */
  clientCores: number;
  serverCores: number;
}

/** Runs `senders` loops posting batches until the deadline; counts acknowledged events. */
async function load(server: ServerProcess, sdkKey: string, batches: Buffer[], tag: string): Promise<Load> {
  const deadline = Date.now() + seconds * 1000;
  let acked = 0;
  let refused = 0;
  let sequence = 0;
  const start = performance.now();
  const clientStart = process.cpuUsage();
  const serverStart = server.cpuSeconds();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (Date.now() < deadline) {
        const n = sequence++;
        const { status, retryAfterMs } = await postBatch(
          server.baseUrl,
          sdkKey,
          batches[n % batches.length] as Buffer,
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
  const elapsed = (performance.now() - start) / 1000;
  const client = process.cpuUsage(clientStart);
  const clientCpu = (client.user + client.system) / 1e6;
  const serverCpu = server.cpuSeconds() - serverStart;
  return {
    acked,
    refused,
    eventsPerSecond: acked / elapsed,
    clientCpuMsPer1000: (clientCpu * 1e6) / acked,
    serverCpuMsPer1000: (serverCpu * 1e6) / acked,
    clientCores: clientCpu / elapsed,
    serverCores: serverCpu / elapsed,
  };
}

async function bareServerLoad(batches: Buffer[]): Promise<Load> {
  const bare = await startBareServer(0, '{"accepted":1000}', { status: 202, parseJson: true });
  try {
    return await load(bare, "none", batches, "bare");
  } finally {
    await bare.stop();
  }
}

const loadAverage = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");

// The default configuration (no rate-limit override): SDK traffic must not be throttled on it.
const server = await startVexil({ port, ...(postgres ? { env: { VEXIL_DATABASE_URL: postgres } } : {}) });
await adminRequest(server, "POST", "/projects", { key: "bench", name: "Bench" });
await adminRequest(server, "POST", "/goals", { siteCode: "bench", name: "Purchase", key: "purchase" });
const environment = await adminRequest(server, "GET", "/projects/bench/environments/production");
const batches = eventBatches(40, BATCH, "purchase", format);
const bodyBytes = batches.reduce((sum, body) => sum + body.length, 0) / batches.length;
const peakRss: number[] = [];
const rows: Record<string, string | number>[] = [];
const results: Load[] = [];
let totalAcked = 0;
const loadBefore = loadAverage();
for (let run = 1; run <= runs; run++) {
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, server.rssMb());
  }, 500);
  const result = await load(server, environment.serverSdkKey, batches, `run${run}`);
  clearInterval(sampler);
  totalAcked += result.acked;
  peakRss.push(peak);
  results.push(result);
  rows.push({
    run,
    "events/s": Math.round(result.eventsPerSecond),
    acknowledged: result.acked,
    "429/503": result.refused,
    "server cores": result.serverCores,
    "client cores": result.clientCores,
    "server CPU ms/1k ev": result.serverCpuMsPer1000,
    "client CPU ms/1k ev": result.clientCpuMsPer1000,
    "peak RSS MB": Math.round(peak),
    "load avg (1/5/15)": loadAverage(),
  });
}
const stored = await adminRequest(server, "GET", "/admin/events?projectKey=bench");
const storedTotal = (stored.counts as { count: number }[]).reduce((sum, row) => sum + row.count, 0);
await server.stop();
const bare = await bareServerLoad(batches);
printTable(rows);
console.log();
const vexilRate = median(results.map((result) => result.eventsPerSecond));
printTable([
  { measure: "vexil median events/s", value: Math.round(vexilRate) },
  { measure: "bare node (HTTP + JSON.parse only) events/s", value: Math.round(bare.eventsPerSecond) },
  { measure: "ratio vexil / bare", value: vexilRate / bare.eventsPerSecond },
  {
    measure: "vexil server CPU ms per 1,000 events (median)",
    value: median(results.map((result) => result.serverCpuMsPer1000)),
  },
  { measure: "bare server CPU ms per 1,000 events", value: bare.serverCpuMsPer1000 },
  {
    measure: "client (senders) CPU ms per 1,000 events (median)",
    value: median(results.map((result) => result.clientCpuMsPer1000)),
  },
  { measure: "acknowledged events", value: totalAcked },
  { measure: "stored events", value: storedTotal },
  { measure: "stored == acknowledged", value: storedTotal === totalAcked ? "yes" : "NO" },
  { measure: "max peak RSS MB", value: Math.round(Math.max(...peakRss)) },
  { measure: "event store", value: postgres ? "PostgreSQL" : "DuckDB (embedded)" },
  { measure: "body format, bytes per event", value: `${format}, ${Math.round(bodyBytes / BATCH)}` },
  { measure: "cores", value: os.cpus().length },
  { measure: "load average before / after", value: `${loadBefore} / ${loadAverage()}` },
]);
