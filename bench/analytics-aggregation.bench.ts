// Results aggregation: the analytics store's aggregate() against the bare GROUP BY typed straight into the
// same database, on the same data, in one run.
//
//   npx tsx --conditions=source bench/analytics-aggregation.bench.ts [--visitors=10000000]
//     [--conversions=3000000] [--runs=3] [--data=FILE] [--pg | --no-pg] [--pg-visitors=1000000]
//     [--pg-conversions=300000] [--postgres=postgres://postgres@127.0.0.1:5432/postgres] [--pg-database=URL]
//     [--no-duckdb]
//
// DuckDB: `--visitors` exposed visitors over 14 days in 3 variations; one in five comes back for a second
// visit and is exposed again (same variation), so a unit is not a row and both queries must group by
// visitor. `--conversions` conversions of one goal, all inside the 7-day attribution window (so the bare
// query, which knows nothing about windows, is still correct and both must agree). Rows are generated
// inside DuckDB with range(), in a temp directory, or in `--data=FILE`, kept and reused by later runs
// (generating 10 M visitors takes minutes; a reused file must have been made with the same counts).
// The queries run in a child process of their own, on DuckDB configured as the server configures it by
// default (memory_limit from VEXIL_DUCKDB_MEMORY_LIMIT's default), so its RSS is the queries' alone: not
// the row generation's, nor PostgreSQL's events'. The bare query runs on a connection to the store's own
// (cached) DuckDB instance, so both read the same warm buffer pool; rounds alternate bare / aggregate(),
// round 0 warms up and is discarded; medians of the rest. Wall time and the child's CPU time (all DuckDB
// threads) are both reported: on a shared machine CPU time is the steadier ratio. Peak RSS is sampled
// every 20 ms during each query, and printed with its rise above the RSS the query started at.
// aggregate() also computes what the bare query does not: first-exposure variation, attribution window,
// exposures, visits, converted units and sum of squares. Goals (issue 16): <= 1.2x the bare query's CPU,
// peak RSS < 1 GB. The store groups and joins units on an integer hash of the visitor code stored at
// ingestion; a third row runs the bare query on that same key, so both comparisons are in the table.
//
// PostgreSQL (unless --no-pg): `--pg-visitors` visitors loaded through append() (10,000-event batches,
// four in flight) into a fresh database (dropped at the end), then ANALYZE, then the same two queries.
// `--pg-database=URL` uses that database instead and keeps it: it is loaded only when its exposure table is
// empty, so a 10 M run pays the load once (drop its tables when the data shape should change).
// `--no-duckdb` skips the DuckDB part. CPU on PostgreSQL is the server backends' (read from /proc when the
// server runs on this host, else "-"); the bare query runs with jit off, as the store's statements do.

import { fork } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import pg from "pg";
import type {
  AggregationQuery,
  AnalyticsEvent,
  AnalyticsStore,
  VariationStats,
} from "../packages/server/src/analytics/analytics-store.js";
import { openDuckDbAnalyticsStore } from "../packages/server/src/analytics/duckdb-store.js";
import { openPostgresAnalyticsStore } from "../packages/server/src/analytics/postgres-store.js";
import { resolveConfig } from "../packages/server/src/config.js";
import { createDatabase } from "./support/postgres.js";
import { withServerCpu } from "./support/postgres-cpu.js";
import { median, printTable } from "./support/table.js";

function arg(name: string, fallback: number): number {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit === undefined ? fallback : Number(hit.slice(name.length + 3));
}
const VISITORS = arg("visitors", 10_000_000);
const CONVERSIONS = arg("conversions", 3_000_000);
const RUNS = Math.max(3, arg("runs", 3));
const PG_ENABLED = !process.argv.some((a) => a === "--no-pg" || a === "--pg=false" || a === "--pg=0");
const DUCKDB_ENABLED = !process.argv.includes("--no-duckdb");
const PG_DATABASE_URL = process.argv
  .find((a) => a.startsWith("--pg-database="))
  ?.slice("--pg-database=".length);
const PG_VISITORS = arg("pg-visitors", 1_000_000);
const PG_CONVERSIONS = arg("pg-conversions", 300_000);
const stringArg = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
/** A database file to keep and reuse between runs (generated when missing, for the same --visitors). */
const DATA = stringArg("data");
/** Internal: the child process that runs the DuckDB queries on this file and reports to its parent. */
const MEASURE = stringArg("measure");
/** What the server gives DuckDB by default (composition.ts): the memory limit the queries run under. */
const DUCKDB_CONFIG = { memory_limit: resolveConfig({}, {}).duckdbMemoryLimit };
const POSTGRES_ADMIN_URL =
  process.argv.find((a) => a.startsWith("--postgres="))?.slice("--postgres=".length) ??
  "postgres://postgres@127.0.0.1:5432/postgres";

const START = Date.UTC(2025, 0, 6);
const SPAN_MS = 14 * 86_400_000;
const HOUR_MS = 3_600_000;
/** Conversions land 0 .. 6 days after the first exposure: inside the default 7-day window. */
const CONVERSION_DELAY_MS = 6 * 86_400_000;
const PROJECT = "bench";
const ENVIRONMENT = "production";
const FEATURE = "checkout";
const GOAL = 1;

const QUERY: AggregationQuery = {
  projectKey: PROJECT,
  environmentKey: ENVIRONMENT,
  featureKey: FEATURE,
  goalId: GOAL,
  unit: "visitor",
  conversionType: "ALL_CONVERSION",
};

/** The simplest correct per-variation units / conversions / value sum for this data. */
const BARE_SQL = `
WITH units AS (
  SELECT visitor_code, any_value(variation_key) AS variation_key
  FROM analytics_exposures
  WHERE project_key = '${PROJECT}' AND environment_key = '${ENVIRONMENT}' AND feature_key = '${FEATURE}'
  GROUP BY visitor_code
), per_visitor AS (
  SELECT visitor_code, count(*) AS conversions, sum(value) AS value
  FROM analytics_conversions
  WHERE project_key = '${PROJECT}' AND environment_key = '${ENVIRONMENT}' AND goal_id = ${GOAL}
  GROUP BY visitor_code
)
SELECT variation_key, count(*) AS units, coalesce(sum(conversions), 0) AS conversions, coalesce(sum(value), 0) AS value
FROM units LEFT JOIN per_visitor USING (visitor_code)
GROUP BY variation_key
ORDER BY variation_key`;

/** The same bare query on the integer key the store groups by (visitor_hash instead of visitor_code). */
const BARE_SQL_HASHED = BARE_SQL.replaceAll("visitor_code", "visitor_hash");

/** PostgreSQL has no any_value() before 16: min() is the same here (one variation per visitor). */
const BARE_SQL_POSTGRES = BARE_SQL.replace("any_value(variation_key)", "min(variation_key)");

interface BareRow {
  variation_key: string;
  units: number;
  conversions: number;
  value: number;
}

const now = () => performance.now();
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const megabytes = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;
const thousands = (n: number) => n.toLocaleString("en-US");

// ------------------------------------------------------------------------------------------------ DuckDB

const visitorCode = (v: string) => `'visitor-' || lpad(CAST(${v} AS VARCHAR), 8, '0')`;

/**
 * The store keys units by a 53-bit hash of the key (event-columns.ts keyHash, computed at ingestion); rows
 * generated here only need one that agrees between exposures and conversions: DuckDB's hash(), cut to 53 bits.
 */
const keyHashSql = (key: string) => `CAST(hash(${key}) % 9007199254740992 AS BIGINT)`;

/** visit_hash only has to tell visits apart: the synthetic visit number does that exactly. */
function exposureInsertSql(repeat: boolean): string {
  const visitor = "v";
  return `INSERT INTO analytics_exposures
SELECT '${PROJECT}', '${ENVIRONMENT}', '${FEATURE}', 1, 10, 100,
  ['off', 'on', 'v2'][${visitor} % 3 + 1],
  ${visitorCode(visitor)},
  ${visitorCode(visitor)} || '-${repeat ? 1 : 0}',
  ${visitor} * 2 + ${repeat ? 1 : 0},
  ${START} + ${visitor} * ${SPAN_MS} // ${VISITORS}${repeat ? ` + ${HOUR_MS}` : ""},
  ['chrome', 'firefox', 'safari', 'edge'][${visitor} % 4 + 1],
  ['desktop', 'mobile'][${visitor} % 2 + 1],
  ['linux', 'mac', 'windows'][${visitor} % 3 + 1],
  ['FR', 'US', 'DE', 'BR', 'JP'][${visitor} % 5 + 1],
  ${repeat ? "false" : "true"},
  MAP {'plan': ['free', 'pro'][${visitor} % 2 + 1]},
  ${keyHashSql(visitorCode(visitor))}
FROM range(${VISITORS}) AS t(v)${repeat ? " WHERE v % 5 = 1" : ""}`;
}

/** Two conversions per converting visitor for the first third, one for the rest. */
function conversionInsertSql(): string {
  const converting = Math.ceil((CONVERSIONS * 2) / 3);
  const visitor = `(j % ${converting}) * ${Math.max(1, Math.floor(VISITORS / converting))}`;
  return `INSERT INTO analytics_conversions
SELECT '${PROJECT}', '${ENVIRONMENT}', ${GOAL}, ${visitorCode("v")}, ${visitorCode("v")} || '-0',
  1 + (j % 100) + (j % 7) / 10.0,
  ${START} + v * ${SPAN_MS} // ${VISITORS} + (j * 7919) % ${CONVERSION_DELAY_MS},
  NULL, NULL, NULL, NULL, NULL, NULL,
  ${keyHashSql(visitorCode("v"))}, ${keyHashSql(`${visitorCode("v")} || '-0'`)}
FROM (SELECT j, ${visitor} AS v FROM range(${CONVERSIONS}) AS t(j))
ORDER BY 7`;
}

async function loadDuckDb(path: string): Promise<number> {
  const schema = await openDuckDbAnalyticsStore({ path });
  await schema.close();
  const started = now();
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  await connection.run(exposureInsertSql(false));
  await connection.run(exposureInsertSql(true));
  await connection.run(conversionInsertSql());
  await connection.run("CHECKPOINT");
  connection.closeSync();
  instance.closeSync();
  return now() - started;
}

async function countRows(path: string): Promise<{ exposures: number; conversions: number }> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  const count = async (table: string) =>
    Number((await connection.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0]![0]);
  const counts = {
    exposures: await count("analytics_exposures"),
    conversions: await count("analytics_conversions"),
  };
  connection.closeSync();
  instance.closeSync();
  return counts;
}

interface Measured {
  ms: number;
  /** CPU time of this process (all DuckDB threads) during the query: less skewed by other load than wall time. */
  cpuMs: number;
  /** Highest RSS sampled (every 20 ms) while the query ran. */
  peakRss: number;
  /** RSS when the query started: peakRss minus this is what the query itself added. */
  startRss: number;
}

async function measure<T>(work: () => Promise<T>): Promise<Measured & { value: T }> {
  const startRss = process.memoryUsage.rss();
  let peakRss = startRss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 20);
  const cpu = process.cpuUsage();
  const started = now();
  try {
    const value = await work();
    const ms = now() - started;
    const used = process.cpuUsage(cpu);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    return { ms, cpuMs: (used.user + used.system) / 1000, peakRss, startRss, value };
  } finally {
    clearInterval(sampler);
  }
}

async function timeBareDuckDb(
  connection: DuckDBConnection,
  sql = BARE_SQL,
): Promise<Measured & { rows: BareRow[] }> {
  const { value: reader, ...measured } = await measure(() => connection.runAndReadAll(sql));
  const rows = reader.getRowObjectsJS().map((row) => ({
    variation_key: String(row.variation_key),
    units: Number(row.units),
    conversions: Number(row.conversions),
    value: Number(row.value),
  }));
  return { ...measured, rows };
}

async function timeAggregate(store: AnalyticsStore): Promise<Measured & { rows: VariationStats[] }> {
  const { value: result, ...measured } = await measure(() => store.aggregate(QUERY));
  return { ...measured, rows: result.rows };
}

function agree(bare: BareRow[], rows: VariationStats[]): boolean {
  if (bare.length !== rows.length) return false;
  return bare.every((b, i) => {
    const r = rows[i]!;
    const sumClose = Math.abs(b.value - r.sum) <= 1e-9 * Math.max(1, Math.abs(b.value));
    return (
      b.variation_key === r.variationKey && b.units === r.units && b.conversions === r.conversions && sumClose
    );
  });
}

interface Timing {
  aggregate: Measured[];
  bare: Measured[];
  /** DuckDB only: the bare query grouping by the hash key. */
  bareHashed?: Measured[];
  agree: boolean;
}

/**
 * One warm instance for both, configured as the server configures it by default: the store opens the file
 * through DuckDB's instance cache, so the bare query's connection (same cache) shares its buffer pool.
 * Round 0 warms up; the rounds alternate.
 */
async function benchDuckDb(path: string): Promise<Timing> {
  const store = await openDuckDbAnalyticsStore({ path, config: DUCKDB_CONFIG });
  const instance = await DuckDBInstance.fromCache(path, DUCKDB_CONFIG);
  const connection = await instance.connect();
  const timing: Timing = { aggregate: [], bare: [], bareHashed: [], agree: true };
  try {
    for (let round = 0; round <= RUNS; round++) {
      const bare = await timeBareDuckDb(connection);
      const ours = await timeAggregate(store);
      const bareHashed = await timeBareDuckDb(connection, BARE_SQL_HASHED);
      timing.agree &&= agree(bare.rows, ours.rows) && agree(bareHashed.rows, ours.rows);
      if (round === 0) continue;
      timing.bare.push(bare);
      timing.aggregate.push(ours);
      timing.bareHashed?.push(bareHashed);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
    await store.close();
  }
  return timing;
}

interface ChildReport {
  timing: Timing;
  /** Peak RSS of the measuring process over its whole life: opening the store and every query. */
  maxRss: number;
}

/**
 * The DuckDB queries run in a child process of their own, so its memory figures are the store's and the
 * bare query's alone, not the rows generated (or PostgreSQL's events built) by this one.
 */
function measureInChild(path: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = fork(process.argv[1]!, [`--measure=${path}`, `--runs=${RUNS}`], { stdio: "inherit" });
    let report: ChildReport | undefined;
    child.on("message", (message) => {
      report = message as ChildReport;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0 && report) resolve(report);
      else reject(new Error(`the measuring process exited with ${code}`));
    });
  });
}

async function childMain(path: string): Promise<void> {
  const timing = await benchDuckDb(path);
  const report: ChildReport = { timing, maxRss: process.resourceUsage().maxRSS * 1024 };
  process.send?.(report, () => process.disconnect());
}

// -------------------------------------------------------------------------------------------- PostgreSQL

/** The same shape of data as the DuckDB set, as events through append(). */
function* postgresBatches(batchSize: number): Generator<AnalyticsEvent[]> {
  let batch: AnalyticsEvent[] = [];
  const flush = () => {
    const full = batch;
    batch = [];
    return full;
  };
  const code = (v: number) => `visitor-${String(v).padStart(8, "0")}`;
  const firstTime = (v: number) => START + Math.floor((v * SPAN_MS) / PG_VISITORS);
  for (let v = 0; v < PG_VISITORS; v++) {
    for (const visit of v % 5 === 1 ? [0, 1] : [0]) {
      batch.push({
        kind: "exposure",
        projectKey: PROJECT,
        environmentKey: ENVIRONMENT,
        featureKey: FEATURE,
        flagId: 1,
        ruleId: 10,
        experimentId: 100,
        variationKey: ["off", "on", "v2"][v % 3]!,
        visitorCode: code(v),
        visitId: `${code(v)}-${visit}`,
        time: firstTime(v) + visit * HOUR_MS,
        attributes: { browser: ["chrome", "firefox", "safari", "edge"][v % 4]!, newVisitor: visit === 0 },
      });
      if (batch.length >= batchSize) yield flush();
    }
  }
  const converting = Math.ceil((PG_CONVERSIONS * 2) / 3);
  const stride = Math.max(1, Math.floor(PG_VISITORS / converting));
  for (let j = 0; j < PG_CONVERSIONS; j++) {
    const v = (j % converting) * stride;
    batch.push({
      kind: "conversion",
      projectKey: PROJECT,
      environmentKey: ENVIRONMENT,
      goalId: GOAL,
      visitorCode: code(v),
      visitId: `${code(v)}-0`,
      value: 1 + (j % 100) + (j % 7) / 10,
      time: firstTime(v) + ((j * 7919) % CONVERSION_DELAY_MS),
    });
    if (batch.length >= batchSize) yield flush();
  }
  if (batch.length > 0) yield flush();
}

async function loadPostgres(store: AnalyticsStore): Promise<{ ms: number; events: number }> {
  const started = now();
  let events = 0;
  let inFlight: Promise<unknown>[] = [];
  for (const batch of postgresBatches(10_000)) {
    events += batch.length;
    inFlight.push(store.append(batch));
    if (inFlight.length === 4) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  return { ms: now() - started, events };
}

async function onPostgres<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** `client` has jit off, as the store sets it for its own statements. */
async function timeBarePostgres(client: pg.Client): Promise<Measured & { rows: BareRow[] }> {
  const { value: result, ...measured } = await measure(() => client.query(BARE_SQL_POSTGRES));
  const rows = result.rows.map((row) => ({
    variation_key: String(row.variation_key),
    units: Number(row.units),
    conversions: Number(row.conversions),
    value: Number(row.value),
  }));
  return { ...measured, rows };
}

interface PostgresReport extends Timing {
  loadMs: number;
  events: number;
  /** --pg-database already held the data: nothing was loaded. */
  reused: boolean;
  /** cpuMs is the server backends' CPU (the server runs on this host). */
  serverCpu: boolean;
  version: string;
}

/** The database to bench on: `--pg-database` (kept) or a fresh one next to `--postgres` (dropped after). */
async function benchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (PG_DATABASE_URL) return { url: PG_DATABASE_URL, drop: async () => {} };
  return createDatabase(POSTGRES_ADMIN_URL, `vexil_analytics_bench_${process.pid}`);
}

async function storedEvents(url: string): Promise<number> {
  return onPostgres(url, async (client) => {
    const count = async (table: string) =>
      Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    return (await count("analytics_exposures")) + (await count("analytics_conversions"));
  });
}

async function benchPostgres(): Promise<PostgresReport> {
  const database = await benchDatabase();
  try {
    const open = () => openPostgresAnalyticsStore({ connectionString: database.url });
    const store = await open();
    const stored = await storedEvents(database.url);
    const load = stored > 0 ? { ms: 0, events: stored, reused: true } : await loadPostgres(store);
    await store.close();
    const version = await onPostgres(database.url, async (client) => {
      if (!("reused" in load)) await client.query("ANALYZE");
      return String((await client.query("SHOW server_version")).rows[0].server_version);
    });
    const timing: Timing = { aggregate: [], bare: [], agree: true };
    const reader = await open();
    const monitor = new pg.Client({ connectionString: database.url });
    const bareClient = new pg.Client({ connectionString: database.url });
    await monitor.connect();
    await bareClient.connect();
    try {
      await bareClient.query("SET jit = off");
      for (let round = 0; round <= RUNS; round++) {
        const bare = await withServerCpu(monitor, () => timeBarePostgres(bareClient));
        const ours = await withServerCpu(monitor, () => timeAggregate(reader));
        timing.agree &&= agree(bare.rows, ours.rows);
        if (round === 0) continue;
        timing.bare.push(bare);
        timing.aggregate.push(ours);
      }
    } finally {
      await Promise.all([monitor.end(), bareClient.end(), reader.close()]);
    }
    const serverCpu = timing.bare.every((run) => !Number.isNaN(run.cpuMs));
    return { ...timing, loadMs: load.ms, events: load.events, reused: "reused" in load, version, serverCpu };
  } finally {
    await database.drop();
  }
}

// ------------------------------------------------------------------------------------------------ report

function timingRows(label: string, timing: Timing, withCpu: boolean): Record<string, string>[] {
  const wall = (runs: Measured[]) => median(runs.map((run) => run.ms));
  const cpu = (runs: Measured[]) => median(runs.map((run) => run.cpuMs));
  const row = (query: string, runs: Measured[]) => ({
    query: `${label} ${query}`,
    "wall median": `${seconds(wall(runs))} s`,
    "wall runs (s)": runs.map((run) => seconds(run.ms)).join(" / "),
    "wall vs bare": `${(wall(runs) / wall(timing.bare)).toFixed(2)}x`,
    "CPU median": withCpu ? `${seconds(cpu(runs))} s` : "-",
    "CPU vs bare": withCpu ? `${(cpu(runs) / cpu(timing.bare)).toFixed(2)}x` : "-",
  });
  return [
    row("aggregate()", timing.aggregate),
    row("bare GROUP BY", timing.bare),
    ...(timing.bareHashed ? [row("bare GROUP BY, hash key", timing.bareHashed)] : []),
  ];
}

interface DuckDbReport extends Timing {
  /** null: the --data file already held the rows. */
  loadMs: number | null;
  path: string;
  counts: { exposures: number; conversions: number };
  /** Peak RSS of the child process that ran the queries, over its whole life. */
  childMaxRss: number;
}

async function duckDbReport(): Promise<DuckDbReport> {
  const directory = DATA ? null : await mkdtemp(join(tmpdir(), "vexil-analytics-bench-"));
  try {
    const path = DATA ?? join(directory!, "events.duckdb");
    const loadMs = existsSync(path) ? null : await loadDuckDb(path);
    const counts = await countRows(path);
    const { timing, maxRss } = await measureInChild(path);
    return { ...timing, loadMs, path, counts, childMaxRss: maxRss };
  } finally {
    if (directory) await rm(directory, { recursive: true, force: true });
  }
}

function printDuckDbLines(duck: DuckDbReport): void {
  const cpuRatio = median(duck.aggregate.map((run) => run.cpuMs)) / median(duck.bare.map((run) => run.cpuMs));
  const aggregatePeak = Math.max(...duck.aggregate.map((run) => run.peakRss));
  console.log(
    `goals (DuckDB): <= 1.2x the bare query's CPU ${cpuRatio <= 1.2 ? "met" : "NOT met"} (${cpuRatio.toFixed(2)}x); ` +
      `peak RSS during aggregate() < 1 GB ${aggregatePeak < 1024 ** 3 ? "met" : "NOT met"}`,
  );
  const peak = (runs: Measured[]) => megabytes(Math.max(...runs.map((run) => run.peakRss)));
  const growth = (runs: Measured[]) => megabytes(Math.max(...runs.map((run) => run.peakRss - run.startRss)));
  console.log(
    `memory (the measuring child process: the store open, DuckDB embedded, sampled every 20 ms): ` +
      `peak RSS during aggregate() ${peak(duck.aggregate)} (at most ${growth(duck.aggregate)} above its start), ` +
      `during the bare query ${peak(duck.bare)} (${growth(duck.bare)}); child's peak over all its queries ` +
      `${megabytes(duck.childMaxRss)}; this process's peak (generating the rows) ${megabytes(process.resourceUsage().maxRSS * 1024)}`,
  );
}

async function main(): Promise<void> {
  const duck = DUCKDB_ENABLED ? await duckDbReport() : null;
  const postgres = PG_ENABLED ? await benchPostgres() : null;
  console.log(
    `\nanalytics aggregation, unit = visitor, ALL_CONVERSION, 3 variations, medians of ${RUNS} runs (after a warm-up)\n`,
  );
  if (duck) {
    console.log(
      `DuckDB (memory_limit ${DUCKDB_CONFIG.memory_limit}, the server's default): ${thousands(VISITORS)} visitors, ` +
        `${thousands(duck.counts.exposures)} exposures, ${thousands(duck.counts.conversions)} conversions; ` +
        (duck.loadMs === null
          ? `reused ${duck.path}`
          : `generated with range() in ${seconds(duck.loadMs)} s`),
    );
  }
  if (postgres) {
    const loaded = postgres.reused
      ? "already in --pg-database (not reloaded)"
      : `loaded through append() in ${seconds(postgres.loadMs)} s ` +
        `(${thousands(Math.round(postgres.events / (postgres.loadMs / 1000)))} events/s)`;
    console.log(
      `PostgreSQL ${postgres.version}: ${thousands(PG_VISITORS)} visitors, ${thousands(postgres.events)} events ${loaded}`,
    );
  }
  console.log();
  printTable(
    [
      ...(duck ? timingRows("DuckDB", duck, true) : []),
      ...(postgres ? timingRows("PostgreSQL", postgres, postgres.serverCpu) : []),
    ],
    { markdown: true },
  );
  const agreement = [
    ...(duck ? [`DuckDB ${duck.agree ? "yes" : "NO"}`] : []),
    ...(postgres ? [`PostgreSQL ${postgres.agree ? "yes" : "NO"}`] : []),
  ];
  console.log(`\nresults agree with the bare query (units, conversions, sum): ${agreement.join(", ")}`);
  if (duck) printDuckDbLines(duck);
  console.log(
    `load while running: ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(" ")} (1/5/15 min) on ${os.cpus().length} CPUs`,
  );
}

if (MEASURE) await childMain(MEASURE);
else await main();
