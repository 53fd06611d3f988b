// SDK delivery over real HTTP, on flags and segments created and changed through the Kameleoon API: keys,
// ETag, the SSE protocol (put, patch, delete, heartbeat, Last-Event-ID), fan-out from the ChangeBus and
// the evaluations endpoint. Each test works in a project of its own (createShop), so none depends on
// another's changes.

import type { EvaluationPayload } from "@vexil/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configVersion } from "../src/projects/projects.store.js";
import { lastEvaluatedAt } from "../src/sdk-delivery/evaluations.store.js";
import { archiveUnannounced } from "./fixtures/unannounced-change.js";
import { startTestServer, type TestServer } from "./harness.js";
import { openSseStream } from "./sse-client.js";

// One heartbeat every 150 ms instead of 15 s (read when the server starts).
process.env.VEXIL_SSE_HEARTBEAT_MS = "150";

interface Keys {
  server: string;
  client: string;
}

/** One test's project: its SDK keys by environment and the ids of its segments. */
interface Shop {
  key: string;
  keys: Record<string, Keys>;
  /** country = FR. */
  france: number;
  /** inSegment [france]: what checkout's production rule targets. */
  french: number;
}

let server: TestServer;
let shops = 0;

async function ok(method: string, url: string, body?: unknown) {
  const response = await server.request(method, url, body === undefined ? {} : { body });
  if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${response.text}`);
  return response.body;
}

/**
 * A fresh project: segments France and French (inSegment France) and an unused one; flag `checkout` on in
 * production with one rule targeting French, on in staging without rules; flag `banner` on in production.
 */
async function createShop(): Promise<Shop> {
  const key = `shop-${++shops}`;
  await ok("POST", "/projects", { key, name: key });
  const keys: Record<string, Keys> = {};
  for (const environment of (await ok("GET", `/projects/${key}`)).environments) {
    keys[environment.key] = { server: environment.serverSdkKey, client: environment.clientSdkKey };
  }
  const france = (
    await ok("POST", "/segments", {
      siteCode: key,
      name: "France",
      condition: { attribute: "country", operator: "equals", values: ["FR"] },
    })
  ).id;
  const french = (
    await ok("POST", "/segments", {
      siteCode: key,
      name: "French",
      condition: { operator: "inSegment", values: [france] },
    })
  ).id;
  await ok("POST", "/segments", { siteCode: key, name: "Unused", included: ["v1"] });
  await ok("POST", "/feature-flags", {
    siteCode: key,
    featureKey: "checkout",
    name: "Checkout",
    environmentConfigurations: [
      {
        environmentKey: "production",
        featureEnabled: true,
        defaultVariationKey: "off",
        rolloutRules: [
          {
            type: "TARGETED_DELIVERY",
            exposition: 100,
            variationKey: "on",
            segmentId: french,
            state: "ACTIVE",
          },
        ],
      },
      { environmentKey: "staging", featureEnabled: true, defaultVariationKey: "off", rolloutRules: [] },
    ],
  });
  await ok("POST", "/feature-flags", {
    siteCode: key,
    featureKey: "banner",
    name: "Banner",
    environmentConfigurations: [
      { environmentKey: "production", featureEnabled: true, defaultVariationKey: "off", rolloutRules: [] },
    ],
  });
  return { key, keys, france, french };
}

/** The project's configuration version in storage (what payload versions and event ids are). */
async function storedVersion(shop: Shop): Promise<number> {
  return (await configVersion(server.context.db, shop.key))!;
}

const openStream = (key: string, lastEventId?: number | string) =>
  openSseStream(server.baseUrl, key, { lastEventId });

/** Turns a flag off or on in one environment through the API (one change, one new version). */
const toggle = (shop: Shop, flag: string, environment: string, featureEnabled: boolean) =>
  ok("PATCH", `/feature-flags/${shop.key}/${flag}/${environment}`, { featureEnabled });

async function waitFor(condition: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  server = await startTestServer({ listen: true });
});
afterAll(async () => server?.close());

describe("SDK keys", () => {
  it("answers 401 without a key or with an unknown one, 403 for the client-side key", async () => {
    const shop = await createShop();
    for (const path of ["/sdk/v1/config", "/sdk/v1/stream"]) {
      const none = await server.request("GET", path, { token: null });
      expect(none.status).toBe(401);
      const unknown = await server.request("GET", path, {
        token: "sdk-00000000-0000-0000-0000-000000000000",
      });
      expect(unknown.status).toBe(401);
      const client = await server.request("GET", path, { token: shop.keys.production!.client });
      expect(client.status).toBe(403);
      expect(client.body.message).toMatch(/server-side SDK key/);
    }
  });

  it("accepts the server-side key bare or with Bearer", async () => {
    const shop = await createShop();
    const bare = await server.request("GET", "/sdk/v1/config", {
      token: null,
      headers: { authorization: shop.keys.production!.server },
    });
    expect(bare.status).toBe(200);
    const bearer = await server.request("GET", "/sdk/v1/config", { token: shop.keys.production!.server });
    expect(bearer.status).toBe(200);
  });
});

describe("GET /sdk/v1/config", () => {
  it("answers the environment's payload with ETag and 304 on If-None-Match", async () => {
    const shop = await createShop();
    const first = await server.request("GET", "/sdk/v1/config", { token: shop.keys.production!.server });
    expect(first.status).toBe(200);
    expect(first.headers["content-type"]).toMatch(/application\/json/);
    const version = await storedVersion(shop);
    expect(first.body).toMatchObject({ version, projectKey: shop.key, environmentKey: "production" });
    expect(Object.keys(first.body.flags).sort()).toEqual(["banner", "checkout"]);
    expect(first.body.flags.checkout).toMatchObject({ enabled: true, rules: [{ segmentId: shop.french }] });
    expect(first.headers.etag).toBe(`"${version}"`);

    const again = await server.request("GET", "/sdk/v1/config", {
      token: shop.keys.production!.server,
      headers: { "if-none-match": first.headers.etag as string },
    });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");

    // Each environment has its own configuration: banner was never set up in staging (off there).
    const staging = await server.request("GET", "/sdk/v1/config", { token: shop.keys.staging!.server });
    expect(staging.body.flags.checkout).toMatchObject({ enabled: true, rules: [] });
    expect(staging.body.flags.banner).toMatchObject({ enabled: false });
  });

  it("serves from cache and reloads only on a change", async () => {
    const shop = await createShop();
    const key = shop.keys.production!.server;
    const before = (await server.request("GET", "/sdk/v1/config", { token: key })).headers.etag as string;
    const cached = server.app.sdkDelivery.ready(shop.key, "production");
    expect(cached).toBeDefined();
    let reloads = 0;
    const stop = server.app.sdkDelivery.onReload((feed) => {
      if (feed.projectKey === shop.key) reloads++;
    });
    try {
      for (let i = 0; i < 5; i++) await server.request("GET", "/sdk/v1/config", { token: key });
      // The same feed answered every request and nothing was read again.
      expect(server.app.sdkDelivery.ready(shop.key, "production")).toBe(cached);
      expect(reloads).toBe(0);

      await toggle(shop, "banner", "production", false);
      const after = await server.request("GET", "/sdk/v1/config", {
        token: key,
        headers: { "if-none-match": before },
      });
      expect(after.status).toBe(200);
      expect(after.headers.etag).toBe(`"${await storedVersion(shop)}"`);
      expect(after.body.flags.banner).toMatchObject({ enabled: false, version: 2 });
      expect(reloads).toBe(1);
    } finally {
      stop();
    }
  });
});

describe("GET /sdk/v1/stream", () => {
  it("sends a put on connect, with the payload version as event id", async () => {
    const shop = await createShop();
    const stream = await openStream(shop.keys.production!.server);
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
      const put = await stream.next();
      expect(put.event).toBe("put");
      const version = await storedVersion(shop);
      expect(put.id).toBe(String(version));
      const payload = JSON.parse(put.data) as EvaluationPayload;
      expect(payload).toMatchObject({ version, projectKey: shop.key, environmentKey: "production" });
      // The segments the rules use, directly or through inSegment; not the unused one.
      expect(Object.keys(payload.segments).sort()).toEqual([String(shop.france), String(shop.french)].sort());
    } finally {
      stream.close();
    }
  });

  it("sends a flag patch with the segments it uses, a segment patch and tombstones", async () => {
    const shop = await createShop();
    const stream = await openStream(shop.keys.production!.server);
    try {
      const put = await stream.next((m) => m.event === "put");
      const ruleId = JSON.parse(put.data).flags.checkout.rules[0].id;

      await toggle(shop, "checkout", "production", false);
      const patch = await stream.next();
      const version = await storedVersion(shop);
      expect(patch).toMatchObject({ event: "patch", id: String(version) });
      const data = JSON.parse(patch.data);
      expect(data).toMatchObject({ kind: "flag", key: "checkout", version });
      expect(data.flag).toMatchObject({ key: "checkout", enabled: false, version: 2 });
      // French through the rule, France through French's inSegment condition.
      expect(Object.keys(data.segments).sort()).toEqual([String(shop.france), String(shop.french)].sort());

      await ok("PATCH", `/segments/${shop.france}`, { excluded: ["v2"] });
      const segmentPatch = await stream.next();
      expect(segmentPatch.event).toBe("patch");
      expect(JSON.parse(segmentPatch.data)).toEqual({
        kind: "segment",
        key: String(shop.france),
        version: await storedVersion(shop),
        segment: {
          id: shop.france,
          condition: { attribute: "country", operator: "equals", values: ["FR"] },
          excluded: ["v2"],
        },
      });

      await ok("POST", `/feature-flags/${shop.key}/banner/archive`);
      const tombstone = await stream.next();
      const archivedAt = await storedVersion(shop);
      expect(tombstone).toMatchObject({ event: "delete", id: String(archivedAt) });
      expect(JSON.parse(tombstone.data)).toEqual({ kind: "flag", key: "banner", version: archivedAt });

      // The rule now targets France itself: French leaves the payload.
      await ok("PATCH", `/feature-flags/rules/${ruleId}`, { segmentId: shop.france });
      const retargeted = await stream.next();
      expect(JSON.parse(retargeted.data)).toMatchObject({ kind: "flag", key: "checkout" });
      const segmentTombstone = await stream.next();
      expect(segmentTombstone.event).toBe("delete");
      expect(JSON.parse(segmentTombstone.data)).toEqual({
        kind: "segment",
        key: String(shop.french),
        version: await storedVersion(shop),
      });
    } finally {
      stream.close();
    }
  });

  it("sends a change only to the streams of the environments it touched", async () => {
    const shop = await createShop();
    const production = await openStream(shop.keys.production!.server);
    const staging = await openStream(shop.keys.staging!.server);
    try {
      await production.next();
      await staging.next();
      await toggle(shop, "checkout", "staging", false);
      const patch = await staging.next();
      expect(JSON.parse(patch.data)).toMatchObject({
        kind: "flag",
        key: "checkout",
        flag: { enabled: false },
      });
      expect(await production.drain(200)).toEqual([]);
    } finally {
      production.close();
      staging.close();
    }
  });

  it("sends nothing when only a flag's version changed, yet serves the new payload version", async () => {
    const shop = await createShop();
    const stream = await openStream(shop.keys.production!.server);
    try {
      await stream.next();
      // A new name is a new flag version, but SDKs never see names: no environment is told. A resync (the
      // PostgreSQL listener reconnected) then reloads production, which finds only banner's version moved.
      await ok("PATCH", `/feature-flags/${shop.key}/banner`, { name: "Summer banner" });
      server.context.changes.publishResync();
      const version = await storedVersion(shop);
      await waitFor(() => server.app.sdkDelivery.feedVersion(shop.key, "production") === version);
      expect(await stream.drain(200)).toEqual([]);
      const config = await server.request("GET", "/sdk/v1/config", { token: shop.keys.production!.server });
      expect(config.headers.etag).toBe(`"${version}"`);
      expect(config.body.flags.banner.version).toBe(2);
    } finally {
      stream.close();
    }
  });

  it("sends the same change to every stream of the environment", async () => {
    const shop = await createShop();
    const streams = await Promise.all([1, 2, 3, 4, 5].map(() => openStream(shop.keys.production!.server)));
    try {
      for (const stream of streams) await stream.next();
      await toggle(shop, "banner", "production", false);
      const patches = await Promise.all(streams.map((stream) => stream.next()));
      expect(new Set(patches.map((p) => p.data)).size).toBe(1);
      expect(patches[0]!.id).toBe(String(await storedVersion(shop)));
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it("resumes from Last-Event-ID with only the changes missed", async () => {
    const shop = await createShop();
    const key = shop.keys.production!.server;
    const first = await openStream(key);
    const put = await first.next();
    first.close();
    const seen = Number(put.id);

    await toggle(shop, "banner", "production", false);
    await ok("POST", `/feature-flags/${shop.key}/checkout/archive`);
    const version = await storedVersion(shop);
    await waitFor(() => server.app.sdkDelivery.feedVersion(shop.key, "production") === version);

    const resumed = await openStream(key, seen);
    try {
      // Archiving checkout also removed the segments only it used.
      const events = [await resumed.next(), await resumed.next(), await resumed.next(), await resumed.next()];
      expect(events.slice(0, 2).map((e) => [e.event, Number(e.id), JSON.parse(e.data).key])).toEqual([
        ["patch", seen + 1, "banner"],
        ["delete", seen + 2, "checkout"],
      ]);
      expect(events.slice(2).map((e) => [e.event, Number(e.id), JSON.parse(e.data).kind])).toEqual([
        ["delete", seen + 2, "segment"],
        ["delete", seen + 2, "segment"],
      ]);
      expect(
        events
          .slice(2)
          .map((e) => JSON.parse(e.data).key)
          .sort(),
      ).toEqual([String(shop.france), String(shop.french)].sort());
      expect(JSON.parse(events[1]!.data)).toEqual({ kind: "flag", key: "checkout", version: seen + 2 });
      expect(await resumed.drain(200)).toEqual([]);
    } finally {
      resumed.close();
    }

    // Up to date: nothing but heartbeats.
    const current = await openStream(key, version);
    try {
      expect(await current.nextComment()).toEqual({ type: "comment", text: "heartbeat" });
      expect(await current.drain(100)).toEqual([]);
    } finally {
      current.close();
    }
  });

  it("sends a put when Last-Event-ID is older than the history, ahead of storage or not a version", async () => {
    const shop = await createShop();
    const key = shop.keys.production!.server;
    await server.request("GET", "/sdk/v1/config", { token: key });
    const version = await storedVersion(shop);
    for (const lastEventId of [0, version + 1000, "garbage"]) {
      const stream = await openStream(key, lastEventId);
      try {
        const first = await stream.next();
        expect(first.event).toBe("put");
        expect(first.id).toBe(String(version));
      } finally {
        stream.close();
      }
    }
  });

  it("reads storage before answering a client that is ahead of this process", async () => {
    const shop = await createShop();
    const key = shop.keys.production!.server;
    const stream = await openStream(key);
    await stream.next();
    stream.close();
    // Committed by another process whose notification is still in flight: storage moved, nobody was told.
    const version = await archiveUnannounced(server.context.db, shop.key, "banner");
    expect(server.app.sdkDelivery.feedVersion(shop.key, "production")).toBe(version - 1);
    const ahead = await openStream(key, version);
    try {
      expect(server.app.sdkDelivery.feedVersion(shop.key, "production")).toBe(version);
      expect(await ahead.drain(200)).toEqual([]);
    } finally {
      ahead.close();
    }
  });

  it("sends a heartbeat comment on the shared interval", async () => {
    const shop = await createShop();
    const stream = await openStream(shop.keys.production!.server);
    try {
      await stream.next();
      expect(await stream.nextComment(2000)).toEqual({ type: "comment", text: "heartbeat" });
      expect(await stream.nextComment(2000)).toEqual({ type: "comment", text: "heartbeat" });
    } finally {
      stream.close();
    }
  });

  it("forgets a stream once its client goes away", async () => {
    const shop = await createShop();
    const open = server.app.sdkDelivery.streams;
    const streams = await Promise.all([1, 2, 3].map(() => openStream(shop.keys.production!.server)));
    for (const stream of streams) await stream.next();
    expect(server.app.sdkDelivery.streams).toBe(open + 3);
    for (const stream of streams) stream.close();
    await waitFor(() => server.app.sdkDelivery.streams === open);
  });

  it("reloads every cached environment when the bus asks for a resync", async () => {
    const shop = await createShop();
    const stream = await openStream(shop.keys.production!.server);
    try {
      await stream.next();
      // Committed elsewhere without a notification, then a resync (the PostgreSQL listener reconnected).
      const version = await archiveUnannounced(server.context.db, shop.key, "banner");
      server.context.changes.publishResync();
      const tombstone = await stream.next();
      expect(tombstone.event).toBe("delete");
      expect(JSON.parse(tombstone.data)).toEqual({ kind: "flag", key: "banner", version });
    } finally {
      stream.close();
    }
  });
});

describe("POST /sdk/v1/evaluations", () => {
  it("stores the last evaluation time and a running count per flag and environment, with either key", async () => {
    const { key: project, keys } = await createShop();
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

    const stats = await lastEvaluatedAt(server.context, project);
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
    const later = (await lastEvaluatedAt(server.context, project, { featureKeys: ["checkout"] })).get(
      "checkout",
    )!;
    expect(later.environments.production).toEqual({ lastEvaluatedAt: new Date(to).toISOString(), count: 6 });
  });

  it("refuses a bad body with 400 and a missing key with 401", async () => {
    const { keys } = await createShop();
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
