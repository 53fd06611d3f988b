// Capping in the aggregation statement, on both stores, against answers worked by hand from ten units.
// Per-unit revenue (the sum of the unit's conversion values): off v0 10, v1 20 + 5, v2 -, v3 1000, v4 -;
// on v5 30, v6 40, v7 -, v8 5000, v9 2. Pooled over both arms (units without revenue count 0), sorted:
// [0, 0, 0, 2, 10, 25, 30, 40, 1000, 5000]; percentile_cont (linear, h = 9q): P80 = 40 + 0.2 x 960 = 232.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AggregationQuery, AnalyticsEvent, AnalyticsStore } from "./analytics-store.js";
import { storeTargets } from "./store-targets.test-support.js";

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

function events(): AnalyticsEvent[] {
  const out: AnalyticsEvent[] = [];
  for (let i = 0; i < 10; i++) {
    const base = { projectKey: "p", environmentKey: "production", visitorCode: `u${i}`, visitId: `u${i}-1` };
    out.push({
      ...base,
      kind: "exposure",
      featureKey: "f",
      flagId: 1,
      ruleId: 1,
      experimentId: 1,
      variationKey: i < 5 ? "off" : "on",
      // Two browsers across both arms: a breakdown must not change the pooled cap.
      time: T0 + i,
      attributes: { browser: i % 2 === 0 ? "firefox" : "chrome" },
    });
    for (const [k, value] of (REVENUE[i] ?? []).entries())
      out.push({ ...base, kind: "conversion", goalId: 7, value, time: T0 + 1000 + i * 10 + k });
  }
  return out;
}

const query: AggregationQuery = {
  projectKey: "p",
  environmentKey: "production",
  featureKey: "f",
  goalId: 7,
  unit: "visitor",
  conversionType: "ALL_CONVERSION",
};

describe.each(storeTargets("capping"))("capping on $name", (target) => {
  let store: AnalyticsStore;
  beforeAll(async () => {
    store = await target.open();
    await store.append(events());
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await target.cleanup();
  });

  const byKey = async (q: AggregationQuery) =>
    Object.fromEntries((await store.aggregate(q)).rows.map((row) => [row.variationKey, row]));

  it("a pooled P80 cap (232) caps each unit's total before the sums; the raw sum is kept", async () => {
    const rows = await byKey({ ...query, capping: { type: "percentile", value: 0.8 } });
    // off: 10, 25, 0, min(1000, 232), 0; on: 30, 40, 0, min(5000, 232), 2.
    // The percentile is computed in floating point: 232 to ~1e-13.
    expect(rows.off).toMatchObject({ units: 5, uncappedSum: 1035, conversions: 4 });
    expect(rows.on).toMatchObject({ units: 5, uncappedSum: 5072, conversions: 4 });
    expect(rows.off!.sum).toBeCloseTo(267, 9);
    expect(rows.on!.sum).toBeCloseTo(304, 9);
    expect(rows.off!.cap).toBeCloseTo(232, 9);
    expect(rows.on!.cap).toBeCloseTo(232, 9);
    expect(rows.off!.sumSquares).toBeCloseTo(100 + 625 + 232 ** 2, 6);
    expect(rows.on!.sumSquares).toBeCloseTo(900 + 1600 + 232 ** 2 + 4, 6);
    // Centred: sum of squares minus sum^2 / n over the five units.
    expect(rows.off!.m2).toBeCloseTo(100 + 625 + 232 ** 2 - 267 ** 2 / 5, 6);
  });

  it("an absolute cap (100)", async () => {
    const rows = await byKey({ ...query, capping: { type: "absolute", value: 100 } });
    expect(rows.off).toMatchObject({ sum: 135, cap: 100, uncappedSum: 1035 });
    expect(rows.on).toMatchObject({ sum: 172, cap: 100, uncappedSum: 5072 });
  });

  it("the cap is pooled over the breakdown values and the series days alike", async () => {
    const groups = await store.aggregateGoals({
      ...query,
      goalIds: [7],
      breakdown: { type: "BROWSER" },
      caps: [{ goalId: 7, type: "percentile", value: 0.8 }],
    });
    const caps = groups.flatMap((g) => g.goals.map((goal) => goal.cap));
    expect(caps.length).toBeGreaterThan(2);
    for (const cap of caps) expect(cap).toBeCloseTo(232, 9);
    const total = groups.reduce((s, g) => s + (g.goals[0]?.sum ?? 0), 0);
    expect(total).toBeCloseTo(267 + 304, 9);
    const { series } = await store.aggregate({
      ...query,
      series: "DAY",
      capping: { type: "percentile", value: 0.8 },
    });
    expect(series!.reduce((s, p) => s + p.sum, 0)).toBeCloseTo(267 + 304, 9);
  });

  it("a percentile cap that comes out at 0 (most units without revenue) is not applied", async () => {
    // P20: h = 1.8, between the first two zeros.
    const rows = await byKey({ ...query, capping: { type: "percentile", value: 0.2 } });
    expect(rows.off).toMatchObject({ sum: 1035, cap: null, uncappedSum: 1035 });
  });

  it("without capping nothing changes and no cap is reported", async () => {
    const rows = await byKey(query);
    expect(rows.off).toMatchObject({ sum: 1035 });
    expect(rows.off!.cap).toBeUndefined();
  });

  it("rejects an unusable cap", async () => {
    await expect(store.aggregate({ ...query, capping: { type: "percentile", value: 1.5 } })).rejects.toThrow(
      /invalid percentile cap/,
    );
    await expect(
      store.aggregateGoals({ ...query, goalIds: [7], caps: [{ goalId: 8, type: "absolute", value: 5 }] }),
    ).rejects.toThrow(/not one of the aggregated goals/);
  });
});
