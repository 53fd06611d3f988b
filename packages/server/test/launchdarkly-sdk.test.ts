// LaunchDarkly's own Node server SDK (@launchdarkly/node-server-sdk) against a real Vexil server over HTTP,
// on the suite's storage (SQLite, or PostgreSQL with VEXIL_TEST_POSTGRES_URL): the same variation as
// Vexil's SDK and OFREP for 10,000 contexts, changes over its stream, experiment data through its events,
// and a rotated key that makes it stop.

import { basicLogger, init, type LDClient } from "@launchdarkly/node-server-sdk";
import { createClient, type VexilClient } from "@vexil/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
let serverKey = "";
let segmentId = 0;
const clients: { close(): unknown }[] = [];
const CONTEXTS = 10_000;

async function ok(method: string, url: string, body?: unknown) {
  const response = await server.request(method, url, body === undefined ? {} : { body });
  if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${response.text}`);
  return response.body;
}

function launchDarkly(sdkKey: string, options: Record<string, unknown> = {}): LDClient {
  const client = init(sdkKey, {
    baseUri: server.baseUrl,
    streamUri: server.baseUrl,
    eventsUri: server.baseUrl,
    diagnosticOptOut: true,
    logger: basicLogger({ level: "none" }),
    ...options,
  });
  clients.push(client);
  return client;
}

const contextOf = (i: number) => ({ kind: "user", key: `user-${i}`, country: i % 3 === 0 ? "FR" : "DE" });

beforeAll(async () => {
  server = await startTestServer({ listen: true });
  await ok("POST", "/projects", { key: "shop", name: "Shop" });
  const production = (await ok("GET", "/projects/shop")).environments.find(
    (e: { key: string }) => e.key === "production",
  );
  serverKey = production.serverSdkKey;
  segmentId = (
    await ok("POST", "/segments", {
      siteCode: "shop",
      name: "France",
      condition: { attribute: "country", operator: "equals", values: ["FR"] },
    })
  ).id;
  const production1 = (rolloutRules: unknown[], defaultVariationKey = "off") => [
    { environmentKey: "production", featureEnabled: true, defaultVariationKey, rolloutRules },
  ];
  // France gets the discount; 30 % of everyone else too (one LaunchDarkly draw).
  await ok("POST", "/feature-flags", {
    siteCode: "shop",
    featureKey: "checkout",
    name: "Checkout",
    bucketingMode: "LAUNCHDARKLY",
    variables: [{ key: "discount", type: "NUMBER", value: "0" }],
    variations: [
      { key: "off", variables: [] },
      { key: "on", variables: [{ key: "discount", type: "NUMBER", value: "15" }] },
    ],
    environmentConfigurations: production1([
      { type: "TARGETED_DELIVERY", exposition: 100, variationKey: "on", segmentId, state: "ACTIVE" },
      { type: "TARGETED_DELIVERY", exposition: 30, variationKey: "on", state: "ACTIVE" },
    ]),
  });
  // 40 % of France sees b; everyone else is in a three-way experiment.
  await ok("POST", "/feature-flags", {
    siteCode: "shop",
    featureKey: "banner",
    name: "Banner",
    bucketingMode: "LAUNCHDARKLY",
    variations: ["a", "b", "c"].map((key) => ({ key, variables: [] })),
    environmentConfigurations: production1(
      [
        { type: "TARGETED_DELIVERY", exposition: 40, variationKey: "b", segmentId, state: "ACTIVE" },
        {
          type: "EXPERIMENTATION",
          exposition: 100,
          state: "ACTIVE",
          trafficAllocations: [
            { variationKey: "a", exposition: 34 },
            { variationKey: "b", exposition: 33 },
            { variationKey: "c", exposition: 33 },
          ],
        },
      ],
      "a",
    ),
  });
  // Vexil's own bucketing: a 50 % rollout LaunchDarkly's SDKs cannot reproduce.
  await ok("POST", "/feature-flags", {
    siteCode: "shop",
    featureKey: "legacy",
    name: "Legacy",
    environmentConfigurations: production1([
      { type: "TARGETED_DELIVERY", exposition: 50, variationKey: "on", state: "ACTIVE" },
    ]),
  });
});

afterAll(async () => {
  for (const client of clients) client.close();
  await server?.close();
});

describe("LaunchDarkly server SDK endpoints", () => {
  it("answers 401 to an unknown key and 403 to the client-side key", async () => {
    expect((await server.request("GET", "/sdk/latest-all", { token: "sdk-nope" })).status).toBe(401);
    const client = (await ok("GET", "/projects/shop")).environments[0].clientSdkKey;
    expect((await server.request("GET", "/sdk/latest-all", { token: client })).status).toBe(403);
  });

  it("serves flags and segments, and reports what it cannot serve at the flag", async () => {
    const all = await server.request("GET", "/sdk/latest-all", {
      token: serverKey,
      headers: { authorization: serverKey },
    });
    expect(all.status, all.text).toBe(200);
    expect(all.body.flags.checkout).toMatchObject({
      key: "checkout",
      on: true,
      variations: [0, 15],
      offVariation: 0,
      rules: [{ clauses: [{ op: "segmentMatch", values: [`segment-${segmentId}`] }], variation: 1 }],
      fallthrough: {
        rollout: {
          kind: "rollout",
          variations: [
            { variation: 1, weight: 30_000 },
            { variation: 0, weight: 70_000 },
          ],
        },
      },
    });
    expect(all.body.flags.banner.fallthrough.rollout).toMatchObject({ kind: "experiment" });
    expect(all.body.flags.legacy._vexilNotServable).toMatch(
      /not servable to LaunchDarkly SDKs: .*Vexil's bucketing/,
    );
    expect(all.body.segments[`segment-${segmentId}`]).toMatchObject({
      rules: [{ clauses: [{ attribute: "country", op: "in", values: ["FR"], negate: false }] }],
    });
  });

  it("gives 10,000 contexts the variation Vexil's SDK and OFREP give them", async () => {
    const ld = launchDarkly(serverKey, { sendEvents: false });
    await ld.waitForInitialization({ timeout: 10 });
    const vexil: VexilClient = createClient({ sdkKey: serverKey, baseUrl: server.baseUrl, logger: {} });
    clients.push(vexil);
    await vexil.ready();
    const indexOf = { checkout: ["off", "on"], banner: ["a", "b", "c"] } as const;
    const seen = new Map<string, number>();
    for (let i = 0; i < CONTEXTS; i++) {
      const context = contextOf(i);
      const visitor = { code: context.key, attributes: { country: context.country } };
      for (const key of ["checkout", "banner"] as const) {
        const ours = vexil.evaluate(key, visitor).variationKey;
        const theirs = (await ld.variationDetail(key, context, null)).variationIndex;
        expect([key, i, theirs === undefined || theirs === null ? "none" : indexOf[key][theirs]]).toEqual([
          key,
          i,
          ours,
        ]);
        seen.set(`${key}:${ours}`, (seen.get(`${key}:${ours}`) ?? 0) + 1);
      }
    }
    // Every outcome occurs: the comparison covered each rule and each split.
    expect([...seen.keys()].sort()).toEqual([
      "banner:a",
      "banner:b",
      "banner:c",
      "checkout:off",
      "checkout:on",
    ]);
    // OFREP, over HTTP, for a sample of the same contexts.
    for (let i = 0; i < CONTEXTS; i += 50) {
      const context = contextOf(i);
      const response = await fetch(`${server.baseUrl}/ofrep/v1/evaluate/flags/banner`, {
        method: "POST",
        headers: { authorization: `Bearer ${serverKey}`, "content-type": "application/json" },
        body: JSON.stringify({ context: { targetingKey: context.key, country: context.country } }),
      });
      const body = (await response.json()) as { value: unknown };
      expect([i, body.value]).toEqual([
        i,
        vexil.evaluate("banner", { code: context.key, attributes: { country: context.country } })
          .variationKey,
      ]);
    }
  });

  it("follows a change made through the API over its stream", async () => {
    const ld = launchDarkly(serverKey, { sendEvents: false });
    await ld.waitForInitialization({ timeout: 10 });
    const context = contextOf(3); // France: on
    expect(await ld.variation("checkout", context, null)).toBe(15);
    const updated = new Promise((resolve) => ld.once("update:checkout", resolve));
    await ok("PATCH", "/feature-flags/shop/checkout/production", { featureEnabled: false });
    await updated;
    expect(await ld.variation("checkout", context, null)).toBe(0);
    await ok("PATCH", "/feature-flags/shop/checkout/production", { featureEnabled: true });
  });
});
