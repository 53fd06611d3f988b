import type { ServerResponse } from "node:http";
import { type CompiledFlag, createEvaluator, type EvaluationPayload, type Evaluator } from "@vexil/engine";
import {
  deleteData,
  flagPatchData,
  HEARTBEAT,
  SseFrame,
  segmentPatchData,
  sseEvent,
  writeEvents,
} from "./sse.js";

/** Limits of the per-environment history kept for `Last-Event-ID` resumption. */
export interface HistoryLimits {
  /** Most versions kept. */
  maxVersions: number;
  /** Most bytes of serialized events kept. */
  maxBytes: number;
}

/** The events of one payload version, serialized once for every stream. */
interface VersionEvents {
  version: number;
  bytes: Buffer;
}

/** What one refresh changed, for logs and tests. */
export interface RefreshOutcome {
  version: number;
  /** "events": patches/deletes sent; "put": a full payload sent (the version did not grow); "none". */
  sent: "events" | "put" | "none";
  events: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Segment ids named by `inSegment` conditions anywhere in a condition tree. */
function collectSegmentReferences(node: unknown, into: string[]): void {
  if (!isRecord(node)) return;
  if (Array.isArray(node.all)) for (const child of node.all) collectSegmentReferences(child, into);
  if (Array.isArray(node.any)) for (const child of node.any) collectSegmentReferences(child, into);
  if ("not" in node) collectSegmentReferences(node.not, into);
  if (node.operator === "inSegment" && Array.isArray(node.values)) {
    for (const value of node.values) {
      if (typeof value === "number" && Number.isInteger(value)) into.push(String(value));
      else if (typeof value === "string" && value.trim() !== "") into.push(value.trim());
    }
  }
}

/** The segments a flag needs: those its rules target and, transitively, those they reference. */
export function segmentsUsedBy(flag: CompiledFlag, segments: Record<string, unknown>): string[] {
  const pending: string[] = [];
  for (const rule of Array.isArray(flag.rules) ? flag.rules : []) {
    if (rule && rule.segmentId !== undefined && rule.segmentId !== null) pending.push(String(rule.segmentId));
  }
  const seen = new Set<string>();
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (seen.has(id) || !Object.hasOwn(segments, id)) continue;
    seen.add(id);
    const segment = segments[id];
    if (isRecord(segment)) collectSegmentReferences(segment.condition, pending);
  }
  return [...seen].sort();
}

function serializeEach(record: Record<string, unknown>): Map<string, string> {
  const texts = new Map<string, string>();
  for (const key of Object.keys(record)) texts.set(key, JSON.stringify(record[key]));
  return texts;
}

/**
 * What decides whether a flag changed for this environment: its JSON without `version`. The flag version
 * grows with every edit of the flag, also edits of another environment; that alone is not sent.
 */
function flagContent(flag: CompiledFlag): string {
  return JSON.stringify({ ...flag, version: 0 });
}

/**
 * The delivery state of one environment: its current payload (serialized once, with its ETag), a lazily
 * built evaluator, the recent changes as ready-to-send SSE bytes, and the streams connected to it.
 * All mutation is synchronous, so a stream attached between two awaits never misses or repeats an event.
 */
export class EnvironmentFeed {
  payload!: EvaluationPayload;
  /** The payload as JSON, what GET /sdk/v1/config answers. */
  json = "";
  /** `"<version>"`. */
  etag = "";
  private putFrame: SseFrame | undefined;
  private evaluatorOfPayload: Evaluator | undefined;
  private flagTexts = new Map<string, string>();
  /** Flag JSON without the version, by key (see flagContent). */
  private flagContents = new Map<string, string>();
  private segmentTexts = new Map<string, string>();
  /** Changes after `historyBase`, oldest first. */
  private history: VersionEvents[] = [];
  private historyBytes = 0;
  /** The version from which `history` is complete: a client at this version or later can resume. */
  private historyBase = 0;
  readonly streams = new Set<ServerResponse>();
  /** Resolved once the first payload is loaded. */
  ready: Promise<void> | undefined;
  /** A reload in progress and whether another was asked for meanwhile. */
  reloading: Promise<void> | undefined;
  reloadAgain = false;

  constructor(
    readonly projectKey: string,
    readonly environmentKey: string,
    private readonly limits: HistoryLimits,
  ) {}

  get version(): number {
    return this.payload.version;
  }

  get loaded(): boolean {
    return this.json !== "";
  }

  /** The engine's evaluator for the current payload, built on first use. */
  get evaluator(): Evaluator {
    this.evaluatorOfPayload ??= createEvaluator(this.payload);
    return this.evaluatorOfPayload;
  }

  /** `event: put` with the whole payload, serialized once per version. */
  get putEvent(): SseFrame {
    this.putFrame ??= new SseFrame(Buffer.from(sseEvent("put", this.version, this.json)));
    return this.putFrame;
  }

  /** Installs the first payload. */
  initialize(payload: EvaluationPayload): void {
    this.install(payload, JSON.stringify(payload));
    this.history = [];
    this.historyBytes = 0;
    this.historyBase = payload.version;
  }

  private install(payload: EvaluationPayload, json: string): void {
    this.payload = payload;
    this.json = json;
    this.etag = `"${payload.version}"`;
    this.putFrame = undefined;
    this.evaluatorOfPayload = undefined;
    this.flagTexts = serializeEach(payload.flags ?? {});
    this.flagContents = new Map();
    for (const [key, flag] of Object.entries(payload.flags ?? {}))
      this.flagContents.set(key, flagContent(flag));
    this.segmentTexts = serializeEach(payload.segments ?? {});
  }

  /**
   * Replaces the payload by a newer one and sends what changed to every stream: patches for new or
   * changed segments and flags (a flag with the segments it uses), deletes for removed flags and segments,
   * all with the new version as event id. A payload whose version did not grow but whose content differs is
   * sent as a `put` (clients ignore patches that are not newer) and the history restarts from it.
   */
  update(next: EvaluationPayload): RefreshOutcome {
    const json = JSON.stringify(next);
    if (json === this.json) return { version: next.version, sent: "none", events: 0 };
    const previousFlags = this.flagContents;
    const previousSegments = this.segmentTexts;
    const previousVersion = this.version;
    this.install(next, json);
    const version = next.version;
    if (version <= previousVersion) {
      this.history = [];
      this.historyBytes = 0;
      this.historyBase = version;
      this.broadcast(this.putEvent);
      return { version, sent: "put", events: 1 };
    }

    let text = "";
    let count = 0;
    const segments = next.segments ?? {};
    for (const [id, segmentJson] of this.segmentTexts) {
      if (previousSegments.get(id) === segmentJson) continue;
      text += sseEvent("patch", version, segmentPatchData(id, version, segmentJson));
      count++;
    }
    for (const [key, flagJson] of this.flagTexts) {
      if (previousFlags.get(key) === this.flagContents.get(key)) continue;
      const used = segmentsUsedBy(next.flags[key]!, segments).map(
        (id) => [id, this.segmentTexts.get(id)!] as [string, string],
      );
      text += sseEvent("patch", version, flagPatchData(key, version, flagJson, used));
      count++;
    }
    for (const key of previousFlags.keys()) {
      if (this.flagTexts.has(key)) continue;
      text += sseEvent("delete", version, deleteData("flag", key, version));
      count++;
    }
    for (const id of previousSegments.keys()) {
      if (this.segmentTexts.has(id)) continue;
      text += sseEvent("delete", version, deleteData("segment", id, version));
      count++;
    }
    if (count === 0) {
      // Same flags and segments under a newer version (e.g. another environment changed): nothing to send;
      // clients that resume from an older version still need nothing.
      return { version, sent: "none", events: 0 };
    }
    const frame = new SseFrame(Buffer.from(text));
    this.remember({ version, bytes: frame.bytes });
    this.broadcast(frame);
    return { version, sent: "events", events: count };
  }

  private remember(events: VersionEvents): void {
    this.history.push(events);
    this.historyBytes += events.bytes.length;
    while (
      this.history.length > 0 &&
      (this.history.length > this.limits.maxVersions || this.historyBytes > this.limits.maxBytes)
    ) {
      const dropped = this.history.shift()!;
      this.historyBytes -= dropped.bytes.length;
      this.historyBase = Math.max(this.historyBase, dropped.version);
    }
  }

  /**
   * What a (re)connecting stream must receive first: the changes after `lastEventId` when the history
   * still covers them (possibly nothing), else a `put`.
   */
  catchUp(lastEventId: number | undefined): { kind: "put" | "resume"; bytes: Buffer } {
    if (lastEventId === undefined || lastEventId < this.historyBase || lastEventId > this.version) {
      return { kind: "put", bytes: this.putEvent.bytes };
    }
    const missed = this.history
      .filter((events) => events.version > lastEventId)
      .map((events) => events.bytes);
    return { kind: "resume", bytes: Buffer.concat(missed) };
  }

  /** Writes the same frame to every stream; a stream too far behind is closed (it resumes on reconnect). */
  broadcast(frame: SseFrame): void {
    for (const stream of this.streams) writeEvents(stream, frame);
  }

  heartbeat(): void {
    this.broadcast(HEARTBEAT);
  }

  /** Ends every stream (server shutdown, environment deleted). */
  closeStreams(): void {
    for (const stream of this.streams) stream.end();
    this.streams.clear();
  }
}
