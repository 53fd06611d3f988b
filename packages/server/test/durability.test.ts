import { afterEach, describe, expect, it } from "vitest";
import { generateToken } from "../src/auth/tokens.store.js";
import { type ServeProcess, startServeProcess } from "./fixtures/serve-process.js";
import { startTestServer, storageOutlivingServers, testDatabaseKind } from "./harness.js";

// Issue 13's durability and concurrency guarantees (docs/security.md, "Durability and concurrency"):
// a real `vexil serve` process killed with SIGKILL while clients write loses no write it acknowledged, on
// the suite's storage (SQLite + DuckDB, or PostgreSQL with VEXIL_TEST_POSTGRES_URL); and of 20 PATCHes
// racing with the same If-Match exactly one wins.

const adminToken = generateToken();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function start(where: { dataDir: string; databaseUrl: string | undefined }): Promise<ServeProcess> {
  const server = await startServeProcess({ ...where, adminToken });
  cleanups.push(() => server.stop());
  return server;
}

async function call(
  server: ServeProcess,
  method: string,
  url: string,
  body?: unknown,
  headers = {},
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${adminToken}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Runs `writers` loops of `write(n)` until `stop()` says so; a loop ends at its first failed request. */
/** How many writes the current writeUntil has started (its stop condition may read it). */
let next = 0;
async function writeUntil(writers: number, write: (n: number) => Promise<boolean>, stop: () => boolean) {
  next = 0;
  const sent: number[] = [];
  const acknowledged: number[] = [];
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (!stop()) {
        const n = next++;
        sent.push(n);
        try {
          if (await write(n)) acknowledged.push(n);
        } catch {
          return; // the server is gone: this write's answer was lost
        }
      }
    }),
  );
  return { sent, acknowledged };
}

describe(`kill -9 during writes (${testDatabaseKind})`, () => {
  it("loses no acknowledged flag write: every created flag and every acknowledged change is there after restart", async () => {
    const where = await storageOutlivingServers("vexil-durability", cleanups);
    const first = await start(where);
    expect((await call(first, "POST", "/projects", { key: "durable", name: "Durable" })).status).toBe(201);
    // Each write creates a flag, then changes its description: two acknowledged writes to check.
    const changed = new Set<number>();
    let killing: Promise<void> | undefined;
    const { acknowledged } = await writeUntil(
      4,
      async (n) => {
        const created = await call(first, "POST", "/feature-flags", {
          siteCode: "durable",
          featureKey: `flag_${n}`,
          name: `Flag ${n}`,
        });
        if (created.status !== 201) return false;
        const patched = await call(first, "PATCH", `/feature-flags/durable/flag_${n}`, {
          description: "changed",
        });
        if (patched.status === 200) changed.add(n);
        return true;
      },
      () => {
        // Kill while the writers are busy, once a good number of writes were acknowledged.
        // (A bound on the attempts too, so a server refusing every write fails the test instead of hanging it.)
        if (changed.size >= 60 || next >= 1000) killing ??= first.kill9();
        return killing !== undefined;
      },
    );
    await killing;
    const second = await start(where);
    const list = await call(second, "GET", "/feature-flags?siteCode=durable&perPage=1000");
    expect(list.status).toBe(200);
    const stored = new Set((list.body as { featureKey: string }[]).map((f) => f.featureKey));
    const lost = acknowledged.filter((n) => !stored.has(`flag_${n}`));
    const lostChanges: number[] = [];
    for (const n of changed) {
      const flag = await call(second, "GET", `/feature-flags/durable/flag_${n}`);
      if (flag.body?.description !== "changed") lostChanges.push(n);
    }
    console.log(
      `flag writes: ${acknowledged.length} creations and ${changed.size} changes acknowledged before kill -9; lost ${lost.length}, ${lostChanges.length}`,
    );
    expect(acknowledged.length).toBeGreaterThanOrEqual(60);
    expect(lost).toEqual([]);
    expect(lostChanges).toEqual([]);
  }, 300_000);

  it("loses no acknowledged event batch, and a resent batch (same payload id) is stored once", async () => {
    const where = await storageOutlivingServers("vexil-durability", cleanups);
    const first = await start(where);
    expect((await call(first, "POST", "/projects", { key: "events", name: "Events" })).status).toBe(201);
    await call(first, "POST", "/goals", { siteCode: "events", name: "Purchase", key: "purchase" });
    const environment = await call(first, "GET", "/projects/events/environments/production");
    const BATCH = 100;
    const batch = (n: number) =>
      JSON.stringify(
        Array.from({ length: BATCH }, (_, i) => ({
          kind: "conversion",
          visitorCode: `v-${n}-${i}`,
          visitId: `v-${n}-${i}-1`,
          time: Date.now(),
          goal: "purchase",
          value: 1,
        })),
      );
    const post = async (server: ServeProcess, n: number) => {
      const response = await fetch(`${server.baseUrl}/events/v1/bulk`, {
        method: "POST",
        headers: {
          authorization: environment.body.serverSdkKey,
          "content-type": "application/json",
          "x-vexil-payload-id": `batch-${n}`,
        },
        body: batch(n),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      if (response.status !== 202) console.log("REFUSED", response.status, text);
      return response.status;
    };
    let killing: Promise<void> | undefined;
    let acknowledgedSoFar = 0;
    const { sent, acknowledged } = await writeUntil(
      4,
      async (n) => {
        const status = await post(first, n);
        if (status === 202) acknowledgedSoFar++;
        return status === 202;
      },
      () => {
        if (acknowledgedSoFar >= 40 || next >= 1000) killing ??= first.kill9();
        return killing !== undefined;
      },
    );
    await killing;
    const second = await start(where);
    const stored = async () => {
      const counts = await call(second, "GET", "/admin/events?projectKey=events");
      return (counts.body.counts as { count: number }[]).reduce((sum, row) => sum + row.count, 0);
    };
    const afterRestart = await stored();
    // Resend what was not acknowledged (it may or may not have been stored) and a few acknowledged ones.
    const resent = [...sent.filter((n) => !acknowledged.includes(n)), ...acknowledged.slice(0, 5)];
    for (const n of resent) expect(await post(second, n)).toBe(202);
    const afterResend = await stored();
    console.log(
      `event batches: ${acknowledged.length} of ${sent.length} acknowledged before kill -9; ${afterRestart} events after restart, ${afterResend} after resending ${resent.length}`,
    );
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);
    expect(afterRestart).toBeGreaterThanOrEqual(acknowledged.length * BATCH);
    // Exactly once: every batch sent, no more.
    expect(afterResend).toBe(sent.length * BATCH);
  }, 300_000);
});

describe(`racing If-Match writes (${testDatabaseKind})`, () => {
  it("of 20 PATCHes sent at once with the same If-Match, exactly one wins and the others get 409", async () => {
    const server = await startTestServer({ listen: true });
    cleanups.push(() => server.close());
    await server.request("POST", "/projects", { body: { key: "race", name: "Race" } });
    await server.request("POST", "/feature-flags", {
      body: { siteCode: "race", featureKey: "contended", name: "Contended" },
    });
    for (let round = 0; round < 5; round++) {
      const before = await server.request("GET", "/feature-flags/race/contended");
      const etag = before.headers.etag as string;
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          fetch(`${server.baseUrl}/feature-flags/race/contended`, {
            method: "PATCH",
            headers: {
              authorization: `Bearer ${server.adminToken}`,
              "content-type": "application/json",
              "if-match": etag,
            },
            body: JSON.stringify({ description: `writer ${i} of round ${round}` }),
            signal: AbortSignal.timeout(30_000),
          }).then(async (r) => ({ status: r.status, body: await r.json() })),
        ),
      );
      const winners = answers.filter((a) => a.status === 200);
      expect(winners).toHaveLength(1);
      expect(answers.filter((a) => a.status === 409)).toHaveLength(19);
      const after = await server.request("GET", "/feature-flags/race/contended");
      expect(after.body.version).toBe(before.body.version + 1);
      expect(after.body.description).toBe(winners[0]!.body.description);
    }
  }, 120_000);
});
