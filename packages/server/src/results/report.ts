/**
 * The Kameleoon feature-flag results report: aggregation (the analytics store, one statement for every
 * goal), statistics (@vexil/stats, per breakdown value and for the totals), serialisation (the
 * documented JSON shape, docs/kameleoon-results.md). Each phase is timed for the job's metadata.
 */
import {
  type AnalysisOptions,
  analyzeExperiment,
  type EffectEstimate,
  type MetricAnalysis,
  type MetricInput,
  sampleRatioMismatch,
  type VariationAnalysis,
} from "@vexil/stats";
import type { AnalyticsStore, GoalsAggregationQuery } from "../analytics/analytics-store.js";
import type { FlagRecord, StoredRule, StoredVariation } from "../flags/flags.document.js";
import type { Goal } from "../goals/goals.store.js";
import { analyticsBreakdown, attributeFilters, type CanonicalResultsRequest } from "./results-request.js";

/** breakdownData key of the one row of a report without breakdown. */
export const NO_BREAKDOWN_KEY = "0";
/** breakdownData key of units without a value for the breakdown attribute. */
export const MISSING_VALUE_KEY = "(none)";
/** breakdownData key folding the values past the first MAX_BREAKDOWN_VALUES (by units). */
export const OTHER_VALUES_KEY = "(other)";
/** Internal key of the totals in Cells and analyses (cannot collide with a breakdown value). */
const TOTAL = "\u0000total";
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

interface GoalCell {
  /** Every conversion in the attribution window (ALL_CONVERSION count). */
  conversions: number;
  convertedUnits: number;
  /** Sum of conversion values (revenue for numeric goals). */
  valueSum: number;
  /** The analyzed metric's sufficient statistics (per conversionType). */
  sum: number;
  sumSquares: number;
  preSum?: number;
  preSumSquares?: number;
  crossSum?: number;
}

interface Cell {
  units: number;
  visits: number;
  visitors: number;
  goals: Map<number, GoalCell>;
}

/** cells.get(breakdownKey).get(variationKey) */
type Cells = Map<string, Map<string, Cell>>;

export interface Aggregated {
  cells: Cells;
  /** Breakdown keys in report order (without the totals key). */
  breakdownKeys: string[];
  queries: number;
  warnings: string[];
}

const emptyCell = (): Cell => ({ units: 0, visits: 0, visitors: 0, goals: new Map() });
const emptyGoalCell = (): GoalCell => ({
  conversions: 0,
  convertedUnits: 0,
  valueSum: 0,
  sum: 0,
  sumSquares: 0,
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
  const queries = needsVisitorTotals ? 2 : 1;
  signal?.throwIfAborted();
  const groups = await analytics.aggregateGoals({
    ...base,
    ...(breakdown ? { breakdown } : {}),
    goalIds,
    cupedGoalIds,
  });
  onProgress(1 / queries);
  signal?.throwIfAborted();
  const visitorTotals = needsVisitorTotals ? await analytics.aggregateGoals({ ...base, goalIds: [] }) : [];
  onProgress(1);
  signal?.throwIfAborted();

  const raw: Cells = new Map();
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
      g.valueSum = stats.sum;
      // The analysed metric: the per-unit value sum, or under CONVERTED_VISITS the 0/1 "converted" (its
      // sums are the converted units); the store computed the CUPED covariate on the same metric.
      g.sum = converted ? stats.convertedUnits : stats.sum;
      g.sumSquares = converted ? stats.convertedUnits : stats.sumSquares;
      if (stats.preSum !== undefined) {
        g.preSum = stats.preSum;
        g.preSumSquares = stats.preSumSquares ?? 0;
        g.crossSum = stats.crossSum ?? 0;
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

  if (!breakdown) return { cells: raw, breakdownKeys: [], queries, warnings };
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
  return { cells, breakdownKeys, queries, warnings };
}

function addCell(into: Cell, cell: Cell): void {
  into.units += cell.units;
  into.visits += cell.visits;
  into.visitors += cell.visitors;
  for (const [goalId, g] of cell.goals) {
    const t = goalCellOf(into, goalId);
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

/** The statistics of one breakdown key: every goal (CUPED-adjusted for the CUPED goals). */
interface KeyAnalysis {
  byGoal: Map<number, MetricAnalysis>;
}

export interface Analyzed {
  byKey: Map<string, KeyAnalysis>;
  srm: ReturnType<typeof srmOf>;
}

function analysisOptions(request: CanonicalResultsRequest): AnalysisOptions {
  return {
    reference: String(request.referenceVariationId),
    engine: request.bayesian ? "bayesian" : "frequentist",
    sequential: request.sequentialTesting,
    correction: request.enabledMultipleTesting ? "holm" : "none",
  };
}

/** Phase 2: statistics for the totals and every breakdown value. */
export function analyze(inputs: ReportInputs, aggregated: Aggregated): Analyzed {
  const { request, flag, goals } = inputs;
  const options = analysisOptions(request);
  const cupedGoals = new Set(request.goalIdsCuped);
  const proportion = request.conversionType === "CONVERTED_VISITS";
  const byKey = new Map<string, KeyAnalysis>();
  for (const key of [TOTAL, ...aggregated.breakdownKeys]) {
    const cells = aggregated.cells.get(key) ?? new Map<string, Cell>();
    const metricOf = (goal: Goal): MetricInput => {
      const withCovariate = cupedGoals.has(goal.id);
      return {
        key: String(goal.id),
        isProportion: proportion,
        lowerIsBetter: goal.successCriteria === "LowerThanBaseline",
        cuped: withCovariate,
        variations: flag.doc.variations.map((variation) => {
          const cell = cells.get(variation.key);
          const g = cell?.goals.get(goal.id);
          return {
            key: String(variation.id),
            n: cell?.units ?? 0,
            sum: g?.sum ?? 0,
            sumSquares: g?.sumSquares ?? 0,
            ...(proportion ? { conversions: g?.sum ?? 0 } : {}),
            // Units without pre-period data have no covariate sums: CUPED is then not applied, with the reason.
            ...(withCovariate && g?.preSum !== undefined
              ? { preSum: g.preSum, preSumSquares: g.preSumSquares ?? 0, crossSum: g.crossSum ?? 0 }
              : {}),
          };
        }),
      };
    };
    // One family for the correction: every goal, CUPED-adjusted where asked (so every output of a CUPED
    // goal, Bayesian included, uses the adjusted estimate).
    const analyses = analyzeExperiment(goals.map(metricOf), options);
    byKey.set(key, { byGoal: new Map(goals.map((goal, i) => [goal.id, analyses[i]!])) });
  }
  return { byKey, srm: srmOf(inputs, aggregated) };
}

/** Sample-ratio check of the totals' visitors against the rule's configured allocation. */
function srmOf(inputs: ReportInputs, aggregated: Aggregated) {
  const allocations = inputs.rule?.trafficAllocations;
  if (!allocations || allocations.length === 0) return null;
  const totals = aggregated.cells.get(TOTAL) ?? new Map<string, Cell>();
  const variations = inputs.flag.doc.variations;
  const weights = variations.map((v) => allocations.find((a) => a.variationKey === v.key)?.exposition ?? 0);
  // Visitors are what the rule randomizes (a visit-level report still checks visitors).
  const units = variations.map((v) => totals.get(v.key)?.visitors ?? 0);
  return { ...sampleRatioMismatch(units, weights), variations, weights, units };
}

const finiteOrNull = (value: number | null | undefined): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;
const percent = (value: number | null | undefined): number | null => {
  const v = finiteOrNull(value);
  return v === null ? null : 100 * v;
};
const percentInterval = (interval: readonly [number, number] | null | undefined) =>
  interval ? { lower: percent(interval[0]), upper: percent(interval[1]) } : null;

/** The test behind a comparison, as the report names it. */
const TEST_NAMES = {
  welch: "WELCH",
  "cuped-z": "CUPED_Z",
  "pooled-z": "POOLED_Z",
  "fisher-exact": "FISHER_EXACT",
} as const;

/** One effect (absolute in metric units, relative in %) with its own p-value and intervals. */
function effectData(
  effect: EffectEstimate | null,
  toOutput: (v: number | null | undefined) => number | null,
) {
  if (!effect) return null;
  const interval = (i: readonly [number, number] | null) =>
    i ? { lower: toOutput(i[0]), upper: toOutput(i[1]) } : null;
  return {
    estimate: toOutput(effect.estimate),
    pValue: finiteOrNull(effect.pValue),
    interval: interval(effect.ci),
    pValueAdjusted: finiteOrNull(effect.pValueAdjusted),
    intervalAdjusted: interval(effect.ciAdjusted),
    fixedHorizon: effect.fixedHorizon
      ? { pValue: finiteOrNull(effect.fixedHorizon.pValue), interval: interval(effect.fixedHorizon.ci) }
      : null,
  };
}

/** The analyzed metric of a goal, as the report names it. */
export function analyzedMetricOf(request: CanonicalResultsRequest, goal: Goal): string {
  if (request.conversionType === "CONVERTED_VISITS") return "CONVERTED_UNITS_RATE";
  return goal.isNumeric ? "REVENUE_PER_UNIT" : "CONVERSIONS_PER_UNIT";
}

function goalData(
  request: CanonicalResultsRequest,
  goal: Goal,
  cell: Cell | undefined,
  analysis: VariationAnalysis | undefined,
  metric: MetricAnalysis | undefined,
) {
  const g = cell?.goals.get(goal.id) ?? emptyGoalCell();
  const units = cell?.units ?? 0;
  const revenue = goal.isNumeric ? g.valueSum : 0;
  const data: Record<string, unknown> = {
    conversionCount: g.conversions,
    convertedVisitCount: g.convertedUnits,
    revenueCount: revenue,
    averageCart: goal.isNumeric && g.conversions > 0 ? revenue / g.conversions : null,
    conversionRate:
      units > 0
        ? (request.conversionType === "CONVERTED_VISITS" ? g.convertedUnits : g.conversions) / units
        : null,
  };
  if (!analysis) return data;
  const c = analysis.comparison;
  const absolute = c?.absolute ?? null;
  const relative = c?.relative ?? null;
  const b = c?.bayesian ?? null;
  // The verdict (significant, reliability) and the interval printed beside it come from one test: the
  // frequentist test's interval, or with `bayesian` the credible interval behind the chance to beat.
  data.improvementRate = finiteOrNull(c?.improvementRate);
  data.reliability = finiteOrNull(c?.reliability);
  data.significant = c ? c.significant : null;
  data.pValue = finiteOrNull(c?.pValue);
  data.improvementInterval = request.bayesian
    ? b
      ? percentInterval(b.relativeInterval)
      : null
    : percentInterval(relative?.ci);
  data.test = c?.test ? TEST_NAMES[c.test] : null;
  data.thinData = c ? c.thin : false;
  data.absoluteEffect = effectData(absolute, finiteOrNull);
  data.relativeEffect = effectData(relative, percent);
  if (request.enabledMultipleTesting) {
    data.pValueAdjusted = finiteOrNull(c?.pValueAdjusted);
    data.improvementIntervalAdjusted = percentInterval(relative?.ciAdjusted);
  }
  if (request.sequentialTesting) {
    data.sequential = {
      pValue: finiteOrNull(absolute?.pValue),
      improvementInterval: percentInterval(relative?.ci),
      tuningN: c?.sequential?.tuningN ?? null,
      units: c?.sequential?.n ?? null,
    };
    data.fixedHorizon = {
      pValue: finiteOrNull(absolute?.fixedHorizon?.pValue),
      improvementInterval: percentInterval(relative?.fixedHorizon?.ci),
    };
  }
  if (request.bayesian) {
    data.bayesian = {
      chanceToBeatReference: percent(b?.chanceToBeat),
      chanceToBeBest: percent(analysis.pBest),
      expectedLoss: finiteOrNull(b?.expectedLoss.chooseVariation),
      improvementCredibleInterval: b ? percentInterval(b.relativeInterval) : null,
      model: b?.model ?? null,
    };
  }
  if (request.goalIdsCuped.includes(goal.id)) {
    const applied = metric?.cuped !== null && metric?.cuped !== undefined;
    // The headline numbers above are the adjusted ones when applied; this block restates them with the
    // adjustment's own figures, or says why CUPED was not applied.
    data.cuped = {
      applied,
      reason: metric?.cupedReason ?? null,
      conversionRate: applied ? finiteOrNull(analysis.adjustedMean) : null,
      improvementRate: applied ? finiteOrNull(c?.improvementRate) : null,
      reliability: applied ? finiteOrNull(c?.reliability) : null,
      pValue: applied ? finiteOrNull(c?.pValue) : null,
      improvementInterval: applied ? percentInterval(relative?.ci) : null,
      varianceReduction: applied ? percent(c?.cuped?.varianceReduction) : null,
      theta: finiteOrNull(metric?.cuped?.theta),
    };
  }
  const warnings = [...analysis.warnings, ...(c?.reason ? [c.reason] : [])];
  if (analysis.reason) warnings.push(analysis.reason);
  if (warnings.length > 0) data.warnings = warnings;
  return data;
}

function generalData(
  inputs: ReportInputs,
  cell: Cell | undefined,
  variationIndex: number | null,
  keyAnalysis: KeyAnalysis | undefined,
) {
  const goalsData: Record<string, unknown> = {};
  for (const goal of inputs.goals) {
    const metric = keyAnalysis?.byGoal.get(goal.id);
    goalsData[String(goal.id)] = goalData(
      inputs.request,
      goal,
      cell,
      variationIndex === null ? undefined : metric?.variations[variationIndex],
      metric,
    );
  }
  return {
    visitCount: cell?.visits ?? 0,
    visitorCount: cell?.visitors ?? 0,
    goalsData,
  };
}

function sumCells(cells: Iterable<Cell>): Cell {
  const total = emptyCell();
  for (const cell of cells) addCell(total, cell);
  return total;
}

/** Phase 3a: the report object (docs/kameleoon-results.md). */
export function buildReport(
  inputs: ReportInputs,
  aggregated: Aggregated,
  analyzed: Analyzed,
  generatedAt: number,
) {
  const { request, flag, rule, goals } = inputs;
  const keys = request.breakdown ? aggregated.breakdownKeys : [TOTAL];
  const outputKey = (key: string) => (key === TOTAL ? NO_BREAKDOWN_KEY : key);
  const variationData: Record<string, unknown> = {};
  const allocationOf = (variation: StoredVariation) =>
    rule?.trafficAllocations?.find((a) => a.variationKey === variation.key)?.exposition ?? null;
  flag.doc.variations.forEach((variation, index) => {
    const rowOf = (key: string) =>
      generalData(inputs, aggregated.cells.get(key)?.get(variation.key), index, analyzed.byKey.get(key));
    variationData[String(variation.id)] = {
      variationId: variation.id,
      variationKey: variation.key,
      variationName: variation.name,
      reference: variation.id === request.referenceVariationId,
      allocation: allocationOf(variation),
      generalData: rowOf(TOTAL),
      breakdownData: Object.fromEntries(keys.map((key) => [outputKey(key), { generalData: rowOf(key) }])),
    };
  });
  if (request.allVariationsData) {
    const rowOf = (key: string) =>
      generalData(inputs, sumCells(aggregated.cells.get(key)?.values() ?? []), null, undefined);
    variationData[ALL_VARIATIONS_KEY] = {
      variationId: null,
      variationKey: null,
      variationName: "All variations",
      reference: false,
      allocation: null,
      generalData: rowOf(TOTAL),
      breakdownData: Object.fromEntries(keys.map((key) => [outputKey(key), { generalData: rowOf(key) }])),
    };
  }
  const srm = analyzed.srm;
  const warnings = [...new Set(aggregated.warnings)];
  if (srm?.flagged)
    warnings.push(`sample ratio mismatch: p = ${srm.pValue.toExponential(2)} < ${srm.threshold}`);
  return {
    dataCode: inputs.dataCode,
    featureFlagId: flag.meta.id,
    featureKey: flag.doc.featureKey,
    siteCode: inputs.projectKey,
    environmentKey: request.environmentKey,
    ruleId: request.ruleId,
    experimentId: rule?.experimentId ?? null,
    generatedAt: new Date(generatedAt).toISOString(),
    dateIntervals: request.dateIntervals,
    conversionType: request.conversionType,
    unit: request.visitorData ? "VISITOR" : "VISIT",
    referenceVariationId: String(request.referenceVariationId),
    breakdown: request.breakdown,
    filters: request.filters,
    statistics: {
      alpha: 0.05,
      engine: request.bayesian ? "BAYESIAN" : "FREQUENTIST",
      sequentialTesting: request.sequentialTesting,
      multipleTestingCorrection: request.enabledMultipleTesting ? "HOLM" : null,
    },
    goals: goals.map((goal) => ({
      goalId: goal.id,
      goalKey: goal.key,
      name: goal.name,
      isNumeric: goal.isNumeric,
      lowerIsBetter: goal.successCriteria === "LowerThanBaseline",
      analyzedMetric: analyzedMetricOf(request, goal),
      cuped: request.goalIdsCuped.includes(goal.id),
    })),
    sampleRatioCheck: srm
      ? {
          chi2: finiteOrNull(srm.chi2),
          degreesOfFreedom: srm.df,
          pValue: finiteOrNull(srm.pValue),
          threshold: srm.threshold,
          flagged: srm.flagged,
          variations: Object.fromEntries(
            srm.variations.map((v, i) => [
              String(v.id),
              { allocation: srm.weights[i], observed: srm.units[i], expected: finiteOrNull(srm.expected[i]) },
            ]),
          ),
        }
      : null,
    variationData,
    warnings,
  };
}

export type ResultsReport = ReturnType<typeof buildReport>;
