import type { ServerResponse } from "node:http";

// Server-Sent Events framing for /sdk/v1/stream (docs/sdk-protocol.md). Data is always one line of JSON
// (JSON.stringify never emits a raw line break), so one `data:` field per event is enough.
// Also the one write path of every SSE stream (SDK, LaunchDarkly, browser visitors): events that go to many
// streams are serialized and framed once (SseFrame), and every write applies the same back-pressure limit.

/** One complete event: `event`, `id` and `data` lines and the blank line that dispatches it. */
export function sseEvent(event: "put" | "patch" | "delete", id: number, data: string): string {
  return `event: ${event}\nid: ${id}\ndata: ${data}\n\n`;
}

/** A stream whose unsent data exceeds this is too slow: it is closed (its SDK resumes on reconnect). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

const CRLF = Buffer.from("\r\n");

/** Events written to many streams: serialized once, and framed once as a chunk of a chunked HTTP/1.1 body. */
export class SseFrame {
  /** `<size in hex>\r\n<bytes>\r\n`: what ServerResponse.write would put on the socket for `bytes`. */
  readonly chunk: Buffer;

  constructor(readonly bytes: Buffer) {
    this.chunk = Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`, "latin1"), bytes, CRLF]);
  }
}

/** The heartbeat comment, shared by every stream. */
export const HEARTBEAT = new SseFrame(Buffer.from(": heartbeat\n\n"));

/**
 * Writes events to one stream unless it is gone or too slow: a stream with more than MAX_BUFFERED_BYTES
 * unsent (its client does not read) is closed instead, so it holds no memory and delays no other stream.
 */
export function writeEvents(stream: ServerResponse, events: SseFrame | Buffer): void {
  if (stream.destroyed || stream.writableEnded) return;
  // writableLength counts the response's own buffer and its socket's, so direct socket writes count too.
  if (stream.writableLength > MAX_BUFFERED_BYTES) {
    stream.destroy();
    return;
  }
  if (!(events instanceof SseFrame)) {
    if (events.length > 0) stream.write(events);
  } else if (events.bytes.length === 0) {
    // An empty chunk would end the body.
  } else if (stream.chunkedEncoding && stream.headersSent && stream.socket) {
    // The chunk framed once for every stream goes straight to the socket: ServerResponse.write would frame
    // it again and cork the socket until the next tick, per stream (most of a broadcast's JavaScript time).
    stream.socket.write(events.chunk);
  } else {
    stream.write(events.bytes); // not chunked (an HTTP/1.0 client): the response writes bytes as they are
  }
}

/** `data` of a flag patch: the compiled flag and the segments it uses (already serialized). */
export function flagPatchData(
  key: string,
  version: number,
  flagJson: string,
  segments: Iterable<[id: string, json: string]>,
): string {
  let segmentsJson = "";
  for (const [id, json] of segments) {
    segmentsJson += `${segmentsJson === "" ? "" : ","}${JSON.stringify(id)}:${json}`;
  }
  return `{"kind":"flag","key":${JSON.stringify(key)},"version":${version},"flag":${flagJson},"segments":{${segmentsJson}}}`;
}

/** `data` of a segment patch. */
export function segmentPatchData(id: string, version: number, segmentJson: string): string {
  return `{"kind":"segment","key":${JSON.stringify(id)},"version":${version},"segment":${segmentJson}}`;
}

/** `data` of a delete (tombstone). */
export function deleteData(kind: "flag" | "segment", key: string, version: number): string {
  return `{"kind":"${kind}","key":${JSON.stringify(key)},"version":${version}}`;
}

/**
 * Parses `Last-Event-ID`: the payload version the client last applied, or undefined when absent or not a
 * non-negative integer (then the client gets a `put`).
 */
export function parseLastEventId(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!/^\d{1,15}$/.test(trimmed)) return undefined;
  return Number(trimmed);
}
