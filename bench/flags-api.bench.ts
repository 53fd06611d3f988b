// GET /feature-flags/{siteCode}/{featureKey} on the embedded default (SQLite), 10,000 flags in one project,
// random keys, 50 connections for 10 s (autocannon), median of 3 runs, compared in the same run with a bare
// Node `http` server answering a JSON body of the same size. Both servers run as child processes so their
// resident memory can be read from /proc.
//
//   npx tsx --conditions=source bench/flags-api.bench.ts [--flags 10000] [--duration 10] [--runs 3]
//
// The Vexil server runs from the TypeScript sources through tsx by default (no build needed); set
// BENCH_SERVER=dist to run `node packages/server/dist/cli.js serve` after `npm run build`.

import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { resolveConfig } from "../packages/server/src/config.js";
import { ensureDemoProject } from "../packages/server/src/demo/demo-project.js";
import { FlagsService } from "../packages/server/src/flags/flags.service.js";
import { openServer } from "../packages/server/src/server.js";

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values: args } = parseArgs({
  options: {
    flags: { type: "string", default: "10000" },
    duration: { type: "string", default: "10" },
    runs: { type: "string", default: "3" },
    connections: { type: "string", default: "50" },
  },
});
const FLAGS = Number(args.flags);
const DURATION = Number(args.duration);
const RUNS = Number(args.runs);
const CONNECTIONS = Number(args.connections);
const TOKEN = "vx_bench_admin_token_0123456789abcdefghijklmnop";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

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
                frequency: { unit: "DAY", value: 1 },
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

async function seed(dataDir: string): Promise<void> {
  const started = Date.now();
  const server = await openServer(
    resolveConfig({ dataDir }, { VEXIL_ADMIN_TOKEN: TOKEN, VEXIL_LOG_LEVEL: "warn" }),
    {
      logger: false,
    },
  );
  await ensureDemoProject(server.context);
  const service = new FlagsService(server.context);
  const actor = { name: "bench", id: null };
  for (let i = 0; i < FLAGS; i++) {
    // biome-ignore lint/suspicious/noExplicitAny: literal rule types widen to string in the generator
    await service.create(actor, flagBody(i) as any);
  }
  await server.close();
  process.stdout.write(`seeded ${FLAGS} flags in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

function rssOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

async function waitForHttp(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer`);
}

function startVexil(dataDir: string, port: number): ChildProcess {
  const env = {
    ...process.env,
    VEXIL_ADMIN_TOKEN: TOKEN,
    VEXIL_LOG_LEVEL: "warn",
    VEXIL_RATE_LIMIT_PER_MINUTE: "0",
    VEXIL_DATABASE_URL: "",
  };
  const command =
    process.env.BENCH_SERVER === "dist"
      ? ["packages/server/dist/cli.js", "serve"]
      : ["--import", "tsx", "--conditions=source", "packages/server/src/cli.ts", "serve"];
  return spawn(process.execPath, [...command, "--port", String(port), "--data-dir", dataDir], {
    cwd: root,
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

function startBare(port: number, body: string): ChildProcess {
  const script = `
    const http = require("node:http");
    const body = Buffer.from(process.env.BODY);
    http.createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": body.length });
      res.end(body);
    }).listen(${port}, "127.0.0.1");`;
  return spawn(process.execPath, ["-e", script], {
    env: { ...process.env, BODY: body },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

interface Run {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function load(baseUrl: string): Promise<Run> {
  const result = await autocannon({
    url: baseUrl,
    connections: CONNECTIONS,
    duration: DURATION,
    headers: { authorization: `Bearer ${TOKEN}` },
    requests: [
      {
        setupRequest: (request: Record<string, unknown>) => ({
          ...request,
          path: `/feature-flags/demo/flag_${String(Math.floor(Math.random() * FLAGS)).padStart(5, "0")}`,
        }),
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function measure(name: string, child: ChildProcess, baseUrl: string) {
  const runs: Run[] = [];
  let peak = 0;
  await load(baseUrl); // warm-up (JIT, caches), not counted
  for (let i = 0; i < RUNS; i++) {
    const run = await load(baseUrl);
    peak = Math.max(peak, rssOf(child.pid!).peak);
    runs.push(run);
    process.stdout.write(
      `  ${name} run ${i + 1}: ${run.requestsPerSecond.toFixed(0)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, errors ${run.errors}, non-2xx ${run.non2xx}\n`,
    );
  }
  return {
    name,
    requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((n, r) => n + r.errors + r.non2xx, 0),
    rss: rssOf(child.pid!).rss,
    peak,
  };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vexil-bench-"));
  const children: ChildProcess[] = [];
  try {
    await seed(dataDir);
    const vexilPort = await freePort();
    const vexil = startVexil(dataDir, vexilPort);
    children.push(vexil);
    const vexilUrl = `http://127.0.0.1:${vexilPort}`;
    await waitForHttp(`${vexilUrl}/feature-flags/demo/flag_00000`, vexil);
    const sample = await (
      await fetch(`${vexilUrl}/feature-flags/demo/flag_00001`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
    ).text();
    process.stdout.write(
      `server up (RSS ${rssOf(vexil.pid!).rss.toFixed(0)} MB); response body ${sample.length} bytes\n`,
    );
    const vexilResult = await measure("vexil", vexil, vexilUrl);
    vexil.kill("SIGTERM");

    const barePort = await freePort();
    const bare = startBare(barePort, sample);
    children.push(bare);
    const bareUrl = `http://127.0.0.1:${barePort}`;
    await waitForHttp(bareUrl, bare);
    const bareResult = await measure("bare node http", bare, bareUrl);

    const rows = [vexilResult, bareResult].map((r) => ({
      server: r.name,
      "req/s (median)": Math.round(r.requestsPerSecond),
      "p50 ms": r.p50,
      "p99 ms": r.p99,
      "RSS MB (end)": Number(r.rss.toFixed(0)),
      "RSS MB (peak)": Number(r.peak.toFixed(0)),
      errors: r.errors,
      "vs bare": `${((r.requestsPerSecond / bareResult.requestsPerSecond) * 100).toFixed(0)} %`,
    }));
    process.stdout.write(
      `\nGET /feature-flags/{siteCode}/{featureKey}: ${FLAGS} flags, random keys, ${CONNECTIONS} connections, ${DURATION} s x ${RUNS} runs (median), ${os.cpus().length} CPUs, Node ${process.version}\n`,
    );
    console.table(rows);
    const goal =
      vexilResult.requestsPerSecond >= 5000 && vexilResult.p99 < 20 && vexilResult.peak < 300
        ? "met"
        : "NOT met";
    process.stdout.write(`goal (>= 5,000 req/s, p99 < 20 ms, RSS < 300 MB): ${goal}\n`);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
