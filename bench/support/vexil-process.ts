import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A Vexil server in a child process, so its memory can be measured and it can be killed hard. */
export interface VexilProcess {
  baseUrl: string;
  adminToken: string;
  dataDir: string;
  child: ChildProcess;
  /** Resident memory of the server process, from /proc. */
  rssMb(): number;
  stop(): Promise<void>;
  /** SIGKILL: no shutdown hooks run. */
  kill9(): Promise<void>;
}

async function waitUntilHealthy(baseUrl: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("server did not become healthy in time");
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Starts `vexil serve` (from sources through tsx, or dist with BENCH_SERVER=dist) on a data directory. */
export async function startVexil(options: {
  port: number;
  dataDir?: string;
  env?: Record<string, string>;
  adminToken?: string;
}): Promise<VexilProcess> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "vexil-bench-"));
  const adminToken = options.adminToken ?? `vx_bench_${Math.random().toString(36).slice(2)}`;
  const command =
    process.env.BENCH_SERVER === "dist"
      ? ["packages/server/dist/cli.js", "serve"]
      : ["--import", "tsx", "--conditions=source", "packages/server/src/cli.ts", "serve"];
  const child = spawn(process.execPath, [...command, "--port", String(options.port), "--data-dir", dataDir], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      VEXIL_ADMIN_TOKEN: adminToken,
      VEXIL_RATE_LIMIT_PER_MINUTE: "0",
      VEXIL_LOG_LEVEL: "warn",
      ...options.env,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const baseUrl = `http://127.0.0.1:${options.port}`;
  await waitUntilHealthy(baseUrl, child);
  return {
    baseUrl,
    adminToken,
    dataDir,
    child,
    rssMb() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kb / 1024;
    },
    async stop() {
      child.kill("SIGTERM");
      await exited(child);
    },
    async kill9() {
      child.kill("SIGKILL");
      await exited(child);
    },
  };
}

/** A JSON request to the management API with the admin token; throws on an unexpected status. */
export async function adminRequest(
  server: VexilProcess,
  method: string,
  url: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: benchmark scripts read untyped JSON answers
): Promise<any> {
  const response = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${server.adminToken}`,
      ...(body ? { "content-type": "application/json" } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}
