// A small Server-Sent Events parser (the WHATWG event-stream format), for tests, benches and tools that
// read /sdk/v1/stream without a browser EventSource.

/** One dispatched event, or a comment line (`: heartbeat`). */
export type SseMessage =
  | { type: "event"; event: string; id: string | undefined; data: string }
  | { type: "comment"; text: string };

/** Feeds text chunks in, gets complete messages out; keeps partial lines between chunks. */
export class SseParser {
  private buffer = "";
  private event = "";
  private id: string | undefined;
  private data: string[] = [];

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const out: SseMessage[] = [];
    let start = 0;
    for (;;) {
      const newline = this.buffer.indexOf("\n", start);
      if (newline < 0) break;
      let line = this.buffer.slice(start, newline);
      if (line.endsWith("\r")) line = line.slice(0, -1);
      start = newline + 1;
      if (line === "") {
        if (this.data.length > 0 || this.event !== "") {
          out.push({
            type: "event",
            event: this.event || "message",
            id: this.id,
            data: this.data.join("\n"),
          });
        }
        this.event = "";
        this.data = [];
        continue;
      }
      if (line.startsWith(":")) {
        out.push({ type: "comment", text: line.slice(1).trim() });
        continue;
      }
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") this.event = value;
      else if (field === "data") this.data.push(value);
      else if (field === "id") this.id = value;
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }
}
