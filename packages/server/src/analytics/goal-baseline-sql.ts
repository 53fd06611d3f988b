// A goal's recent baseline in an environment, for the sample-size planner: the visitors exposed to any flag
// in [from, to) are the units, and each unit's value is the sum of its conversions of the goal in the same
// interval (0 without one), capped as the goal's analyses cap it. Same SQL on DuckDB and PostgreSQL.
import { asDouble } from "./aggregation-sql.js";
import type { GoalBaselineQuery } from "./analytics-store.js";
import { CONVERSIONS_TABLE, EXPOSURES_TABLE } from "./event-columns.js";
import { type SqlParameter, SqlParameters } from "./sql-parameters.js";

export interface GoalBaselineSqlRow {
  units: number;
  converted_units: number;
  sum: number;
  m2: number;
  cap: number | null;
}

/** The statement answering one GoalBaselineSqlRow. */
export function buildGoalBaselineSql(query: GoalBaselineQuery): { sql: string; params: SqlParameter[] } {
  const params = new SqlParameters();
  const project = params.text(query.projectKey);
  const environment = params.text(query.environmentKey);
  const from = params.bigint(query.from, "from");
  const to = params.bigint(query.to, "to");
  const goal = params.bigint(query.goalId, "goalId");
  const scope = `project_key = ${project} AND environment_key = ${environment} AND time >= ${from} AND time < ${to}`;
  // A percentile cap of 0 or below (most units without a value) is not applied, as in the analyses.
  let cap = "CAST(NULL AS DOUBLE PRECISION)";
  if (query.capping?.type === "absolute") cap = params.double(query.capping.value, "capping.value");
  if (query.capping?.type === "percentile") {
    const level = params.double(query.capping.value, "capping.value");
    cap = `(SELECT CASE WHEN p > 0 THEN p END FROM (SELECT percentile_cont(${level}) WITHIN GROUP (ORDER BY value) AS p FROM unit_values) pooled)`;
  }
  const sql = `WITH units AS (
  SELECT DISTINCT visitor_code FROM ${EXPOSURES_TABLE} WHERE ${scope}
),
unit_values AS (
  SELECT coalesce(c.value, 0) AS value, CASE WHEN c.visitor_code IS NULL THEN 0 ELSE 1 END AS converted
  FROM units u LEFT JOIN (
    SELECT visitor_code, sum(value) AS value FROM ${CONVERSIONS_TABLE}
    WHERE ${scope} AND goal_id = ${goal}
    GROUP BY visitor_code
  ) c ON c.visitor_code = u.visitor_code
),
goal_cap AS (SELECT ${cap} AS cap),
capped AS (
  SELECT least(v.value, k.cap) AS value, v.converted FROM unit_values v CROSS JOIN goal_cap k
)
SELECT ${asDouble("count(*)")} AS units, ${asDouble("coalesce(sum(converted), 0)")} AS converted_units,
  ${asDouble("coalesce(sum(value), 0)")} AS sum, ${asDouble("coalesce(var_pop(value), 0) * count(*)")} AS m2,
  (SELECT cap FROM goal_cap) AS cap
FROM capped`;
  return { sql, params: params.values };
}
