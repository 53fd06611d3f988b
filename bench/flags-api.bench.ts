// GET /feature-flags/{siteCode}/{featureKey} on the embedded default (SQLite), 10,000 flags in one project,
// random keys, 50 connections for 10 s (autocannon), median of 3 runs, compared in the same run with a bare
// Node `http` server answering a JSON body of the same size. Both servers run as child processes so their
// resident memory (end and peak, from /proc) and CPU time can be read: CPU per request is the server's CPU
// time over a run divided by the requests it answered, the figure that holds on a machine shared with others.
// The server runs on its default configuration, rate limits included: the management API allows each token
// 60,000 requests a minute, so the load is spread over one read-only token per connection (as many clients
// of the API would), which keeps every token under its limit while the limiter still runs on each request.
//
//   npx tsx --conditions=source bench/flags-api.bench.ts [--flags 10000] [--duration 10] [--runs 3]
//
// The Vexil server runs from the TypeScript sources through tsx by default (no build needed); set
// BENCH_SERVER=dist to run `node packages/server/dist/cli.js serve` after `npm run build`.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runProgressiveTick } from "../packages/server/src/automation/progressive-delivery.js";
import { resolveConfig } from "../packages/server/src/config.js";
import { ensureDemoProject } from "../packages/server/src/demo/demo-project.js";
import { openServer } from "../packages/server/src/server.js";
import { type LoadResult, runAutocannon } from "./support/autocannon.js";
import { benchOptions } from "./support/options.js";
import { median, printTable } from "./support/table.js";
import { type ServerProcess, startBareServer, startVexil } from "./support/vexil-process.js";

const {
  flags: FLAGS,
  duration: DURATION,
  runs: RUNS,
  connections: CONNECTIONS,
} = benchOptions({ flags: 10000, duration: 10, runs: 3, connections: 50 });
const TOKEN = "vx_bench_admin_token_0123456789abcdefghijklmnop";

/** A flag shaped like real ones: two or three variations, variables, a rule or two per environment. */
function flagBody(i: number) {
  const key = `flag_${String(i).padStart(5, "0")}`;
  const rules =
    i % 3 === 0
      ? [
          {
            type: "EXPERIMENTATION",
            name: "Experiment",
            exposition: 50,
            trafficAllocations: [
              { variationKey: "off", exposition: 50 },
              { variationKey: "on", exposition: 50 },
            ],
          },
        ]
      : i % 3 === 1
        ? [
            {
              type: "PROGRESSIVE_DELIVERY",
              name: "Ramp",
              variationKey: "on",
              release: { timeZone: "Europe/Paris" },
              rolloutConfiguration: {
                type: "PROGRESSIVE_EXPOSURE",
                percentageRange: { start: 10, stop: 100 },
                increaseBy: 10,
                frequency: { unit: "Days", value: 1 },
                releaseDateTime: "2025-06-01T09:00:00",
              },
            },
          ]
        : [
            {
              type: "TARGETED_DELIVERY",
              name: "Beta",
              variationKey: "on",
              exposition: 25,
              release: {
                releaseFrom: "2025-01-01T00:00:00Z",
                releaseTo: "2030-01-01T00:00:00Z",
                timeZone: "UTC",
              },
            },
          ];
  return {
    siteCode: "demo",
    featureKey: key,
    name: `Flag ${i}`,
    description: `Benchmark flag number ${i}`,
    tags: [i % 2 === 0 ? "even" : "odd", "bench"],
    variables: [
      { key: "color", type: "STRING" as const, value: "blue" },
      { key: "limit", type: "NUMBER" as const, value: "10" },
    ],
    variations: [
      { key: "off", name: "Off", variables: [] },
      { key: "on", name: "On", variables: [{ key: "color", value: "green" }] },
    ],
    environmentConfigurations: [
      { environmentKey: "development", featureEnabled: true, rolloutRules: rules },
      { environmentKey: "staging", featureEnabled: true, rolloutRules: rules },
      { environmentKey: "production", featureEnabled: i % 2 === 0, rolloutRules: rules },
    ],
  };
}

/** Seeds the flags; answers one reader token per connection. */
async function seed(dataDir: string): Promise<string[]> {
  const started = Date.now();
  const server = await openServer(
    // No background work here: automation over the new flags would run on in this process and starve the load
    // generator.
    resolveConfig({ dataDir }, { VEXIL_ADMIN_TOKEN: TOKEN, VEXIL_LOG_LEVEL: "warn", VEXIL_WORKERS: "0" }),
    {
      logger: false,
    },
  );
  await ensureDemoProject(server.context);
  const service = server.context.services.flags;
  const actor = { name: "bench", id: null };
  for (let i = 0; i < FLAGS; i++) {
    // biome-ignore lint/suspicious/noExplicitAny: literal rule types widen to string in the generator
    await service.create(actor, flagBody(i) as any);
  }
  // The ramps started long ago: store their final step now, as a server running all along would have, so the
  // measured server does not spend its first minute writing 3,333 flags.
  await runProgressiveTick(server.context, Date.now());
  const tokens: string[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const created = await server.context.services.tokens.create("bench", {
      name: `bench ${i}`,
      role: "reader",
    });
    tokens.push(created.token);
  }
  await server.close();
  process.stdout.write(`seeded ${FLAGS} flags in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return tokens;
}

function load(baseUrl: string, tokens: string[]): Promise<LoadResult> {
  let next = 0;
  return runAutocannon({
    url: baseUrl,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [
      {
        setupRequest: (request: Record<string, unknown>) => ({
          ...request,
          headers: { authorization: `Bearer ${tokens[next++ % tokens.length]}` },
          path: `/feature-flags/demo/flag_${String(Math.floor(Math.random() * FLAGS)).padStart(5, "0")}`,
        }),
      },
    ],
  });
}

/** GET of every flag once, 10 at a time. */
async function readEveryFlag(baseUrl: string, token: string): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < FLAGS) {
      const key = `flag_${String(next++).padStart(5, "0")}`;
      const response = await fetch(`${baseUrl}/feature-flags/demo/${key}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
}

async function measure(name: string, server: ServerProcess, tokens: string[]) {
  const runs: (LoadResult & { cpuUs: number })[] = [];
  let peak = 0;
  // Warm-up, not counted: every flag read once (the view cache holds all 10,000, so the runs measure the
  // steady state rather than first reads; random keys alone leave ~30 % unread after one run), then a run
  // for the JIT.
  await readEveryFlag(server.baseUrl, tokens[0]!);
  await load(server.baseUrl, tokens);
  for (let i = 0; i < RUNS; i++) {
    const cpuBefore = server.cpuSeconds();
    const result = await load(server.baseUrl, tokens);
    const run = {
      ...result,
      cpuUs: ((server.cpuSeconds() - cpuBefore) * 1e6) / Math.max(1, result.requests),
    };
    peak = Math.max(peak, server.memoryMb().peak);
    runs.push(run);
    process.stdout.write(
      `  ${name} run ${i + 1}: ${run.requestsPerSecond.toFixed(0)} req/s, ${run.cpuUs.toFixed(0)} us CPU/request, p50 ${run.p50} ms, p99 ${run.p99} ms, errors ${run.errors}, non-2xx ${run.non2xx}\n`,
    );
  }
  return {
    name,
    requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
    cpuUs: median(runs.map((r) => r.cpuUs)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((n, r) => n + r.errors + r.non2xx, 0),
    rss: server.memoryMb().rss,
    peak,
  };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vexil-bench-"));
  const servers: ServerProcess[] = [];
  try {
    const tokens = await seed(dataDir);
    const vexil = await startVexil({ dataDir, adminToken: TOKEN, env: { VEXIL_DATABASE_URL: "" } });
    servers.push(vexil);
    const sample = await (
      await fetch(`${vexil.baseUrl}/feature-flags/demo/flag_00001`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
    ).text();
    process.stdout.write(
      `server up (RSS ${vexil.memoryMb().rss.toFixed(0)} MB); response body ${sample.length} bytes\n`,
    );
    const vexilResult = await measure("vexil", vexil, tokens);
    await vexil.stop();

    const bare = await startBareServer(0, sample);
    servers.push(bare);
    const bareResult = await measure("bare node http", bare, tokens);

    const rows = [vexilResult, bareResult].map((r) => ({
      server: r.name,
      "req/s (median)": Math.round(r.requestsPerSecond),
      "us CPU/request": Math.round(r.cpuUs),
      "p50 ms": r.p50,
      "p99 ms": r.p99,
      "RSS MB (end)": Math.round(r.rss),
      "RSS MB (peak)": Math.round(r.peak),
      errors: r.errors,
      "req/s vs bare": `${((r.requestsPerSecond / bareResult.requestsPerSecond) * 100).toFixed(0)} %`,
      "CPU vs bare": `${(r.cpuUs / bareResult.cpuUs).toFixed(2)}x`,
    }));
    process.stdout.write(
      `\nGET /feature-flags/{siteCode}/{featureKey}: ${FLAGS} flags, random keys, ${CONNECTIONS} connections, ${DURATION} s x ${RUNS} runs (median), server ${process.env.BENCH_SERVER === "dist" ? "dist" : "sources (tsx)"}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}, Node ${process.version}\n`,
    );
    printTable(rows);
    const share = vexilResult.requestsPerSecond / bareResult.requestsPerSecond;
    const goal = share >= 0.4 && vexilResult.peak < 250 ? "met" : "NOT met";
    process.stdout.write(
      `goal (>= 40 % of bare req/s, peak RSS < 250 MB; RSS is meaningful with BENCH_SERVER=dist, tsx's loader adds ~60 MB): ${goal}\n`,
    );
  } finally {
    for (const server of servers) await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
