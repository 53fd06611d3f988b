// The statement behind regression adjustment (issue #14 item 12): per variation (x breakdown value), the
// means and centred co-moments of each outcome goal's per-unit value and of k covariates: the pre-window
// per-unit values of the covariate goals (CUPED's pre-window, several goals at once), then numeric custom
// attributes of the unit's first exposure (CUPAC: a prediction stored on the visitor). It shares the unit
// CTEs of aggregation-sql.ts (same units, filters, attribution window and caps as the report's main
// statement), pivots unit_outcomes to one row per unit, and lets the database compute the co-moments
// (var_pop / covar_pop are stable in both DuckDB and PostgreSQL). Units without any outcome count 0.
import type { AggregationDialect } from "./aggregation-dialects.js";
import {
  asDouble,
  groupColumns,
  numericAttributeColumn,
  planQuery,
  unitOutcomeCtes,
  unitValue,
} from "./aggregation-sql.js";
import {
  InvalidAggregationQueryError,
  type RegressionAggregationQuery,
  type RegressionGroupStats,
} from "./analytics-store.js";
import type { SqlParameter } from "./sql-parameters.js";

/** Covariate goals of one regression: beyond this the per-unit row and the co-moments grow too wide. */
export const MAX_REGRESSION_COVARIATES = 10;

export interface RegressionSql {
  sql: string;
  params: SqlParameter[];
  outcomeGoalIds: number[];
  /** Covariates in order: the goals', then the attributes' (k in all). */
  covariateGoalIds: number[];
  covariateAttributes: string[];
}

/** One row per variation x breakdown value; every number a DOUBLE. Columns: see buildRegressionSql. */
export type RegressionSqlRow = Record<string, string | number | null>;

const y = (i: number) => `y_${i}`;
const x = (j: number) => `x_${j}`;

/** The regression statement for a query (outcomes: goalIds; covariates: covariateGoalIds, covariateAttributes). */
export function buildRegressionSql(
  query: RegressionAggregationQuery,
  dialect: AggregationDialect,
): RegressionSql {
  const outcomes = [...new Set(query.goalIds)];
  const covariateGoals = [...new Set(query.covariateGoalIds)];
  const attributes = [...new Set(query.covariateAttributes ?? [])];
  const k = covariateGoals.length + attributes.length;
  if (outcomes.length === 0) throw new InvalidAggregationQueryError("a regression needs an outcome goal");
  if (k === 0 || k > MAX_REGRESSION_COVARIATES)
    throw new InvalidAggregationQueryError(
      `a regression needs 1 to ${MAX_REGRESSION_COVARIATES} covariates (goals and attributes), got ${k}`,
    );
  const { covariateGoalIds: _goals, covariateAttributes: _attributes, ...rest } = query;
  const plan = planQuery(
    { ...rest, goalIds: [...new Set([...outcomes, ...covariateGoals])], cupedGoalIds: covariateGoals },
    dialect,
    attributes.map((key) => `custom:${key}` as const),
  );
  const covariates = [...covariateGoals, ...attributes];
  const post = unitValue(plan, "post");
  const pre = unitValue(plan, "pre");
  const goal = (id: number, index: number, field: string) => plan.params.bigint(id, `${field}[${index}]`);
  const perUnit = [
    ...outcomes.map(
      (id, i) =>
        `${asDouble(`coalesce(sum(CASE WHEN o.goal_id = ${goal(id, i, "goalIds")} THEN ${post} END), 0)`)} AS ${y(i)}`,
    ),
    ...covariateGoals.map(
      (id, j) =>
        `${asDouble(`coalesce(sum(CASE WHEN o.goal_id = ${goal(id, j, "covariateGoalIds")} THEN ${pre} END), 0)`)} AS ${x(j)}`,
    ),
    // Constant per unit (the first exposure's): the GROUP BY carries it.
    ...attributes.map(
      (_, a) => `coalesce(u.${numericAttributeColumn(a)}, 0) AS ${x(covariateGoals.length + a)}`,
    ),
  ];
  // [expression, column]: the units, the means, and the co-moments (outcome x outcome, x covariate;
  // covariate x covariate for i <= j).
  const moments: [string, string][] = [
    ["count(*)", "units"],
    ...outcomes.map((_, i): [string, string] => [`avg(${y(i)})`, `mean_${y(i)}`]),
    ...covariates.map((_, j): [string, string] => [`avg(${x(j)})`, `mean_${x(j)}`]),
    ...outcomes.map((_, i): [string, string] => [`var_pop(${y(i)}) * count(*)`, `c_${y(i)}_${y(i)}`]),
    ...outcomes.flatMap((_, i) =>
      covariates.map((_, j): [string, string] => [
        `covar_pop(${y(i)}, ${x(j)}) * count(*)`,
        `c_${y(i)}_${x(j)}`,
      ]),
    ),
    ...covariates.flatMap((_, i) =>
      covariates
        .slice(i)
        .map((_, d): [string, string] => [
          `covar_pop(${x(i)}, ${x(i + d)}) * count(*)`,
          `c_${x(i)}_${x(i + d)}`,
        ]),
    ),
  ];
  const ctes = [
    ...unitOutcomeCtes(plan),
    `regression_units AS (
  SELECT ${groupColumns(plan, "u").join(", ")}, ${perUnit.join(",\n    ")}
  FROM units u LEFT JOIN unit_outcomes o ON o.unit_key = u.unit_key
  GROUP BY ${[...groupColumns(plan, "u"), "u.unit_key", ...attributes.map((_, a) => `u.${numericAttributeColumn(a)}`)].join(", ")}
)`,
  ];
  const sql = `WITH ${ctes.join(",\n")}
SELECT variation_key, ${plan.brokenDown ? "breakdown_value" : "CAST(NULL AS TEXT) AS breakdown_value"},
  ${moments.map(([expression, column]) => `${asDouble(expression)} AS ${column}`).join(",\n  ")}
FROM regression_units
GROUP BY ${groupColumns(plan).join(", ")}`;
  return {
    sql,
    params: plan.params.values,
    outcomeGoalIds: outcomes,
    covariateGoalIds: covariateGoals,
    covariateAttributes: attributes,
  };
}

/** The statement's rows as per-group regression statistics, sorted by variation then breakdown value. */
export function toRegressionGroups(rows: RegressionSqlRow[], built: RegressionSql): RegressionGroupStats[] {
  const k = built.covariateGoalIds.length + built.covariateAttributes.length;
  const num = (row: RegressionSqlRow, column: string) => Number(row[column] ?? 0);
  const groups = rows.map((row) => {
    const xMeans = Array.from({ length: k }, (_, j) => num(row, `mean_${x(j)}`));
    const xx = (i: number, j: number) => num(row, `c_${x(Math.min(i, j))}_${x(Math.max(i, j))}`);
    return {
      variationKey: String(row.variation_key),
      breakdownValue: row.breakdown_value === null ? null : String(row.breakdown_value),
      units: num(row, "units"),
      goals: built.outcomeGoalIds.map((goalId, i) => ({
        goalId,
        means: [num(row, `mean_${y(i)}`), ...xMeans],
        comoments: Array.from({ length: k + 1 }, (_, a) =>
          Array.from({ length: k + 1 }, (_, b) => {
            if (a === 0 && b === 0) return num(row, `c_${y(i)}_${y(i)}`);
            if (a === 0 || b === 0) return num(row, `c_${y(i)}_${x(Math.max(a, b) - 1)}`);
            return xx(a - 1, b - 1);
          }),
        ),
      })),
    };
  });
  return groups.sort((a, b) =>
    a.variationKey !== b.variationKey
      ? a.variationKey < b.variationKey
        ? -1
        : 1
      : String(a.breakdownValue ?? "") < String(b.breakdownValue ?? "")
        ? -1
        : 1,
  );
}
