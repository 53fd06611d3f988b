import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Job, JobRunner, RetryLater } from "../src/jobs/job-runner.js";
import { startTestServer, type TestServer, testDatabaseKind } from "./harness.js";

let server: TestServer;
const runners: JobRunner[] = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const runner of runners) await runner.stop();
  await server.close();
});

/** A runner on the test server's database, with its own clock. */
function runnerWith(options: { now?: () => number; pollMs?: number; concurrency?: number } = {}) {
  const runner = new JobRunner({
    db: server.context.db,
    dialect: server.context.database.dialect,
    now: options.now ?? Date.now,
    pollMs: options.pollMs ?? 20,
    concurrency: options.concurrency ?? 2,
  });
  runners.push(runner);
  return runner;
}

async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const settled = (job: Job | undefined) => job?.status === "READY" || job?.status === "FAILED";

let kindCounter = 0;
/** A kind no other test (or the server's own worker) claims. */
const freshKind = () => `test.kind${++kindCounter}`;

describe(`jobs (${testDatabaseKind})`, () => {
  it("runs a job to READY with its result and progress", async () => {
    const runner = runnerWith();
    const kind = freshKind();
    runner.register<{ n: number }, { doubled: number }>(kind, async (job, ctx) => {
      ctx.progress(50);
      return { doubled: job.payload.n * 2 };
    });
    runner.start();
    const { job, created } = await runner.enqueue({ kind, payload: { n: 21 } });
    expect(created).toBe(true);
    expect(job.status).toBe("PENDING");
    const done = await waitFor(() => runner.get(job.id), settled);
    expect(done).toMatchObject({ status: "READY", progress: 100, result: { doubled: 42 }, attempts: 1 });
    expect(done?.leaseOwner).toBeNull();
    expect(done?.finishedAt).toBeGreaterThan(0);
  });

  it("deduplicates by kind and key, and reruns a finished job only when asked", async () => {
    const runner = runnerWith();
    const kind = freshKind();
    let runs = 0;
    runner.register(kind, async (job: Job<{ v: number }>) => {
      runs++;
      return { v: job.payload.v };
    });
    runner.start();
    const [a, b] = await Promise.all([
      runner.enqueue({ kind, key: "k1", payload: { v: 1 } }),
      runner.enqueue({ kind, key: "k1", payload: { v: 2 } }),
    ]);
    expect(a.job.id).toBe(b.job.id);
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
    await waitFor(() => runner.get(a.job.id), settled);
    const kept = await runner.enqueue({ kind, key: "k1", payload: { v: 3 } });
    expect(kept).toMatchObject({ created: false, rerun: false });
    expect(kept.job.status).toBe("READY");
    const rerun = await runner.enqueue({ kind, key: "k1", payload: { v: 4 } }, { whenFinished: "rerun" });
    expect(rerun).toMatchObject({ created: false, rerun: true });
    expect(rerun.job).toMatchObject({ status: "PENDING", result: null, payload: { v: 4 } });
    const again = await waitFor(() => runner.get(a.job.id), settled);
    expect(again?.result).toEqual({ v: 4 });
    expect(runs).toBe(2);
  });

  it("retries a failing handler after the backoff (on the injected clock) and ends READY", async () => {
    let clock = 1_000_000;
    const runner = runnerWith({ now: () => clock });
    const kind = freshKind();
    let calls = 0;
    runner.register(
      kind,
      async () => {
        calls++;
        if (calls === 1) throw new Error("transient");
        return "ok";
      },
      { retryDelayMs: () => 60_000 },
    );
    runner.start();
    const { job } = await runner.enqueue({ kind, payload: {} });
    const waiting = await waitFor(
      () => runner.get(job.id),
      (j) => j?.status === "PENDING" && j.attempts === 1,
    );
    expect(waiting).toMatchObject({ error: "transient", runAfter: 1_000_000 + 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toBe(1);
    clock += 60_000;
    runner.wake();
    const done = await waitFor(() => runner.get(job.id), settled);
    expect(done).toMatchObject({ status: "READY", result: "ok", attempts: 2, error: null });
  });

  it("ends FAILED with the reason once attempts are used up", async () => {
    const runner = runnerWith();
    const kind = freshKind();
    runner.register(
      kind,
      async () => {
        throw new Error("the data is gone");
      },
      { retryDelayMs: (attempt, _error, job) => (attempt < job.maxAttempts ? 0 : null) },
    );
    runner.start();
    const { job } = await runner.enqueue({ kind, payload: {}, maxAttempts: 2 });
    const done = await waitFor(() => runner.get(job.id), settled);
    expect(done).toMatchObject({ status: "FAILED", error: "the data is gone", attempts: 2 });
  });

  it("defers with RetryLater without using up attempts", async () => {
    let clock = 5_000_000;
    const runner = runnerWith({ now: () => clock });
    const kind = freshKind();
    let calls = 0;
    runner.register(kind, async () => {
      calls++;
      if (calls < 3) throw new RetryLater(1000, "waiting for the report");
      return calls;
    });
    runner.start();
    const { job } = await runner.enqueue({ kind, key: "deferred", payload: {}, maxAttempts: 1 });
    await waitFor(
      () => runner.get(job.id),
      (j) => j?.error === "waiting for the report",
    );
    clock += 1000;
    await runner.runNow(kind, "defer");
    await waitFor(
      async () => calls,
      (n) => n >= 2,
    );
    clock += 1000;
    runner.wake();
    const done = await waitFor(() => runner.get(job.id), settled);
    expect(done).toMatchObject({ status: "READY", result: 3, attempts: 1 });
  });

  it("claims again a RUNNING job whose lease expired (its worker died) and runs it", async () => {
    let clock = 9_000_000;
    const runner = runnerWith({ now: () => clock });
    const kind = freshKind();
    runner.register(kind, async () => "recovered", { leaseMs: 10_000 });
    // A job a dead worker claimed: RUNNING, lease until clock + 5 s.
    const { job } = await runner.enqueue({ kind, payload: {}, runAfter: clock + 3_600_000 });
    await server.context.db
      .updateTable("jobs")
      .set({ status: "RUNNING", lease_owner: "dead-worker", lease_until: clock + 5000, attempts: 1 })
      .where("id", "=", job.id)
      .execute();
    runner.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await runner.get(job.id))?.status).toBe("RUNNING");
    clock += 5000;
    runner.wake();
    const done = await waitFor(() => runner.get(job.id), settled);
    expect(done).toMatchObject({ status: "READY", result: "recovered", attempts: 2 });
  });

  it("renews the lease while a handler runs, so another worker never takes the job over", async () => {
    // Both workers read one clock that only this test moves, so the outcome does not depend on how busy the
    // machine is: each step moves the clock two thirds of a lease on, then waits for a's renewal to land.
    // Without renewals the second step would put the clock past the lease and let b take the job over.
    let clock = Date.now();
    const now = () => clock;
    const leaseMs = 300;
    const kind = freshKind();
    const a = runnerWith({ now, pollMs: 10 });
    const b = runnerWith({ now, pollMs: 10 });
    const runs: string[] = [];
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    for (const [name, runner] of [
      ["a", a],
      ["b", b],
    ] as const) {
      runner.register(
        kind,
        async () => {
          runs.push(name);
          await gate;
          return name;
        },
        { leaseMs },
      );
    }
    const { job } = await a.enqueue({ kind, payload: {} });
    a.start();
    await waitFor(
      () => a.get(job.id),
      (current) => current?.status === "RUNNING",
    );
    b.start();
    const leaseUntil = async () =>
      Number(
        (
          await server.context.db
            .selectFrom("jobs")
            .select("lease_until")
            .where("id", "=", job.id)
            .executeTakeFirstOrThrow()
        ).lease_until,
      );
    for (let step = 0; step < 4; step++) {
      clock += 200;
      await waitFor(leaseUntil, (until) => until === clock + leaseMs);
      b.wake();
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    release();
    const done = await waitFor(() => a.get(job.id), settled);
    expect(done).toMatchObject({ status: "READY", result: "a" });
    expect(runs).toEqual(["a"]);
  });

  it("hands running jobs back on a graceful stop; the next start finishes them", async () => {
    const kind = freshKind();
    const first = runnerWith();
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    first.register(kind, (_job, ctx) => {
      started();
      return new Promise((_resolve, reject) => {
        ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason));
      });
    });
    first.start();
    const { job } = await first.enqueue({ kind, payload: {} });
    await running;
    await first.stop();
    const released = await first.get(job.id);
    expect(released).toMatchObject({ status: "PENDING", attempts: 0, leaseOwner: null });
    const second = runnerWith();
    second.register(kind, async () => "finished after restart");
    second.start();
    const done = await waitFor(() => second.get(job.id), settled);
    expect(done).toMatchObject({ status: "READY", result: "finished after restart" });
  });

  it("runs each of many jobs exactly once across two workers", async () => {
    const kind = freshKind();
    const seen = new Map<number, number>();
    const workers = [runnerWith({ concurrency: 4, pollMs: 5 }), runnerWith({ concurrency: 4, pollMs: 5 })];
    for (const worker of workers) {
      worker.register(kind, async (job: Job<{ i: number }>) => {
        seen.set(job.payload.i, (seen.get(job.payload.i) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 2));
        return job.payload.i;
      });
    }
    const ids: number[] = [];
    for (let i = 0; i < 60; i++) ids.push((await workers[0]!.enqueue({ kind, payload: { i } })).job.id);
    for (const worker of workers) worker.start();
    for (const id of ids) await waitFor(() => workers[0]!.get(id), settled);
    expect(seen.size).toBe(60);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
  });
});
