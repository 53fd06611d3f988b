// The two SQL dialects of the aggregation statement (aggregation-sql.ts): DuckDB and PostgreSQL differ
// only in the first-exposure step (DuckDB: GROUP BY with arg_min; PostgreSQL: DISTINCT ON with window
// counts over one sort), custom-attribute access and month truncation.

/**
 * Text both databases read as a finite DOUBLE (the same rule in both, so a value means the same number on
 * either storage): a decimal with at most 30 digits each side and a two-digit exponent; anything else
 * (words, "Infinity", 1e400) is not a number.
 */
const NUMBER_PATTERN = "\\s*[-+]?([0-9]{1,30}(\\.[0-9]{0,30})?|\\.[0-9]{1,30})([eE][-+]?[0-9]{1,2})?\\s*";

export interface UnitSummaryShape {
  /** Generated names (attr_0, ...) of the attribute columns scoped_exposures carries. */
  attributeColumns: string[];
  /** unit = visit: each unit's visitor hash is needed to count distinct visitors. */
  carryVisitorHash: boolean;
  /** unit = visitor: the per-unit visit count (see unitCounts) is needed. */
  countVisits: boolean;
}

/**
 * Per-unit exposure count and visit count. Distinct visits without count(DISTINCT), which costs a second
 * hash table per group: one visit-id hash across all the unit's exposures means one visit; two exposures
 * with two hashes mean two visits. Other units get NULL and an exact DISTINCT pass over their exposures
 * alone (several_visit_stats). visit_hash is a 53-bit hash of visit_id stored at ingestion, so this reads
 * an integer column instead of decompressing every visit id. (Two different visit ids of one unit sharing
 * a hash, ~2^-53, would count once.) `over` turns the aggregates into window functions.
 * Units themselves are keyed the same way (visitor_hash or visit_hash, see event-columns.ts keyHash).
 */
function unitCounts(countVisits: boolean, over = ""): string[] {
  const exposures = `count(*)${over}`;
  const visits = `CASE WHEN min(visit_hash)${over} = max(visit_hash)${over} THEN 1 WHEN ${exposures} = 2 THEN 2 END`;
  return [`${exposures} AS exposure_count`, ...(countVisits ? [`${visits} AS visit_count`] : [])];
}

export interface AggregationDialect {
  /** Text value of the custom attribute named by the bound parameter `keyParameter`. */
  customAttribute(keyParameter: string): string;
  /** The text `expression` as a DOUBLE, NULL when it is not a number. */
  numeric(expression: string): string;
  /** Epoch-ms start (BIGINT) of the calendar month, UTC, holding `timeExpression`. */
  monthStart(timeExpression: string): string;
  /** CTE definitions ending with `unit_summaries`, reading `scoped_exposures`. */
  unitSummaryCtes(shape: UnitSummaryShape): string[];
}

export const duckDbDialect: AggregationDialect = {
  customAttribute: (keyParameter) => `custom[${keyParameter}]`,
  numeric: (expression) =>
    `CASE WHEN regexp_full_match(${expression}, '${NUMBER_PATTERN}') THEN CAST(trim(${expression}) AS DOUBLE) END`,
  monthStart: (time) => `epoch_ms(date_trunc('month', epoch_ms(${time})))`,
  unitSummaryCtes(shape) {
    const carried = [
      "variation_key",
      ...(shape.carryVisitorHash ? ["visitor_hash"] : []),
      ...shape.attributeColumns,
    ];
    // arg_min over `time` alone: an ordering key with a tie-breaker (a struct) doubles the cost of this
    // 10M-group aggregation, so simultaneous exposures of one unit resolve to an arbitrary one of them.
    const firstExposure =
      carried.length === 1
        ? "arg_min(variation_key, time) AS variation_key"
        : `arg_min({${carried.map((column) => `'${column}': ${column}`).join(", ")}}, time) AS first_exposure`;
    const aggregation = `SELECT unit_key, min(time) AS first_time,
    ${[firstExposure, ...unitCounts(shape.countVisits)].join(",\n    ")}
  FROM scoped_exposures
  GROUP BY unit_key`;
    if (carried.length === 1) return [`unit_summaries AS (\n  ${aggregation}\n)`];
    return [
      `unit_first_exposures AS (\n  ${aggregation}\n)`,
      `unit_summaries AS (
  SELECT unit_key, first_time,
    ${carried.map((column) => `first_exposure.${column} AS ${column}`).join(", ")},
    ${["exposure_count", ...(shape.countVisits ? ["visit_count"] : [])].join(", ")}
  FROM unit_first_exposures
)`,
    ];
  },
};

export const postgresDialect: AggregationDialect = {
  customAttribute: (keyParameter) => `custom ->> ${keyParameter}`,
  numeric: (expression) =>
    `CASE WHEN ${expression} ~ '^${NUMBER_PATTERN}$' THEN CAST(trim(${expression}) AS DOUBLE PRECISION) END`,
  monthStart: (time) =>
    `CAST(extract(epoch FROM date_trunc('month', to_timestamp(${time} / 1000.0), 'UTC')) * 1000 AS BIGINT)`,
  unitSummaryCtes(shape) {
    const carried = [
      "variation_key",
      ...(shape.carryVisitorHash ? ["visitor_hash"] : []),
      ...shape.attributeColumns,
    ];
    // The unit's counts are window functions over the order DISTINCT ON needs: one sort gives the first
    // exposure (ties: smallest variation key) and the counts.
    return [
      `unit_summaries AS (
  SELECT DISTINCT ON (unit_key) unit_key, time AS first_time, ${carried.join(", ")},
    ${unitCounts(shape.countVisits, " OVER unit_window").join(",\n    ")}
  FROM scoped_exposures
  WINDOW unit_window AS (
    PARTITION BY unit_key ORDER BY time, variation_key ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
  )
  ORDER BY unit_key, time, variation_key
)`,
    ];
  },
};
