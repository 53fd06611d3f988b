import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { AppContext } from "../app-context.js";
import { forgetSdkKeys, sdkKeyEnvironment } from "../projects/sdk-keys.js";
import type { EnvironmentFeed } from "../sdk-delivery/environment-feed.js";
import type { SdkDelivery } from "../sdk-delivery/sdk-delivery.service.js";
import { HEARTBEAT, SseFrame, writeEvents } from "../sdk-delivery/sse.js";
import { type BrowserVisitor, nextScheduleChange, visitorResults } from "./visitor-results.js";

// Streams of per-visitor answers (POST /sdk/v1/evaluate/stream): after each reload of an environment's
// feed, and at each schedule step of its rules (release window, ramp), every stream's visitor is evaluated
// again and gets a `put` when one of its answers changed. A client-side key thus follows changes without
// ever holding rules or segments.

const DEFAULT_HEARTBEAT_MS = 15_000;

interface VisitorStream {
  response: ServerResponse;
  visitor: BrowserVisitor;
  /** The SDK key it connected with: a stream whose key was rotated away is ended. */
  key: string;
  /** Digest of the results JSON last sent (a digest: thousands of streams must not each hold their JSON). */
  sent: string;
}

/** One SSE `put` of a visitor's results. */
export function putEvent(version: number, json: string): Buffer {
  return Buffer.from(`event: put\nid: ${version}\ndata: ${json}\n\n`);
}

export class VisitorStreams {
  private readonly streams = new Map<EnvironmentFeed, Set<VisitorStream>>();
  private readonly stepTimers = new Map<EnvironmentFeed, NodeJS.Timeout>();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private readonly heartbeatMs: number;
  private readonly unsubscribe: () => void;
  private readonly stopReloads: () => void;

  constructor(
    private readonly context: AppContext,
    delivery: SdkDelivery,
  ) {
    this.stopReloads = delivery.onReload((feed) => this.refresh(feed));
    // A key rotation (heard from any process) ends the streams of the old key.
    this.unsubscribe = context.changes.subscribe((change) => {
      if (change.kind !== "environment") return;
      forgetSdkKeys(context);
      this.endRevoked(change.projectKey, change.key).catch(() => {});
    });
    const fromEnv = Number(process.env.VEXIL_SSE_HEARTBEAT_MS);
    this.heartbeatMs = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_HEARTBEAT_MS;
  }

  /** Open visitor streams on this process. */
  get size(): number {
    let n = 0;
    for (const set of this.streams.values()) n += set.size;
    return n;
  }

  /** Sends the visitor's results, then a new `put` whenever they change, until the response closes. */
  attach(feed: EnvironmentFeed, response: ServerResponse, visitor: BrowserVisitor, key: string): void {
    const json = visitorResults(feed, visitor, this.context.now());
    writeEvents(response, putEvent(feed.version, json));
    const sent = digest(json);
    let set = this.streams.get(feed);
    if (!set) {
      set = new Set();
      this.streams.set(feed, set);
    }
    const stream: VisitorStream = { response, visitor, key, sent };
    set.add(stream);
    response.once("close", () => {
      set.delete(stream);
      if (set.size === 0 && this.streams.get(feed) === set) {
        this.streams.delete(feed);
        clearTimeout(this.stepTimers.get(feed));
        this.stepTimers.delete(feed);
      }
    });
    if (!this.stepTimers.has(feed)) this.scheduleStep(feed);
    this.startHeartbeat();
  }

  private refresh(feed: EnvironmentFeed): void {
    const set = this.streams.get(feed);
    if (!set) return;
    const now = this.context.now();
    // Visitors with the same answers (most of them, when few flags target individuals) share one digest
    // and one framed `put`.
    const answers = new Map<string, { sent: string; frame: SseFrame | undefined }>();
    for (const stream of set) {
      const json = visitorResults(feed, stream.visitor, now);
      let answer = answers.get(json);
      if (!answer) {
        answer = { sent: digest(json), frame: undefined };
        answers.set(json, answer);
      }
      if (answer.sent === stream.sent) continue;
      stream.sent = answer.sent;
      answer.frame ??= new SseFrame(putEvent(feed.version, json));
      writeEvents(stream.response, answer.frame);
    }
    this.scheduleStep(feed);
  }

  /** Re-evaluates the feed's visitors when the next rule schedule step begins. */
  private scheduleStep(feed: EnvironmentFeed): void {
    clearTimeout(this.stepTimers.get(feed));
    this.stepTimers.delete(feed);
    const next = nextScheduleChange(feed.payload, this.context.now());
    if (!Number.isFinite(next) || !this.streams.has(feed)) return;
    // setTimeout holds at most 2^31 - 1 ms (a later step re-arms on the way); +1: once the step began.
    const delay = Math.min(2 ** 31 - 1, Math.max(0, next - this.context.now()) + 1);
    const timer = setTimeout(() => {
      this.stepTimers.delete(feed);
      this.refresh(feed);
    }, delay);
    timer.unref();
    this.stepTimers.set(feed, timer);
  }

  private startHeartbeat(): void {
    if (this.heartbeatTimer) return;
    this.heartbeatTimer = setInterval(() => {
      for (const set of this.streams.values())
        for (const stream of set) writeEvents(stream.response, HEARTBEAT);
      if (this.streams.size === 0 && this.heartbeatTimer) {
        clearInterval(this.heartbeatTimer);
        this.heartbeatTimer = undefined;
      }
    }, this.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  /** Ends an environment's streams whose SDK key no longer opens it (rotated away, environment deleted). */
  private async endRevoked(projectKey: string, environmentKey: string): Promise<void> {
    for (const [feed, set] of this.streams) {
      if (feed.projectKey !== projectKey || feed.environmentKey !== environmentKey) continue;
      for (const stream of [...set]) {
        const caller = await sdkKeyEnvironment(this.context, stream.key);
        const environment = caller?.environment;
        if (environment?.projectKey !== projectKey || environment.key !== environmentKey) {
          set.delete(stream);
          stream.response.end();
        }
      }
    }
  }

  close(): void {
    this.unsubscribe();
    this.stopReloads();
    for (const timer of this.stepTimers.values()) clearTimeout(timer);
    this.stepTimers.clear();
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    for (const set of this.streams.values()) for (const stream of set) stream.response.end();
    this.streams.clear();
  }
}

function digest(json: string): string {
  return createHash("sha1").update(json).digest("base64");
}
