// Incremental Server-Sent Events parser following the WHATWG "event stream interpretation": lines end with
// CRLF, LF or CR (a CRLF may be split across chunks), `:` starts a comment, `data` lines accumulate joined
// by "\n", `id` persists across events (it is what Last-Event-ID resends), an event is dispatched on a blank
// line and an unterminated one at the end of the stream is discarded. Chunks may split anywhere.

/** One dispatched event. */
export interface SseEvent {
  /** `event:` field, "message" when absent. */
  type: string;
  /** Data lines joined with "\n". */
  data: string;
  /** The last event id seen so far on this stream (persists across events, "" if none). */
  lastEventId: string;
}

/** Callbacks of the parser. */
export interface SseHandlers {
  onEvent(event: SseEvent): void;
  /** A `retry:` field (reconnection time in ms). */
  onRetry?(ms: number): void;
  /** A comment line (e.g. `: heartbeat`), without the colon. */
  onComment?(text: string): void;
}

/** Raised when a single line or event grows past the parser's limit (protects memory against a bad peer). */
export class SseLimitError extends Error {
  constructor(limit: number) {
    super(`server-sent event larger than ${limit} characters`);
    this.name = "SseLimitError";
  }
}

const LF = 10;
const CR = 13;
const TERMINATOR = /[\r\n]/g;

/** Parses text chunks of an event stream; decode bytes with a streaming TextDecoder first (or use `pushBytes`). */
export class SseParser {
  private started = false;
  private skipLF = false;
  // The unterminated tail of the line in progress, in pieces: re-joining it on every chunk would be
  // quadratic for a multi-megabyte `put`.
  private parts: string[] = [];
  private partsLength = 0;
  private dataLines: string[] = [];
  private dataLength = 0;
  private eventType = "";
  private idBuffer = "";
  private decoder: TextDecoder | undefined;

  /** Last event id (persists across events and is what a reconnect sends as Last-Event-ID). */
  lastEventId = "";

  constructor(
    private readonly handlers: SseHandlers,
    /** Upper bound, in characters, of one line and of one event's data. */
    private readonly maxEventLength = 64 * 1024 * 1024,
    /** The last event id of a previous connection: it persists until the server sends another. */
    lastEventId = "",
  ) {
    this.lastEventId = lastEventId;
    this.idBuffer = lastEventId;
  }

  /** Feeds UTF-8 bytes (multi-byte characters may be split across calls). */
  pushBytes(bytes: Uint8Array): void {
    this.decoder ??= new TextDecoder("utf-8");
    this.push(this.decoder.decode(bytes, { stream: true }));
  }

  /** Feeds decoded text. */
  push(chunk: string): void {
    if (chunk.length === 0) return;
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1); // byte order mark, first character only
    }
    const len = chunk.length;
    let pos = 0;
    if (this.skipLF) {
      // The previous chunk ended with CR: a LF opening this one belongs to the same CRLF.
      this.skipLF = false;
      if (chunk.charCodeAt(0) === LF) pos = 1;
    }
    while (pos < len) {
      TERMINATOR.lastIndex = pos;
      const match = TERMINATOR.exec(chunk);
      if (match === null) {
        this.parts.push(pos === 0 ? chunk : chunk.slice(pos));
        this.partsLength += len - pos;
        if (this.partsLength > this.maxEventLength) throw new SseLimitError(this.maxEventLength);
        return;
      }
      const end = match.index;
      let line = chunk.slice(pos, end);
      if (this.parts.length > 0) {
        this.parts.push(line);
        line = this.parts.join("");
        this.parts = [];
        this.partsLength = 0;
      }
      this.line(line);
      if (chunk.charCodeAt(end) === CR) {
        if (end + 1 < len) pos = chunk.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
        else {
          this.skipLF = true;
          pos = end + 1;
        }
      } else pos = end + 1;
    }
  }

  /** Drops any partial line or event (the stream ended; an unterminated event is never dispatched). */
  reset(): void {
    this.parts = [];
    this.partsLength = 0;
    this.dataLines = [];
    this.dataLength = 0;
    this.eventType = "";
    this.skipLF = false;
    this.decoder = undefined;
  }

  private line(line: string): void {
    if (line.length === 0) {
      this.dispatch();
      return;
    }
    const colon = line.indexOf(":");
    if (colon === 0) {
      this.handlers.onComment?.(line.slice(1));
      return;
    }
    let field: string;
    let value: string;
    if (colon < 0) {
      field = line;
      value = "";
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case "event":
        this.eventType = value;
        break;
      case "data":
        this.dataLength += value.length + 1;
        if (this.dataLength > this.maxEventLength) throw new SseLimitError(this.maxEventLength);
        this.dataLines.push(value);
        break;
      case "id":
        if (!value.includes("\u0000")) this.idBuffer = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.handlers.onRetry?.(Number(value));
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  private dispatch(): void {
    this.lastEventId = this.idBuffer;
    if (this.dataLines.length === 0) {
      this.eventType = "";
      return;
    }
    const event: SseEvent = {
      type: this.eventType === "" ? "message" : this.eventType,
      data: this.dataLines.join("\n"),
      lastEventId: this.lastEventId,
    };
    this.dataLines = [];
    this.dataLength = 0;
    this.eventType = "";
    this.handlers.onEvent(event);
  }
}
