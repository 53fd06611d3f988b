import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateToken } from "../src/auth/tokens.store.js";
import { resolveConfig } from "../src/config.js";
import { type OpenedServer, openServer } from "../src/server.js";
import { createPostgresDatabase, startTestServer, type TestServer } from "./harness.js";

// Issue 13, findings 2-4 and 9: what a token may grant and see, how fast a revocation bites, and how often
// an address may fail to authenticate.

let server: TestServer;
beforeAll(async () => {
  // A long token cache, as in production: revocations must still bite at once.
  server = await startTestServer({
    env: { VEXIL_TOKEN_CACHE_MS: "600000", VEXIL_AUTH_FAILURES_PER_MINUTE: "0" },
  });
  for (const key of ["alpha", "beta"]) {
    expect((await server.request("POST", "/projects", { body: { key, name: key } })).status).toBe(201);
  }
});
afterAll(async () => server?.close());

async function token(role: string, projectKey?: string, as?: string) {
  const response = await server.request("POST", "/tokens", {
    token: as,
    body: { name: `${role}-${projectKey ?? "all"}`, role, ...(projectKey ? { projectKey } : {}) },
  });
  expect(response.status, response.text).toBe(201);
  return response.body as { id: number; token: string; clientId: string; projectKey: string | null };
}

describe("a project-scoped admin (finding 2)", () => {
  it("creates tokens of its project only, never an unscoped or other project's token", async () => {
    const scoped = await token("admin", "alpha");
    const unscoped = await server.request("POST", "/tokens", {
      token: scoped.token,
      body: { name: "escalate", role: "admin" },
    });
    expect(unscoped.status).toBe(403);
    expect(unscoped.body.message).toMatch(/body\.projectKey must be 'alpha'/);
    const other = await server.request("POST", "/tokens", {
      token: scoped.token,
      body: { name: "escalate", role: "reader", projectKey: "beta" },
    });
    expect(other.status).toBe(403);
    const own = await token("writer", "alpha", scoped.token);
    expect(own.projectKey).toBe("alpha");
  });

  it("lists and revokes its project's tokens only; others answer 404", async () => {
    const scoped = await token("admin", "alpha");
    const betaReader = await token("reader", "beta");
    const alphaReader = await token("reader", "alpha");
    const listed = await server.request("GET", "/tokens", { token: scoped.token });
    expect(listed.status).toBe(200);
    expect(listed.body.length).toBeGreaterThan(0);
    expect(listed.body.every((t: { projectKey: string | null }) => t.projectKey === "alpha")).toBe(true);
    // The first admin's token (id 1) and another project's token are out of its reach.
    for (const id of [1, betaReader.id]) {
      const revoked = await server.request("DELETE", `/tokens/${id}`, { token: scoped.token });
      expect(revoked.status, `token ${id}`).toBe(404);
    }
    expect((await server.request("GET", "/projects/beta", { token: betaReader.token })).status).toBe(200);
    expect((await server.request("GET", "/projects", {})).status).toBe(200);
    expect(
      (await server.request("DELETE", `/tokens/${alphaReader.id}`, { token: scoped.token })).status,
    ).toBe(204);
    expect((await server.request("GET", "/projects/alpha", { token: alphaReader.token })).status).toBe(401);
  });

  it("cannot create projects or read other projects' event counts (finding 3)", async () => {
    const scoped = await token("admin", "alpha");
    for (const [url, body] of [
      ["/projects", { key: "gamma", name: "Gamma" }],
      ["/api/v2/projects", { key: "gamma", name: "Gamma" }],
    ] as const) {
      const response = await server.request("POST", url, { token: scoped.token, body });
      expect(response.status, url).toBe(403);
    }
    const time = Date.now();
    await server.context.analytics.append(
      ["alpha", "beta"].map((projectKey, i) => ({
        kind: "conversion" as const,
        projectKey,
        environmentKey: "production",
        visitorCode: `v${i}`,
        visitId: `visit${i}`,
        goalId: 1,
        value: 1,
        time,
      })),
    );
    const all = await server.request("GET", "/admin/events");
    expect(all.body.counts.map((c: { projectKey: string }) => c.projectKey).sort()).toEqual([
      "alpha",
      "beta",
    ]);
    const mine = await server.request("GET", "/admin/events", { token: scoped.token });
    expect(mine.status).toBe(200);
    expect(mine.body.counts.map((c: { projectKey: string }) => c.projectKey)).toEqual(["alpha"]);
    const theirs = await server.request("GET", "/admin/events?projectKey=beta", { token: scoped.token });
    expect(theirs.status).toBe(403);
  });
});

async function mintOAuth(
  target: { request: TestServer["request"] },
  api: { clientId: string; token: string },
) {
  const issued = await target.request("POST", "/oauth/token", {
    token: null,
    rawBody: `grant_type=client_credentials&client_id=${api.clientId}&client_secret=${api.token}`,
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  expect(issued.status, issued.text).toBe(200);
  return issued.body.access_token as string;
}

describe("revoking an API token (finding 4)", () => {
  it("revokes the OAuth access tokens minted from it at once, cached or not", async () => {
    const api = await token("reader", "alpha");
    const bearer = await mintOAuth(server, api);
    // Used once, so the 10-minute cache holds it.
    expect((await server.request("GET", "/projects/alpha", { token: bearer })).status).toBe(200);
    expect((await server.request("DELETE", `/tokens/${api.id}`)).status).toBe(204);
    expect((await server.request("GET", "/projects/alpha", { token: bearer })).status).toBe(401);
    expect((await server.request("GET", "/projects/alpha", { token: api.token })).status).toBe(401);
  });

  it("answers 400 invalid_request for malformed HTTP Basic credentials", async () => {
    for (const basic of [
      Buffer.from("vexil-1:%zz").toString("base64"),
      Buffer.from("nocolon").toString("base64"),
    ]) {
      const response = await server.request("POST", "/oauth/token", {
        token: null,
        rawBody: "grant_type=client_credentials",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
      });
      expect(response.status, basic).toBe(400);
      expect(response.body.error).toBe("invalid_request");
    }
  });
});

const postgresUrl = process.env.VEXIL_TEST_POSTGRES_URL;

describe.skipIf(!postgresUrl)("revocation across two replicas of one PostgreSQL database", () => {
  const replicas: OpenedServer[] = [];
  let drop: () => Promise<void>;
  const adminToken = generateToken();
  beforeAll(async () => {
    const database = await createPostgresDatabase(postgresUrl!, "vexil_revoke");
    drop = database.drop;
    for (let i = 0; i < 2; i++) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vexil-revoke-"));
      const config = resolveConfig(
        { dataDir, databaseUrl: database.url, port: 0 },
        {
          VEXIL_ADMIN_TOKEN: adminToken,
          VEXIL_TOKEN_CACHE_MS: "600000",
          VEXIL_LOG_LEVEL: "error",
          VEXIL_AUTOMATION: "off",
        },
      );
      replicas.push(await openServer(config, { logger: { level: "error" } }));
    }
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await drop?.();
  });

  const request = (replica: OpenedServer) =>
    (async (method, url, options = {}) => {
      const token = options.token === undefined ? adminToken : options.token;
      const response = await replica.app.inject({
        method: method as "GET",
        url,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers },
        ...(options.body !== undefined ? { payload: options.body as object } : {}),
        ...(options.rawBody !== undefined ? { payload: options.rawBody } : {}),
      });
      return {
        status: response.statusCode,
        body: response.body ? JSON.parse(response.body) : undefined,
        headers: response.headers,
        text: response.body,
      };
    }) as TestServer["request"];

  it("a token revoked on one replica stops on the other at once, though the other cached it", async () => {
    const [a, b] = replicas.map(request) as [TestServer["request"], TestServer["request"]];
    const created = await a("POST", "/tokens", { body: { name: "r", role: "reader" } });
    const bearer = await mintOAuth({ request: b }, created.body);
    expect((await b("GET", "/projects", { token: bearer })).status).toBe(200);
    expect((await b("GET", "/projects", { token: created.body.token })).status).toBe(200);
    expect((await a("DELETE", `/tokens/${created.body.id}`)).status).toBe(204);
    // NOTIFY reaches the other replica's listener after the commit; wait for that delivery (not a clock).
    let status = 200;
    for (let attempt = 0; attempt < 200 && status === 200; attempt++) {
      status = (await b("GET", "/projects", { token: bearer })).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(status).toBe(401);
    expect((await b("GET", "/projects", { token: created.body.token })).status).toBe(401);
  });
});

describe("failed authentication attempts (finding 9)", () => {
  it("are limited per client address: over the limit even a valid token gets 429, other addresses not", async () => {
    const limited = await startTestServer({ env: { VEXIL_AUTH_FAILURES_PER_MINUTE: "5" } });
    try {
      const from = (remoteAddress: string, authorization: string) =>
        limited.app.inject({ method: "GET", url: "/projects", remoteAddress, headers: { authorization } });
      for (let i = 0; i < 5; i++) {
        expect((await from("203.0.113.7", `Bearer vx_guess${i}`)).statusCode).toBe(401);
      }
      const blocked = await from("203.0.113.7", `Bearer ${limited.adminToken}`);
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
      expect((await from("203.0.113.8", `Bearer ${limited.adminToken}`)).statusCode).toBe(200);
      // SDK keys and OAuth clients count too, and /healthz stays open.
      const sdk = await limited.app.inject({
        method: "POST",
        url: "/ofrep/v1/evaluate/flags",
        payload: { context: { targetingKey: "v1" } },
        remoteAddress: "203.0.113.7",
        headers: { authorization: "nope" },
      });
      expect(sdk.statusCode).toBe(429);
      const health = await limited.app.inject({
        method: "GET",
        url: "/healthz",
        remoteAddress: "203.0.113.7",
      });
      expect(health.statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
