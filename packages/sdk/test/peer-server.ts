// A small real HTTP server standing in for the Vexil server (a remote peer of the SDK): it serves
// /sdk/v1/config, /sdk/v1/stream, /events/v1/bulk and /sdk/v1/evaluations with failures the tests control,
// and records every request.

import http from "node:http";
import type { AddressInfo } from "node:net";
import type { EvaluationPayload } from "@vexil/engine";
import type { EventAttributes, VexilEvent } from "../src/events.js";

export const SDK_KEY = "sdk-test-key";

/** A request as the peer received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Date.now() at arrival. */
  at: number;
}

/** What a handler answers; "hang" never answers, "destroy" resets the connection. */
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | "hang" | "destroy";

type Handler = (request: RecordedRequest, response: http.ServerResponse) => Reply | "stream";

export interface Peer {
  url: string;
  payload: EvaluationPayload;
  requests: RecordedRequest[];
  /** Override per endpoint; return undefined to fall back to the default behaviour. */
  handlers: {
    config?: (request: RecordedRequest) => Reply | undefined;
    stream?: (request: RecordedRequest, open: () => void) => Reply | "stream" | undefined;
    events?: (request: RecordedRequest) => Reply | undefined;
    evaluations?: (request: RecordedRequest) => Reply | undefined;
  };
  /** Open SSE responses. */
  streams: Set<http.ServerResponse>;
  /** Writes an SSE event to every open stream. */
  send(type: string, data: unknown, id?: number | string): void;
  /** Writes raw text to every open stream. */
  write(raw: string): void;
  /** Cuts every open stream (the client sees a dropped connection). */
  dropStreams(): void;
  requestsTo(path: string): RecordedRequest[];
  close(): Promise<void>;
}

function putEvent(payload: EvaluationPayload): string {
  return `event: put\nid: ${payload.version}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/** Starts the peer on 127.0.0.1 with a random port. */
export async function startPeer(payload: EvaluationPayload): Promise<Peer> {
  const requests: RecordedRequest[] = [];
  const streams = new Set<http.ServerResponse>();
  const sockets = new Set<import("node:net").Socket>();
  const peer = { payload, requests, streams, handlers: {} } as Peer;

  const authorized = (request: RecordedRequest): boolean => request.headers.authorization === SDK_KEY;

  const defaults: Record<string, Handler> = {
    "/sdk/v1/config": (request): Reply => {
      if (!authorized(request)) return { status: 401 };
      const etag = `"${peer.payload.version}"`;
      if (request.headers["if-none-match"] === etag) return { status: 304, headers: { ETag: etag } };
      return {
        status: 200,
        headers: { ETag: etag, "Content-Type": "application/json" },
        body: JSON.stringify(peer.payload),
      };
    },
    "/sdk/v1/stream": (request) => (authorized(request) ? "stream" : { status: 401 }),
    "/events/v1/bulk": (request) => (authorized(request) ? { status: 202 } : { status: 401 }),
    "/sdk/v1/evaluations": (request) => (authorized(request) ? { status: 202 } : { status: 401 }),
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0]!;
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      };
      requests.push(recorded);
      let reply: Reply | "stream" | undefined;
      const openStream = (): void => {
        res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
        res.flushHeaders();
        streams.add(res);
        res.on("close", () => streams.delete(res));
      };
      if (path === "/sdk/v1/config") reply = peer.handlers.config?.(recorded);
      else if (path === "/sdk/v1/stream") reply = peer.handlers.stream?.(recorded, openStream);
      else if (path === "/events/v1/bulk") reply = peer.handlers.events?.(recorded);
      else if (path === "/sdk/v1/evaluations") reply = peer.handlers.evaluations?.(recorded);
      reply ??= defaults[path]?.(recorded, res) ?? { status: 404 };
      if (reply === "hang") return;
      if (reply === "destroy") {
        req.socket.destroy();
        return;
      }
      if (reply === "stream") {
        if (!streams.has(res)) {
          openStream();
          res.write(putEvent(peer.payload));
        }
        return;
      }
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? "");
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  peer.url = `http://127.0.0.1:${port}`;
  peer.send = (type, data, id) => {
    const text = `event: ${type}\n${id === undefined ? "" : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`;
    for (const s of streams) s.write(text);
  };
  peer.write = (raw) => {
    for (const s of streams) s.write(raw);
  };
  peer.dropStreams = () => {
    for (const s of streams) s.socket?.destroy();
    streams.clear();
  };
  peer.requestsTo = (path) => requests.filter((r) => r.path === path);
  peer.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return peer;
}

/** A URL on which nothing listens (a port that was just free). */
export async function unreachableUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Polls `condition` every 5 ms until it holds; throws after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Resolves after `ms`. */
export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface CompactColumns {
  heads?: { featureKey: string; ruleId?: number; experimentId?: number | null; variationKey: string }[];
  head?: number[];
  visit: number[];
  visitor: string[];
  goal?: (string | number)[];
  value?: (number | null)[];
  time: number[];
  attributes: number[];
}

/**
 * The events of a POST /events/v1/bulk body, as format 1 objects: format 2 decoded as docs/sdk-protocol.md
 * describes it (exposures' rows first, then conversions'; a null value and the -1 attribute set are left out).
 */
export function eventsIn(body: string): VexilEvent[] {
  const parsed = JSON.parse(body) as unknown;
  if (Array.isArray(parsed)) return parsed as VexilEvent[];
  const batch = parsed as {
    format: 2;
    visitIdPrefix: string;
    time: number;
    attributes: EventAttributes[];
    exposures?: CompactColumns;
    conversions?: CompactColumns;
  };
  if (batch.format !== 2) throw new Error(`not a format 2 batch: ${body.slice(0, 100)}`);
  const common = (columns: CompactColumns, i: number) => ({
    visitorCode: columns.visitor[i]!,
    visitId: batch.visitIdPrefix + columns.visit[i]!.toString(36),
    time: batch.time + columns.time[i]!,
    ...(columns.attributes[i] === -1 ? {} : { attributes: batch.attributes[columns.attributes[i]!]! }),
  });
  const events: VexilEvent[] = [];
  const e = batch.exposures;
  for (let i = 0; e !== undefined && i < e.visitor.length; i++) {
    const { featureKey, ruleId = 0, experimentId = 0, variationKey } = e.heads![e.head![i]!]!;
    const { attributes, ...rest } = common(e, i);
    events.push({
      kind: "exposure",
      ...rest,
      featureKey,
      ruleId,
      experimentId: experimentId ?? 0,
      variationKey,
      ...(attributes ? { attributes } : {}),
    });
  }
  const c = batch.conversions;
  for (let i = 0; c !== undefined && i < c.visitor.length; i++) {
    const { attributes, ...rest } = common(c, i);
    const value = c.value![i];
    events.push({
      kind: "conversion",
      ...rest,
      goal: c.goal![i]!,
      ...(value === null || value === undefined ? {} : { value }),
      ...(attributes ? { attributes } : {}),
    });
  }
  return events;
}
