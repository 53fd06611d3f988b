// Runs the OpenAPI fuzz cases (fuzz-cases.ts) against a real server on a seeded project (fuzz-world.ts) and
// collects what went wrong: a 5xx, no answer within the client timeout, a 4xx without its dialect's error
// body, or stored state that changed although the request was rejected.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FuzzCase, type Operation, operationsOf, pickCases } from "./fuzz-cases.js";
import {
  dialectOf,
  dumpDatabase,
  dumpDifference,
  errorBodyProblem,
  seedWorld,
  type World,
} from "./fuzz-world.js";
import { startTestServer, type TestServer } from "./harness.js";

/** Each request's client timeout: a server that stalls on one request fails the test instead of hanging it. */
const CLIENT_TIMEOUT_MS = 20_000;

export interface FuzzReport {
  operations: number;
  requests: number;
  byStatus: Record<string, number>;
  failures: string[];
  /** Milliseconds spent sending, dumping the database and seeding projects (where the run's time goes). */
  milliseconds: { send: number; dump: number; seed: number };
}

/** The fuzz test's server: real HTTP, no background workers, no rate limits (the fuzz sends thousands). */
export function startFuzzServer(): Promise<TestServer> {
  return startTestServer({
    listen: true,
    env: {
      VEXIL_WORKERS: "0",
      VEXIL_RATE_LIMIT_PER_MINUTE: "0",
      VEXIL_SDK_RATE_LIMIT_PER_MINUTE: "0",
      VEXIL_AUTH_FAILURES_PER_MINUTE: "0",
    },
  });
}

/** Which fuzz test file covers an operation: each file runs its own server, so vitest runs them side by side. */
export type FuzzGroup = "kameleoon" | "launchdarkly" | "public-sdk";

export function fuzzGroupOf(op: Operation): FuzzGroup {
  if (op.access === "public" || op.access === "sdk") return "public-sdk";
  return op.path.startsWith("/api/v2/") ? "launchdarkly" : "kameleoon";
}

/** The documented operations the filter selects, from the server's own /openapi.json. */
export async function documentedOperations(server: TestServer, select: (op: Operation) => boolean) {
  const document = (await server.request("GET", "/openapi.json")).body;
  return operationsOf(document).filter(select);
}

interface Sent {
  status: number;
  text: string;
}

async function send(server: TestServer, world: World, op: Operation, fuzz: FuzzCase): Promise<Sent> {
  const path = fuzz.path
    .replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(world.values[name] ?? "unknown"))
    .replaceAll("\u0002", "");
  const url = `${server.baseUrl}${path}${fuzz.query ? `?${fuzz.query}` : ""}`;
  const headers: Record<string, string> = { ...fuzz.headers };
  if (op.access === "sdk") headers.authorization ??= world.serverKey;
  else if (op.access !== "public")
    headers.authorization ??= `Bearer ${fuzz.asReader ? world.readerToken : server.adminToken}`;
  const response = await fetch(url, {
    method: op.method,
    headers,
    ...(fuzz.body === undefined ? {} : { body: fuzz.body }),
    signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
  });
  // SDK streams never end: their status and headers are the answer.
  if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
    await response.body?.cancel();
    return { status: response.status, text: "" };
  }
  return { status: response.status, text: await response.text() };
}

/** Event counts of the world's project: the event store is state too (event routes must not half-store). */
async function eventCounts(server: TestServer, world: World): Promise<string> {
  const response = await server.request("GET", `/admin/events?projectKey=${world.projectKey}`);
  return response.text;
}

const removesTarget = (op: Operation) =>
  op.method === "DELETE" || /\/(archive|rotate-keys|apiKey|mobileKey)$/.test(op.path);

const isEventRoute = (op: Operation) =>
  /^\/(events\/v1\/bulk|bulk|diagnostic|sdk\/v1\/evaluations|events\/bulk\/\{envId\}|events\/diagnostic\/\{envId\})$/.test(
    op.path,
  );

/**
 * Sends `count` cases of each operation (seeded), admin token but a `readerShare` of them with a reader
 * token. After each request: no 5xx, an answer, a 4xx in its dialect's body, and after a rejected
 * non-GET request every stored row as it was before it.
 */
export async function runFuzz(
  server: TestServer,
  operations: Operation[],
  options: { seed: number; count: number; readerShare: number; prefix: string },
): Promise<FuzzReport> {
  const report: FuzzReport = {
    operations: operations.length,
    requests: 0,
    byStatus: {},
    failures: [],
    milliseconds: { send: 0, dump: 0, seed: 0 },
  };
  const timed = async <T>(what: keyof FuzzReport["milliseconds"], work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      report.milliseconds[what] += performance.now() - start;
    }
  };
  let generation = 0;
  let world = await timed("seed", () => seedWorld(server, `${options.prefix}${generation}`));
  let baseline = await timed("dump", () => dumpDatabase(server));
  let baselineEvents = await eventCounts(server, world);
  for (const op of operations) {
    const cases = pickCases(op, (name) => world.values[name], options);
    for (const fuzz of cases) {
      const where = `${op.method} ${op.path} [${fuzz.label}]${fuzz.asReader ? " as reader" : ""}`;
      let sent: Sent;
      try {
        sent = await timed("send", () => send(server, world, op, fuzz));
      } catch (error) {
        report.failures.push(`${where}: no answer (${(error as Error).message})`);
        continue;
      } finally {
        report.requests++;
      }
      const statusClass = `${Math.floor(sent.status / 100)}xx`;
      report.byStatus[statusClass] = (report.byStatus[statusClass] ?? 0) + 1;
      if (sent.status >= 500) {
        report.failures.push(`${where}: ${sent.status} ${sent.text.slice(0, 160)}`);
        continue;
      }
      if (sent.status >= 400) {
        const problem = errorBodyProblem(dialectOf(op.path), sent.status, sent.text);
        if (problem) report.failures.push(`${where}: ${sent.status} ${problem}`);
      }
      if (op.method === "GET") continue;
      if (sent.status >= 400) {
        const after = await timed("dump", () => dumpDatabase(server));
        const difference = dumpDifference(baseline, after);
        if (difference)
          report.failures.push(`${where}: ${sent.status} but stored state changed: ${difference}`);
        if (isEventRoute(op)) {
          const events = await eventCounts(server, world);
          if (events !== baselineEvents)
            report.failures.push(`${where}: ${sent.status} but events were stored`);
          baselineEvents = events;
        }
        baseline = after;
        continue;
      }
      if (/^if-match (garbage|W\/"999999"|"-1")/.test(fuzz.label))
        report.failures.push(`${where}: ${sent.status}: a write with a stale If-Match must not succeed`);
      // Accepted: the change is legitimate. Start from a fresh project when it removed or replaced a target.
      if (removesTarget(op)) {
        generation++;
        const userId = world.values.userId;
        world = await timed("seed", () => seedWorld(server, `${options.prefix}${generation}`, userId));
      }
      baseline = await timed("dump", () => dumpDatabase(server));
      baselineEvents = await eventCounts(server, world);
    }
  }
  return report;
}

/**
 * The fuzz test of one group of operations: COUNT seeded cases per operation (fewer when an operation has
 * fewer), a tenth of the management ones with a reader token. Prints the request count per status class
 * and the CPU time of the run (server and client share this process), steadier than wall time.
 */
export function describeFuzz(group: FuzzGroup, options: { seed: number; count: number }) {
  const storage = process.env.VEXIL_TEST_POSTGRES_URL ? "postgres" : "sqlite";
  describe(`OpenAPI fuzz of the ${group} operations (${storage})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startFuzzServer();
    });
    afterAll(async () => server?.close());

    it("answers every bad request with a 4xx in its dialect's body, never a 5xx or a stall, and stores nothing", async () => {
      const operations = await documentedOperations(server, (op) => fuzzGroupOf(op) === group);
      expect(operations.length).toBeGreaterThan(0);
      const cpu = process.cpuUsage();
      const report = await runFuzz(server, operations, { ...options, readerShare: 0.1, prefix: "fz" });
      const used = process.cpuUsage(cpu);
      console.log(
        `fuzz ${group} (${storage}, seed ${options.seed}): ${report.operations} operations, ${report.requests} requests`,
        JSON.stringify(report.byStatus),
        `cpu ${((used.user + used.system) / 1e6).toFixed(1)} s`,
        JSON.stringify(
          Object.fromEntries(Object.entries(report.milliseconds).map(([k, v]) => [k, Math.round(v)])),
        ),
      );
      expect(report.failures).toEqual([]);
      // Every operation sent its cases: at least the path, query and header breakages each has.
      expect(report.requests).toBeGreaterThanOrEqual(report.operations * 5);
      expect(report.byStatus["4xx"] ?? 0).toBeGreaterThan(report.requests / 2);
    }, 1_200_000);
  });
}
