import type { ServerResponse } from "node:http";
import type { EvaluationPayload, Visitor } from "@vexil/engine";
import type { AppContext } from "../app-context.js";
import { type LdModel, toLaunchDarkly } from "../launchdarkly-model/ld-model.js";
import { forgetSdkKeys, sdkKeyEnvironment } from "../projects/sdk-keys.js";
import type { EnvironmentFeed } from "../sdk-delivery/environment-feed.js";
import type { SdkDelivery } from "../sdk-delivery/sdk-delivery.service.js";
import { SseFrame, writeEvents } from "../sdk-delivery/sse.js";
import { ClientAvailability } from "./client-availability.js";
import { clientFlags, type LdClientFlag } from "./ld-client-evaluation.js";

// LaunchDarkly's streaming protocols on top of Vexil's change fan-out: every reload of an environment's feed
// (sdk-delivery), and every schedule step, is compiled to LaunchDarkly's model once and diffed against the
// previous one; the differences go to that environment's server-side streams (GET /all) as `patch` /
// `delete` events of flags and segments. A client-side stream (GET /eval/{envId}/{context}) holds one
// context: its flags are evaluated again and the evaluations that changed are sent as `patch` / `delete`.

const HEARTBEAT = new SseFrame(Buffer.from(":\n\n"));
const DEFAULT_HEARTBEAT_MS = 15_000;
/** Client-side streams evaluated between two turns of the event loop after a change. */
const CLIENT_BATCH = 50;

/** A client-side stream's context and what it was last sent (JSON without version, by flag key). */
export interface ClientStreamState {
  visitor: Visitor;
  withReasons: boolean;
  sent: Map<string, string>;
}

interface LdStream {
  response: ServerResponse;
  /** The SDK key or client-side id it connected with: a stream whose key was rotated away is ended. */
  key: string;
  keyKind: "server" | "client";
  client?: ClientStreamState;
}

/** Item JSON without its version: what decides whether an item changed. */
function contents(items: Record<string, Record<string, unknown>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, item] of Object.entries(items)) out.set(key, JSON.stringify({ ...item, version: 0 }));
  return out;
}

/** Client-side evaluations without their version: what decides whether one changed. */
function evaluationContents(flags: Record<string, LdClientFlag>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, flag] of Object.entries(flags)) out.set(key, JSON.stringify({ ...flag, version: 0 }));
  return out;
}

/** One SSE event of LaunchDarkly's stream protocol. */
function event(name: "put" | "patch" | "delete", data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

export class LdStreams {
  private readonly models = new WeakMap<EvaluationPayload, { model: LdModel; step: number }>();
  /** The `put` of each model, serialized once for all the server-side streams that connect while it holds. */
  private readonly puts = new WeakMap<LdModel, Buffer>();
  /** Per environment with streams: the timer of its next schedule step (release window, ramp). */
  private readonly stepTimers = new Map<string, NodeJS.Timeout>();
  private readonly sent = new Map<string, { flags: Map<string, string>; segments: Map<string, string> }>();
  private readonly streams = new Map<string, Set<LdStream>>();
  private timer: NodeJS.Timeout | undefined;
  private readonly heartbeatMs: number;
  private readonly unsubscribe: () => void;
  readonly availability: ClientAvailability;

  constructor(
    private readonly context: AppContext,
    delivery: SdkDelivery,
  ) {
    this.availability = new ClientAvailability(context);
    delivery.onReload((feed) => this.changed(feed));
    // A key rotation (heard from any process) ends the streams of the old key at once.
    this.unsubscribe = context.changes.subscribe((change) => {
      if (change.kind !== "environment") return;
      forgetSdkKeys(context);
      this.endRevoked(`${change.projectKey}\0${change.key}`).catch(() => {});
    });
    const fromEnv = Number(process.env.VEXIL_SSE_HEARTBEAT_MS);
    this.heartbeatMs = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_HEARTBEAT_MS;
  }

  /** The feed's payload in LaunchDarkly's model, compiled once per payload and schedule step. */
  model(feed: EnvironmentFeed): LdModel {
    const now = this.context.now();
    let entry = this.models.get(feed.payload);
    if (!entry || entry.model.nextChange <= now) {
      const step = entry ? entry.step + 1 : 0;
      entry = { model: toLaunchDarkly(feed.payload, now, step), step };
      this.models.set(feed.payload, entry);
    }
    return entry.model;
  }

  /** At the model's next schedule step, compiles it again and patches what the step changed. */
  private scheduleStep(id: string, feed: EnvironmentFeed, model: LdModel): void {
    clearTimeout(this.stepTimers.get(id));
    this.stepTimers.delete(id);
    if (!Number.isFinite(model.nextChange) || (this.streams.get(id)?.size ?? 0) === 0) return;
    // setTimeout holds at most 2^31 - 1 ms; a later step re-arms on the way. +1: fire once the step began.
    const delay = Math.min(2 ** 31 - 1, Math.max(0, model.nextChange - this.context.now()) + 1);
    const timer = setTimeout(() => {
      this.stepTimers.delete(id);
      this.changed(feed);
    }, delay);
    timer.unref();
    this.stepTimers.set(id, timer);
  }

  /** Attaches a server-side stream: a `put` of everything, then the changes. */
  attach(feed: EnvironmentFeed, response: ServerResponse, key: string): void {
    const id = `${feed.projectKey}\0${feed.environmentKey}`;
    const model = this.model(feed);
    if (!this.sent.has(id))
      this.sent.set(id, { flags: contents(model.flags), segments: contents(model.segments) });
    let put = this.puts.get(model);
    if (!put) {
      put = Buffer.from(event("put", { path: "/", data: { flags: model.flags, segments: model.segments } }));
      this.puts.set(model, put);
    }
    writeEvents(response, put);
    this.add(feed, { response, key, keyKind: "server" }, model);
  }

  /** Attaches a client-side stream: a `put` of the context's evaluations (`flags`), then what changes. */
  attachClient(
    feed: EnvironmentFeed,
    response: ServerResponse,
    key: string,
    client: Omit<ClientStreamState, "sent">,
    flags: Record<string, LdClientFlag>,
  ): void {
    writeEvents(response, Buffer.from(event("put", flags)));
    const state = { ...client, sent: evaluationContents(flags) };
    this.add(feed, { response, key, keyKind: "client", client: state }, this.model(feed));
  }

  private add(feed: EnvironmentFeed, stream: LdStream, model: LdModel): void {
    const id = `${feed.projectKey}\0${feed.environmentKey}`;
    let set = this.streams.get(id);
    if (!set) {
      set = new Set();
      this.streams.set(id, set);
    }
    set.add(stream);
    stream.response.once("close", () => set.delete(stream));
    this.startHeartbeat();
    if (!this.stepTimers.has(id)) this.scheduleStep(id, feed, model);
  }

  private changed(feed: EnvironmentFeed): void {
    const id = `${feed.projectKey}\0${feed.environmentKey}`;
    const streams = this.streams.get(id);
    if (!streams || streams.size === 0) {
      this.sent.delete(id);
      return;
    }
    const model = this.model(feed);
    this.scheduleStep(id, feed, model);
    const previous = this.sent.get(id);
    if (previous) this.patchServerStreams(id, model, previous, streams);
    const clients = [...streams].filter((stream) => stream.client !== undefined);
    if (clients.length > 0) {
      // Storage failed (the project's availability): the streams end, their SDKs reconnect for a new put.
      this.patchClientStreams(feed, clients).catch(() => {
        for (const stream of clients) stream.response.end();
      });
    }
  }

  private patchServerStreams(
    id: string,
    model: LdModel,
    previous: { flags: Map<string, string>; segments: Map<string, string> },
    streams: Set<LdStream>,
  ): void {
    const next = { flags: contents(model.flags), segments: contents(model.segments) };
    const version = model.version;
    let text = "";
    // Segments first: a patched flag may use a new segment.
    for (const [key, json] of next.segments) {
      if (previous.segments.get(key) !== json)
        text += event("patch", { path: `/segments/${key}`, data: model.segments[key] });
    }
    for (const [key, json] of next.flags) {
      if (previous.flags.get(key) !== json)
        text += event("patch", { path: `/flags/${key}`, data: model.flags[key] });
    }
    for (const key of previous.flags.keys())
      if (!next.flags.has(key)) text += event("delete", { path: `/flags/${key}`, version });
    for (const key of previous.segments.keys())
      if (!next.segments.has(key)) text += event("delete", { path: `/segments/${key}`, version });
    this.sent.set(id, next);
    if (text === "") return;
    const frame = new SseFrame(Buffer.from(text));
    for (const stream of streams) if (stream.keyKind === "server") writeEvents(stream.response, frame);
  }

  /** Evaluates each client-side stream's context again and sends the evaluations that changed. */
  private async patchClientStreams(feed: EnvironmentFeed, streams: LdStream[]): Promise<void> {
    const available = await this.availability.of(feed.projectKey);
    for (const [i, stream] of streams.entries()) {
      // Every flag for every context: other requests get their turn between batches of streams.
      if (i > 0 && i % CLIENT_BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
      if (stream.response.destroyed || stream.response.writableEnded) continue;
      // The feed's latest payload and step, also when another change came during a pause.
      const model = this.model(feed);
      const state = stream.client!;
      const flags = clientFlags(feed.evaluator, model, state.visitor, {
        available,
        withReasons: state.withReasons,
        now: this.context.now(),
      });
      const next = evaluationContents(flags);
      let text = "";
      for (const [key, json] of next) {
        if (state.sent.get(key) !== json) text += event("patch", { key, ...flags[key] });
      }
      for (const key of state.sent.keys())
        if (!next.has(key)) text += event("delete", { key, version: model.version });
      state.sent = next;
      if (text !== "") writeEvents(stream.response, Buffer.from(text));
    }
  }

  private startHeartbeat(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.tick().catch(() => {});
    }, this.heartbeatMs);
    this.timer.unref();
  }

  /** Heartbeats, and ends the streams whose SDK key no longer opens their environment (a safety net). */
  async tick(): Promise<void> {
    for (const [id, streams] of this.streams) {
      if (streams.size === 0) {
        this.streams.delete(id);
        continue;
      }
      await this.endRevoked(id);
      for (const stream of streams) writeEvents(stream.response, HEARTBEAT);
    }
    if (this.streams.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Ends an environment's streams whose SDK key no longer opens it (rotated away, environment deleted). */
  private async endRevoked(id: string): Promise<void> {
    const streams = this.streams.get(id);
    if (!streams) return;
    const [projectKey, environmentKey] = id.split("\0");
    for (const stream of [...streams]) {
      const caller = await sdkKeyEnvironment(this.context, stream.key);
      if (
        caller === null ||
        caller.keyKind !== stream.keyKind ||
        caller.environment.projectKey !== projectKey ||
        caller.environment.key !== environmentKey
      ) {
        streams.delete(stream);
        stream.response.end();
      }
    }
  }

  close(): void {
    this.unsubscribe();
    for (const timer of this.stepTimers.values()) clearTimeout(timer);
    this.stepTimers.clear();
    if (this.timer) clearInterval(this.timer);
    for (const streams of this.streams.values()) for (const stream of streams) stream.response.end();
    this.streams.clear();
  }
}
