// PostgreSQL rollups (postgres-rollups.ts) answer exactly what the raw statement answers on the same data:
// every query below runs twice on one store, with maintainRollup (rollup path) and without (raw path), after
// each change to the data: the first build, more events (new units, existing units' later exposures and
// conversions, late events with old times), an exposure that moves a unit's first exposure earlier,
// retention and a results reset. Expected numbers therefore come from the raw path, itself checked against
// the TypeScript reference model in analytics-store.test.ts.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase } from "../storage/scratch-database.test-support.js";
import type {
  AggregationQuery,
  AnalyticsEvent,
  AnalyticsStore,
  ExposureEvent,
  GoalsAggregationQuery,
  UnitGroupStats,
} from "./analytics-store.js";
import {
  CLICK_GOAL,
  DAY,
  ENVIRONMENT,
  FEATURE,
  generateEvents,
  MAIN_EXPERIMENT,
  PROJECT,
  REVENUE_GOAL,
  TRAFFIC_START,
} from "./analytics-test-data.test-support.js";
import { openPostgresAnalyticsStore } from "./postgres-store.js";

const POSTGRES_ADMIN_URL =
  process.env.VEXIL_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const BASE = { projectKey: PROJECT, environmentKey: ENVIRONMENT, featureKey: FEATURE } as const;

/** The shapes a rollup serves: the flag's whole data, and an experiment from its start, per day. */
const GOALS_QUERIES: GoalsAggregationQuery[] = [
  { ...BASE, unit: "visitor", conversionType: "ALL_CONVERSION", goalIds: [REVENUE_GOAL, CLICK_GOAL] },
  {
    ...BASE,
    experimentId: MAIN_EXPERIMENT.experimentId,
    from: TRAFFIC_START + 2 * DAY,
    to: TRAFFIC_START + 400 * DAY,
    unit: "visitor",
    conversionType: "ALL_CONVERSION",
    goalIds: [REVENUE_GOAL],
    breakdown: { type: "INTERVAL", interval: "DAY" },
  },
  { ...BASE, unit: "visitor", conversionType: "ALL_CONVERSION", goalIds: [] },
];

/** An experiment's results as experiment-results.ts asks for them (one goal, with its daily series). */
const METRIC_QUERY: AggregationQuery = {
  ...BASE,
  experimentId: MAIN_EXPERIMENT.experimentId,
  from: TRAFFIC_START,
  to: TRAFFIC_START + 400 * DAY,
  goalId: REVENUE_GOAL,
  unit: "visitor",
  conversionType: "ALL_CONVERSION",
  series: "DAY",
};

/** Counts are equal; sums of doubles agree to 1e-9 relative (summation order differs between the paths). */
function expectSame(actual: unknown, expected: unknown, path = "result"): void {
  if (typeof expected === "number" && typeof actual === "number") {
    const tolerance = 1e-9 * Math.max(1, Math.abs(expected));
    if (Math.abs(actual - expected) > tolerance) expect.fail(`${path}: ${actual} != ${expected}`);
    return;
  }
  if (expected !== null && typeof expected === "object") {
    expect(actual, path).toBeTypeOf("object");
    const keys = Object.keys(expected as object).sort();
    expect(Object.keys(actual as object).sort(), path).toEqual(keys);
    for (const key of keys)
      expectSame(
        (actual as Record<string, unknown>)[key],
        (expected as Record<string, unknown>)[key],
        `${path}.${key}`,
      );
    return;
  }
  expect(actual, path).toEqual(expected);
}

describe("PostgreSQL rollups", () => {
  const { events } = generateEvents(16, 600);
  const firstPart = events.slice(0, Math.floor(events.length * 0.6));
  const rest = events.slice(firstPart.length);
  let store: AnalyticsStore;
  let url = "";
  let drop = async () => {};

  beforeAll(async () => {
    const scratch = await createScratchDatabase(
      POSTGRES_ADMIN_URL,
      `vexil_rollups_${process.pid}_${Math.random().toString(36).slice(2, 10)}`,
    );
    url = scratch.url;
    drop = scratch.drop;
    store = await openPostgresAnalyticsStore({ connectionString: url });
  });

  afterAll(async () => {
    await store?.close();
    await drop();
  });

  async function rollupCount(): Promise<number> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return Number((await client.query("SELECT count(*) AS n FROM analytics_rollup_units")).rows[0].n);
    } finally {
      await client.end();
    }
  }

  async function expectRollupsMatchRaw(): Promise<void> {
    for (const query of GOALS_QUERIES) {
      const raw: UnitGroupStats[] = await store.aggregateGoals(query);
      const rolled = await store.aggregateGoals({ ...query, maintainRollup: true });
      expectSame(rolled, raw);
    }
    const raw = await store.aggregate(METRIC_QUERY);
    expectSame(await store.aggregate({ ...METRIC_QUERY, maintainRollup: true }), raw);
  }

  it("answers the raw numbers on the first build, and keeps per-unit rows", async () => {
    await store.append(firstPart);
    for (const query of GOALS_QUERIES) expect(await store.aggregateGoals(query)).not.toHaveLength(0);
    await expectRollupsMatchRaw();
    expect(await rollupCount()).toBeGreaterThan(0);
  });

  it("stays exact as events arrive: new units, existing units, late events with old times", async () => {
    // The rest of the shuffled events: later visits and conversions of known units, new units, and events
    // whose times lie before many already stored ones.
    for (let i = 0; i < rest.length; i += 400) {
      await store.append(rest.slice(i, i + 400));
      await expectRollupsMatchRaw();
    }
  });

  it("moves a unit to an earlier first exposure (and its variation, window and day) exactly", async () => {
    const sample = events.find(
      (e): e is ExposureEvent => e.kind === "exposure" && e.experimentId === MAIN_EXPERIMENT.experimentId,
    )!;
    const earlier: AnalyticsEvent = {
      ...sample,
      variationKey: sample.variationKey === "off" ? "on" : "off",
      visitId: `${sample.visitId}-early`,
      time: TRAFFIC_START + 2 * DAY + 1,
    };
    await store.append([earlier]);
    await expectRollupsMatchRaw();
  });

  it("answers the same under concurrent reports", async () => {
    await store.append(rest.slice(0, 50).map((e) => ({ ...e, visitorCode: `${e.visitorCode}-again` })));
    const query = { ...GOALS_QUERIES[0]!, maintainRollup: true };
    const [a, b] = await Promise.all([store.aggregateGoals(query), store.aggregateGoals(query)]);
    expectSame(a, b);
    expectSame(a, await store.aggregateGoals(GOALS_QUERIES[0]!));
  });

  it("falls back to the raw statement when events reach past the query's interval end", async () => {
    const query = { ...GOALS_QUERIES[1]!, to: TRAFFIC_START + 5 * DAY };
    expectSame(
      await store.aggregateGoals({ ...query, maintainRollup: true }),
      await store.aggregateGoals(query),
    );
  });

  it("is emptied by retention and rebuilt exactly", async () => {
    expect(await store.deleteOlderThan(TRAFFIC_START + 4 * DAY + 7)).toBeGreaterThan(0);
    expect(await rollupCount()).toBe(0);
    await expectRollupsMatchRaw();
  });

  it("is emptied by a results reset and rebuilt exactly", async () => {
    await expectRollupsMatchRaw();
    expect(
      await store.deleteExperimentData({ ...BASE, experimentId: MAIN_EXPERIMENT.experimentId }),
    ).toBeGreaterThan(0);
    expect(await rollupCount()).toBe(0);
    await expectRollupsMatchRaw();
  });
});
