/**
 * The analytics store: where exposure and conversion events land, and the one place that turns them
 * into per-variation sufficient statistics. Two implementations share this contract: DuckDB
 * (embedded default, `<dataDir>/events.duckdb`) and PostgreSQL (`VEXIL_DATABASE_URL`).
 */

export type {
  AnalyticsEvent,
  ConversionEvent,
  ExposureEvent,
  VisitorAttributes,
} from "./event-schema.js";

import type { AnalyticsEvent } from "./event-schema.js";

export interface AppendResult {
  stored: number;
  duplicate: boolean;
}

export interface EventCountFilter {
  projectKey?: string;
  environmentKey?: string;
  from?: number;
  to?: number;
}

export interface EventCount {
  kind: "exposure" | "conversion";
  projectKey: string;
  environmentKey: string;
  count: number;
}

export interface ExperimentDataScope {
  projectKey: string;
  environmentKey: string;
  featureKey: string;
  experimentId?: number;
}

export type AttributeName = "browser" | "deviceType" | "os" | "country" | "newVisitor" | `custom:${string}`;

export interface AttributeFilter {
  attribute: AttributeName;
  /** true: keep units whose value is in `values`; false: keep units whose value is not (or is missing). */
  include: boolean;
  values: string[];
}

export type BreakdownType =
  | "BROWSER"
  | "DEVICE_TYPE"
  | "OS"
  | "COUNTRY"
  | "NEW_VISITOR"
  | "CUSTOM_DATUM"
  | "INTERVAL";

export type BreakdownInterval = "HOUR" | "DAY" | "WEEK" | "MONTH";

export interface Breakdown {
  type: BreakdownType;
  /** INTERVAL only; DAY when absent. */
  interval?: BreakdownInterval;
  /** CUSTOM_DATUM only (required there). */
  customKey?: string;
}

export interface DateInterval {
  from: number;
  to: number;
}

export type AggregationUnit = "visitor" | "visit";

/**
 * A goal's cap on each unit's post-exposure value sum: absolute (> 0), or a percentile (0 < value < 1) of the
 * per-unit values pooled over every arm and breakdown value of the query (units without one count 0).
 */
export interface GoalCapping {
  goalId: number;
  type: "absolute" | "percentile";
  value: number;
}
export type ConversionType = "ALL_CONVERSION" | "CONVERTED_VISITS";

export interface AggregationQuery {
  projectKey: string;
  environmentKey: string;
  featureKey: string;
  experimentId?: number;
  ruleId?: number;
  goalId: number;
  /** One-interval shorthand for `dateIntervals`: exposures and conversions inside [from, to). */
  from?: number;
  to?: number;
  /** Union of intervals; wins over from/to when non-empty. */
  dateIntervals?: DateInterval[];
  unit: AggregationUnit;
  conversionType: ConversionType;
  /** Conversions count in [first exposure, first exposure + window). Default 7 days. */
  attributionWindowMs?: number;
  filters?: AttributeFilter[];
  breakdown?: Breakdown;
  /** Pre-exposure covariate window [first exposure - window, first exposure). Default 14 days. */
  cupedPreWindowMs?: number;
  cuped?: boolean;
  /** Per first-exposure day (UTC) statistics: each unit lands in exactly one day, so running sums are exact. */
  series?: "DAY";
  /** Caps the goal's per-unit values (see GoalCapping); the series is capped at the same cap. */
  capping?: Omit<GoalCapping, "goalId">;
}

export interface VariationStats extends MetricSums {
  variationKey: string;
  breakdownValue: string | null;
  units: number;
  exposures: number;
  conversions: number;
  convertedUnits: number;
  visits: number;
  visitors: number;
  /** Capped goals: the cap applied (null: a percentile cap came out at 0, not applied), the uncapped sum. */
  cap?: number | null;
  uncappedSum?: number;
}

export interface SeriesPoint {
  /** YYYY-MM-DD, UTC day of the units' first exposure. */
  day: string;
  variationKey: string;
  units: number;
  conversions: number;
  convertedUnits: number;
  sum: number;
  sumSquares: number;
  /** Centred sum of squares of the per-unit value over the day's units (stable, unlike the raw sums). */
  m2: number;
}

export interface AggregationResult {
  rows: VariationStats[];
  series?: SeriesPoint[];
}

/**
 * Several goals of one flag in one pass: the units (first exposures) are found once and every goal's
 * conversions are joined to them in the same statement. The per-goal numbers are raw: `conversions` counts
 * every conversion and `sum` adds their values whatever `conversionType` says; `conversionType` only picks
 * the per-unit metric CUPED's covariate is computed on (value sum, or 0/1 converted).
 */
export interface GoalsAggregationQuery extends Omit<AggregationQuery, "goalId" | "cuped" | "series"> {
  goalIds: number[];
  /** Goals (a subset of goalIds) that also get the pre-exposure covariate sums. */
  cupedGoalIds?: number[];
  /** Goals (a subset of goalIds) whose per-unit values are capped before the sums. */
  caps?: GoalCapping[];
}

/**
 * Regression adjustment: outcome goals (goalIds) on the pre-window per-unit values of covariate goals
 * (CUPED's pre-window; the same units, filters, attribution window and caps as aggregateGoals).
 */
export interface RegressionAggregationQuery extends Omit<GoalsAggregationQuery, "cupedGoalIds"> {
  /** Goals whose per-unit pre-window values are covariates, in order. */
  covariateGoalIds: number[];
  /**
   * Custom attributes of the unit's first exposure read as numbers (CUPAC: e.g. a predicted value), after
   * the goals; a unit without a numeric value counts 0. Goals and attributes: 1 to 10 covariates in all.
   */
  covariateAttributes?: string[];
}

/** One variation (x breakdown value): per outcome goal, the means and co-moments of [outcome, x1..xk]. */
export interface RegressionGroupStats {
  variationKey: string;
  breakdownValue: string | null;
  units: number;
  goals: { goalId: number; means: number[]; comoments: number[][] }[];
}

/** A metric's sums over a group's units: raw, and centred (stable: prefer m2 to sumSquares). */
export interface MetricSums {
  /** Sum and sum of squares of the per-unit value. */
  sum: number;
  sumSquares: number;
  /** Sum of squared deviations of the per-unit value from its mean over the group's units. */
  m2: number;
  /** CUPED goals only: the covariate (per-unit pre-window metric) sums and its cross product with the post metric. */
  preSum?: number;
  preSumSquares?: number;
  crossSum?: number;
  /** CUPED goals only: the covariate's centred sum of squares and its co-moment with the metric. */
  preM2?: number;
  crossM2?: number;
}

export interface GoalStats extends MetricSums {
  goalId: number;
  /** Every conversion in the attribution window. */
  conversions: number;
  convertedUnits: number;
  /** Capped goals: sum, sumSquares and m2 are of the capped values; the cap (null: not applied), raw sum. */
  cap?: number | null;
  uncappedSum?: number;
}

/** One variation (x breakdown value): its units and the outcomes of each goal that has any. */
export interface UnitGroupStats {
  variationKey: string;
  breakdownValue: string | null;
  units: number;
  exposures: number;
  visits: number;
  visitors: number;
  goals: GoalStats[];
}

/** One rule an automation tick looks at: its exposures, and conversions on these goals. */
export interface RuleOutcomeRequest {
  projectKey: string;
  environmentKey: string;
  ruleId: number;
  goalIds: number[];
  /** Only exposures at or after this instant (epoch ms) make units; default: all. */
  from?: number;
}

export interface RuleOutcomesOptions {
  /** Conversions count in [first exposure, first exposure + window). Default 7 days. */
  attributionWindowMs?: number;
}

/** Per (rule, variation, goal); unit = visitor, counted in the variation of its first exposure to the rule. */
export interface RuleOutcome {
  ruleId: number;
  variationKey: string;
  goalId: number;
  units: number;
  conversions: number;
  convertedUnits: number;
  /** Sum over units of the unit's summed conversion values, and of their squares. */
  sum: number;
  sumSquares: number;
}

/** A goal's recent data in an environment (see goal-baseline-sql.ts), for the sample-size planner. */
export interface GoalBaselineQuery {
  projectKey: string;
  environmentKey: string;
  goalId: number;
  /** Interval [from, to) in epoch ms. */
  from: number;
  to: number;
  capping?: Omit<GoalCapping, "goalId">;
}

/** Units (visitors exposed to any flag), those with the goal, and the per-unit value's sum and centred squares. */
export interface GoalBaseline {
  units: number;
  convertedUnits: number;
  sum: number;
  m2: number;
  /** The cap applied (null: none, or a percentile cap at 0). */
  cap: number | null;
}

export interface AnalyticsStore {
  /**
   * Stores a batch; resolves once it is committed (durable). A payloadId seen before stores nothing and
   * answers `duplicate: true`, decided in the same transaction as the insert.
   */
  append(events: AnalyticsEvent[], payloadId?: string): Promise<AppendResult>;
  aggregate(query: AggregationQuery): Promise<AggregationResult>;
  /**
   * Automation: outcomes of many rules in one statement (see rule-outcomes-sql.ts). A rule without
   * exposures answers no row; a variation without conversions answers zeros.
   */
  ruleOutcomes(requests: RuleOutcomeRequest[], options?: RuleOutcomesOptions): Promise<RuleOutcome[]>;
  /** Several goals at once (one statement); groups sorted by variation, then breakdown value. */
  aggregateGoals(query: GoalsAggregationQuery): Promise<UnitGroupStats[]>;
  /** Regression statistics of goals on covariate goals' pre-window values (one statement). */
  aggregateRegression(query: RegressionAggregationQuery): Promise<RegressionGroupStats[]>;
  counts(filter: EventCountFilter): Promise<EventCount[]>;
  /** A goal's per-visitor data over an interval of an environment (the planner's baseline). */
  goalBaseline(query: GoalBaselineQuery): Promise<GoalBaseline>;
  /** Retention: removes events (and remembered payload ids) older than `time`; answers the events removed. */
  deleteOlderThan(time: number): Promise<number>;
  /** Results reset: removes the flag's (or experiment's) exposures; answers the exposures removed. */
  deleteExperimentData(scope: ExperimentDataScope): Promise<number>;
  close(): Promise<void>;
}

export const DAY_MS = 86_400_000;
export const DEFAULT_ATTRIBUTION_WINDOW_MS = 7 * DAY_MS;
export const DEFAULT_CUPED_PRE_WINDOW_MS = 14 * DAY_MS;

/** Thrown for a batch the store refuses to write (a programming or validation error, not a retryable one). */
export class InvalidAnalyticsEventError extends Error {
  override readonly name = "InvalidAnalyticsEventError";
}

/** Thrown for a query the store cannot answer as asked (e.g. CUSTOM_DATUM without a key). */
export class InvalidAggregationQueryError extends Error {
  override readonly name = "InvalidAggregationQueryError";
}
