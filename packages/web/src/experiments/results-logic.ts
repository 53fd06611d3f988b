import type { Experiment, ResultsReport, ResultsRequest } from "../api/types.js";

// What the experiment pages compute from the API's answers: pure, so it is unit-tested without a browser.

type VariationReport = ResultsReport["variationData"][string];
type GeneralData = VariationReport["generalData"];
export type GoalData = GeneralData["goalsData"][string];
export type ReportGoal = ResultsReport["goals"][number];
export type Interval = { lower: number | null; upper: number | null };

/** One row of the list: what the experiments list shows of LaunchDarkly's Experiment representation. */
export interface ExperimentSummary {
  id: string;
  name: string;
  environmentKey: string;
  status: "not_started" | "running" | "stopped" | "archived";
  flagKey: string | null;
  ruleId: number | null;
  primaryGoal: string | null;
  primaryGoalKey: string | null;
  startedAt: number | null;
  endedAt: number | null;
  createdAt: number;
}

export function experimentSummary(experiment: Experiment): ExperimentSummary {
  const iteration = experiment.currentIteration;
  const [flagKey, flag] = Object.entries(iteration?.flags ?? {})[0] ?? [null, null];
  const ruleId = flag ? Number(flag.targetingRule) : Number.NaN;
  const status =
    experiment.archivedDate !== undefined
      ? "archived"
      : ((iteration?.status as ExperimentSummary["status"] | undefined) ?? "not_started");
  return {
    id: experiment._id,
    name: experiment.name,
    environmentKey: experiment.environmentKey,
    status,
    flagKey,
    ruleId: Number.isInteger(ruleId) ? ruleId : null,
    primaryGoal: iteration?.primarySingleMetric?.name ?? null,
    primaryGoalKey: iteration?.primarySingleMetric?.key ?? null,
    startedAt: iteration?.startedAt ?? null,
    endedAt: iteration?.endedAt ?? null,
    createdAt: experiment._creationDate,
  };
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Whole days from the start to the end (or now while running); null before it started. */
export function daysRunning(summary: Pick<ExperimentSummary, "startedAt" | "endedAt">, now: number) {
  if (summary.startedAt === null) return null;
  return Math.max(0, Math.floor(((summary.endedAt ?? now) - summary.startedAt) / DAY));
}

/** The console's choices on the results page. */
export interface ResultsOptions {
  conversionType: "CONVERTED_VISITS" | "ALL_CONVERSION";
  visitorData: boolean;
  bayesian: boolean;
  sequentialTesting: boolean;
  enabledMultipleTesting: boolean;
  cuped: boolean;
  breakdown: NonNullable<ResultsRequest["breakdown"]> | null;
  filters: NonNullable<ResultsRequest["filters"]>;
  varianceReduction: VarianceReductionChoice;
}

type VarianceReductionRequest = NonNullable<ResultsRequest["varianceReduction"]>;
export type Stratification = NonNullable<VarianceReductionRequest["stratification"]>;

/** The variance reduction asked for: none, regression on covariates, or post-stratification by an attribute. */
export interface VarianceReductionChoice {
  method: "NONE" | VarianceReductionRequest["method"];
  covariateGoalIds: number[];
  covariateAttributes: string[];
  stratification: Stratification | null;
}

export const defaultOptions: ResultsOptions = {
  conversionType: "CONVERTED_VISITS",
  visitorData: true,
  bayesian: false,
  sequentialTesting: false,
  enabledMultipleTesting: false,
  cuped: false,
  breakdown: null,
  filters: [],
  varianceReduction: { method: "NONE", covariateGoalIds: [], covariateAttributes: [], stratification: null },
};

/**
 * The period of an experiment's results: from its creation's UTC day (the rule may have had traffic from
 * the moment it was made) to the next full hour, so reloads within the hour ask the same report (same
 * dataCode; the server recomputes it when data arrived).
 */
export function resultsPeriod(summary: ExperimentSummary, now: number) {
  const start = Math.floor(Math.min(summary.createdAt, summary.startedAt ?? summary.createdAt) / DAY) * DAY;
  const end = summary.endedAt ?? Math.floor(now / HOUR) * HOUR + HOUR;
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}

/** The flag's goals (primary first): the goals CUPED is asked for. */
export function reportGoalIds(flag: {
  primaryGoalId?: number | null;
  secondaryGoalIds?: number[];
}): number[] {
  return [
    ...(typeof flag.primaryGoalId === "number" ? [flag.primaryGoalId] : []),
    ...(flag.secondaryGoalIds ?? []),
  ];
}

/** The body of POST /feature-flags/{id}/results for the options (goalIds: the report's goals, for CUPED). */
export function resultsRequest(
  summary: ExperimentSummary,
  options: ResultsOptions,
  goalIds: number[],
  now: number,
): ResultsRequest {
  return {
    dateIntervals: [resultsPeriod(summary, now)],
    conversionType: options.conversionType,
    visitorData: options.visitorData,
    bayesian: options.bayesian,
    sequentialTesting: options.sequentialTesting,
    enabledMultipleTesting: options.enabledMultipleTesting,
    environmentKey: summary.environmentKey,
    ...(summary.ruleId !== null ? { ruleId: summary.ruleId } : {}),
    ...(options.cuped && goalIds.length > 0 ? { goalIdsCuped: goalIds } : {}),
    ...(options.breakdown ? { breakdown: options.breakdown } : {}),
    ...(options.filters.length > 0 ? { filters: options.filters } : {}),
    ...withVarianceReduction(options.varianceReduction, goalIds),
  };
}

/**
 * The request's varianceReduction for every goal of the report, or nothing while the choice is incomplete
 * (regression without a covariate, post-stratification without an attribute). Conflicts the server
 * refuses (CUPED on the same goals, a breakdown) are sent as they are: its 400 says why, at the control.
 */
export function withVarianceReduction(
  choice: VarianceReductionChoice,
  goalIds: number[],
): { varianceReduction?: VarianceReductionRequest } {
  if (choice.method === "NONE" || goalIds.length === 0) return {};
  if (choice.method === "REGRESSION") {
    if (choice.covariateGoalIds.length + choice.covariateAttributes.length === 0) return {};
    return {
      varianceReduction: {
        method: "REGRESSION",
        goalIds,
        ...(choice.covariateGoalIds.length > 0 ? { covariateGoalIds: choice.covariateGoalIds } : {}),
        ...(choice.covariateAttributes.length > 0 ? { covariateAttributes: choice.covariateAttributes } : {}),
      },
    };
  }
  const strata = choice.stratification;
  if (!strata || (strata.type === "CUSTOM_DATUM" && !strata.key)) return {};
  return { varianceReduction: { method: "POST_STRATIFICATION", goalIds, stratification: strata } };
}

/**
 * The same request as cumulative days: the series of the over-time plots (breakdown and filters kept; the
 * variance reduction left out, since the server computes it on the totals only and refuses a breakdown).
 */
export function cumulativeRequest(request: ResultsRequest): ResultsRequest {
  const { varianceReduction: _totalsOnly, ...rest } = request;
  return { ...rest, breakdown: { type: "INTERVAL", interval: "DAY", cumulative: true } };
}

type VarianceReductionData = NonNullable<GoalData["varianceReduction"]>;

/** What the page says of a goal's variance reduction: applied or why not, the reductions, the covariates or strata. */
export interface VarianceReductionSummary {
  method: VarianceReductionData["method"];
  applied: boolean;
  reason: string | null;
  /** "On: variance reduced by 23.4 %" per compared variation. */
  reductions: string[];
  /** "Signup (14 days before): slope 0.52", "Chrome: 40.0 %", "dropped …". */
  details: string[];
}

/** The report's variance-reduction block for a goal (goalNames: the project's goals, for covariates' names). */
export function varianceReductionSummary(
  report: ResultsReport,
  goalId: number,
  goalNames: Record<number, string> = {},
): VarianceReductionSummary | null {
  const blocks = Object.values(report.variationData)
    .filter((v) => v.generalData.goalsData[String(goalId)]?.varianceReduction)
    .map((v) => ({
      name: v.variationName,
      reference: v.reference,
      block: v.generalData.goalsData[String(goalId)]?.varianceReduction as VarianceReductionData,
    }));
  const first = blocks[0]?.block;
  if (!first) return null;
  const covariate = (c: { goalId: number | null; attribute: string | null }) =>
    c.goalId !== null
      ? `goal ${goalNames[c.goalId] ?? c.goalId} (14 days before)`
      : `attribute ${c.attribute}`;
  const details = [
    ...(first.covariates ?? []).map((c) => `${covariate(c)}: slope ${c.coefficient?.toPrecision(3) ?? "–"}`),
    ...(first.droppedCovariates ?? []).map((c) => `${covariate(c)} dropped: ${c.reason}`),
    ...(first.strata ?? []).map((s) => `stratum ${s.value}: weight ${percent(100 * s.weight)}`),
    ...((first.mergedStrata ?? []).length > 0
      ? [`merged small strata: ${first.mergedStrata?.join(", ")}`]
      : []),
  ];
  return {
    method: first.method,
    applied: blocks.some((b) => b.block.applied),
    reason: blocks.find((b) => b.block.reason)?.block.reason ?? null,
    reductions: blocks
      .filter((b) => !b.reference && b.block.varianceReduction !== null)
      .map((b) => `${b.name}: variance reduced by ${percent(b.block.varianceReduction)}`),
    details,
  };
}

/**
 * The value a goal is judged on per unit, as the report analyses it (goals[].analyzedMetric): a rate, or a
 * mean (revenue per unit). CUPED's adjusted value when CUPED was applied.
 */
export function metricValue(goal: ReportGoal, data: GoalData, units: number) {
  const kind = goal.analyzedMetric === "REVENUE_PER_UNIT" ? "mean" : "rate";
  const raw = kind === "mean" ? (units > 0 ? data.revenueCount / units : null) : data.conversionRate;
  const value = data.cuped?.applied ? data.cuped.conversionRate : raw;
  return { kind, value } as const;
}

/** One variation's numbers for one goal, as the results table and the interval bars show them. */
export interface VariationRow {
  variationId: string;
  name: string;
  reference: boolean;
  units: number;
  conversions: number;
  converted: number;
  kind: "rate" | "mean";
  value: number | null;
  lift: number | null;
  interval: Interval | null;
  pValue: number | null;
  significant: boolean | null;
  chanceToBeatReference: number | null;
  chanceToBeBest: number | null;
  credibleInterval: Interval | null;
  sequentialInterval: Interval | null;
  cuped: GoalData["cuped"] | null;
  warnings: string[];
}

const unitsOf = (general: GeneralData, report: ResultsReport) =>
  report.unit === "VISITOR" ? general.visitorCount : general.visitCount;

/** The variations' rows for a goal (breakdownKey: a breakdown value's rows instead of the totals). */
export function variationRows(report: ResultsReport, goalId: number, breakdownKey?: string): VariationRow[] {
  const goal = report.goals.find((g) => g.goalId === goalId);
  if (!goal) return [];
  const rows: VariationRow[] = [];
  for (const [variationId, variation] of Object.entries(report.variationData)) {
    const general = breakdownKey ? variation.breakdownData[breakdownKey]?.generalData : variation.generalData;
    if (!general) continue;
    const data = general.goalsData[String(goalId)];
    const units = unitsOf(general, report);
    const { kind, value } = data ? metricValue(goal, data, units) : { kind: "rate" as const, value: null };
    rows.push({
      variationId,
      name: variation.variationName,
      reference: variation.reference,
      units,
      conversions: data?.conversionCount ?? 0,
      converted: data?.convertedVisitCount ?? 0,
      kind,
      value,
      // The headline values are the adjusted ones (multiple testing) when the report has them: the
      // verdict (significant) reads them too.
      lift: data?.improvementRate ?? null,
      interval: data?.improvementIntervalAdjusted ?? data?.improvementInterval ?? null,
      pValue: data?.pValueAdjusted ?? data?.pValue ?? null,
      significant: data?.significant ?? null,
      chanceToBeatReference: data?.bayesian?.chanceToBeatReference ?? null,
      chanceToBeBest: data?.bayesian?.chanceToBeBest ?? null,
      credibleInterval: data?.bayesian?.improvementCredibleInterval ?? null,
      sequentialInterval: data?.sequential?.improvementInterval ?? null,
      cuped: data?.cuped ?? null,
      warnings: data?.warnings ?? [],
    });
  }
  // The reference first, then the report's order.
  return rows.sort((a, b) => Number(b.reference) - Number(a.reference));
}

/** A point of a series over time (a cumulative day). */
export interface SeriesPoint {
  time: number;
  value: number | null;
  lower: number | null;
  upper: number | null;
}

export interface Series {
  variationId: string;
  name: string;
  points: SeriesPoint[];
}

/** The time-ordered day keys of a cumulative INTERVAL report ("(other)" and "(none)" left out). */
function dayKeys(report: ResultsReport): string[] {
  const keys = new Set<string>();
  for (const variation of Object.values(report.variationData))
    for (const key of Object.keys(variation.breakdownData)) if (!Number.isNaN(Date.parse(key))) keys.add(key);
  return [...keys].sort((a, b) => Date.parse(a) - Date.parse(b));
}

/**
 * Cumulative lift of each non-reference variation over the days, with the interval the report gives each
 * cumulative day (the same test as the totals'), from a report requested with cumulativeRequest.
 */
export function cumulativeLiftSeries(report: ResultsReport, goalId: number): Series[] {
  const days = dayKeys(report);
  return Object.entries(report.variationData)
    .filter(([, v]) => !v.reference)
    .map(([variationId, variation]) => ({
      variationId,
      name: variation.variationName,
      points: days.map((day) => {
        const data = variation.breakdownData[day]?.generalData.goalsData[String(goalId)];
        const interval = data?.improvementIntervalAdjusted ?? data?.improvementInterval ?? null;
        return {
          time: Date.parse(day),
          value: data?.improvementRate ?? null,
          lower: interval?.lower ?? null,
          upper: interval?.upper ?? null,
        };
      }),
    }));
}

/** Units of each variation over the days (cumulative), from the same cumulative report. */
export function exposureSeries(report: ResultsReport): Series[] {
  const days = dayKeys(report);
  return Object.entries(report.variationData).map(([variationId, variation]) => ({
    variationId,
    name: variation.variationName,
    points: days.map((day) => {
      const general = variation.breakdownData[day]?.generalData;
      return {
        time: Date.parse(day),
        value: general ? unitsOf(general, report) : null,
        lower: null,
        upper: null,
      };
    }),
  }));
}

/**
 * A normal density through a credible interval (its middle as the mean, its 95 % half-width as 1.96 sd):
 * the shape of the Bayesian lift distribution drawn from what the report gives. null when a bound is open.
 */
export function liftDensity(
  interval: Interval | null,
  points = 61,
): { lift: number; density: number }[] | null {
  if (interval?.lower == null || interval.upper == null || interval.upper <= interval.lower) return null;
  const mean = (interval.lower + interval.upper) / 2;
  const sd = (interval.upper - interval.lower) / (2 * 1.959964);
  const from = mean - 4 * sd;
  const step = (8 * sd) / (points - 1);
  return Array.from({ length: points }, (_, i) => {
    const lift = from + i * step;
    const z = (lift - mean) / sd;
    return { lift, density: Math.exp(-0.5 * z * z) / (sd * Math.sqrt(2 * Math.PI)) };
  });
}

/** A CSV field: quoted when it holds a comma, quote or line break (RFC 4180); numbers as they are. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const CSV_COLUMNS = [
  "breakdown",
  "variation_id",
  "variation",
  "reference",
  "goal_id",
  "goal",
  "units",
  "conversions",
  "converted_units",
  "metric",
  "value",
  "lift_percent",
  "interval_lower_percent",
  "interval_upper_percent",
  "p_value",
  "significant",
  "chance_to_beat_reference_percent",
  "chance_to_be_best_percent",
  "warnings",
] as const;

/** The report as CSV: one line per breakdown value (or "total"), variation and goal. */
export function resultsCsv(report: ResultsReport): string {
  const keys = new Set<string>();
  for (const variation of Object.values(report.variationData))
    for (const key of Object.keys(variation.breakdownData)) keys.add(key);
  const sections: (string | undefined)[] = [undefined, ...(report.breakdown ? keys : [])];
  const lines = [CSV_COLUMNS.join(",")];
  for (const section of sections) {
    for (const goal of report.goals) {
      for (const row of variationRows(report, goal.goalId, section)) {
        lines.push(
          [
            section ?? "total",
            row.variationId,
            row.name,
            row.reference,
            goal.goalId,
            goal.name,
            row.units,
            row.conversions,
            row.converted,
            goal.analyzedMetric,
            row.value,
            row.lift,
            row.interval?.lower,
            row.interval?.upper,
            row.pValue,
            row.significant,
            row.chanceToBeatReference,
            row.chanceToBeBest,
            row.warnings.join("; "),
          ]
            .map(csvField)
            .join(","),
        );
      }
    }
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** Every distinct warning of the report and its goals (the "too little data" reasons among them). */
export function reportWarnings(report: ResultsReport): string[] {
  const all = new Set(report.warnings);
  for (const variation of Object.values(report.variationData))
    for (const data of Object.values(variation.generalData.goalsData))
      for (const warning of data.warnings ?? []) all.add(`${variation.variationName}: ${warning}`);
  return [...all];
}

/** A percentage with a sign for lifts ("+4.2 %"), or a dash. */
export function percent(value: number | null | undefined, signed = false, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  const text = `${value.toFixed(digits)} %`;
  return signed && value > 0 ? `+${text}` : text;
}

/** "[−1.2 %, +5.0 %]" with open bounds as ∞. */
export function intervalText(interval: Interval | null): string {
  if (!interval) return "–";
  const bound = (v: number | null, side: -1 | 1) =>
    v === null ? (side < 0 ? "−∞" : "+∞") : percent(v, true);
  return `[${bound(interval.lower, -1)}, ${bound(interval.upper, 1)}]`;
}
