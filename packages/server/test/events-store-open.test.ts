import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer, testDatabaseKind } from "./harness.js";

// The embedded event store (DuckDB) is loaded and opened on first use (analytics/lazy-store.ts,
// docs/deployment.md "Memory"): a server used for feature flags only never holds DuckDB's ~45 MB.

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe("embedded event store", () => {
  it("is not opened by flag work, and is opened by the first events request", async () => {
    const file = path.join(server.config.dataDir, "events.duckdb");
    const project = await server.request("POST", "/projects", { body: { key: "flags-only", name: "Flags" } });
    expect(project.status).toBe(201);
    const flag = await server.request("POST", "/feature-flags", {
      body: { siteCode: "flags-only", featureKey: "f", name: "F" },
    });
    expect(flag.status).toBe(201);
    expect((await server.request("GET", "/feature-flags/flags-only/f")).status).toBe(200);
    expect(fs.existsSync(file)).toBe(false);

    const counts = await server.request("GET", "/admin/events");
    expect(counts.status).toBe(200);
    expect(counts.body.counts).toEqual([]);
    // On PostgreSQL events live in the configuration database: no DuckDB file ever.
    expect(fs.existsSync(file)).toBe(testDatabaseKind === "sqlite");
  });
});
