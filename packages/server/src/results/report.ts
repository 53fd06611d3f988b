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
import type { StoredVariation } from "../flags/flags.document.js";
import { cappingApplied } from "../goals/goals.service.js";
import type { Goal } from "../goals/goals.store.js";
import { adjustmentOfMetric, adjustmentOfVariation, covariateOf } from "./report-adjustment.js";
import {
  type Aggregated,
  ALL_VARIATIONS_KEY,
  type Cell,
  emptyGoalCell,
  NO_BREAKDOWN_KEY,
  type ReportInputs,
  sumCells,
  TOTAL,
} from "./report-cells.js";
import type { CanonicalResultsRequest } from "./results-request.js";

export {
  ALL_VARIATIONS_KEY,
  aggregate,
  MAX_BREAKDOWN_VALUES,
  MISSING_VALUE_KEY,
  NO_BREAKDOWN_KEY,
  OTHER_VALUES_KEY,
  type PhaseTimings,
  type ReportInputs,
} from "./report-cells.js";

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
        // The request's varianceReduction adjusts the totals (it cannot be combined with a breakdown).
        ...(key === TOTAL ? adjustmentOfMetric(request, goal.id) : {}),
        variations: flag.doc.variations.map((variation) => {
          const cell = cells.get(variation.key);
          const g = cell?.goals.get(goal.id);
          return {
            key: String(variation.id),
            n: cell?.units ?? 0,
            sum: g?.sum ?? 0,
            sumSquares: g?.sumSquares ?? 0,
            ...(proportion ? {} : { m2: g?.m2 ?? 0 }),
            ...(proportion ? { conversions: g?.sum ?? 0 } : {}),
            // Units without pre-period data have no covariate sums: CUPED is then not applied, with the reason.
            ...(withCovariate && g?.preSum !== undefined
              ? {
                  preSum: g.preSum,
                  preSumSquares: g.preSumSquares ?? 0,
                  crossSum: g.crossSum ?? 0,
                  preM2: g.preM2 ?? 0,
                  crossM2: g.crossM2 ?? 0,
                }
              : {}),
            ...(key === TOTAL ? adjustmentOfVariation(aggregated.adjustment, variation.key, goal.id) : {}),
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
  "regression-z": "REGRESSION_Z",
  "post-stratified-z": "POST_STRATIFIED_Z",
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
  const vr = request.varianceReduction;
  if (vr?.goalIds.includes(goal.id))
    data.varianceReduction = varianceReductionData(vr.method, analysis, metric);
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

/** The goal's regression or post-stratification as applied (or why not); the headline uses it when applied. */
function varianceReductionData(
  method: "REGRESSION" | "POST_STRATIFICATION",
  analysis: VariationAnalysis,
  metric: MetricAnalysis | undefined,
) {
  const a = metric?.adjustment ?? null;
  const c = analysis.comparison;
  return {
    method,
    applied: a !== null,
    reason: metric?.adjustmentReason ?? null,
    adjustedMean: a ? finiteOrNull(analysis.adjustedMean) : null,
    varianceReduction: a ? percent(c?.adjustment?.varianceReduction) : null,
    covariates:
      a && method === "REGRESSION"
        ? a.covariates.map((x) => ({ ...covariateOf(x.name), coefficient: finiteOrNull(x.coefficient) }))
        : null,
    droppedCovariates:
      a && method === "REGRESSION"
        ? a.dropped.map((d) => ({ ...covariateOf(d.covariate), reason: d.reason }))
        : null,
    strata: a?.strata ? a.strata.map((s) => ({ value: s.stratum, weight: s.weight })) : null,
    mergedStrata: a && method === "POST_STRATIFICATION" ? a.merged : null,
  };
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

/** The goal's capping as applied in this report. */
function cappingReport(request: CanonicalResultsRequest, goal: Goal, caps: Map<number, number | null>) {
  const binary = !goal.isNumeric || request.conversionType === "CONVERTED_VISITS";
  return cappingApplied(
    goal.capping,
    caps.get(goal.id),
    binary ? "the analysed value is 0/1 (converted units)" : undefined,
  );
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
      varianceReduction: request.varianceReduction?.goalIds.includes(goal.id)
        ? request.varianceReduction.method
        : null,
      capping: cappingReport(request, goal, aggregated.caps),
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
