import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  const created = await server.request("POST", "/projects", { body: { key: "shop", name: "Shop" } });
  expect(created.status).toBe(201);
});
afterAll(async () => server?.close());

async function tokenWith(role: string, projectKey?: string): Promise<string> {
  const response = await server.request("POST", "/tokens", {
    body: { name: `${role}-${projectKey ?? "all"}`, role, ...(projectKey ? { projectKey } : {}) },
  });
  expect(response.status).toBe(201);
  return response.body.token as string;
}

describe("access control", () => {
  it("answers 401 without a token or with an unknown one, in each dialect's error body", async () => {
    const kameleoon = await server.request("GET", "/projects", { token: null });
    expect(kameleoon.status).toBe(401);
    expect(kameleoon.body).toMatchObject({ code: "401", name: "UNAUTHORIZED", status: "ERROR" });
    // Kameleoon documents time as int64 epoch milliseconds and timestamp as a date-time string.
    expect(Number.isInteger(kameleoon.body.time)).toBe(true);
    expect(kameleoon.body.timestamp).toBe(new Date(kameleoon.body.time).toISOString());
    const launchDarkly = await server.request("GET", "/api/v2/projects", { token: "nope" });
    expect(launchDarkly.status).toBe(401);
    expect(launchDarkly.body).toEqual({ code: "unauthorized", message: "Invalid access token" });
  });

  it("accepts a bare token (LaunchDarkly) and a Bearer token (Kameleoon)", async () => {
    const bare = await server.request("GET", "/api/v2/projects", {
      token: null,
      headers: { authorization: server.adminToken },
    });
    expect(bare.status).toBe(200);
    const bearer = await server.request("GET", "/projects", { token: server.adminToken });
    expect(bearer.status).toBe(200);
  });

  it("refuses a role below the route's with 403 and keeps the data", async () => {
    const reader = await tokenWith("reader");
    const denied = await server.request("POST", "/projects", {
      token: reader,
      body: { key: "x", name: "X" },
    });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toMatch(/admin role/);
    const project = await server.request("GET", "/projects/x");
    expect(project.status).toBe(404);
  });

  it("confines a project-scoped token to its project", async () => {
    await server.request("POST", "/projects", { body: { key: "other", name: "Other" } });
    const scoped = await tokenWith("writer", "shop");
    expect((await server.request("GET", "/projects/shop", { token: scoped })).status).toBe(200);
    const elsewhere = await server.request("GET", "/api/v2/projects/other", { token: scoped });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.code).toBe("forbidden");
    const list = await server.request("GET", "/api/v2/projects", { token: scoped });
    expect(list.body.items.map((p: { key: string }) => p.key)).toEqual(["shop"]);
  });

  it("stops honouring a revoked token", async () => {
    const created = await server.request("POST", "/tokens", { body: { name: "temp", role: "reader" } });
    expect((await server.request("GET", "/projects", { token: created.body.token })).status).toBe(200);
    expect((await server.request("DELETE", `/tokens/${created.body.id}`)).status).toBe(204);
    expect((await server.request("GET", "/projects", { token: created.body.token })).status).toBe(401);
  });

  it("never lists token secrets", async () => {
    const list = await server.request("GET", "/tokens");
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toMatch(/vx_/);
  });
});

describe("OAuth client credentials", () => {
  it("issues a short-lived bearer token with the client's role and scope", async () => {
    const created = await server.request("POST", "/tokens", {
      body: { name: "api client", role: "reader", projectKey: "shop" },
    });
    const form = `grant_type=client_credentials&client_id=${created.body.clientId}&client_secret=${created.body.token}`;
    const issued = await server.request("POST", "/oauth/token", {
      token: null,
      rawBody: form,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    const bearer = issued.body.access_token as string;
    expect((await server.request("GET", "/projects/shop", { token: bearer })).status).toBe(200);
    expect((await server.request("GET", "/projects/other", { token: bearer })).status).toBe(403);
    expect(
      (await server.request("POST", "/tokens", { token: bearer, body: { name: "x", role: "admin" } })).status,
    ).toBe(403);
  });

  it("accepts HTTP Basic client authentication", async () => {
    const created = await server.request("POST", "/tokens", {
      body: { name: "basic client", role: "reader" },
    });
    const basic = Buffer.from(`${created.body.clientId}:${created.body.token}`).toString("base64");
    const issued = await server.request("POST", "/oauth/token", {
      token: null,
      rawBody: "grant_type=client_credentials",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
    });
    expect(issued.status).toBe(200);
  });

  it("refuses a wrong secret, a wrong client id and another grant type", async () => {
    const created = await server.request("POST", "/tokens", { body: { name: "c", role: "reader" } });
    const post = (form: string) =>
      server.request("POST", "/oauth/token", {
        token: null,
        rawBody: form,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
    const wrongSecret = await post(
      `grant_type=client_credentials&client_id=${created.body.clientId}&client_secret=vx_nope`,
    );
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.error).toBe("invalid_client");
    const wrongId = await post(
      `grant_type=client_credentials&client_id=vexil-999999&client_secret=${created.body.token}`,
    );
    expect(wrongId.status).toBe(401);
    const password = await post("grant_type=password&username=a&password=b");
    expect(password.status).toBe(400);
    expect(password.body.error).toBe("unsupported_grant_type");
  });
});

describe("projects and environments", () => {
  it("creates a project with development, staging and production and distinct SDK keys", async () => {
    const response = await server.request("GET", "/projects/shop");
    expect(response.body.environments.map((e: { key: string }) => e.key)).toEqual([
      "development",
      "staging",
      "production",
    ]);
    const keys = response.body.environments.flatMap((e: { serverSdkKey: string; clientSdkKey: string }) => [
      e.serverSdkKey,
      e.clientSdkKey,
    ]);
    expect(new Set(keys).size).toBe(6);
  });

  it("answers 409 for a duplicate project key and 400 naming a bad key", async () => {
    const duplicate = await server.request("POST", "/projects", { body: { key: "shop", name: "Again" } });
    expect(duplicate.status).toBe(409);
    const bad = await server.request("POST", "/api/v2/projects", { body: { key: "white space", name: "X" } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "invalid_request" });
    expect(bad.body.message).toMatch(/body\.key/);
  });

  it("shows LaunchDarkly environments with apiKey and _id, and rotates the server key", async () => {
    const before = await server.request("GET", "/api/v2/projects/shop/environments/production");
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ key: "production", name: "Production" });
    expect(before.body.apiKey).toMatch(/^sdk-/);
    expect(before.body._id).toMatch(/^[0-9a-f]{24}$/);
    const rotated = await server.request("POST", "/api/v2/projects/shop/environments/production/apiKey");
    expect(rotated.status).toBe(200);
    expect(rotated.body.apiKey).not.toBe(before.body.apiKey);
    expect(rotated.body._id).toBe(before.body._id);
  });

  it("pages LaunchDarkly collections with limit, offset and _links", async () => {
    const page = await server.request("GET", "/api/v2/projects/shop/environments?limit=2&offset=0");
    expect(page.body.totalCount).toBe(3);
    expect(page.body.items).toHaveLength(2);
    expect(page.body._links.next.href).toContain("offset=2");
    const expanded = await server.request("GET", "/api/v2/projects/shop?expand=environments");
    expect(expanded.body.environments.totalCount).toBe(3);
  });

  it("applies a LaunchDarkly JSON Patch and refuses one outside the allowed paths", async () => {
    const patched = await server.request("PATCH", "/api/v2/projects/shop", {
      body: [{ op: "replace", path: "/name", value: "Shop renamed" }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe("Shop renamed");
    const refused = await server.request("PATCH", "/api/v2/projects/shop", {
      body: [{ op: "replace", path: "/key", value: "other-key" }],
    });
    expect(refused.status).toBe(400);
    expect((await server.request("GET", "/projects/shop")).body.key).toBe("shop");
  });

  it("adds and deletes an environment", async () => {
    const created = await server.request("POST", "/api/v2/projects/shop/environments", {
      body: { key: "qa", name: "QA", color: "aaaaaa" },
    });
    expect(created.status).toBe(201);
    expect(
      (await server.request("POST", "/projects/shop/environments", { body: { key: "qa", name: "QA" } }))
        .status,
    ).toBe(409);
    expect((await server.request("DELETE", "/projects/shop/environments/qa")).status).toBe(204);
    expect((await server.request("GET", "/projects/shop/environments/qa")).status).toBe(404);
  });
});

describe("request hygiene", () => {
  it("answers 400 for malformed JSON and 413 for an oversized body", async () => {
    const malformed = await server.request("POST", "/projects", {
      rawBody: '{"key": "a",',
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toMatch(/Malformed JSON/);
    const huge = await server.request("POST", "/projects", {
      body: { key: "big", name: "x".repeat(2 * 1024 * 1024) },
    });
    expect(huge.status).toBe(413);
    expect((await server.request("GET", "/projects/big")).status).toBe(404);
  });

  it("answers 404 in the dialect of an unknown path", async () => {
    const response = await server.request("GET", "/api/v2/nothing-here");
    expect(response.status).toBe(404);
    expect(response.body.code).toBe("not_found");
  });

  it("records every change in the audit log, readable by readers", async () => {
    const reader = await tokenWith("reader");
    const log = await server.request("GET", "/audit-log?projectKey=shop&resourceType=project", {
      token: reader,
    });
    expect(log.status).toBe(200);
    const actions = log.body.items.map((entry: { action: string }) => entry.action);
    expect(actions).toContain("project.create");
    expect(actions).toContain("project.update");
    const update = log.body.items.find((entry: { action: string }) => entry.action === "project.update");
    expect(update.before.name).toBe("Shop");
    expect(update.after.name).toBe("Shop renamed");
    expect(update.actor).toMatch(/^token:/);
  });
});

describe("operations", () => {
  it("serves health, readiness, metrics (admin) and the OpenAPI document", async () => {
    expect((await server.request("GET", "/healthz", { token: null })).body).toEqual({ status: "ok" });
    expect((await server.request("GET", "/readyz", { token: null })).body).toEqual({ status: "ready" });
    expect((await server.request("GET", "/metrics", { token: null })).status).toBe(401);
    const metrics = await server.request("GET", "/metrics");
    expect(metrics.text).toContain("vexil_http_request_duration_seconds");
    const openapi = await server.request("GET", "/openapi.json", { token: null });
    expect(openapi.body.openapi).toMatch(/^3\./);
    expect(Object.keys(openapi.body.paths)).toContain("/api/v2/projects/{projectKey}/environments");
    expect((await server.request("GET", "/docs/", { token: null })).status).toBe(200);
  });
});

describe("rate limiting", () => {
  it("answers 429 with Retry-After and X-RateLimit headers once a token's budget is spent", async () => {
    const limited = await startTestServer({ env: { VEXIL_RATE_LIMIT_PER_MINUTE: "3" } });
    try {
      const statuses: number[] = [];
      let last: Awaited<ReturnType<TestServer["request"]>> | undefined;
      for (let i = 0; i < 4; i++) {
        last = await limited.request("GET", "/api/v2/projects");
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(last?.headers["retry-after"]).toBeDefined();
      expect(last?.headers["x-ratelimit-limit"]).toBe("3");
      expect(last?.body.code).toBe("rate_limited");
    } finally {
      await limited.close();
    }
  });
});
