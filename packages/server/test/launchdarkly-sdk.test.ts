// LaunchDarkly's own Node server SDK (@launchdarkly/node-server-sdk) against a real Vexil server over HTTP,
// on the suite's storage (SQLite, or PostgreSQL with VEXIL_TEST_POSTGRES_URL): the same variation as
// Vexil's SDK and OFREP for 10,000 contexts, changes over its stream, experiment data through its events,
// and a rotated key that makes it stop.

import { gzipSync } from "node:zlib";
import { basicLogger, init, type LDClient } from "@launchdarkly/node-server-sdk";
import { createClient, type VexilClient } from "@vexil/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportAroundNow } from "../src/results/results-simulation.test-support.js";
import { lastEvaluatedAt } from "../src/sdk-delivery/evaluations.store.js";
import { startTestServer, type TestServer } from "./harness.js";

// Heartbeats also end streams whose key was rotated away (a safety net): an hour apart here, so only the
// rotation itself can end the stream within the test's time limit.
process.env.VEXIL_SSE_HEARTBEAT_MS = "3600000";

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

const PLANS = ["pro", "team-a", "free", undefined] as const;
const contextOf = (i: number) => ({
  kind: "user",
  key: `user-${i}`,
  country: i % 3 === 0 ? "FR" : "DE",
  ...(PLANS[i % 4] === undefined ? {} : { plan: PLANS[i % 4] }),
});
const attributesOf = ({ kind: _kind, key: _key, ...attributes }: ReturnType<typeof contextOf>) => attributes;

beforeAll(async () => {
  server = await startTestServer({ listen: true });
  delete process.env.VEXIL_SSE_HEARTBEAT_MS;
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
  // Nested any / not (translated through auxiliary segments): not Pro, or (in Germany and a plan starting
  // with "team"); a missing plan counts as "not pro", as Vexil's not inverts missing attributes too.
  const nested = (
    await ok("POST", "/segments", {
      siteCode: "shop",
      name: "Nested",
      condition: {
        any: [
          { not: { attribute: "plan", operator: "in", values: ["pro"] } },
          {
            all: [
              { attribute: "country", operator: "equals", values: ["DE"] },
              { attribute: "plan", operator: "startsWith", values: ["team"] },
            ],
          },
        ],
      },
    })
  ).id;
  await ok("POST", "/feature-flags", {
    siteCode: "shop",
    featureKey: "nested",
    name: "Nested",
    environmentConfigurations: production1([
      { type: "TARGETED_DELIVERY", exposition: 100, variationKey: "on", segmentId: nested, state: "ACTIVE" },
    ]),
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
    const indexOf = { checkout: ["off", "on"], banner: ["a", "b", "c"], nested: ["off", "on"] } as const;
    const seen = new Map<string, number>();
    for (let i = 0; i < CONTEXTS; i++) {
      const context = contextOf(i);
      const visitor = { code: context.key, attributes: attributesOf(context) };
      for (const key of ["checkout", "banner", "nested"] as const) {
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
      "nested:off",
      "nested:on",
    ]);
    // OFREP, over HTTP, for a sample of the same contexts.
    for (let i = 0; i < CONTEXTS; i += 50) {
      const context = contextOf(i);
      const response = await fetch(`${server.baseUrl}/ofrep/v1/evaluate/flags/banner`, {
        method: "POST",
        headers: { authorization: `Bearer ${serverKey}`, "content-type": "application/json" },
        body: JSON.stringify({ context: { targetingKey: context.key, ...attributesOf(context) } }),
      });
      const body = (await response.json()) as { value: unknown };
      expect([i, body.value]).toEqual([
        i,
        vexil.evaluate("banner", { code: context.key, attributes: attributesOf(context) }).variationKey,
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

describe("a change through LaunchDarkly's REST API", () => {
  it("reaches the SDK's stream, as a semantic patch and as a JSON patch", async () => {
    const ld = launchDarkly(serverKey, { sendEvents: false });
    await ld.waitForInitialization({ timeout: 10 });
    const context = contextOf(3); // France: on (15)
    expect(await ld.variation("checkout", context, null)).toBe(15);
    const patch = async (contentType: string, body: unknown) => {
      const updated = new Promise((resolve) => ld.once("update:checkout", resolve));
      const response = await server.request("PATCH", "/api/v2/flags/shop/checkout", {
        body,
        headers: { "content-type": contentType },
      });
      expect(response.status, response.text).toBe(200);
      await updated;
    };
    await patch("application/json; domain-model=launchdarkly.semanticpatch", {
      environmentKey: "production",
      instructions: [{ kind: "turnFlagOff" }],
    });
    expect(await ld.variation("checkout", context, null)).toBe(0);
    await patch("application/json", [{ op: "replace", path: "/environments/production/on", value: true }]);
    expect(await ld.variation("checkout", context, null)).toBe(15);
  });
});

describe("an experiment run only through LaunchDarkly's SDK", () => {
  it("shows its exposures and conversions in both dialects' results", async () => {
    const goal = await ok("POST", "/goals", { siteCode: "shop", name: "Purchase", key: "purchase" });
    const flag = await ok("POST", "/feature-flags", {
      siteCode: "shop",
      featureKey: "cta",
      name: "CTA",
      bucketingMode: "LAUNCHDARKLY",
      primaryGoalId: goal.id,
      environmentConfigurations: [
        {
          environmentKey: "production",
          featureEnabled: true,
          defaultVariationKey: "off",
          rolloutRules: [
            {
              type: "EXPERIMENTATION",
              exposition: 100,
              state: "ACTIVE",
              trafficAllocations: [
                { variationKey: "off", exposition: 50 },
                { variationKey: "on", exposition: 50 },
              ],
            },
          ],
        },
      ],
    });
    const rule = flag.environmentConfigurations.find(
      (e: { environmentKey: string }) => e.environmentKey === "production",
    ).rolloutRules[0];
    const ld = launchDarkly(serverKey, { flushInterval: 3600, capacity: 100_000 });
    await ld.waitForInitialization({ timeout: 10 });
    // Expected counts come from the SDK's own answers: every visitor exposed once (two calls each, one
    // exposure unit), every third one of "on" and every fifth one of "off" converting.
    const units = { off: 0, on: 0 };
    const converted = { off: 0, on: 0 };
    for (let i = 0; i < 400; i++) {
      const context = { kind: "user", key: `buyer-${i}` };
      const variation = (await ld.variation("cta", context, null)) ? "on" : "off";
      await ld.variation("cta", context, null);
      units[variation]++;
      if (i % (variation === "on" ? 3 : 5) === 0) {
        ld.track("purchase", context, undefined, 1);
        converted[variation]++;
      }
      ld.track("not-a-goal", context);
    }
    await ld.flush();
    expect(units.off).toBeGreaterThan(150);
    expect(units.on).toBeGreaterThan(150);

    const done = await reportAroundNow(server, flag.id);
    const ids = Object.fromEntries(flag.variations.map((v: { key: string; id: number }) => [v.key, v.id]));
    for (const key of ["off", "on"] as const) {
      const general = done.data.variationData[String(ids[key])].generalData;
      expect([key, general.visitorCount, general.goalsData[String(goal.id)].conversionCount]).toEqual([
        key,
        units[key],
        converted[key],
      ]);
    }

    const results = await server.request(
      "GET",
      `/api/v2/projects/shop/environments/production/experiments/cta-${rule.id}/metrics/purchase/results`,
    );
    expect(results.status, results.text).toBe(200);
    expect(results.body.metricSeen.ever).toBe(true);
    expect(results.body.treatmentResults.map((t: { units: number }) => t.units).sort()).toEqual(
      [units.off, units.on].sort(),
    );
  });
});

describe("POST /bulk", () => {
  const summary = (count: number) => [
    {
      kind: "summary",
      startDate: Date.now() - 1000,
      endDate: Date.now(),
      features: { checkout: { counters: [{ variation: 0, version: 1, value: 0, count }] } },
    },
  ];
  it("inflates gzip, deduplicates by payload id, and refuses bad bodies with LaunchDarkly's error", async () => {
    const post = (body: Blob | string, headers: Record<string, string>) =>
      fetch(`${server.baseUrl}/bulk`, {
        method: "POST",
        headers: { authorization: serverKey, "content-type": "application/json", ...headers },
        body,
      });
    const counted = async () =>
      (await lastEvaluatedAt(server.context, "shop", { featureKeys: ["checkout"] })).get("checkout")
        ?.environments.production?.count ?? 0;
    const before = await counted();
    const gz = await post(new Blob([new Uint8Array(gzipSync(JSON.stringify(summary(7))))]), {
      "content-encoding": "gzip",
      "x-launchdarkly-payload-id": "p-1",
    });
    expect([gz.status, await gz.json()]).toEqual([202, { accepted: 0, ignored: 0, duplicate: false }]);
    const again = await post(new Blob([new Uint8Array(gzipSync(JSON.stringify(summary(7))))]), {
      "content-encoding": "gzip",
      "x-launchdarkly-payload-id": "p-1",
    });
    expect((await again.json()).duplicate).toBe(true);
    // The summary's 7 evaluations counted once, the resent payload not again.
    expect((await counted()) - before).toBe(7);
    const corrupt = await post(new Blob(["not gzip"]), { "content-encoding": "gzip" });
    expect(corrupt.status).toBe(400);
    const notArray = await post(JSON.stringify({ kind: "custom" }), {});
    expect(notArray.status).toBe(400);
    expect(await notArray.json()).toMatchObject({ code: "invalid_request" });
    const unknown = await fetch(`${server.baseUrl}/bulk`, {
      method: "POST",
      headers: { authorization: "sdk-unknown", "content-type": "application/json" },
      body: "[]",
    });
    expect([unknown.status, (await unknown.json()).code]).toEqual([401, "unauthorized"]);
  });
});

describe("a progressive ramp", () => {
  it("reaches the SDK's stream as a patch when a step begins, and is served before it", async () => {
    await ok("POST", "/projects", { key: "ramping", name: "Ramping" });
    const env = (await ok("GET", "/projects/ramping")).environments.find(
      (e: { key: string }) => e.key === "production",
    );
    // Nobody until the second step, everybody from it (0 % and 100 % need no draw to compare).
    const step = new Date(Date.now() + 5000).toISOString();
    await ok("POST", "/feature-flags", {
      siteCode: "ramping",
      featureKey: "ramped",
      name: "Ramped",
      bucketingMode: "LAUNCHDARKLY",
      variations: [
        { key: "off", variables: [] },
        { key: "on", variables: [] },
      ],
      environmentConfigurations: [
        {
          environmentKey: "production",
          featureEnabled: true,
          defaultVariationKey: "off",
          rolloutRules: [
            {
              type: "PROGRESSIVE_DELIVERY",
              variationKey: "on",
              state: "ACTIVE",
              rolloutConfiguration: {
                type: "CUSTOM_RAMP_UP",
                steps: [
                  { dateTime: new Date(Date.now() - 3_600_000).toISOString(), exposure: 0 },
                  { dateTime: step, exposure: 100 },
                ],
              },
            },
          ],
        },
      ],
    });
    const before = await server.request("GET", "/sdk/latest-flags/ramped", { token: env.serverSdkKey });
    expect(before.body._vexilNotServable).toBeUndefined();
    expect(before.body.fallthrough).toEqual({ variation: 0 });

    const ld = launchDarkly(env.serverSdkKey, { sendEvents: false });
    await ld.waitForInitialization({ timeout: 10 });
    const user = { kind: "user", key: "user-1" };
    // The step is 5 s away when the flag is created: the SDK starts before it.
    expect(await ld.variation("ramped", user, null)).toBe(false);
    const updated = new Promise<void>((resolve) => ld.on("update:ramped", () => resolve()));
    await updated;
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(step));
    expect(await ld.variation("ramped", user, null)).toBe(true);
    const after = await server.request("GET", "/sdk/latest-flags/ramped", { token: env.serverSdkKey });
    expect(after.body.fallthrough).toEqual({ variation: 1 });
    expect(after.body.version).toBeGreaterThan(before.body.version);
  });
});

describe("a rotated server key", () => {
  it("ends the SDK's stream at once, and the SDK gives up on the old key", async () => {
    const project = await ok("POST", "/projects", { key: "rotating", name: "Rotating" });
    void project;
    const env = (await ok("GET", "/projects/rotating")).environments.find(
      (e: { key: string }) => e.key === "production",
    );
    const lines: string[] = [];
    let stopped: () => void = () => {};
    const gaveUp = new Promise<void>((resolve) => {
      stopped = resolve;
    });
    const ld = launchDarkly(env.serverSdkKey, {
      sendEvents: false,
      logger: basicLogger({
        level: "error",
        destination: (line: string) => {
          lines.push(line);
          if (/401.*giving up permanently/.test(line)) stopped();
        },
      }),
    });
    await ld.waitForInitialization({ timeout: 10 });
    await ok("POST", "/projects/rotating/environments/production/rotate-keys?keys=server");
    await gaveUp;
    expect(lines.some((line) => line.includes("invalid SDK key"))).toBe(true);
    expect((await server.request("GET", "/sdk/latest-all", { token: env.serverSdkKey })).status).toBe(401);
  });
});

describe("a deleted environment", () => {
  it("ends its streams at once: Vexil's SDK stream closes and LaunchDarkly's SDK gives up", async () => {
    await ok("POST", "/projects", { key: "closing", name: "Closing" });
    const env = await ok("POST", "/projects/closing/environments", { key: "qa", name: "QA" });
    const vexilStream = await fetch(`${server.baseUrl}/sdk/v1/stream`, {
      headers: { authorization: env.serverSdkKey },
    });
    expect(vexilStream.status).toBe(200);
    // Resolves when the server ends the response (the heartbeat is an hour apart: only the deletion can).
    const vexilEnded = (async () => {
      for await (const _chunk of vexilStream.body as unknown as AsyncIterable<Uint8Array>);
    })();
    let stopped: () => void = () => {};
    const gaveUp = new Promise<void>((resolve) => {
      stopped = resolve;
    });
    const ld = launchDarkly(env.serverSdkKey, {
      sendEvents: false,
      logger: basicLogger({
        level: "error",
        destination: (line: string) => {
          if (/401.*giving up permanently/.test(line)) stopped();
        },
      }),
    });
    await ld.waitForInitialization({ timeout: 10 });
    expect((await server.request("DELETE", "/projects/closing/environments/qa")).status).toBe(204);
    await Promise.all([vexilEnded, gaveUp]);
    expect((await server.request("GET", "/sdk/latest-all", { token: env.serverSdkKey })).status).toBe(401);
  });
});
