// GET /feature-flags/{siteCode}/{featureKey} answers a serialised view kept per flag version
// (flags/flags.view-cache.ts). What a user relies on: a read after any write - through this server, through
// another server on the same database, a change of the project's environments, or the clock crossing a
// rule's release date - answers the flag as it is now, never the kept bytes. Runs on SQLite and, with
// VEXIL_TEST_POSTGRES_URL, on PostgreSQL (where the second server shares the database).

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../src/config.js";
import { type OpenedServer, openServer } from "../src/server.js";
import { startTestServer, type TestServer, testDatabaseKind } from "./harness.js";

const DAY = 86_400_000;
// The test's clock: a fixed instant the rules' release window is placed around, moved by the tests.
let clock = Date.parse("2026-03-01T12:00:00Z");
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  expect((await server.request("POST", "/projects", { body: { key: "cache", name: "Cache" } })).status).toBe(
    201,
  );
  const created = await server.request("POST", "/feature-flags", {
    body: {
      siteCode: "cache",
      featureKey: "banner",
      name: "Banner",
      environmentConfigurations: [
        {
          environmentKey: "production",
          featureEnabled: true,
          rolloutRules: [
            {
              type: "TARGETED_DELIVERY",
              name: "Launch",
              variationKey: "on",
              exposition: 100,
              // Starts one day after the test's clock: PLANNED now, ACTIVE once the clock passes it.
              release: { releaseFrom: new Date(clock + DAY).toISOString(), timeZone: "UTC" },
            },
          ],
        },
      ],
    },
  });
  expect(created.status).toBe(201);
});

afterAll(async () => server?.close());

const read = () => server.request("GET", "/feature-flags/cache/banner");

describe("the kept view of a flag", () => {
  it("answers the write's result right after a PATCH, an archive and a new environment", async () => {
    const before = await read();
    expect(before.status).toBe(200);
    expect((await read()).text).toBe(before.text); // the kept bytes, unchanged while nothing changes

    const patched = await server.request("PATCH", "/feature-flags/cache/banner", {
      body: { name: "Banner v2", description: "changed" },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.status).toBe(200);
    const after = await read();
    // Same body as the PATCH answered (serialised by the same response schema), same ETag.
    expect(after.body).toEqual(patched.body);
    expect(after.headers.etag).toBe(patched.headers.etag);
    expect(after.body.name).toBe("Banner v2");
    expect(after.body.version).toBe(before.body.version + 1);

    expect((await server.request("POST", "/feature-flags/cache/banner/archive")).status).toBe(200);
    expect((await read()).body.archived).toBe(true);
    expect((await server.request("POST", "/feature-flags/cache/banner/restore")).status).toBe(200);
    expect((await read()).body.archived).toBe(false);

    // A new environment changes no flag row (no version bump) but every flag shows it.
    const environment = await server.request("POST", "/projects/cache/environments", {
      body: { key: "qa", name: "QA" },
    });
    expect(environment.status).toBe(201);
    const keys = (await read()).body.environmentConfigurations.map(
      (e: { environmentKey: string }) => e.environmentKey,
    );
    expect(keys).toContain("qa");
  });

  it("recomputes the rule status once the clock passes the release date", async () => {
    const ruleStatus = async () =>
      (await read()).body.environmentConfigurations.find(
        (e: { environmentKey: string }) => e.environmentKey === "production",
      ).rolloutRules[0].status;
    expect(await ruleStatus()).toBe("PLANNED");
    clock += DAY + 1000;
    expect(await ruleStatus()).toBe("ACTIVE");
  });

  it("answers 404 once the flag is deleted, and the new flag when one with the same key is created", async () => {
    await read();
    expect((await server.request("DELETE", "/feature-flags/cache/banner")).status).toBe(204);
    expect((await read()).status).toBe(404);
    const again = await server.request("POST", "/feature-flags", {
      body: { siteCode: "cache", featureKey: "banner", name: "Reborn" },
    });
    expect(again.status).toBe(201);
    expect((await read()).body.name).toBe("Reborn");
  });
});

// A second server on the same PostgreSQL database (another API process): its writes show in this server's
// next read, with no message needed (the kept view is checked against the row's version on every read).
describe.skipIf(testDatabaseKind !== "postgres")("a write through another server", () => {
  let other: OpenedServer;
  let otherDataDir: string;
  beforeAll(async () => {
    otherDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vexil-test-other-"));
    other = await openServer(
      resolveConfig(
        { dataDir: otherDataDir, databaseUrl: server.config.databaseUrl, port: 0 },
        { VEXIL_ADMIN_TOKEN: server.adminToken, VEXIL_LOG_LEVEL: "error", VEXIL_AUTOMATION: "manual" },
      ),
      { logger: { level: "error" }, now: () => clock },
    );
  });
  afterAll(async () => {
    await other?.close();
    fs.rmSync(otherDataDir, { recursive: true, force: true });
  });

  it("is visible in this server's very next read", async () => {
    const before = await read();
    expect(before.status).toBe(200);
    const patched = await other.app.inject({
      method: "PATCH",
      url: "/feature-flags/cache/banner",
      headers: {
        authorization: `Bearer ${server.adminToken}`,
        "content-type": "application/merge-patch+json",
      },
      payload: JSON.stringify({ name: "Written elsewhere" }),
    });
    expect(patched.statusCode).toBe(200);
    const after = await read();
    expect(after.body.name).toBe("Written elsewhere");
    expect(after.body.version).toBe(before.body.version + 1);
  });
});
