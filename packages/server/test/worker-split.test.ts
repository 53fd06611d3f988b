import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRoot, type Root } from "../src/composition.js";
import { resolveConfig } from "../src/config.js";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import {
  createExperiment,
  type Requester,
  simulateInto,
  waitForReport,
} from "../src/results/results-simulation.test-support.js";
import {
  type FixtureProcess,
  startFixtureProcess,
  stopFixtureProcesses,
} from "./fixtures/fixture-process.js";
import { createPostgresDatabase } from "./harness.js";

// docs/deployment.md: API replicas (`vexil serve --no-workers`) and `vexil worker` processes on one
// PostgreSQL database. Two API processes and one worker, real processes: a results report requested through
// API process A is run by the worker and read through API process B; automation ticks run on the worker only.

const postgresUrl = process.env.VEXIL_TEST_POSTGRES_URL;
const ADMIN_TOKEN = "vx_test_worker_split_admin_token";
const TICK_MS = 300;

type Child = FixtureProcess;

interface ProcessInfo {
  pid: number;
  workerId: string;
  reportsRun: number;
}

/** A fixture process (test/fixtures/split-process.ts) on the shared database; resolves once it listens. */
function start(role: "serve" | "worker", databaseUrl: string): Promise<Child> {
  return startFixtureProcess("packages/server/test/fixtures/split-process.ts", [role], {
    VEXIL_DATABASE_URL: databaseUrl,
    VEXIL_DATA_DIR: path.join(os.tmpdir(), "vexil-split-unused"),
    VEXIL_ADMIN_TOKEN: ADMIN_TOKEN,
    VEXIL_LOG_LEVEL: "warn",
    VEXIL_WORKERS: role === "worker" ? "1" : "0",
    VEXIL_AUTOMATION: "on",
    VEXIL_AUTOMATION_TICK_MS: String(TICK_MS),
    VEXIL_JOBS_POLL_MS: "100",
  });
}

/** A Requester over real HTTP to one process. */
function over(process: Child): Requester {
  return {
    async request(method, url, options = {}) {
      const token = options.token === undefined ? ADMIN_TOKEN : options.token;
      const headers: Record<string, string> = {};
      if (token !== null) headers.authorization = `Bearer ${token}`;
      if (options.body !== undefined) headers["content-type"] = "application/json";
      const response = await fetch(`${process.baseUrl}${url}`, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
    },
  };
}

const info = async (process: Child): Promise<ProcessInfo> =>
  (await (await fetch(`${process.baseUrl}/test/process`)).json()) as ProcessInfo;

describe.skipIf(!postgresUrl)("two API processes and one worker on one PostgreSQL database", () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let client: pg.Client;
  // The test's own view of the database (no HTTP, no workers): seeds the demo project and the traffic.
  let seed: Root;
  const children: Child[] = [];
  let worker: Child;
  let apiA: Child;
  let apiB: Child;

  beforeAll(async () => {
    database = await createPostgresDatabase(postgresUrl!, "vexil_split");
    seed = await openRoot(resolveConfig({ databaseUrl: database.url }, { VEXIL_ADMIN_TOKEN: ADMIN_TOKEN }), {
      logger: false,
    });
    await ensureDemoProject(seed.context);
    worker = await start("worker", database.url);
    apiA = await start("serve", database.url);
    apiB = await start("serve", database.url);
    children.push(worker, apiA, apiB);
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  }, 120_000);

  afterAll(async () => {
    await stopFixtureProcesses(children);
    await client?.end();
    await seed?.close();
    await database?.drop();
  });

  it("runs a report requested through API process A on the worker; API process B reads it", async () => {
    const a = over(apiA);
    const experiment = await createExperiment(a, { featureKey: "split", goals: [{ name: "Purchase" }] });
    await simulateInto(seed.context, {
      featureKey: "split",
      visitors: 2000,
      seed: 17,
      goals: [{ goalId: experiment.goalIds[0]!, rates: { off: 0.1, on: 0.12 } }],
    });
    const now = Date.now();
    const requested = performance.now();
    const response = await a.request("POST", `/feature-flags/${experiment.flagId}/results`, {
      body: {
        dateIntervals: [
          {
            start: new Date(now - 30 * 86_400_000).toISOString(),
            end: new Date(now + 86_400_000).toISOString(),
          },
        ],
        conversionType: "CONVERTED_VISITS",
      },
    });
    expect(response.status, response.text).toBe(200);

    const report = await waitForReport(over(apiB), response.body.dataCode as string);
    expect(report.status).toBe("READY");
    // For docs/deployment.md: how long a report takes end to end when API and worker are separate processes.
    console.log(
      `[split] report requested through A, run by the worker, READY through B after ${Math.round(performance.now() - requested)} ms`,
    );
    const [runs, onA, onB] = await Promise.all([info(worker), info(apiA), info(apiB)]);
    expect(runs.reportsRun).toBe(1);
    expect(onA.reportsRun).toBe(0);
    expect(onB.reportsRun).toBe(0);
  });

  it("ticks automation on the worker only", async () => {
    const probes = async () =>
      (
        await client.query("select after_json from audit_log where action = 'automation.probe' order by id")
      ).rows.map((row) => JSON.parse(row.after_json).pid as number);
    for (let i = 0; (await probes()).length < 3; i++) {
      if (i > 600) throw new Error("no automation ticks in 60 s");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const workerPid = (await info(worker)).pid;
    console.log(
      `[split] ${(await probes()).length} automation ticks, all run by the worker (pid ${workerPid})`,
    );
    expect(new Set(await probes())).toEqual(new Set([workerPid]));
    const lease = await client.query("select holder from scheduler_leases where name = 'automation'");
    expect(lease.rows[0].holder).toBe((await info(worker)).workerId);
  });
});
