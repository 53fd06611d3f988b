// SDK delivery and OFREP end to end: flags and segments created and changed through the Kameleoon API,
// compiled from storage (flags/compile-payload.ts), delivered over real HTTP.

import { OFREPProvider } from "@openfeature/ofrep-provider";
import { OpenFeature } from "@openfeature/server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lastEvaluatedAt } from "../src/sdk-delivery/evaluations.store.js";
import { startTestServer, type TestServer } from "./harness.js";
import { openSseStream } from "./sse-client.js";

let server: TestServer;
const keys: Record<string, { server: string; client: string }> = {};
let segmentId = 0;

async function openStream(key: string, lastEventId?: string) {
  const stream = await openSseStream(server.baseUrl, key, { lastEventId });
  expect(stream.status).toBe(200);
  return stream;
}

async function ok(method: string, url: string, body?: unknown) {
  const response = await server.request(method, url, body === undefined ? {} : { body });
  if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${response.text}`);
  return response.body;
}

beforeAll(async () => {
  server = await startTestServer({ listen: true });
  await ok("POST", "/projects", { key: "shop", name: "Shop" });
  for (const environment of (await ok("GET", "/projects/shop")).environments) {
    keys[environment.key] = { server: environment.serverSdkKey, client: environment.clientSdkKey };
  }
  const segment = await ok("POST", "/segments", {
    siteCode: "shop",
    name: "France",
    condition: { attribute: "country", operator: "equals", values: ["FR"] },
  });
  segmentId = segment.id;
  await ok("POST", "/feature-flags", {
    siteCode: "shop",
    featureKey: "checkout",
    name: "Checkout",
    variables: [{ key: "discount", type: "NUMBER", value: "0" }],
    variations: [
      { key: "off", variables: [] },
      { key: "on", variables: [{ key: "discount", type: "NUMBER", value: "15" }] },
    ],
    environmentConfigurations: [
      {
        environmentKey: "production",
        featureEnabled: true,
        defaultVariationKey: "off",
        rolloutRules: [
          { type: "TARGETED_DELIVERY", exposition: 100, variationKey: "on", segmentId, state: "ACTIVE" },
        ],
      },
    ],
  });
});
afterAll(async () => {
  await OpenFeature.close();
  await server?.close();
});

describe("payloads compiled from stored flags", () => {
  it("serves GET /sdk/v1/config with the flag and the segment it uses, and 304 while unchanged", async () => {
    const config = await server.request("GET", "/sdk/v1/config", { token: keys.production!.server });
    expect(config.status).toBe(200);
    expect(config.body.flags.checkout).toMatchObject({
      key: "checkout",
      enabled: true,
      defaultVariationKey: "off",
    });
    expect(config.body.flags.checkout.rules[0]).toMatchObject({ segmentId, variationKey: "on" });
    expect(Object.keys(config.body.segments)).toEqual([String(segmentId)]);
    expect(config.headers.etag).toBe(`"${config.body.version}"`);
    const again = await server.request("GET", "/sdk/v1/config", {
      token: keys.production!.server,
      headers: { "if-none-match": config.headers.etag as string },
    });
    expect(again.status).toBe(304);
  });

  it("streams flag and segment patches, tombstones, and resumes with only the missed changes", async () => {
    const stream = await openStream(keys.production!.server);
    const staging = await openStream(keys.staging!.server);
    try {
      const put = await stream.next();
      expect(put.event).toBe("put");
      expect(JSON.parse(put.data).flags.checkout.enabled).toBe(true);
      expect((await staging.next()).event).toBe("put");

      await ok("PATCH", "/feature-flags/shop/checkout/production", { featureEnabled: false });
      const patch = await stream.next();
      expect(patch.event).toBe("patch");
      expect(Number(patch.id)).toBeGreaterThan(Number(put.id));
      const data = JSON.parse(patch.data);
      expect(data).toMatchObject({
        kind: "flag",
        key: "checkout",
        version: Number(patch.id),
        flag: { enabled: false },
      });
      expect(Object.keys(data.segments)).toEqual([String(segmentId)]);

      await ok("PATCH", `/segments/${segmentId}`, {
        condition: { attribute: "country", operator: "in", values: ["FR", "BE"] },
      });
      const segmentPatch = await stream.next();
      expect(segmentPatch.event).toBe("patch");
      expect(JSON.parse(segmentPatch.data)).toMatchObject({
        kind: "segment",
        key: String(segmentId),
        segment: { id: segmentId, condition: { operator: "in", values: ["FR", "BE"] } },
      });
      // Staging has no rule using the segment nor any production change.
      expect(await staging.drain(200)).toEqual([]);
      stream.close();

      // Missed while disconnected: a flag change, then the flag archived (its segment leaves the payload).
      await ok("PATCH", "/feature-flags/shop/checkout/production", { featureEnabled: true });
      await ok("POST", "/feature-flags/shop/checkout/archive");
      const resumed = await openStream(keys.production!.server, segmentPatch.id);
      try {
        const missed = [await resumed.next(), await resumed.next(), await resumed.next()];
        expect(missed.map((e) => [e.event, JSON.parse(e.data).kind, JSON.parse(e.data).key])).toEqual([
          ["patch", "flag", "checkout"],
          ["delete", "flag", "checkout"],
          ["delete", "segment", String(segmentId)],
        ]);
        expect(Number(missed[1]!.id)).toBeGreaterThan(Number(missed[0]!.id));
        expect(JSON.parse(missed[1]!.data).version).toBe(Number(missed[1]!.id));
        expect(await resumed.drain(200)).toEqual([]);
      } finally {
        resumed.close();
      }

      // Restored: back in the payload.
      await ok("POST", "/feature-flags/shop/checkout/restore");
      const config = await server.request("GET", "/sdk/v1/config", { token: keys.production!.server });
      expect(config.body.flags.checkout).toBeDefined();
    } finally {
      stream.close();
      staging.close();
    }
  });
});

describe("OFREP on stored flags", () => {
  it("evaluates through the published provider with either key, and counts evaluations", async () => {
    await OpenFeature.setProviderAndWait(
      new OFREPProvider({ baseUrl: server.baseUrl, headers: { Authorization: keys.production!.client } }),
    );
    const client = OpenFeature.getClient();
    expect(await client.getNumberValue("checkout", -1, { targetingKey: "v1", country: "BE" })).toBe(15);
    expect(await client.getNumberValue("checkout", -1, { targetingKey: "v1", country: "US" })).toBe(0);
    const details = await client.getNumberDetails("checkout", -1, { targetingKey: "v1", country: "FR" });
    expect(details).toMatchObject({ value: 15, variant: "on", reason: "TARGETING_MATCH" });

    await server.app.sdkDelivery.evaluations.flush();
    const stats = await lastEvaluatedAt(server.context, "shop");
    expect(stats.get("checkout")!.environments.production!.count).toBe(3);
  });

  it("records SDK-reported evaluations", async () => {
    const response = await server.request("POST", "/sdk/v1/evaluations", {
      token: keys.production!.server,
      body: {
        counts: [{ featureKey: "checkout", variationKey: "on", count: 10 }],
        from: Date.now() - 60_000,
        to: Date.now(),
      },
    });
    expect(response.status).toBe(202);
    const stats = await lastEvaluatedAt(server.context, "shop", { featureKeys: ["checkout"] });
    expect(stats.get("checkout")!.environments.production!.count).toBe(13);
  });
});
