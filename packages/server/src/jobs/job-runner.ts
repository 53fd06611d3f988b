/**
 * Durable background jobs with leases, run by a worker loop inside the server process.
 *
 * A job is a row of the `jobs` table: `kind` (which handler runs it), an optional `key` (unique per
 * kind: enqueueing the same kind + key again returns the existing job), a JSON `payload`, and, once it
 * ran, a JSON `result` (READY) or an `error` (FAILED). Status: PENDING -> RUNNING -> READY | FAILED.
 *
 * The worker claims due jobs (PENDING with run_after <= now, or RUNNING with an expired lease) in one
 * statement (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one UPDATE ... WHERE id = (SELECT ...)), holds a
 * lease it renews while the handler runs (every lease/3), and writes the outcome only while it still holds
 * the lease. A server that dies mid-run leaves its lease to expire; any worker (this one after a restart,
 * or another replica) then claims the job again. A graceful stop aborts running handlers and hands their
 * jobs back at once (PENDING, the attempt not counted).
 *
 * Handlers must therefore be idempotent: a job may run more than once (after a crash, or when a lease was
 * lost), never twice at the same moment while leases are honoured.
 *
 * Usage (see README.md beside this file):
 *
 *   context.jobs.register("automation.tick", async (job, ctx) => { ...; await ctx.progress(50); ...; return {...} },
 *     { leaseMs: 60_000, retryDelayMs: (attempt) => (attempt < 5 ? 1000 * 2 ** attempt : null) });
 *   await context.jobs.enqueue({ kind: "automation.tick", key: "flag:100001", payload: {...} });
 *
 * Time comes from the injected clock (`now`), so tests can expire leases and make retries due without
 * waiting; the poll interval is real time. `enqueue` wakes the local worker at once, so the interval only
 * bounds how soon retries and jobs enqueued by other replicas are noticed.
 */

import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Kysely } from "kysely";
import { isUniqueViolation } from "../http/write-guards.js";
import type { SqlDialect } from "../storage/database.js";
import type { Database } from "../storage/schema.js";
import { insertJob, type Job, type JobStatus, jobsStore, toJob } from "./jobs.store.js";

export type { Job, JobStatus } from "./jobs.store.js";

/** What a running handler may use besides its job. */
export interface JobContext {
  /** Aborted when the worker stops or the lease was lost: stop as soon as convenient. */
  signal: AbortSignal;
  /** The runner's clock (epoch ms). */
  now(): number;
  /** Records progress (0-100, rounded and clamped); written with the lease renewal, at most every 250 ms. */
  progress(percent: number): void;
}

export type JobHandler<Payload = unknown, Result = unknown> = (
  job: Job<Payload, Result>,
  context: JobContext,
) => Promise<Result>;

export interface JobHandlerOptions {
  /** How long a claim lasts without renewal (renewed every third of it while the handler runs). Default 30 s. */
  leaseMs?: number;
  /**
   * Delay before the next attempt after the handler threw (not RetryLater), or null to fail the job.
   * `attempt` is the number of attempts made so far (1 after the first). Default: 1 s, 2 s, 4 s ...
   * (capped at 5 min) while attempt < job.maxAttempts.
   */
  retryDelayMs?: (attempt: number, error: unknown, job: Job) => number | null;
  /** Called after the outcome is stored (READY or FAILED), e.g. to make jobs waiting for this one due. */
  onFinished?: (job: Job, status: "READY" | "FAILED") => void | Promise<void>;
}

/**
 * A handler may return its result already serialized (a large report it measured serializing), so the
 * runner stores the text as it is instead of stringifying the value again.
 */
export class JsonResult {
  constructor(readonly json: string) {}
}

/**
 * Thrown by a handler to run the job again later without it counting as a failed attempt, e.g. when it
 * waits for something else to finish. The job goes back to PENDING until now + delayMs.
 */
export class RetryLater extends Error {
  override readonly name = "RetryLater";
  constructor(
    readonly delayMs: number,
    message = "deferred",
  ) {
    super(message);
  }
}

export interface EnqueueInput<Payload> {
  kind: string;
  /** Deduplication key, unique per kind. */
  key?: string | null;
  payload: Payload;
  /** Not before this instant (epoch ms); default now. */
  runAfter?: number;
  /** Attempts before the job ends FAILED (the handler's retryDelayMs may stop earlier). Default 3. */
  maxAttempts?: number;
}

export interface EnqueueOptions {
  /**
   * When a job with this kind and key exists and is finished (READY or FAILED): keep it (default) or run it
   * again with the new payload (its old result is cleared). A PENDING or RUNNING job is always kept.
   */
  whenFinished?: "keep" | "rerun";
}

export interface EnqueueOutcome<Payload, Result> {
  job: Job<Payload, Result>;
  /** A new row was inserted. */
  created: boolean;
  /** A finished job was put back to PENDING. */
  rerun: boolean;
}

export interface JobRunnerOptions {
  db: Kysely<Database>;
  dialect: SqlDialect;
  now: () => number;
  /** Real-time interval between polls for due jobs. Default 1000 ms. */
  pollMs?: number;
  /** Jobs this worker runs at once; 0 = enqueue only (no worker). Default 2. */
  concurrency?: number;
  /** READY/FAILED jobs are deleted this long after they finished (checked hourly). Default 30 days; 0 keeps them. */
  retainFinishedMs?: number;
  logger?: JobLogger;
}

export interface JobLogger {
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

interface Running {
  job: Job;
  controller: AbortController;
  done: Promise<void>;
}

const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_MAX_ATTEMPTS = 3;
const STOP_GRACE_MS = 2000;
const PURGE_EVERY_MS = 3600_000;

/** The default retry policy: exponential from 1 s, capped at 5 minutes, within the job's maxAttempts. */
export function defaultRetryDelayMs(attempt: number, _error: unknown, job: Job): number | null {
  if (attempt >= job.maxAttempts) return null;
  return Math.min(1000 * 2 ** (attempt - 1), 300_000);
}

class WorkerStopped extends Error {
  override readonly name = "WorkerStopped";
}
class LeaseLost extends Error {
  override readonly name = "LeaseLost";
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** The jobs API (context.jobs): register handlers, enqueue, read; plus the worker loop (start/stop). */
export class JobRunner {
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  private readonly db: JobRunnerOptions["db"];
  private readonly dialect: JobRunnerOptions["dialect"];
  private readonly handlers = new Map<string, { handler: JobHandler; options: JobHandlerOptions }>();
  private readonly running = new Map<number, Running>();
  private readonly now: () => number;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly retainFinishedMs: number;
  private logger: JobLogger | undefined;
  private started = false;
  private stopping = false;
  /** Set by stop({ abandon: true }): handlers' outcomes are dropped, leases left to expire (a simulated crash). */
  private abandoned = false;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private tickAgain = false;
  private lastPurge = 0;

  constructor(options: JobRunnerOptions) {
    this.db = options.db;
    this.dialect = options.dialect;
    this.now = options.now;
    this.pollMs = options.pollMs ?? 1000;
    this.concurrency = options.concurrency ?? 2;
    this.retainFinishedMs = options.retainFinishedMs ?? 30 * 86_400_000;
    this.logger = options.logger;
  }

  /** Registers (or replaces) the handler of a kind. Only registered kinds are claimed by this worker. */
  register<Payload, Result>(
    kind: string,
    handler: JobHandler<Payload, Result>,
    options: JobHandlerOptions = {},
  ): void {
    this.handlers.set(kind, { handler: handler as JobHandler, options });
    this.wake();
  }

  /** The registered handler of a kind (tests wrap it to block or observe runs). */
  handlerOf(kind: string): JobHandler | undefined {
    return this.handlers.get(kind)?.handler;
  }

  /** Adds a job, or returns the existing one with the same kind and key (see EnqueueOptions). */
  async enqueue<Payload, Result = unknown>(
    input: EnqueueInput<Payload>,
    options: EnqueueOptions = {},
  ): Promise<EnqueueOutcome<Payload, Result>> {
    const now = this.now();
    const row = newJob(input, now);
    let outcome: EnqueueOutcome<Payload, Result> | undefined;
    if (row.key === null) {
      outcome = { job: toJob(await jobsStore.insert(this.db, row)), created: true, rerun: false };
    } else {
      for (let round = 0; round < 3 && !outcome; round++) {
        const existing = await jobsStore.byKey(this.db, row.kind, row.key);
        if (!existing) {
          try {
            outcome = { job: toJob(await jobsStore.insert(this.db, row)), created: true, rerun: false };
          } catch (error) {
            if (!isUniqueViolation(error)) throw error;
            // Another request inserted the same key first: read it on the next round.
          }
          continue;
        }
        const finished = existing.status === "READY" || existing.status === "FAILED";
        if (finished && options.whenFinished === "rerun") {
          if (await jobsStore.rerunFinished(this.db, Number(existing.id), row)) {
            const job = await jobsStore.byId(this.db, Number(existing.id));
            if (job) outcome = { job: toJob(job), created: false, rerun: true };
          }
          // Lost a race with another rerun (or a deletion): read again.
          continue;
        }
        outcome = { job: toJob(existing), created: false, rerun: false };
      }
      if (!outcome) throw new Error(`could not enqueue job ${row.kind}/${row.key}`);
    }
    if (outcome.created || outcome.rerun) this.wake();
    return outcome;
  }

  async get<Payload = unknown, Result = unknown>(id: number): Promise<Job<Payload, Result> | undefined> {
    const row = await jobsStore.byId(this.db, id);
    return row && toJob<Payload, Result>(row);
  }

  async find<Payload = unknown, Result = unknown>(
    kind: string,
    key: string,
  ): Promise<Job<Payload, Result> | undefined> {
    const row = await jobsStore.byKey(this.db, kind, key);
    return row && toJob<Payload, Result>(row);
  }

  /** Makes waiting PENDING jobs of a kind (optionally those whose key starts with a prefix) due now. */
  async runNow(kind: string, keyPrefix?: string): Promise<number> {
    const count = await jobsStore.makeDue(this.db, kind, keyPrefix, this.now());
    if (count > 0) this.wake();
    return count;
  }

  /** Starts the worker loop (no-op with concurrency 0 or when already started). */
  start(logger?: JobLogger): void {
    if (logger) this.logger = logger;
    if (this.started || this.concurrency <= 0) return;
    this.started = true;
    this.stopping = false;
    this.abandoned = false;
    this.wake();
  }

  /**
   * Stops the worker: no new claims, running handlers are aborted and given up to 2 s to settle; their
   * jobs go back to PENDING (attempt not counted) so the next start, or another replica, runs them.
   * `abandon: true` leaves their leases in place instead, as a crash would (tests of lease expiry).
   */
  async stop(options: { abandon?: boolean } = {}): Promise<void> {
    if (!this.started) return;
    this.stopping = true;
    this.abandoned = options.abandon === true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
    const interrupted = [...this.running.values()];
    for (const entry of interrupted) entry.controller.abort(new WorkerStopped("worker stopping"));
    const settled = Promise.allSettled(interrupted.map((entry) => entry.done));
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
    if (!this.abandoned) {
      // Aborted handlers never write their outcome, so these are still RUNNING under this worker's lease.
      const now = this.now();
      for (const entry of interrupted) {
        await jobsStore
          .reschedule(this.db, entry.job.id, this.workerId, now, null, true, now)
          .catch((error) => this.logger?.warn({ err: error, jobId: entry.job.id }, "could not release job"));
      }
    }
    this.started = false;
  }

  /** Jobs running in this process now (ids). */
  runningJobIds(): number[] {
    return [...this.running.keys()];
  }

  /** Polls at once (after an enqueue, a finished job, a registration). */
  wake(): void {
    if (!this.started || this.stopping) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.ticking = this.tick().finally(() => {
      this.ticking = undefined;
      if (this.stopping) return;
      if (this.tickAgain) {
        this.tickAgain = false;
        this.wake();
      } else {
        this.timer = setTimeout(() => this.wake(), this.pollMs);
        this.timer.unref();
      }
    });
  }

  private async tick(): Promise<void> {
    try {
      await this.purgeIfDue();
      while (!this.stopping && this.running.size < this.concurrency) {
        const now = this.now();
        const row = await jobsStore.claim(
          this.db,
          this.dialect,
          [...this.handlers.keys()],
          this.workerId,
          now,
          (kind) => {
            return now + this.leaseMsOf(kind);
          },
        );
        if (!row) break;
        if (this.stopping) {
          await jobsStore.reschedule(this.db, Number(row.id), this.workerId, now, null, true, now);
          break;
        }
        this.execute(toJob(row));
      }
    } catch (error) {
      this.logger?.error({ err: error }, "job worker poll failed");
    }
  }

  private async purgeIfDue(): Promise<void> {
    if (this.retainFinishedMs <= 0) return;
    const now = this.now();
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    await jobsStore.purgeFinished(this.db, now - this.retainFinishedMs);
  }

  private leaseMsOf(kind: string): number {
    return this.handlers.get(kind)?.options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  private execute(job: Job): void {
    const controller = new AbortController();
    const entry: Running = { job, controller, done: Promise.resolve() };
    this.running.set(job.id, entry);
    entry.done = this.run(job, controller)
      .catch((error) => this.logger?.error({ err: error, jobId: job.id }, "could not record job outcome"))
      .finally(() => {
        this.running.delete(job.id);
        this.wake();
      });
  }

  private async finished(job: Job, status: "READY" | "FAILED"): Promise<void> {
    try {
      await this.handlers.get(job.kind)?.options.onFinished?.(job, status);
    } catch (error) {
      this.logger?.warn({ err: error, jobId: job.id }, "job onFinished hook failed");
    }
  }

  private async run(job: Job, controller: AbortController): Promise<void> {
    const registered = this.handlers.get(job.kind);
    const owner = this.workerId;
    const leaseMs = this.leaseMsOf(job.kind);
    let progress = job.progress;
    let written = progress;
    let lastWrite = 0;
    let renewing: Promise<void> = Promise.resolve();
    const renew = (force: boolean) => {
      if (controller.signal.aborted) return;
      const now = this.now();
      if (!force && (progress === written || now - lastWrite < 250)) return;
      const value = progress;
      lastWrite = now;
      renewing = renewing
        .then(() => jobsStore.renew(this.db, job.id, owner, this.now() + leaseMs, this.now(), value))
        .then((held) => {
          written = value;
          if (!held) controller.abort(new LeaseLost("lease lost"));
        })
        .catch((error) => this.logger?.warn({ err: error, jobId: job.id }, "job lease renewal failed"));
    };
    const heartbeat = setInterval(() => renew(true), Math.max(10, Math.floor(leaseMs / 3)));
    heartbeat.unref();
    // Whether the outcome may be written: not after a lost lease or a stop (stop() releases the job itself).
    const mayWrite = () => !controller.signal.aborted && !this.abandoned;
    try {
      if (!registered) throw new Error(`no handler for job kind '${job.kind}'`);
      if (job.attempts > job.maxAttempts) {
        throw new Error(
          `gave up after ${job.maxAttempts} attempts; the last one lost its lease (worker stopped or crashed)`,
        );
      }
      const context: JobContext = {
        signal: controller.signal,
        now: this.now,
        progress: (percent) => {
          const value = Math.max(0, Math.min(100, Math.round(percent)));
          if (value === progress) return;
          progress = value;
          renew(false);
        },
      };
      const result = await registered.handler(job, context);
      clearInterval(heartbeat);
      await renewing;
      if (!mayWrite()) return;
      const text = result instanceof JsonResult ? result.json : JSON.stringify(result ?? null);
      if (await jobsStore.complete(this.db, job.id, owner, text, this.now()))
        await this.finished(job, "READY");
    } catch (error) {
      clearInterval(heartbeat);
      await renewing;
      if (!mayWrite()) return;
      const now = this.now();
      if (error instanceof RetryLater) {
        await jobsStore.reschedule(this.db, job.id, owner, now + error.delayMs, error.message, true, now);
        return;
      }
      const policy = registered?.options.retryDelayMs ?? defaultRetryDelayMs;
      const delay = registered && job.attempts <= job.maxAttempts ? policy(job.attempts, error, job) : null;
      if (delay === null) {
        this.logger?.warn({ err: error, jobId: job.id, kind: job.kind }, "job failed");
        if (await jobsStore.fail(this.db, job.id, owner, errorText(error), now))
          await this.finished(job, "FAILED");
      } else {
        await jobsStore.reschedule(this.db, job.id, owner, now + delay, errorText(error), false, now);
      }
    } finally {
      clearInterval(heartbeat);
    }
  }
}

/**
 * Adds a job inside the caller's transaction, so the job exists if and only if the change that needs it
 * commits (an outbox: a crash right after the commit loses nothing). No worker is woken: the job is claimed
 * on the next poll, or at once after `jobs.wake()` once the transaction committed. Use a key that cannot exist
 * yet (or none): a duplicate key would abort the caller's transaction.
 */
export async function enqueueInTransaction<Payload>(
  trx: Kysely<Database>,
  input: EnqueueInput<Payload>,
  now: number,
): Promise<number> {
  const row = await insertJob(trx, newJob(input, now));
  return Number(row.id);
}

/** The row an enqueue inserts (or a rerun writes back), defaults applied. */
function newJob<Payload>(input: EnqueueInput<Payload>, now: number) {
  return {
    kind: input.kind,
    key: input.key ?? null,
    payload: JSON.stringify(input.payload),
    maxAttempts: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    runAfter: input.runAfter ?? now,
    now,
  };
}

/** Job statuses as the APIs show them. */
export const JOB_STATUSES: readonly JobStatus[] = ["PENDING", "RUNNING", "READY", "FAILED"];
