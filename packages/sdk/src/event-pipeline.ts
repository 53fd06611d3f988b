// The sending half every client shares: one HTTP client for its key, the event queue and the
// evaluation reporter, built the same way from the same option names (server and browser clients).
import type { BackoffOptions } from "./backoff.js";
import type { VexilError } from "./errors.js";
import { EvaluationCounter, EvaluationReporter } from "./evaluation-counts.js";
import { EventQueue } from "./event-queue.js";
import { type FetchLike, HttpClient } from "./http.js";
import type { Logger } from "./logger.js";

/** The options of a client that shape its requests, events and evaluation reports. */
export interface PipelineOptions {
  baseUrl: string;
  fetch?: FetchLike;
  requestTimeoutMs?: number;
  backoff?: Partial<BackoffOptions>;
  eventsBatchSize?: number;
  maxQueueSize?: number;
  eventsFlushIntervalMs?: number;
  evaluationReportIntervalMs?: number;
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
  key: string,
  visitIdPrefix: string,
  now: () => number,
  logger: Logger,
  onFatal: (error: VexilError) => void,
): EventPipeline {
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const http = new HttpClient(options.baseUrl, key, fetchImpl, options.requestTimeoutMs ?? 10_000);
  const backoff: BackoffOptions = {
    baseMs: options.backoff?.baseMs ?? 1000,
    maxMs: options.backoff?.maxMs ?? 30_000,
  };
  const queue = new EventQueue(http, {
    batchSize: options.eventsBatchSize ?? 500,
    maxQueueSize: options.maxQueueSize ?? 10_000,
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
