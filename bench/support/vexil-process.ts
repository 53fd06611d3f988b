import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A server in a child process, so its memory and CPU time can be measured and it can be killed hard. */
export interface ServerProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Resident memory of the process now (VmRSS) and at its peak (VmHWM), in MB, from /proc. */
  memoryMb(): { rss: number; peak: number };
  /** Resident memory of the process now, in MB, from /proc. */
  rssMb(): number;
  /** CPU time (user + system) the process has used so far, in seconds, from /proc. */
  cpuSeconds(): number;
  /** SIGTERM, then waits for the exit (once: later calls wait for the same exit). */
  stop(): Promise<void>;
  /** SIGKILL: no shutdown hooks run. */
  kill9(): Promise<void>;
}

/** A Vexil server (`vexil serve`) in a child process. */
export interface VexilProcess extends ServerProcess {
  adminToken: string;
  /** Removed by stop() when startVexil created it (not by kill9(), so a restart can reuse it). */
  dataDir: string;
}

function memoryMb(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

/** CPU time (user + system) process `pid` has used so far, in seconds, from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** The URL a child prints on stdout once it listens (first group of `pattern`); the rest of stdout is dropped. */
function announcedUrl(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  const stdout = child.stdout!;
  return new Promise((resolve, reject) => {
    let output = "";
    const done = () => {
      clearTimeout(timer);
      stdout.off("data", onData);
      child.off("exit", onExit);
      stdout.resume();
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (!match) return;
      done();
      resolve(match[1]!);
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`server exited (${code}) before listening:\n${output}`));
    };
    const timer = setTimeout(() => {
      done();
      child.kill("SIGKILL");
      reject(new Error(`server did not listen within ${timeoutMs / 1000} s:\n${output}`));
    }, timeoutMs);
    stdout.on("data", onData);
    child.once("exit", onExit);
  });
}

/** Runs `node <args>` and resolves once it prints the URL it listens at (first group of `announcement`). */
export async function spawnServer(
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; announcement: RegExp },
): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const baseUrl = await announcedUrl(child, options.announcement);
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exit;
  };
  return {
    baseUrl,
    child,
    memoryMb: () => memoryMb(child.pid!),
    rssMb: () => memoryMb(child.pid!).rss,
    cpuSeconds: () => cpuSeconds(child.pid!),
    stop: () => end("SIGTERM"),
    kill9: () => end("SIGKILL"),
  };
}

/**
 * Starts `vexil serve` (from sources through tsx, or dist with BENCH_SERVER=dist) on a data directory, with
 * the default rate limits (SDK routes have their own per-address budget) and logs at warn. Without `port` it listens on a free one. `env` is added to (and may
 * override) the environment, e.g. `{ VEXIL_DATABASE_URL: url }` for PostgreSQL.
 */
export async function startVexil(
  options: { port?: number; dataDir?: string; env?: Record<string, string>; adminToken?: string } = {},
): Promise<VexilProcess> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "vexil-bench-"));
  const removeDataDir = () => {
    if (ownsDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const adminToken = options.adminToken ?? `vx_bench_${Math.random().toString(36).slice(2)}`;
  // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server under a bench.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const command =
    process.env.BENCH_SERVER === "dist"
      ? [...nodeArgs, "packages/server/dist/cli.js", "serve"]
      : [...nodeArgs, "--import", "tsx", "--conditions=source", "packages/server/src/cli.ts", "serve"];
  let server: ServerProcess;
  try {
    server = await spawnServer([...command, "--port", String(options.port ?? 0), "--data-dir", dataDir], {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        VEXIL_ADMIN_TOKEN: adminToken,
        VEXIL_LOG_LEVEL: "warn",
        ...options.env,
      },
      announcement: /running at (http:\/\/\S+)/,
    });
  } catch (error) {
    removeDataDir();
    throw error;
  }
  return {
    ...server,
    adminToken,
    dataDir,
    async stop() {
      await server.stop();
      removeDataDir();
    },
  };
}

// The bare server: answers constant bytes; reads (and with PARSE_JSON parses) a request body first.
const bareServerCode = `
  const http = require("node:http");
  const body = process.env.BODY_FILE ? require("node:fs").readFileSync(process.env.BODY_FILE) : Buffer.from(process.env.BODY);
  const status = Number(process.env.STATUS);
  const parseJson = process.env.PARSE_JSON === "1";
  const answer = (res) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": body.length });
    res.end(body);
  };
  const server = http.createServer((req, res) => {
    if (req.method === "GET") return answer(res);
    const chunks = [];
    req.on("data", (chunk) => { if (parseJson) chunks.push(chunk); });
    req.on("end", () => {
      if (parseJson) JSON.parse(Buffer.concat(chunks).toString());
      answer(res);
    });
  });
  server.keepAliveTimeout = 72000;
  server.listen(Number(process.env.PORT), "127.0.0.1", () =>
    console.log("listening at http://127.0.0.1:" + server.address().port));
`;

/**
 * Starts a bare Node `http` server in a child process answering `body` (JSON) to every request: the ceiling
 * of Node's HTTP stack on this machine, to compare Vexil with. A request body is read before answering, and
 * parsed as JSON with `parseJson`. Port 0 (the default) picks a free port.
 */
export function startBareServer(
  port: number,
  body: string,
  options: { status?: number; parseJson?: boolean; bodyFile?: string } = {},
): Promise<ServerProcess> {
  return spawnServer(["-e", bareServerCode], {
    env: {
      ...process.env,
      BODY: body,
      PORT: String(port),
      STATUS: String(options.status ?? 200),
      PARSE_JSON: options.parseJson ? "1" : "0",
      // A body too large for an environment variable is read from this file instead.
      ...(options.bodyFile ? { BODY_FILE: options.bodyFile } : {}),
    },
    announcement: /listening at (http:\/\/\S+)/,
  });
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

/** Creates project `bench` with one flag (`flag`: a feature-flag body without siteCode); answers its production server SDK key. */
export async function createBenchFlag(server: VexilProcess, flag: Record<string, unknown>): Promise<string> {
  await adminRequest(server, "POST", "/projects", { key: "bench", name: "Bench" });
  await adminRequest(server, "POST", "/feature-flags", { siteCode: "bench", ...flag });
  const environment = await adminRequest(server, "GET", "/projects/bench/environments/production");
  return environment.serverSdkKey as string;
}
