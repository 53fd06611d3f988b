// Several processes on one PostgreSQL database stay in step through LISTEN/NOTIFY. Needs
// VEXIL_TEST_POSTGRES_URL (scripts/check.sh sets it for its PostgreSQL pass); skipped on SQLite.

import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateToken } from "../src/auth/tokens.store.js";
import { resolveConfig } from "../src/config.js";
import { CHANGES_CHANNEL } from "../src/sdk-delivery/postgres-fanout.js";
import { type OpenedServer, openServer } from "../src/server.js";
import { archiveUnannounced } from "./fixtures/unannounced-change.js";
import { createPostgresDatabase } from "./harness.js";
import { openSseStream } from "./sse-client.js";

const postgresUrl = process.env.VEXIL_TEST_POSTGRES_URL;
if (!postgresUrl) {
  console.warn(
    "sdk-delivery-postgres.test.ts: SKIPPED - set VEXIL_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) " +
      "to test change fan-out across processes through PostgreSQL LISTEN/NOTIFY",
  );
}

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** Opens /sdk/v1/stream; waits up to 10 s for an event (changes cross processes and PostgreSQL). */
async function openStream(baseUrl: string, key: string) {
  const stream = await openSseStream(baseUrl, key, { timeoutMs: 10_000 });
  expect(stream.status).toBe(200);
  return stream;
}

async function api(baseUrl: string, token: string, method: string, url: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe.skipIf(!postgresUrl)("change fan-out through PostgreSQL LISTEN/NOTIFY", () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  beforeAll(async () => {
    database = await createPostgresDatabase(postgresUrl!, "vexil_fanout");
  });
  afterAll(async () => database?.drop());

  describe("two server processes (vexil serve) on one database", () => {
    const adminToken = generateToken();
    const processes: { child: ChildProcess; baseUrl: string; dataDir: string; exited: Promise<unknown> }[] =
      [];

    /** Starts `vexil serve` from the sources in a child process; resolves once it listens. */
    async function startProcess() {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vexil-replica-"));
      const child = spawn(
        process.execPath,
        [
          "--conditions=source",
          "--import",
          "tsx",
          "packages/server/src/cli.ts",
          "serve",
          "--port",
          "0",
          "--data-dir",
          dataDir,
          "--database-url",
          database.url,
        ],
        {
          cwd: repositoryRoot,
          env: {
            ...process.env,
            VEXIL_ADMIN_TOKEN: adminToken,
            VEXIL_LOG_LEVEL: "warn",
            VEXIL_TOKEN_CACHE_MS: "0",
          },
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      const exited = new Promise((resolve) => child.once("exit", resolve));
      const baseUrl = await new Promise<string>((resolve, reject) => {
        let output = "";
        // A start-up from the sources takes 10-15 s on a loaded 2-core machine; a stuck one fails here,
        // with its output, rather than as the test's time-out.
        const stuck = setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`vexil serve did not listen within 50 s:\n${output}`));
        }, 50_000);
        child.stdout!.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          const match = /running at (http:\/\/\S+)/.exec(output);
          if (match) {
            clearTimeout(stuck);
            resolve(match[1]!);
          }
        });
        child.once("exit", (code) => {
          clearTimeout(stuck);
          reject(new Error(`vexil serve exited (${code}):\n${output}`));
        });
      });
      processes.push({ child, baseUrl, dataDir, exited });
      return baseUrl;
    }

    afterAll(async () => {
      for (const { child, dataDir, exited } of processes) {
        child.kill("SIGTERM");
        await exited;
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });

    it("delivers a PATCH made through one process to an SDK stream connected to the other", async () => {
      // One after the other, so the second finds the schema migrated.
      const first = await startProcess();
      const second = await startProcess();
      expect(
        (await api(first, adminToken, "POST", "/projects", { key: "replicated", name: "R" })).status,
      ).toBe(201);
      const created = await api(first, adminToken, "POST", "/feature-flags", {
        siteCode: "replicated",
        featureKey: "checkout",
        name: "Checkout",
        environmentConfigurations: [
          {
            environmentKey: "production",
            featureEnabled: true,
            defaultVariationKey: "off",
            rolloutRules: [],
          },
        ],
      });
      expect(created.status).toBe(201);
      const project = await api(second, adminToken, "GET", "/projects/replicated");
      const key = project.body.environments.find((e: { key: string }) => e.key === "production").serverSdkKey;

      const stream = await openStream(second, key);
      try {
        const put = await stream.next((m) => m.event === "put");
        expect(JSON.parse(put.data).flags.checkout).toMatchObject({ enabled: true });

        const patched = await api(
          first,
          adminToken,
          "PATCH",
          "/feature-flags/replicated/checkout/production",
          {
            featureEnabled: false,
          },
        );
        expect(patched.status).toBe(200);
        const patch = await stream.next((m) => m.event === "patch");
        expect(Number(patch.id)).toBeGreaterThan(Number(put.id));
        expect(JSON.parse(patch.data)).toMatchObject({
          kind: "flag",
          key: "checkout",
          flag: { enabled: false },
        });

        // The other process's config cache moved too.
        const config = await fetch(`${second}/sdk/v1/config`, { headers: { authorization: key } });
        expect(config.headers.get("etag")).toBe(`"${patch.id}"`);

        const archived = await api(first, adminToken, "POST", "/feature-flags/replicated/checkout/archive");
        expect(archived.status).toBe(200);
        const tombstone = await stream.next((m) => m.event === "delete");
        expect(JSON.parse(tombstone.data)).toMatchObject({ kind: "flag", key: "checkout" });
      } finally {
        stream.close();
      }
    }, 120_000);
  });

  describe("two servers in this process (two buses, two listeners)", () => {
    const servers: OpenedServer[] = [];
    const baseUrls: string[] = [];
    const adminToken = generateToken();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vexil-fanout-"));
    let projects = 0;

    beforeAll(async () => {
      for (let i = 0; i < 2; i++) {
        const config = resolveConfig(
          { dataDir, databaseUrl: database.url, port: 0 },
          { VEXIL_ADMIN_TOKEN: adminToken, VEXIL_TOKEN_CACHE_MS: "0", VEXIL_LOG_LEVEL: "error" },
        );
        const server = await openServer(config, { logger: { level: "error" } });
        servers.push(server);
        baseUrls.push(await server.app.listen({ port: 0, host: "127.0.0.1" }));
      }
    });
    afterAll(async () => {
      for (const server of servers) await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    /**
     * A project of the test's own, made through the first server, with flag `checkout` on in production;
     * returns its key and production server SDK key (read through the second server).
     */
    async function createProject(): Promise<{ projectKey: string; key: string }> {
      const projectKey = `shop-${++projects}`;
      expect(
        (await api(baseUrls[0]!, adminToken, "POST", "/projects", { key: projectKey, name: "Shop" })).status,
      ).toBe(201);
      const created = await api(baseUrls[0]!, adminToken, "POST", "/feature-flags", {
        siteCode: projectKey,
        featureKey: "checkout",
        name: "Checkout",
        environmentConfigurations: [
          {
            environmentKey: "production",
            featureEnabled: true,
            defaultVariationKey: "off",
            rolloutRules: [],
          },
        ],
      });
      expect(created.status).toBe(201);
      const project = await api(baseUrls[1]!, adminToken, "GET", `/projects/${projectKey}`);
      const key = project.body.environments.find((e: { key: string }) => e.key === "production").serverSdkKey;
      return { projectKey, key };
    }

    /** Turns checkout off or on in production through the first server. */
    async function toggle(projectKey: string, featureEnabled: boolean) {
      const url = `/feature-flags/${projectKey}/checkout/production`;
      expect((await api(baseUrls[0]!, adminToken, "PATCH", url, { featureEnabled })).status).toBe(200);
    }

    /** A client connected to the test database (the caller ends it). */
    async function connectDatabase() {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      return client;
    }

    it("delivers a change committed in one server to the streams of the other, once", async () => {
      const { projectKey, key } = await createProject();
      const remote = await openStream(baseUrls[1]!, key);
      const local = await openStream(baseUrls[0]!, key);
      try {
        await remote.next((m) => m.event === "put");
        await local.next((m) => m.event === "put");
        let remoteReloads = 0;
        const stop = servers[1]!.app.sdkDelivery.onReload((feed) => {
          if (feed.projectKey === projectKey) remoteReloads++;
        });
        try {
          await toggle(projectKey, false);
          const patches = [];
          for (const stream of [local, remote]) {
            const patch = await stream.next((m) => m.event === "patch");
            expect(JSON.parse(patch.data).flag).toMatchObject({ key: "checkout", enabled: false });
            patches.push(patch.id);
          }
          expect(patches[1]).toBe(patches[0]);
          // The remote process heard it once (its own notification is ignored, a remote one is not re-sent).
          await new Promise((resolve) => setTimeout(resolve, 300));
          expect(remoteReloads).toBe(1);
        } finally {
          stop();
        }
      } finally {
        remote.close();
        local.close();
      }
    });

    it("reconnects a dropped listener and reloads what it may have missed", async () => {
      const { projectKey, key } = await createProject();
      const stream = await openStream(baseUrls[1]!, key);
      const admin = await connectDatabase();
      let resyncs = 0;
      const stop = servers[1]!.context.changes.subscribeResync(() => resyncs++);
      try {
        const put = await stream.next((m) => m.event === "put");
        // Changed while the change listeners are cut off: no notification reaches them. (Each server
        // also LISTENs for token revocations; those connections are left alone.)
        const killed = await admin.query(
          "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike $1",
          [`LISTEN ${CHANGES_CHANNEL}%`],
        );
        expect(killed.rowCount).toBe(2);
        await toggle(projectKey, false);
        const patch = await stream.next((m) => m.event === "patch");
        expect(Number(patch.id)).toBeGreaterThan(Number(put.id));
        expect(JSON.parse(patch.data).flag).toMatchObject({ enabled: false });
        // The listener came back and asked every cache to reload.
        expect(resyncs).toBeGreaterThanOrEqual(1);
      } finally {
        stop();
        await admin.end();
        stream.close();
      }
    });

    it("reloads on the periodic version check when a notification was lost", async () => {
      const { projectKey, key } = await createProject();
      const stream = await openStream(baseUrls[1]!, key);
      try {
        await stream.next((m) => m.event === "put");
        // Committed elsewhere, notification lost: storage moved, nobody was told.
        const version = await archiveUnannounced(servers[0]!.context.db, projectKey, "checkout");
        await servers[1]!.app.sdkDelivery.reconcile();
        const tombstone = await stream.next((m) => m.event === "delete");
        expect(tombstone.id).toBe(String(version));
        expect(JSON.parse(tombstone.data)).toEqual({ kind: "flag", key: "checkout", version });
      } finally {
        stream.close();
      }
    });

    it("ignores malformed notifications", async () => {
      const { projectKey } = await createProject();
      const client = await connectDatabase();
      try {
        await client.query("select pg_notify($1, $2)", [CHANGES_CHANNEL, "not json"]);
        await client.query("select pg_notify($1, $2)", [
          CHANGES_CHANNEL,
          JSON.stringify({ origin: "x", change: {} }),
        ]);
        const project = await api(baseUrls[0]!, adminToken, "GET", `/projects/${projectKey}`);
        expect(project.status).toBe(200);
      } finally {
        await client.end();
      }
    });
  });
});
