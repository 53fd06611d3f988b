// CPU time of a local PostgreSQL server's backends, read from /proc: on a shared machine the server's CPU
// per query is a steadier ratio than wall time. Only for a server on this host (Linux); elsewhere the
// reading is null and benches print "-".
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type pg from "pg";

let ticksPerSecond: number | null | undefined;

function clockTicks(): number | null {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || null;
    } catch {
      ticksPerSecond = null;
    }
  }
  return ticksPerSecond;
}

/** utime + stime of one process in ms; null when /proc does not have it (another host, or it exited). */
function processCpuMs(pid: number): number | null {
  const ticks = clockTicks();
  if (ticks === null) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): state is the 3rd field, utime the 14th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks;
  } catch {
    return null;
  }
}

/** CPU ms of each backend of `client`'s database but its own, by pid; null when any cannot be read. */
async function backendCpu(client: pg.Client): Promise<Map<number, number> | null> {
  const { rows } = await client.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    const ms = processCpuMs(pid);
    if (ms === null) return null;
    cpu.set(pid, ms);
  }
  return cpu;
}

/**
 * CPU the database's backends spent between two readings: backends that appeared count from zero.
 * Parallel workers that exited in between are not seen (the aggregation plans here use none).
 */
function cpuBetween(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (before === null || after === null) return null;
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

/**
 * Runs `work` (a query on another connection to the same database) and replaces its cpuMs with the CPU
 * the database's backends spent meanwhile, as seen from `monitor`; NaN when the server is not on this host.
 */
export async function withServerCpu<T extends { cpuMs: number }>(
  monitor: pg.Client,
  work: () => Promise<T>,
): Promise<T> {
  const before = await backendCpu(monitor);
  const measured = await work();
  const used = cpuBetween(before, await backendCpu(monitor));
  return { ...measured, cpuMs: used ?? Number.NaN };
}
