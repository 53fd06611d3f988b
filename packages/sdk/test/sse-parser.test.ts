import { describe, expect, it } from "vitest";
import { type SseEvent, SseLimitError, SseParser } from "../src/sse-parser.js";

function parseAll(chunks: string[]): { events: SseEvent[]; comments: string[]; retries: number[] } {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const parser = new SseParser({
    onEvent: (e) => events.push(e),
    onComment: (c) => comments.push(c),
    onRetry: (ms) => retries.push(ms),
  });
  for (const chunk of chunks) parser.push(chunk);
  return { events, comments, retries };
}

const STREAM = [
  ": heartbeat",
  "event: put",
  "id: 7",
  'data: {"version":7,',
  'data: "flags":{}}',
  "",
  ":another comment",
  "event: patch",
  "data:no-space",
  "data:  two-spaces",
  "",
  "data",
  "",
  "event: delete",
  "id: 9",
  "data: é🚀",
  "",
  "",
].join("\n");

const EXPECTED: SseEvent[] = [
  { type: "put", data: '{"version":7,\n"flags":{}}', lastEventId: "7" },
  { type: "patch", data: "no-space\n two-spaces", lastEventId: "7" },
  { type: "message", data: "", lastEventId: "7" },
  { type: "delete", data: "é🚀", lastEventId: "9" },
];

describe("SseParser", () => {
  it("parses events, ids, comments and multi-line data", () => {
    const { events, comments } = parseAll([STREAM]);
    expect(events).toEqual(EXPECTED);
    expect(comments).toEqual([" heartbeat", "another comment"]);
  });

  for (const [name, eol] of [
    ["LF", "\n"],
    ["CRLF", "\r\n"],
    ["CR", "\r"],
  ] as const) {
    it(`gives the same events with ${name} line endings split at every position`, () => {
      const text = STREAM.replaceAll("\n", eol);
      for (let i = 0; i <= text.length; i++) {
        expect(parseAll([text.slice(0, i), text.slice(i)]).events, `split at ${i}`).toEqual(EXPECTED);
      }
    });
  }

  it("gives the same events fed one character at a time, mixing line endings", () => {
    const text = STREAM.split("\n")
      // (never CR then LF for an empty line: that would be one CRLF)
      .map((line, i) => line + ["\r\n", "\n", "\r"][i % 3])
      .join("");
    expect(parseAll([...text]).events).toEqual(EXPECTED);
  });

  it("decodes UTF-8 bytes split inside a multi-byte character", () => {
    const bytes = new TextEncoder().encode(STREAM.replaceAll("\n", "\r\n"));
    for (let i = 0; i <= bytes.length; i++) {
      const events: SseEvent[] = [];
      const parser = new SseParser({ onEvent: (e) => events.push(e) });
      parser.pushBytes(bytes.slice(0, i));
      parser.pushBytes(bytes.slice(i));
      expect(events, `split at byte ${i}`).toEqual(EXPECTED);
    }
  });

  it("does not dispatch an event before its blank line, nor an unterminated one", () => {
    const events: SseEvent[] = [];
    const parser = new SseParser({ onEvent: (e) => events.push(e) });
    parser.push("event: put\ndata: 1\n");
    expect(events).toEqual([]);
    parser.push("\n");
    expect(events).toHaveLength(1);
    parser.push("data: 2\n"); // stream ends here
    parser.reset();
    parser.push("data: 3\n\n");
    expect(events.map((e) => e.data)).toEqual(["1", "3"]);
  });

  it("strips a leading byte order mark only, ignores unknown fields and ids with NUL, reports retry", () => {
    const { events, retries } = parseAll([
      "\uFEFFdata: a\nfoo: bar\nid: x\u0000y\nretry: 1500\nretry: soon\n\n",
    ]);
    expect(events).toEqual([{ type: "message", data: "a", lastEventId: "" }]);
    expect(retries).toEqual([1500]);
  });

  it("keeps the last event id across events and from a previous connection", () => {
    const events: SseEvent[] = [];
    const parser = new SseParser({ onEvent: (e) => events.push(e) }, undefined, "41");
    parser.push("data: a\n\nid: 42\ndata: b\n\ndata: c\n\nid\ndata: d\n\n");
    expect(events.map((e) => e.lastEventId)).toEqual(["41", "42", "42", ""]);
    expect(parser.lastEventId).toBe("");
  });

  it("refuses a line growing past the limit", () => {
    const parser = new SseParser({ onEvent: () => {} }, 100);
    expect(() => {
      for (let i = 0; i < 20; i++) parser.push("data: 0123456789");
    }).toThrow(SseLimitError);
  });

  it("handles a large event in many chunks in linear time", () => {
    const big = "x".repeat(2_000_000);
    const text = `event: put\ndata: ${big}\n\n`;
    const events: SseEvent[] = [];
    const parser = new SseParser({ onEvent: (e) => events.push(e) });
    const started = performance.now();
    for (let i = 0; i < text.length; i += 1000) parser.push(text.slice(i, i + 1000));
    expect(events).toHaveLength(1);
    expect(events[0]!.data.length).toBe(big.length);
    expect(performance.now() - started).toBeLessThan(2000); // quadratic re-joining would take far longer
  });
});
