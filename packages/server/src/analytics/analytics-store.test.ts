// The same suite against the embedded DuckDB store (a file in a temp directory) and the PostgreSQL store
// (a database created for this file and dropped at the end). Every expected number is computed from the
// raw generated events by the reference model in analytics-test-data.test-support.ts.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toVariationStats } from "./aggregation-rows.js";
import type {
  AggregationQuery,
  AnalyticsEvent,
  AnalyticsStore,
  ExposureEvent,
  SeriesPoint,
  VariationStats,
} from "./analytics-store.js";
import {
  AWKWARD_CUSTOM_KEY,
  CLICK_GOAL,
  DAY,
  ENVIRONMENT,
  FEATURE,
  generateEvents,
  HOUR,
  MAIN_EXPERIMENT,
  PROJECT,
  REVENUE_GOAL,
  referenceAggregation,
  referenceSeries,
  SIDE_EXPERIMENT,
  TRAFFIC_DAYS,
  TRAFFIC_START,
} from "./analytics-test-data.test-support.js";
import { openDuckDbAnalyticsStore } from "./duckdb-store.js";
import { openPostgresAnalyticsStore } from "./postgres-store.js";

const POSTGRES_ADMIN_URL =
  process.env.VEXIL_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

interface StoreTarget {
  name: string;
  setup(): Promise<void>;
  open(): Promise<AnalyticsStore>;
  /** Runs statements straight on the closed store's database. */
  raw(statements: string[]): Promise<void>;
  teardown(): Promise<void>;
}

/** The tables as the first release made them, before the key hash columns. */
const WITHOUT_KEY_HASHES = [
  "ALTER TABLE analytics_exposures DROP COLUMN visitor_hash",
  "ALTER TABLE analytics_conversions DROP COLUMN visitor_hash",
  "ALTER TABLE analytics_conversions DROP COLUMN visit_hash",
];

function duckDbTarget(): StoreTarget {
  let directory = "";
  return {
    name: "duckdb",
    async setup() {
      directory = await mkdtemp(join(tmpdir(), "vexil-analytics-"));
    },
    open: () => openDuckDbAnalyticsStore({ path: join(directory, "events.duckdb") }),
    async raw(statements) {
      const instance = await DuckDBInstance.create(join(directory, "events.duckdb"));
      const connection = await instance.connect();
      try {
        for (const statement of statements) await connection.run(statement);
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    },
    async teardown() {
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function onAdminDatabase(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function postgresTarget(): StoreTarget {
  const database = `vexil_analytics_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${database}`;
  return {
    name: "postgres",
    setup: () => onAdminDatabase(`CREATE DATABASE ${database}`),
    open: () => openPostgresAnalyticsStore({ connectionString: url.toString() }),
    async raw(statements) {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        for (const statement of statements) await client.query(statement);
      } finally {
        await client.end();
      }
    },
    teardown: () => onAdminDatabase(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
  };
}

const { events } = generateEvents(20_250_122, 3000);
const BATCH_SIZE = 400;

function batchesOf(all: AnalyticsEvent[]): AnalyticsEvent[][] {
  const batches: AnalyticsEvent[][] = [];
  for (let start = 0; start < all.length; start += BATCH_SIZE)
    batches.push(all.slice(start, start + BATCH_SIZE));
  return batches;
}

/** Appends eight batches at a time, as concurrent ingestion requests would. */
async function appendConcurrently(store: AnalyticsStore, batches: AnalyticsEvent[][]): Promise<void> {
  for (let start = 0; start < batches.length; start += 8) {
    const wave = batches.slice(start, start + 8);
    const results = await Promise.all(wave.map((batch, i) => store.append(batch, `payload-${start + i}`)));
    expect(results).toEqual(wave.map((batch) => ({ stored: batch.length, duplicate: false })));
  }
}

const baseQuery: AggregationQuery = {
  projectKey: PROJECT,
  environmentKey: ENVIRONMENT,
  featureKey: FEATURE,
  goalId: REVENUE_GOAL,
  unit: "visitor",
  conversionType: "ALL_CONVERSION",
};

const COUNT_FIELDS = ["units", "exposures", "conversions", "convertedUnits", "visits", "visitors"] as const;
const RAW_SUM_FIELDS = ["sum", "sumSquares", "preSum", "preSumSquares", "crossSum"] as const;
const SUM_FIELDS = [...RAW_SUM_FIELDS, "m2", "preM2", "crossM2"] as const;

function expectClose(actual: number | undefined, expected: number | undefined, label: string): void {
  if (expected === undefined) {
    expect(actual, label).toBeUndefined();
    return;
  }
  expect(actual, label).toBeTypeOf("number");
  const tolerance = 1e-9 * Math.max(1, Math.abs(expected));
  expect(Math.abs(actual! - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

function expectStats(actual: VariationStats[], expected: VariationStats[]): void {
  const keyOf = (row: VariationStats) => `${row.variationKey} | ${row.breakdownValue}`;
  expect(actual.map(keyOf)).toEqual(expected.map(keyOf));
  expected.forEach((want, index) => {
    const got = actual[index]!;
    for (const field of COUNT_FIELDS) expect(got[field], `${keyOf(want)} ${field}`).toBe(want[field]);
    for (const field of SUM_FIELDS) expectClose(got[field], want[field], `${keyOf(want)} ${field}`);
  });
}

function expectSeries(actual: SeriesPoint[] | undefined, expected: SeriesPoint[]): void {
  expect(actual?.map((p) => `${p.day} ${p.variationKey}`)).toEqual(
    expected.map((p) => `${p.day} ${p.variationKey}`),
  );
  expected.forEach((want, index) => {
    const got = actual![index]!;
    expect([got.units, got.conversions, got.convertedUnits]).toEqual([
      want.units,
      want.conversions,
      want.convertedUnits,
    ]);
    expectClose(got.sum, want.sum, `${want.day} ${want.variationKey} sum`);
    expectClose(got.sumSquares, want.sumSquares, `${want.day} ${want.variationKey} sumSquares`);
    expectClose(got.m2, want.m2, `${want.day} ${want.variationKey} m2`);
  });
}

/** Per-variation totals of breakdown rows, to compare with the same query without breakdown. */
function totalsByVariation(
  rows: VariationStats[],
  fields: readonly (keyof VariationStats)[],
): Record<string, number[]> {
  const totals: Record<string, number[]> = {};
  for (const row of rows) {
    const sums = totals[row.variationKey] ?? fields.map(() => 0);
    totals[row.variationKey] = sums;
    fields.forEach((field, i) => {
      sums[i]! += row[field] as number;
    });
  }
  return totals;
}

describe.each([duckDbTarget(), postgresTarget()])("$name analytics store", (target) => {
  let store: AnalyticsStore;

  beforeAll(async () => {
    await target.setup();
    store = await target.open();
    await appendConcurrently(store, batchesOf(events));
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await target.teardown();
  });

  async function expectAggregation(query: AggregationQuery): Promise<VariationStats[]> {
    const result = await store.aggregate(query);
    const expected = referenceAggregation(events, query);
    expect(expected.length).toBeGreaterThan(0);
    expectStats(result.rows, expected);
    return result.rows;
  }

  describe("aggregation", () => {
    it("plain: visitor units, all conversions", async () => {
      const rows = await expectAggregation(baseQuery);
      expect(rows.map((row) => row.variationKey)).toEqual(["off", "on", "v2"]);
    });

    it("visit units", async () => {
      await expectAggregation({ ...baseQuery, unit: "visit" });
    });

    it.each(["visitor", "visit"] as const)("CONVERTED_VISITS with %s units", async (unit) => {
      const rows = await expectAggregation({ ...baseQuery, unit, conversionType: "CONVERTED_VISITS" });
      for (const row of rows) expect(row.sum).toBe(row.convertedUnits);
    });

    it("a non-numeric goal (value 1)", async () => {
      await expectAggregation({ ...baseQuery, goalId: CLICK_GOAL });
      await expectAggregation({ ...baseQuery, goalId: CLICK_GOAL, conversionType: "CONVERTED_VISITS" });
    });

    it("experiment and rule scoping", async () => {
      await expectAggregation({ ...baseQuery, experimentId: MAIN_EXPERIMENT.experimentId });
      await expectAggregation({ ...baseQuery, experimentId: SIDE_EXPERIMENT.experimentId, unit: "visit" });
      await expectAggregation({ ...baseQuery, ruleId: SIDE_EXPERIMENT.ruleId });
    });

    it("one date interval (from/to), and open-ended bounds", async () => {
      const from = TRAFFIC_START + 5 * DAY;
      await expectAggregation({ ...baseQuery, from, to: from + 6 * DAY });
      await expectAggregation({ ...baseQuery, from });
      await expectAggregation({ ...baseQuery, to: from, unit: "visit", conversionType: "CONVERTED_VISITS" });
    });

    it("several date intervals (union)", async () => {
      const dateIntervals = [
        { from: TRAFFIC_START + 2 * DAY, to: TRAFFIC_START + 4 * DAY },
        { from: TRAFFIC_START + 9 * DAY + 7 * HOUR, to: TRAFFIC_START + 15 * DAY },
      ];
      await expectAggregation({ ...baseQuery, dateIntervals });
      await expectAggregation({ ...baseQuery, dateIntervals, unit: "visit", cuped: true });
    });

    it("attribution window", async () => {
      await expectAggregation({ ...baseQuery, attributionWindowMs: DAY });
      await expectAggregation({ ...baseQuery, attributionWindowMs: 10 * DAY, unit: "visit" });
      const none = await store.aggregate({ ...baseQuery, attributionWindowMs: 0 });
      for (const row of none.rows) expect([row.conversions, row.sum]).toEqual([0, 0]);
    });

    it("include and exclude filters on the first exposure's attributes", async () => {
      await expectAggregation({
        ...baseQuery,
        filters: [{ attribute: "browser", include: true, values: ["chrome"] }],
      });
      await expectAggregation({
        ...baseQuery,
        filters: [{ attribute: "country", include: false, values: ["FR", "US"] }],
      });
      await expectAggregation({
        ...baseQuery,
        unit: "visit",
        filters: [{ attribute: "newVisitor", include: true, values: ["true"] }],
      });
      await expectAggregation({
        ...baseQuery,
        filters: [
          { attribute: "custom:plan", include: true, values: ["pro", "team"] },
          { attribute: "custom:age", include: false, values: ["18", "19", "20"] },
          { attribute: "deviceType", include: false, values: [] },
        ],
      });
      await expectAggregation({
        ...baseQuery,
        filters: [{ attribute: `custom:${AWKWARD_CUSTOM_KEY}`, include: true, values: ["a'b"] }],
      });
      const nothing = await store.aggregate({
        ...baseQuery,
        filters: [{ attribute: "os", include: true, values: [] }],
      });
      expect(nothing.rows).toEqual([]);
    });

    const breakdowns: [string, AggregationQuery["breakdown"]][] = [
      ["BROWSER", { type: "BROWSER" }],
      ["DEVICE_TYPE", { type: "DEVICE_TYPE" }],
      ["OS", { type: "OS" }],
      ["COUNTRY", { type: "COUNTRY" }],
      ["NEW_VISITOR", { type: "NEW_VISITOR" }],
      ["CUSTOM_DATUM plan", { type: "CUSTOM_DATUM", customKey: "plan" }],
      ["CUSTOM_DATUM awkward key", { type: "CUSTOM_DATUM", customKey: AWKWARD_CUSTOM_KEY }],
      ["INTERVAL HOUR", { type: "INTERVAL", interval: "HOUR" }],
      ["INTERVAL DAY", { type: "INTERVAL", interval: "DAY" }],
      ["INTERVAL WEEK", { type: "INTERVAL", interval: "WEEK" }],
      ["INTERVAL MONTH", { type: "INTERVAL", interval: "MONTH" }],
    ];

    it.each(breakdowns)("breakdown %s: rows match and add up to the totals", async (_, breakdown) => {
      for (const unit of ["visitor", "visit"] as const) {
        const query: AggregationQuery = { ...baseQuery, unit, breakdown, cuped: unit === "visitor" };
        const rows = await expectAggregation(query);
        const totals = (await store.aggregate({ ...query, breakdown: undefined })).rows;
        // Each unit sits in exactly one bucket; distinct visitors of visit units may span buckets.
        const additive = [
          "units",
          "exposures",
          "conversions",
          "convertedUnits",
          "visits",
          "sum",
          "sumSquares",
        ] as const;
        const fromBuckets = totalsByVariation(rows, additive);
        const fromTotals = totalsByVariation(totals, additive);
        for (const variation of Object.keys(fromTotals)) {
          fromTotals[variation]!.forEach((total, i) => {
            expectClose(fromBuckets[variation]![i], total, additive[i]!);
          });
        }
      }
    });

    it("breakdown INTERVAL values are ISO bucket starts (weeks start on Monday, UTC)", async () => {
      const weeks = await store.aggregate({
        ...baseQuery,
        breakdown: { type: "INTERVAL", interval: "WEEK" },
      });
      for (const row of weeks.rows) {
        const start = new Date(row.breakdownValue!);
        expect(start.getUTCDay()).toBe(1);
        expect(row.breakdownValue).toMatch(/T00:00:00\.000Z$/);
      }
      const months = await store.aggregate({
        ...baseQuery,
        breakdown: { type: "INTERVAL", interval: "MONTH" },
      });
      expect([...new Set(months.rows.map((row) => row.breakdownValue))].sort()).toEqual([
        "2025-01-01T00:00:00.000Z",
        "2025-02-01T00:00:00.000Z",
      ]);
    });

    it("CUPED pre-period sums and cross product", async () => {
      const rows = await expectAggregation({ ...baseQuery, cuped: true });
      expect(rows.every((row) => row.preSum! > 0 && row.crossSum! > 0)).toBe(true);
      await expectAggregation({ ...baseQuery, cuped: true, cupedPreWindowMs: 3 * DAY, unit: "visit" });
      await expectAggregation({
        ...baseQuery,
        cupedPreWindowMs: 30 * DAY,
        conversionType: "CONVERTED_VISITS",
      });
      const plain = await store.aggregate(baseQuery);
      expect(plain.rows[0]!.preSum).toBeUndefined();
    });

    it.each([
      ["visitor", "ALL_CONVERSION"],
      ["visit", "CONVERTED_VISITS"],
    ] as const)(
      "several goals in one statement, CUPED on one (%s units, %s)",
      async (unit, conversionType) => {
        const query = { ...baseQuery, unit, conversionType, breakdown: { type: "BROWSER" as const } };
        const { goalId: _goalId, ...rest } = query;
        const groups = await store.aggregateGoals({
          ...rest,
          goalIds: [REVENUE_GOAL, CLICK_GOAL],
          cupedGoalIds: [CLICK_GOAL],
        });
        expect(groups.some((group) => group.goals.length === 2)).toBe(true);
        for (const [goalId, cuped] of [
          [REVENUE_GOAL, false],
          [CLICK_GOAL, true],
        ] as const) {
          const oneGoal = { ...query, goalId, cuped };
          expectStats(toVariationStats(groups, oneGoal), referenceAggregation(events, oneGoal));
        }
      },
    );

    it("no goals: units only", async () => {
      const { goalId: _goalId, ...rest } = baseQuery;
      const groups = await store.aggregateGoals({ ...rest, goalIds: [] });
      const expected = referenceAggregation(events, baseQuery);
      expect(groups.map((g) => [g.variationKey, g.units, g.visits, g.goals.length])).toEqual(
        expected.map((e) => [e.variationKey, e.units, e.visits, 0]),
      );
    });

    it("per-day series of first exposures", async () => {
      for (const query of [
        { ...baseQuery, series: "DAY" as const },
        {
          ...baseQuery,
          series: "DAY" as const,
          unit: "visit" as const,
          conversionType: "CONVERTED_VISITS" as const,
        },
        { ...baseQuery, series: "DAY" as const, breakdown: { type: "OS" as const }, cuped: true },
      ]) {
        const result = await store.aggregate(query);
        expectStats(result.rows, referenceAggregation(events, query));
        const expected = referenceSeries(events, query);
        expect(expected.length).toBeGreaterThan(TRAFFIC_DAYS);
        expectSeries(result.series, expected);
      }
      const withoutSeries = await store.aggregate(baseQuery);
      expect(withoutSeries.series).toBeUndefined();
    });

    it("rejects a CUSTOM_DATUM breakdown without key and non-integer times", async () => {
      await expect(store.aggregate({ ...baseQuery, breakdown: { type: "CUSTOM_DATUM" } })).rejects.toThrow(
        /customKey/,
      );
      await expect(store.aggregate({ ...baseQuery, from: 1.5 })).rejects.toThrow(/integer/);
    });
  });

  describe("ingestion", () => {
    it("stores every generated event (counts)", async () => {
      const expected = new Map<string, number>();
      for (const event of events) {
        const key = `${event.kind} ${event.projectKey} ${event.environmentKey}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      const counts = await store.counts({});
      expect(new Map(counts.map((c) => [`${c.kind} ${c.projectKey} ${c.environmentKey}`, c.count]))).toEqual(
        expected,
      );
    });

    it("counts() filters by project, environment and time", async () => {
      const from = TRAFFIC_START + 3 * DAY;
      const to = TRAFFIC_START + 8 * DAY;
      const counts = await store.counts({ projectKey: PROJECT, environmentKey: ENVIRONMENT, from, to });
      const expectedOf = (kind: string) =>
        events.filter(
          (e) =>
            e.kind === kind &&
            e.projectKey === PROJECT &&
            e.environmentKey === ENVIRONMENT &&
            e.time >= from &&
            e.time < to,
        ).length;
      expect(counts).toEqual([
        { kind: "exposure", projectKey: PROJECT, environmentKey: ENVIRONMENT, count: expectedOf("exposure") },
        {
          kind: "conversion",
          projectKey: PROJECT,
          environmentKey: ENVIRONMENT,
          count: expectedOf("conversion"),
        },
      ]);
    });

    it("a payload id seen before stores nothing (idempotent retries)", async () => {
      const before = await store.counts({});
      const retry = await store.append(batchesOf(events)[0]!, "payload-0");
      expect(retry).toEqual({ stored: 0, duplicate: true });
      expect(await store.counts({})).toEqual(before);
    });

    it("the same new payload id sent twice at once is stored once", async () => {
      const batch = [isolatedExposure("dup-visitor", Date.UTC(2024, 5, 1))];
      const results = await Promise.all([store.append(batch, "twin"), store.append(batch, "twin")]);
      expect(results.map((r) => r.duplicate).sort()).toEqual([false, true]);
      expect(results.reduce((n, r) => n + r.stored, 0)).toBe(1);
      const counts = await store.counts({ projectKey: "isolated" });
      expect(counts).toEqual([
        { kind: "exposure", projectKey: "isolated", environmentKey: "test", count: 1 },
      ]);
    });

    it("an invalid batch is rejected alone; concurrent valid batches still commit", async () => {
      const good = [
        isolatedExposure("good-1", Date.UTC(2024, 5, 2)),
        isolatedExposure("good-2", Date.UTC(2024, 5, 2)),
      ];
      const bad = [{ ...isolatedExposure("bad", Date.UTC(2024, 5, 2)), time: Number.NaN }];
      const [first, second, third] = await Promise.allSettled([
        store.append(good.slice(0, 1)),
        store.append(bad),
        store.append(good.slice(1)),
      ]);
      expect(first).toEqual({ status: "fulfilled", value: { stored: 1, duplicate: false } });
      expect(second.status).toBe("rejected");
      expect(third).toEqual({ status: "fulfilled", value: { stored: 1, duplicate: false } });
    });
  });

  describe("maintenance", () => {
    it("deleteExperimentData removes the experiment's exposures only", async () => {
      const time = Date.UTC(2024, 6, 1, 12);
      const scoped = (experimentId: number, visitor: string): ExposureEvent => ({
        ...isolatedExposure(visitor, time),
        projectKey: "reset",
        featureKey: "reset-flag",
        experimentId,
      });
      await store.append([
        scoped(1, "a"),
        scoped(1, "b"),
        scoped(2, "c"),
        { ...scoped(1, "d"), featureKey: "kept" },
      ]);
      const scope = { projectKey: "reset", environmentKey: "test", featureKey: "reset-flag" };
      expect(await store.deleteExperimentData({ ...scope, experimentId: 1 })).toBe(2);
      expect(await store.deleteExperimentData(scope)).toBe(1);
      expect(await store.counts({ projectKey: "reset" })).toEqual([
        { kind: "exposure", projectKey: "reset", environmentKey: "test", count: 1 },
      ]);
    });

    it("deleteOlderThan removes whole old days and part of the cutoff day", async () => {
      const day = Date.UTC(2020, 2, 1);
      const old = [0, 1, 2].map((d) => isolatedExposure(`old-${d}`, day + d * DAY + 6 * HOUR, "retention"));
      const conversionOnCutoffDay = {
        kind: "conversion" as const,
        projectKey: "retention",
        environmentKey: "test",
        visitorCode: "old-2",
        visitId: "old-2-s0",
        goalId: 5,
        value: 3,
        time: day + 2 * DAY + 20 * HOUR,
      };
      await store.append([...old, conversionOnCutoffDay], "retention-payload");
      const before = await store.counts({ projectKey: PROJECT });
      // The cutoff falls inside the third day: two whole days plus the third day's morning exposure go.
      expect(await store.deleteOlderThan(day + 2 * DAY + 12 * HOUR)).toBe(3);
      expect(await store.counts({ projectKey: "retention" })).toEqual([
        { kind: "conversion", projectKey: "retention", environmentKey: "test", count: 1 },
      ]);
      expect(await store.counts({ projectKey: PROJECT })).toEqual(before);
      // New events for a day whose partition was dropped are accepted again.
      expect((await store.append([isolatedExposure("late", day + 6 * HOUR, "retention")])).stored).toBe(1);
    });

    it("keeps everything across a restart", async () => {
      const query: AggregationQuery = { ...baseQuery, cuped: true, breakdown: { type: "COUNTRY" } };
      const before = await store.aggregate(query);
      const countsBefore = await store.counts({});
      await store.close();
      store = await target.open();
      expect(await store.counts({})).toEqual(countsBefore);
      expectStats((await store.aggregate(query)).rows, before.rows);
      expect(await store.append(batchesOf(events)[1]!, "payload-1")).toEqual({ stored: 0, duplicate: true });
    });

    it("adds and fills the key hashes of tables made before they existed", async () => {
      const queries: AggregationQuery[] = [
        { ...baseQuery, breakdown: { type: "BROWSER" } },
        { ...baseQuery, unit: "visit", cuped: true },
      ];
      const before = await Promise.all(queries.map((query) => store.aggregate(query)));
      await store.close();
      await target.raw(WITHOUT_KEY_HASHES);
      store = await target.open();
      for (const [index, query] of queries.entries()) {
        expectStats((await store.aggregate(query)).rows, before[index]!.rows);
      }
    });
  });
});

function isolatedExposure(visitorCode: string, time: number, projectKey = "isolated"): ExposureEvent {
  return {
    kind: "exposure",
    projectKey,
    environmentKey: "test",
    visitorCode,
    visitId: `${visitorCode}-s0`,
    featureKey: "isolated-flag",
    flagId: 9,
    ruleId: 90,
    experimentId: null,
    variationKey: "on",
    time,
    attributes: {},
  };
}
