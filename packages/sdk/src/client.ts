// The Vexil client: loads the evaluation payload (bootstrap, config polling, streaming), evaluates flags
// locally with @vexil/engine, records exposures and conversions, reports evaluation counts.

import {
  createEvaluator,
  type EvaluationErrorCode,
  type EvaluationPayload,
  type EvaluationReason,
  type Evaluator,
  type RuleType,
  type Visitor,
} from "@vexil/engine";
import { enabled, NOT_READY, sameKind } from "./answers.js";
import { fetchConfig, Poller } from "./config-source.js";
import { Emitter } from "./emitter.js";
import { isAuthFailure, VexilError } from "./errors.js";
import type { EvaluationCounter, EvaluationReporter } from "./evaluation-counts.js";
import { openEventPipeline, type PipelineOptions } from "./event-pipeline.js";
import type { EventQueue } from "./event-queue.js";
import { ExposureRecorder } from "./exposures.js";
import { describe, type HttpClient } from "./http.js";
import { type Logger, resolveLogger } from "./logger.js";
import { nodeTransport } from "./node-http.js";
import { PayloadStore, type PayloadUpdate, parsePayload, parseStreamMessage } from "./payload-store.js";
import { ConfigStream, type StreamState } from "./stream.js";
import { after } from "./timers.js";

/** Options of `createClient`. Durations are in milliseconds. */
export interface VexilClientOptions extends PipelineOptions {
  /** The environment's server-side SDK key (`sdk-…`). May be empty in offline mode. */
  sdkKey: string;
  /** The Vexil server, e.g. "https://flags.example.com". Not needed in offline mode. */
  baseUrl?: string;
  /** `ready()` rejects if no payload arrived within this time. Default 5000. */
  initTimeoutMs?: number;
  /** Receive changes over /sdk/v1/stream (else poll /sdk/v1/config). Default true. */
  streaming?: boolean;
  /** Polling period when streaming is off, or while the stream is down. Default 30000. */
  pollIntervalMs?: number;
  /** A payload (object or JSON text) to evaluate against at once, before or without the network. */
  bootstrap?: EvaluationPayload | string;
  /** No network at all: evaluate the bootstrap payload; events and evaluation counts are not recorded. */
  offline?: boolean;
  /** A console-like logger. Default: warnings and errors on the console. */
  logger?: Partial<Logger>;
  /** The clock used for evaluation (schedules, release windows), event times and visits. Default Date.now. */
  now?: () => number;
  /** The stream reconnects after this long without data (the server sends a heartbeat every 15 s). Default 45000. */
  streamReadTimeoutMs?: number;
  /** Visitors whose current visit (and the exposures sent in it) is remembered, LRU. Default 10000. */
  visitCacheSize?: number;
}

/** Error codes of an evaluation: the engine's, plus PROVIDER_NOT_READY before any payload is loaded. */
export type EvaluationDetailsErrorCode = EvaluationErrorCode | "PROVIDER_NOT_READY";

/** Outcome of an evaluation. Frozen and shared between calls: copy before mutating. */
export interface EvaluationDetails {
  /** Chosen variation; "" when the flag is unknown or nothing is loaded yet. */
  readonly variationKey: string;
  /** Decoded variables of the variation. */
  readonly variables: Readonly<Record<string, unknown>>;
  readonly reason: EvaluationReason;
  readonly errorCode?: EvaluationDetailsErrorCode;
  readonly ruleId?: number;
  readonly ruleType?: RuleType;
  readonly experimentId?: number;
  /** The visitor was allocated by an experiment: an exposure was recorded (once per visit). */
  readonly inExperiment: boolean;
}

/** A visitor: `{code, attributes}` or just its code. */
export type VisitorInput = Visitor | string;

/** Payload of the `change` event. */
export interface ChangeEvent {
  /** Feature keys whose evaluation may differ (added, removed, edited, or using an edited segment). */
  flagKeys: string[];
  /** Configuration version now held. */
  version: number;
}

/** Events of the client. */
export interface ClientEvents {
  /** The first payload is loaded (emitted once). */
  ready: [];
  /** The payload changed after the first load. */
  change: [ChangeEvent];
  /** Refused key (all network activity stops), initialization timeout, or unreadable data from the server. */
  error: [VexilError];
}

/** Counters and state, for monitoring. */
export interface ClientStats {
  ready: boolean;
  /** Version of the payload held, null before the first. */
  payloadVersion: number | null;
  stream: StreamState | "off";
  polling: boolean;
  /** Events not yet acknowledged by the server. */
  queuedEvents: number;
  sentEvents: number;
  /** Events lost: queue overflow, rejected batches (400), refused key, unsent at close. */
  droppedEvents: number;
  /** Exposures not queued because this visitor already had them in this visit. */
  dedupedExposures: number;
}

/** Creates a client; it starts loading at once (await `ready()` before relying on evaluations). */
export function createClient(options: VexilClientOptions): VexilClient {
  return new VexilClient(options);
}

/** The Vexil SDK client. Create it once per process (or page) and share it. */
export class VexilClient {
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly emitter: Emitter<ClientEvents>;
  private readonly store = new PayloadStore();
  private evaluator: Evaluator | null = null;
  private readonly offline: boolean;
  private readonly http: HttpClient | undefined;
  private readonly stream: ConfigStream | undefined;
  private readonly poller: Poller | undefined;
  private readonly queue: EventQueue | undefined;
  private readonly counter: EvaluationCounter | undefined;
  private readonly reporter: EvaluationReporter | undefined;
  private readonly exposures: ExposureRecorder;
  private readonly lifetime = new AbortController();
  private resolveReady!: () => void;
  private rejectReady!: (error: VexilError) => void;
  private readonly readyPromise: Promise<void>;
  private readySettled = false;
  private cancelInitTimer: (() => void) | undefined;
  /** Bumped by every stream update: a poll that started before one must not overwrite it. */
  private streamEpoch = 0;
  private streamOutage = false;
  private fatalError: VexilError | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: VexilClientOptions) {
    this.logger = resolveLogger(options.logger);
    this.now = options.now ?? Date.now;
    this.emitter = new Emitter((error) => this.logger.error("an event listener threw", error));
    this.offline = options.offline === true;
    this.exposures = new ExposureRecorder(options.visitCacheSize ?? 10_000);
    this.readyPromise = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // Nobody may be awaiting ready(): a rejection must not become an unhandled one.
    this.readyPromise.catch(() => {});

    if (options.bootstrap !== undefined) {
      try {
        const raw = typeof options.bootstrap === "string" ? JSON.parse(options.bootstrap) : options.bootstrap;
        this.store.replace(parsePayload(raw));
        this.evaluator = createEvaluator(this.store.payload!);
        this.readySettled = true;
        this.resolveReady();
        // Deferred so that listeners attached right after createClient() hear it.
        queueMicrotask(() => this.emitter.emit("ready"));
      } catch (error) {
        this.logger.error(`bootstrap payload ignored: ${describe(error)}`);
      }
    }

    if (this.offline) {
      if (!this.readySettled)
        this.failReady(new VexilError("OFFLINE", "offline mode without a usable bootstrap payload"));
      return;
    }
    if (typeof options.sdkKey !== "string" || options.sdkKey === "")
      throw new TypeError("createClient: sdkKey is required");
    if (typeof options.baseUrl !== "string" || options.baseUrl === "")
      throw new TypeError("createClient: baseUrl is required");

    const onFatal = (error: VexilError): void => this.fatal(error);
    const pipeline = openEventPipeline(
      options,
      options.baseUrl,
      options.sdkKey,
      this.exposures.visits.idPrefix,
      this.now,
      this.logger,
      onFatal,
      nodeTransport,
    );
    this.http = pipeline.http;
    this.queue = pipeline.queue;
    this.counter = pipeline.counter;
    this.reporter = pipeline.reporter;
    const backoff = pipeline.backoff;

    this.poller = new Poller(options.pollIntervalMs ?? 30_000, () => this.poll());
    if (options.streaming === false) this.poller.start(true);
    else {
      this.stream = new ConfigStream(
        this.http,
        {
          onOpen: () => {
            // Before the first payload, keep polling until the stream delivers one (a buffering proxy may
            // hold it back); afterwards an open stream is enough.
            if (this.evaluator !== null) this.poller?.stop();
            if (this.streamOutage) this.logger.info("configuration stream reconnected");
            this.streamOutage = false;
          },
          onMessage: (type, data) => {
            const update = parseStreamMessage(type, data); // throws: the stream reconnects for a fresh put
            this.streamEpoch++;
            this.poller?.stop();
            this.apply(update);
          },
          onDown: (error, retryInMs) => {
            if (!this.streamOutage) this.logger.warn(`configuration stream down: ${error.message}; retrying`);
            else this.logger.debug(`configuration stream: ${error.message}; retrying in ${retryInMs} ms`);
            this.streamOutage = true;
            if (error.code === "INVALID_PAYLOAD") this.emitter.emit("error", error);
            // Serve the last payload meanwhile, and poll so changes still arrive.
            this.poller?.start(this.evaluator === null);
          },
          onFatal,
        },
        { backoff, readTimeoutMs: options.streamReadTimeoutMs ?? 45_000, logger: this.logger },
      );
      this.stream.start();
    }

    if (!this.readySettled) {
      const timeoutMs = options.initTimeoutMs ?? 5000;
      this.cancelInitTimer = after(
        timeoutMs,
        () => this.failReady(new VexilError("INIT_TIMEOUT", `no configuration within ${timeoutMs} ms`)),
        true,
      );
    }
  }

  /** Resolves once a payload is loaded (a bootstrap counts); rejects at `initTimeoutMs`, on a refused key or close. */
  ready(): Promise<void> {
    return this.evaluator !== null ? Promise.resolve() : this.readyPromise;
  }

  /** Whether a payload is loaded. */
  get isReady(): boolean {
    return this.evaluator !== null;
  }

  /** The payload evaluations use (e.g. to bootstrap another client), or null before the first. */
  getPayload(): EvaluationPayload | null {
    return this.store.payload;
  }

  /** Whether the loaded payload has this flag. */
  hasFlag(featureKey: string): boolean {
    const payload = this.store.payload;
    return payload !== null && Object.hasOwn(payload.flags, featureKey);
  }

  /**
   * Evaluates a flag for a visitor, locally. Never throws. Counts the evaluation, and records an exposure
   * when an experiment allocated the visitor (`inExperiment`), once per visitor x rule x variation per visit.
   */
  evaluate(featureKey: string, visitor: VisitorInput): EvaluationDetails {
    const evaluator = this.evaluator;
    if (evaluator === null) return NOT_READY;
    const v: Visitor = typeof visitor === "string" ? { code: visitor } : visitor;
    const now = this.now();
    const result = evaluator.evaluate(featureKey, v, now);
    if (result.variationKey !== "") this.counter?.count(featureKey, result.variationKey, now);
    if (result.inExperiment) this.expose(featureKey, v, result, now);
    return result;
  }

  /**
   * Whether the feature is on for the visitor: false when the answer is an error (unknown flag, not ready,
   * bad context), when the flag is disabled in the environment (reason DISABLED), or when the variation is `off`;
   * true for any other variation.
   */
  isEnabled(featureKey: string, visitor: VisitorInput): boolean {
    return enabled(this.evaluate(featureKey, visitor));
  }

  /** The variation key for the visitor, or `defaultValue` when the evaluation is an error. */
  getVariationKey(featureKey: string, visitor: VisitorInput, defaultValue = "off"): string {
    const result = this.evaluate(featureKey, visitor);
    return result.reason === "ERROR" || result.variationKey === "" ? defaultValue : result.variationKey;
  }

  /**
   * A variable of the visitor's variation; `defaultValue` when the evaluation is an error, the variable does
   * not exist, or its value is not of the default's kind (boolean, number, string, object/array; a null or
   * undefined default accepts any value).
   */
  getVariable<T>(featureKey: string, variableKey: string, visitor: VisitorInput, defaultValue: T): T {
    return this.variable(featureKey, variableKey, visitor, defaultValue, true);
  }

  /** A BOOLEAN variable (see getVariable). */
  getBoolean(featureKey: string, variableKey: string, visitor: VisitorInput, defaultValue: boolean): boolean {
    return this.getVariable(featureKey, variableKey, visitor, defaultValue);
  }

  /** A NUMBER variable (see getVariable). */
  getNumber(featureKey: string, variableKey: string, visitor: VisitorInput, defaultValue: number): number {
    return this.getVariable(featureKey, variableKey, visitor, defaultValue);
  }

  /** A STRING, JS or CSS variable (see getVariable). */
  getString(featureKey: string, variableKey: string, visitor: VisitorInput, defaultValue: string): string {
    return this.getVariable(featureKey, variableKey, visitor, defaultValue);
  }

  /** A JSON variable, whatever its JSON type (no type check: validate it yourself). */
  getJson<T = unknown>(featureKey: string, variableKey: string, visitor: VisitorInput, defaultValue: T): T {
    return this.variable(featureKey, variableKey, visitor, defaultValue, false);
  }

  /**
   * Records a conversion of `goal` (goal id or key) for a visitor, with an optional numeric value (revenue...)
   * and visitor attributes (see the event attribute rules in docs/sdk.md). Queued; sent in batches.
   */
  track(
    visitorCode: string,
    goal: string | number,
    value?: number,
    attributes?: Record<string, unknown>,
  ): void {
    if (this.queue === undefined || this.closing !== undefined) {
      this.logger.debug("track ignored: the client is offline or closed");
      return;
    }
    if (typeof visitorCode !== "string" || visitorCode === "") {
      this.logger.warn("track ignored: visitorCode must be a non-empty string");
      return;
    }
    if ((typeof goal !== "string" || goal === "") && (typeof goal !== "number" || !Number.isFinite(goal))) {
      this.logger.warn("track ignored: goal must be a goal id or key");
      return;
    }
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value))) {
      this.logger.warn("track ignored: value must be a finite number");
      return;
    }
    const now = this.now();
    const visit = this.exposures.visits.touchNumber(visitorCode, now);
    this.queue.push(
      null,
      visit,
      visitorCode,
      now,
      this.exposures.attributes.text(attributes),
      goal,
      value ?? null,
    );
  }

  /** Sends queued events and evaluation counts now. */
  async flush(): Promise<void> {
    await Promise.all([this.queue?.flush(), this.reporter?.report()]);
  }

  /** Flushes events and counts (one attempt), then stops the stream, polling and timers. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.cancelInitTimer?.();
      this.stream?.stop();
      this.poller?.stop();
      this.lifetime.abort();
      if (this.evaluator === null)
        this.failReady(new VexilError("CLOSED", "client closed before it was ready"));
      await Promise.all([this.queue?.close(), this.reporter?.close()]);
      this.http?.close();
    })();
    return this.closing;
  }

  /** Subscribes to `ready`, `change` or `error`; returns the function that unsubscribes. */
  on<K extends keyof ClientEvents>(event: K, listener: (...args: ClientEvents[K]) => void): () => void {
    return this.emitter.on(event, listener);
  }

  /** Subscribes for one occurrence. */
  once<K extends keyof ClientEvents>(event: K, listener: (...args: ClientEvents[K]) => void): () => void {
    return this.emitter.once(event, listener);
  }

  /** Unsubscribes a listener. */
  off<K extends keyof ClientEvents>(event: K, listener: (...args: ClientEvents[K]) => void): void {
    this.emitter.off(event, listener);
  }

  /** Counters and connection state. */
  stats(): ClientStats {
    const queue = this.queue?.stats();
    return {
      ready: this.evaluator !== null,
      payloadVersion: this.store.payload?.version ?? null,
      stream: this.stream?.state ?? "off",
      polling: this.poller?.running ?? false,
      queuedEvents: queue?.queued ?? 0,
      sentEvents: queue?.sent ?? 0,
      droppedEvents: queue?.dropped ?? 0,
      dedupedExposures: this.exposures.deduped,
    };
  }

  private variable<T>(
    featureKey: string,
    variableKey: string,
    visitor: VisitorInput,
    defaultValue: T,
    check: boolean,
  ): T {
    const result = this.evaluate(featureKey, visitor);
    if (result.reason === "ERROR" || !Object.hasOwn(result.variables, variableKey)) return defaultValue;
    const value = result.variables[variableKey];
    if (check && !sameKind(value, defaultValue)) {
      this.logger.debug(
        `variable ${featureKey}.${variableKey} is not a ${typeof defaultValue}; default used`,
      );
      return defaultValue;
    }
    return value as T;
  }

  private expose(featureKey: string, visitor: Visitor, result: EvaluationDetails, now: number): void {
    if (this.queue === undefined || this.closing !== undefined) return;
    this.exposures.record(featureKey, visitor, result, now, this.queue);
  }

  private async poll(): Promise<void> {
    if (this.http === undefined || this.fatalError !== undefined) return;
    const epoch = this.streamEpoch;
    const held = this.store.payload?.version;
    try {
      const result = await fetchConfig(this.http, held, this.lifetime.signal);
      if (result.kind === "not-modified" || epoch !== this.streamEpoch || this.closing !== undefined) return;
      if (this.store.payload !== null && result.payload.version === this.store.payload.version) return;
      this.apply({ kind: "put", payload: result.payload });
    } catch (error) {
      const e =
        error instanceof VexilError
          ? error
          : new VexilError("NETWORK", describe(error), undefined, { cause: error });
      if (e.code === "UNAUTHORIZED" || (e.status !== undefined && isAuthFailure(e.status))) this.fatal(e);
      else if (e.code === "INVALID_PAYLOAD") {
        this.logger.error(e.message);
        this.emitter.emit("error", e);
      } else if (this.closing === undefined) this.logger.debug(`config poll failed: ${e.message}`);
    }
  }

  private apply(update: PayloadUpdate): void {
    const first = this.evaluator === null;
    const result = this.store.apply(update);
    if (!result.applied) return;
    this.evaluator = createEvaluator(this.store.payload!);
    this.exposures.newConfiguration();
    if (first) {
      this.cancelInitTimer?.();
      if (!this.readySettled) {
        this.readySettled = true;
        this.resolveReady();
      }
      this.emitter.emit("ready");
      return;
    }
    if (result.changedFlags.length > 0) {
      this.emitter.emit("change", { flagKeys: result.changedFlags, version: this.store.payload!.version });
    }
  }

  private failReady(error: VexilError): void {
    if (!this.readySettled) {
      this.readySettled = true;
      this.rejectReady(error);
    }
    if (error.code !== "CLOSED") {
      this.logger.error(error.message);
      this.emitter.emit("error", error);
    }
  }

  // The key was refused: nothing will ever succeed, stop all traffic (keep serving what we hold).
  private fatal(error: VexilError): void {
    if (this.fatalError !== undefined) return;
    this.fatalError = error;
    this.cancelInitTimer?.();
    this.stream?.stop();
    this.poller?.stop();
    this.reporter?.stop();
    this.lifetime.abort();
    this.queue?.discard();
    this.http?.close();
    if (this.evaluator === null && !this.readySettled) this.failReady(error);
    else {
      this.logger.error(error.message);
      this.emitter.emit("error", error);
    }
  }
}
