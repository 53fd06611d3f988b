// The automation scheduler (docs/automation.md): a lease row elects one leader, each task's tick is a job
// keyed by its time slot so no slot runs twice, time comes from the injectable clock. In one process on
// the suite's database (SQLite, or PostgreSQL with VEXIL_TEST_POSTGRES_URL), then with two real server
// processes on one PostgreSQL database, one of them killed with SIGKILL.

import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AutomationTask } from "../src/automation/automation-tasks.js";
import { AutomationScheduler, slotKey, tickJobKind } from "../src/automation/scheduler.js";
import { schedulerLeaseStore } from "../src/automation/scheduler-lease.store.js";
import { resolveConfig } from "../src/config.js";
import { type FixtureProcess, startFixtureProcess } from "./fixtures/fixture-process.js";
import { createPostgresDatabase, startTestServer, type TestServer, testDatabaseKind } from "./harness.js";

const MINUTE = 60_000;
const T0 = Date.parse("2026-11-21T10:01:00.000Z");

describe(`scheduler in one process (${testDatabaseKind})`, () => {
  let clock = T0 + 1000;
  let server: TestServer;
  // Slot keys, once per run (polls of earlier tests may still run their slots: count per key).
  const runs: string[] = [];
  const runsOf = (key: string) => runs.filter((run) => run === key).length;
  const probe: AutomationTask = {
    kind: "probe",
    intervalMs: () => MINUTE,
    run: async (_context, now, tick) => {
      runs.push(tick.key);
      return { now, slot: tick.slotStart };
    },
  };
  const scheduler = (holderId: string) =>
    new AutomationScheduler(server.context, { tasks: [probe], holderId, mode: "manual", leaseMs: 15_000 });

  beforeAll(async () => {
    server = await startTestServer({ now: () => clock });
  });
  afterAll(async () => server?.close());

  it("elects one leader with the lease row; another takes over once the lease ran out", async () => {
    const a = scheduler("replica-a");
    const b = scheduler("replica-b");
    expect((await a.poll()).leader).toBe(true);
    expect((await b.poll()).leader).toBe(false);
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    // The leader renews; the other keeps waiting.
    clock += 10_000;
    expect((await a.poll()).leader).toBe(true);
    clock += 10_000;
    expect((await b.poll()).leader).toBe(false);
    // The leader stops renewing (dies): 15 s after its last renewal, the other takes over.
    clock += 5_001;
    expect((await b.poll()).leader).toBe(true);
    expect((await a.poll()).leader).toBe(false);
    expect(await schedulerLeaseStore.read(server.context.db)).toEqual({
      holder: "replica-b",
      leaseUntil: clock + 15_000,
    });
    // A graceful stop releases the lease at once.
    await b.stop();
    expect((await a.poll()).leader).toBe(true);
    await a.stop();
  });

  it("runs a slot once: the key is the slot, whoever enqueues it and however often", async () => {
    clock = T0 + 5 * MINUTE + 1000;
    const a = scheduler("replica-a");
    const b = scheduler("replica-b");
    const [first] = await a.runDueTicks();
    const slot = T0 + 5 * MINUTE;
    expect(first).toMatchObject({
      kind: "probe",
      key: `probe:${new Date(slot).toISOString()}`,
      slotStart: slot,
      status: "READY",
      result: { now: clock, slot, ranBy: server.context.jobs.workerId, ranAt: new Date(clock).toISOString() },
    });
    expect(first!.key).toBe(slotKey("probe", slot));
    // Asked again in the same slot: the finished job answers, nothing runs.
    expect((await a.runDueTicks())[0]!.jobId).toBe(first!.jobId);
    // Leadership changes in the middle of the slot: the new leader enqueues the same key.
    clock += 20_000;
    expect((await b.poll()).leader).toBe(true);
    expect((await b.runDueTicks())[0]!.jobId).toBe(first!.jobId);
    expect(runsOf(first!.key)).toBe(1);
    // The next slot is a new tick.
    clock += MINUTE;
    const [next] = await b.runDueTicks();
    expect(next!.jobId).not.toBe(first!.jobId);
    expect(next!.key).toBe(slotKey("probe", slot + MINUTE));
    expect([runsOf(first!.key), runsOf(next!.key)]).toEqual([1, 1]);
    const job = await server.context.jobs.find(tickJobKind("probe"), next!.key);
    expect(job).toMatchObject({ status: "READY", attempts: 1, payload: { enqueuedBy: "replica-b" } });
    await a.stop();
    await b.stop();
  });

  it("waits for the leader's tick when another process leads", async () => {
    clock = T0 + 20 * MINUTE;
    const a = scheduler("replica-a");
    const b = scheduler("replica-b");
    expect((await a.poll()).leader).toBe(true);
    // b does not lead: it finds the slot's job a enqueued.
    const [outcome] = await b.runDueTicks();
    expect(outcome).toMatchObject({ status: "READY", key: slotKey("probe", T0 + 20 * MINUTE) });
    expect(runsOf(outcome!.key)).toBe(1);
    await a.stop();
  });

  it("reports a failed tick, and the task list rejects bad kinds", async () => {
    const failing: AutomationTask = {
      kind: "failing",
      intervalMs: () => MINUTE,
      run: async () => {
        throw new Error("boom");
      },
    };
    clock = T0 + 30 * MINUTE;
    const s = new AutomationScheduler(server.context, { tasks: [failing], mode: "manual", holderId: "x" });
    const [outcome] = await s.runDueTicks();
    expect(outcome).toMatchObject({ status: "PENDING", error: "boom" });
    await s.stop();
    expect(() => new AutomationScheduler(server.context, { tasks: [probe, probe], mode: "manual" })).toThrow(
      /unique/,
    );
    expect(
      () =>
        new AutomationScheduler(server.context, { tasks: [{ ...probe, kind: "Bad kind" }], mode: "manual" }),
    ).toThrow(/\[a-z0-9-\]/);
  });

  it("is off with VEXIL_AUTOMATION=off, and ticks by itself with on", async () => {
    const off = await startTestServer({ env: { VEXIL_AUTOMATION: "off" } });
    try {
      await expect(off.automation.runDueTicks()).rejects.toThrow(/automation is off/);
      expect(off.context.jobs.handlerOf(tickJobKind("progressive"))).toBeUndefined();
    } finally {
      await off.close();
    }
    // Background polling on the real clock: the leader enqueues the current slots by itself.
    const on = await startTestServer({ env: { VEXIL_AUTOMATION: "on", VEXIL_SCHEDULER_LEASE_MS: "300" } });
    try {
      const deadline = Date.now() + 10_000;
      let done: unknown;
      while (!done && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const slot = slotKey("health", Math.floor(Date.now() / MINUTE) * MINUTE);
        const job = await on.context.jobs.find(tickJobKind("health"), slot);
        if (job?.status === "READY") done = job;
      }
      expect(done).toBeTruthy();
      expect(on.automation.isLeader()).toBe(true);
    } finally {
      await on.close();
    }
  });

  it("reads its settings from VEXIL_* variables", () => {
    const defaults = resolveConfig({}, {});
    expect(defaults).toMatchObject({
      automation: "on",
      automationTickMs: 60_000,
      banditIntervalMs: 3_600_000,
      schedulerLeaseMs: 15_000,
      flagStaleDays: 15,
    });
    const set = resolveConfig(
      {},
      {
        VEXIL_AUTOMATION: "manual",
        VEXIL_AUTOMATION_TICK_MS: "1000",
        VEXIL_BANDIT_INTERVAL_MS: "5000",
        VEXIL_SCHEDULER_LEASE_MS: "2000",
        VEXIL_FLAG_STALE_DAYS: "30",
      },
    );
    expect(set).toMatchObject({
      automation: "manual",
      automationTickMs: 1000,
      banditIntervalMs: 5000,
      schedulerLeaseMs: 2000,
      flagStaleDays: 30,
    });
    expect(resolveConfig({}, { VEXIL_AUTOMATION: "false" }).automation).toBe("off");
    expect(() => resolveConfig({}, { VEXIL_AUTOMATION: "sometimes" })).toThrow(/VEXIL_AUTOMATION/);
    expect(() => resolveConfig({}, { VEXIL_AUTOMATION_TICK_MS: "0" })).toThrow(/positive/);
  });
});

const postgresUrl = process.env.VEXIL_TEST_POSTGRES_URL;
const TICK_MS = 1000;
const LEASE_MS = 3000;

type Replica = FixtureProcess;

interface ReplicaStatus {
  pid: number;
  holderId: string;
  leader: boolean;
}

/** A server process (test/fixtures/automation-replica.ts) on the shared database; resolves once it listens. */
function startReplica(databaseUrl: string): Promise<Replica> {
  return startFixtureProcess("packages/server/test/fixtures/automation-replica.ts", [], {
    VEXIL_DATABASE_URL: databaseUrl,
    // PostgreSQL holds everything; the data directory is not written.
    VEXIL_DATA_DIR: path.join(os.tmpdir(), "vexil-replica-unused"),
    VEXIL_ADMIN_TOKEN: "vx_test_replicas_admin_token",
    VEXIL_LOG_LEVEL: "warn",
    VEXIL_AUTOMATION: "on",
    VEXIL_AUTOMATION_TICK_MS: String(TICK_MS),
    VEXIL_SCHEDULER_LEASE_MS: String(LEASE_MS),
    VEXIL_JOBS_POLL_MS: "200",
  });
}

async function statusOf(replica: Replica): Promise<ReplicaStatus> {
  const response = await fetch(`${replica.baseUrl}/test/automation`);
  return (await response.json()) as ReplicaStatus;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!postgresUrl)("scheduler with two server processes on one PostgreSQL database", () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let client: pg.Client;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase(postgresUrl!, "vexil_scheduler");
    // One after the other, so the second finds the schema migrated.
    replicas.push(await startReplica(database.url));
    replicas.push(await startReplica(database.url));
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  }, 120_000);

  afterAll(async () => {
    for (const replica of replicas) {
      if (replica.child.exitCode === null && replica.child.signalCode === null) replica.child.kill("SIGTERM");
      await replica.exited;
    }
    await client?.end();
    await database?.drop();
  });

  /** Both processes' view, sampled `count` times: exactly one leader each time; answers it. */
  async function theLeader(alive: Replica[], count: number): Promise<ReplicaStatus> {
    let leader: ReplicaStatus | undefined;
    for (let i = 0; i < count; i++) {
      const statuses = await Promise.all(alive.map(statusOf));
      const leaders = statuses.filter((s) => s.leader);
      expect(leaders, JSON.stringify(statuses)).toHaveLength(1);
      if (leader) expect(leaders[0]!.holderId).toBe(leader.holderId);
      leader = leaders[0]!;
      await sleep(100);
    }
    const lease = await client.query("select holder from scheduler_leases where name = 'automation'");
    expect(lease.rows[0].holder).toBe(leader!.holderId);
    return leader!;
  }

  /** Probe runs per slot key (audit entries written by the probe task). */
  async function probeRuns(): Promise<Map<string, number>> {
    const result = await client.query(
      "select resource_id, count(*)::int as runs from audit_log where action = 'automation.probe' group by resource_id",
    );
    return new Map(result.rows.map((row) => [row.resource_id as string, row.runs as number]));
  }

  it("has one leader, runs every slot once, and survives a SIGKILL of the leader", async () => {
    // Wait for the first slots, then check leadership over ~3 s.
    const deadline = Date.now() + 30_000;
    while ((await probeRuns()).size < 2) {
      if (Date.now() > deadline) throw new Error("no probe ticks");
      await sleep(100);
    }
    const first = await theLeader(replicas, 30);
    const leaderReplica = replicas.find((r) => r.child.pid === first.pid)!;
    const survivor = replicas.find((r) => r.child.pid !== first.pid)!;

    // Kill the leader while no probe tick runs or is about to (never in the middle of one: a tick killed
    // mid-run is run again by another worker, at least once).
    for (;;) {
      const busy = await client.query(
        "select count(*)::int as n from jobs where kind = 'automation.probe' and status <> 'READY'",
      );
      const untilNextSlot = TICK_MS - (Date.now() % TICK_MS);
      if (busy.rows[0].n === 0 && untilNextSlot > 300) break;
      await sleep(10);
    }
    const killedAt = Date.now();
    leaderReplica.child.kill("SIGKILL");
    await leaderReplica.exited;

    // The survivor takes over once the lease has run out, and ticks go on.
    let takeoverMs = 0;
    for (;;) {
      if ((await statusOf(survivor)).leader) {
        takeoverMs = Date.now() - killedAt;
        break;
      }
      if (Date.now() - killedAt > 10_000) throw new Error("the survivor never took over");
      await sleep(20);
    }
    expect(takeoverMs).toBeLessThan(LEASE_MS + 2000);
    const second = await theLeader([survivor], 5);
    expect(second.pid).toBe(survivor.child.pid);
    const resumed = Date.now();
    while (Date.now() - resumed < 3 * TICK_MS) await sleep(100);

    // Every slot ran exactly once, enqueued by whoever led at the time.
    const runs = await probeRuns();
    expect(
      [...runs.values()].every((n) => n === 1),
      JSON.stringify([...runs]),
    ).toBe(true);
    const jobs = await client.query(
      "select key, status, attempts, payload::json->>'enqueuedBy' as by, (payload::json->>'slotStart')::bigint as slot from jobs where kind = 'automation.probe' order by slot",
    );
    expect(jobs.rows.length).toBe(runs.size);
    for (const job of jobs.rows) {
      expect(job).toMatchObject({ status: "READY", attempts: 1 });
      expect(runs.get(job.key)).toBe(1);
      expect([first.holderId, second.holderId]).toContain(job.by);
      if (Number(job.slot) > killedAt) expect(job.by).toBe(second.holderId);
    }
    // Slots after the takeover: consecutive, at most the lease's worth missing around the kill.
    const slots = jobs.rows.map((job) => Number(job.slot));
    const after = slots.filter((slot) => slot > killedAt);
    expect(after.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < after.length; i++) expect(after[i]! - after[i - 1]!).toBe(TICK_MS);
    const gap = Math.max(...slots.slice(1).map((slot, i) => slot - slots[i]!));
    expect(gap).toBeLessThanOrEqual(TICK_MS * Math.ceil((LEASE_MS + 1000) / TICK_MS + 1));
    // The built-in tasks ran on the same slots, each once.
    const builtIn = await client.query(
      "select kind, count(*)::int as n, count(distinct key)::int as keys from jobs where kind in ('automation.progressive', 'automation.health') group by kind",
    );
    for (const row of builtIn.rows) expect(row.n).toBe(row.keys);
    expect(builtIn.rows.map((row) => row.kind).sort()).toEqual([
      "automation.health",
      "automation.progressive",
    ]);
    console.log(
      `scheduler: ${runs.size} slots of ${TICK_MS} ms, each run once; takeover ${takeoverMs} ms after SIGKILL (lease ${LEASE_MS} ms)`,
    );
  }, 120_000);
});
