import { createClient, type VexilEvent } from "@vexil/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnalyticsEvent } from "../src/analytics/analytics-store.js";
import type { WireEvent } from "../src/analytics/event-schema.js";
import { toWireEvent } from "../src/events/simulate.command.js";
import { simulateTraffic } from "../src/events/simulator.js";
import { compileEnvironmentPayload } from "../src/flags/compile-payload.js";
import { createFlag, setupDemo } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
let serverKey: string;
let clientKey: string;
let goalId: number;

const experiment = {
  featureKey: "checkout_button",
  name: "Checkout button",
  variations: [{ key: "off" }, { key: "on" }],
  environmentConfigurations: [
    {
      environmentKey: "production",
      featureEnabled: true,
      defaultVariationKey: "off",
      rolloutRules: [
        {
          type: "EXPERIMENTATION",
          name: "A/B",
          exposition: 100,
          state: "ACTIVE",
          trafficAllocations: [
            { variationKey: "off", exposition: 50 },
            { variationKey: "on", exposition: 50 },
          ],
          controlVariationKey: "off",
        },
      ],
    },
  ],
};

async function storedCounts(): Promise<{ exposure: number; conversion: number }> {
  const response = await server.request("GET", "/admin/events?projectKey=demo&environmentKey=production");
  expect(response.status).toBe(200);
  const counts = { exposure: 0, conversion: 0 };
  for (const row of response.body.counts as { kind: "exposure" | "conversion"; count: number }[]) {
    counts[row.kind] += row.count;
  }
  return counts;
}

function post(events: unknown[], options: { key?: string | null; payloadId?: string } = {}) {
  const key = options.key === undefined ? serverKey : options.key;
  return server.request("POST", "/events/v1/bulk", {
    token: null,
    body: events,
    headers: {
      ...(key ? { authorization: key } : {}),
      ...(options.payloadId ? { "x-vexil-payload-id": options.payloadId } : {}),
    },
  });
}

const now = Date.now();
const exposure = (visitorCode: string, extra: Record<string, unknown> = {}) => ({
  kind: "exposure",
  visitorCode,
  visitId: `${visitorCode}-v1`,
  featureKey: "checkout_button",
  ruleId: 1,
  experimentId: 1,
  variationKey: "on",
  time: now - 1000,
  attributes: { browser: "Chrome", country: "FR" },
  ...extra,
});

beforeAll(async () => {
  server = await startTestServer({ listen: true });
  const demo = await setupDemo(server);
  goalId = demo.goalIds[0] as number;
  await createFlag(server, experiment);
  const environment = await server.request("GET", "/projects/demo/environments/production");
  serverKey = environment.body.serverSdkKey;
  clientKey = environment.body.clientSdkKey;
});
afterAll(async () => server?.close());

// Compile-time: every event the SDK can write is one the event schema describes (typecheck fails otherwise).
const sdkEventsFitTheSchema = (event: VexilEvent): WireEvent => event;

describe("POST /events/v1/bulk", () => {
  it("stores what the SDK writes, awkward attributes included", async () => {
    expect(typeof sdkEventsFitTheSchema).toBe("function");
    // Its own flag and environment (staging), so the other tests' counts are not touched.
    const staging = experiment.environmentConfigurations.map((c) => ({ ...c, environmentKey: "staging" }));
    await createFlag(server, {
      ...experiment,
      featureKey: "sdk_written",
      environmentConfigurations: staging,
    });
    const environment = await server.request("GET", "/projects/demo/environments/staging");
    const sdk = createClient({
      sdkKey: environment.body.serverSdkKey,
      baseUrl: server.baseUrl,
      streaming: false,
    });
    await sdk.ready();
    const custom = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [`k${i}`, i % 2 ? `v"${i}\\` : i]),
    );
    const visitor = {
      code: 'vis"itor\\ü',
      attributes: { country: "FR", browser: "Fire\nfox", newVisitor: false, ["__proto__"]: "p", ...custom },
    };
    expect(sdk.evaluate("sdk_written", visitor).inExperiment).toBe(true);
    sdk.track(visitor.code, goalId, 12.5, visitor.attributes);
    await sdk.flush();
    expect(sdk.stats()).toMatchObject({ sentEvents: 2, droppedEvents: 0 });
    await sdk.close();
    const stored = await server.request("GET", "/admin/events?projectKey=demo&environmentKey=staging");
    const counts = Object.fromEntries(
      (stored.body.counts as { kind: string; count: number }[]).map((row) => [row.kind, row.count]),
    );
    expect(counts).toEqual({ exposure: 1, conversion: 1 });
  });

  it("stores simulated traffic posted over HTTP exactly as generated", async () => {
    const payload = await compileEnvironmentPayload(server.context, "demo", "production");
    const generated: AnalyticsEvent[] = [];
    for (const { events } of simulateTraffic({
      payload,
      featureKey: "checkout_button",
      visitors: 3000,
      goalId,
      rates: { off: 0.1, on: 0.2 },
      values: { mean: 40, sd: 10 },
      days: 3,
      end: now,
      seed: 7,
    })) {
      generated.push(...events);
      const response = await post(events.map((event) => toWireEvent(event, "purchase")));
      expect(response.status).toBe(202);
      expect(response.body.accepted).toBe(events.length);
    }
    // Independent tally of what was generated: units, converted units and value sums per variation.
    const expected = new Map<string, { units: number; converted: number; sum: number }>();
    const variationOf = new Map<string, string>();
    for (const event of generated) {
      if (event.kind === "exposure") {
        variationOf.set(event.visitorCode, event.variationKey);
        const row = expected.get(event.variationKey) ?? { units: 0, converted: 0, sum: 0 };
        row.units++;
        expected.set(event.variationKey, row);
      }
    }
    for (const event of generated) {
      if (event.kind !== "conversion") continue;
      const row = expected.get(variationOf.get(event.visitorCode) as string);
      if (!row) throw new Error("conversion without exposure");
      row.converted++;
      row.sum += event.value;
    }
    const result = await server.context.analytics.aggregate({
      projectKey: "demo",
      environmentKey: "production",
      featureKey: "checkout_button",
      goalId,
      unit: "visitor",
      conversionType: "ALL_CONVERSION",
    });
    const byVariation = Object.fromEntries(result.rows.map((row) => [row.variationKey, row]));
    expect(Object.keys(byVariation).sort()).toEqual(["off", "on"]);
    for (const [variation, row] of expected) {
      expect(byVariation[variation]?.units).toBe(row.units);
      expect(byVariation[variation]?.convertedUnits).toBe(row.converted);
      expect(byVariation[variation]?.sum).toBeCloseTo(row.sum, 6);
    }
    expect(expected.get("on")?.units).toBeGreaterThan(1300);
    const counts = await storedCounts();
    expect(counts.exposure + counts.conversion).toBe(generated.length);
  });

  it("accepts the client-side key and a goal given by id", async () => {
    const before = await storedCounts();
    const response = await post(
      [
        exposure("client-1"),
        { kind: "conversion", visitorCode: "client-1", visitId: "client-1-v1", goal: goalId, time: now },
      ],
      { key: clientKey },
    );
    expect(response.status).toBe(202);
    const after = await storedCounts();
    expect(after.exposure - before.exposure).toBe(1);
    expect(after.conversion - before.conversion).toBe(1);
  });

  it("rejects a batch with bad events, listing each bad index, and stores none of it", async () => {
    const before = await storedCounts();
    const response = await post([
      exposure("fine-1"),
      exposure("", { visitId: 5 }),
      { kind: "click", visitorCode: "x" },
      { kind: "conversion", visitorCode: "c", visitId: "c1", goal: "no-such-goal", time: now },
      exposure("fine-2", { attributes: { colour: "red" } }),
    ]);
    expect(response.status).toBe(400);
    const indexes = [...new Set(response.body.errors.map((e: { index: number }) => e.index))];
    expect(indexes).toEqual([1, 2, 3, 4]);
    const messages = response.body.errors.map((e: { message: string }) => e.message).join(" | ");
    expect(messages).toMatch(/visitorCode/);
    expect(messages).toMatch(/visitId/);
    expect(messages).toMatch(/kind must be/);
    expect(messages).toMatch(/no-such-goal/);
    expect(messages).toMatch(/attributes\.colour/);
    expect(await storedCounts()).toEqual(before);
  });

  it("stores a retried payload once", async () => {
    const before = await storedCounts();
    const batch = [exposure("retry-1"), exposure("retry-2")];
    const first = await post(batch, { payloadId: "batch-42" });
    const second = await post(batch, { payloadId: "batch-42" });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body).toEqual({ accepted: 0, duplicate: true });
    const after = await storedCounts();
    expect(after.exposure - before.exposure).toBe(2);
  });

  it("answers 401 without a key or with an unknown one, and 413 past 10,000 events", async () => {
    expect((await post([exposure("a")], { key: null })).status).toBe(401);
    expect((await post([exposure("a")], { key: "sdk-unknown" })).status).toBe(401);
    const tooMany = await post(Array.from({ length: 10_001 }, (_, i) => exposure(`bulk-${i}`)));
    expect(tooMany.status).toBe(413);
  });

  it("refuses a body that is not an array and events with unreadable times", async () => {
    const notArray = await server.request("POST", "/events/v1/bulk", {
      token: null,
      body: { kind: "exposure" },
      headers: { authorization: serverKey },
    });
    expect(notArray.status).toBe(400);
    const badTime = await post([exposure("t", { time: "yesterday" })]);
    expect(badTime.status).toBe(400);
    expect(badTime.body.errors[0].message).toMatch(/time/);
  });
});

describe("GET /admin/events", () => {
  it("is for admins only", async () => {
    const reader = await server.request("POST", "/tokens", { body: { name: "r", role: "reader" } });
    const response = await server.request("GET", "/admin/events", { token: reader.body.token });
    expect(response.status).toBe(403);
  });
});
