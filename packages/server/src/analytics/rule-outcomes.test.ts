// ruleOutcomes (the automation tick's one batched aggregation) against the embedded DuckDB store and the
// PostgreSQL store, compared with an independent computation from the raw generated events.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  AnalyticsEvent,
  AnalyticsStore,
  ConversionEvent,
  ExposureEvent,
  RuleOutcome,
  RuleOutcomeRequest,
} from "./analytics-store.js";
import { DEFAULT_ATTRIBUTION_WINDOW_MS, InvalidAggregationQueryError } from "./analytics-store.js";
import { openDuckDbAnalyticsStore } from "./duckdb-store.js";
import { openPostgresAnalyticsStore } from "./postgres-store.js";
import { buildRuleOutcomesSql } from "./rule-outcomes-sql.js";
import { seededRandom } from "./seeded-random.js";

const POSTGRES_ADMIN_URL =
  process.env.VEXIL_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2025, 2, 3, 8, 0);

interface RuleSpec {
  projectKey: string;
  environmentKey: string;
  featureKey: string;
  ruleId: number;
  variations: string[];
}

const RULES: RuleSpec[] = [
  {
    projectKey: "shop",
    environmentKey: "production",
    featureKey: "checkout",
    ruleId: 501,
    variations: ["off", "on"],
  },
  {
    projectKey: "shop",
    environmentKey: "production",
    featureKey: "checkout",
    ruleId: 502,
    variations: ["a", "b", "c"],
  },
  {
    projectKey: "shop",
    environmentKey: "staging",
    featureKey: "checkout",
    ruleId: 503,
    variations: ["off", "on"],
  },
  { projectKey: "blog", environmentKey: "production", featureKey: "banner", ruleId: 504, variations: ["on"] },
];
const GOALS = [11, 12, 13];

/**
 * Visitors exposed to one or two rules, some several times in different variations (a re-allocation), some
 * with two exposures at the same instant; conversions before the first exposure, inside the window, exactly
 * at its end, after it, in another environment, on goals nobody asks for.
 */
function generateEvents(seed: number, visitors: number): AnalyticsEvent[] {
  const random = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const events: AnalyticsEvent[] = [];
  for (let i = 0; i < visitors; i++) {
    const visitorCode = `v${i}`;
    const rules = random() < 0.2 ? [pick(RULES), pick(RULES)] : [pick(RULES)];
    for (const rule of rules) {
      const first = START + Math.floor(random() * 10 * DAY);
      const exposure = (variationKey: string, time: number): ExposureEvent => ({
        kind: "exposure",
        projectKey: rule.projectKey,
        environmentKey: rule.environmentKey,
        visitorCode,
        visitId: `${visitorCode}-${time}`,
        featureKey: rule.featureKey,
        flagId: 1,
        ruleId: rule.ruleId,
        experimentId: null,
        variationKey,
        time,
        attributes: {},
      });
      events.push(exposure(pick(rule.variations), first));
      const shape = random();
      if (shape < 0.15) events.push(exposure(pick(rule.variations), first + Math.floor(random() * 3 * DAY)));
      else if (shape < 0.2) events.push(exposure(pick(rule.variations), first));
      const conversion = (
        goalId: number,
        time: number,
        environmentKey = rule.environmentKey,
      ): ConversionEvent => ({
        kind: "conversion",
        projectKey: rule.projectKey,
        environmentKey,
        visitorCode,
        visitId: `${visitorCode}-c`,
        goalId,
        value: Math.round(random() * 10_000) / 100,
        time,
      });
      const conversions = Math.floor(random() * 4);
      for (let c = 0; c < conversions; c++) {
        const where = random();
        const time =
          where < 0.1
            ? first - 1 - Math.floor(random() * DAY)
            : where < 0.15
              ? first + DEFAULT_ATTRIBUTION_WINDOW_MS
              : where < 0.2
                ? first + DEFAULT_ATTRIBUTION_WINDOW_MS + Math.floor(random() * DAY)
                : where < 0.25
                  ? first
                  : first + Math.floor(random() * DEFAULT_ATTRIBUTION_WINDOW_MS);
        const environmentKey = random() < 0.05 ? "development" : rule.environmentKey;
        events.push(conversion(pick([...GOALS, 99]), time, environmentKey));
      }
    }
  }
  return events;
}

/** The expected outcomes, straight from the events: no SQL, no shared code with rule-outcomes-sql.ts. */
function reference(
  events: AnalyticsEvent[],
  requests: RuleOutcomeRequest[],
  windowMs: number,
): RuleOutcome[] {
  const goalsByRule = new Map<number, { scope: RuleOutcomeRequest; goals: Set<number> }>();
  for (const request of requests) {
    const known = goalsByRule.get(request.ruleId) ?? { scope: request, goals: new Set<number>() };
    for (const goal of request.goalIds) known.goals.add(goal);
    goalsByRule.set(request.ruleId, known);
  }
  const out: RuleOutcome[] = [];
  for (const [ruleId, { scope, goals }] of goalsByRule) {
    // First exposure per visitor (ties: smallest variation key).
    const first = new Map<string, { time: number; variationKey: string }>();
    for (const event of events) {
      if (event.kind !== "exposure" || event.ruleId !== ruleId) continue;
      if (event.projectKey !== scope.projectKey || event.environmentKey !== scope.environmentKey) continue;
      if (event.time < (scope.from ?? 0)) continue;
      const known = first.get(event.visitorCode);
      if (
        !known ||
        event.time < known.time ||
        (event.time === known.time && event.variationKey < known.variationKey)
      ) {
        first.set(event.visitorCode, { time: event.time, variationKey: event.variationKey });
      }
    }
    const variations = [...new Set([...first.values()].map((f) => f.variationKey))];
    for (const goalId of goals) {
      for (const variationKey of variations) {
        const row: RuleOutcome = {
          ruleId,
          variationKey,
          goalId,
          units: 0,
          conversions: 0,
          convertedUnits: 0,
          sum: 0,
          sumSquares: 0,
        };
        for (const [visitorCode, unit] of first) {
          if (unit.variationKey !== variationKey) continue;
          row.units++;
          let count = 0;
          let value = 0;
          for (const event of events) {
            if (event.kind !== "conversion" || event.visitorCode !== visitorCode || event.goalId !== goalId)
              continue;
            if (event.projectKey !== scope.projectKey || event.environmentKey !== scope.environmentKey)
              continue;
            if (event.time < unit.time || event.time >= unit.time + windowMs) continue;
            count++;
            value += event.value;
          }
          if (count > 0) {
            row.conversions += count;
            row.convertedUnits++;
            row.sum += value;
            row.sumSquares += value * value;
          }
        }
        out.push(row);
      }
    }
  }
  return out.sort(
    (a, b) =>
      a.ruleId - b.ruleId ||
      a.goalId - b.goalId ||
      (a.variationKey < b.variationKey ? -1 : a.variationKey > b.variationKey ? 1 : 0),
  );
}

function expectOutcomes(actual: RuleOutcome[], expected: RuleOutcome[]) {
  const counts = (rows: RuleOutcome[]) => rows.map(({ sum: _s, sumSquares: _q, ...rest }) => rest);
  expect(counts(actual)).toEqual(counts(expected));
  actual.forEach((row, i) => {
    expect(row.sum).toBeCloseTo(expected[i]!.sum, 6);
    expect(row.sumSquares / Math.max(1, expected[i]!.sumSquares)).toBeCloseTo(1, 9);
  });
}

const EVENTS = generateEvents(7, 3000);
const REQUESTS: RuleOutcomeRequest[] = [
  { projectKey: "shop", environmentKey: "production", ruleId: 501, goalIds: [11, 12] },
  { projectKey: "shop", environmentKey: "production", ruleId: 502, goalIds: [11] },
  // The same rule again (a second rollback condition): read once, with the union of goals.
  { projectKey: "shop", environmentKey: "production", ruleId: 502, goalIds: [13, 11] },
  { projectKey: "shop", environmentKey: "staging", ruleId: 503, goalIds: [12] },
  { projectKey: "blog", environmentKey: "production", ruleId: 504, goalIds: [11, 13] },
  // No exposures at all.
  { projectKey: "shop", environmentKey: "production", ruleId: 999, goalIds: [11] },
];

interface StoreTarget {
  name: string;
  open(): Promise<{ store: AnalyticsStore; teardown(): Promise<void> }>;
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

const targets: StoreTarget[] = [
  {
    name: "duckdb",
    async open() {
      const directory = await mkdtemp(join(tmpdir(), "vexil-rule-outcomes-"));
      const store = await openDuckDbAnalyticsStore({ path: join(directory, "events.duckdb") });
      return {
        store,
        async teardown() {
          await store.close();
          await rm(directory, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: "postgres",
    async open() {
      const database = `vexil_rule_outcomes_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      await onAdminDatabase(`CREATE DATABASE ${database}`);
      const url = new URL(POSTGRES_ADMIN_URL);
      url.pathname = `/${database}`;
      const store = await openPostgresAnalyticsStore({ connectionString: url.toString() });
      return {
        store,
        async teardown() {
          await store.close();
          await onAdminDatabase(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        },
      };
    },
  },
];

describe.each(targets)("ruleOutcomes on $name", (target) => {
  let store: AnalyticsStore;
  let teardown: () => Promise<void>;

  beforeAll(async () => {
    ({ store, teardown } = await target.open());
    await store.append(EVENTS);
  });

  afterAll(async () => {
    await teardown?.();
  });

  it("matches the computation from raw events, for every requested rule and goal, in one statement", async () => {
    const expected = reference(EVENTS, REQUESTS, DEFAULT_ATTRIBUTION_WINDOW_MS);
    // The data exercises what it should: several rules, units converting more than once.
    expect(new Set(expected.map((row) => row.ruleId))).toEqual(new Set([501, 502, 503, 504]));
    expect(expected.some((row) => row.conversions > row.convertedUnits)).toBe(true);
    expect(expected.every((row) => row.convertedUnits <= row.units)).toBe(true);
    expectOutcomes(await store.ruleOutcomes(REQUESTS), expected);
  });

  it("answers zeros for a variation nobody converted in, and nothing for a rule without exposures", async () => {
    const rows = await store.ruleOutcomes([
      { projectKey: "shop", environmentKey: "production", ruleId: 501, goalIds: [404] },
      { projectKey: "shop", environmentKey: "production", ruleId: 999, goalIds: [11] },
    ]);
    expect(rows.map((row) => row.variationKey)).toEqual(["off", "on"]);
    for (const row of rows) {
      expect(row).toMatchObject({
        ruleId: 501,
        goalId: 404,
        conversions: 0,
        convertedUnits: 0,
        sum: 0,
        sumSquares: 0,
      });
      expect(row.units).toBeGreaterThan(0);
    }
  });

  it("counts only exposures from `from` on (a rule judged again after a rollback)", async () => {
    const from = START + 2 * DAY;
    const requests = REQUESTS.map((request) => ({ ...request, from }));
    const expected = reference(EVENTS, requests, DEFAULT_ATTRIBUTION_WINDOW_MS);
    const all = reference(EVENTS, REQUESTS, DEFAULT_ATTRIBUTION_WINDOW_MS);
    const units = (rows: RuleOutcome[]) => rows.reduce((sum, row) => sum + row.units, 0);
    expect(units(expected)).toBeGreaterThan(0);
    expect(units(expected)).toBeLessThan(units(all));
    expectOutcomes(await store.ruleOutcomes(requests), expected);
  });

  it("honours another attribution window", async () => {
    const window = 2 * DAY;
    expectOutcomes(
      await store.ruleOutcomes(REQUESTS, { attributionWindowMs: window }),
      reference(EVENTS, REQUESTS, window),
    );
  });

  it("answers nothing for no request, and refuses a rule asked in two scopes", async () => {
    expect(await store.ruleOutcomes([])).toEqual([]);
    await expect(
      store.ruleOutcomes([
        { projectKey: "shop", environmentKey: "production", ruleId: 501, goalIds: [11] },
        { projectKey: "shop", environmentKey: "staging", ruleId: 501, goalIds: [11] },
      ]),
    ).rejects.toThrow(InvalidAggregationQueryError);
  });
});

describe("rule outcomes SQL", () => {
  it("is one statement with every value bound, whatever the number of rules", () => {
    const requests = Array.from({ length: 1100 }, (_, i) => ({
      projectKey: `p'${i % 3}`,
      environmentKey: "production",
      ruleId: 1000 + i,
      goalIds: [7, 8],
    }));
    const built = buildRuleOutcomesSql(requests, "duckdb")!;
    expect(built.sql).not.toContain("p'");
    expect(built.sql.match(/\bSELECT\b/g)!.length).toBeGreaterThan(1);
    expect(built.params.length).toBe(1100 * 4 + 1100 * 2 * 2 + 1);
    expect(
      buildRuleOutcomesSql([{ projectKey: "p", environmentKey: "e", ruleId: 1, goalIds: [] }], "postgres"),
    ).toBeNull();
    expect(() =>
      buildRuleOutcomesSql([{ projectKey: "p", environmentKey: "e", ruleId: 1.5, goalIds: [1] }], "postgres"),
    ).toThrow(/ruleId must be an integer/);
  });
});
