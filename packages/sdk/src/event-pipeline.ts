// The sending half every client shares: one HTTP client for its key, the event queue and the
// evaluation reporter, built the same way from the same option names (server and browser clients).
import type { BackoffOptions } from "./backoff.js";
import type { VexilError } from "./errors.js";
import { EvaluationCounter, EvaluationReporter } from "./evaluation-counts.js";
import { EventQueue } from "./event-queue.js";
import { type FetchLike, HttpClient, type Transport } from "./http.js";
import type { Logger } from "./logger.js";

/** The options of every client that shape its requests, events and evaluation reports (milliseconds). */
export interface PipelineOptions {
  /** Queued events are sent at least this often. Default 10000. */
  eventsFlushIntervalMs?: number;
  /** Events per request; a full batch is sent at once. Default 5000. */
  eventsBatchSize?: number;
  /** Bound of unsent events; beyond it the oldest are dropped (see `stats().droppedEvents`). Default 50000. */
  maxQueueSize?: number;
  /** Period of the evaluation count reports. Default 60000. */
  evaluationReportIntervalMs?: number;
  /**
   * The fetch implementation, for every request. Default: the global fetch (the server client sends events,
   * reports and config polls over node:http(s) with keep-alive, and only the stream over fetch).
   */
  fetch?: FetchLike;
  /** Timeout of payload or answer, events and evaluation-report requests. Default 10000. */
  requestTimeoutMs?: number;
  /** Backoff of stream reconnects and event retries: full jitter in [0, min(maxMs, baseMs * 2^n)). Default 1000 / 30000. */
  backoff?: Partial<BackoffOptions>;
}

/** What a client sends through. */
export interface EventPipeline {
  http: HttpClient;
  backoff: BackoffOptions;
  queue: EventQueue;
  counter: EvaluationCounter;
  reporter: EvaluationReporter;
}

/** Builds a client's HTTP client, event queue and (started) evaluation reporter from its options. */
export function openEventPipeline(
  options: PipelineOptions,
  baseUrl: string,
  key: string,
  visitIdPrefix: string,
  now: () => number,
  logger: Logger,
  onFatal: (error: VexilError) => void,
  /** Carries whole-body requests when the options give no fetch (when it answers one). */
  transport?: () => Transport | undefined,
): EventPipeline {
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const http = new HttpClient(
    baseUrl,
    key,
    fetchImpl,
    options.requestTimeoutMs ?? 10_000,
    options.fetch === undefined ? transport?.() : undefined,
  );
  const backoff: BackoffOptions = {
    baseMs: options.backoff?.baseMs ?? 1000,
    maxMs: options.backoff?.maxMs ?? 30_000,
  };
  const queue = new EventQueue(http, {
    // Each request costs ~0.5 ms of CPU whatever it carries: at high rates, small batches cost more than
    // the events (bench/engine-evaluation.bench.ts). A slow rate is sent by the flush timer anyway.
    batchSize: options.eventsBatchSize ?? 5000,
    // Room for a batch in flight and several more: bursts while a request is out are kept, not dropped.
    maxQueueSize: options.maxQueueSize ?? 50_000,
    flushIntervalMs: options.eventsFlushIntervalMs ?? 10_000,
    visitIdPrefix,
    backoff,
    logger,
    onFatal,
  });
  const counter = new EvaluationCounter();
  const reporter = new EvaluationReporter(
    http,
    counter,
    options.evaluationReportIntervalMs ?? 60_000,
    now,
    logger,
    onFatal,
  );
  reporter.start();
  return { http, backoff, queue, counter, reporter };
}
