// Change propagation: from a flag PATCH to a streaming SDK client observing the new version.
//
//   npx tsx --conditions=source bench/propagation.bench.ts [--changes=200] [--postgres=postgres://…/postgres]
//
// The server (`vexil serve` from the sources) runs in a child process on SQLite. With --postgres, two
// servers share a fresh PostgreSQL database: the PATCH goes to one and the stream is read from the other,
// so each change crosses LISTEN/NOTIFY. The bench sends `--changes` PATCHes one after another (toggling
// featureEnabled in production), each after the previous one was seen, and times when the stream
// (node:http, parsed as it arrives) delivers the `patch` event whose version is the new one. Reported:
// from sending the PATCH, and from receiving its response (negative when the event arrived first), p50,
// p99 and max. Goal: p99 < 50 ms from the PATCH response, on loopback.

import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { SseParser } from "../packages/server/src/sdk-delivery/sse-parser.js";

function arg(name: string, fallback: number): number {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit === undefined ? fallback : Number(hit.slice(name.length + 3));
}
const CHANGES = arg("changes", 200);
const POSTGRES = process.argv.find((a) => a.startsWith("--postgres="))?.slice("--postgres=".length);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ADMIN_TOKEN = "vx_bench_admin_token_0123456789abcdef";
const now = () => performance.now();

interface Server {
  baseUrl: string;
  stop(): Promise<void>;
}

async function startVexil(databaseUrl?: string): Promise<Server> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vexil-bench-"));
  const child: ChildProcess = spawn(
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
      ...(databaseUrl ? ["--database-url", databaseUrl] : []),
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
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`server exited (${code}):\n${output}`)));
  });
  return {
    baseUrl,
    async stop() {
      child.kill("SIGTERM");
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
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

/** Reads /sdk/v1/stream and resolves waiters for the patch of a given version. */
function openStream(baseUrl: string, key: string) {
  const seen = new Map<number, number>();
  const waiters = new Map<number, (at: number, version: number) => void>();
  let onPut: () => void = () => {};
  const put = new Promise<void>((resolve) => (onPut = resolve));
  const parser = new SseParser();
  const request = http.get(
    `${baseUrl}/sdk/v1/stream`,
    { headers: { authorization: key }, agent: false },
    (res) => {
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        const at = now();
        for (const message of parser.push(chunk)) {
          if (message.type !== "event") continue;
          if (message.event === "put") onPut();
          if (message.event !== "patch") continue;
          const version = Number(message.id);
          seen.set(version, at);
          for (const [wanted, wake] of waiters) if (version >= wanted) wake(at, version);
        }
      });
    },
  );
  return {
    put,
    /** Resolves with the arrival time and version of the first patch of version `version` or later. */
    patchFrom(version: number): Promise<{ at: number; version: number }> {
      for (const [v, at] of seen) if (v >= version) return Promise.resolve({ at, version: v });
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no patch ${version} within 10 s`)), 10_000);
        waiters.set(version, (at, seenVersion) => {
          clearTimeout(timer);
          waiters.delete(version);
          resolve({ at, version: seenVersion });
        });
      });
    },
    close: () => request.destroy(),
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

async function main() {
  let database: { url: string; drop(): Promise<void> } | undefined;
  if (POSTGRES) {
    const name = `vexil_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: POSTGRES });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(POSTGRES);
    url.pathname = `/${name}`;
    database = {
      url: url.toString(),
      async drop() {
        const client = new pg.Client({ connectionString: POSTGRES });
        await client.connect();
        await client.query(`drop database if exists ${name} with (force)`);
        await client.end();
      },
    };
  }
  const writer = await startVexil(database?.url);
  const reader = database ? await startVexil(database.url) : writer;
  let stream: ReturnType<typeof openStream> | undefined;
  try {
    await api(writer.baseUrl, "POST", "/projects", { key: "bench", name: "Bench" });
    await api(writer.baseUrl, "POST", "/feature-flags", {
      siteCode: "bench",
      featureKey: "checkout",
      name: "Checkout",
      environmentConfigurations: [
        { environmentKey: "production", featureEnabled: true, defaultVariationKey: "off", rolloutRules: [] },
      ],
    });
    const project = await api(writer.baseUrl, "GET", "/projects/bench");
    const key = project.environments.find((e: { key: string }) => e.key === "production")
      .serverSdkKey as string;
    stream = openStream(reader.baseUrl, key);
    await stream.put;
    let version = (
      await (await fetch(`${reader.baseUrl}/sdk/v1/config`, { headers: { authorization: key } })).json()
    ).version as number;

    const fromRequest: number[] = [];
    const fromResponse: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const sent = now();
      await api(writer.baseUrl, "PATCH", "/feature-flags/bench/checkout/production", {
        featureEnabled: i % 2 === 1,
      });
      const answered = now();
      const delivered = await stream.patchFrom(version + 1);
      version = delivered.version;
      fromRequest.push(delivered.at - sent);
      fromResponse.push(delivered.at - answered);
    }

    const setup = database
      ? "2 servers on one PostgreSQL database (PATCH to one, stream from the other)"
      : "1 server, SQLite";
    console.log(
      `\nPATCH -> SSE patch observed, ${CHANGES} sequential changes, ${setup}, load average ${os.loadavg()[1]!.toFixed(1)} over 5 min\n`,
    );
    console.log("| measured from | p50 ms | p99 ms | max ms |");
    console.log("|---|---:|---:|---:|");
    for (const [label, values] of [
      ["PATCH sent", fromRequest],
      ["PATCH response received", fromResponse],
    ] as const) {
      const sorted = [...values].sort((a, b) => a - b);
      console.log(
        `| ${label} | ${percentile(sorted, 0.5).toFixed(2)} | ${percentile(sorted, 0.99).toFixed(2)} | ${sorted[sorted.length - 1]!.toFixed(2)} |`,
      );
    }
    const p99 = percentile(
      [...fromResponse].sort((a, b) => a - b),
      0.99,
    );
    console.log(`\ngoal: p99 < 50 ms from the PATCH response (${p99 < 50 ? "met" : "NOT met"})`);
  } finally {
    stream?.close();
    if (reader !== writer) await reader.stop();
    await writer.stop();
    await database?.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
