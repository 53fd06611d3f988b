// Folds the aggregation statement's rows into groups and per-variation statistics; one goal's aggregate()
// and its daily series on top of a store's aggregateGoals().
import { coMomentsWithZeros, withZeros } from "@vexil/stats";
import type { AggregationSql, AggregationSqlRow } from "./aggregation-sql.js";
import type {
  AggregationQuery,
  AggregationResult,
  BreakdownInterval,
  GoalStats,
  GoalsAggregationQuery,
  SeriesPoint,
  UnitGroupStats,
  VariationStats,
} from "./analytics-store.js";

/** Folds the statement's rows (one per group x goal) into groups, sorted by variation then breakdown value. */
export function toUnitGroups(rows: AggregationSqlRow[], built: AggregationSql): UnitGroupStats[] {
  const groups = new Map<string, UnitGroupStats>();
  const cuped = new Set(built.cupedGoalIds);
  for (const row of rows) {
    const breakdownValue = breakdownValueText(row.breakdown_value, built.breakdownInterval);
    const key = JSON.stringify([row.variation_key, breakdownValue]);
    let group = groups.get(key);
    if (!group) {
      group = {
        variationKey: row.variation_key,
        breakdownValue,
        units: row.units,
        exposures: row.exposures,
        visits: row.visits,
        visitors: row.visitors,
        goals: [],
      };
      groups.set(key, group);
    }
    if (row.goal_id === null) continue;
    const goal: GoalStats = {
      goalId: row.goal_id,
      conversions: row.conversions,
      convertedUnits: row.converted_units,
      sum: row.value_sum,
      sumSquares: row.value_sum_squares,
      // The group's units without an outcome row have the value 0.
      m2: withZeros(
        { n: row.outcome_units, mean: row.value_mean, m2: row.value_m2 },
        row.units - row.outcome_units,
      ).m2,
    };
    if (row.raw_value_sum !== undefined) {
      goal.cap = row.cap_value ?? null;
      goal.uncappedSum = row.raw_value_sum;
    }
    if (cuped.has(row.goal_id)) {
      goal.preSum = row.pre_sum ?? 0;
      goal.preSumSquares = row.pre_sum_squares ?? 0;
      goal.crossSum = row.cross_sum ?? 0;
      const co = coMomentsWithZeros(
        {
          n: row.outcome_units,
          meanX: row.pre_mean ?? 0,
          meanY: row.post_value_mean ?? 0,
          m2X: row.pre_m2 ?? 0,
          m2Y: 0,
          cXY: row.cross_m2 ?? 0,
        },
        row.units - row.outcome_units,
      );
      goal.preM2 = co.m2X;
      goal.crossM2 = co.cXY;
    }
    group.goals.push(goal);
  }
  const sorted = [...groups.values()].sort(compareGroups);
  for (const group of sorted) group.goals.sort((a, b) => a.goalId - b.goalId);
  return sorted;
}

/** The one-goal query as a goals query. */
export function goalsQueryOf(query: AggregationQuery): GoalsAggregationQuery {
  const { goalId, cuped, series: _series, capping, ...rest } = query;
  const withCuped = cuped ?? query.cupedPreWindowMs !== undefined;
  return {
    ...rest,
    goalIds: [goalId],
    cupedGoalIds: withCuped ? [goalId] : [],
    ...(capping ? { caps: [{ goalId, ...capping }] } : {}),
  };
}

/**
 * One goal's statistics in the shape `aggregate()` answers: under CONVERTED_VISITS the analysed value is
 * 0/1 per unit, so conversions, sum and sum of squares are all the converted units.
 */
export function toVariationStats(groups: UnitGroupStats[], query: AggregationQuery): VariationStats[] {
  const converted = query.conversionType === "CONVERTED_VISITS";
  const withCuped = query.cuped ?? query.cupedPreWindowMs !== undefined;
  return groups.map((group) => {
    const goal = group.goals.find((g) => g.goalId === query.goalId);
    const convertedUnits = goal?.convertedUnits ?? 0;
    const stats: VariationStats = {
      variationKey: group.variationKey,
      breakdownValue: group.breakdownValue,
      units: group.units,
      exposures: group.exposures,
      conversions: converted ? convertedUnits : (goal?.conversions ?? 0),
      convertedUnits,
      sum: converted ? convertedUnits : (goal?.sum ?? 0),
      sumSquares: converted ? convertedUnits : (goal?.sumSquares ?? 0),
      // Centred sum of squares of the analysed value (0/1 under CONVERTED_VISITS: c (n - c) / n).
      m2: converted
        ? (convertedUnits * (group.units - convertedUnits)) / Math.max(1, group.units)
        : (goal?.m2 ?? 0),
      visits: group.visits,
      visitors: group.visitors,
    };
    if (query.capping && !converted) {
      // A group without any outcome of the goal does not see the cap (it has nothing to cap).
      if (goal?.cap !== undefined) stats.cap = goal.cap;
      stats.uncappedSum = goal?.uncappedSum ?? 0;
    }
    if (withCuped) {
      stats.preSum = goal?.preSum ?? 0;
      stats.preSumSquares = goal?.preSumSquares ?? 0;
      stats.crossSum = goal?.crossSum ?? 0;
      stats.preM2 = goal?.preM2 ?? 0;
      stats.crossM2 = goal?.crossM2 ?? 0;
    }
    return stats;
  });
}

/** aggregate() on top of a store's aggregateGoals(): the rows, and the per-day series when asked. */
export async function aggregateOneGoal(
  aggregateGoals: (query: GoalsAggregationQuery) => Promise<UnitGroupStats[]>,
  query: AggregationQuery,
): Promise<AggregationResult> {
  const rows = toVariationStats(await aggregateGoals(goalsQueryOf(query)), query);
  if (query.series !== "DAY") return { rows };
  const daily = seriesQuery(query);
  return { rows, series: toSeries(toVariationStats(await aggregateGoals(goalsQueryOf(daily)), daily)) };
}

function breakdownValueText(value: string | null, interval: BreakdownInterval | null): string | null {
  if (value === null || interval === null) return value;
  return new Date(Number(value)).toISOString();
}

function compareGroups(a: UnitGroupStats, b: UnitGroupStats): number {
  if (a.variationKey !== b.variationKey) return a.variationKey < b.variationKey ? -1 : 1;
  if (a.breakdownValue === b.breakdownValue) return 0;
  if (a.breakdownValue === null) return -1;
  if (b.breakdownValue === null) return 1;
  return a.breakdownValue < b.breakdownValue ? -1 : 1;
}

/** The series is the same aggregation broken down by first-exposure day, without CUPED. */
export function seriesQuery(query: AggregationQuery): AggregationQuery {
  return {
    ...query,
    breakdown: { type: "INTERVAL", interval: "DAY" },
    cuped: false,
    cupedPreWindowMs: undefined,
    series: undefined,
  };
}

export function toSeries(rows: VariationStats[]): SeriesPoint[] {
  return rows
    .map((row) => ({
      day: (row.breakdownValue ?? "").slice(0, 10),
      variationKey: row.variationKey,
      units: row.units,
      conversions: row.conversions,
      convertedUnits: row.convertedUnits,
      sum: row.sum,
      sumSquares: row.sumSquares,
      m2: row.m2,
    }))
    .sort((a, b) => (a.day === b.day ? (a.variationKey < b.variationKey ? -1 : 1) : a.day < b.day ? -1 : 1));
}
