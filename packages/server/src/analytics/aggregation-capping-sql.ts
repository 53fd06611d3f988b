// Capping (winsorisation) in the aggregation statement: each goal's cap, then every unit's post-exposure
// value capped before the per-variation sums. A percentile cap is the percentile of the per-unit values
// pooled over every arm and breakdown value of the analysis (the filtered units; a unit without a
// conversion counts 0), so it is the same for every arm. Same SQL on DuckDB and PostgreSQL (both have
// percentile_cont ... WITHIN GROUP, and least() ignores a NULL cap).
import { type GoalCapping, InvalidAggregationQueryError } from "./analytics-store.js";
import type { SqlParameters } from "./sql-parameters.js";

/** Checks the caps of a query: goals of the query, one cap each, usable values. */
export function checkCaps(caps: readonly GoalCapping[], goalIds: readonly number[]): void {
  const seen = new Set<number>();
  for (const cap of caps) {
    if (!goalIds.includes(cap.goalId))
      throw new InvalidAggregationQueryError(`capped goal ${cap.goalId} is not one of the aggregated goals`);
    if (seen.has(cap.goalId)) throw new InvalidAggregationQueryError(`goal ${cap.goalId} is capped twice`);
    seen.add(cap.goalId);
    const valid =
      cap.type === "absolute" ? Number.isFinite(cap.value) && cap.value > 0 : cap.value > 0 && cap.value < 1;
    if (!valid)
      throw new InvalidAggregationQueryError(`goal ${cap.goalId}: invalid ${cap.type} cap ${cap.value}`);
  }
}

/**
 * CTEs after `raw_unit_outcomes` (per unit x goal: post_count, post_sum, ...): `goal_caps` (goal_id, cap;
 * a percentile cap that comes out at 0 or below is not applied: NULL) and `unit_outcomes`, the same rows
 * with post_sum capped and the raw value kept as raw_post_sum.
 */
export function cappingCtes(
  params: SqlParameters,
  caps: readonly GoalCapping[],
  cuped: boolean,
  /** The group columns of raw_unit_outcomes `r` (aggregation-sql.ts groupColumns). */
  groupColumns: string[],
): string[] {
  const each = caps.map((cap, index) => {
    const goal = params.bigint(cap.goalId, `caps[${index}].goalId`);
    const value = params.double(cap.value, `caps[${index}].value`);
    if (cap.type === "absolute") return `SELECT ${goal} AS goal_id, ${value} AS cap`;
    return `SELECT ${goal} AS goal_id, CASE WHEN p > 0 THEN p END AS cap FROM (
    SELECT percentile_cont(${value}) WITHIN GROUP (ORDER BY coalesce(r.post_sum, 0)) AS p
    FROM units u LEFT JOIN raw_unit_outcomes r ON r.unit_key = u.unit_key AND r.goal_id = ${goal}
  ) pooled`;
  });
  const preColumns = cuped ? ", r.pre_count, r.pre_sum" : "";
  return [
    `goal_caps AS (\n  ${each.join("\n  UNION ALL\n  ")}\n)`,
    `unit_outcomes AS (
  SELECT ${groupColumns.join(", ")}, r.unit_key, r.goal_id, r.post_count,
    least(r.post_sum, k.cap) AS post_sum, r.post_sum AS raw_post_sum, k.cap AS cap${preColumns}
  FROM raw_unit_outcomes r LEFT JOIN goal_caps k ON k.goal_id = r.goal_id
)`,
  ];
}
