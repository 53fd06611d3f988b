// Kameleoon results report, end to end: POST /feature-flags/{id}/results -> GET /results until READY, on
// the embedded stores (SQLite configuration, DuckDB events), and where the time goes.
//
//   npx tsx --conditions=source bench/results.bench.ts [--visitors=1000000] [--runs=3]
//
// Data: `--visitors` visitors exposed over 14 days to a flag with an EXPERIMENTATION rule over 3 variations
// (34/33/33); one in ten comes back for a second visit (exposed again). 5 goals: a conversion goal (10 %,
// 11 %, 10.5 %), a numeric revenue goal with repeat purchases, and three more; two of them (the CUPED goals)
// have an engaged segment (30 %, independent of the variation) that also converts in the 14 days before
// exposure. Rows are generated inside DuckDB with range() straight into the server's events file (the
// server is closed meanwhile), then the server is reopened on the same data directory.
//
// Request (the brief's): visitorData, bayesian, sequentialTesting, goalIdsCuped (2 goals), breakdown
// BROWSER, all 5 goals, for both conversion types. Each run changes the interval's end by a millisecond so
// that it is a new report (a repeated request would be answered from the stored one). One warm-up run,
// then medians of `--runs`. Phases come from the job's metadata (aggregation = the analytics queries,
// statistics = @vexil/stats for totals and each browser, serialisation = building and stringifying the
// report). The reference row is one aggregate() of one goal without breakdown: the report's building block.
// Goal: POST -> READY < 5 s.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { generateToken } from "../packages/server/src/auth/tokens.store.js";
import { resolveConfig } from "../packages/server/src/config.js";
import { ensureDemoProject } from "../packages/server/src/demo/demo-project.js";
import { RESULTS_REPORT_KIND, type ReportJobResult } from "../packages/server/src/results/report-job.js";
import {
  createExperiment,
  injector,
} from "../packages/server/src/results/results-simulation.test-support.js";
import { openServer } from "../packages/server/src/server.js";
import { benchOptions } from "./support/options.js";
import { generationSql } from "./support/results-data.js";
import { median } from "./support/table.js";

const options = benchOptions({ visitors: 1_000_000, runs: 3 });
const VISITORS = options.visitors;
const RUNS = Math.max(1, options.runs);

const DAY = 86_400_000;
const END = Date.UTC(2025, 5, 30);
const START = END - 14 * DAY;
const ms = (value: number) => `${Math.round(value).toLocaleString("en-US")} ms`;

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vexil-results-bench-"));
  const adminToken = generateToken();
  const config = resolveConfig(
    { dataDir, port: 0 },
    {
      VEXIL_ADMIN_TOKEN: adminToken,
      VEXIL_LOG_LEVEL: "error",
      VEXIL_JOBS_POLL_MS: "50",
      VEXIL_RATE_LIMIT_PER_MINUTE: "0",
    },
  );
  try {
    // 1. Configuration through the API: project, 5 goals, the flag.
    let server = await openServer(config, { logger: { level: "error" } });
    let api = injector(server, adminToken);
    await ensureDemoProject(server.context);
    const experiment = await createExperiment(api, {
      featureKey: "bench-checkout",
      variations: ["off", "on", "v2"],
      allocations: { off: 34, on: 33, v2: 33 },
      goals: [
        { name: "Purchase" },
        { name: "Revenue", isNumeric: true },
        { name: "Add to cart" },
        { name: "Product view" },
        { name: "Newsletter" },
      ],
    });
    await server.close();

    // 2. Events straight into the events file.
    const loadStarted = performance.now();
    const instance = await DuckDBInstance.create(path.join(dataDir, "events.duckdb"));
    const connection = await instance.connect();
    for (const statement of generationSql(
      { ...experiment, featureKey: experiment.featureKey },
      VISITORS,
      START,
    )) {
      await connection.run(statement);
    }
    const count = async (table: string) =>
      Number((await connection.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0]![0]);
    const exposures = await count("analytics_exposures");
    const conversions = await count("analytics_conversions");
    connection.closeSync();
    instance.closeSync();
    const loadMs = performance.now() - loadStarted;

    // 3. The server again, on the same data.
    server = await openServer(config, { logger: { level: "error" } });
    api = injector(server, adminToken);
    const analytics = server.context.analytics;

    const scenarios = ["ALL_CONVERSION", "CONVERTED_VISITS"] as const;
    const rows: string[][] = [];
    let run = 0;
    let reportBytes = 0;
    for (const conversionType of scenarios) {
      const samples: { wall: number; meta: ReportJobResult["meta"] }[] = [];
      for (let i = 0; i <= RUNS; i++) {
        run++;
        const started = performance.now();
        const response = await api.request("POST", `/feature-flags/${experiment.flagId}/results`, {
          body: {
            dateIntervals: [
              {
                start: new Date(START - DAY).toISOString(),
                end: new Date(END + 10 * DAY + run).toISOString(),
              },
            ],
            conversionType,
            visitorData: true,
            bayesian: true,
            sequentialTesting: true,
            goalsIds: null,
            goalIdsCuped: [experiment.goalIds[2], experiment.goalIds[3]],
            breakdown: { type: "BROWSER" },
          },
        });
        if (response.status !== 200) throw new Error(`POST: ${response.status} ${response.text}`);
        const dataCode = response.body.dataCode as string;
        let status = "PENDING";
        let text = "";
        while (status !== "READY") {
          const poll = await api.request("GET", `/results?dataCode=${dataCode}`);
          status = poll.body.status;
          text = poll.text;
          if (status === "FAILED") throw new Error(`report failed: ${poll.body.error}`);
          if (status !== "READY") await new Promise((resolve) => setTimeout(resolve, 5));
        }
        const wall = performance.now() - started;
        reportBytes = text.length;
        const job = await server.context.jobs.find<unknown, ReportJobResult>(RESULTS_REPORT_KIND, dataCode);
        if (i > 0) samples.push({ wall, meta: job!.result!.meta });
      }
      const pick = (read: (s: (typeof samples)[number]) => number) => ms(median(samples.map(read)));
      rows.push([
        conversionType,
        pick((s) => s.wall),
        pick((s) => s.meta.timings.aggregationMs),
        pick((s) => s.meta.timings.statisticsMs),
        pick((s) => s.meta.timings.serializationMs),
        String(samples[0]!.meta.queries),
        median(samples.map((s) => s.wall)) < 5000 ? "yes" : "NO",
      ]);
    }
    const single: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const started = performance.now();
      await analytics.aggregate({
        projectKey: "demo",
        environmentKey: "production",
        featureKey: experiment.featureKey,
        experimentId: experiment.experimentId,
        goalId: experiment.goalIds[0]!,
        unit: "visitor",
        conversionType: "ALL_CONVERSION",
        dateIntervals: [{ from: START - DAY, to: END + 10 * DAY }],
      });
      if (i > 0) single.push(performance.now() - started);
    }
    rows.push(["reference: 1 aggregate(), 1 goal, no breakdown", "", ms(median(single)), "", "", "1", ""]);
    await server.close();

    // Floor: one bare statement for all 5 goals by variation x browser (first exposure, 7-day window), without
    // what the store adds (visits, CUPED pre-period, filters, SQL shared by both dialects).
    const bare = await DuckDBInstance.create(path.join(dataDir, "events.duckdb"));
    const bareConnection = await bare.connect();
    const bareSql = `
      WITH units AS (
        SELECT visitor_code, min(time) AS first_time, arg_min(variation_key, time) AS variation_key,
          arg_min(browser, time) AS browser
        FROM analytics_exposures
        WHERE project_key = 'demo' AND environment_key = 'production' AND feature_key = '${experiment.featureKey}'
          AND experiment_id = ${experiment.experimentId}
        GROUP BY visitor_code
      ), outcomes AS (
        SELECT c.visitor_code, c.goal_id, count(*) AS conversions, sum(c.value) AS value
        FROM analytics_conversions c JOIN units u ON c.visitor_code = u.visitor_code
        WHERE c.project_key = 'demo' AND c.environment_key = 'production'
          AND c.goal_id IN (${experiment.goalIds.join(", ")})
          AND c.time >= u.first_time AND c.time < u.first_time + ${7 * DAY}
        GROUP BY c.visitor_code, c.goal_id
      )
      SELECT u.variation_key, u.browser, o.goal_id, count(*) AS units, sum(o.conversions) AS conversions,
        sum(o.value) AS value, sum(o.value * o.value) AS squares
      FROM units u LEFT JOIN outcomes o ON o.visitor_code = u.visitor_code
      GROUP BY ALL`;
    const bareTimes: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const started = performance.now();
      await bareConnection.runAndReadAll(bareSql);
      if (i > 0) bareTimes.push(performance.now() - started);
    }
    bareConnection.closeSync();
    bare.closeSync();
    rows.push([
      "floor: 1 bare GROUP BY for all 5 goals x browser",
      "",
      ms(median(bareTimes)),
      "",
      "",
      "1",
      "",
    ]);

    console.log(
      `\nKameleoon results report: ${VISITORS.toLocaleString("en-US")} visitors, 3 variations, 5 goals, ` +
        "bayesian + sequential + CUPED on 2 goals + BROWSER breakdown (DuckDB)",
    );
    console.log(
      `data: ${exposures.toLocaleString("en-US")} exposures, ${conversions.toLocaleString("en-US")} conversions, ` +
        `generated in ${ms(loadMs)}; report ${Math.round(reportBytes / 1024)} KB; medians of ${RUNS} runs after 1 warm-up; ` +
        `${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}`,
    );
    const header = [
      "conversionType",
      "POST->READY",
      "aggregation",
      "statistics",
      "serialisation",
      "queries",
      "< 5 s",
    ];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) =>
      cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
    console.log(line(header));
    console.log(widths.map((w) => "-".repeat(w)).join("  "));
    for (const row of rows) console.log(line(row));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
