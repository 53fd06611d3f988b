// Event counts per kind, project and environment (the operations endpoint's numbers).
import { asDouble } from "./aggregation-sql.js";
import type { EventCountFilter } from "./analytics-store.js";
import { CONVERSIONS_TABLE, EXPOSURES_TABLE } from "./event-columns.js";
import { type SqlParameter, SqlParameters } from "./sql-parameters.js";

export interface EventCountsSql {
  sql: string;
  params: SqlParameter[];
}

export interface EventCountsSqlRow {
  kind: "exposure" | "conversion";
  project_key: string;
  environment_key: string;
  count: number;
}

export function buildEventCountsSql(filter: EventCountFilter): EventCountsSql {
  const params = new SqlParameters();
  const conditions: string[] = [];
  if (filter.projectKey !== undefined) conditions.push(`project_key = ${params.text(filter.projectKey)}`);
  if (filter.environmentKey !== undefined)
    conditions.push(`environment_key = ${params.text(filter.environmentKey)}`);
  if (filter.from !== undefined) conditions.push(`time >= ${params.bigint(filter.from, "from")}`);
  if (filter.to !== undefined) conditions.push(`time < ${params.bigint(filter.to, "to")}`);
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(" AND ")}` : "";
  const countOf = (kind: string, table: string) =>
    `SELECT CAST('${kind}' AS TEXT) AS kind, project_key, environment_key, ${asDouble("count(*)")} AS count
FROM ${table}${where}
GROUP BY project_key, environment_key`;
  return {
    sql: `${countOf("exposure", EXPOSURES_TABLE)}\nUNION ALL\n${countOf("conversion", CONVERSIONS_TABLE)}\nORDER BY kind DESC, project_key, environment_key`,
    params: params.values,
  };
}
