/**
 * The automation tasks the scheduler ticks (scheduler.ts, docs/automation.md). Adding one is one entry in
 * AUTOMATION_TASKS.
 */

import type { AppContext } from "../app-context.js";
import type { ServerConfig } from "../config.js";
import { runBanditTick } from "./bandit-reallocation.js";
import { runHealthTick } from "./flag-health.js";
import { runProgressiveTick } from "./progressive-delivery.js";
import { runRollbackTick } from "./rollback-conditions.js";

/** What a tick knows besides the clock. */
export interface AutomationTick {
  /** The job key of the slot, `<kind>:<slot start, ISO 8601>`. */
  key: string;
  /** The slot's start (epoch ms); the tick itself runs at `now`, at or after it. */
  slotStart: number;
  /** Aborted when the server stops (or the job's lease was lost): stop early, the slot runs again. */
  signal: AbortSignal;
}

export interface AutomationTask {
  /**
   * Short name, [a-z0-9-]+, unique: the job kind is `automation.<kind>`, a slot's job key
   * `<kind>:<slot start, ISO 8601>` (e.g. `progressive:2026-11-21T10:01:00.000Z`).
   */
  kind: string;
  /** The tick interval in ms (slots are aligned on the epoch: floor(now / interval) * interval). */
  intervalMs: (config: ServerConfig) => number;
  /**
   * One tick. `now` is the clock (context.now()) when the tick runs. Runs once per slot across replicas, at
   * least once if a worker dies in the middle: compare with what is stored before writing. Write through
   * FlagsService with AUTOMATION_ACTOR so changes are audited and reach SDKs like a human's. The summary is
   * stored as the job's result (JSON), with `ranBy` and `ranAt` added. Throwing retries the slot (1 s,
   * 2 s; 3 attempts), so handle per-flag failures inside and report them in the summary.
   */
  run: (context: AppContext, now: number, tick: AutomationTick) => Promise<Record<string, unknown>>;
}

export { AUTOMATION_ACTOR } from "./automation-actor.js";

/** Every task, in the order a tick round enqueues them. */
export const AUTOMATION_TASKS: readonly AutomationTask[] = [
  { kind: "progressive", intervalMs: (config) => config.automationTickMs, run: runProgressiveTick },
  { kind: "health", intervalMs: (config) => config.automationTickMs, run: runHealthTick },
  { kind: "rollback", intervalMs: (config) => config.automationTickMs, run: runRollbackTick },
  { kind: "bandit", intervalMs: (config) => config.banditIntervalMs, run: runBanditTick },
];
