// The client against a real local HTTP server standing in for Vexil (test/peer-server.ts): loading,
// streaming, reconnects, polling fallback, refused keys, timeouts.

import { afterEach, describe, expect, it } from "vitest";
import { createClient, type VexilClient, type VexilClientOptions, VexilError } from "../src/index.js";
import { silentLogger } from "../src/logger.js";
import { experimentFlag, samplePayload, targetedFlag } from "./fixtures.js";
import { delay, type Peer, SDK_KEY, startPeer, unreachableUrl, waitFor } from "./peer-server.js";

const open: { clients: VexilClient[]; peers: Peer[] } = { clients: [], peers: [] };

afterEach(async () => {
  await Promise.all(open.clients.splice(0).map((c) => c.close()));
  await Promise.all(open.peers.splice(0).map((p) => p.close()));
});

async function peer(version = 1): Promise<Peer> {
  const p = await startPeer(samplePayload(version));
  open.peers.push(p);
  return p;
}

function client(baseUrl: string, options: Partial<VexilClientOptions> = {}): VexilClient {
  const c = createClient({
    sdkKey: SDK_KEY,
    baseUrl,
    logger: silentLogger,
    backoff: { baseMs: 20, maxMs: 100 },
    eventsFlushIntervalMs: 60_000,
    evaluationReportIntervalMs: 60_000,
    ...options,
  });
  open.clients.push(c);
  return c;
}

const FR = { code: "v1", attributes: { country: "FR" } };

describe("loading", () => {
  it("gets ready from the stream's put and evaluates locally", async () => {
    const p = await peer(3);
    const c = client(p.url);
    const events: string[] = [];
    c.on("ready", () => events.push("ready"));
    await c.ready();
    expect(events).toEqual(["ready"]);
    expect(c.evaluate("banner", FR)).toMatchObject({
      variationKey: "on",
      reason: "TARGETING_MATCH",
      ruleId: 21,
    });
    expect(c.stats()).toMatchObject({ ready: true, payloadVersion: 3, stream: "open", polling: false });
    const stream = p.requestsTo("/sdk/v1/stream")[0]!;
    expect(stream.headers.authorization).toBe(SDK_KEY);
    expect(stream.headers.accept).toBe("text/event-stream");
    expect(stream.headers["last-event-id"]).toBeUndefined();
  });

  it("gets ready by polling when streaming is off, then sends If-None-Match and takes 304s", async () => {
    const p = await peer(4);
    const c = client(p.url, { streaming: false, pollIntervalMs: 30 });
    await c.ready();
    await waitFor(() => p.requestsTo("/sdk/v1/config").length >= 3);
    const [first, second] = p.requestsTo("/sdk/v1/config");
    expect(first!.headers["if-none-match"]).toBeUndefined();
    expect(second!.headers["if-none-match"]).toBe('"4"');
    expect(p.requestsTo("/sdk/v1/stream")).toHaveLength(0);
    const changes: string[][] = [];
    c.on("change", (e) => changes.push(e.flagKeys));
    p.payload = {
      ...samplePayload(5),
      flags: { ...samplePayload(5).flags, banner: targetedFlag({ enabled: false }) },
    };
    await waitFor(() => c.stats().payloadVersion === 5);
    expect(changes).toEqual([["banner"]]);
    expect(c.evaluate("banner", FR).reason).toBe("DISABLED");
  });

  it("ready() rejects at the timeout when the server never answers, and never hangs", async () => {
    const p = await peer();
    p.handlers.config = () => "hang";
    p.handlers.stream = () => "hang";
    const c = client(p.url, { initTimeoutMs: 150 });
    const errors: VexilError[] = [];
    c.on("error", (e) => errors.push(e));
    // INIT_TIMEOUT (not a request error) while both requests still hang: the timeout ended the wait.
    await expect(c.ready()).rejects.toMatchObject({ code: "INIT_TIMEOUT" });
    expect(errors.map((e) => e.code)).toEqual(["INIT_TIMEOUT"]);
    // Evaluations answer an error rather than throwing.
    expect(c.evaluate("banner", FR)).toMatchObject({
      reason: "ERROR",
      errorCode: "PROVIDER_NOT_READY",
      variationKey: "",
    });
    expect(c.isEnabled("banner", FR)).toBe(false);
    await expect(c.ready()).rejects.toThrow(VexilError); // still rejects at once, never pending
  });

  it("ready() rejects at the timeout when nothing listens, polling meanwhile", async () => {
    const url = await unreachableUrl();
    const c = client(url, { initTimeoutMs: 100, pollIntervalMs: 30 });
    await expect(c.ready()).rejects.toMatchObject({ code: "INIT_TIMEOUT" });
    expect(c.stats().polling).toBe(true); // the stream is down: config polling runs meanwhile
  });

  it("becomes ready after an initial timeout once a payload arrives", async () => {
    const p = await peer();
    let hang = true;
    p.handlers.config = () => (hang ? "hang" : undefined);
    p.handlers.stream = () => (hang ? { status: 503 } : undefined);
    const c = client(p.url, { initTimeoutMs: 80, pollIntervalMs: 20 });
    await expect(c.ready()).rejects.toMatchObject({ code: "INIT_TIMEOUT" });
    const ready = new Promise<void>((resolve) => c.on("ready", resolve));
    hang = false;
    await ready;
    await expect(c.ready()).resolves.toBeUndefined();
  });

  it("a refused key (401) stops every retry and rejects ready() at once", async () => {
    const p = await peer();
    // An init timeout longer than the test's own: ready() settling at all means it did not wait for it.
    const c = client(p.url, { sdkKey: "sdk-wrong", initTimeoutMs: 600_000, pollIntervalMs: 20 });
    const errors: VexilError[] = [];
    c.on("error", (e) => errors.push(e));
    await expect(c.ready()).rejects.toMatchObject({ code: "UNAUTHORIZED", status: 401 });
    const seen = p.requests.length;
    await delay(300); // several backoff and polling periods
    expect(p.requests.length).toBe(seen);
    expect(errors.map((e) => e.code)).toEqual(["UNAUTHORIZED"]);
    expect(c.stats().stream).toBe("stopped");
    c.track("v1", "purchase");
    await c.flush();
    expect(p.requestsTo("/events/v1/bulk")).toHaveLength(0);
  });

  it("a 403 on config polling is fatal too", async () => {
    const p = await peer();
    p.handlers.config = () => ({ status: 403 });
    const c = client(p.url, { streaming: false, pollIntervalMs: 20 });
    await expect(c.ready()).rejects.toMatchObject({ code: "UNAUTHORIZED", status: 403 });
    await delay(100);
    expect(p.requestsTo("/sdk/v1/config")).toHaveLength(1);
  });

  it("evaluates a bootstrap payload at once, then takes the server's", async () => {
    const p = await peer(9);
    p.handlers.stream = () => "hang";
    p.handlers.config = () => "hang";
    const bootstrap = { ...samplePayload(2), flags: { banner: targetedFlag({ enabled: false }) } };
    const c = client(p.url, { bootstrap });
    await c.ready();
    expect(c.evaluate("banner", FR).reason).toBe("DISABLED");
    p.handlers.stream = () => undefined;
    p.dropStreams();
    await c.close();
    const c2 = client(p.url, { bootstrap });
    const changed = new Promise<string[]>((resolve) => c2.on("change", (e) => resolve(e.flagKeys)));
    expect((await changed).sort()).toEqual(["banner", "checkout", "legacy"]);
    expect(c2.evaluate("banner", FR).variationKey).toBe("on");
  });
});

describe("streaming", () => {
  it("applies patches and deletes, ignores older ones, and reports changed flags", async () => {
    const p = await peer(10);
    const c = client(p.url);
    await c.ready();
    const changes: { flagKeys: string[]; version: number }[] = [];
    c.on("change", (e) => changes.push(e));
    p.send(
      "patch",
      { kind: "flag", key: "banner", version: 11, flag: targetedFlag({ enabled: false }), segments: {} },
      11,
    );
    await waitFor(() => changes.length === 1);
    expect(c.evaluate("banner", FR).reason).toBe("DISABLED");
    // Older than the key's version: ignored.
    p.send("patch", { kind: "flag", key: "banner", version: 10, flag: targetedFlag(), segments: {} }, 10);
    p.send("delete", { kind: "flag", key: "checkout", version: 12 }, 12);
    await waitFor(() => changes.length === 2);
    p.send("patch", { kind: "flag", key: "checkout", version: 11, flag: experimentFlag(), segments: {} }, 11); // tombstoned
    p.send(
      "patch",
      { kind: "segment", key: "7", version: 13, segment: { id: 7, condition: null, included: ["v1"] } },
      13,
    );
    await waitFor(() => changes.length === 3);
    expect(changes).toEqual([
      { flagKeys: ["banner"], version: 11 },
      { flagKeys: ["checkout"], version: 12 },
      { flagKeys: ["banner"], version: 13 },
    ]);
    expect(c.evaluate("checkout", "v1").errorCode).toBe("FLAG_NOT_FOUND");
    expect(c.evaluate("banner", FR).reason).toBe("DISABLED");
  });

  it("reconnects with Last-Event-ID after a dropped connection and resumes with patches", async () => {
    const p = await peer(20);
    const c = client(p.url);
    await c.ready();
    p.send(
      "patch",
      { kind: "flag", key: "banner", version: 21, flag: targetedFlag({ enabled: false }), segments: {} },
      21,
    );
    p.write(": heartbeat\n\n");
    await waitFor(() => c.stats().payloadVersion === 21);
    // On reconnect the server sends only what happened after the client's last id.
    p.handlers.stream = (request, openStream) => {
      if (request.headers["last-event-id"] !== "21") return undefined;
      openStream();
      setTimeout(
        () =>
          p.send(
            "patch",
            { kind: "flag", key: "banner", version: 22, flag: targetedFlag(), segments: {} },
            22,
          ),
        5,
      );
      return "stream";
    };
    p.dropStreams();
    await waitFor(() => c.stats().payloadVersion === 22, 5000, "resumed patch");
    const streams = p.requestsTo("/sdk/v1/stream");
    expect(streams).toHaveLength(2);
    expect(streams[1]!.headers["last-event-id"]).toBe("21");
    expect(c.evaluate("banner", FR).variationKey).toBe("on");
  });

  it("resumes from the last complete version when a drop cuts a version's events", async () => {
    const p = await peer(1);
    const c = client(p.url);
    await c.ready();
    const segment = {
      id: 7,
      condition: { attribute: "country", operator: "equals" as const, values: ["DE"] },
    };
    const flagPatch = {
      kind: "flag",
      key: "banner",
      version: 2,
      flag: targetedFlag({ version: 2 }),
      segments: { "7": segment },
    };
    // Version 2 is a segment patch then a flag patch; the connection drops between them.
    p.send("patch", { kind: "segment", key: "7", version: 2, segment }, 2);
    await waitFor(() => c.stats().payloadVersion === 2);
    p.handlers.stream = (request, openStream) => {
      if (request.headers["last-event-id"] !== "1") return undefined;
      openStream();
      setTimeout(() => {
        p.send("patch", { kind: "segment", key: "7", version: 2, segment }, 2);
        p.send("patch", flagPatch, 2);
        p.write(": heartbeat\n\n");
      }, 5);
      return "stream";
    };
    p.dropStreams();
    await waitFor(() => c.getPayload()!.flags.banner!.version === 2, 5000, "the rest of version 2");
    expect(p.requestsTo("/sdk/v1/stream")[1]!.headers["last-event-id"]).toBe("1");
    expect(c.evaluate("banner", { code: "v", attributes: { country: "DE" } }).variationKey).toBe("on");
    // After the heartbeat, version 2 is complete: the next resume starts there.
    p.handlers.stream = () => undefined;
    await waitFor(() => p.streams.size === 1);
    await delay(20);
    p.dropStreams();
    await waitFor(() => p.requestsTo("/sdk/v1/stream").length === 3);
    expect(p.requestsTo("/sdk/v1/stream")[2]!.headers["last-event-id"]).toBe("2");
  });

  it("reconnects when the stream goes silent (no heartbeat)", async () => {
    const p = await peer(1);
    // Long enough for a cold first connection to read its put (run alone, 100 ms was not), short enough
    // for the test: the reconnect must come from the silence, resuming after the put's id.
    const c = client(p.url, { streamReadTimeoutMs: 1000 });
    await c.ready();
    await waitFor(() => p.requestsTo("/sdk/v1/stream").length >= 2, 5000, "reconnect after silence");
    expect(p.requestsTo("/sdk/v1/stream")[1]!.headers["last-event-id"]).toBe("1");
  });

  it("an unreadable event makes the client reconnect for a fresh put, keeping its payload", async () => {
    const p = await peer(5);
    const c = client(p.url);
    const errors: VexilError[] = [];
    c.on("error", (e) => errors.push(e));
    await c.ready();
    p.write("event: patch\nid: 6\ndata: {broken\n\n");
    await waitFor(() => p.requestsTo("/sdk/v1/stream").length >= 2);
    expect(p.requestsTo("/sdk/v1/stream")[1]!.headers["last-event-id"]).toBeUndefined();
    expect(errors.map((e) => e.code)).toEqual(["INVALID_PAYLOAD"]);
    expect(c.evaluate("banner", FR).variationKey).toBe("on");
  });

  it("polls config while the stream is down, stops when it is back", async () => {
    const p = await peer(30);
    const c = client(p.url, { pollIntervalMs: 30 });
    await c.ready();
    let streamDown = true;
    p.handlers.stream = () => (streamDown ? { status: 503 } : undefined);
    p.dropStreams();
    await waitFor(() => c.stats().polling, 2000, "polling");
    p.payload = {
      ...samplePayload(31),
      flags: { ...samplePayload(31).flags, banner: targetedFlag({ enabled: false }) },
    };
    await waitFor(() => c.stats().payloadVersion === 31, 3000, "polled change");
    expect(c.evaluate("banner", FR).reason).toBe("DISABLED");
    expect(p.requestsTo("/sdk/v1/config").at(-1)!.headers["if-none-match"]).toBe('"30"');
    streamDown = false;
    await waitFor(() => c.stats().stream === "open" && !c.stats().polling, 3000, "stream back");
    // A poll already in flight when the stream came back may still land; after that, none may follow.
    await delay(60);
    const polls = p.requestsTo("/sdk/v1/config").length;
    await delay(120);
    expect(p.requestsTo("/sdk/v1/config").length).toBe(polls);
  });

  it("keeps serving the last good payload while the server is away", async () => {
    const p = await peer(40);
    const c = client(p.url, { pollIntervalMs: 20 });
    await c.ready();
    const before = c.evaluate("banner", FR);
    p.handlers.stream = () => "destroy";
    p.handlers.config = () => ({ status: 500 });
    p.handlers.events = () => ({ status: 503 });
    p.dropStreams();
    await waitFor(
      () => p.requestsTo("/sdk/v1/config").length >= 3 && p.requestsTo("/sdk/v1/stream").length >= 3,
    );
    expect(c.isReady).toBe(true);
    expect(c.evaluate("banner", FR)).toEqual(before);
    expect(c.stats().payloadVersion).toBe(40);
    // And with nothing listening at all.
    await p.close();
    open.peers.splice(open.peers.indexOf(p), 1);
    await delay(100);
    expect(c.evaluate("banner", FR)).toEqual(before);
  });

  // Ordering, not wall-clock bounds: the config poll (every 20 ms) is the yardstick. The delay formula
  // itself (full jitter, capped) is checked with an injected random source in backoff.test.ts.
  it("reconnects after a failed stream, again and again", async () => {
    const p = await peer();
    p.handlers.stream = () => ({ status: 503 });
    const c = client(p.url, { backoff: { baseMs: 1, maxMs: 1 }, pollIntervalMs: 20 });
    await c.ready(); // from the config endpoint
    await waitFor(() => p.requestsTo("/sdk/v1/stream").length >= 3, 5000, "three stream attempts");
  });

  it("waits out its backoff before reconnecting: config polls go on meanwhile, the stream is not retried", async () => {
    const p = await peer();
    p.handlers.stream = () => ({ status: 503 });
    // The first retry is drawn uniformly in [0, 1,000 s): the chance it falls within the five polls below
    // (~100 ms) is 1 in 10,000. A client retrying without backoff would reconnect at once.
    const c = client(p.url, { backoff: { baseMs: 1_000_000, maxMs: 1_000_000 }, pollIntervalMs: 20 });
    await c.ready();
    const polls = p.requestsTo("/sdk/v1/config").length;
    await waitFor(() => p.requestsTo("/sdk/v1/config").length >= polls + 5, 5000, "five more polls");
    expect(p.requestsTo("/sdk/v1/stream")).toHaveLength(1);
  });

  it("honours Retry-After on the stream over its own (immediate) backoff", async () => {
    const p = await peer();
    p.handlers.stream = () => ({ status: 503, headers: { "Retry-After": "3600" } });
    const c = client(p.url, { backoff: { baseMs: 1, maxMs: 1 }, pollIntervalMs: 20 });
    await c.ready();
    const polls = p.requestsTo("/sdk/v1/config").length;
    await waitFor(() => p.requestsTo("/sdk/v1/config").length >= polls + 5, 5000, "five more polls");
    // With a 1 ms backoff and no Retry-After, the previous test's twin reconnects three times meanwhile.
    expect(p.requestsTo("/sdk/v1/stream")).toHaveLength(1);
  });

  it("close() stops the stream and polling", async () => {
    const p = await peer();
    const c = client(p.url, { pollIntervalMs: 20 });
    await c.ready();
    await c.close();
    await waitFor(() => p.streams.size === 0, 2000, "stream closed");
    const seen = p.requests.length;
    await delay(100);
    expect(p.requests.length).toBe(seen);
    expect(c.evaluate("banner", FR).variationKey).toBe("on"); // still answers from the last payload
  });

  it("close() before ready rejects ready()", async () => {
    const p = await peer();
    p.handlers.stream = () => "hang";
    const c = client(p.url);
    const ready = c.ready();
    await c.close();
    await expect(ready).rejects.toMatchObject({ code: "CLOSED" });
  });
});
