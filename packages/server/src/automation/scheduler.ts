/**
 * The automation scheduler: one leader across replicas enqueues one job per task and time slot; any
 * replica's job worker runs it. See docs/automation.md.
 *
 * Leadership is a lease row (`scheduler_leases`, migration 0006-automation) taken or renewed with one
 * conditional UPDATE (holder is this process, or the lease expired), else an INSERT ... ON CONFLICT DO
 * NOTHING for the first holder; it works the same on SQLite and PostgreSQL. The leader renews it every
 * third of its duration; a leader that dies (kill -9) stops renewing, and another replica takes over once
 * `lease_until` has passed. A graceful stop releases it at once.
 *
 * Only the leader enqueues, but correctness does not rest on the lease: a tick is the job
 * `automation.<kind>` with key `<kind>:<slot start, ISO 8601>`, unique per kind, where the slot is the
 * task's interval aligned on the epoch. Two replicas that both believe they lead (a leader that stalled
 * past its lease, clocks that disagree) enqueue the same row; the job table's claim (FOR UPDATE SKIP LOCKED
 * on PostgreSQL) hands it to one worker. A slot therefore runs once - at least once when a worker dies in
 * the middle of it, so tasks are idempotent (they compare with what is stored before writing).
 *
 * Time (slots, leases) comes from the injectable clock `context.now`, so tests move it; the polling interval
 * is real time. Slots the scheduler missed (no leader for a while) are not caught up: the next poll enqueues
 * the current slot, and tasks act on the present.
 */

import type { AppContext } from "../app-context.js";
import type { Job, JobStatus } from "../jobs/job-runner.js";
import { AUTOMATION_TASKS, type AutomationTask } from "./automation-tasks.js";
import { schedulerLeaseStore } from "./scheduler-lease.store.js";

/** How long a tick job's claim lasts without renewal (the job worker renews it while the task runs). */
const TICK_JOB_LEASE_MS = 60_000;

/** The job kind of a task: `automation.<kind>`. */
export const tickJobKind = (kind: string) => `automation.${kind}`;

/** The start of the slot containing `now`: the interval aligned on the epoch. */
export const slotStartOf = (now: number, intervalMs: number) => Math.floor(now / intervalMs) * intervalMs;

/** The job key of a slot: `<kind>:<slot start, ISO 8601>`, e.g. `progressive:2026-11-21T10:01:00.000Z`. */
export const slotKey = (kind: string, slotStart: number) => `${kind}:${new Date(slotStart).toISOString()}`;

/** The payload of a tick job. */
export interface TickPayload {
  slotStart: number;
  /** The lease holder that enqueued it. */
  enqueuedBy: string;
}

/** The result of a tick job: the task's own summary plus who ran it and when. */
export type TickResult = Record<string, unknown> & { ranBy: string; ranAt: string };

/** One task's tick for the current slot, as `runDueTicks` reports it. */
export interface TickOutcome {
  kind: string;
  key: string;
  slotStart: number;
  jobId: number;
  /** READY or FAILED; PENDING when the run failed and waits for its retry (see `error`). */
  status: JobStatus;
  result: TickResult | null;
  error: string | null;
}

export interface SchedulerLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface AutomationSchedulerOptions {
  /** The tasks; default AUTOMATION_TASKS. */
  tasks?: readonly AutomationTask[];
  /** Default config.automation: `on` polls in the background, `manual` only in runDueTicks, `off` never. */
  mode?: "on" | "off" | "manual";
  /** Default config.schedulerLeaseMs. */
  leaseMs?: number;
  /**
   * Real-time interval between polls (lease renewal, enqueueing); default a third of the lease, or half the
   * shortest tick interval when that is shorter.
   */
  pollMs?: number;
  /** Who holds the lease; default the process's job worker id (host:pid:random). */
  holderId?: string;
  logger?: SchedulerLogger;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** See the top of this file. One per server (`OpenedServer.automation`). */
export class AutomationScheduler {
  readonly mode: "on" | "off" | "manual";
  readonly tasks: readonly AutomationTask[];
  readonly holderId: string;
  readonly leaseMs: number;
  readonly pollMs: number;
  private logger: SchedulerLogger | undefined;
  private leading = false;
  private leaseUntil = 0;
  /** The last slot this process enqueued per task (saves an enqueue per poll). */
  private readonly enqueuedSlots = new Map<string, number>();
  private started = false;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly context: AppContext,
    options: AutomationSchedulerOptions = {},
  ) {
    this.mode = options.mode ?? context.config.automation;
    this.tasks = options.tasks ?? AUTOMATION_TASKS;
    this.holderId = options.holderId ?? context.jobs.workerId;
    this.leaseMs = options.leaseMs ?? context.config.schedulerLeaseMs;
    this.logger = options.logger;
    const kinds = new Set<string>();
    for (const task of this.tasks) {
      if (!/^[a-z0-9][a-z0-9-]*$/.test(task.kind) || kinds.has(task.kind)) {
        throw new Error(`automation task kind '${task.kind}' must be unique and match [a-z0-9-]+`);
      }
      kinds.add(task.kind);
    }
    // Renew well within the lease, and poll at least twice per slot so that no slot is skipped.
    const shortestInterval = Math.min(...this.tasks.map((task) => this.intervalOf(task)));
    this.pollMs =
      options.pollMs ?? Math.max(50, Math.floor(Math.min(this.leaseMs / 3, shortestInterval / 2)));
    if (this.mode !== "off") for (const task of this.tasks) this.registerHandler(task);
  }

  /** The tick interval of a task under this server's configuration. */
  intervalOf(task: AutomationTask): number {
    const interval = task.intervalMs(this.context.config);
    if (!Number.isInteger(interval) || interval <= 0) {
      throw new Error(
        `automation task '${task.kind}': interval must be a positive integer (ms), got ${interval}`,
      );
    }
    return interval;
  }

  private registerHandler(task: AutomationTask): void {
    this.context.jobs.register<TickPayload, TickResult>(
      tickJobKind(task.kind),
      async (job, jobContext) => {
        const now = this.context.now();
        const summary = await task.run(this.context, now, {
          key: job.key ?? "",
          slotStart: job.payload.slotStart,
          signal: jobContext.signal,
        });
        return { ...summary, ranBy: this.context.jobs.workerId, ranAt: new Date(now).toISOString() };
      },
      { leaseMs: TICK_JOB_LEASE_MS },
    );
  }

  /** Starts polling in the background (mode `on` only; `manual` and `off` never poll by themselves). */
  start(logger?: SchedulerLogger): void {
    if (logger) this.logger = logger;
    if (this.mode !== "on" || this.started) return;
    this.started = true;
    const loop = () => {
      this.timer = undefined;
      void this.poll()
        .catch((error) => this.logger?.error({ err: error }, "automation scheduler poll failed"))
        .finally(() => {
          if (!this.started) return;
          this.timer = setTimeout(loop, this.pollMs);
          this.timer.unref();
        });
    };
    loop();
  }

  /** Stops polling and releases the lease when held, so another replica takes over at its next poll. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling.catch(() => undefined);
    if (this.leading) {
      this.leading = false;
      await schedulerLeaseStore
        .release(this.context.db, this.holderId)
        .catch((error) => this.logger?.warn({ err: error }, "could not release the automation lease"));
    }
  }

  /** Whether this process held the lease at its last poll and the lease has not run out since. */
  isLeader(): boolean {
    return this.leading && this.context.now() < this.leaseUntil;
  }

  /**
   * One round: take or renew the lease; when leading, enqueue the current slot of each task whose slot
   * this process has not enqueued yet. Rounds never overlap (background polls and runDueTicks queue up).
   */
  poll(): Promise<{ leader: boolean; enqueued: Job[] }> {
    const round = this.polling.catch(() => undefined).then(() => this.pollOnce());
    this.polling = round;
    return round;
  }

  private async pollOnce(): Promise<{ leader: boolean; enqueued: Job[] }> {
    if (this.mode === "off") return { leader: false, enqueued: [] };
    const now = this.context.now();
    const leader = await schedulerLeaseStore.acquire(this.context.db, this.holderId, now, this.leaseMs);
    if (leader !== this.leading) {
      this.logger?.info(
        { holder: this.holderId },
        leader ? "automation: this replica leads" : "automation: this replica no longer leads",
      );
    }
    this.leading = leader;
    this.leaseUntil = leader ? now + this.leaseMs : 0;
    if (!leader) {
      this.enqueuedSlots.clear();
      return { leader, enqueued: [] };
    }
    const enqueued: Job[] = [];
    for (const task of this.tasks) {
      const slotStart = slotStartOf(now, this.intervalOf(task));
      if (this.enqueuedSlots.get(task.kind) === slotStart) continue;
      const { job } = await this.context.jobs.enqueue<TickPayload>({
        kind: tickJobKind(task.kind),
        key: slotKey(task.kind, slotStart),
        payload: { slotStart, enqueuedBy: this.holderId },
        runAfter: now,
      });
      this.enqueuedSlots.set(task.kind, slotStart);
      enqueued.push(job);
    }
    return { leader, enqueued };
  }

  /**
   * Runs the ticks due at the current clock and waits for them (tests: move the clock, then call this).
   * One round as `poll` does; then, for every task, waits until the job of its current slot is finished -
   * run by this process's worker or another replica's - and answers them in task order. A slot that already
   * ran is not run again: its outcome is answered (move the clock to the next slot for a new tick). When
   * another replica leads, waits for it to enqueue. Rejects with mode `off`, or after `timeoutMs` (default
   * 30 s) of real time.
   */
  async runDueTicks(options: { timeoutMs?: number } = {}): Promise<TickOutcome[]> {
    if (this.mode === "off") throw new Error("automation is off (VEXIL_AUTOMATION=off)");
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    const now = this.context.now();
    await this.poll();
    const outcomes: TickOutcome[] = [];
    for (const task of this.tasks) {
      const slotStart = slotStartOf(now, this.intervalOf(task));
      const key = slotKey(task.kind, slotStart);
      for (;;) {
        const job = await this.context.jobs.find<TickPayload, TickResult>(tickJobKind(task.kind), key);
        const settled =
          job &&
          (job.status === "READY" || job.status === "FAILED" || (job.status === "PENDING" && job.error));
        if (job && settled) {
          outcomes.push({
            kind: task.kind,
            key,
            slotStart,
            jobId: job.id,
            status: job.status,
            result: job.result,
            error: job.error,
          });
          break;
        }
        if (Date.now() > deadline) {
          throw new Error(
            `automation tick ${key} did not finish in time (${job ? job.status : "not enqueued: no leader"})`,
          );
        }
        if (!job) await this.poll();
        else this.context.jobs.wake();
        await sleep(job ? 5 : this.pollMs);
      }
    }
    return outcomes;
  }

  /** What the scheduler knows now (logs, tests). */
  status() {
    return {
      mode: this.mode,
      holderId: this.holderId,
      leader: this.isLeader(),
      leaseMs: this.leaseMs,
      tasks: this.tasks.map((task) => ({
        kind: task.kind,
        intervalMs: this.intervalOf(task),
        lastEnqueuedSlot: this.enqueuedSlots.has(task.kind)
          ? new Date(this.enqueuedSlots.get(task.kind)!).toISOString()
          : null,
      })),
    };
  }
}
