// End to end against the real Vexil server (packages/server/test/harness.ts): a flag created through the
// management API reaches the SDK over the real stream, a change arrives as a patch, events and evaluation
// counts are accepted.

import { OpenFeature } from "@openfeature/server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateCompactBatch } from "../../server/src/events/compact-batch.js";
import { startTestServer, type TestServer } from "../../server/test/harness.js";
import { createClient, type VexilClient } from "../src/index.js";
import { VexilProvider } from "../src/openfeature/index.js";
import { waitFor } from "./peer-server.js";

let server: TestServer;
let serverKey = "";
const problems: string[] = [];
const clients: VexilClient[] = [];
const logger = {
  warn: (message: string) => problems.push(`warn: ${message}`),
  error: (message: string) => problems.push(`error: ${message}`),
};

const variables = [{ key: "color", type: "STRING", value: "grey" }];
const variations = [
  { key: "off", name: "Off", variables: [] },
  { key: "on", name: "On", variables: [{ key: "color", value: "blue" }] },
];

beforeAll(async () => {
  server = await startTestServer({ listen: true });
  const project = await server.request("POST", "/projects", { body: { key: "shop", name: "Shop" } });
  expect(project.status).toBe(201);
  const environments = await server.request("GET", "/projects/shop/environments");
  serverKey = environments.body.find((e: { key: string }) => e.key === "production").serverSdkKey;
  expect(serverKey).toMatch(/^sdk-/);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await OpenFeature.close();
  await server?.close();
});

function client(): VexilClient {
  const c = createClient({ sdkKey: serverKey, baseUrl: server.baseUrl, logger, initTimeoutMs: 10_000 });
  clients.push(c);
  return c;
}

describe("SDK against the real server", () => {
  it("connects to the real stream and config endpoints (any server state)", async () => {
    const c = client();
    await c.ready();
    expect(c.stats()).toMatchObject({ ready: true, stream: "open" });
    expect(c.evaluate("no-such-flag", "v").errorCode).toBe("FLAG_NOT_FOUND");
    const polling = createClient({ sdkKey: serverKey, baseUrl: server.baseUrl, logger, streaming: false });
    clients.push(polling);
    await polling.ready();
    expect(polling.getPayload()).toEqual(c.getPayload());
    const refused = createClient({ sdkKey: "sdk-not-a-key", baseUrl: server.baseUrl, logger: {} });
    clients.push(refused);
    await expect(refused.ready()).rejects.toMatchObject({ code: "UNAUTHORIZED", status: 401 });
    expect(problems).toEqual([]);
  });

  it("gets a flag created through the API, then its changes over the stream", async () => {
    const created = await server.request("POST", "/feature-flags", {
      body: {
        siteCode: "shop",
        featureKey: "new-checkout",
        name: "New checkout",
        variables,
        variations,
        environmentConfigurations: [
          {
            environmentKey: "production",
            featureEnabled: true,
            defaultVariationKey: "off",
            rolloutRules: [
              { type: "TARGETED_DELIVERY", exposition: 100, state: "ACTIVE", variationKey: "on" },
            ],
          },
        ],
      },
    });
    expect(created.status, created.text).toBe(201);

    const c = client();
    await c.ready();
    expect(c.evaluate("new-checkout", "visitor-1")).toMatchObject({
      variationKey: "on",
      reason: "TARGETING_MATCH",
    });
    expect(c.getString("new-checkout", "color", "visitor-1", "none")).toBe("blue");
    expect(c.stats().stream).toBe("open");

    const changes: string[][] = [];
    c.on("change", (e) => changes.push(e.flagKeys));
    const patched = await server.request("PATCH", "/feature-flags/shop/new-checkout/production", {
      body: { featureEnabled: false },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.status, patched.text).toBe(200);
    await waitFor(() => changes.length > 0, 10_000, "the change over the stream");
    expect(changes[0]).toEqual(["new-checkout"]);
    expect(c.evaluate("new-checkout", "visitor-1")).toMatchObject({
      variationKey: "off",
      reason: "DISABLED",
    });

    // The OpenFeature provider over the same client.
    await OpenFeature.setProviderAndWait("e2e", new VexilProvider(c));
    const of = OpenFeature.getClient("e2e");
    expect(await of.getBooleanDetails("new-checkout", true, { targetingKey: "visitor-1" })).toMatchObject({
      value: false,
      reason: "DISABLED",
    });
    await c.flush(); // evaluation counts
    expect(problems).toEqual([]);
  });

  it("allocates visitors to an experiment created through the API", async () => {
    const created = await server.request("POST", "/feature-flags", {
      body: {
        siteCode: "shop",
        featureKey: "pricing-test",
        name: "Pricing test",
        variables,
        variations,
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
      },
    });
    expect(created.status, created.text).toBe(201);
    const c = client();
    await c.ready();
    await waitFor(() => c.hasFlag("pricing-test"), 10_000, "the experiment flag");
    const result = c.evaluate("pricing-test", { code: "visitor-2", attributes: { country: "FR" } });
    expect(result).toMatchObject({ reason: "SPLIT", inExperiment: true, ruleType: "EXPERIMENTATION" });
    expect(result.experimentId).toEqual(expect.any(Number));
  });

  it("sends exposures and conversions the server accepts", async () => {
    const c = client();
    await c.ready();
    await waitFor(() => c.hasFlag("pricing-test"), 10_000, "the experiment flag");
    const result = c.evaluate("pricing-test", { code: "visitor-3", attributes: { country: "FR" } });
    expect(result.inExperiment).toBe(true);
    const goal = await server.request("POST", "/goals", {
      body: { siteCode: "shop", name: "Purchase", key: "purchase" },
    });
    expect(goal.status, goal.text).toBe(201);
    c.track("visitor-3", "purchase", 10);
    c.track("visitor-3", goal.body.id, 5);
    await c.flush();
    expect(c.stats()).toMatchObject({ sentEvents: 3, droppedEvents: 0, queuedEvents: 0 });
    expect(problems).toEqual([]);
  });

  it("stores each exposure as evaluated: visitor, variation, rule, time, visit and attributes", async () => {
    const goal = await server.request("POST", "/goals", {
      body: { siteCode: "shop", name: "Stored check", key: "stored-check" },
    });
    expect(goal.status, goal.text).toBe(201);
    const bodies: string[] = [];
    let clock = Date.now() - 60_000;
    const c = createClient({
      sdkKey: serverKey,
      baseUrl: server.baseUrl,
      logger,
      now: () => clock,
      fetch: (input, init) => {
        if (input.endsWith("/events/v1/bulk")) bodies.push(String(init?.body));
        return fetch(input, init);
      },
    });
    clients.push(c);
    await c.ready();
    await waitFor(() => c.hasFlag("pricing-test"), 10_000, "the experiment flag");
    // 200 visitors, then the first 100 again (deduplicated: same visit), with varied and shared attributes.
    const expected: object[] = [];
    for (let i = 0; i < 300; i++) {
      clock += 7;
      const n = i % 200;
      const attributes = {
        country: n % 2 ? "FR" : "DE",
        run: "stored",
        plan: ["free", "pro"][n % 3 ? 1 : 0],
        age: n % 40,
        url: "u",
      };
      const result = c.evaluate("pricing-test", { code: `stored-${n}`, attributes });
      if (i >= 200) continue;
      expected.push({
        visitorCode: `stored-${n}`,
        featureKey: "pricing-test",
        variationKey: result.variationKey,
        ruleId: result.ruleId,
        experimentId: result.experimentId,
        time: clock,
        attributes: {
          country: attributes.country,
          custom: { run: "stored", plan: attributes.plan, age: n % 40 },
        },
      });
    }
    await c.flush();
    expect(c.stats()).toMatchObject({ sentEvents: 200, droppedEvents: 0, dedupedExposures: 100 });

    // The events the server stores from those bodies (its own format-2 reader), in order.
    const scope = { projectKey: "shop", environmentKey: "production", goalId: () => undefined };
    const stored = bodies.flatMap((body) => validateCompactBatch(JSON.parse(body), scope, Date.now()).events);
    expect(stored).toMatchObject(expected); // the same 200 events, in order
    expect(new Set(stored.map((e) => e.visitId)).size).toBe(200); // a visit per visitor

    // And read back from storage: the units per variation of exactly these visitors (custom "run").
    const result = await server.context.analytics.aggregate({
      projectKey: "shop",
      environmentKey: "production",
      featureKey: "pricing-test",
      goalId: goal.body.id,
      unit: "visitor",
      conversionType: "ALL_CONVERSION",
      breakdown: { type: "CUSTOM_DATUM", customKey: "run" },
    });
    const units = Object.fromEntries(
      result.rows.filter((r) => r.breakdownValue === "stored").map((r) => [r.variationKey, r.units]),
    );
    const byVariation: Record<string, number> = {};
    for (const e of expected as { variationKey: string }[])
      byVariation[e.variationKey] = (byVariation[e.variationKey] ?? 0) + 1;
    expect(units).toEqual(byVariation);
    expect(problems).toEqual([]);
  });
});
