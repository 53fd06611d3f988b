import { describe, expect, it } from "vitest";
import { duckDbDialect, postgresDialect } from "./aggregation-dialects.js";
import { buildAggregationSql } from "./aggregation-sql.js";
import type { GoalsAggregationQuery } from "./analytics-store.js";
import { buildEventCountsSql } from "./event-counts-sql.js";

const hostile = (label: string) => `${label}'); DROP TABLE analytics_exposures; --`;

const query: GoalsAggregationQuery = {
  projectKey: hostile("project"),
  environmentKey: hostile("environment"),
  featureKey: hostile("feature"),
  experimentId: 7,
  ruleId: 8,
  goalIds: [9, 10],
  dateIntervals: [
    { from: 1_700_000_000_000, to: 1_700_100_000_000 },
    { from: 1_700_200_000_000, to: 1_700_300_000_000 },
  ],
  unit: "visitor",
  conversionType: "ALL_CONVERSION",
  filters: [
    { attribute: "browser", include: true, values: [hostile("browser")] },
    { attribute: `custom:${hostile("key")}`, include: false, values: [hostile("value")] },
  ],
  breakdown: { type: "CUSTOM_DATUM", customKey: hostile("breakdown") },
  cupedGoalIds: [10],
};

describe.each([
  ["duckdb", duckDbDialect],
  ["postgres", postgresDialect],
])("%s aggregation SQL", (_, dialect) => {
  it("binds every value from the query; none is written into the statement", () => {
    const built = buildAggregationSql(query, dialect);
    expect(built.sql).not.toContain("DROP TABLE");
    for (const label of ["project", "environment", "feature", "browser", "key", "value", "breakdown"]) {
      expect(built.params).toContain(hostile(label));
    }
    for (const number of [7, 8, 9, 10, 1_700_000_000_000, 1_700_300_000_000])
      expect(built.params).toContain(number);
    const highest = Math.max(...[...built.sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
    expect(highest).toBe(built.params.length);
  });

  it("adds the CUPED columns only when asked", () => {
    expect(buildAggregationSql(query, dialect).sql).toContain("cross_sum");
    expect(buildAggregationSql({ ...query, cupedGoalIds: [] }, dialect).sql).not.toContain("cross_sum");
  });

  it("refuses a CUPED goal that is not aggregated", () => {
    expect(() => buildAggregationSql({ ...query, cupedGoalIds: [11] }, dialect)).toThrow(/CUPED goal 11/);
  });

  it("needs no outcome join without goals", () => {
    const built = buildAggregationSql({ ...query, goalIds: [], cupedGoalIds: [] }, dialect);
    expect(built.sql).not.toContain("analytics_conversions");
  });

  it("refuses numbers that are not integers", () => {
    expect(() => buildAggregationSql({ ...query, goalIds: [1.5], cupedGoalIds: [] }, dialect)).toThrow(
      /goalIds\[0\]/,
    );
    expect(() => buildAggregationSql({ ...query, attributionWindowMs: Number.NaN }, dialect)).toThrow(
      /attributionWindowMs/,
    );
  });
});

describe("event counts SQL", () => {
  it("binds the filter values", () => {
    const built = buildEventCountsSql({ projectKey: hostile("p"), environmentKey: "e", from: 1, to: 2 });
    expect(built.sql).not.toContain("DROP TABLE");
    expect(built.params).toEqual([hostile("p"), "e", 1, 2]);
  });
});
