// 20,000 concurrent SDK streams on one server (issue 16): time for one configuration change to reach all of
// them, and the server's memory.
//
//   npx tsx --conditions=source bench/streams.bench.ts [--streams=20000] [--clients=4] [--changes=5]
//
// The server (`vexil serve` from the sources, SQLite) runs in a child process; the streams are opened by
// `--clients` client processes (plain node:http, one socket each, batches of 250 connects) and each waits
// for its `put`. Then, `--changes` times: the bench toggles the flag with PATCH and every client records
// when each of its streams sees the matching `patch` (wall clock, same machine). Reported per change: time
// from sending the PATCH to the first and the last delivery, p50 and p99 over streams; and the server's
// RSS once connected and its peak (VmHWM), from /proc. Goals: last delivery < 1 s, peak RSS < 600 MB.
// One socket is one file descriptor of the server: the bench warns when the open-files limit it inherits
// (/proc/self/limits; raise it with `ulimit -n`) cannot hold every stream.

import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { benchOptions } from "./support/options.js";
import { median, percentile, printTable } from "./support/table.js";
import { adminRequest, createBenchFlag, startVexil } from "./support/vexil-process.js";

const {
  streams: STREAMS,
  clients: CLIENTS,
  changes: CHANGES,
} = benchOptions({ streams: 20000, clients: 4, changes: 5 });

/** The soft limit of open files this process (and so the server it spawns) has. */
function openFilesLimit(): number {
  const line = fs
    .readFileSync("/proc/self/limits", "utf8")
    .split("\n")
    .find((l) => l.startsWith("Max open files"));
  return Number(line?.split(/\s{2,}/)[1] ?? Number.POSITIVE_INFINITY);
}

const now = () => performance.timeOrigin + performance.now();

// A client process: opens its streams, reports when all got their put, then reports per change the wall
// clock at which each stream saw the n-th patch.
const clientCode = `
  const http = require("node:http");
  const [url, key, count] = [process.env.URL, process.env.KEY, Number(process.env.COUNT)];
  const now = () => performance.timeOrigin + performance.now();
  const streams = [];
  let ready = 0, failed = 0;
  function open(i) {
    return new Promise((resolve) => {
      const state = { puts: 0, patches: 0, seen: [] };
      streams.push(state);
      const req = http.get(url + "/sdk/v1/stream", { headers: { authorization: key }, agent: false }, (res) => {
        if (res.statusCode !== 200) { failed++; resolve(); return; }
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          let at = chunk.indexOf("event: ");
          while (at >= 0) {
            if (chunk.startsWith("event: put", at)) { if (state.puts++ === 0) { ready++; resolve(); } }
            else if (chunk.startsWith("event: patch", at)) state.seen[state.patches++] = now();
            at = chunk.indexOf("event: ", at + 7);
          }
        });
      });
      req.on("error", () => { failed++; resolve(); });
    });
  }
  (async () => {
    for (let i = 0; i < count; i += 250) {
      const batch = [];
      for (let j = i; j < Math.min(count, i + 250); j++) batch.push(open(j));
      await Promise.all(batch);
    }
    process.send({ type: "ready", ready, failed });
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

interface ClientProcess {
  child: ChildProcess;
  ready: Promise<{ ready: number; failed: number }>;
  collect(change: number): Promise<number[]>;
}

function startClient(baseUrl: string, key: string, count: number): ClientProcess {
  const child = spawn(process.execPath, ["-e", clientCode], {
    env: { ...process.env, URL: baseUrl, KEY: key, COUNT: String(count) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting = new Map<number, (times: number[]) => void>();
  let onReady: (value: { ready: number; failed: number }) => void = () => {};
  const ready = new Promise<{ ready: number; failed: number }>((resolve) => (onReady = resolve));
  child.on(
    "message",
    (message: { type: string; change: number; times: number[]; ready: number; failed: number }) => {
      if (message.type === "ready") onReady({ ready: message.ready, failed: message.failed });
      else waiting.get(message.change)?.(message.times);
    },
  );
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

async function main() {
  const limit = openFilesLimit();
  if (STREAMS + 200 > limit) {
    process.stderr.write(
      `warning: the open-files limit (${limit}) cannot hold ${STREAMS} streams and the server's own files; some connections will fail\n`,
    );
  }
  const server = await startVexil();
  const clients: ClientProcess[] = [];
  try {
    const idle = server.memoryMb();
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

    const connectStart = now();
    for (let i = 0; i < CLIENTS; i++) {
      const count = Math.floor(STREAMS / CLIENTS) + (i < STREAMS % CLIENTS ? 1 : 0);
      clients.push(startClient(server.baseUrl, key, count));
    }
    const readiness = await Promise.all(clients.map((c) => c.ready));
    const connected = readiness.reduce((sum, r) => sum + r.ready, 0);
    const failed = readiness.reduce((sum, r) => sum + r.failed, 0);
    const connectMs = now() - connectStart;
    const afterConnect = server.memoryMb();
    process.stderr.write(
      `${connected} streams connected (${failed} failed) in ${Math.round(connectMs)} ms\n`,
    );

    const rows: { first: number; p50: number; p99: number; last: number; delivered: number }[] = [];
    for (let change = 0; change < CHANGES; change++) {
      const sent = now();
      await adminRequest(server, "PATCH", "/feature-flags/bench/checkout/production", {
        featureEnabled: change % 2 === 1,
      });
      const times = (await Promise.all(clients.map((c) => c.collect(change)))).flat().sort((a, b) => a - b);
      const delays = times.map((t) => t - sent);
      rows.push({
        first: delays[0] ?? Number.NaN,
        p50: percentile(delays, 0.5),
        p99: percentile(delays, 0.99),
        last: delays[delays.length - 1] ?? Number.NaN,
        delivered: delays.length,
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const after = server.memoryMb();

    console.log(
      `\n${connected} SSE streams on one server, ${CLIENTS} client processes, ${os.cpus().length} CPUs, load average ${os.loadavg()[1]!.toFixed(1)} over 5 min`,
    );
    console.log(`connect + put for all streams: ${Math.round(connectMs)} ms\n`);
    const ms = (values: number[]) => median(values).toFixed(1);
    printTable(
      [
        ...rows.map((r, i) => ({
          change: i + 1,
          delivered: r.delivered,
          "first ms": r.first.toFixed(1),
          "p50 ms": r.p50.toFixed(1),
          "p99 ms": r.p99.toFixed(1),
          "last ms": r.last.toFixed(1),
        })),
        {
          change: "median",
          delivered: "",
          "first ms": ms(rows.map((r) => r.first)),
          "p50 ms": ms(rows.map((r) => r.p50)),
          "p99 ms": ms(rows.map((r) => r.p99)),
          "last ms": ms(rows.map((r) => r.last)),
        },
      ],
      { markdown: true },
    );
    const lastMedian = median(rows.map((r) => r.last));
    const mb = (value: number) => `${value.toFixed(0)} MB`;
    console.log(
      `\nserver RSS: idle ${mb(idle.rss)}, with ${connected} streams ${mb(afterConnect.rss)}, after the changes ${mb(after.rss)}, peak ${mb(after.peak)}`,
    );
    console.log(
      `goals: last delivery < 1 s (${lastMedian < 1000 && rows.every((r) => r.delivered === connected) ? "met" : "NOT met"}), peak RSS < 600 MB (${after.peak < 600 ? "met" : "NOT met"})`,
    );
  } finally {
    for (const client of clients) client.child.kill("SIGTERM");
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
