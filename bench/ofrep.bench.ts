// OFREP single-flag evaluation over HTTP: Vexil against a bare Node http server answering the same JSON.
//
//   npx tsx --conditions=source bench/ofrep.bench.ts [--duration=10] [--connections=50] [--runs=3]
//
// Both servers run as child processes (one Node process each, rate limit off, logs at warn); autocannon
// drives them from this process with the same POST body, 50 connections, pipelining 1, alternating
// between the two servers run after run so a change of machine load affects both alike. The flag has a
// 50 % targeted-delivery rule and a NUMBER variable, so each request authenticates the key (cached), parses
// the body, evaluates (one hash) and serializes an OFREP answer. Goals: >= 15,000 req/s on 2 cores and a
// p99 below 10 ms. The bare server reads the body and answers constant bytes: the ceiling of Node's HTTP
// stack on this machine, so the ratio is the share of it Vexil keeps. The server's CPU time per request
// (from /proc) is reported too: on a shared machine it is steadier than req/s.

import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

function arg(name: string, fallback: number): number {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit === undefined ? fallback : Number(hit.slice(name.length + 3));
}
const DURATION = arg("duration", 10);
const CONNECTIONS = arg("connections", 50);
const RUNS = arg("runs", 3);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ADMIN_TOKEN = "vx_bench_admin_token_0123456789abcdef";

/** Starts `vexil serve` from the sources in a child process; resolves with its URL once it listens. */
async function startVexil(): Promise<{ baseUrl: string; child: ChildProcess; stop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vexil-bench-"));
  const child = spawn(
    process.execPath,
    [
      "--conditions=source",
      "--import",
      "tsx",
      "packages/server/src/cli.ts",
      "serve",
      "--port",
      "0",
      "--data-dir",
      dataDir,
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        VEXIL_ADMIN_TOKEN: ADMIN_TOKEN,
        VEXIL_RATE_LIMIT_PER_MINUTE: "0",
        VEXIL_LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const baseUrl = await listeningUrl(child, /running at (http:\/\/\S+)/);
  let stopping: Promise<void> | undefined;
  return {
    baseUrl,
    child,
    stop() {
      stopping ??= (async () => {
        child.kill("SIGTERM");
        await exited;
        fs.rmSync(dataDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

/** Starts a bare Node http server answering `body` to every request (after reading the request body). */
async function startBare(body: string): Promise<{ baseUrl: string; pid: number; stop(): Promise<void> }> {
  const code = `
    const http = require("node:http");
    const body = Buffer.from(process.env.BODY);
    const server = http.createServer((req, res) => {
      req.on("data", () => {});
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": body.length });
        res.end(body);
      });
    });
    server.keepAliveTimeout = 72000;
    server.listen(0, "127.0.0.1", () => console.log("listening at http://127.0.0.1:" + server.address().port));
  `;
  const child = spawn(process.execPath, ["-e", code], {
    env: { ...process.env, BODY: body },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const baseUrl = await listeningUrl(child, /listening at (http:\/\/\S+)/);
  return {
    baseUrl,
    pid: child.pid!,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function listeningUrl(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
}

async function api(baseUrl: string, method: string, url: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

interface Row {
  target: string;
  rps: number[];
  p50: number[];
  p99: number[];
  /** Server CPU time (user + system) per answered request, in microseconds. */
  cpuPerRequest: number[];
  failures: number;
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

interface Target {
  name: string;
  url: string;
  pid: number;
}

async function once(url: string, headers: Record<string, string>, body: string, duration: number) {
  return autocannon({ url, method: "POST", headers, body, connections: CONNECTIONS, duration });
}

/** Runs the targets in turn, RUNS times, so a load change on the machine affects both alike. */
async function load(targets: Target[], headers: Record<string, string>, body: string): Promise<Row[]> {
  const rows: Row[] = targets.map((t) => ({
    target: t.name,
    rps: [],
    p50: [],
    p99: [],
    cpuPerRequest: [],
    failures: 0,
  }));
  // Warm-up (JIT, connection setup), not counted.
  for (const target of targets) await once(target.url, headers, body, 2);
  for (let run = 0; run < RUNS; run++) {
    for (const [index, target] of targets.entries()) {
      const cpuBefore = cpuSeconds(target.pid);
      const result = await once(target.url, headers, body, DURATION);
      const cpu = cpuSeconds(target.pid) - cpuBefore;
      const row = rows[index]!;
      row.cpuPerRequest.push((cpu * 1e6) / Math.max(1, result.requests.total));
      row.rps.push(result.requests.average);
      row.p50.push(result.latency.p50);
      row.p99.push(result.latency.p99);
      row.failures += result.errors + result.timeouts + result.non2xx;
      process.stderr.write(
        `  ${target.name} run ${run + 1}/${RUNS}: ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms, ${row.cpuPerRequest.at(-1)!.toFixed(0)} µs CPU/request\n`,
      );
    }
  }
  return rows;
}

async function main() {
  process.stderr.write(
    `OFREP bench: ${CONNECTIONS} connections, ${DURATION} s x ${RUNS} runs (+2 s warm-up), ${os.cpus().length} CPUs\n`,
  );
  const vexil = await startVexil();
  let bare: Awaited<ReturnType<typeof startBare>> | undefined;
  try {
    await api(vexil.baseUrl, "POST", "/projects", { key: "bench", name: "Bench" });
    await api(vexil.baseUrl, "POST", "/feature-flags", {
      siteCode: "bench",
      featureKey: "checkout",
      name: "Checkout",
      variables: [{ key: "discount", type: "NUMBER", value: "0" }],
      variations: [
        { key: "off", variables: [] },
        { key: "on", variables: [{ key: "discount", type: "NUMBER", value: "15" }] },
      ],
      environmentConfigurations: [
        {
          environmentKey: "production",
          featureEnabled: true,
          defaultVariationKey: "off",
          rolloutRules: [{ type: "TARGETED_DELIVERY", exposition: 50, variationKey: "on", state: "ACTIVE" }],
        },
      ],
    });
    const project = await api(vexil.baseUrl, "GET", "/projects/bench");
    const key = project.environments.find((e: { key: string }) => e.key === "production")
      .serverSdkKey as string;

    const url = `${vexil.baseUrl}/ofrep/v1/evaluate/flags/checkout`;
    const body = JSON.stringify({ context: { targetingKey: "visitor-123456", country: "FR", plan: "pro" } });
    const headers = { authorization: key, "content-type": "application/json" };
    const probe = await fetch(url, { method: "POST", headers, body });
    const answer = await probe.text();
    if (probe.status !== 200) throw new Error(`OFREP probe failed: ${probe.status} ${answer}`);
    process.stderr.write(`  answer: ${answer}\n`);

    bare = await startBare(answer);
    const rows = await load(
      [
        { name: "Vexil OFREP", url, pid: vexil.child.pid! },
        {
          name: "bare node:http, same JSON",
          url: `${bare.baseUrl}/ofrep/v1/evaluate/flags/checkout`,
          pid: bare.pid,
        },
      ],
      headers,
      body,
    );

    const baseline = median(rows[1]!.rps);
    console.log(
      `\nOFREP single-flag evaluation, ${CONNECTIONS} connections, ${DURATION} s, median of ${RUNS} runs` +
        ` (${os.cpus().length} CPUs, load average ${os.loadavg()[1]!.toFixed(1)} over 5 min)\n`,
    );
    console.log(
      "| server | req/s | p50 ms | p99 ms | share of bare (req/s) | server CPU µs/request | failed requests |",
    );
    console.log("|---|---:|---:|---:|---:|---:|---:|");
    for (const row of rows) {
      const rps = median(row.rps);
      console.log(
        `| ${row.target} | ${Math.round(rps).toLocaleString("en-US")} | ${median(row.p50)} | ${median(row.p99)} | ${((rps / baseline) * 100).toFixed(0)} % | ${median(row.cpuPerRequest).toFixed(0)} | ${row.failures} |`,
      );
    }
    const cpuRatio = median(rows[0]!.cpuPerRequest) / median(rows[1]!.cpuPerRequest);
    console.log(
      `\nCPU per request, Vexil / bare: ${cpuRatio.toFixed(2)}x (independent of other load on the machine; ` +
        `1 core at Vexil's CPU cost would answer ${Math.round(1e6 / median(rows[0]!.cpuPerRequest)).toLocaleString("en-US")} req/s)`,
    );
    const vexilRps = median(rows[0]!.rps);
    const vexilP99 = median(rows[0]!.p99);
    console.log(
      `\ngoals: >= 15,000 req/s (${vexilRps >= 15_000 ? "met" : "NOT met"}), p99 < 10 ms (${vexilP99 < 10 ? "met" : "NOT met"})`,
    );
  } finally {
    await vexil.stop();
    await bare?.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
