/**
 * Builds the SQL that reduces raw events to per-variation sufficient statistics, for DuckDB and for
 * PostgreSQL. Everything both dialects agree on is shared; a dialect (aggregation-dialects.ts) supplies
 * only the first-exposure step, custom-attribute access and month truncation. Every value coming from
 * a query is a bound parameter (`$n`, which both engines accept); only generated identifiers such as
 * `attr_0` are written into the text.
 *
 * Shape of the query (one statement, a few CTEs):
 *   scoped_exposures   the flag's exposures inside the date intervals, with the unit key and the
 *                      attributes the query filters or breaks down on
 *   unit_summaries     one row per unit: first exposure (fixes variation and attributes), exposure and
 *                      visit counts                                                       [dialect]
 *   units              filters on the first exposure's attributes; breakdown value
 *   unit_outcomes      per-unit conversion counts/sums in the attribution window (and the CUPED
 *                      pre-window), joined on the unit key
 *   exposure_stats / outcome_stats   GROUP BY variation x breakdown; joined at the end
 *   unresolved_units / several_visit_stats   distinct visit hashes of the units the cheap per-unit
 *                      visit count could not settle (unit = visitor only)
 *
 * Units are grouped and joined on 53-bit integer hashes of their keys (visitor_hash, visit_hash), stored
 * at ingestion: twice as fast as grouping the text keys at 10M units, at the price of a ~0.5 % chance that
 * two of 10M units share a hash and count as one.
 */

import { cappingCtes, checkCaps } from "./aggregation-capping-sql.js";
import type { AggregationDialect } from "./aggregation-dialects.js";
import {
  type AttributeFilter,
  type AttributeName,
  type BreakdownInterval,
  DEFAULT_ATTRIBUTION_WINDOW_MS,
  DEFAULT_CUPED_PRE_WINDOW_MS,
  type GoalsAggregationQuery,
  InvalidAggregationQueryError,
} from "./analytics-store.js";
import { CONVERSIONS_TABLE, EXPOSURES_TABLE } from "./event-columns.js";
import { type SqlParameter, SqlParameters } from "./sql-parameters.js";

export interface AggregationSql {
  sql: string;
  params: SqlParameter[];
  cupedGoalIds: number[];
  /** Set when breakdown values are bucket starts (epoch ms as text) to be rendered as ISO strings. */
  breakdownInterval: BreakdownInterval | null;
}

/**
 * A row the statement returns: one per variation x breakdown value x goal with outcomes (goal_id NULL for a
 * group without any); every number is a DOUBLE.
 */
export interface AggregationSqlRow {
  variation_key: string;
  breakdown_value: string | null;
  units: number;
  exposures: number;
  visits: number;
  visitors: number;
  goal_id: number | null;
  conversions: number;
  converted_units: number;
  value_sum: number;
  value_sum_squares: number;
  /** Units with an outcome row, and the centred moments of their per-unit value. */
  outcome_units: number;
  value_mean: number;
  value_m2: number;
  pre_sum?: number;
  pre_sum_squares?: number;
  cross_sum?: number;
  pre_mean?: number;
  post_value_mean?: number;
  pre_m2?: number;
  cross_m2?: number;
  /** Capped goals: the cap applied (NULL when a percentile cap came out at 0) and the uncapped value sum. */
  cap_value?: number | null;
  raw_value_sum?: number;
}

export interface QueryPlan {
  query: GoalsAggregationQuery;
  dialect: AggregationDialect;
  params: SqlParameters;
  /** The unit key: the integer hash of the visitor code or of the visit id (event-columns.ts keyHash). */
  unitColumn: "visitor_hash" | "visit_hash";
  attributes: AttributeName[];
  /** Attributes the units CTE carries as numbers (regression covariates): `num_0`, ... */
  numericAttributes: AttributeName[];
  intervals: TimeRange[];
  /** Some goal gets CUPED sums (the outcome CTEs carry the pre-window columns). */
  cuped: boolean;
  cupedGoalIds: number[];
  /** Some goal is capped (unit_outcomes caps raw_unit_outcomes; see aggregation-capping-sql.ts). */
  capped: boolean;
  breakdownInterval: BreakdownInterval | null;
  /** The query breaks down (by an attribute or an interval): units carry a breakdown_value column. */
  brokenDown: boolean;
}

/** A date interval whose bounds may be open (the from/to shorthand allows either alone). */
interface TimeRange {
  from?: number;
  to?: number;
}

const ATTRIBUTE_BY_BREAKDOWN = {
  BROWSER: "browser",
  DEVICE_TYPE: "deviceType",
  OS: "os",
  COUNTRY: "country",
  NEW_VISITOR: "newVisitor",
} as const;

export function buildAggregationSql(
  query: GoalsAggregationQuery,
  dialect: AggregationDialect,
): AggregationSql {
  const plan = planQuery(query, dialect);
  const withOutcomes = query.goalIds.length > 0;
  const ctes = [
    ...unitOutcomeCtes(plan),
    `exposure_stats AS (${exposureStatsSql(plan)})`,
    ...(withOutcomes ? [`outcome_stats AS (${outcomeStatsSql(plan)})`] : []),
    ...(needsVisitFixup(plan)
      ? [
          `unresolved_units AS (${unresolvedUnitsSql(plan)})`,
          `several_visit_stats AS (${severalVisitStatsSql(plan)})`,
        ]
      : []),
  ];
  return {
    sql: `WITH ${ctes.join(",\n")}\n${finalSelectSql(plan, withOutcomes)}`,
    params: plan.params.values,
    cupedGoalIds: plan.cupedGoalIds,
    breakdownInterval: plan.breakdownInterval,
  };
}

/**
 * The CTEs every statement over units shares: scoped_exposures, unit_summaries, units and, with goals,
 * unit_outcomes (one row per unit x goal: post_count, post_sum and, for CUPED goals, pre_count, pre_sum;
 * capped per the query's caps).
 */
export function unitOutcomeCtes(plan: QueryPlan): string[] {
  const { query } = plan;
  const withOutcomes = query.goalIds.length > 0;
  return [
    // Inlined, not spooled: its second reader (the exact visit pass) only runs for unresolved units.
    `scoped_exposures AS NOT MATERIALIZED (${scopedExposuresSql(plan)})`,
    ...plan.dialect.unitSummaryCtes({
      attributeColumns: plan.attributes.map((_, index) => attributeColumn(index)),
      carryVisitorHash: query.unit === "visit",
      countVisits: query.unit === "visitor",
    }),
    `units AS (${unitsSql(plan)})`,
    ...(withOutcomes && plan.capped
      ? [
          `raw_unit_outcomes AS (${unitOutcomesSql(plan)})`,
          ...cappingCtes(plan.params, query.caps ?? [], plan.cuped, groupColumns(plan, "r")),
        ]
      : []),
    ...(withOutcomes && !plan.capped ? [`unit_outcomes AS (${unitOutcomesSql(plan)})`] : []),
  ];
}

/** The query's plan: its attributes, intervals, CUPED and capped goals, and its bound parameters. */
export function planQuery(
  query: GoalsAggregationQuery,
  dialect: AggregationDialect,
  numericAttributes: AttributeName[] = [],
): QueryPlan {
  const breakdownAttribute = breakdownAttributeOf(query);
  const attributes = [
    ...new Set([
      ...(breakdownAttribute ? [breakdownAttribute] : []),
      ...filterAttributes(query),
      ...numericAttributes,
    ]),
  ];
  const goalIds = new Set(query.goalIds);
  const cupedGoalIds = [...new Set(query.cupedGoalIds ?? [])];
  const outside = cupedGoalIds.find((id) => !goalIds.has(id));
  if (outside !== undefined)
    throw new InvalidAggregationQueryError(`CUPED goal ${outside} is not one of the aggregated goals`);
  checkCaps(query.caps ?? [], query.goalIds);
  return {
    query,
    dialect,
    params: new SqlParameters(),
    unitColumn: query.unit === "visit" ? "visit_hash" : "visitor_hash",
    attributes,
    numericAttributes,
    intervals: dateIntervalsOf(query),
    cuped: cupedGoalIds.length > 0,
    cupedGoalIds,
    capped: (query.caps ?? []).length > 0,
    breakdownInterval: query.breakdown?.type === "INTERVAL" ? (query.breakdown.interval ?? "DAY") : null,
    brokenDown: Boolean(query.breakdown),
  };
}

function breakdownAttributeOf(query: GoalsAggregationQuery): AttributeName | null {
  const breakdown = query.breakdown;
  if (!breakdown || breakdown.type === "INTERVAL") return null;
  if (breakdown.type === "CUSTOM_DATUM") {
    if (!breakdown.customKey)
      throw new InvalidAggregationQueryError("CUSTOM_DATUM breakdown needs a customKey");
    return `custom:${breakdown.customKey}`;
  }
  return ATTRIBUTE_BY_BREAKDOWN[breakdown.type];
}

function filterAttributes(query: GoalsAggregationQuery): AttributeName[] {
  return (query.filters ?? []).map((filter) => filter.attribute);
}

/** dateIntervals when given, else the from/to shorthand (either bound may be open), else no restriction. */
function dateIntervalsOf(query: GoalsAggregationQuery): TimeRange[] {
  if (query.dateIntervals && query.dateIntervals.length > 0) return query.dateIntervals;
  if (query.from === undefined && query.to === undefined) return [];
  return [{ from: query.from, to: query.to }];
}

/**
 * The columns a result group is keyed by: variation_key, and breakdown_value when the query breaks down.
 * Without a breakdown the column is left out of every CTE (the final SELECT writes NULL) rather than
 * carried as a constant NULL, materialised with the units and hashed in every GROUP BY: at 10M units
 * that cost DuckDB ~15 % of the statement's CPU (median of paired runs on a busy machine).
 */
export function groupColumns(plan: QueryPlan, alias?: string): string[] {
  const prefix = alias ? `${alias}.` : "";
  return [`${prefix}variation_key`, ...(plan.brokenDown ? [`${prefix}breakdown_value`] : [])];
}

function attributeColumn(index: number): string {
  return `attr_${index}`;
}

/** The units CTE's column of the i-th numeric attribute (NULL when the unit's value is not a number). */
export function numericAttributeColumn(index: number): string {
  return `num_${index}`;
}

function attributeIndex(plan: QueryPlan, attribute: AttributeName): number {
  return plan.attributes.indexOf(attribute);
}

function attributeExpression(plan: QueryPlan, attribute: AttributeName): string {
  switch (attribute) {
    case "browser":
      return "browser";
    case "deviceType":
      return "device_type";
    case "os":
      return "os";
    case "country":
      return "country";
    case "newVisitor":
      return "CAST(new_visitor AS TEXT)";
    default:
      return plan.dialect.customAttribute(plan.params.text(attribute.slice("custom:".length)));
  }
}

function scopedExposuresSql(plan: QueryPlan): string {
  const { query, params } = plan;
  const conditions = [
    `project_key = ${params.text(query.projectKey)}`,
    `environment_key = ${params.text(query.environmentKey)}`,
    `feature_key = ${params.text(query.featureKey)}`,
  ];
  if (query.experimentId !== undefined)
    conditions.push(`experiment_id = ${params.bigint(query.experimentId, "experimentId")}`);
  if (query.ruleId !== undefined) conditions.push(`rule_id = ${params.bigint(query.ruleId, "ruleId")}`);
  const inIntervals = intervalsCondition(plan, "time");
  if (inIntervals) conditions.push(inIntervals);
  const attributes = plan.attributes.map(
    (attribute, index) => `${attributeExpression(plan, attribute)} AS ${attributeColumn(index)}`,
  );
  return `
  SELECT ${[`${plan.unitColumn} AS unit_key`, ...unitColumns(plan), "variation_key", "time", ...attributes].join(", ")}
  FROM ${EXPOSURES_TABLE}
  WHERE ${conditions.join("\n    AND ")}
`;
}

/** Visit units count their distinct visitors; visitor units count their visits (hash, then exact ids). */
function unitColumns(plan: QueryPlan): string[] {
  return plan.query.unit === "visit" ? ["visitor_hash"] : ["visit_hash"];
}

/** (t in interval 1) OR (t in interval 2) ...; null when the query has no date restriction. */
function intervalsCondition(plan: QueryPlan, timeExpression: string): string | null {
  if (plan.intervals.length === 0) return null;
  const each = plan.intervals.map((interval, index) => {
    const bounds: string[] = [];
    if (interval.from !== undefined)
      bounds.push(
        `${timeExpression} >= ${plan.params.bigint(interval.from, `dateIntervals[${index}].from`)}`,
      );
    if (interval.to !== undefined)
      bounds.push(`${timeExpression} < ${plan.params.bigint(interval.to, `dateIntervals[${index}].to`)}`);
    return `(${bounds.join(" AND ")})`;
  });
  return each.length === 1 ? each[0]! : `(${each.join(" OR ")})`;
}

function unitsSql(plan: QueryPlan): string {
  const filters = (plan.query.filters ?? [])
    .map((filter) => filterCondition(plan, filter))
    .filter((c) => c !== null);
  const columns = [
    "unit_key",
    "first_time",
    "variation_key",
    ...(plan.query.unit === "visit" ? ["visitor_hash"] : []),
    ...(plan.brokenDown ? [`${breakdownExpression(plan)} AS breakdown_value`] : []),
    "exposure_count",
    ...(plan.query.unit === "visitor" ? ["visit_count"] : []),
    ...plan.numericAttributes.map(
      (attribute, i) =>
        `${plan.dialect.numeric(attributeColumn(attributeIndex(plan, attribute)))} AS ${numericAttributeColumn(i)}`,
    ),
  ];
  return `
  SELECT ${columns.join(", ")}
  FROM unit_summaries${filters.length > 0 ? `\n  WHERE ${filters.join("\n    AND ")}` : ""}
`;
}

/** include: value in the list; exclude: value missing or not in the list. null = no restriction. */
function filterCondition(plan: QueryPlan, filter: AttributeFilter): string | null {
  const column = attributeColumn(attributeIndex(plan, filter.attribute));
  if (filter.values.length === 0) return filter.include ? "FALSE" : null;
  const list = filter.values.map((value) => plan.params.text(String(value))).join(", ");
  return filter.include ? `${column} IN (${list})` : `(${column} IS NULL OR ${column} NOT IN (${list}))`;
}

function breakdownExpression(plan: QueryPlan): string {
  if (plan.breakdownInterval)
    return `CAST(${bucketStart(plan, plan.breakdownInterval, "first_time")} AS TEXT)`;
  const attribute = breakdownAttributeOf(plan.query);
  return attribute ? attributeColumn(attributeIndex(plan, attribute)) : "CAST(NULL AS TEXT)";
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05, the first Monday after the epoch: ISO weeks start on Mondays. */
const FIRST_MONDAY_MS = 4 * DAY_MS;

/** UTC bucket start in epoch ms; fixed-length buckets are plain integer arithmetic in both dialects. */
function bucketStart(plan: QueryPlan, interval: BreakdownInterval, time: string): string {
  switch (interval) {
    case "HOUR":
      return `(${time} - ${time} % ${HOUR_MS})`;
    case "DAY":
      return `(${time} - ${time} % ${DAY_MS})`;
    case "WEEK":
      return `(${time} - (${time} - ${FIRST_MONDAY_MS}) % ${WEEK_MS})`;
    case "MONTH":
      return plan.dialect.monthStart(time);
  }
}

function attributionWindowMs(plan: QueryPlan): number {
  return plan.query.attributionWindowMs ?? DEFAULT_ATTRIBUTION_WINDOW_MS;
}

function unitOutcomesSql(plan: QueryPlan): string {
  const { query, params } = plan;
  const window = params.bigint(attributionWindowMs(plan), "attributionWindowMs");
  const joinConditions = [
    `c.project_key = ${params.text(query.projectKey)}`,
    `c.environment_key = ${params.text(query.environmentKey)}`,
    goalCondition(plan, "c.goal_id", query.goalIds, "goalIds"),
    `c.time >= u.first_time${plan.cuped ? ` - ${preWindowFor(plan)}` : ""}`,
    `c.time < u.first_time + ${window}`,
  ];
  const inIntervals = intervalsCondition(plan, "c.time");
  // Without CUPED every joined conversion is a post-exposure one, so the date restriction goes in WHERE;
  // with CUPED the pre-window rows must survive it and the post aggregates filter instead.
  if (inIntervals && !plan.cuped) joinConditions.push(inIntervals);
  const postCondition = plan.cuped
    ? ["c.time >= u.first_time", ...(inIntervals ? [inIntervals] : [])].join(" AND ")
    : null;
  const aggregates = [
    `${filtered("count(*)", postCondition)} AS post_count`,
    `coalesce(${filtered("sum(c.value)", postCondition)}, 0) AS post_sum`,
    ...(plan.cuped
      ? [
          `${filtered("count(*)", "c.time < u.first_time")} AS pre_count`,
          `coalesce(${filtered("sum(c.value)", "c.time < u.first_time")}, 0) AS pre_sum`,
        ]
      : []),
  ];
  return `
  SELECT ${groupColumns(plan, "u").join(", ")}, u.unit_key, c.goal_id,
    ${aggregates.join(",\n    ")}
  FROM units u JOIN ${CONVERSIONS_TABLE} c ON c.${plan.unitColumn} = u.unit_key
  WHERE ${joinConditions.join("\n    AND ")}
  GROUP BY ${groupColumns(plan, "u").join(", ")}, u.unit_key, c.goal_id
`;
}

/** `column = $n` for one goal, `column IN (...)` for several. */
function goalCondition(plan: QueryPlan, column: string, goalIds: number[], field: string): string {
  const ids = goalIds.map((id, index) => plan.params.bigint(id, `${field}[${index}]`));
  return ids.length === 1 ? `${column} = ${ids[0]}` : `${column} IN (${ids.join(", ")})`;
}

/** How far before the first exposure conversions are read: the CUPED window for CUPED goals, else 0. */
function preWindowFor(plan: QueryPlan): string {
  const window = plan.params.bigint(
    plan.query.cupedPreWindowMs ?? DEFAULT_CUPED_PRE_WINDOW_MS,
    "cupedPreWindowMs",
  );
  if (plan.cupedGoalIds.length === new Set(plan.query.goalIds).size) return window;
  return `(CASE WHEN ${goalCondition(plan, "c.goal_id", plan.cupedGoalIds, "cupedGoalIds")} THEN ${window} ELSE 0 END)`;
}

function filtered(aggregate: string, condition: string | null): string {
  return condition ? `${aggregate} FILTER (WHERE ${condition})` : aggregate;
}

function exposureStatsSql(plan: QueryPlan): string {
  const byVisitor = plan.query.unit === "visitor";
  return `
  SELECT ${groupColumns(plan).join(", ")}, count(*) AS units, sum(exposure_count) AS exposures,
    ${byVisitor ? "sum(visit_count)" : "count(*)"} AS visits,
    ${byVisitor ? "count(*)" : "count(DISTINCT visitor_hash)"} AS visitors
  FROM units
  GROUP BY ${groupColumns(plan).join(", ")}
`;
}

/** Per-unit value: the sum of conversion values, or 1 when the unit converted at all. */
export function unitValue(plan: QueryPlan, period: "post" | "pre"): string {
  return plan.query.conversionType === "ALL_CONVERSION"
    ? `${period}_sum`
    : `CASE WHEN ${period}_count > 0 THEN 1 ELSE 0 END`;
}

function outcomeStatsSql(plan: QueryPlan): string {
  const post = unitValue(plan, "post");
  const pre = unitValue(plan, "pre");
  // Centred moments over the units with an outcome (var_pop/covar_pop are computed stably by both
  // databases); the units without one (value 0) are merged in afterwards (toUnitGroups).
  const aggregates = [
    "sum(post_count) AS conversions",
    "count(*) FILTER (WHERE post_count > 0) AS converted_units",
    "sum(post_sum) AS value_sum",
    "sum(post_sum * post_sum) AS value_sum_squares",
    "count(*) AS outcome_units",
    "avg(post_sum) AS value_mean",
    "var_pop(post_sum) * count(*) AS value_m2",
    ...(plan.capped ? ["sum(raw_post_sum) AS raw_value_sum", "max(cap) AS cap_value"] : []),
    ...(plan.cuped
      ? [
          `sum(${pre}) AS pre_sum`,
          `sum((${pre}) * (${pre})) AS pre_sum_squares`,
          `sum((${pre}) * (${post})) AS cross_sum`,
          `avg(${pre}) AS pre_mean`,
          `avg(${post}) AS post_value_mean`,
          `var_pop(${pre}) * count(*) AS pre_m2`,
          `covar_pop(${pre}, ${post}) * count(*) AS cross_m2`,
        ]
      : []),
  ];
  return `
  SELECT ${groupColumns(plan).join(", ")}, goal_id,
    ${aggregates.join(",\n    ")}
  FROM unit_outcomes
  GROUP BY ${groupColumns(plan).join(", ")}, goal_id
`;
}

function needsVisitFixup(plan: QueryPlan): boolean {
  return plan.query.unit === "visitor";
}

/** Units whose visits the cheap per-unit count could not settle (visit_count IS NULL). */
function unresolvedUnitsSql(plan: QueryPlan): string {
  return `
  SELECT unit_key, ${groupColumns(plan).join(", ")} FROM units WHERE visit_count IS NULL
`;
}

/**
 * Exact distinct visits of the unresolved units. The IN (subquery) makes the (usually small) unresolved
 * set the hash-join build side: written as a plain join, DuckDB may build on all scoped exposures instead,
 * and when the set is empty the exposures are not scanned again at all.
 */
function severalVisitStatsSql(plan: QueryPlan): string {
  return `
  SELECT ${groupColumns(plan, "r").join(", ")}, count(*) AS visits
  FROM (
    SELECT DISTINCT unit_key, visit_hash FROM scoped_exposures
    WHERE unit_key IN (SELECT unit_key FROM unresolved_units)
  ) unit_visits
  JOIN unresolved_units r ON r.unit_key = unit_visits.unit_key
  GROUP BY ${groupColumns(plan, "r").join(", ")}
`;
}

function sameGroup(plan: QueryPlan, alias: string): string {
  const variation = `${alias}.variation_key = e.variation_key`;
  if (!plan.brokenDown) return variation;
  return `${variation} AND ${alias}.breakdown_value IS NOT DISTINCT FROM e.breakdown_value`;
}

/** CAST to DOUBLE PRECISION (both engines). */
export function asDouble(expression: string): string {
  return `CAST(${expression} AS DOUBLE PRECISION)`;
}

function finalSelectSql(plan: QueryPlan, withOutcomes: boolean): string {
  const fixup = needsVisitFixup(plan);
  const visits = fixup ? "coalesce(e.visits, 0) + coalesce(v.visits, 0)" : "e.visits";
  const outcomeColumns = [
    "conversions",
    "converted_units",
    "value_sum",
    "value_sum_squares",
    "outcome_units",
    "value_mean",
    "value_m2",
    ...(plan.cuped
      ? ["pre_sum", "pre_sum_squares", "cross_sum", "pre_mean", "post_value_mean", "pre_m2", "cross_m2"]
      : []),
    ...(plan.capped ? ["raw_value_sum"] : []),
  ];
  const columns = [
    "e.variation_key",
    plan.brokenDown ? "e.breakdown_value" : "CAST(NULL AS TEXT) AS breakdown_value",
    `${asDouble("e.units")} AS units`,
    `${asDouble("e.exposures")} AS exposures`,
    `${asDouble(visits)} AS visits`,
    `${asDouble("e.visitors")} AS visitors`,
    `${withOutcomes ? asDouble("o.goal_id") : "CAST(NULL AS DOUBLE PRECISION)"} AS goal_id`,
    ...outcomeColumns.map(
      (column) => `${withOutcomes ? asDouble(`coalesce(o.${column}, 0)`) : "0"} AS ${column}`,
    ),
    ...(withOutcomes && plan.capped ? [`${asDouble("o.cap_value")} AS cap_value`] : []),
  ];
  const joins = [
    ...(withOutcomes ? [`LEFT JOIN outcome_stats o ON ${sameGroup(plan, "o")}`] : []),
    ...(fixup ? [`LEFT JOIN several_visit_stats v ON ${sameGroup(plan, "v")}`] : []),
  ];
  return `SELECT ${columns.join(",\n  ")}
FROM exposure_stats e${joins.map((join) => `\n${join}`).join("")}`;
}
