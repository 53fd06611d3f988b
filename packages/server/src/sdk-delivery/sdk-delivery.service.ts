import type { ServerResponse } from "node:http";
import type { EvaluationPayload } from "@vexil/engine";
import type { FastifyBaseLogger } from "fastify";
import type { AppContext } from "../app-context.js";
import type { ConfigChange } from "../changes/change-bus.js";
import { compileEnvironmentPayload } from "../flags/compile-payload.js";
import { ApiError } from "../http/api-error.js";
import { configVersion } from "../projects/projects.store.js";
import { EnvironmentFeed, type HistoryLimits, type RefreshOutcome } from "./environment-feed.js";
import { addEvaluations, EvaluationRecorder, type EvaluationTally } from "./evaluations.store.js";
import { writeEvents } from "./sse.js";

export interface SdkDeliveryOptions {
  /** Interval of the `: heartbeat` comment on every stream (default 15 s; env VEXIL_SSE_HEARTBEAT_MS). */
  heartbeatMs?: number;
  /** How many versions of changes each environment keeps for `Last-Event-ID` (default 1000, 16 MB). */
  history?: Partial<HistoryLimits>;
  /** How often OFREP evaluation counts are written (default 10 s). */
  evaluationFlushMs?: number;
  /**
   * How often cached payloads are checked against the stored configuration version (a safety net for a
   * lost notification between processes). Default: 30 s on PostgreSQL, never on SQLite (one process).
   */
  reconcileMs?: number;
}

const DEFAULT_HEARTBEAT_MS = 15_000;
const DEFAULT_RECONCILE_MS = 30_000;
const RETRY_FAILED_RELOAD_MS = 1000;

function heartbeatFromEnv(): number | undefined {
  const value = process.env.VEXIL_SSE_HEARTBEAT_MS;
  if (!value) return undefined;
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : undefined;
}

/**
 * The SDK delivery state of one server process: one feed per (project, environment) that an SDK asked
 * for, kept current from the ChangeBus (and so, on PostgreSQL, from every process), one shared heartbeat
 * timer for all streams, and the in-memory evaluation counter.
 */
export class SdkDelivery {
  private readonly feeds = new Map<string, Map<string, EnvironmentFeed>>();
  private readonly limits: HistoryLimits;
  private readonly heartbeatMs: number;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private readonly reconcileTimer: NodeJS.Timeout | undefined;
  private streamCount = 0;
  private closed = false;
  private readonly unsubscribe: (() => void)[];
  readonly evaluations: EvaluationRecorder;
  /** Called after each completed reload (tests, benches). */
  private readonly reloadListeners = new Set<(feed: EnvironmentFeed, outcome: RefreshOutcome) => void>();

  constructor(
    private readonly context: AppContext,
    private readonly logger: FastifyBaseLogger,
    options: SdkDeliveryOptions = {},
  ) {
    this.limits = { maxVersions: 1000, maxBytes: 16 * 1024 * 1024, ...options.history };
    this.heartbeatMs = options.heartbeatMs ?? heartbeatFromEnv() ?? DEFAULT_HEARTBEAT_MS;
    this.evaluations = new EvaluationRecorder(context.db, options.evaluationFlushMs ?? 10_000, (error) =>
      logger.error({ err: error }, "could not store evaluation counts"),
    );
    this.unsubscribe = [
      context.changes.subscribe((change) => this.onChange(change)),
      context.changes.subscribeResync(() => this.reloadAll()),
    ];
    const reconcileMs =
      options.reconcileMs ?? (context.database.dialect === "postgres" ? DEFAULT_RECONCILE_MS : 0);
    if (reconcileMs > 0) {
      this.reconcileTimer = setInterval(() => {
        this.reconcile().catch((error) =>
          logger.warn({ err: error }, "could not check configuration versions"),
        );
      }, reconcileMs);
      this.reconcileTimer.unref();
    }
  }

  /**
   * Reloads the feeds of every project whose stored configuration version differs from what this process
   * holds: one small query per cached project. Catches a change whose notification was lost.
   */
  async reconcile(): Promise<void> {
    for (const [projectKey, byEnvironment] of this.feeds) {
      if (this.closed) return;
      const stored = await configVersion(this.context.db, projectKey);
      for (const feed of byEnvironment.values()) {
        if (feed.loaded && stored !== feed.version) this.reload(feed);
      }
    }
  }

  /** Stores evaluation counts an SDK reported (POST /sdk/v1/evaluations, LaunchDarkly's summary events). */
  recordEvaluations(tallies: EvaluationTally[]): Promise<void> {
    return addEvaluations(this.context.db, tallies);
  }

  /** Open SDK streams on this process. */
  get streams(): number {
    return this.streamCount;
  }

  /** The environment's feed when it is loaded and not reloading (the hot path needs no await), else undefined. */
  ready(projectKey: string, environmentKey: string): EnvironmentFeed | undefined {
    const feed = this.feeds.get(projectKey)?.get(environmentKey);
    return feed?.loaded && !feed.reloading && !this.closed ? feed : undefined;
  }

  /** The payload version this process holds for an environment, undefined when not loaded. */
  feedVersion(projectKey: string, environmentKey: string): number | undefined {
    const feed = this.feeds.get(projectKey)?.get(environmentKey);
    return feed?.loaded ? feed.version : undefined;
  }

  /** Calls `listener` after every reload that changed a feed; returns the function that stops it. */
  onReload(listener: (feed: EnvironmentFeed, outcome: RefreshOutcome) => void): () => void {
    this.reloadListeners.add(listener);
    return () => this.reloadListeners.delete(listener);
  }

  /**
   * The environment's feed with its payload loaded (from cache when possible). A reload in progress (a
   * change was just published) is waited for, so a change committed by this process is visible to the
   * next request here (read-your-writes on one replica).
   */
  async feed(projectKey: string, environmentKey: string): Promise<EnvironmentFeed> {
    if (this.closed) throw new ApiError(503, "Server is shutting down");
    let byEnvironment = this.feeds.get(projectKey);
    if (!byEnvironment) {
      byEnvironment = new Map();
      this.feeds.set(projectKey, byEnvironment);
    }
    let feed = byEnvironment.get(environmentKey);
    if (feed?.loaded) {
      if (feed.reloading) await feed.reloading;
      return feed;
    }
    if (!feed) {
      const created = new EnvironmentFeed(projectKey, environmentKey, this.limits);
      feed = created;
      byEnvironment.set(environmentKey, created);
      created.ready = this.load(projectKey, environmentKey).then(
        (payload) => {
          created.initialize(payload);
          // Changes heard while loading may not be in what was read: read again.
          if (created.reloadAgain) {
            created.reloadAgain = false;
            this.reload(created);
          }
        },
        (error: unknown) => {
          if (this.feeds.get(projectKey)?.get(environmentKey) === created)
            byEnvironment.delete(environmentKey);
          throw error;
        },
      );
    }
    await feed.ready;
    if (feed.reloading) await feed.reloading;
    return feed;
  }

  /** The environment's payload compiled from stored flags and segments (one consistent snapshot). */
  private load(projectKey: string, environmentKey: string): Promise<EvaluationPayload> {
    return compileEnvironmentPayload(this.context, projectKey, environmentKey);
  }

  /** Reloads a feed now and waits for it (a client claims a version this process has not seen yet). */
  async refresh(feed: EnvironmentFeed): Promise<void> {
    this.reload(feed);
    while (feed.reloading) await feed.reloading;
  }

  private onChange(change: ConfigChange): void {
    const byEnvironment = this.feeds.get(change.projectKey);
    if (!byEnvironment) return;
    for (const [environmentKey, feed] of byEnvironment) {
      if (change.environmentKeys && !change.environmentKeys.includes(environmentKey)) continue;
      this.reload(feed);
    }
  }

  private reloadAll(): void {
    for (const byEnvironment of this.feeds.values()) {
      for (const feed of byEnvironment.values()) this.reload(feed);
    }
  }

  /** Reads the feed's payload again and sends the difference; coalesces reloads asked for meanwhile. */
  private reload(feed: EnvironmentFeed): void {
    if (this.closed) return;
    if (!feed.loaded || feed.reloading) {
      feed.reloadAgain = true;
      return;
    }
    feed.reloading = (async () => {
      do {
        feed.reloadAgain = false;
        try {
          const payload = await this.load(feed.projectKey, feed.environmentKey);
          if (this.closed || this.feeds.get(feed.projectKey)?.get(feed.environmentKey) !== feed) return;
          const outcome = feed.update(payload);
          if (outcome.sent !== "none") {
            this.logger.debug(
              { projectKey: feed.projectKey, environmentKey: feed.environmentKey, ...outcome },
              "configuration change sent to SDK streams",
            );
          }
          for (const listener of this.reloadListeners) listener(feed, outcome);
        } catch (error) {
          if (error instanceof ApiError && error.statusCode === 404) {
            // The environment (or project) is gone: its streams end and its cache goes.
            this.drop(feed);
            return;
          }
          this.logger.error(
            { err: error, projectKey: feed.projectKey, environmentKey: feed.environmentKey },
            "could not reload an SDK payload; retrying",
          );
          setTimeout(() => this.reload(feed), RETRY_FAILED_RELOAD_MS).unref();
          return;
        }
      } while (feed.reloadAgain);
    })().finally(() => {
      feed.reloading = undefined;
    });
  }

  private drop(feed: EnvironmentFeed): void {
    const byEnvironment = this.feeds.get(feed.projectKey);
    if (byEnvironment?.get(feed.environmentKey) === feed) byEnvironment.delete(feed.environmentKey);
    this.streamCount -= feed.streams.size;
    feed.closeStreams();
  }

  /**
   * Attaches an SSE response to a feed after sending it `first` (a put, or the missed changes); it then
   * receives every change of that environment and the shared heartbeat until it closes.
   */
  attach(feed: EnvironmentFeed, stream: ServerResponse, first: Buffer): void {
    writeEvents(stream, first);
    feed.streams.add(stream);
    this.streamCount++;
    stream.once("close", () => {
      if (feed.streams.delete(stream)) this.streamCount--;
      if (this.streamCount === 0) this.stopHeartbeat();
    });
    this.startHeartbeat();
  }

  private startHeartbeat(): void {
    if (this.heartbeatTimer || this.closed) return;
    this.heartbeatTimer = setInterval(() => {
      for (const byEnvironment of this.feeds.values()) {
        for (const feed of byEnvironment.values()) feed.heartbeat();
      }
    }, this.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  /** Ends every stream, stops listening and writes pending evaluation counts. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const stop of this.unsubscribe) stop();
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    this.stopHeartbeat();
    for (const byEnvironment of this.feeds.values()) {
      for (const feed of byEnvironment.values()) feed.closeStreams();
    }
    this.streamCount = 0;
    await this.evaluations.flush();
  }
}
