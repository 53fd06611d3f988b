/**
 * Incremental rollups of standing reports on PostgreSQL (docs/decisions/0006-postgres-rollups.md).
 *
 * A query marked `maintainRollup` (an experiment's results, asked again and again while data grows) whose
 * shape a rollup can answer exactly (visitor units, no filters, caps or CUPED, no breakdown or a per-day
 * one, at most one date interval) is answered from tables kept per query definition:
 *   analytics_rollup_units     one row per unit: first exposure (time, variation), exposures, visit hashes
 *   analytics_rollup_outcomes  one row per unit x goal: conversions and value in the attribution window
 *   analytics_rollup_*_totals  the sums of both per variation x first-exposure day
 * Each event row records the transaction that wrote it (ingest_xid, a column default: the write path is
 * unchanged) and a rollup remembers the snapshot it last read. A refresh folds in exactly the rows that
 * snapshot could not see: new exposures merge into their units (first exposure = smallest (time, variation),
 * counts add, visit hash sets unite), and every unit touched by a new exposure or conversion has its
 * outcomes recomputed from raw conversions (a unit's outcomes depend only on its own events). Totals move by
 * subtracting the touched units' old contribution and adding their new one. Retention and results resets
 * empty every rollup (postgres-store.ts), so the next report rebuilds from raw.
 */
import type pg from "pg";
import type { AggregationSqlRow } from "./aggregation-sql.js";
import { DEFAULT_ATTRIBUTION_WINDOW_MS, type GoalsAggregationQuery } from "./analytics-store.js";
import { CONVERSIONS_TABLE, EXPOSURES_TABLE } from "./event-columns.js";

const ROLLUPS = "analytics_rollups";
const UNITS = "analytics_rollup_units";
const OUTCOMES = "analytics_rollup_outcomes";
const UNIT_TOTALS = "analytics_rollup_unit_totals";
const OUTCOME_TOTALS = "analytics_rollup_outcome_totals";
const DAY_MS = 86_400_000;

/** Held shared by every refresh, exclusively by deletes that empty the rollups (pg_advisory_lock keys). */
const ROLLUPS_LOCK = 7_460_113_003;
/** First key of a refresh's own lock (the second is the hash of its definition). */
const ROLLUP_LOCK_CLASS = 746_011_304;

/**
 * Rollups are derived data, rebuilt from raw events when lost: UNLOGGED skips the WAL on a 10M-row build,
 * and after a crash PostgreSQL empties all of them together (the snapshot row with its units).
 */
export const ROLLUP_SCHEMA = [
  ...[EXPOSURES_TABLE, CONVERSIONS_TABLE].flatMap((table) => [
    // Rows from before this column keep NULL: a rollup's first build reads them, later refreshes skip them.
    `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ingest_xid bigint`,
    `ALTER TABLE ${table} ALTER COLUMN ingest_xid SET DEFAULT txid_current()`,
    // A refresh reads rows newer than its snapshot's xmin; BRIN costs the write path next to nothing. Small
    // ranges: vacuum leaves the last partial range of a partition unsummarised (read in full each time).
    `CREATE INDEX IF NOT EXISTS ${table}_ingest_xid ON ${table} USING brin (ingest_xid) WITH (pages_per_range = 16, autosummarize = on)`,
  ]),
  `CREATE UNLOGGED TABLE IF NOT EXISTS ${ROLLUPS} (
  id bigserial PRIMARY KEY,
  definition text NOT NULL UNIQUE,
  snapshot text,
  max_time bigint
)`,
  `CREATE UNLOGGED TABLE IF NOT EXISTS ${UNITS} (
  rollup_id bigint NOT NULL, unit_key bigint NOT NULL, first_time bigint NOT NULL, variation_key text NOT NULL,
  exposure_count bigint NOT NULL, visit_hashes bigint[] NOT NULL,
  PRIMARY KEY (rollup_id, unit_key)
)`,
  `CREATE UNLOGGED TABLE IF NOT EXISTS ${OUTCOMES} (
  rollup_id bigint NOT NULL, unit_key bigint NOT NULL, goal_id bigint NOT NULL,
  post_count bigint NOT NULL, post_sum double precision NOT NULL,
  PRIMARY KEY (rollup_id, unit_key, goal_id)
)`,
  `CREATE UNLOGGED TABLE IF NOT EXISTS ${UNIT_TOTALS} (
  rollup_id bigint NOT NULL, variation_key text NOT NULL, day bigint NOT NULL,
  units bigint NOT NULL, exposures bigint NOT NULL, visits bigint NOT NULL,
  PRIMARY KEY (rollup_id, variation_key, day)
)`,
  `CREATE UNLOGGED TABLE IF NOT EXISTS ${OUTCOME_TOTALS} (
  rollup_id bigint NOT NULL, variation_key text NOT NULL, day bigint NOT NULL, goal_id bigint NOT NULL,
  outcome_units bigint NOT NULL, conversions bigint NOT NULL,
  value_sum double precision NOT NULL, value_sum_squares double precision NOT NULL,
  PRIMARY KEY (rollup_id, variation_key, day, goal_id)
)`,
];

/** What a rollup is kept for: everything that decides a unit's row (the breakdown is read from day totals). */
interface RollupDefinition {
  projectKey: string;
  environmentKey: string;
  featureKey: string;
  experimentId: number | null;
  ruleId: number | null;
  /** Exposures before it do not make units (the query's interval start). */
  from: number | null;
  attributionWindowMs: number;
  goalIds: number[];
}

export interface RollupPlan {
  definition: RollupDefinition;
  /** The query's interval end: the rollup answers only while every event it folded in is before it. */
  to: number | null;
  byDay: boolean;
}

/** The rollup that answers `query` exactly, or null when its shape needs the raw statement. */
export function rollupPlanOf(query: GoalsAggregationQuery): RollupPlan | null {
  if (!query.maintainRollup || query.unit !== "visitor") return null;
  if ((query.filters ?? []).length > 0 || (query.caps ?? []).length > 0) return null;
  if ((query.cupedGoalIds ?? []).length > 0) return null;
  const breakdown = query.breakdown;
  if (breakdown && (breakdown.type !== "INTERVAL" || (breakdown.interval ?? "DAY") !== "DAY")) return null;
  const intervals = query.dateIntervals ?? [];
  if (intervals.length > 1) return null;
  const interval = intervals[0] ?? { from: query.from, to: query.to };
  return {
    definition: {
      projectKey: query.projectKey,
      environmentKey: query.environmentKey,
      featureKey: query.featureKey,
      experimentId: query.experimentId ?? null,
      ruleId: query.ruleId ?? null,
      from: interval.from ?? null,
      attributionWindowMs: query.attributionWindowMs ?? DEFAULT_ATTRIBUTION_WINDOW_MS,
      goalIds: [...new Set(query.goalIds)].sort((a, b) => a - b),
    },
    to: interval.to ?? null,
    byDay: breakdown !== undefined,
  };
}

/**
 * Brings the plan's rollup up to date and reads it, in one transaction; null when events it folded in reach
 * past the query's interval end (the raw statement answers then).
 */
export async function readRollup(
  pool: pg.Pool,
  plan: RollupPlan,
  settings: string[],
): Promise<AggregationSqlRow[] | null> {
  const text = JSON.stringify(plan.definition);
  const client = await pool.connect();
  let healthy = false;
  try {
    await client.query("SELECT pg_advisory_lock_shared($1)", [ROLLUPS_LOCK]);
    await client.query("SELECT pg_advisory_lock($1, hashtext($2))", [ROLLUP_LOCK_CLASS, text]);
    try {
      await client.query(`INSERT INTO ${ROLLUPS} (definition) VALUES ($1) ON CONFLICT DO NOTHING`, [text]);
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
      try {
        // The first statement fixes the transaction's snapshot: the one this refresh reads and records.
        const current = await client.query<{ snapshot: string }>(
          "SELECT txid_current_snapshot()::text AS snapshot",
        );
        for (const setting of settings) await client.query(setting);
        const rollup = await client.query<{ id: string; snapshot: string | null; max_time: string | null }>(
          `SELECT id, snapshot, max_time FROM ${ROLLUPS} WHERE definition = $1`,
          [text],
        );
        const row = rollup.rows[0]!;
        const refresh = new Refresh(client, Number(row.id), plan.definition, row.snapshot);
        const maxTime = await refresh.run(row.max_time === null ? null : Number(row.max_time));
        await client.query(`UPDATE ${ROLLUPS} SET snapshot = $2, max_time = $3 WHERE id = $1`, [
          refresh.id,
          current.rows[0]!.snapshot,
          maxTime,
        ]);
        const rows =
          plan.to !== null && maxTime !== null && maxTime >= plan.to ? null : await refresh.read(plan);
        await client.query("COMMIT");
        healthy = true;
        return rows;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock_all()").catch(() => {
        healthy = false;
      });
    }
  } finally {
    // A connection that failed mid-refresh (maybe still holding a lock) is not trusted back into the pool.
    client.release(!healthy);
  }
}

/** Holds while a retention or results reset empties every rollup (inside the caller's transaction). */
export async function emptyRollups(client: pg.PoolClient): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock($1)", [ROLLUPS_LOCK]);
  await client.query(`TRUNCATE ${ROLLUPS}, ${UNITS}, ${OUTCOMES}, ${UNIT_TOTALS}, ${OUTCOME_TOTALS}`);
}

type UnitColumns = Pick<
  AggregationSqlRow,
  "variation_key" | "breakdown_value" | "units" | "exposures" | "visits" | "visitors"
>;

/** One refresh of one rollup, inside the caller's REPEATABLE READ transaction. */
class Refresh {
  /** The bound values of the statement being written. */
  private params: unknown[] = [];
  /** The last snapshot's xmin: no row it could not see is older (set by run()). */
  private xmin: number | null = null;

  constructor(
    private readonly client: pg.PoolClient,
    readonly id: number,
    private readonly definition: RollupDefinition,
    private readonly snapshot: string | null,
  ) {}

  /** Folds in the rows the last snapshot did not see; answers the latest event time folded in so far. */
  async run(maxTime: number | null): Promise<number | null> {
    if (this.snapshot !== null) {
      const xmin = await this.client.query<{ xmin: string }>(
        "SELECT txid_snapshot_xmin($1::txid_snapshot) AS xmin",
        [this.snapshot],
      );
      this.xmin = Number(xmin.rows[0]!.xmin);
    }
    this.params = [];
    const exposureScope = this.exposureScope();
    const newExposures = this.newRows("e");
    await this.query(`CREATE TEMP TABLE rollup_fresh ON COMMIT DROP AS
SELECT f.unit_key, f.first_time, f.variation_key, c.exposure_count, c.visit_hashes, c.last_time
FROM (
  SELECT DISTINCT ON (visitor_hash) visitor_hash AS unit_key, time AS first_time, variation_key
  FROM ${EXPOSURES_TABLE} e WHERE ${exposureScope} AND ${newExposures}
  ORDER BY visitor_hash, time, variation_key
) f JOIN (
  SELECT visitor_hash AS unit_key, count(*) AS exposure_count, array_agg(DISTINCT visit_hash) AS visit_hashes,
    max(time) AS last_time
  FROM ${EXPOSURES_TABLE} e WHERE ${exposureScope} AND ${newExposures}
  GROUP BY visitor_hash
) c USING (unit_key)`);
    this.params = [];
    const goals = this.definition.goalIds.length > 0 ? this.goalCondition("c") : "FALSE";
    await this.query(`CREATE TEMP TABLE rollup_touched ON COMMIT DROP AS
SELECT visitor_hash AS unit_key, max(time) AS last_time
FROM ${CONVERSIONS_TABLE} c WHERE ${goals} AND ${this.newRows("c")}
GROUP BY visitor_hash`);
    await this.query(`CREATE TEMP TABLE rollup_dirty ON COMMIT DROP AS
SELECT unit_key FROM rollup_fresh UNION SELECT unit_key FROM rollup_touched`);
    for (const table of ["rollup_fresh", "rollup_touched", "rollup_dirty"])
      await this.query(`ANALYZE ${table}`);
    const keyLookups = this.snapshot !== null && (await this.fewTouched());
    if (keyLookups) {
      // A few touched units among many: look each up by key. The planner, costing a seq scan of the
      // units as cheap per row, otherwise hashes all of them to find the few (seconds at 10M units).
      await this.query("SET LOCAL enable_hashjoin = off");
      await this.query("SET LOCAL enable_mergejoin = off");
    }

    if (this.snapshot !== null) {
      await this.addTotals(-1);
      await this.query(
        `DELETE FROM ${OUTCOMES} o USING rollup_dirty d WHERE o.rollup_id = ${this.id} AND o.unit_key = d.unit_key`,
      );
    }
    await this.mergeUnits();
    if (this.definition.goalIds.length > 0) await this.insertOutcomes(keyLookups);
    // After a build the planner must know the tables' size, or it joins later refreshes' few touched
    // units by scanning every unit instead of looking them up by key.
    if (this.snapshot === null) for (const table of [UNITS, OUTCOMES]) await this.query(`ANALYZE ${table}`);
    await this.addTotals(1);
    await this.query(`DELETE FROM ${UNIT_TOTALS} WHERE rollup_id = ${this.id} AND units = 0`);
    await this.query(`DELETE FROM ${OUTCOME_TOTALS} WHERE rollup_id = ${this.id} AND outcome_units = 0`);

    const latest = await this.client.query<{ last_time: string | null }>(
      "SELECT max(last_time) AS last_time FROM (SELECT last_time FROM rollup_fresh UNION ALL SELECT last_time FROM rollup_touched) t",
    );
    const last = latest.rows[0]?.last_time;
    if (last === null || last === undefined) return maxTime;
    return maxTime === null ? Number(last) : Math.max(maxTime, Number(last));
  }

  /** Under 5 % of the rollup's units are touched. */
  private async fewTouched(): Promise<boolean> {
    const counts = await this.client.query<{ touched: string; units: string | null }>(
      `SELECT (SELECT count(*) FROM rollup_dirty) AS touched,
         (SELECT sum(units) FROM ${UNIT_TOTALS} WHERE rollup_id = ${this.id}) AS units`,
    );
    const row = counts.rows[0]!;
    return Number(row.touched) * 20 < Number(row.units ?? 0);
  }

  /** Per variation (x first-exposure day) rows in the aggregation statement's shape (see toUnitGroups). */
  async read(plan: RollupPlan): Promise<AggregationSqlRow[]> {
    const day = plan.byDay ? "day" : "NULL::bigint";
    const units = await this.client.query<Record<string, string>>(
      `SELECT variation_key, ${day} AS day, sum(units) AS units, sum(exposures) AS exposures, sum(visits) AS visits
       FROM ${UNIT_TOTALS} WHERE rollup_id = ${this.id} GROUP BY 1, 2`,
    );
    const outcomes = await this.client.query<Record<string, string | number>>(
      `SELECT variation_key, ${day} AS day, goal_id, sum(outcome_units) AS outcome_units,
         sum(conversions) AS conversions, sum(value_sum) AS value_sum, sum(value_sum_squares) AS value_sum_squares
       FROM ${OUTCOME_TOTALS} WHERE rollup_id = ${this.id} GROUP BY 1, 2, 3 ORDER BY 3`,
    );
    const key = (row: Record<string, unknown>) => `${row.variation_key}\u0000${row.day}`;
    const outcomesByGroup = new Map<string, Record<string, string | number>[]>();
    for (const row of outcomes.rows) {
      const list = outcomesByGroup.get(key(row)) ?? [];
      list.push(row);
      outcomesByGroup.set(key(row), list);
    }
    return units.rows.flatMap((row): AggregationSqlRow[] => {
      const group: UnitColumns = {
        variation_key: row.variation_key!,
        breakdown_value: row.day === null || row.day === undefined ? null : String(row.day),
        units: Number(row.units),
        exposures: Number(row.exposures),
        visits: Number(row.visits),
        visitors: Number(row.units),
      };
      const goals = outcomesByGroup.get(key(row)) ?? [];
      if (goals.length === 0) return [{ ...group, ...NO_OUTCOME }];
      return goals.map((goal) => {
        const n = Number(goal.outcome_units);
        const sum = Number(goal.value_sum);
        const squares = Number(goal.value_sum_squares);
        return {
          ...group,
          goal_id: Number(goal.goal_id),
          conversions: Number(goal.conversions),
          converted_units: n,
          value_sum: sum,
          value_sum_squares: squares,
          outcome_units: n,
          value_mean: sum / n,
          // Sum of squares about the mean; rounding may leave a tiny negative for equal values.
          value_m2: Math.max(0, squares - (sum * sum) / n),
        };
      });
    });
  }

  /** The units' exposures: the flag (and experiment or rule), from the interval start on. */
  private exposureScope(): string {
    const d = this.definition;
    const conditions = [
      `e.project_key = ${this.param(d.projectKey)}`,
      `e.environment_key = ${this.param(d.environmentKey)}`,
      `e.feature_key = ${this.param(d.featureKey)}`,
    ];
    if (d.experimentId !== null) conditions.push(`e.experiment_id = ${this.param(d.experimentId)}::bigint`);
    if (d.ruleId !== null) conditions.push(`e.rule_id = ${this.param(d.ruleId)}::bigint`);
    if (d.from !== null) conditions.push(`e.time >= ${this.param(d.from)}::bigint`);
    return conditions.join(" AND ");
  }

  private goalCondition(alias: string): string {
    const d = this.definition;
    return [
      `${alias}.project_key = ${this.param(d.projectKey)}`,
      `${alias}.environment_key = ${this.param(d.environmentKey)}`,
      `${alias}.goal_id = ANY(${this.param(d.goalIds)}::bigint[])`,
    ].join(" AND ");
  }

  /** Rows the last snapshot could not see (every row on the first build). */
  private newRows(alias: string): string {
    if (this.snapshot === null || this.xmin === null) return "TRUE";
    // The range condition lets the BRIN index skip old pages; the snapshot test is exact.
    return `${alias}.ingest_xid >= ${this.param(this.xmin)}::bigint
      AND NOT txid_visible_in_snapshot(${alias}.ingest_xid, ${this.param(this.snapshot)}::txid_snapshot)`;
  }

  /** New exposures into their units: the earliest (time, variation) wins, counts add, visit sets unite. */
  private async mergeUnits(): Promise<void> {
    const earlier = "(excluded.first_time, excluded.variation_key) < (u.first_time, u.variation_key)";
    await this.query(`INSERT INTO ${UNITS} AS u (rollup_id, unit_key, first_time, variation_key, exposure_count, visit_hashes)
SELECT ${this.id}, unit_key, first_time, variation_key, exposure_count, visit_hashes FROM rollup_fresh
ON CONFLICT (rollup_id, unit_key) DO UPDATE SET
  first_time = CASE WHEN ${earlier} THEN excluded.first_time ELSE u.first_time END,
  variation_key = CASE WHEN ${earlier} THEN excluded.variation_key ELSE u.variation_key END,
  exposure_count = u.exposure_count + excluded.exposure_count,
  visit_hashes = ARRAY(SELECT DISTINCT h FROM unnest(u.visit_hashes || excluded.visit_hashes) AS h)`);
  }

  /** Touched units' conversions in [first exposure, + window), from raw (indexed by goal and unit key). */
  private async insertOutcomes(keyLookups: boolean): Promise<void> {
    await this.query(`CREATE TEMP TABLE rollup_touched_units ON COMMIT DROP AS
SELECT u.unit_key, u.first_time FROM rollup_dirty d JOIN ${UNITS} u ON u.rollup_id = ${this.id} AND u.unit_key = d.unit_key`);
    await this.query("ANALYZE rollup_touched_units");
    // Conversions are partitioned by day, not unit: a lookup per unit probes every day in its window,
    // so even a few thousand units are cheaper to hash against the goal's conversions.
    if (keyLookups) await this.query("SET LOCAL enable_hashjoin = on");
    const window = this.param(this.definition.attributionWindowMs);
    await this.query(`INSERT INTO ${OUTCOMES} (rollup_id, unit_key, goal_id, post_count, post_sum)
SELECT ${this.id}, u.unit_key, c.goal_id, count(*), coalesce(sum(c.value), 0)
FROM rollup_touched_units u
JOIN ${CONVERSIONS_TABLE} c ON c.visitor_hash = u.unit_key AND ${this.goalCondition("c")}
  AND c.time >= u.first_time AND c.time < u.first_time + ${window}::bigint
GROUP BY u.unit_key, c.goal_id`);
    if (keyLookups) await this.query("SET LOCAL enable_hashjoin = off");
  }

  /** Adds (sign 1) or takes away (sign -1) the touched units' contribution to the day totals. */
  private async addTotals(sign: 1 | -1): Promise<void> {
    const day = `u.first_time - u.first_time % ${DAY_MS}`;
    // On a build every unit is touched: no need to join the touched set.
    const touched = this.snapshot === null ? "" : "JOIN rollup_dirty d ON d.unit_key = u.unit_key";
    await this.query(`INSERT INTO ${UNIT_TOTALS} AS t (rollup_id, variation_key, day, units, exposures, visits)
SELECT ${this.id}, u.variation_key, ${day}, ${sign} * count(*), ${sign} * sum(u.exposure_count), ${sign} * sum(cardinality(u.visit_hashes))
FROM ${UNITS} u ${touched}
WHERE u.rollup_id = ${this.id}
GROUP BY 2, 3
ON CONFLICT (rollup_id, variation_key, day) DO UPDATE SET
  units = t.units + excluded.units, exposures = t.exposures + excluded.exposures, visits = t.visits + excluded.visits`);
    if (this.definition.goalIds.length === 0) return;
    await this.query(`INSERT INTO ${OUTCOME_TOTALS} AS t
  (rollup_id, variation_key, day, goal_id, outcome_units, conversions, value_sum, value_sum_squares)
SELECT ${this.id}, u.variation_key, ${day}, o.goal_id, ${sign} * count(*), ${sign} * sum(o.post_count),
  ${sign} * sum(o.post_sum), ${sign} * sum(o.post_sum * o.post_sum)
FROM ${OUTCOMES} o
JOIN ${UNITS} u ON u.rollup_id = ${this.id} AND u.unit_key = o.unit_key ${touched}
WHERE o.rollup_id = ${this.id}
GROUP BY 2, 3, 4
ON CONFLICT (rollup_id, variation_key, day, goal_id) DO UPDATE SET
  outcome_units = t.outcome_units + excluded.outcome_units, conversions = t.conversions + excluded.conversions,
  value_sum = t.value_sum + excluded.value_sum, value_sum_squares = t.value_sum_squares + excluded.value_sum_squares`);
  }

  private param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /**
   * Runs `sql` with the values its placeholders were written for, then starts the next statement's. (The
   * rollup id, an integer from our own table, is written into the text.)
   */
  private async query(sql: string): Promise<void> {
    const params = this.params;
    this.params = [];
    await this.client.query(sql, params);
  }
}

const NO_OUTCOME: Omit<AggregationSqlRow, keyof UnitColumns> = {
  goal_id: null,
  conversions: 0,
  converted_units: 0,
  value_sum: 0,
  value_sum_squares: 0,
  outcome_units: 0,
  value_mean: 0,
  value_m2: 0,
};
