// 20,000 concurrent SDK streams on one server (issue 16): time for one configuration change to reach all of
// them, and the server's memory, beside a bare node:http server measured in the same run.
//
//   npx tsx --conditions=source bench/streams.bench.ts [--streams=20000] [--clients=4] [--changes=5] [--runs=1]
//     [--stream=sdk|browser]
//
// Each run measures two servers, one after the other (alternating which goes first), each in a child
// process with the same streams opened by `--clients` client processes (one raw TCP socket per stream that
// sends the GET and only looks for event names in what it receives, batches of 250 connects; each stream
// waits for its `put`). The clients stand for SDKs on other machines: here they share the 2 cores with the
// server, so they are kept lean, and their CPU time is reported beside the server's.
// - Vexil: `vexil serve` from the sources (BENCH_SERVER=dist for the build), SQLite, default configuration;
//   streams of GET /sdk/v1/stream with the server SDK key; a change is a PATCH of the flag's production
//   configuration (toggling featureEnabled), so it includes the write, the reload of the payload and the
//   `patch` event to every stream. With --stream=browser, the streams are the browser SDK's per-visitor
//   POST /sdk/v1/evaluate/stream (a distinct visitor code each), which evaluates every visitor again on a
//   change and sends each its new `put` (the toggle changes every visitor's answer).
// - bare: a node:http server that only answers the same `put` bytes and, on POST /change, writes one `patch`
//   event of the same size (built once) with `res.write` to every response. It is what Node's HTTP stack
//   and these client processes give on this machine: when Vexil is close to it, delivery is bounded by the
//   clients (4 processes on 2 cores reading 20,000 streams) and the machine, not by Vexil; compare the
//   server and clients CPU columns.
// Then, `--changes` times per server: every client records when each of its streams sees the change's
// `patch` (wall clock, same machine). Reported per change: time from sending the request to the first and
// the last delivery, p50 and p99 over streams, and the CPU time the server and the clients used for it
// (from /proc, 10 ms ticks); per server: medians over changes and runs, RSS once connected and its peak
// (VmHWM). Goals (Vexil): last delivery < 1 s, peak RSS < 600 MB.
// One socket is one file descriptor of the server: the bench warns when the open-files limit it inherits
// (/proc/self/limits; raise it with `ulimit -n`) cannot hold every stream.

import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { benchOptions } from "./support/options.js";
import { median, percentile, printTable } from "./support/table.js";
import {
  adminRequest,
  cpuSeconds,
  createBenchFlag,
  type ServerProcess,
  spawnServer,
  startVexil,
} from "./support/vexil-process.js";

const {
  streams: STREAMS,
  clients: CLIENTS,
  changes: CHANGES,
  runs: RUNS,
  stream: STREAM = "sdk",
} = benchOptions({ streams: 20000, clients: 4, changes: 5, runs: 1 }, ["stream"]);
if (STREAM !== "sdk" && STREAM !== "browser") throw new Error("--stream is sdk or browser");

/** The soft limit of open files this process (and so the server it spawns) has. */
function openFilesLimit(): number {
  const line = fs
    .readFileSync("/proc/self/limits", "utf8")
    .split("\n")
    .find((l) => l.startsWith("Max open files"));
  return Number(line?.split(/\s{2,}/)[1] ?? Number.POSITIVE_INFINITY);
}

const now = () => performance.timeOrigin + performance.now();

// A client process: opens its streams, reports when all got their first event (the put), then reports per
// change the wall clock at which each stream saw its n-th event after that (a patch of /sdk/v1/stream, the
// visitor's new put of /sdk/v1/evaluate/stream). With BROWSER set, each stream is a POST for visitor
// `<FIRST + i>`.
const clientCode = `
  const net = require("node:net");
  const [url, key, count, first] = [new URL(process.env.URL), process.env.KEY, Number(process.env.COUNT), Number(process.env.FIRST)];
  const request = (i) => {
    const head = "Host: " + url.host + "\\r\\nAuthorization: " + key + "\\r\\nAccept: text/event-stream\\r\\n";
    if (!process.env.BROWSER) return "GET /sdk/v1/stream HTTP/1.1\\r\\n" + head + "\\r\\n";
    const body = JSON.stringify({ visitor: { code: "visitor-" + (first + i) } });
    return "POST /sdk/v1/evaluate/stream HTTP/1.1\\r\\n" + head + "Content-Type: application/json\\r\\n" +
      "Content-Length: " + Buffer.byteLength(body) + "\\r\\n\\r\\n" + body;
  };
  const now = () => performance.timeOrigin + performance.now();
  const streams = [];
  let ready = 0, failed = 0;
  const reasons = {};
  const fail = (reason) => { failed++; reasons[reason] = (reasons[reason] || 0) + 1; };
  function open(i) {
    return new Promise((resolve) => {
      const state = { events: 0, seen: [] };
      streams.push(state);
      const socket = net.connect(Number(url.port), url.hostname, () => socket.write(request(i)));
      let head = true;
      socket.on("data", (bytes) => {
        const chunk = bytes.toString("latin1");
        if (head) {
          head = false;
          if (!chunk.startsWith("HTTP/1.1 200 ")) { fail(chunk.slice(0, 12)); socket.destroy(); resolve(); return; }
        }
        let at = chunk.indexOf("event: ");
        while (at >= 0) {
          if (state.events++ === 0) { ready++; resolve(); }
          else state.seen.push(now());
          at = chunk.indexOf("event: ", at + 7);
        }
      });
      socket.on("error", (error) => { if (state.events === 0) { fail(error.code); resolve(); } });
    });
  }
  (async () => {
    for (let i = 0; i < count; i += 250) {
      const batch = [];
      for (let j = i; j < Math.min(count, i + 250); j++) batch.push(open(j));
      await Promise.all(batch);
    }
    process.send({ type: "ready", ready, failed, reasons });
  })();
  process.on("message", (message) => {
    if (message.type !== "collect") return;
    const n = message.change;
    const deadline = Date.now() + 10000;
    const check = () => {
      const times = streams.map((s) => s.seen[n]).filter((t) => t !== undefined);
      if (times.length === ready || Date.now() > deadline) process.send({ type: "times", change: n, times });
      else setTimeout(check, 5);
    };
    check();
  });
`;

/** How many streams of a client got their put, how many did not, and why (status line or error code). */
interface Readiness {
  ready: number;
  failed: number;
  reasons: Record<string, number>;
}

interface ClientProcess {
  child: ChildProcess;
  ready: Promise<Readiness>;
  collect(change: number): Promise<number[]>;
}

function startClient(baseUrl: string, key: string, count: number, first: number): ClientProcess {
  const child = spawn(process.execPath, ["-e", clientCode], {
    env: {
      ...process.env,
      URL: baseUrl,
      KEY: key,
      COUNT: String(count),
      FIRST: String(first),
      ...(STREAM === "browser" ? { BROWSER: "1" } : {}),
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting = new Map<number, (times: number[]) => void>();
  let onReady: (value: Readiness) => void = () => {};
  const ready = new Promise<Readiness>((resolve) => (onReady = resolve));
  child.on("message", (message: Readiness & { type: string; change: number; times: number[] }) => {
    if (message.type === "ready") onReady(message);
    else waiting.get(message.change)?.(message.times);
  });
  return {
    child,
    ready,
    collect(change) {
      return new Promise((resolve) => {
        waiting.set(change, resolve);
        child.send({ type: "collect", change });
      });
    },
  };
}

// The bare server: answers GET /sdk/v1/stream (and POST /sdk/v1/evaluate/stream) with the same headers and
// `put` bytes as Vexil's /sdk/v1/stream and keeps the response; POST /change writes one `patch` frame (PATCH_DATA with its version filled in, built once) to
// every kept response with res.write, then answers 204.
const bareServerCode = `
  const http = require("node:http");
  const put = Buffer.from(process.env.PUT_EVENT);
  let version = Number(process.env.VERSION);
  const streams = new Set();
  const server = http.createServer((req, res) => {
    if (req.url === "/sdk/v1/stream" || req.url === "/sdk/v1/evaluate/stream") {
      req.resume();
      req.socket.setNoDelay(true);
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      res.write(put);
      streams.add(res);
      res.on("close", () => streams.delete(res));
      return;
    }
    if (req.method === "POST" && req.url === "/change") {
      req.resume();
      req.on("end", () => {
        version++;
        const data = process.env.PATCH_DATA.replace("VERSION", String(version));
        const frame = Buffer.from("event: patch\\nid: " + version + "\\ndata: " + data + "\\n\\n");
        for (const stream of streams) stream.write(frame);
        res.writeHead(204).end();
      });
      return;
    }
    res.writeHead(404).end();
  });
  server.listen(0, "127.0.0.1", () => console.log("listening at http://127.0.0.1:" + server.address().port));
`;

/** What a change sent to the streams of one server took. */
interface ChangeRow {
  first: number;
  p50: number;
  p99: number;
  last: number;
  delivered: number;
  serverCpuMs: number;
  clientsCpuMs: number;
}

interface Measured {
  name: string;
  connected: number;
  failed: number;
  connectMs: number;
  rssConnected: number;
  peak: number;
  rows: ChangeRow[];
}

/** Opens the streams on `server`, makes `CHANGES` changes with `change(n)` and times their delivery. */
async function measure(
  name: string,
  server: ServerProcess,
  key: string,
  change: (n: number) => Promise<void>,
): Promise<Measured> {
  const clients: ClientProcess[] = [];
  try {
    const connectStart = now();
    for (let i = 0, first = 0; i < CLIENTS; i++) {
      const count = Math.floor(STREAMS / CLIENTS) + (i < STREAMS % CLIENTS ? 1 : 0);
      clients.push(startClient(server.baseUrl, key, count, first));
      first += count;
    }
    const readiness = await Promise.all(clients.map((c) => c.ready));
    const connected = readiness.reduce((sum, r) => sum + r.ready, 0);
    const failed = readiness.reduce((sum, r) => sum + r.failed, 0);
    const connectMs = now() - connectStart;
    const rssConnected = server.memoryMb().rss;
    process.stderr.write(
      `${name}: ${connected} streams connected (${failed} failed${failed > 0 ? `: ${JSON.stringify(readiness.map((r) => r.reasons))}` : ""}) in ${Math.round(connectMs)} ms\n`,
    );
    const clientsCpu = () => clients.reduce((sum, c) => sum + cpuSeconds(c.child.pid!), 0);

    const rows: ChangeRow[] = [];
    // Change 0 warms up the code paths of the server and the clients (the first delivery takes about twice
    // the CPU of the next ones on both servers) and is not reported.
    for (let n = 0; n <= CHANGES; n++) {
      const [serverBefore, clientsBefore] = [server.cpuSeconds(), clientsCpu()];
      const sent = now();
      await change(n);
      const times = (await Promise.all(clients.map((c) => c.collect(n)))).flat().sort((a, b) => a - b);
      const delays = times.map((t) => t - sent);
      const row = {
        first: delays[0] ?? Number.NaN,
        p50: percentile(delays, 0.5),
        p99: percentile(delays, 0.99),
        last: delays[delays.length - 1] ?? Number.NaN,
        delivered: delays.length,
        serverCpuMs: (server.cpuSeconds() - serverBefore) * 1000,
        clientsCpuMs: (clientsCpu() - clientsBefore) * 1000,
      };
      if (n > 0) rows.push(row);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return { name, connected, failed, connectMs, rssConnected, peak: server.memoryMb().peak, rows };
  } finally {
    for (const client of clients) client.child.kill("SIGTERM");
    await Promise.all(
      clients.map(
        (c) =>
          new Promise((resolve) =>
            c.child.exitCode === null ? c.child.once("exit", resolve) : resolve(null),
          ),
      ),
    );
  }
}

async function measureVexil(): Promise<{
  measured: Measured;
  putEvent: string;
  patchData: string;
  version: number;
}> {
  const server = await startVexil();
  try {
    const key = await createBenchFlag(server, {
      featureKey: "checkout",
      name: "Checkout",
      environmentConfigurations: [
        {
          environmentKey: "production",
          featureEnabled: true,
          defaultVariationKey: "off",
          rolloutRules: [{ type: "TARGETED_DELIVERY", exposition: 50, variationKey: "on", state: "ACTIVE" }],
        },
      ],
    });
    // The bytes the bare server sends: the same put, and patches of the same flag.
    const config = await fetch(`${server.baseUrl}/sdk/v1/config`, { headers: { authorization: key } });
    const json = await config.text();
    const payload = JSON.parse(json);
    const putEvent = `event: put\nid: ${payload.version}\ndata: ${json}\n\n`;
    const patchData = `{"kind":"flag","key":"checkout","version":VERSION,"flag":${JSON.stringify(payload.flags.checkout)},"segments":{}}`;
    const measured = await measure("Vexil", server, key, async (n) => {
      await adminRequest(server, "PATCH", "/feature-flags/bench/checkout/production", {
        featureEnabled: n % 2 === 1,
      });
    });
    return { measured, putEvent, patchData, version: payload.version };
  } finally {
    await server.stop();
  }
}

async function measureBare(putEvent: string, patchData: string, version: number): Promise<Measured> {
  const server = await spawnServer(["-e", bareServerCode], {
    env: { ...process.env, PUT_EVENT: putEvent, PATCH_DATA: patchData, VERSION: String(version) },
    announcement: /listening at (http:\/\/\S+)/,
  });
  try {
    return await measure("bare node:http", server, "none", async () => {
      const response = await fetch(`${server.baseUrl}/change`, { method: "POST" });
      if (response.status !== 204) throw new Error(`bare server answered ${response.status}`);
    });
  } finally {
    await server.stop();
  }
}

async function main() {
  const limit = openFilesLimit();
  if (STREAMS + 200 > limit) {
    process.stderr.write(
      `warning: the open-files limit (${limit}) cannot hold ${STREAMS} streams and the server's own files; some connections will fail\n`,
    );
  }
  const results: Measured[] = [];
  // Runs alternate which server goes first, so a drift of the machine's load favours neither; the bare
  // server sends the bytes Vexil sent in the first run.
  let bytes: Awaited<ReturnType<typeof measureVexil>> | undefined;
  for (let run = 0; run < RUNS; run++) {
    if (bytes && run % 2 === 1) {
      const bare = await measureBare(bytes.putEvent, bytes.patchData, bytes.version);
      results.push((await measureVexil()).measured, bare);
    } else {
      const vexil = await measureVexil();
      bytes ??= vexil;
      results.push(vexil.measured, await measureBare(bytes.putEvent, bytes.patchData, bytes.version));
    }
  }

  console.log(
    `\nSSE streams on one server, ${CLIENTS} client processes, ${RUNS} run(s) x ${CHANGES} changes per server, ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}\n`,
  );
  const fixed = (value: number) => value.toFixed(1);
  printTable(
    results.flatMap((m, i) =>
      m.rows.map((r, n) => ({
        run: Math.floor(i / 2) + 1,
        server: m.name,
        change: n + 1,
        delivered: r.delivered,
        "first ms": fixed(r.first),
        "p50 ms": fixed(r.p50),
        "p99 ms": fixed(r.p99),
        "last ms": fixed(r.last),
        "server CPU ms": Math.round(r.serverCpuMs),
        "clients CPU ms": Math.round(r.clientsCpuMs),
      })),
    ),
    { markdown: true },
  );

  const summary = ["Vexil", "bare node:http"].map((name) => {
    const of = results.filter((m) => m.name === name);
    const rows = of.flatMap((m) => m.rows);
    const mid = (pick: (r: ChangeRow) => number) => median(rows.map(pick));
    return {
      name,
      streams: Math.min(...of.map((m) => m.connected)),
      allDelivered: of.every((m) => m.rows.every((r) => r.delivered === m.connected)),
      connectMs: median(of.map((m) => m.connectMs)),
      first: mid((r) => r.first),
      p50: mid((r) => r.p50),
      p99: mid((r) => r.p99),
      last: mid((r) => r.last),
      serverCpuMs: mid((r) => r.serverCpuMs),
      clientsCpuMs: mid((r) => r.clientsCpuMs),
      rss: median(of.map((m) => m.rssConnected)),
      peak: Math.max(...of.map((m) => m.peak)),
    };
  });
  const [vexil, bare] = summary as [(typeof summary)[0], (typeof summary)[0]];
  console.log(`\nmedians over ${RUNS * CHANGES} changes per server\n`);
  printTable(
    summary.map((s) => ({
      server: s.name,
      streams: s.streams,
      "connect s": (s.connectMs / 1000).toFixed(1),
      "first ms": fixed(s.first),
      "p50 ms": fixed(s.p50),
      "p99 ms": fixed(s.p99),
      "last ms": fixed(s.last),
      "last / bare": (s.last / bare.last).toFixed(2),
      "server CPU ms": Math.round(s.serverCpuMs),
      "clients CPU ms": Math.round(s.clientsCpuMs),
      "RSS MB": Math.round(s.rss),
      "peak RSS MB": Math.round(s.peak),
    })),
    { markdown: true },
  );
  console.log(
    `\ngoals (Vexil): last delivery < 1 s (${vexil.last < 1000 && vexil.allDelivered ? "met" : "NOT met"}), peak RSS < 600 MB (${vexil.peak < 600 ? "met" : "NOT met"})`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
