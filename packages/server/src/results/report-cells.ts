// Phase 1 of the Kameleoon results report: aggregation (the analytics store, one statement for every
// goal) folded into cells per breakdown value and variation, with the totals merged stably.
import { mergeCoMoments } from "@vexil/stats";
import type {
  AnalyticsStore,
  GoalCapping,
  GoalsAggregationQuery,
  MetricSums,
} from "../analytics/analytics-store.js";
import type { FlagRecord, StoredRule } from "../flags/flags.document.js";
import type { Goal } from "../goals/goals.store.js";
import { type AdjustmentStats, aggregateAdjustment } from "./report-adjustment.js";
import { analyticsBreakdown, attributeFilters, type CanonicalResultsRequest } from "./results-request.js";

/** breakdownData key of the one row of a report without breakdown. */
export const NO_BREAKDOWN_KEY = "0";
/** breakdownData key of units without a value for the breakdown attribute. */
export const MISSING_VALUE_KEY = "(none)";
/** breakdownData key folding the values past the first MAX_BREAKDOWN_VALUES (by units). */
export const OTHER_VALUES_KEY = "(other)";
/** Internal key of the totals in Cells and analyses (cannot collide with a breakdown value). */
export const TOTAL = "\u0000total";
/** variationData key of the all-variations row (allVariationsData). */
export const ALL_VARIATIONS_KEY = "all";
export const MAX_BREAKDOWN_VALUES = 100;

export interface ReportInputs {
  request: CanonicalResultsRequest;
  dataCode: string;
  projectKey: string;
  flag: FlagRecord;
  rule: StoredRule | null;
  /** The report's goals, in request.goalsIds order. */
  goals: Goal[];
}

export interface PhaseTimings {
  aggregationMs: number;
  statisticsMs: number;
  serializationMs: number;
}

/** One goal in a cell: counts, and the analyzed metric's sums (per conversionType). */
export interface GoalCell extends MetricSums {
  /** Every conversion in the attribution window (ALL_CONVERSION count). */
  conversions: number;
  convertedUnits: number;
  /** Sum of conversion values (revenue for numeric goals). */
  valueSum: number;
}

export interface Cell {
  units: number;
  visits: number;
  visitors: number;
  goals: Map<number, GoalCell>;
}

/** cells.get(breakdownKey).get(variationKey) */
export type Cells = Map<string, Map<string, Cell>>;

export interface Aggregated {
  cells: Cells;
  /** Breakdown keys in report order (without the totals key). */
  breakdownKeys: string[];
  queries: number;
  warnings: string[];
  /** Capped goals: the cap the aggregation applied (null: a percentile cap at 0, not applied). */
  caps: Map<number, number | null>;
  /** The statistics of the request's varianceReduction (report-adjustment.ts), null without one. */
  adjustment: AdjustmentStats | null;
}

/** The caps of the report's goals: numeric goals with capping, when the analysed value is their sum. */
export function goalCaps(request: CanonicalResultsRequest, goals: Goal[]): GoalCapping[] {
  if (request.conversionType === "CONVERTED_VISITS") return [];
  return goals.flatMap((goal) =>
    goal.isNumeric && goal.capping.type !== "none"
      ? [{ goalId: goal.id, type: goal.capping.type, value: goal.capping.value }]
      : [],
  );
}

export const emptyCell = (): Cell => ({ units: 0, visits: 0, visitors: 0, goals: new Map() });
export const emptyGoalCell = (): GoalCell => ({
  conversions: 0,
  convertedUnits: 0,
  valueSum: 0,
  sum: 0,
  sumSquares: 0,
  m2: 0,
});

function cellOf(cells: Cells, key: string, variationKey: string): Cell {
  let byVariation = cells.get(key);
  if (!byVariation) {
    byVariation = new Map();
    cells.set(key, byVariation);
  }
  let cell = byVariation.get(variationKey);
  if (!cell) {
    cell = emptyCell();
    byVariation.set(variationKey, cell);
  }
  return cell;
}

function goalCellOf(cell: Cell, goalId: number): GoalCell {
  let goal = cell.goals.get(goalId);
  if (!goal) {
    goal = emptyGoalCell();
    cell.goals.set(goalId, goal);
  }
  return goal;
}

/**
 * Phase 1: aggregation, folded into cells per breakdown key and variation. One statement gives every goal
 * (units found once, each goal's conversions joined to them); with a breakdown over visit units a second one
 * gives the totals' visitors.
 */
export async function aggregate(
  analytics: AnalyticsStore,
  inputs: ReportInputs,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<Aggregated> {
  const { request, flag, rule, goals, projectKey } = inputs;
  const breakdown = analyticsBreakdown(request);
  const base: Omit<GoalsAggregationQuery, "goalIds"> = {
    projectKey,
    environmentKey: request.environmentKey,
    featureKey: flag.doc.featureKey,
    ...(rule?.experimentId !== undefined
      ? { experimentId: rule.experimentId }
      : rule
        ? { ruleId: rule.id }
        : {}),
    dateIntervals: request.dateIntervals.map((i) => ({ from: Date.parse(i.start), to: Date.parse(i.end) })),
    unit: request.visitorData ? "visitor" : "visit",
    conversionType: request.conversionType,
    filters: attributeFilters(request),
    ...(flag.doc.attributionWindow ? { attributionWindowMs: flag.doc.attributionWindow } : {}),
  };
  const goalIds = goals.map((goal) => goal.id);
  const cupedGoalIds = goalIds.filter((id) => request.goalIdsCuped.includes(id));
  // Per-value visitor counts of visit-level units do not add up (a visitor's visits may fall in two
  // values), so the totals' visitors come from a query without breakdown.
  const needsVisitorTotals = breakdown !== null && !request.visitorData;
  const queries = (needsVisitorTotals ? 2 : 1) + (request.varianceReduction ? 1 : 0);
  signal?.throwIfAborted();
  const caps = goalCaps(request, goals);
  const groups = await analytics.aggregateGoals({
    ...base,
    ...(breakdown ? { breakdown } : {}),
    goalIds,
    cupedGoalIds,
    ...(caps.length > 0 ? { caps } : {}),
  });
  onProgress(1 / queries);
  signal?.throwIfAborted();
  const visitorTotals = needsVisitorTotals ? await analytics.aggregateGoals({ ...base, goalIds: [] }) : [];
  const adjustment = await aggregateAdjustment(analytics, request, base, caps);
  onProgress(1);
  signal?.throwIfAborted();

  const raw: Cells = new Map();
  const appliedCaps = new Map<number, number | null>();
  const converted = request.conversionType === "CONVERTED_VISITS";
  for (const group of groups) {
    const cell = cellOf(
      raw,
      breakdown ? (group.breakdownValue ?? MISSING_VALUE_KEY) : TOTAL,
      group.variationKey,
    );
    cell.units = group.units;
    cell.visits = group.visits;
    cell.visitors = group.visitors;
    for (const stats of group.goals) {
      const g = goalCellOf(cell, stats.goalId);
      g.conversions = stats.conversions;
      g.convertedUnits = stats.convertedUnits;
      // Revenue shown is the uncapped total; the analysed sums below are capped when the goal is.
      g.valueSum = stats.uncappedSum ?? stats.sum;
      if (stats.cap !== undefined) appliedCaps.set(stats.goalId, stats.cap);
      // The analysed metric: the per-unit value sum, or under CONVERTED_VISITS the 0/1 "converted" (its
      // sums are the converted units); the store computed the CUPED covariate on the same metric.
      g.sum = converted ? stats.convertedUnits : stats.sum;
      g.sumSquares = converted ? stats.convertedUnits : stats.sumSquares;
      g.m2 = stats.m2;
      if (stats.preSum !== undefined) {
        g.preSum = stats.preSum;
        g.preSumSquares = stats.preSumSquares ?? 0;
        g.crossSum = stats.crossSum ?? 0;
        g.preM2 = stats.preM2 ?? 0;
        g.crossM2 = stats.crossM2 ?? 0;
      }
    }
  }

  const warnings: string[] = [];
  const known = new Set(flag.doc.variations.map((v) => v.key));
  for (const byVariation of raw.values()) {
    for (const variationKey of byVariation.keys()) {
      if (!known.has(variationKey)) {
        warnings.push(`exposures to variation '${variationKey}', which the flag no longer has, are left out`);
        for (const other of raw.values()) other.delete(variationKey);
      }
    }
  }

  if (!breakdown) return { cells: raw, breakdownKeys: [], queries, warnings, caps: appliedCaps, adjustment };
  const { cells, breakdownKeys } = foldBreakdown(raw, warnings, breakdown.type === "INTERVAL");
  const totals = new Map<string, Cell>();
  for (const key of breakdownKeys) {
    for (const [variationKey, cell] of cells.get(key) ?? []) {
      const total = totals.get(variationKey) ?? emptyCell();
      addCell(total, cell);
      totals.set(variationKey, total);
    }
  }
  if (needsVisitorTotals) {
    for (const row of visitorTotals) {
      const total = totals.get(row.variationKey);
      if (total) total.visitors = row.visitors;
    }
  }
  cells.set(TOTAL, totals);
  if (request.breakdown?.cumulative) cumulate(cells, breakdownKeys);
  return { cells, breakdownKeys, queries, warnings, caps: appliedCaps, adjustment };
}

/**
 * Turns interval buckets into running sums, in time order. Buckets hold the units first exposed in them
 * (disjoint), so bucket k becomes exactly the units first exposed up to its end, with all their conversions;
 * its statistics are then computed like any row's. (Per-bucket visitors of visit units are summed.)
 */
function cumulate(cells: Cells, breakdownKeys: string[]): void {
  const running = new Map<string, Cell>();
  for (const key of breakdownKeys) {
    const bucket = cells.get(key) ?? new Map<string, Cell>();
    for (const [variationKey, cell] of bucket) {
      const previous = running.get(variationKey);
      running.set(variationKey, previous ? sumCells([previous, cell]) : sumCells([cell]));
    }
    cells.set(key, new Map(running));
  }
}

function addCell(into: Cell, cell: Cell): void {
  const unitsBefore = into.units;
  into.units += cell.units;
  into.visits += cell.visits;
  into.visitors += cell.visitors;
  for (const [goalId, g] of cell.goals) {
    const t = goalCellOf(into, goalId);
    mergeCentred(t, unitsBefore, g, cell.units);
    t.conversions += g.conversions;
    t.convertedUnits += g.convertedUnits;
    t.valueSum += g.valueSum;
    t.sum += g.sum;
    t.sumSquares += g.sumSquares;
    if (g.preSum !== undefined) {
      t.preSum = (t.preSum ?? 0) + g.preSum;
      t.preSumSquares = (t.preSumSquares ?? 0) + (g.preSumSquares ?? 0);
      t.crossSum = (t.crossSum ?? 0) + (g.crossSum ?? 0);
    }
  }
}

// Chan's merge of the centred sums (before the raw sums are added): `into` has nA units, g has nB.
function mergeCentred(into: GoalCell, nA: number, g: GoalCell, nB: number): void {
  const moments = (c: GoalCell, n: number) => ({
    n,
    meanX: n > 0 ? (c.preSum ?? 0) / n : 0,
    meanY: n > 0 ? c.sum / n : 0,
    m2X: c.preM2 ?? 0,
    m2Y: c.m2,
    cXY: c.crossM2 ?? 0,
  });
  const co = mergeCoMoments(moments(into, nA), moments(g, nB));
  into.m2 = co.m2Y;
  if (g.preSum !== undefined) {
    into.preM2 = co.m2X;
    into.crossM2 = co.cXY;
  }
}

/** Orders breakdown values (most units first; interval buckets by time) and folds the long tail. */
function foldBreakdown(
  raw: Cells,
  warnings: string[],
  isInterval: boolean,
): { cells: Cells; breakdownKeys: string[] } {
  const unitsOf = (key: string) => [...(raw.get(key)?.values() ?? [])].reduce((s, c) => s + c.units, 0);
  const keys = [...raw.keys()];
  keys.sort((a, b) =>
    isInterval ? (a < b ? -1 : a > b ? 1 : 0) : unitsOf(b) - unitsOf(a) || (a < b ? -1 : 1),
  );
  if (keys.length <= MAX_BREAKDOWN_VALUES) return { cells: raw, breakdownKeys: keys };
  const kept = isInterval ? keys.slice(0, MAX_BREAKDOWN_VALUES) : keys.slice(0, MAX_BREAKDOWN_VALUES - 1);
  const folded = keys.slice(kept.length);
  const cells: Cells = new Map(kept.map((k) => [k, raw.get(k)!]));
  const other = new Map<string, Cell>();
  for (const key of folded) {
    for (const [variationKey, cell] of raw.get(key) ?? []) {
      const into = other.get(variationKey) ?? emptyCell();
      addCell(into, cell);
      other.set(variationKey, into);
    }
  }
  cells.set(OTHER_VALUES_KEY, other);
  warnings.push(
    `${folded.length} breakdown values past the first ${kept.length} are folded into '${OTHER_VALUES_KEY}'`,
  );
  return { cells, breakdownKeys: [...kept, OTHER_VALUES_KEY] };
}

/** The sum of cells (the all-variations row). */
export function sumCells(cells: Iterable<Cell>): Cell {
  const total = emptyCell();
  for (const cell of cells) addCell(total, cell);
  return total;
}
