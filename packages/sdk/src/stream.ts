// The configuration stream: GET /sdk/v1/stream read with fetch and a ReadableStream (no EventSource: it
// cannot send the Authorization header, and Node 20 has none). Reconnects with exponential backoff and full
// jitter, resumes with Last-Event-ID, gives up only when the key is refused (401/403).

import { Backoff, type BackoffOptions, parseRetryAfter } from "./backoff.js";
import { isAuthFailure, VexilError } from "./errors.js";
import { describe, type HttpClient } from "./http.js";
import type { Logger } from "./logger.js";
import { SseParser } from "./sse-parser.js";
import { after, sleep } from "./timers.js";

/** Path of the streaming endpoint. */
export const STREAM_PATH = "/sdk/v1/stream";

/** What the stream tells its owner. */
export interface StreamHandlers {
  /** The server accepted the connection (HTTP 200); events may follow. */
  onOpen(): void;
  /** A `put`, `patch` or `delete` event; throwing makes the stream reconnect for a fresh `put`. */
  onMessage(type: string, data: string): void;
  /** The connection failed or ended; the stream retries after `retryInMs`. */
  onDown(error: VexilError, retryInMs: number): void;
  /** The key was refused: the stream stopped for good. */
  onFatal(error: VexilError): void;
}

/** Stream settings. */
export interface StreamOptions {
  backoff: BackoffOptions;
  /** Reconnect when nothing (not even a heartbeat comment) arrived for this long. */
  readTimeoutMs: number;
  logger: Logger;
  random?: () => number;
  /** Another SSE endpoint (default GET /sdk/v1/stream): the browser client posts its visitor. */
  endpoint?: { path: string; body: () => string };
}

/** Connection state, for `stats()`. */
export type StreamState = "idle" | "connecting" | "open" | "down" | "stopped";

/** A self-healing SSE connection to the configuration stream. */
export class ConfigStream {
  private readonly backoff: Backoff;
  private readonly stopController = new AbortController();
  private connection: AbortController | undefined;
  private serverRetryMs = 0;
  private started = false;
  /** SSE id of the last complete version received; sent as Last-Event-ID on reconnect. */
  lastEventId = "";
  state: StreamState = "idle";
  /** Connections opened so far (HTTP 200), for stats and tests. */
  connections = 0;
  private readonly path: string;
  private reconnecting = false;

  constructor(
    private readonly http: HttpClient,
    private readonly handlers: StreamHandlers,
    private readonly options: StreamOptions,
  ) {
    this.backoff = new Backoff(options.backoff, options.random);
    this.path = options.endpoint?.path ?? STREAM_PATH;
  }

  /** Starts connecting (once). */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.loop();
  }

  /** Closes the connection and stops reconnecting. */
  stop(): void {
    this.state = "stopped";
    this.stopController.abort();
    this.connection?.abort();
  }

  /** Drops the current connection and connects again at once (the request body changed). */
  reconnect(): void {
    this.reconnecting = true;
    this.connection?.abort();
  }

  private get stopped(): boolean {
    return this.stopController.signal.aborted;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const outcome = await this.connectOnce();
      if (this.stopped) return;
      if (outcome.fatal) {
        this.state = "stopped";
        this.handlers.onFatal(outcome.error);
        return;
      }
      if (outcome.delivered) this.backoff.reset(); // a working connection ends the failure streak
      if (this.reconnecting) {
        this.reconnecting = false;
        continue;
      }
      const delay = outcome.retryAfterMs ?? Math.max(this.serverRetryMs, this.backoff.next());
      this.state = "down";
      this.handlers.onDown(outcome.error, delay);
      await sleep(delay, this.stopController.signal);
    }
  }

  private async connectOnce(): Promise<{
    error: VexilError;
    fatal?: boolean;
    delivered?: boolean;
    retryAfterMs?: number;
  }> {
    const controller = new AbortController();
    this.connection = controller;
    this.state = "connecting";
    let timedOut = false;
    let cancelWatchdog = (): void => {};
    // One watchdog covers connecting and reading: silence longer than readTimeoutMs is a dead connection.
    const armWatchdog = (): void => {
      cancelWatchdog();
      cancelWatchdog = after(this.options.readTimeoutMs, () => {
        timedOut = true;
        controller.abort();
      });
    };
    armWatchdog();
    let delivered = false;
    let corrupt: unknown;
    let unconfirmedId: string | undefined;
    try {
      const headers: Record<string, string> = { Accept: "text/event-stream", "Cache-Control": "no-cache" };
      if (this.lastEventId !== "") headers["Last-Event-ID"] = this.lastEventId;
      const endpoint = this.options.endpoint;
      const response = await this.http.open(
        this.path,
        endpoint === undefined
          ? { headers, signal: controller.signal }
          : {
              method: "POST",
              headers: { ...headers, "Content-Type": "application/json" },
              body: endpoint.body(),
              signal: controller.signal,
            },
      );
      if (this.stopped) return { error: new VexilError("CLOSED", "stream stopped") };
      if (response.status !== 200) {
        void response.body?.cancel().catch(() => {});
        if (isAuthFailure(response.status)) {
          return {
            fatal: true,
            error: new VexilError(
              "UNAUTHORIZED",
              `${this.path} refused the SDK key (${response.status})`,
              response.status,
            ),
          };
        }
        const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
        return {
          error: new VexilError("HTTP", `${this.path} answered ${response.status}`, response.status),
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        };
      }
      if (response.body === null) return { error: new VexilError("NETWORK", `${this.path} has no body`) };
      this.connections++;
      this.state = "open";
      this.handlers.onOpen();
      const parser = new SseParser(
        {
          onEvent: (event) => {
            if (event.type !== "put" && event.type !== "patch" && event.type !== "delete") return;
            try {
              this.handlers.onMessage(event.type, event.data);
              delivered = true;
            } catch (error) {
              corrupt = error;
              controller.abort();
              return;
            }
            // One version may span several events (segment patches, flag patches, deletes), all with its id.
            // Resume from a version only once it is complete - a `put`, an event of another version, or a
            // heartbeat after it - else a drop mid-version would lose its last events. Resending a version
            // already applied in part is harmless: per-key versions ignore what is not newer.
            if (event.type === "put") {
              this.lastEventId = event.lastEventId;
              unconfirmedId = undefined;
            } else {
              if (unconfirmedId !== undefined && unconfirmedId !== event.lastEventId)
                this.lastEventId = unconfirmedId;
              unconfirmedId = event.lastEventId;
            }
          },
          onComment: () => {
            if (unconfirmedId !== undefined) this.lastEventId = unconfirmedId;
            unconfirmedId = undefined;
          },
          onRetry: (ms) => {
            this.serverRetryMs = ms;
          },
        },
        undefined,
        this.lastEventId,
      );
      const reader = response.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          armWatchdog();
          parser.pushBytes(value);
          if (corrupt !== undefined) break;
        }
      } finally {
        reader.releaseLock?.();
      }
      if (corrupt !== undefined) throw corrupt;
      return { delivered, error: new VexilError("NETWORK", `${this.path} closed by the server`) };
    } catch (error) {
      if (corrupt !== undefined) {
        // We cannot trust what we hold relative to the server's ids any more: ask for a fresh `put`.
        this.lastEventId = "";
        return {
          delivered,
          error: new VexilError(
            "INVALID_PAYLOAD",
            `${this.path} sent an unreadable event: ${describe(corrupt)}`,
            200,
            {
              cause: corrupt,
            },
          ),
        };
      }
      if (timedOut) {
        return {
          delivered,
          error: new VexilError("NETWORK", `${this.path}: no data for ${this.options.readTimeoutMs} ms`),
        };
      }
      if (error instanceof VexilError) return { delivered, error };
      return {
        delivered,
        error: new VexilError("NETWORK", `${this.path} failed: ${describe(error)}`, undefined, {
          cause: error,
        }),
      };
    } finally {
      cancelWatchdog();
      controller.abort(); // releases the socket whatever happened
      if (this.connection === controller) this.connection = undefined;
    }
  }
}
