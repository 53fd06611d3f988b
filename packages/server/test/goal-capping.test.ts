// Capping of numeric goals end to end: the goal setting in both dialects (with their 400s), and the cap in
// the Kameleoon results report and LaunchDarkly's legacy results, on the real stores (SQLite + DuckDB, or
// PostgreSQL with VEXIL_TEST_POSTGRES_URL). Expected numbers are worked by hand from ten units:
// per-unit revenue off 10, 25 (20 + 5), -, 1000, -; on 30, 40, -, 5000, 2. Pooled (units without revenue
// count 0): [0, 0, 0, 2, 10, 25, 30, 40, 1000, 5000]; its P80 (linear, h = 9 x 0.8 = 7.2) is 232, so the
// capped arms are off 10 + 25 + 232 = 267 and on 30 + 40 + 232 + 2 = 304 over 5 units each.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnalyticsEvent } from "../src/analytics/analytics-store.js";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import {
  createExperiment,
  type ExperimentSetup,
  waitForReport,
} from "../src/results/results-simulation.test-support.js";
import { expectKameleoonError, expectLaunchDarklyError, type J } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
let setup: ExperimentSetup;
let goalKey: string;
const T0 = Date.UTC(2025, 2, 3, 12);
const REVENUE: Record<number, number[]> = {
  0: [10],
  1: [20, 5],
  3: [1000],
  5: [30],
  6: [40],
  8: [5000],
  9: [2],
};

const ld = (method: string, url: string, body?: unknown) =>
  server.request(method, url, {
    token: null,
    headers: { authorization: server.adminToken },
    ...(body !== undefined ? { body } : {}),
  });

beforeAll(async () => {
  server = await startTestServer();
  await ensureDemoProject(server.context);
  setup = await createExperiment(server, {
    featureKey: "capped-revenue",
    goals: [{ name: "Revenue", isNumeric: true }],
  });
  const goal = await server.request("PATCH", `/goals/${setup.goalIds[0]}`, {
    body: { cappingSettings: { type: "percentile", value: 0.8 } },
  });
  expect(goal.status, goal.text).toBe(200);
  goalKey = goal.body.key;
  const events: AnalyticsEvent[] = [];
  for (let i = 0; i < 10; i++) {
    const base = {
      projectKey: "demo",
      environmentKey: "production",
      visitorCode: `c${i}`,
      visitId: `c${i}-1`,
    };
    events.push({
      ...base,
      kind: "exposure",
      featureKey: setup.featureKey,
      flagId: setup.flagId,
      ruleId: setup.ruleId,
      experimentId: setup.experimentId,
      variationKey: i < 5 ? "off" : "on",
      time: T0 + i,
      attributes: {},
    });
    for (const [k, value] of (REVENUE[i] ?? []).entries())
      events.push({
        ...base,
        kind: "conversion",
        goalId: setup.goalIds[0]!,
        value,
        time: T0 + 1000 + 10 * i + k,
      });
  }
  await server.context.analytics.append(events);
}, 60_000);
afterAll(async () => server?.close());

async function report(conversionType: string) {
  const posted = await server.request("POST", `/feature-flags/${setup.flagId}/results`, {
    body: {
      dateIntervals: [
        { start: new Date(T0 - 86_400_000).toISOString(), end: new Date(T0 + 86_400_000).toISOString() },
      ],
      conversionType,
    },
  });
  expect(posted.status, posted.text).toBe(200);
  const done = await waitForReport(server, posted.body.dataCode);
  expect(done.status, JSON.stringify(done.error)).toBe("READY");
  return done.data as J;
}

describe("goal capping settings", () => {
  it("Kameleoon goals: default none, set, shown, merged and removed", async () => {
    const created = await server.request("POST", "/goals", {
      body: {
        siteCode: "demo",
        name: "Basket",
        isNumeric: true,
        cappingSettings: { type: "absolute", value: 500 },
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.cappingSettings).toEqual({ type: "absolute", value: 500 });
    const plain = await server.request("POST", "/goals", { body: { siteCode: "demo", name: "Plain" } });
    expect(plain.body.cappingSettings).toEqual({ type: "none", value: null });
    const patched = await server.request("PATCH", `/goals/${created.body.id}`, {
      body: { cappingSettings: { type: "percentile", value: 0.99 } },
    });
    expect(patched.body.cappingSettings).toEqual({ type: "percentile", value: 0.99 });
    const none = await server.request("PATCH", `/goals/${created.body.id}`, {
      body: { cappingSettings: { type: "none" } },
    });
    expect(none.body.cappingSettings).toEqual({ type: "none", value: null });
    const read = await server.request("GET", `/goals/${created.body.id}`);
    expect(read.body.cappingSettings).toEqual({ type: "none", value: null });
  });

  it("Kameleoon goals: unusable capping is a 400 and changes nothing", async () => {
    const bad = [
      [{ name: "x", cappingSettings: { type: "percentile", value: 0.9 } }, /numeric goals only/],
      [{ name: "x", isNumeric: true, cappingSettings: { type: "percentile", value: 99 } }, /between 0 and 1/],
      [{ name: "x", isNumeric: true, cappingSettings: { type: "absolute", value: -3 } }, /above 0/],
      [{ name: "x", isNumeric: true, cappingSettings: { type: "absolute" } }, /above 0/],
      [{ name: "x", isNumeric: true, cappingSettings: { type: "winsor", value: 1 } }, /cappingSettings/],
      [
        { name: "x", isNumeric: true, cappingSettings: { type: "absolute", value: 5, lower: 1 } },
        /cappingSettings/,
      ],
    ] as const;
    for (const [body, message] of bad)
      expectKameleoonError(
        await server.request("POST", "/goals", { body: { siteCode: "demo", ...body } }),
        400,
        message,
      );
    // Turning a capped goal into a conversion goal must drop the capping too.
    expectKameleoonError(
      await server.request("PATCH", `/goals/${setup.goalIds[0]}`, { body: { isNumeric: false } }),
      400,
      /numeric goals only/,
    );
    const still = await server.request("GET", `/goals/${setup.goalIds[0]}`);
    expect(still.body).toMatchObject({
      isNumeric: true,
      cappingSettings: { type: "percentile", value: 0.8 },
    });
  });

  it("LaunchDarkly metrics: cappingSettings is a Vexil extension field; unknown fields stay 400", async () => {
    const created = await ld("POST", "/api/v2/metrics/demo", {
      key: "order-value",
      kind: "custom",
      isNumeric: true,
      cappingSettings: { type: "absolute", value: 100 },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.cappingSettings).toEqual({ type: "absolute", value: 100 });
    const patched = await ld("PATCH", "/api/v2/metrics/demo/order-value", [
      { op: "replace", path: "/cappingSettings", value: { type: "percentile", value: 0.95 } },
    ]);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.cappingSettings).toEqual({ type: "percentile", value: 0.95 });
    expectLaunchDarklyError(
      await ld("PATCH", "/api/v2/metrics/demo/order-value", [
        { op: "replace", path: "/cappingSettings/value", value: 1.5 },
      ]),
      400,
      "invalid_request",
      /between 0 and 1/,
    );
    expectLaunchDarklyError(
      await ld("POST", "/api/v2/metrics/demo", { key: "m2", kind: "custom", winsorize: 0.99 }),
      400,
      "invalid_request",
    );
    expectLaunchDarklyError(
      await ld("POST", "/api/v2/metrics/demo", {
        key: "m3",
        kind: "custom",
        cappingSettings: { type: "absolute", value: 10 },
      }),
      400,
      "invalid_request",
      /numeric goals only/,
    );
    const read = await ld("GET", "/api/v2/metrics/demo/order-value");
    expect(read.body.cappingSettings).toEqual({ type: "percentile", value: 0.95 });
  });
});

describe("capping in results", () => {
  it("Kameleoon report: the pooled P80 cap (232) is applied and shown; revenue stays uncapped", async () => {
    const data = await report("ALL_CONVERSION");
    const goalId = String(setup.goalIds[0]);
    expect(data.goals[0].capping).toMatchObject({
      type: "percentile",
      value: 0.8,
      applied: true,
      reason: null,
    });
    expect(data.goals[0].capping.cap).toBeCloseTo(232, 9);
    const off = data.variationData[String(setup.variationIds.off)].generalData.goalsData[goalId];
    const on = data.variationData[String(setup.variationIds.on)].generalData.goalsData[goalId];
    expect(off.revenueCount).toBe(1035);
    expect(on.revenueCount).toBe(5072);
    // The effect is the difference of the capped means, 304 / 5 - 267 / 5 = 7.4 (uncapped it would be
    // 5072 / 5 - 1035 / 5 = 807.4); ten units are too few for a relative lift (the report says why).
    expect(on.absoluteEffect.estimate).toBeCloseTo(7.4, 9);
  });

  it("Kameleoon report on converted units: nothing to cap, and it says so", async () => {
    const data = await report("CONVERTED_VISITS");
    expect(data.goals[0].capping).toMatchObject({
      applied: false,
      cap: null,
      reason: expect.stringMatching(/0\/1/),
    });
  });

  it("LaunchDarkly legacy results: capped means and the cap; raw revenue in the totals", async () => {
    const legacy = await ld("GET", `/api/v2/flags/demo/capped-revenue/experiments/production/${goalKey}`);
    expect(legacy.status, legacy.text).toBe(200);
    expect(legacy.body.capping).toMatchObject({ type: "percentile", value: 0.8, applied: true });
    expect(legacy.body.capping.cap).toBeCloseTo(232, 9);
    const [off, on] = legacy.body.totals;
    expect(off.cumulativeValue).toBe(1035);
    expect(off.cumulativeConversionRate).toBeCloseTo(267 / 5, 9);
    expect(on.cumulativeConversionRate).toBeCloseTo(304 / 5, 9);
  });
});
