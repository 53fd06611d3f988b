/**
 * Builds the one statement that reduces raw events to per-(rule, variation, goal) outcomes for every rule
 * an automation tick looks at (bandit re-allocation, rollback conditions), for DuckDB and for PostgreSQL.
 * One statement per tick, whatever the number of rules: the requested (rule, goal) pairs travel as two
 * VALUES lists of bound parameters, joined to the exposures by rule id, so the exposures are scanned once.
 *
 * Semantics (those of the results aggregation with unit = visitor and no date restriction):
 *   - a unit is a visitor exposed to the rule, counted once, in the variation of its first exposure to that
 *     rule (ties on time: the smallest variation key, in both dialects);
 *   - a conversion counts when it is on the requested goal, in the rule's project and environment, by the
 *     unit's visitor (visitor_hash), in [first exposure, first exposure + attribution window) (default 7 days);
 *   - per unit, `value` is the sum of its counted conversions' values (1 per conversion of a non-numeric
 *     goal); `sum` and `sumSquares` add up that per-unit value and its square.
 *
 * Shape:
 *   requested_rules    (project_key, environment_key, rule_id), one row per rule
 *   requested_goals    (rule_id, goal_id), one row per requested pair
 *   rule_exposures     the exposures of the requested rules
 *   units              one row per (rule, visitor): first exposure time and variation        [dialect]
 *   variation_units    units per (rule, variation)
 *   unit_outcomes      per (rule, visitor, goal): conversions and value in the attribution window
 *   outcome_stats      per (rule, variation, goal)
 * and the final select crosses variation_units with the rule's goals, so a variation nobody converted in
 * still answers a row with zeros. A rule without exposures answers no row at all.
 */

import {
  DEFAULT_ATTRIBUTION_WINDOW_MS,
  InvalidAggregationQueryError,
  type RuleOutcome,
  type RuleOutcomeRequest,
  type RuleOutcomesOptions,
} from "./analytics-store.js";
import { CONVERSIONS_TABLE, EXPOSURES_TABLE } from "./event-columns.js";
import { type SqlParameter, SqlParameters } from "./sql-parameters.js";

export type RuleOutcomesDialect = "duckdb" | "postgres";

export interface RuleOutcomesSql {
  sql: string;
  params: SqlParameter[];
}

/** The row the statement returns; every number is a DOUBLE. */
export interface RuleOutcomesSqlRow {
  rule_id: number;
  variation_key: string;
  goal_id: number;
  units: number;
  conversions: number;
  converted_units: number;
  value_sum: number;
  value_sum_squares: number;
}

interface RequestedRule {
  projectKey: string;
  environmentKey: string;
  ruleId: number;
  goalIds: Set<number>;
  /** Exposures from this instant on (0: all). */
  from: number;
}

/**
 * Merges the requests per rule (a rule asked twice, e.g. by two rollback conditions, is read once with the
 * union of its goals). A rule id names one rule of one environment: the same id asked in two scopes is a
 * caller's error.
 */
export function mergeRuleRequests(requests: readonly RuleOutcomeRequest[]): RequestedRule[] {
  const byRule = new Map<number, RequestedRule>();
  requests.forEach((request, index) => {
    if (!Number.isSafeInteger(request.ruleId))
      throw new InvalidAggregationQueryError(`requests[${index}].ruleId must be an integer`);
    if (request.from !== undefined && !Number.isSafeInteger(request.from))
      throw new InvalidAggregationQueryError(`requests[${index}].from must be an integer`);
    request.goalIds.forEach((goalId, j) => {
      if (!Number.isSafeInteger(goalId))
        throw new InvalidAggregationQueryError(`requests[${index}].goalIds[${j}] must be an integer`);
    });
    const known = byRule.get(request.ruleId);
    if (!known) {
      byRule.set(request.ruleId, {
        projectKey: request.projectKey,
        environmentKey: request.environmentKey,
        ruleId: request.ruleId,
        goalIds: new Set(request.goalIds),
        from: request.from ?? 0,
      });
      return;
    }
    if (known.projectKey !== request.projectKey || known.environmentKey !== request.environmentKey) {
      throw new InvalidAggregationQueryError(
        `requests[${index}]: rule ${request.ruleId} is asked in ${request.projectKey}/${request.environmentKey} and in ${known.projectKey}/${known.environmentKey}`,
      );
    }
    for (const goalId of request.goalIds) known.goalIds.add(goalId);
    known.from = Math.max(known.from, request.from ?? 0);
  });
  // A rule without goals has nothing to answer.
  return [...byRule.values()].filter((rule) => rule.goalIds.size > 0);
}

/** null when there is nothing to ask (no rule with a goal). */
export function buildRuleOutcomesSql(
  requests: readonly RuleOutcomeRequest[],
  dialect: RuleOutcomesDialect,
  options: RuleOutcomesOptions = {},
): RuleOutcomesSql | null {
  const rules = mergeRuleRequests(requests);
  if (rules.length === 0) return null;
  const params = new SqlParameters();
  const window = options.attributionWindowMs ?? DEFAULT_ATTRIBUTION_WINDOW_MS;
  const ruleRows = rules.map(
    (rule) =>
      `(CAST(${params.text(rule.projectKey)} AS TEXT), CAST(${params.text(rule.environmentKey)} AS TEXT), ${params.bigint(rule.ruleId, "ruleId")}, ${params.bigint(rule.from, "from")})`,
  );
  const goalRows = rules.flatMap((rule) =>
    [...rule.goalIds].map(
      (goalId) => `(${params.bigint(rule.ruleId, "ruleId")}, ${params.bigint(goalId, "goalId")})`,
    ),
  );
  const windowParameter = params.bigint(window, "attributionWindowMs");
  const ctes = [
    `requested_rules AS (
  SELECT * FROM (VALUES ${ruleRows.join(", ")}) AS r(project_key, environment_key, rule_id, from_time)
)`,
    `requested_goals AS (
  SELECT * FROM (VALUES ${goalRows.join(", ")}) AS g(rule_id, goal_id)
)`,
    `rule_exposures AS NOT MATERIALIZED (
  SELECT e.project_key, e.environment_key, e.rule_id, e.visitor_hash, e.variation_key, e.time
  FROM ${EXPOSURES_TABLE} e
  JOIN requested_rules r
    ON e.rule_id = r.rule_id AND e.project_key = r.project_key AND e.environment_key = r.environment_key
    AND e.time >= r.from_time
)`,
    `units AS (${unitsSql(dialect)})`,
    `variation_units AS (
  SELECT rule_id, variation_key, count(*) AS units
  FROM units
  GROUP BY rule_id, variation_key
)`,
    `unit_outcomes AS (
  SELECT u.rule_id, u.variation_key, g.goal_id, count(*) AS conversion_count, sum(c.value) AS value_sum
  FROM units u
  JOIN requested_goals g ON g.rule_id = u.rule_id
  JOIN ${CONVERSIONS_TABLE} c
    ON c.project_key = u.project_key AND c.environment_key = u.environment_key
    AND c.goal_id = g.goal_id AND c.visitor_hash = u.visitor_hash
  WHERE c.time >= u.first_time AND c.time < u.first_time + ${windowParameter}
  GROUP BY u.rule_id, u.variation_key, g.goal_id, u.visitor_hash
)`,
    `outcome_stats AS (
  SELECT rule_id, variation_key, goal_id, sum(conversion_count) AS conversions,
    count(*) AS converted_units, sum(value_sum) AS value_sum, sum(value_sum * value_sum) AS value_sum_squares
  FROM unit_outcomes
  GROUP BY rule_id, variation_key, goal_id
)`,
  ];
  const double = (expression: string) => `CAST(${expression} AS DOUBLE PRECISION)`;
  const sql = `WITH ${ctes.join(",\n")}
SELECT ${double("v.rule_id")} AS rule_id, v.variation_key, ${double("g.goal_id")} AS goal_id,
  ${double("v.units")} AS units,
  ${["conversions", "converted_units", "value_sum", "value_sum_squares"]
    .map((column) => `${double(`coalesce(o.${column}, 0)`)} AS ${column}`)
    .join(",\n  ")}
FROM variation_units v
JOIN requested_goals g ON g.rule_id = v.rule_id
LEFT JOIN outcome_stats o
  ON o.rule_id = v.rule_id AND o.variation_key = v.variation_key AND o.goal_id = g.goal_id`;
  return { sql, params: params.values };
}

/** One row per (rule, visitor): the first exposure's time and variation (ties: smallest variation key). */
function unitsSql(dialect: RuleOutcomesDialect): string {
  if (dialect === "duckdb") {
    return `
  SELECT rule_id, project_key, environment_key, visitor_hash, min(time) AS first_time,
    arg_min(variation_key, {'time': time, 'variation_key': variation_key}) AS variation_key
  FROM rule_exposures
  GROUP BY rule_id, project_key, environment_key, visitor_hash
`;
  }
  return `
  SELECT DISTINCT ON (rule_id, visitor_hash) rule_id, project_key, environment_key, visitor_hash,
    time AS first_time, variation_key
  FROM rule_exposures
  ORDER BY rule_id, visitor_hash, time, variation_key
`;
}

export function toRuleOutcomes(rows: RuleOutcomesSqlRow[]): RuleOutcome[] {
  return rows
    .map((row) => ({
      ruleId: row.rule_id,
      variationKey: row.variation_key,
      goalId: row.goal_id,
      units: row.units,
      conversions: row.conversions,
      convertedUnits: row.converted_units,
      sum: row.value_sum,
      sumSquares: row.value_sum_squares,
    }))
    .sort(
      (a, b) =>
        a.ruleId - b.ruleId ||
        a.goalId - b.goalId ||
        (a.variationKey < b.variationKey ? -1 : a.variationKey > b.variationKey ? 1 : 0),
    );
}
