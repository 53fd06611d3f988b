// Precision end to end: a revenue metric whose mean is huge against its spread (1e8 +- 1, the issue's
// case) keeps its variance from the aggregation SQL (var_pop/covar_pop, merged with the units without an
// outcome) to the statistics, where sum of squares minus squared sum / n loses every digit.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyzeMetric } from "@vexil/stats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnalyticsEvent, AnalyticsStore } from "./analytics-store.js";
import { openDuckDbAnalyticsStore } from "./duckdb-store.js";

const T0 = Date.UTC(2025, 0, 10);
const N = 2000;
// Deterministic spread: values 1e8 + (i mod 7 - 3) / 2, i.e. sd ~ 1.
const unitValue = (i: number) => 1e8 + ((i % 7) - 3) / 2;

describe("stable moments from the aggregation SQL to the statistics (DuckDB)", () => {
  let dir: string;
  let store: AnalyticsStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vexil-moments-"));
    store = await openDuckDbAnalyticsStore({ path: join(dir, "events.duckdb") });
    const events: AnalyticsEvent[] = [];
    for (let i = 0; i < N; i++) {
      const base = {
        projectKey: "p",
        environmentKey: "production",
        visitorCode: `v${i}`,
        visitId: `v${i}-s0`,
      };
      events.push({
        ...base,
        kind: "exposure",
        featureKey: "f",
        flagId: 1,
        ruleId: 1,
        experimentId: 1,
        variationKey: i % 2 === 0 ? "off" : "on",
        time: T0 + i,
        attributes: {},
      });
      // Every unit but one in ten converts once, with a value near 1e8.
      if (i % 10 !== 0)
        events.push({ ...base, kind: "conversion", goalId: 7, value: unitValue(i), time: T0 + N + i });
    }
    await store.append(events);
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("the centred sum of squares matches a two-pass computation; the analysis' standard error too", async () => {
    const { rows } = await store.aggregate({
      projectKey: "p",
      environmentKey: "production",
      featureKey: "f",
      goalId: 7,
      unit: "visitor",
      conversionType: "ALL_CONVERSION",
    });
    for (const row of rows) {
      const values: number[] = [];
      for (let i = row.variationKey === "off" ? 0 : 1; i < N; i += 2)
        values.push(i % 10 === 0 ? 0 : unitValue(i));
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const m2 = values.reduce((s, v) => s + (v - mean) ** 2, 0);
      expect(row.units).toBe(values.length);
      // DuckDB's var_pop (Welford over values near 1e8) is good to ~1e-9 here; the raw sums are not even
      // close (sum of squares 1e19 has a rounding step of 2,048 against an m2 near 1,000).
      expect(Math.abs(row.m2 - m2) / m2).toBeLessThan(1e-7);
      const raw = row.sumSquares - (row.sum * row.sum) / row.units;
      if (row.variationKey === "on") expect(Math.abs(raw - m2) / m2).toBeGreaterThan(0.01);
    }
    // Only the units with a value: variance ~1 against a mean of 1e8. The raw sums cannot tell.
    const only = rows.map((row) => {
      const values: number[] = [];
      for (let i = row.variationKey === "off" ? 0 : 1; i < N; i += 2)
        if (i % 10 !== 0) values.push(unitValue(i));
      return values;
    });
    const m2Of = (v: number[]) => {
      const mean = v.reduce((s, x) => s + x, 0) / v.length;
      return v.reduce((s, x) => s + (x - mean) ** 2, 0);
    };
    const a = only[0]!;
    const b = only[1]!;
    const fromMoments = analyzeMetric({
      variations: [
        { key: "a", n: a.length, sum: a.reduce((s, x) => s + x, 0), m2: m2Of(a) },
        { key: "b", n: b.length, sum: b.reduce((s, x) => s + x, 0), m2: m2Of(b) },
      ],
    }).variations[1]!.comparison!;
    const exactSe = Math.sqrt(m2Of(a) / (a.length - 1) / a.length + m2Of(b) / (b.length - 1) / b.length);
    expect(Math.abs(fromMoments.absolute!.se / exactSe - 1)).toBeLessThan(1e-9);
  });
});
