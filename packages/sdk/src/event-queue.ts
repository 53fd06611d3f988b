// The event queue: batched by size and time, bounded, retried, idempotent.
//
// - Events are held as columns (event-rows.ts), not objects; bodies are format 2, in wire order (exposures,
//   then conversions), built once per batch.
// - One request at a time, in order. A request carries `batchSize` events, or, when more than that are waiting
//   (events come faster than one request per round trip delivers them), all that wait up to the server's
//   limits (10,000 events, and 1.5 M characters of JSON counting each event's attributes as if not shared:
//   at most 4.5 MB, under its 5 MB body limit), so the
//   rate the queue sustains grows with the load instead of being batchSize / round-trip time. A batch gets an
//   X-Vexil-Payload-Id when it is formed and keeps it on every retry, so the server can discard a retry of a
//   batch it already stored.
// - Retries: network errors, 408, 429 and 5xx, after exponential backoff with full jitter, or after the
//   server's Retry-After when it sends one. 400: the server stored nothing; the events it names as invalid
//   (`errors[].index`) are dropped and counted and the rest is sent again at once as a new batch (if it names
//   none, the whole batch is dropped). 413 and other 4xx: the batch is dropped and counted (it would fail
//   again). 401/403: the key is refused; everything queued is dropped and the queue stops.
// - Bounded: queued + awaiting-retry events never exceed maxQueueSize. When full, the oldest go first: the
//   whole batch awaiting retry (it is never resent, so no duplicate can follow), else the oldest queued
//   event, else (everything is in a request right now) the new one. Every drop counts in `dropped`.

import { Backoff, type BackoffOptions, parseRetryAfter } from "./backoff.js";
import { isAuthFailure, isRetryableStatus, VexilError } from "./errors.js";
import { EventRows } from "./event-rows.js";
import type { ExposureHead } from "./events.js";
import { describe, type HttpClient } from "./http.js";
import { randomUuid } from "./ids.js";
import type { Logger } from "./logger.js";
import { after, every } from "./timers.js";

/** Events and JSON characters per request at most when a backlog is sent (the server's limits, with room). */
const MAX_REQUEST_EVENTS = 10_000;
const MAX_REQUEST_CHARS = 1_500_000;

/** Path of the events endpoint. */
export const EVENTS_PATH = "/events/v1/bulk";

/** Queue settings. */
export interface EventQueueOptions {
  /** Events per request (at most 10,000, the server's limit). */
  batchSize: number;
  /** Bound of queued + awaiting-retry events. */
  maxQueueSize: number;
  /** Queued events are sent at least this often. */
  flushIntervalMs: number;
  /** What the client's visit ids start with (a queued event holds its visit's number). */
  visitIdPrefix: string;
  backoff: BackoffOptions;
  logger: Logger;
  /** The key was refused: the queue stopped. */
  onFatal(error: VexilError): void;
  /** Payload ids (injectable for tests). */
  newPayloadId?: () => string;
  random?: () => number;
}

/** Counters of the queue. */
export interface EventQueueStats {
  /** Events waiting to be sent (including a batch awaiting retry). */
  queued: number;
  /** Events the server acknowledged. */
  sent: number;
  /** Events dropped: queue overflow, rejected batches (400), refused key, unsent at close. */
  dropped: number;
  /** Requests that failed and were (or will be) retried. */
  retries: number;
}

interface Batch {
  id: string;
  /** In wire order: the index of an event is the one a 400 names. */
  events: EventRows;
  /** Built at the first attempt, sent again on retries. */
  body?: string[];
}

type SendResult =
  | { ok: true }
  | {
      ok: false;
      error: VexilError;
      retryAfterMs?: number;
      fatal?: boolean;
      drop?: boolean;
      /** 400: the events the server named as invalid (`errors[].index`). */
      badIndexes?: Set<number> | undefined;
    };

/** The indexes a 400 answer names (`{"errors":[{"index":3,...}]}`), or undefined when it names none usable. */
export function badIndexes(body: string, count: number): Set<number> | undefined {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    if (!Array.isArray(parsed.errors)) return undefined;
    const indexes = new Set<number>();
    for (const e of parsed.errors) {
      const index = (e as { index?: unknown } | null)?.index;
      if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= count)
        return undefined;
      indexes.add(index);
    }
    return indexes.size > 0 ? indexes : undefined;
  } catch {
    return undefined;
  }
}

/** Batches events to POST /events/v1/bulk. */
export class EventQueue {
  private queue = new EventRows();
  /** A formed batch not yet acknowledged (in a request, or awaiting its retry). */
  private pending: Batch | null = null;
  private inRequest = false;
  private draining: Promise<void> | null = null;
  private readonly backoff: Backoff;
  /** No request before this instant (Date.now): the server's Retry-After. flush() respects it too. */
  private notBefore = 0;
  /** No automatic retry before this instant: our backoff. An explicit flush() goes now. */
  private backoffUntil = 0;
  private cancelRetry: (() => void) | undefined;
  private stopTicker: (() => void) | undefined;
  private stopped = false;
  private readonly abort = new AbortController();
  private readonly counters = { sent: 0, dropped: 0, retries: 0 };
  private readonly batchSize: number;

  constructor(
    private readonly http: HttpClient,
    private readonly options: EventQueueOptions,
  ) {
    this.batchSize = Math.max(1, Math.min(options.batchSize, options.maxQueueSize, 10_000));
    this.backoff = new Backoff(options.backoff, options.random);
    this.stopTicker = every(options.flushIntervalMs, () => {
      if (this.queue.length > 0 || this.pending !== null) void this.drain(false, true);
    });
  }

  /**
   * Adds an event (dropping the oldest when full): an exposure (with its head) or a conversion (head null,
   * with its goal and value). A full batch is sent at once.
   */
  push(
    head: ExposureHead | null,
    visit: number,
    visitorCode: string,
    time: number,
    attributes: string,
    goal: string | number = "",
    value: number | null = null,
  ): void {
    if (this.stopped) {
      this.counters.dropped++;
      return;
    }
    if (this.queue.length + (this.pending?.events.length ?? 0) >= this.options.maxQueueSize) {
      if (this.pending !== null && !this.inRequest) {
        this.counters.dropped += this.pending.events.length;
        this.pending = null;
      } else if (this.queue.length > 0) {
        this.queue.dropOldest(1);
        this.counters.dropped++;
      } else {
        this.counters.dropped++;
        return;
      }
    }
    this.queue.push(head, visit, visitorCode, time, attributes, goal, value);
    if (this.queue.length >= this.batchSize) void this.drain(false, false);
  }

  /** Counters. */
  stats(): EventQueueStats {
    return { queued: this.queue.length + (this.pending?.events.length ?? 0), ...this.counters };
  }

  /**
   * Sends everything queued now, one attempt per batch, skipping our backoff delay but not a Retry-After the
   * server asked for. Resolves when done or after the first failure (the failed batch stays queued).
   */
  async flush(): Promise<void> {
    if (this.draining !== null) await this.draining;
    await this.drain(true, true);
  }

  /** Flushes once, stops timers; events still unsent are dropped (and counted). */
  async close(): Promise<void> {
    if (this.stopped) return;
    this.stopTicker?.();
    this.cancelRetry?.();
    await this.flush().catch(() => {});
    this.discard();
  }

  /** Stops at once without sending: everything unsent is dropped (and counted). */
  discard(): void {
    this.stopTicker?.();
    this.cancelRetry?.();
    this.stopped = true;
    this.abort.abort();
    this.counters.dropped += this.queue.length + (this.pending?.events.length ?? 0);
    this.queue = new EventRows();
    this.pending = null;
  }

  // How many queued events the next request carries: a batch, or a whole backlog, within the server's limits.
  private requestSize(): number {
    const queue = this.queue;
    const most = Math.min(queue.length, queue.length > this.batchSize ? MAX_REQUEST_EVENTS : this.batchSize);
    return queue.fit(most, MAX_REQUEST_CHARS);
  }

  private armRetry(delay: number): void {
    this.cancelRetry?.();
    this.cancelRetry = after(delay, () => void this.drain(false, false));
  }

  // force: skip our backoff delay (explicit flush). all: also send a last, partial batch (timer, flush);
  // otherwise only full batches go (size trigger, retry).
  private drain(force: boolean, all: boolean): Promise<void> {
    if (this.draining !== null) return this.draining;
    this.draining = this.run(force, all).finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async run(force: boolean, all: boolean): Promise<void> {
    while (!this.stopped) {
      const now = Date.now();
      const wait = Math.max(this.notBefore - now, force ? 0 : this.backoffUntil - now);
      if (wait > 0) {
        // Timers may fire a millisecond before Date.now() reaches the deadline: re-arm rather than stall.
        this.armRetry(wait);
        return;
      }
      if (this.pending === null) {
        if (this.queue.length === 0 || (!all && this.queue.length < this.batchSize)) return;
        const events = this.queue.take(this.requestSize());
        this.pending = { id: (this.options.newPayloadId ?? randomUuid)(), events };
      }
      const batch = this.pending;
      this.inRequest = true;
      let result: SendResult;
      try {
        result = await this.send(batch);
      } finally {
        this.inRequest = false;
      }
      if (this.pending !== batch) continue; // dropped while in flight cannot happen, but stay safe
      if (result.ok) {
        this.counters.sent += batch.events.length;
        this.pending = null;
        this.backoff.reset();
        this.backoffUntil = 0;
        continue;
      }
      if (result.fatal) {
        this.counters.dropped += batch.events.length + this.queue.length;
        this.pending = null;
        this.queue = new EventRows();
        this.stopped = true;
        this.stopTicker?.();
        this.cancelRetry?.();
        this.options.onFatal(result.error);
        return;
      }
      if (result.drop) {
        const bad = result.badIndexes;
        if (bad !== undefined && bad.size > 0 && bad.size < batch.events.length) {
          // The server stored nothing and named the culprits: drop those, send the rest as a new batch
          // (a new payload id: this content was never stored under the old one).
          this.options.logger.warn(`dropping ${bad.size} invalid events: ${result.error.message}`);
          this.counters.dropped += bad.size;
          this.pending = {
            id: (this.options.newPayloadId ?? randomUuid)(),
            events: batch.events.without(bad),
          };
          continue;
        }
        this.options.logger.warn(`dropping ${batch.events.length} events: ${result.error.message}`);
        this.counters.dropped += batch.events.length;
        this.pending = null;
        continue;
      }
      this.counters.retries++;
      let delay: number;
      if (result.retryAfterMs !== undefined) {
        delay = result.retryAfterMs;
        this.notBefore = Date.now() + delay;
      } else {
        delay = this.backoff.next();
        this.backoffUntil = Date.now() + delay;
      }
      this.options.logger.debug(`events: ${result.error.message}; retrying in ${delay} ms`);
      this.armRetry(delay);
      return;
    }
  }

  private async send(batch: Batch): Promise<SendResult> {
    let response: Awaited<ReturnType<HttpClient["request"]>>;
    batch.body ??= batch.events.body(this.options.visitIdPrefix);
    try {
      response = await this.http.request(EVENTS_PATH, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Vexil-Payload-Id": batch.id },
        body: batch.body,
        signal: this.abort.signal,
      });
    } catch (error) {
      return {
        ok: false,
        error:
          error instanceof VexilError
            ? error
            : new VexilError("NETWORK", describe(error), undefined, { cause: error }),
      };
    }
    const status = response.status;
    if (status >= 200 && status < 300) return { ok: true };
    if (isAuthFailure(status)) {
      return {
        ok: false,
        fatal: true,
        error: new VexilError("UNAUTHORIZED", `${EVENTS_PATH} refused the SDK key (${status})`, status),
      };
    }
    const error = new VexilError(
      "HTTP",
      `${EVENTS_PATH} answered ${status} ${response.text.slice(0, 300)}`.trim(),
      status,
    );
    if (status === 400) {
      return { ok: false, drop: true, error, badIndexes: badIndexes(response.text, batch.events.length) };
    }
    if (!isRetryableStatus(status)) return { ok: false, drop: true, error };
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    return retryAfterMs === undefined ? { ok: false, error } : { ok: false, error, retryAfterMs };
  }
}
