import { afterEach, describe, expect, it } from "vitest";
import { generateToken } from "../src/auth/tokens.store.js";
import { resolveConfig, type ServerConfig } from "../src/config.js";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import { RESULTS_REPORT_KIND } from "../src/results/report-job.js";
import {
  createExperiment,
  injector,
  type Requester,
  simulateInto,
  waitForReport,
} from "../src/results/results-simulation.test-support.js";
import { type OpenedServer, openServer } from "../src/server.js";
import { storageOutlivingServers, testDatabaseKind } from "./harness.js";

const DAY = 86_400_000;
const NOW = Date.now();
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Storage that outlives one server: a data directory (SQLite + DuckDB) or a PostgreSQL database. */
async function persistentStorage(): Promise<{ config: ServerConfig; adminToken: string }> {
  const adminToken = generateToken();
  const storage = await storageOutlivingServers("vexil-results-restart", cleanups);
  const config = resolveConfig(
    { ...storage, port: 0 },
    {
      VEXIL_ADMIN_TOKEN: adminToken,
      VEXIL_TOKEN_CACHE_MS: "0",
      VEXIL_LOG_LEVEL: "error",
      VEXIL_JOBS_POLL_MS: "50",
    },
  );
  return { config, adminToken };
}

interface Running {
  server: OpenedServer;
  api: Requester;
  close(): Promise<void>;
}

async function open(config: ServerConfig, adminToken: string, now?: () => number): Promise<Running> {
  const server = await openServer(config, { logger: { level: "error" }, ...(now ? { now } : {}) });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await server.context.jobs.stop();
    await server.close();
  };
  cleanups.push(close);
  return { server, api: injector(server, adminToken), close };
}

/** A server with an experiment and traffic, whose report handler blocks (until aborted) once it starts. */
async function startBlockedReport(config: ServerConfig, adminToken: string) {
  const first = await open(config, adminToken);
  await ensureDemoProject(first.server.context);
  const experiment = await createExperiment(first.api, {
    featureKey: "durable",
    goals: [{ name: "Purchase" }],
  });
  await simulateInto(first.server.context, {
    featureKey: "durable",
    visitors: 5000,
    seed: 4,
    goals: [{ goalId: experiment.goalIds[0]!, rates: { off: 0.1, on: 0.12 } }],
  });
  let started = false;
  first.server.context.jobs.register(
    RESULTS_REPORT_KIND,
    (_job, ctx) => {
      started = true;
      return new Promise((_resolve, reject) => {
        ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason));
      });
    },
    { leaseMs: 60_000 },
  );
  const response = await first.api.request("POST", `/feature-flags/${experiment.flagId}/results`, {
    body: {
      dateIntervals: [
        { start: new Date(NOW - 30 * DAY).toISOString(), end: new Date(NOW + DAY).toISOString() },
      ],
      conversionType: "CONVERTED_VISITS",
      visitorData: true,
    },
  });
  expect(response.status, response.text).toBe(200);
  const dataCode = response.body.dataCode as string;
  for (let i = 0; i < 500 && !started; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  const poll = await first.api.request("GET", `/results?dataCode=${dataCode}`);
  expect(poll.body.status).toBe("RUNNING");
  return { first, dataCode, experiment };
}

describe(`results durability (${testDatabaseKind})`, () => {
  it("finishes after a restart a report whose server died mid-run (lease expiry)", async () => {
    const { config, adminToken } = await persistentStorage();
    const { first, dataCode } = await startBlockedReport(config, adminToken);
    // A crash: the worker vanishes without handing its job back; the lease (60 s) stays.
    await first.server.context.jobs.stop({ abandon: true });
    await first.close();
    const job = await (async () => {
      const running = await open(config, adminToken, () => Date.now());
      const row = await running.server.context.jobs.find(RESULTS_REPORT_KIND, dataCode);
      await running.close();
      return row;
    })();
    expect(job).toMatchObject({ status: "RUNNING", attempts: 1 });
    // The next server's clock is past the lease: it claims the job again and finishes it.
    const second = await open(config, adminToken, () => Date.now() + 61_000);
    const done = await waitForReport(second.api, dataCode);
    expect(done.status).toBe("READY");
    expect(Object.keys(done.data.variationData)).toHaveLength(2);
    const finished = await second.server.context.jobs.find(RESULTS_REPORT_KIND, dataCode);
    expect(finished).toMatchObject({ status: "READY", attempts: 2 });
  });

  it("finishes after a restart a report interrupted by a graceful shutdown, at once", async () => {
    const { config, adminToken } = await persistentStorage();
    const { first, dataCode, experiment } = await startBlockedReport(config, adminToken);
    await first.close();
    const second = await open(config, adminToken);
    const done = await waitForReport(second.api, dataCode);
    expect(done.status).toBe("READY");
    const on = done.data.variationData[String(experiment.variationIds.on)].generalData;
    expect(on.visitorCount).toBeGreaterThan(2000);
    const finished = await second.server.context.jobs.find(RESULTS_REPORT_KIND, dataCode);
    expect(finished?.attempts).toBe(1);
  });
});
