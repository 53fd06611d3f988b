import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateToken } from "../src/auth/tokens.store.js";
import { resolveConfig, type ServerConfig } from "../src/config.js";
import { type OpenedServer, openServer } from "../src/server.js";
import { createScratchDatabase } from "../src/storage/scratch-database.test-support.js";
import { checkResponses } from "./response-check.js";

/**
 * Where the suite keeps its data: PostgreSQL when VEXIL_TEST_POSTGRES_URL is set (each test server gets a
 * fresh database, dropped on close), else SQLite (and DuckDB) in a fresh temporary directory.
 */
export const testDatabaseKind = process.env.VEXIL_TEST_POSTGRES_URL ? "postgres" : "sqlite";

/** Creates an empty PostgreSQL database next to the admin URL's; returns its URL and a function dropping it. */
export function createPostgresDatabase(adminUrl: string, prefix = "vexil_test") {
  return createScratchDatabase(
    adminUrl,
    `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`,
  );
}

/**
 * Storage that outlives one server, for restart tests: a fresh data directory, and a fresh PostgreSQL database
 * when the suite runs on PostgreSQL. What removes both is pushed onto `cleanups`.
 */
export async function storageOutlivingServers(
  prefix: string,
  cleanups: (() => unknown)[],
): Promise<{ dataDir: string; databaseUrl: string | undefined }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const postgres = process.env.VEXIL_TEST_POSTGRES_URL
    ? await createPostgresDatabase(process.env.VEXIL_TEST_POSTGRES_URL)
    : undefined;
  cleanups.push(async () => {
    await postgres?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return { dataDir, databaseUrl: postgres?.url };
}

export interface TestServer extends OpenedServer {
  adminToken: string;
  /** Base URL when started with `listen: true`. */
  baseUrl: string;
  config: ServerConfig;
  /** A request through fastify.inject with the admin token unless another (or null) is given. */
  request(
    method: string,
    url: string,
    options?: { token?: string | null; body?: unknown; headers?: Record<string, string>; rawBody?: string },
    // biome-ignore lint/suspicious/noExplicitAny: tests index response bodies freely, as JSON
  ): Promise<{ status: number; body: any; headers: Record<string, unknown>; text: string }>;
}

/** Starts a real server on real storage for one test file. */
export async function startTestServer(
  options: { listen?: boolean; now?: () => number; env?: Record<string, string> } = {},
): Promise<TestServer> {
  const adminToken = generateToken();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vexil-test-"));
  const postgres = process.env.VEXIL_TEST_POSTGRES_URL
    ? await createPostgresDatabase(process.env.VEXIL_TEST_POSTGRES_URL)
    : undefined;
  const config = resolveConfig(
    { dataDir, databaseUrl: postgres?.url, port: 0 },
    {
      VEXIL_ADMIN_TOKEN: adminToken,
      VEXIL_TOKEN_CACHE_MS: "0",
      VEXIL_LOG_LEVEL: "error",
      // Automation ticks only when a test asks (server.automation.runDueTicks()), never behind its back.
      VEXIL_AUTOMATION: "manual",
      ...options.env,
    },
  );
  const server = await openServer(config, {
    logger: { level: "error" },
    ...(options.now ? { now: options.now } : {}),
  });
  // Every response of every test is checked against its route's response schema; close() reports misses.
  const responseCheck = checkResponses(server.app);
  let baseUrl = "";
  if (options.listen) baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });

  return {
    ...server,
    adminToken,
    baseUrl,
    config,
    async request(method, url, requestOptions = {}) {
      const token = requestOptions.token === undefined ? adminToken : requestOptions.token;
      const headers: Record<string, string> = { ...requestOptions.headers };
      if (token !== null) headers.authorization ??= `Bearer ${token}`;
      let payload: string | undefined = requestOptions.rawBody;
      if (requestOptions.body !== undefined) {
        payload = JSON.stringify(requestOptions.body);
        headers["content-type"] ??= "application/json";
      }
      const response = await server.app.inject({
        method: method as "GET",
        url,
        headers,
        ...(payload === undefined ? {} : { payload }),
      });
      let body: unknown;
      try {
        body = response.body ? JSON.parse(response.body) : undefined;
      } catch {
        body = undefined;
      }
      return { status: response.statusCode, body, headers: response.headers, text: response.body };
    },
    async close() {
      await server.close();
      await postgres?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      const violations = responseCheck.violations();
      if (violations.length > 0)
        throw new Error(`responses that do not match their schema:\n${violations.slice(0, 20).join("\n")}`);
    },
  };
}
