// Exposures, conversions and evaluation counts against the local stand-in server: batching, retries,
// idempotent payload ids, Retry-After, bounded queue, deduplication and visits.

import { afterEach, describe, expect, it } from "vitest";
import { AttributeTexts, attributesJson } from "../src/attribute-texts.js";
import type { EventAttributes, VexilEvent } from "../src/events.js";
import { createClient, type VexilClient, type VexilClientOptions } from "../src/index.js";
import { silentLogger } from "../src/logger.js";
import { VISIT_TIMEOUT_MS } from "../src/visits.js";
import { experimentFlag, samplePayload } from "./fixtures.js";
import { delay, eventsIn, type Peer, SDK_KEY, startPeer, unreachableUrl, waitFor } from "./peer-server.js";

const open: { clients: VexilClient[]; peers: Peer[] } = { clients: [], peers: [] };

afterEach(async () => {
  await Promise.all(open.clients.splice(0).map((c) => c.close()));
  await Promise.all(open.peers.splice(0).map((p) => p.close()));
});

async function peer(): Promise<Peer> {
  const p = await startPeer(samplePayload(1));
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
    bootstrap: samplePayload(1),
    streaming: false,
    pollIntervalMs: 60_000,
    ...options,
  });
  open.clients.push(c);
  return c;
}

const batches = (p: Peer) => p.requestsTo("/events/v1/bulk");
const eventsOf = (p: Peer): VexilEvent[] => batches(p).flatMap((r) => eventsIn(r.body));

describe("exposures", () => {
  it("queues one exposure per visitor x rule x variation per visit, with visit ids and attributes", async () => {
    const p = await peer();
    let now = 1_700_000_000_000;
    const c = client(p.url, { now: () => now });
    const alice = {
      code: "alice",
      attributes: { country: "FR", browser: "Firefox", plan: "pro", url: "https://x/?email=a", tags: ["x"] },
    };
    const first = c.evaluate("checkout", alice);
    expect(first).toMatchObject({ reason: "SPLIT", inExperiment: true, ruleId: 11, experimentId: 501 });
    for (let i = 0; i < 5; i++) c.evaluate("checkout", alice);
    c.evaluate("checkout", "bob");
    c.evaluate("banner", alice); // targeted delivery: no exposure
    await c.flush();
    let events = eventsOf(p);
    expect(events).toHaveLength(2);
    expect(events[0]).toEqual({
      kind: "exposure",
      visitorCode: "alice",
      visitId: expect.any(String),
      featureKey: "checkout",
      ruleId: 11,
      experimentId: 501,
      variationKey: first.variationKey,
      time: now,
      attributes: { browser: "Firefox", country: "FR", custom: { plan: "pro" } },
    });
    expect(events[1]).toMatchObject({ visitorCode: "bob", featureKey: "checkout" });
    expect(events[1]).not.toHaveProperty("attributes");
    expect(c.stats().dedupedExposures).toBe(5);

    // A conversion in the same visit shares the visit id and extends it.
    now += 20 * 60_000;
    c.track("alice", "purchase", 42.5, { country: "FR" });
    now += 20 * 60_000; // 40 min after the exposure, 20 after the conversion: same visit, still deduplicated
    c.evaluate("checkout", alice);
    await c.flush();
    events = eventsOf(p);
    expect(events).toHaveLength(3);
    expect(events[2]).toEqual({
      kind: "conversion",
      visitorCode: "alice",
      visitId: events[0]!.visitId,
      goal: "purchase",
      value: 42.5,
      time: now - 20 * 60_000,
      attributes: { country: "FR" },
    });

    // After 30 minutes without events: a new visit, and the exposure is sent again for it.
    now += VISIT_TIMEOUT_MS;
    c.evaluate("checkout", alice);
    c.track("alice", 7);
    await c.flush();
    events = eventsOf(p);
    expect(events).toHaveLength(5);
    expect(events[3]).toMatchObject({ kind: "exposure", visitorCode: "alice" });
    expect(events[3]!.visitId).not.toBe(events[0]!.visitId);
    expect(events[4]).toMatchObject({ kind: "conversion", goal: 7, visitId: events[3]!.visitId });
    expect(events[4]).not.toHaveProperty("value");
  });

  it("keeps deduplicating across configuration updates that leave the flag x rule x variation as it was", async () => {
    const p = await peer();
    const c = client(p.url, { streaming: true });
    await waitFor(() => c.stats().stream === "open", 5000, "the stream");
    const first = c.evaluate("checkout", "alice");
    p.send(
      "patch",
      { kind: "flag", key: "checkout", version: 2, flag: experimentFlag({ version: 2 }), segments: {} },
      2,
    );
    await waitFor(() => c.stats().payloadVersion === 2, 5000, "the update");
    expect(c.evaluate("checkout", "alice").variationKey).toBe(first.variationKey);
    expect(c.stats().dedupedExposures).toBe(1);
    // The same rule now answers another variation key for everyone: a new exposure.
    const renamed = experimentFlag({ version: 3 });
    renamed.variations = renamed.variations.map((v) => ({ ...v, key: `${v.key}-2` }));
    renamed.defaultVariationKey = `${renamed.defaultVariationKey}-2`;
    for (const rule of renamed.rules)
      for (const t of rule.trafficAllocations ?? []) t.variationKey = `${t.variationKey}-2`;
    p.send("patch", { kind: "flag", key: "checkout", version: 3, flag: renamed, segments: {} }, 3);
    await waitFor(() => c.stats().payloadVersion === 3, 5000, "the second update");
    expect(c.evaluate("checkout", "alice").variationKey).toBe(`${first.variationKey}-2`);
    await c.flush();
    expect(eventsOf(p).map((e) => (e as { variationKey: string }).variationKey)).toEqual([
      first.variationKey,
      `${first.variationKey}-2`,
    ]);
  });

  it("bounds the deduplication memory (LRU of visitors): a forgotten visitor is sent again", async () => {
    const p = await peer();
    const c = client(p.url, { visitCacheSize: 2 });
    for (const code of ["a", "b", "c", "a"]) c.evaluate("checkout", code);
    await c.flush();
    expect(eventsOf(p).map((e) => e.visitorCode)).toEqual(["a", "b", "c", "a"]);
  });

  it("records nothing in offline mode", async () => {
    const c = createClient({ sdkKey: "", offline: true, bootstrap: samplePayload(1), logger: silentLogger });
    expect(c.evaluate("checkout", "a").inExperiment).toBe(true);
    c.track("a", "goal");
    await c.flush();
    expect(c.stats()).toMatchObject({ queuedEvents: 0, sentEvents: 0, droppedEvents: 0, stream: "off" });
    await c.close();
  });

  it("ignores invalid conversions", async () => {
    const p = await peer();
    const c = client(p.url);
    c.track("", "goal");
    c.track("a", "");
    c.track("a", "goal", Number.NaN);
    c.track("a", Number.POSITIVE_INFINITY);
    await c.flush();
    expect(batches(p)).toHaveLength(0);
  });
});

describe("event queue", () => {
  it("batches by size at once and by time", async () => {
    const p = await peer();
    const c = client(p.url, { eventsBatchSize: 3, eventsFlushIntervalMs: 150 });
    for (let i = 0; i < 6; i++) c.track(`v${i}`, "g");
    await waitFor(() => batches(p).length === 2, 2000, "two full batches");
    // The first full batch leaves at once; the 3 queued while it was in flight make the next full batch.
    expect(batches(p).map((r) => eventsIn(r.body).length)).toEqual([3, 3]);
    c.track("v6", "g"); // less than a batch: the timer sends it
    await waitFor(() => c.stats().sentEvents === 7, 2000, "the timed flush");
    expect(eventsIn(batches(p)[2]!.body).length).toBe(1);
    const ids = batches(p).map((r) => r.headers["x-vexil-payload-id"]);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const r = batches(p)[0]!;
    expect(r.headers["content-type"]).toBe("application/json");
    expect(r.headers.authorization).toBe(SDK_KEY);
    expect(c.stats()).toMatchObject({ sentEvents: 7, queuedEvents: 0, droppedEvents: 0 });
  });

  it("sends a backlog in requests as big as the server accepts (10,000 events, 1.5 M characters)", async () => {
    const p = await peer();
    const c = client(p.url, { eventsBatchSize: 2, maxQueueSize: 30_000 });
    // All queued while the first request (2 events) is in flight: more than a batch waits afterwards.
    for (let i = 0; i < 25_000; i++) c.track(`v${i}`, "g");
    await waitFor(() => c.stats().sentEvents === 25_000, 10_000, "the backlog");
    expect(batches(p).map((r) => eventsIn(r.body).length)).toEqual([2, 10_000, 10_000, 4998]);

    // Large events: the character bound splits the backlog (the server refuses bodies over 5 MB).
    const q = await peer();
    const d = client(q.url, { eventsBatchSize: 2 });
    const bulky = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, "x".repeat(250)]));
    for (let i = 0; i < 400; i++) d.track(`v${i}`, "g", undefined, bulky);
    await waitFor(() => d.stats().sentEvents === 400, 10_000, "the bulky backlog");
    const sizes = batches(q).map((r) => r.body.length);
    expect(sizes.length).toBeGreaterThan(3); // 400 x ~13.5 K characters = ~5.4 M: at least 4 requests
    for (const size of sizes) expect(size).toBeLessThanOrEqual(1_500_000 + 2); // the JSON array's brackets

    // A full batch (not a backlog) of large events is split by the same bound.
    const r = await peer();
    const e = client(r.url, { eventsBatchSize: 300 });
    for (let i = 0; i < 300; i++) e.track(`v${i}`, "g", undefined, bulky);
    await waitFor(() => batches(r).length === 1, 10_000, "the bulky batch's first request");
    await e.flush(); // what is left is less than a batch: the timer would send it, flush() does now
    expect(batches(r).length).toBeGreaterThan(2); // 300 x ~13.5 K characters = ~4 M
    for (const request of batches(r)) expect(request.body.length).toBeLessThanOrEqual(1_500_000 + 2);
    expect(c.stats().droppedEvents + d.stats().droppedEvents + e.stats().droppedEvents).toBe(0);
  });

  it("retries network errors and 5xx with the same payload id, then succeeds", async () => {
    const p = await peer();
    let failures = 0;
    p.handlers.events = () => {
      failures++;
      if (failures === 1) return "destroy";
      if (failures <= 3) return { status: 503 };
      return undefined;
    };
    const c = client(p.url, { eventsBatchSize: 2 });
    c.track("a", "g");
    c.track("b", "g"); // a full batch: sent at once, retried by the queue itself
    await waitFor(() => c.stats().sentEvents === 2, 3000, "delivery");
    const ids = batches(p).map((r) => r.headers["x-vexil-payload-id"]);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(1);
    expect(new Set(batches(p).map((r) => r.body)).size).toBe(1);
    expect(c.stats()).toMatchObject({ queuedEvents: 0, droppedEvents: 0 });
  });

  it("honours Retry-After on 429", async () => {
    const p = await peer();
    let calls = 0;
    p.handlers.events = () => (++calls === 1 ? { status: 429, headers: { "Retry-After": "1" } } : undefined);
    const c = client(p.url, { eventsBatchSize: 1 });
    c.track("a", "g");
    await waitFor(() => batches(p).length === 1);
    await c.flush(); // an explicit flush does not jump the server's Retry-After
    expect(batches(p)).toHaveLength(1);
    await waitFor(() => c.stats().sentEvents === 1, 3000, "retry after 1 s");
    const [a, b] = batches(p);
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(950);
    expect(b!.headers["x-vexil-payload-id"]).toBe(a!.headers["x-vexil-payload-id"]);
  });

  it("drops a batch the server rejects with 400 (naming no event), without retrying, and goes on", async () => {
    const p = await peer();
    let calls = 0;
    p.handlers.events = () => (++calls === 1 ? { status: 400, body: '{"message":"bad"}' } : undefined);
    const c = client(p.url, { eventsBatchSize: 2 });
    c.track("a", "g");
    c.track("b", "g");
    c.track("c", "g");
    await c.flush();
    await delay(100);
    expect(batches(p)).toHaveLength(2);
    expect(c.stats()).toMatchObject({ droppedEvents: 2, sentEvents: 1, queuedEvents: 0 });
  });

  it("on a 400 naming invalid events, drops those only and sends the rest as a new batch", async () => {
    const p = await peer();
    p.handlers.events = (request) => {
      const events = eventsIn(request.body);
      const bad = events.flatMap((e, index) =>
        (e as { goal?: unknown }).goal === "unknown" ? [{ index, message: "no such goal" }] : [],
      );
      return bad.length > 0
        ? { status: 400, body: JSON.stringify({ message: "invalid", errors: bad }) }
        : undefined;
    };
    const c = client(p.url, { eventsBatchSize: 3 });
    c.track("a", "g");
    c.track("b", "unknown");
    c.track("c", "g");
    await waitFor(() => c.stats().sentEvents === 2, 2000, "the valid events");
    const [rejected, resent] = batches(p);
    expect(eventsIn(resent!.body).map((e) => e.visitorCode)).toEqual(["a", "c"]);
    expect(resent!.headers["x-vexil-payload-id"]).not.toBe(rejected!.headers["x-vexil-payload-id"]);
    expect(c.stats()).toMatchObject({ droppedEvents: 1, queuedEvents: 0 });
  });

  it("sends format 2: heads and attribute sets once per batch; a 400's indexes count exposures first", async () => {
    const p = await peer();
    p.handlers.events = (request) => {
      const bad = eventsIn(request.body).flatMap((e, index) =>
        e.visitorCode === "bad" ? [{ index, message: "refused" }] : [],
      );
      return bad.length > 0 ? { status: 400, body: JSON.stringify({ errors: bad }) } : undefined;
    };
    let now = 1_700_000_000_000;
    const c = client(p.url, { now: () => now });
    const fr = { country: "FR", plan: "pro" };
    c.track("bad", "g", 5, fr); // queued first, sent after the exposures: index 4
    for (const code of ["a", "b", "c", "d"]) {
      now += 10;
      c.evaluate("checkout", { code, attributes: { ...fr } });
    }
    c.track("e", "g", undefined, { country: "FR", plan: "pro" });
    await c.flush();
    const [rejected, resent] = batches(p);
    const body = JSON.parse(rejected!.body);
    expect(body).toMatchObject({
      format: 2,
      time: 1_700_000_000_010, // the first exposure's: times are offsets from it
      attributes: [{ country: "FR", custom: { plan: "pro" } }],
    });
    expect(body.exposures.visitor).toEqual(["a", "b", "c", "d"]);
    expect(body.exposures.time).toEqual([0, 10, 20, 30]);
    expect(body.exposures.attributes).toEqual([0, 0, 0, 0]);
    expect(body.exposures.heads.length).toBeLessThanOrEqual(3); // one per variation the 4 visitors got
    expect(body.conversions).toEqual({
      visit: expect.any(Array),
      visitor: ["bad", "e"],
      goal: ["g", "g"],
      value: [5, null],
      time: [-10, 30],
      attributes: [0, 0],
    });
    expect(eventsIn(resent!.body).map((e) => e.visitorCode)).toEqual(["a", "b", "c", "d", "e"]);
    expect(c.stats()).toMatchObject({ droppedEvents: 1, sentEvents: 5, queuedEvents: 0 });
  });

  it("stays bounded while the server is unreachable: the oldest events are dropped and counted", async () => {
    const url = await unreachableUrl();
    const c = client(url, {
      eventsBatchSize: 5,
      maxQueueSize: 10,
      backoff: { baseMs: 10_000, maxMs: 10_000 },
    });
    for (let i = 0; i < 1000; i++) c.track(`v${i}`, "g");
    await delay(50);
    const stats = c.stats();
    expect(stats.queuedEvents).toBeLessThanOrEqual(10);
    expect(stats.droppedEvents + stats.queuedEvents).toBe(1000);
    expect(stats.sentEvents).toBe(0);
  });

  it("delivers what is queued once an unreachable server comes back, newest kept", async () => {
    const p = await peer();
    p.handlers.events = () => ({ status: 503 });
    const c = client(p.url, { eventsBatchSize: 4, maxQueueSize: 8 });
    for (let i = 0; i < 20; i++) c.track(`v${i}`, "g");
    await waitFor(() => batches(p).length >= 2);
    const failedAttempts = batches(p).length;
    p.handlers.events = () => undefined;
    for (let i = 0; i < 5; i++) await c.flush();
    await waitFor(() => c.stats().queuedEvents === 0, 3000, "drain");
    const stats = c.stats();
    expect(stats.sentEvents + stats.droppedEvents).toBe(20);
    expect(stats.sentEvents).toBeLessThanOrEqual(12); // at most 8 queued + one batch of 4 in flight
    const delivered = new Set(
      batches(p)
        .slice(failedAttempts)
        .flatMap((r) => eventsIn(r.body).map((e) => e.visitorCode)),
    );
    expect(delivered.has("v19")).toBe(true); // the newest survive
  });

  it("close() flushes what is queued, then sends nothing more", async () => {
    const p = await peer();
    const c = client(p.url);
    c.track("a", "g");
    c.evaluate("checkout", "a");
    await c.close();
    expect(eventsOf(p)).toHaveLength(2);
    c.track("b", "g");
    await c.flush();
    expect(eventsOf(p)).toHaveLength(2);
    expect(c.stats().droppedEvents).toBe(0);
  });

  it("a 401 on events stops everything", async () => {
    const p = await peer();
    p.handlers.events = () => ({ status: 401 });
    const c = client(p.url, { eventsBatchSize: 1 });
    const errors: string[] = [];
    c.on("error", (e) => errors.push(e.code));
    c.track("a", "g");
    await waitFor(() => errors.length === 1);
    c.track("b", "g");
    await c.flush();
    await delay(50);
    expect(batches(p)).toHaveLength(1);
    expect(errors).toEqual(["UNAUTHORIZED"]);
    expect(c.stats().droppedEvents).toBe(2);
  });
});

describe("evaluation counts", () => {
  it("reports counts per flag and variation periodically, merging a failed report into the next", async () => {
    const p = await peer();
    let now = 1_000_000;
    let c: VexilClient | undefined;
    let calls = 0;
    // While the first report is answered (with a failure), time passes and another flag is evaluated:
    // done inside the handler so that no report interval can slip in between.
    p.handlers.evaluations = () => {
      if (++calls !== 1) return undefined;
      now += 5000;
      c?.isEnabled("legacy", "a");
      return { status: 503 };
    };
    c = client(p.url, { evaluationReportIntervalMs: 40, now: () => now });
    c.evaluate("banner", { code: "a", attributes: { country: "FR" } });
    c.evaluate("banner", { code: "b", attributes: { country: "DE" } });
    c.evaluate("banner", { code: "c", attributes: { country: "DE" } });
    c.evaluate("unknown-flag", "a"); // not a flag: not counted
    await waitFor(() => p.requestsTo("/sdk/v1/evaluations").length === 2);
    const body = JSON.parse(p.requestsTo("/sdk/v1/evaluations")[1]!.body);
    expect(body.from).toBe(1_000_000);
    expect(body.to).toBe(1_005_000);
    expect(body.counts).toEqual(
      expect.arrayContaining([
        { featureKey: "banner", variationKey: "on", count: 1 },
        { featureKey: "banner", variationKey: "off", count: 2 },
        { featureKey: "legacy", variationKey: "on", count: 1 },
      ]),
    );
    expect(body.counts).toHaveLength(3);
  });
});

// The attributes an event carries, as the server receives them.
function eventAttributes(attributes: Record<string, unknown> | undefined): EventAttributes | undefined {
  const json = attributesJson(attributes);
  return json === "" ? undefined : (JSON.parse(json) as EventAttributes);
}

describe("event attributes", () => {
  it("keeps built-ins of the right type and short primitive custom attributes, within the server's limits", () => {
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i]));
    const attributes = eventAttributes({
      browser: "Chrome",
      os: 12,
      country: "x".repeat(300),
      newVisitor: true,
      url: "https://example.com/?token=secret",
      long: "y".repeat(257),
      when: new Date(0),
      list: [1, 2],
      nan: Number.NaN,
      ...many,
    });
    expect(attributes).toMatchObject({ browser: "Chrome", newVisitor: true });
    expect(attributes).not.toHaveProperty("os");
    expect(attributes).not.toHaveProperty("country");
    expect(Object.keys(attributes!.custom!)).toHaveLength(50);
    expect(attributes!.custom).not.toHaveProperty("url");
    expect(attributes!.custom).not.toHaveProperty("long");
    expect(eventAttributes({ url: "u", tags: ["a"] })).toBeUndefined();
    expect(eventAttributes(undefined)).toBeUndefined();
  });

  it("writes valid JSON whatever the keys and strings hold (quotes, control characters); leaves out __proto__", () => {
    const tricky = {
      'a"b\\c': 'x"\n\u0000y',
      ["__proto__"]: "p",
      ünï: "çødé",
      country: 'F"R',
      n: -0,
      big: 1e21,
    };
    expect(eventAttributes(JSON.parse(JSON.stringify(tricky)))).toEqual({
      country: 'F"R',
      custom: { 'a"b\\c': 'x"\n\u0000y', ünï: "çødé", n: 0, big: 1e21 },
    });
  });
});

describe("attribute texts cached by value (the server client's exposures and conversions)", () => {
  // The reference is attributesJson() itself: the cache must never answer another text.
  const cases: (Record<string, unknown> | undefined)[] = [
    undefined,
    {},
    { url: "u" },
    { country: "FR", age: 34 },
    { age: 34, country: "FR" }, // another order: another (equivalent) text
    { country: "FR", age: "34" }, // a string is not the number
    { country: "FR", age: 34, plan: "pro" },
    { country: "FR" },
    { flag: true },
    { flag: "true" },
    { n: 0 },
    { n: -0 },
    { browser: 5, os: "Linux" }, // a built-in of the wrong type is left out, not sent as custom
    Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i])), // only the first 50 customs
    { ...Object.fromEntries(Array.from({ length: 55 }, (_, i) => [`k${i}`, i])), country: "DE" },
    { 'a"b': 'x"\ny', long: "y".repeat(257), when: new Date(0) },
  ];

  it("gives attributesJson()'s text for every case, the same string for equal attributes", () => {
    const texts = new AttributeTexts();
    for (let round = 0; round < 2; round++) {
      for (const attributes of cases) expect(texts.text(attributes)).toBe(attributesJson(attributes));
    }
    const a = texts.text({ country: "FR", age: 34 });
    expect(texts.text({ country: "FR", age: 34 })).toBe(a);
  });

  it("stays right past its capacity (high-cardinality values start it again)", () => {
    const texts = new AttributeTexts(10);
    for (let i = 0; i < 100; i++) {
      const attributes = { country: "FR", session: `s${i % 30}`, n: i % 7 };
      expect(texts.text(attributes)).toBe(attributesJson(attributes));
    }
  });
});
