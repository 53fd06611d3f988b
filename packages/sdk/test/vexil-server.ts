// A real Vexil server (`vexil serve`, from sources through tsx) in a child process, so a test can stop it with
// SIGTERM and start it again on the same port and data directory.

import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export interface VexilServer {
  baseUrl: string;
  child: ChildProcess;
  /** SIGTERM (graceful shutdown), then waits for the exit; idempotent. */
  stop(): Promise<void>;
}

/** Starts `vexil serve` and resolves once it prints the URL it listens at (60 s at most). */
export async function startVexilServer(options: {
  port: number;
  dataDir: string;
  adminToken: string;
}): Promise<VexilServer> {
  const args = ["--import", "tsx", "--conditions=source", "packages/server/src/cli.ts", "serve"];
  const child = spawn(
    process.execPath,
    [...args, "--port", String(options.port), "--data-dir", options.dataDir],
    {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        VEXIL_ADMIN_TOKEN: options.adminToken,
        VEXIL_RATE_LIMIT_PER_MINUTE: "0",
        VEXIL_LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the server did not listen within 60 s:\n${output}`));
    }, 60_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening:\n${output}`));
    };
    child.once("exit", onExit);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.off("exit", onExit);
      child.stdout!.removeAllListeners("data");
      child.stdout!.resume();
      resolve(match[1]!);
    });
  });
  return {
    baseUrl,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
