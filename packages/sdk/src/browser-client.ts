// The browser client: a page's visitor, the environment's public client-side key, and the answers the
// server evaluates for that visitor (POST /sdk/v1/evaluate/stream, a new `put` whenever one changes;
// POST /sdk/v1/evaluate polled while the stream is down). A client-side key never receives rules or
// segments, so this client holds no engine: reading an answer is a lookup. Exposures, conversions and
// evaluation counts are recorded and sent as the local-evaluation client does.

import type { Visitor } from "@vexil/engine";
import { enabled, NOT_READY, sameKind } from "./answers.js";
import { attributesJson } from "./attribute-texts.js";
import type { ChangeEvent, EvaluationDetails, VisitorInput } from "./client.js";
import { Poller } from "./config-source.js";
import { Emitter } from "./emitter.js";
import { isAuthFailure, VexilError } from "./errors.js";
import type { EvaluationCounter, EvaluationReporter } from "./evaluation-counts.js";
import { openEventPipeline, type PipelineOptions } from "./event-pipeline.js";
import type { EventQueue } from "./event-queue.js";
import { ExposureRecorder } from "./exposures.js";
import { describe, type HttpClient } from "./http.js";
import { type Logger, resolveLogger } from "./logger.js";
import { ConfigStream, type StreamState } from "./stream.js";
import { after } from "./timers.js";

/** Path of the per-visitor answers, and of their stream. */
export const EVALUATE_PATH = "/sdk/v1/evaluate";

/** Options of `createBrowserClient`. Durations are in milliseconds. */
export interface BrowserClientOptions extends PipelineOptions {
  /** The environment's client-side key (public: `clientSdkKey`). The server-side key works too. */
  clientKey: string;
  /** The Vexil server, e.g. "https://flags.example.com". */
  baseUrl: string;
  /** The page's visitor: `{code, attributes}` or just its code. Change it with `identify`. */
  visitor: VisitorInput;
  /** `ready()` rejects if no answers arrived within this time. Default 5000. */
  initTimeoutMs?: number;
  /** Follow changes over the answers stream (else poll). Default true. */
  streaming?: boolean;
  /** Polling period when streaming is off, or while the stream is down. Default 30000. */
  pollIntervalMs?: number;
  /** A console-like logger. Default: warnings and errors on the console. */
  logger?: Partial<Logger>;
  /** The clock of event times and visits. Default Date.now. */
  now?: () => number;
  /** The stream reconnects after this long without data (heartbeat every 15 s). Default 45000. */
  streamReadTimeoutMs?: number;
}

/** Events of the browser client. */
export interface BrowserClientEvents {
  /** The visitor's first answers are loaded (emitted once). */
  ready: [];
  /** Answers changed; `flagKeys` are the flags whose answer differs. */
  change: [ChangeEvent];
  /** Refused key (all network activity stops), initialization timeout, or unreadable answers. */
  error: [VexilError];
}

/** Counters and state, for monitoring. */
export interface BrowserClientStats {
  ready: boolean;
  /** Configuration version of the answers held, null before the first. */
  version: number | null;
  stream: StreamState | "off";
  polling: boolean;
  queuedEvents: number;
  sentEvents: number;
  droppedEvents: number;
  dedupedExposures: number;
}

interface Answers {
  version: number;
  flags: Record<string, EvaluationDetails>;
}

const FLAG_NOT_FOUND: EvaluationDetails = Object.freeze({
  variationKey: "",
  variables: Object.freeze({}),
  reason: "ERROR" as const,
  errorCode: "FLAG_NOT_FOUND" as const,
  inExperiment: false,
});

function toVisitor(input: VisitorInput): Visitor {
  const visitor = typeof input === "string" ? { code: input } : input;
  if (typeof visitor?.code !== "string" || visitor.code === "")
    throw new TypeError("visitor code must be a non-empty string");
  return visitor;
}

// Answers as the server sends them: `{version, flags: {key: result}}`; anything else is unreadable.
function parseAnswers(text: string): Answers {
  const value = JSON.parse(text) as Answers;
  if (typeof value?.version !== "number" || typeof value.flags !== "object" || value.flags === null)
    throw new Error("answers must be {version, flags}");
  for (const result of Object.values(value.flags)) Object.freeze(result);
  return value;
}

/** Creates a browser client for one visitor; it starts loading at once. */
export function createBrowserClient(options: BrowserClientOptions): VexilBrowserClient {
  return new VexilBrowserClient(options);
}

/** The Vexil browser client: server-evaluated answers for the page's visitor. */
export class VexilBrowserClient {
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly emitter: Emitter<BrowserClientEvents>;
  private readonly http: HttpClient;
  private readonly stream: ConfigStream | undefined;
  private readonly poller: Poller;
  private readonly queue: EventQueue;
  private readonly counter: EvaluationCounter;
  private readonly reporter: EvaluationReporter;
  private readonly exposures = new ExposureRecorder(100);
  private readonly lifetime = new AbortController();
  private visitor: Visitor;
  private answers: Answers | null = null;
  /** Bumped by every visitor change and stream update: an older poll answer is discarded. */
  private epoch = 0;
  private etag: string | undefined;
  private waiting: { resolve: () => void; reject: (error: VexilError) => void }[] = [];
  private readonly readyPromise: Promise<void>;
  private loadedOnce = false;
  private cancelInitTimer: (() => void) | undefined;
  private fatalError: VexilError | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: BrowserClientOptions) {
    if (typeof options.clientKey !== "string" || options.clientKey === "")
      throw new TypeError("createBrowserClient: clientKey is required");
    if (typeof options.baseUrl !== "string" || options.baseUrl === "")
      throw new TypeError("createBrowserClient: baseUrl is required");
    this.visitor = toVisitor(options.visitor);
    this.logger = resolveLogger(options.logger);
    this.now = options.now ?? Date.now;
    this.emitter = new Emitter((error) => this.logger.error("an event listener threw", error));
    const onFatal = (error: VexilError): void => this.fatal(error);
    const pipeline = openEventPipeline(
      options,
      options.baseUrl,
      options.clientKey,
      this.exposures.visits.idPrefix,
      this.now,
      this.logger,
      onFatal,
    );
    this.http = pipeline.http;
    this.queue = pipeline.queue;
    this.counter = pipeline.counter;
    this.reporter = pipeline.reporter;
    const backoff = pipeline.backoff;
    this.readyPromise = this.nextAnswers();

    this.poller = new Poller(options.pollIntervalMs ?? 30_000, () => this.poll());
    if (options.streaming === false) this.poller.start(true);
    else {
      this.stream = new ConfigStream(
        this.http,
        {
          onOpen: () => {
            if (this.answers !== null) this.poller.stop();
          },
          onMessage: (type, data) => {
            if (type !== "put") throw new Error(`unexpected ${type} event`);
            this.epoch++;
            this.poller.stop();
            this.apply(parseAnswers(data)); // throws: the stream reconnects for a fresh put
          },
          onDown: (error, retryInMs) => {
            this.logger.debug(`answers stream: ${error.message}; retrying in ${retryInMs} ms`);
            if (error.code === "INVALID_PAYLOAD") this.emitter.emit("error", error);
            this.poller.start(this.answers === null);
          },
          onFatal,
        },
        {
          backoff,
          readTimeoutMs: options.streamReadTimeoutMs ?? 45_000,
          logger: this.logger,
          endpoint: {
            path: `${EVALUATE_PATH}/stream`,
            body: () => JSON.stringify({ visitor: this.visitor }),
          },
        },
      );
      this.stream.start();
    }
    const timeoutMs = options.initTimeoutMs ?? 5000;
    this.cancelInitTimer = after(timeoutMs, () =>
      this.settle(new VexilError("INIT_TIMEOUT", `no answers within ${timeoutMs} ms`)),
    );
  }

  /** Resolves once the visitor's answers are loaded; rejects at `initTimeoutMs`, on a refused key or close. */
  ready(): Promise<void> {
    return this.answers !== null ? Promise.resolve() : this.readyPromise;
  }

  /** Whether answers for the current visitor are loaded. */
  get isReady(): boolean {
    return this.answers !== null;
  }

  /** The current visitor's answer for a flag. Never throws. Counts it, and records an exposure when `inExperiment`. */
  evaluate(featureKey: string): EvaluationDetails {
    const answers = this.answers;
    if (answers === null) return NOT_READY;
    const result = Object.hasOwn(answers.flags, featureKey) ? answers.flags[featureKey]! : FLAG_NOT_FOUND;
    const now = this.now();
    if (result.variationKey !== "") this.counter.count(featureKey, result.variationKey, now);
    if (result.inExperiment && this.closing === undefined)
      this.exposures.record(featureKey, this.visitor, result, now, this.queue);
    return result;
  }

  /** Whether the feature is on: false on an error, a disabled flag or the `off` variation. */
  isEnabled(featureKey: string): boolean {
    return enabled(this.evaluate(featureKey));
  }

  /** The variation key, or `defaultValue` when the answer is an error. */
  getVariationKey(featureKey: string, defaultValue = "off"): string {
    const result = this.evaluate(featureKey);
    return result.reason === "ERROR" || result.variationKey === "" ? defaultValue : result.variationKey;
  }

  /** A variable of the visitor's variation; `defaultValue` on an error, a missing variable or another kind. */
  getVariable<T>(featureKey: string, variableKey: string, defaultValue: T): T {
    const result = this.evaluate(featureKey);
    if (result.reason === "ERROR" || !Object.hasOwn(result.variables, variableKey)) return defaultValue;
    const value = result.variables[variableKey];
    return sameKind(value, defaultValue) ? (value as T) : defaultValue;
  }

  /** A BOOLEAN variable (see getVariable). */
  getBoolean(featureKey: string, variableKey: string, defaultValue: boolean): boolean {
    return this.getVariable(featureKey, variableKey, defaultValue);
  }

  /** A NUMBER variable (see getVariable). */
  getNumber(featureKey: string, variableKey: string, defaultValue: number): number {
    return this.getVariable(featureKey, variableKey, defaultValue);
  }

  /** A STRING, JS or CSS variable (see getVariable). */
  getString(featureKey: string, variableKey: string, defaultValue: string): string {
    return this.getVariable(featureKey, variableKey, defaultValue);
  }

  /** A JSON variable, whatever its JSON type (unchecked). */
  getJson<T = unknown>(featureKey: string, variableKey: string, defaultValue: T): T {
    const result = this.evaluate(featureKey);
    if (result.reason === "ERROR" || !Object.hasOwn(result.variables, variableKey)) return defaultValue;
    return result.variables[variableKey] as T;
  }

  /** Records a conversion of `goal` (id or key) for the current visitor. Queued; sent in batches. */
  track(goal: string | number, value?: number, attributes?: Record<string, unknown>): void {
    if (this.closing !== undefined) return;
    if ((typeof goal !== "string" || goal === "") && (typeof goal !== "number" || !Number.isFinite(goal))) {
      this.logger.warn("track ignored: goal must be a goal id or key");
      return;
    }
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value))) {
      this.logger.warn("track ignored: value must be a finite number");
      return;
    }
    const now = this.now();
    const code = this.visitor.code;
    const visit = this.exposures.visits.touchNumber(code, now);
    this.queue.push(null, visit, code, now, attributesJson(attributes), goal, value ?? null);
  }

  /**
   * Switches to another visitor (sign-in, new attributes): answers read until the new ones arrive are
   * PROVIDER_NOT_READY, never the previous visitor's. Resolves when the new answers are loaded.
   */
  identify(visitor: VisitorInput): Promise<void> {
    this.visitor = toVisitor(visitor);
    this.answers = null;
    this.etag = undefined;
    this.epoch++;
    const loaded = this.nextAnswers();
    this.stream?.reconnect();
    void this.poll(); // whichever answers first; the other is then ignored or changes nothing
    return loaded;
  }

  /** Sends queued events and evaluation counts now. */
  async flush(): Promise<void> {
    await Promise.all([this.queue.flush(), this.reporter.report()]);
  }

  /** Flushes once, then stops the stream, polling and timers. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.cancelInitTimer?.();
      this.stream?.stop();
      this.poller.stop();
      this.lifetime.abort();
      this.settle(new VexilError("CLOSED", "client closed before answers arrived"));
      await Promise.all([this.queue.close(), this.reporter.close()]);
    })();
    return this.closing;
  }

  /** Subscribes to `ready`, `change` or `error`; returns the function that unsubscribes. */
  on<K extends keyof BrowserClientEvents>(
    event: K,
    listener: (...args: BrowserClientEvents[K]) => void,
  ): () => void {
    return this.emitter.on(event, listener);
  }

  /** Subscribes for one occurrence. */
  once<K extends keyof BrowserClientEvents>(
    event: K,
    listener: (...args: BrowserClientEvents[K]) => void,
  ): () => void {
    return this.emitter.once(event, listener);
  }

  /** Unsubscribes a listener. */
  off<K extends keyof BrowserClientEvents>(
    event: K,
    listener: (...args: BrowserClientEvents[K]) => void,
  ): void {
    this.emitter.off(event, listener);
  }

  /** Counters and connection state. */
  stats(): BrowserClientStats {
    const queue = this.queue.stats();
    return {
      ready: this.answers !== null,
      version: this.answers?.version ?? null,
      stream: this.stream?.state ?? "off",
      polling: this.poller.running,
      queuedEvents: queue.queued,
      sentEvents: queue.sent,
      droppedEvents: queue.dropped,
      dedupedExposures: this.exposures.deduped,
    };
  }

  /** A promise settled by the next answers (or by a failure before them); never an unhandled rejection. */
  private nextAnswers(): Promise<void> {
    const promise = new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
    promise.catch(() => {});
    return promise;
  }

  private settle(error?: VexilError): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) {
      if (error === undefined) w.resolve();
      else w.reject(error);
    }
    if (error !== undefined && error.code !== "CLOSED") {
      this.logger.error(error.message);
      this.emitter.emit("error", error);
    }
  }

  private async poll(): Promise<void> {
    if (this.fatalError !== undefined || this.closing !== undefined) return;
    const epoch = this.epoch;
    try {
      const headers: Record<string, string> = { "Content-Type": "application/json" };
      if (this.etag !== undefined) headers["If-None-Match"] = this.etag;
      const response = await this.http.request(EVALUATE_PATH, {
        method: "POST",
        headers,
        body: JSON.stringify({ visitor: this.visitor }),
        signal: this.lifetime.signal,
      });
      if (isAuthFailure(response.status)) {
        this.fatal(
          new VexilError(
            "UNAUTHORIZED",
            `${EVALUATE_PATH} refused the key (${response.status})`,
            response.status,
          ),
        );
        return;
      }
      if (response.status === 304 || epoch !== this.epoch || this.closing !== undefined) return;
      if (response.status !== 200)
        throw new VexilError("HTTP", `${EVALUATE_PATH} answered ${response.status}`, response.status);
      this.etag = response.headers.get("etag") ?? undefined;
      this.apply(parseAnswers(response.text));
    } catch (error) {
      this.logger.debug(`answers poll failed: ${describe(error)}`);
    }
  }

  private apply(next: Answers): void {
    const previous = this.answers;
    this.answers = next;
    this.exposures.newConfiguration();
    if (previous === null) {
      this.cancelInitTimer?.();
      this.settle();
      if (!this.loadedOnce) this.emitter.emit("ready");
      this.loadedOnce = true;
      return;
    }
    const flagKeys: string[] = [];
    for (const key of new Set([...Object.keys(previous.flags), ...Object.keys(next.flags)])) {
      if (JSON.stringify(previous.flags[key]) !== JSON.stringify(next.flags[key])) flagKeys.push(key);
    }
    if (flagKeys.length > 0) this.emitter.emit("change", { flagKeys, version: next.version });
  }

  // The key was refused: nothing will ever succeed, stop all traffic (keep serving what we hold).
  private fatal(error: VexilError): void {
    if (this.fatalError !== undefined) return;
    this.fatalError = error;
    this.cancelInitTimer?.();
    this.stream?.stop();
    this.poller.stop();
    this.reporter.stop();
    this.lifetime.abort();
    this.queue.discard();
    this.settle(error);
  }
}
