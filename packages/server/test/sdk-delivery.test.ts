// SDK delivery over real HTTP with a scripted payload source: keys, ETag, the SSE protocol (put, patch,
// delete, heartbeat, Last-Event-ID), fan-out from the ChangeBus and the evaluations endpoint. The same paths
// with payloads compiled from flags created through the API are in sdk-delivery-flags.test.ts.

import type { CompiledFlag, EvaluationPayload, Segment } from "@vexil/engine";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { lastEvaluatedAt } from "../src/sdk-delivery/evaluations.store.js";
import { startTestServer, type TestServer } from "./harness.js";
import { openSseStream } from "./sse-client.js";

// One heartbeat every 150 ms instead of 15 s (read when the server starts).
process.env.VEXIL_SSE_HEARTBEAT_MS = "150";

interface Keys {
  server: string;
  client: string;
}

let server: TestServer;
const keys: Record<string, Keys> = {};

/** A scripted configuration: what the payload source answers, changed by the tests. */
const store = {
  version: 1,
  flags: {} as Record<string, Record<string, CompiledFlag>>,
  segments: {} as Record<string, Segment>,
  loads: 0,
};

function flag(key: string, id: number, options: Partial<CompiledFlag> = {}): CompiledFlag {
  return {
    id,
    key,
    version: 1,
    enabled: true,
    defaultVariationKey: "off",
    variations: [
      { key: "off", variables: [] },
      { key: "on", variables: [] },
    ],
    variables: [],
    rules: [],
    ...options,
  };
}

/** An edit of a flag: a new version and a different content. */
function edit(flag: CompiledFlag) {
  flag.version++;
  flag.enabled = !flag.enabled;
}

/** A change of the flag version alone (e.g. an edit of another environment): nothing to send. */
function versionOnly(flag: CompiledFlag) {
  flag.version++;
}

/** Applies a change to the scripted store and announces it the way the flags service does. */
function change(
  apply: () => void,
  announce: { kind: "flag" | "segment"; key: string; environmentKeys?: string[]; deleted?: boolean },
) {
  apply();
  store.version++;
  server.context.changes.publish({ projectKey: "shop", version: store.version, ...announce });
}

const openStream = (key: string, lastEventId?: number | string) =>
  openSseStream(server.baseUrl, key, { lastEventId });

async function waitFor(condition: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  server = await startTestServer({ listen: true });
  expect((await server.request("POST", "/projects", { body: { key: "shop", name: "Shop" } })).status).toBe(
    201,
  );
  const project = await server.request("GET", "/projects/shop");
  for (const environment of project.body.environments) {
    keys[environment.key] = { server: environment.serverSdkKey, client: environment.clientSdkKey };
  }
  server.app.sdkDelivery.usePayloadSource(async (projectKey, environmentKey): Promise<EvaluationPayload> => {
    store.loads++;
    if (projectKey !== "shop") throw new Error(`unexpected project ${projectKey}`);
    return {
      version: store.version,
      projectKey,
      environmentKey,
      flags: structuredClone(store.flags[environmentKey] ?? {}),
      segments: structuredClone(store.segments),
    };
  });
});
afterAll(async () => server?.close());

beforeEach(() => {
  // Each test starts from a fresh configuration under a newer version, as if edited meanwhile.
  change(
    () => {
      store.flags = {
        production: {
          checkout: flag("checkout", 1, {
            rules: [
              {
                id: 10,
                type: "TARGETED_DELIVERY",
                exposition: 100,
                state: "ACTIVE",
                segmentId: 7,
                variationKey: "on",
              },
            ],
          }),
          banner: flag("banner", 2),
        },
        staging: { checkout: flag("checkout", 1) },
      };
      store.segments = {
        "7": { id: 7, condition: { operator: "inSegment", attribute: "", values: [8] } },
        "8": { id: 8, condition: { attribute: "country", operator: "equals", values: ["FR"] } },
        "9": { id: 9, condition: null, included: ["v1"] },
      };
    },
    { kind: "flag", key: "*" },
  );
});

describe("SDK keys", () => {
  it("answers 401 without a key or with an unknown one, 403 for the client-side key", async () => {
    for (const path of ["/sdk/v1/config", "/sdk/v1/stream"]) {
      const none = await server.request("GET", path, { token: null });
      expect(none.status).toBe(401);
      const unknown = await server.request("GET", path, {
        token: "sdk-00000000-0000-0000-0000-000000000000",
      });
      expect(unknown.status).toBe(401);
      const client = await server.request("GET", path, { token: keys.production!.client });
      expect(client.status).toBe(403);
      expect(client.body.message).toMatch(/server-side SDK key/);
    }
  });

  it("accepts the server-side key bare or with Bearer", async () => {
    const bare = await server.request("GET", "/sdk/v1/config", {
      token: null,
      headers: { authorization: keys.production!.server },
    });
    expect(bare.status).toBe(200);
    const bearer = await server.request("GET", "/sdk/v1/config", { token: keys.production!.server });
    expect(bearer.status).toBe(200);
  });
});

describe("GET /sdk/v1/config", () => {
  it("answers the environment's payload with ETag and 304 on If-None-Match", async () => {
    const first = await server.request("GET", "/sdk/v1/config", { token: keys.production!.server });
    expect(first.status).toBe(200);
    expect(first.headers["content-type"]).toMatch(/application\/json/);
    expect(first.body).toMatchObject({
      version: store.version,
      projectKey: "shop",
      environmentKey: "production",
    });
    expect(Object.keys(first.body.flags).sort()).toEqual(["banner", "checkout"]);
    expect(first.headers.etag).toBe(`"${store.version}"`);

    const again = await server.request("GET", "/sdk/v1/config", {
      token: keys.production!.server,
      headers: { "if-none-match": first.headers.etag as string },
    });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");

    const staging = await server.request("GET", "/sdk/v1/config", { token: keys.staging!.server });
    expect(Object.keys(staging.body.flags)).toEqual(["checkout"]);
  });

  it("serves from cache and reloads only on a change", async () => {
    await server.request("GET", "/sdk/v1/config", { token: keys.production!.server });
    await waitFor(() => server.app.sdkDelivery.feedVersion("shop", "production") === store.version);
    const loads = store.loads;
    for (let i = 0; i < 5; i++)
      await server.request("GET", "/sdk/v1/config", { token: keys.production!.server });
    expect(store.loads).toBe(loads);

    const before = (await server.request("GET", "/sdk/v1/config", { token: keys.production!.server })).headers
      .etag;
    change(() => edit(store.flags.production!.banner!), {
      kind: "flag",
      key: "banner",
      environmentKeys: ["production"],
    });
    await waitFor(() => server.app.sdkDelivery.feedVersion("shop", "production") === store.version);
    const after = await server.request("GET", "/sdk/v1/config", {
      token: keys.production!.server,
      headers: { "if-none-match": before as string },
    });
    expect(after.status).toBe(200);
    expect(after.headers.etag).toBe(`"${store.version}"`);
    expect(after.body.flags.banner.version).toBe(2);
  });
});

describe("GET /sdk/v1/stream", () => {
  it("sends a put on connect, with the payload version as event id", async () => {
    const stream = await openStream(keys.production!.server);
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
      const put = await stream.next();
      expect(put.event).toBe("put");
      expect(put.id).toBe(String(store.version));
      const payload = JSON.parse(put.data) as EvaluationPayload;
      expect(payload).toMatchObject({
        version: store.version,
        projectKey: "shop",
        environmentKey: "production",
      });
      expect(Object.keys(payload.segments).sort()).toEqual(["7", "8", "9"]);
    } finally {
      stream.close();
    }
  });

  it("sends a flag patch with the segments it uses, a segment patch and tombstones", async () => {
    const stream = await openStream(keys.production!.server);
    try {
      await stream.next((m) => m.type === "event" && m.event === "put");

      change(
        () => {
          const checkout = store.flags.production!.checkout!;
          checkout.version++;
          checkout.enabled = false;
        },
        { kind: "flag", key: "checkout", environmentKeys: ["production"] },
      );
      const patch = await stream.next();
      expect(patch).toMatchObject({ event: "patch", id: String(store.version) });
      const data = JSON.parse(patch.data);
      expect(data).toMatchObject({ kind: "flag", key: "checkout", version: store.version });
      expect(data.flag).toMatchObject({ key: "checkout", enabled: false, version: 2 });
      // Segment 7 through the rule, 8 through 7's inSegment condition; 9 is not used.
      expect(Object.keys(data.segments).sort()).toEqual(["7", "8"]);

      change(() => (store.segments["8"]!.excluded = ["v2"]), { kind: "segment", key: "8" });
      const segmentPatch = await stream.next();
      expect(segmentPatch.event).toBe("patch");
      expect(JSON.parse(segmentPatch.data)).toEqual({
        kind: "segment",
        key: "8",
        version: store.version,
        segment: store.segments["8"],
      });

      change(() => delete store.flags.production!.banner, {
        kind: "flag",
        key: "banner",
        environmentKeys: ["production"],
        deleted: true,
      });
      const tombstone = await stream.next();
      expect(tombstone).toMatchObject({ event: "delete", id: String(store.version) });
      expect(JSON.parse(tombstone.data)).toEqual({ kind: "flag", key: "banner", version: store.version });

      change(() => delete store.segments["9"], { kind: "segment", key: "9", deleted: true });
      const segmentTombstone = await stream.next();
      expect(segmentTombstone.event).toBe("delete");
      expect(JSON.parse(segmentTombstone.data)).toEqual({
        kind: "segment",
        key: "9",
        version: store.version,
      });
    } finally {
      stream.close();
    }
  });

  it("sends a change only to the streams of the environments it touched", async () => {
    const production = await openStream(keys.production!.server);
    const staging = await openStream(keys.staging!.server);
    try {
      await production.next();
      await staging.next();
      change(() => edit(store.flags.staging!.checkout!), {
        kind: "flag",
        key: "checkout",
        environmentKeys: ["staging"],
      });
      const patch = await staging.next();
      expect(JSON.parse(patch.data)).toMatchObject({ kind: "flag", key: "checkout" });
      expect(await production.drain(200)).toEqual([]);
    } finally {
      production.close();
      staging.close();
    }
  });

  it("sends nothing when only a flag's version changed, yet serves the new payload version", async () => {
    const stream = await openStream(keys.production!.server);
    try {
      await stream.next();
      change(() => versionOnly(store.flags.production!.banner!), { kind: "flag", key: "banner" });
      await waitFor(() => server.app.sdkDelivery.feedVersion("shop", "production") === store.version);
      expect(await stream.drain(200)).toEqual([]);
      const config = await server.request("GET", "/sdk/v1/config", { token: keys.production!.server });
      expect(config.headers.etag).toBe(`"${store.version}"`);
    } finally {
      stream.close();
    }
  });

  it("sends the same change to every stream of the environment", async () => {
    const streams = await Promise.all([1, 2, 3, 4, 5].map(() => openStream(keys.production!.server)));
    try {
      for (const stream of streams) await stream.next();
      change(() => edit(store.flags.production!.banner!), { kind: "flag", key: "banner" });
      const patches = await Promise.all(streams.map((stream) => stream.next()));
      expect(new Set(patches.map((p) => p.data)).size).toBe(1);
      expect(patches[0]!.id).toBe(String(store.version));
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it("resumes from Last-Event-ID with only the changes missed", async () => {
    const first = await openStream(keys.production!.server);
    const put = await first.next();
    first.close();
    const seen = Number(put.id);

    change(() => edit(store.flags.production!.banner!), { kind: "flag", key: "banner" });
    change(() => delete store.flags.production!.checkout, { kind: "flag", key: "checkout", deleted: true });
    await waitFor(() => server.app.sdkDelivery.feedVersion("shop", "production") === store.version);

    const resumed = await openStream(keys.production!.server, seen);
    try {
      const events = [await resumed.next(), await resumed.next()];
      expect(events.map((e) => [e.event, Number(e.id)])).toEqual([
        ["patch", seen + 1],
        ["delete", seen + 2],
      ]);
      expect(JSON.parse(events[0]!.data)).toMatchObject({ kind: "flag", key: "banner" });
      expect(JSON.parse(events[1]!.data)).toEqual({ kind: "flag", key: "checkout", version: seen + 2 });
      expect(await resumed.drain(200)).toEqual([]);
    } finally {
      resumed.close();
    }

    // Up to date: nothing but heartbeats.
    const current = await openStream(keys.production!.server, store.version);
    try {
      expect(await current.nextComment()).toEqual({ type: "comment", text: "heartbeat" });
      expect(await current.drain(100)).toEqual([]);
    } finally {
      current.close();
    }
  });

  it("sends a put when Last-Event-ID is older than the history, ahead of storage or not a version", async () => {
    await server.request("GET", "/sdk/v1/config", { token: keys.production!.server });
    for (const lastEventId of [0, store.version + 1000, "garbage"]) {
      const stream = await openStream(keys.production!.server, lastEventId);
      try {
        const first = await stream.next();
        expect(first.event).toBe("put");
        expect(first.id).toBe(String(store.version));
      } finally {
        stream.close();
      }
    }
  });

  it("reads storage before answering a client that is ahead of this process", async () => {
    const stream = await openStream(keys.production!.server);
    await stream.next();
    stream.close();
    // Changed in storage without an announcement (another process whose notification is still in flight).
    edit(store.flags.production!.banner!);
    store.version++;
    const ahead = await openStream(keys.production!.server, store.version);
    try {
      expect(server.app.sdkDelivery.feedVersion("shop", "production")).toBe(store.version);
      expect(await ahead.drain(200)).toEqual([]);
    } finally {
      ahead.close();
    }
  });

  it("sends a heartbeat comment on the shared interval", async () => {
    const stream = await openStream(keys.production!.server);
    try {
      await stream.next();
      expect(await stream.nextComment(2000)).toEqual({ type: "comment", text: "heartbeat" });
      expect(await stream.nextComment(2000)).toEqual({ type: "comment", text: "heartbeat" });
    } finally {
      stream.close();
    }
  });

  it("forgets a stream once its client goes away", async () => {
    await waitFor(() => server.app.sdkDelivery.streams === 0);
    const streams = await Promise.all([1, 2, 3].map(() => openStream(keys.production!.server)));
    for (const stream of streams) await stream.next();
    expect(server.app.sdkDelivery.streams).toBe(3);
    for (const stream of streams) stream.close();
    await waitFor(() => server.app.sdkDelivery.streams === 0);
  });

  it("reloads every cached environment when the bus asks for a resync", async () => {
    const stream = await openStream(keys.production!.server);
    try {
      await stream.next();
      // Changed without an announcement, then a resync (the PostgreSQL listener reconnected).
      edit(store.flags.production!.banner!);
      store.version++;
      server.context.changes.publishResync();
      const patch = await stream.next();
      expect(JSON.parse(patch.data)).toMatchObject({ kind: "flag", key: "banner", version: store.version });
    } finally {
      stream.close();
    }
  });
});

describe("POST /sdk/v1/evaluations", () => {
  it("stores the last evaluation time and a running count per flag and environment, with either key", async () => {
    const to = Date.now() - 1000;
    const first = await server.request("POST", "/sdk/v1/evaluations", {
      token: keys.production!.server,
      body: {
        counts: [
          { featureKey: "checkout", variationKey: "on", count: 3 },
          { featureKey: "checkout", variationKey: "off", count: 2 },
          { featureKey: "unknown-flag", variationKey: "on", count: 9 },
        ],
        from: to - 60_000,
        to,
      },
    });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ accepted: 1, ignored: 1 });
    const second = await server.request("POST", "/sdk/v1/evaluations", {
      token: keys.staging!.client,
      body: { counts: [{ featureKey: "checkout", variationKey: "off", count: 4 }] },
    });
    expect(second.status).toBe(202);

    const stats = await lastEvaluatedAt(server.context, "shop");
    expect([...stats.keys()]).toEqual(["checkout"]);
    const checkout = stats.get("checkout")!;
    expect(checkout.environments.production).toEqual({
      lastEvaluatedAt: new Date(to).toISOString(),
      count: 5,
    });
    expect(checkout.environments.staging!.count).toBe(4);
    expect(checkout.count).toBe(9);
    expect(checkout.lastEvaluatedAt >= new Date(to).toISOString()).toBe(true);

    // An older report adds to the count and never moves the time back.
    await server.request("POST", "/sdk/v1/evaluations", {
      token: keys.production!.server,
      body: { counts: [{ featureKey: "checkout", variationKey: "on", count: 1 }], to: to - 10_000 },
    });
    const later = (await lastEvaluatedAt(server.context, "shop", { featureKeys: ["checkout"] })).get(
      "checkout",
    )!;
    expect(later.environments.production).toEqual({ lastEvaluatedAt: new Date(to).toISOString(), count: 6 });
  });

  it("refuses a bad body with 400 and a missing key with 401", async () => {
    const bad = await server.request("POST", "/sdk/v1/evaluations", {
      token: keys.production!.server,
      body: { counts: [{ featureKey: "checkout", count: -1 }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/count/);
    const reversed = await server.request("POST", "/sdk/v1/evaluations", {
      token: keys.production!.server,
      body: { counts: [], from: 10, to: 5 },
    });
    expect(reversed.status).toBe(400);
    const anonymous = await server.request("POST", "/sdk/v1/evaluations", {
      token: null,
      body: { counts: [] },
    });
    expect(anonymous.status).toBe(401);
  });
});
