import { analyzeMetric, type MetricInput, mergeMoments } from "@vexil/stats";
import type { AggregationQuery, SeriesPoint, VariationStats } from "../analytics/analytics-store.js";
import type { AppContext } from "../app-context.js";
import type { FlagRecord } from "../flags/flags.document.js";
import { cappingApplied } from "../goals/goals.service.js";
import type { Goal } from "../goals/goals.store.js";
import { metricV2Rep } from "../goals/launchdarkly-metric-view.js";
import { link } from "../http/launchdarkly-http.js";
import { type ExperimentState, experimentPath, iterationIdOf } from "./experiment-view.js";
import type { IterationRecord } from "./experiments.store.js";

/** LaunchDarkly reports 90 % credible intervals. */
export const CREDIBLE_LEVEL_ALPHA = 0.1;

/** Per-variation statistics of one metric, as the analysis and the legacy report read them. */
export interface MetricCell {
  units: number;
  /** Conversion events (ALL_CONVERSION) in the attribution window. */
  conversions: number;
  convertedUnits: number;
  /** The analyzed per-unit values: 0/1 converted for conversion metrics, summed values for numeric ones. */
  sum: number;
  sumSquares: number;
  /** Centred sum of squares of the analysed values (stable; the analysis reads it instead of sumSquares). */
  m2: number;
  /** Sum of conversion values (numeric metrics), uncapped. */
  valueSum: number;
}

export interface MetricAggregation {
  cells: Map<string, MetricCell>;
  series: SeriesPoint[];
  /** Capped numeric metrics: the cap the aggregation applied (null: a percentile cap at 0, not applied). */
  cap?: number | null;
}

const emptyCell = (): MetricCell => ({
  units: 0,
  conversions: 0,
  convertedUnits: 0,
  sum: 0,
  sumSquares: 0,
  m2: 0,
  valueSum: 0,
});

/**
 * One metric aggregated per variation: conversion metrics count units with at least one conversion (the
 * analyzed value is 0/1), numeric metrics sum each unit's conversion values. Units are visitors.
 */
export async function aggregateMetric(
  context: AppContext,
  base: Omit<AggregationQuery, "goalId" | "unit" | "conversionType" | "series">,
  goal: Goal,
  flag: FlagRecord,
): Promise<MetricAggregation> {
  const result = await context.analytics.aggregate({
    ...base,
    ...(flag.doc.attributionWindow ? { attributionWindowMs: flag.doc.attributionWindow } : {}),
    goalId: goal.id,
    unit: "visitor",
    conversionType: "ALL_CONVERSION",
    series: "DAY",
    ...(goal.isNumeric && goal.capping.type !== "none"
      ? { capping: { type: goal.capping.type, value: goal.capping.value } }
      : {}),
  });
  const cells = new Map<string, MetricCell>();
  let cap: number | null | undefined;
  for (const row of result.rows as VariationStats[]) {
    const cell = cells.get(row.variationKey) ?? emptyCell();
    // Chan's merge of the centred sums, before the raw sums move.
    const value = goal.isNumeric
      ? { n: row.units, mean: row.units > 0 ? row.sum / row.units : 0, m2: row.m2 }
      : {
          n: row.units,
          mean: row.units > 0 ? row.convertedUnits / row.units : 0,
          m2: row.units > 0 ? (row.convertedUnits * (row.units - row.convertedUnits)) / row.units : 0,
        };
    cell.m2 = mergeMoments(
      { n: cell.units, mean: cell.units > 0 ? cell.sum / cell.units : 0, m2: cell.m2 },
      value,
    ).m2;
    cell.units += row.units;
    cell.conversions += row.conversions;
    cell.convertedUnits += row.convertedUnits;
    cell.valueSum += row.uncappedSum ?? row.sum;
    if (row.cap !== undefined) cap = row.cap;
    if (goal.isNumeric) {
      cell.sum += row.sum;
      cell.sumSquares += row.sumSquares;
    } else {
      cell.sum += row.convertedUnits;
      cell.sumSquares += row.convertedUnits;
    }
    cells.set(row.variationKey, cell);
  }
  return { cells, series: result.series ?? [], ...(cap !== undefined ? { cap } : {}) };
}

/** A metric's capping as its results applied it (conversion metrics analyse 0/1: nothing to cap). */
export function metricCapping(goal: Goal, aggregation: MetricAggregation) {
  return cappingApplied(
    goal.capping,
    aggregation.cap,
    goal.isNumeric ? undefined : "a conversion metric analyses 0/1 per unit",
  );
}

/** Whether a metric received events in the window, and (day resolution) when last. */
export function metricSeen(aggregation: MetricAggregation) {
  const days = aggregation.series.filter((p) => p.conversions > 0).map((p) => p.day);
  if (days.length === 0) return { ever: false };
  const last = days.sort().at(-1)!;
  return { ever: true, timestamp: Date.parse(`${last}T00:00:00Z`) };
}

const finite = (value: number | null | undefined): value is number =>
  typeof value === "number" && Number.isFinite(value);

/** One goal aggregated over an iteration's exposures: from its start to its end, or now while it runs. */
function aggregateIteration(
  context: AppContext,
  state: ExperimentState,
  iteration: IterationRecord,
  startedAt: number,
  goal: Goal,
): Promise<MetricAggregation> {
  const { experiment, flag } = state;
  if (!flag) throw new Error("aggregateIteration: the experiment has no flag");
  return aggregateMetric(
    context,
    {
      projectKey: experiment.projectKey,
      environmentKey: experiment.environmentKey,
      featureKey: flag.doc.featureKey,
      experimentId: experiment.id,
      from: startedAt,
      to: iteration.endedAt ?? context.now() + 1,
    },
    goal,
    flag,
  );
}

/**
 * The units of an experiment's current iteration (visitors exposed to its treatments from its start to its
 * end or now), as its primary metric's results count them; undefined before it started or without a metric.
 */
export async function currentIterationUnits(
  context: AppContext,
  state: ExperimentState,
  goals: Map<number, Goal>,
): Promise<number | undefined> {
  const { flag } = state;
  const iteration = state.iterations.current;
  const primary = iteration?.metrics.find((m) => m.primary) ?? iteration?.metrics[0];
  const goal = primary && goals.get(primary.goalId);
  if (!flag || !iteration || iteration.startedAt === null || !goal) return undefined;
  const { cells } = await aggregateIteration(context, state, iteration, iteration.startedAt, goal);
  let units = 0;
  for (const t of iteration.treatments) {
    const key = flag.doc.variations.find((v) => v.id === t.variationId)?.key;
    units += (key === undefined ? undefined : cells.get(key)?.units) ?? 0;
  }
  return units;
}

/**
 * GET .../experiments/{experimentKey}/metrics/{metricKey}/results: the iteration's exposures
 * (startedAt..endedAt or now, this experiment's rule only) joined to the metric's conversions, analyzed
 * with the Bayesian engine (Beta-Binomial for conversion metrics, normal for numeric ones), the baseline
 * treatment as reference, 90 % intervals.
 */
export async function experimentResults(
  context: AppContext,
  state: ExperimentState,
  iteration: IterationRecord,
  goal: Goal,
  options: { traffic?: boolean } = {},
) {
  const { experiment, flag } = state;
  const self = `${experimentPath(experiment)}/metrics/${goal.key}/results`;
  const treatments = iteration.treatments;
  const keyOf = (variationId: number) => flag?.doc.variations.find((v) => v.id === variationId)?.key;
  let aggregation: MetricAggregation = { cells: new Map(), series: [] };
  if (flag && iteration.startedAt !== null) {
    aggregation = await aggregateIteration(context, state, iteration, iteration.startedAt, goal);
  }
  const cellOf = (variationId: number) => {
    const key = keyOf(variationId);
    return (key === undefined ? undefined : aggregation.cells.get(key)) ?? emptyCell();
  };
  const baseline = treatments.find((t) => t.baseline) ?? treatments[0];
  const metric: MetricInput = {
    key: goal.key,
    isProportion: !goal.isNumeric,
    lowerIsBetter: goal.successCriteria === "LowerThanBaseline",
    variations: treatments.map((t) => {
      const cell = cellOf(t.variationId);
      return {
        key: t._id,
        name: t.name,
        n: cell.units,
        sum: cell.sum,
        sumSquares: cell.sumSquares,
        ...(goal.isNumeric ? { m2: cell.m2 } : { conversions: cell.sum }),
        weight: t.allocationPercent,
      };
    }),
  };
  const analysis = analyzeMetric(metric, {
    engine: "bayesian",
    alpha: CREDIBLE_LEVEL_ALPHA,
    ...(baseline ? { reference: baseline._id } : {}),
  });
  const treatmentResults = treatments.map((t, i) => {
    const v = analysis.variations[i]!;
    const result: Record<string, unknown> = { treatmentId: t._id, treatmentName: t.name };
    if (finite(v.mean)) result.mean = v.mean;
    if (v.credibleInterval && finite(v.credibleInterval[0]) && finite(v.credibleInterval[1])) {
      result.credibleInterval = { lower: v.credibleInterval[0], upper: v.credibleInterval[1] };
    }
    if (finite(v.pBest)) result.pBest = v.pBest;
    result.relativeDifferences = v.relativeDifferences
      .filter((d) => finite(d.lower) && finite(d.upper))
      .map((d) => ({ fromTreatmentId: d.fromVariation, lower: d.lower, upper: d.upper }));
    result.units = cellOf(t.variationId).units;
    // expand=traffic: the total count of units exposed to the treatment in the iteration.
    if (options.traffic) result.traffic = cellOf(t.variationId).units;
    return result;
  });
  return {
    _links: { self: link(self) },
    metric: metricV2Rep(experiment.projectKey, goal, goal.id),
    treatmentResults,
    metricSeen: metricSeen(aggregation),
    iterationId: iterationIdOf(iteration),
    ...(analysis.srm
      ? { sampleRatioMismatch: { pValue: analysis.srm.pValue, flagged: analysis.srm.flagged } }
      : {}),
    ...(goal.capping.type !== "none" ? { capping: metricCapping(goal, aggregation) } : {}),
  };
}
