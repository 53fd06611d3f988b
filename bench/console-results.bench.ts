// The console's results page against the results API's own time, in the same run, on the embedded stores:
//
//   npm run build -w packages/web && npx tsx --conditions=source bench/console-results.bench.ts [--visitors=1000000] [--runs=3]
//
// Data (bench/support/results-data.ts): `--visitors` visitors over 14 days x 3 variations x 5 goals, the
// experiment made 14 days ago. Each run, in turn:
// - page: a new exposure (so the reports are recomputed, as after fresh traffic), then navigation to the
//   experiment page in headless Chromium until the results table and the cumulative lift plot are drawn.
//   The page asks two reports through the asynchronous job (the results and the cumulative days of the
//   plots), polling GET /results;
// - API: a new exposure, then the same two requests (the bodies the page builds, from results-logic.ts)
//   over HTTP, POST then GET /results every 5 ms until both are READY.
// One warm-up run, then medians of `--runs`. Goal: page <= API + 300 ms.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { createClient } from "@vexil/sdk";
import { generateToken } from "../packages/server/src/auth/tokens.store.js";
import { resolveConfig } from "../packages/server/src/config.js";
import { ensureDemoProject } from "../packages/server/src/demo/demo-project.js";
import {
  createExperiment,
  injector,
} from "../packages/server/src/results/results-simulation.test-support.js";
import { openServer } from "../packages/server/src/server.js";
import type { Experiment } from "../packages/web/src/api/types.js";
import {
  cumulativeRequest,
  defaultOptions,
  experimentSummary,
  resultsRequest,
} from "../packages/web/src/experiments/results-logic.js";
import { launchChromium, signedInPage, WRITER } from "../packages/web/test/browser/harness.js";
import { benchOptions } from "./support/options.js";
import { generationSql } from "./support/results-data.js";
import { median, printTable } from "./support/table.js";

const options = benchOptions({ visitors: 1_000_000, runs: 3 });
const VISITORS = options.visitors;
const RUNS = Math.max(1, options.runs);
const DAY = 86_400_000;
const STARTED = Date.now();
const START = Math.floor(STARTED / DAY) * DAY - 14 * DAY;
const dist = path.resolve("packages/web/dist");
if (!fs.existsSync(path.join(dist, "index.html")))
  throw new Error("build the console first: npm run build -w packages/web");

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vexil-console-results-bench-"));
const adminToken = generateToken();
const config = resolveConfig(
  { dataDir, port: 0 },
  {
    VEXIL_ADMIN_TOKEN: adminToken,
    VEXIL_LOG_LEVEL: "error",
    VEXIL_RATE_LIMIT_PER_MINUTE: "0",
    VEXIL_CONSOLE_DIR: dist,
  },
);

// 1. Configuration through the API, on a clock 14 days back (the experiment starts with the traffic).
let server = await openServer(config, {
  logger: { level: "error" },
  now: () => START + (Date.now() - STARTED),
});
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
await api.request("POST", "/users", { body: { ...WRITER, role: "writer" } });
await server.close();

// 2. Events straight into the events file.
const instance = await DuckDBInstance.create(path.join(dataDir, "events.duckdb"));
const connection = await instance.connect();
for (const statement of generationSql(experiment, VISITORS, START)) await connection.run(statement);
connection.closeSync();
instance.closeSync();

// 3. The server again, on the same data, over HTTP.
server = await openServer(config, { logger: { level: "error" } });
api = injector(server, adminToken);
const baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
const project = await api.request("GET", "/projects/demo");
const sdkKey = project.body.environments.find((e: { key: string }) => e.key === "production").serverSdkKey;
const sdk = createClient({ baseUrl, sdkKey });
await sdk.ready();
const list = await api.request("GET", "/api/v2/projects/demo/environments/production/experiments");
const summary = experimentSummary(list.body.items[0] as Experiment);

let fresh = 0;
/** One more exposure: the data moved, so the next request of a report recomputes it. */
async function newExposure() {
  sdk.evaluate(experiment.featureKey, `fresh-visitor-${fresh++}`);
  await sdk.flush();
}

async function http(method: string, url: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${adminToken}`,
      ...(body ? { "content-type": "application/json" } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const parsed = await response.json();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

/** POST .../results, then GET /results every 5 ms until READY: the report's generatedAt. */
async function report(body: unknown): Promise<string> {
  const { dataCode } = await http("POST", `/feature-flags/${experiment.flagId}/results`, body);
  for (;;) {
    const envelope = await http("GET", `/results?dataCode=${dataCode}`);
    if (envelope.status === "READY") return envelope.data.generatedAt;
    if (envelope.status === "FAILED") throw new Error(`report failed: ${envelope.error}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const browser = await launchChromium();
const page = await signedInPage(browser, baseUrl, WRITER);
const timings = { page: [] as number[], api: [] as number[], difference: [] as number[] };
const generated = new Set<string>();
for (let run = 0; run <= RUNS; run++) {
  await newExposure();
  await page.goto("about:blank");
  let started = performance.now();
  await page.goto(`${baseUrl}/p/demo/experiments/${summary.id}`);
  await page.getByRole("table", { name: "Results for Purchase" }).waitFor({ timeout: 600_000 });
  await page
    .getByRole("img", { name: /^Cumulative lift of Purchase over time/ })
    .waitFor({ timeout: 600_000 });
  const pageMs = performance.now() - started;

  await newExposure();
  const body = resultsRequest(summary, defaultOptions, [], Date.now());
  started = performance.now();
  const [main, cumulative] = await Promise.all([report(body), report(cumulativeRequest(body))]);
  const apiMs = performance.now() - started;
  // Each API run computed new reports (not answered from a stored one).
  if (generated.has(main) || generated.has(cumulative)) throw new Error("a report was not recomputed");
  generated.add(main).add(cumulative);
  if (run > 0) {
    timings.page.push(pageMs);
    timings.api.push(apiMs);
    timings.difference.push(pageMs - apiMs);
  }
}

const difference = median(timings.difference);
printTable([
  {
    measure: `results API, ${VISITORS} visitors x 3 variations x 5 goals: results + cumulative report, POST to READY (ms)`,
    median: Math.round(median(timings.api)),
    ratio: 1,
  },
  {
    measure: "results page: navigation to table and cumulative lift plot drawn (ms)",
    median: Math.round(median(timings.page)),
    ratio: median(timings.page) / median(timings.api),
  },
  {
    measure: `page - API, per run (ms; goal <= 300: ${difference <= 300 ? "met" : "NOT met"})`,
    median: Math.round(difference),
    ratio: "",
  },
]);
console.log(
  `load average (1, 5, 15 min): ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(", ")}`,
);
await browser.close();
await sdk.close();
await server.close();
fs.rmSync(dataDir, { recursive: true, force: true });
