// Bound values of a generated statement and their `$n` placeholders (both DuckDB and PostgreSQL accept them).
import { InvalidAggregationQueryError } from "./analytics-store.js";

export type SqlParameter = string | number;

/** Collects bound values and hands out their `$n` placeholders. */
export class SqlParameters {
  readonly values: SqlParameter[] = [];

  text(value: string): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  bigint(value: number, field: string): string {
    if (!Number.isSafeInteger(value)) throw new InvalidAggregationQueryError(`${field} must be an integer`);
    this.values.push(value);
    return `$${this.values.length}::BIGINT`;
  }

  double(value: number, field: string): string {
    if (!Number.isFinite(value)) throw new InvalidAggregationQueryError(`${field} must be a finite number`);
    this.values.push(value);
    return `CAST($${this.values.length} AS DOUBLE PRECISION)`;
  }
}
