import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFlag, setupDemo } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer, testDatabaseKind } from "./harness.js";

// Issue 13, found by the OpenAPI fuzz test (security-fuzz-*.test.ts): refusals that came back in the wrong
// body, a patch parser without Fastify's prototype-poisoning check, and If-Match ignored where a resource
// has no versions. Each answer is checked against its dialect's documented error body.

let server: TestServer;
let segmentId: number;
beforeAll(async () => {
  server = await startTestServer();
  const demo = await setupDemo(server);
  segmentId = demo.segmentId;
  await createFlag(server, { featureKey: "target", name: "Target" });
});
afterAll(async () => server?.close());

const kameleoonError = (status: number) => ({
  code: String(status),
  status: "ERROR",
  message: expect.any(String),
});

describe(`paths the router refuses (${testDatabaseKind})`, () => {
  it("answers a path that is not valid percent-encoding, or too long a parameter, in the dialect's body", async () => {
    const cases: [string, number, object][] = [
      ["/projects/%", 400, kameleoonError(400)],
      ["/feature-flags/demo/%ED%A0%80", 400, kameleoonError(400)],
      [`/segments/${"1".repeat(9000)}`, 414, kameleoonError(414)],
      // Under the router's limit (8,192, for LaunchDarkly's contexts in the path), the schema's own limit.
      [`/segments/${"1".repeat(5000)}`, 400, kameleoonError(400)],
      ["/api/v2/projects/%", 400, { code: "invalid_request", message: expect.any(String) }],
      [
        "/ofrep/v1/evaluate/flags/%ED%A0%80",
        400,
        { errorCode: "INVALID_REQUEST", errorDetails: expect.any(String) },
      ],
    ];
    for (const [url, status, body] of cases) {
      const method = url.startsWith("/ofrep") ? "POST" : "GET";
      const response = await server.request(method, url);
      expect(response.status, url).toBe(status);
      expect(response.body, url).toMatchObject(body);
    }
  });
});

describe(`POST /oauth/token errors (${testDatabaseKind})`, () => {
  it("answers every refusal in RFC 6749's {error, error_description}, schema and size refusals included", async () => {
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const cases: [string, Record<string, string>, number, string][] = [
      ["{}", { "content-type": "application/json" }, 400, "invalid_request"],
      ['{"grant_type":1}', { "content-type": "application/json" }, 400, "invalid_request"],
      ["grant_type=client_credentials&client_id=a%00b", form, 400, "invalid_request"],
      ["<grant/>", { "content-type": "application/xml" }, 415, "invalid_request"],
      [`grant_type=${"x".repeat(2 * 1024 * 1024)}`, form, 413, "invalid_request"],
      ["grant_type=client_credentials&client_id=vexil-1&client_secret=vx_nope", form, 401, "invalid_client"],
    ];
    for (const [rawBody, headers, status, error] of cases) {
      const response = await server.request("POST", "/oauth/token", { token: null, rawBody, headers });
      expect(response.status, rawBody.slice(0, 40)).toBe(status);
      expect(response.body, rawBody.slice(0, 40)).toEqual({ error, error_description: expect.any(String) });
    }
  });
});

describe(`patch bodies and prototype poisoning (${testDatabaseKind})`, () => {
  it("refuses __proto__ and constructor.prototype anywhere in a merge patch or JSON patch, like JSON bodies", async () => {
    const before = await server.request("GET", "/feature-flags/demo/target");
    const cases: [string, string, string][] = [
      [
        "/feature-flags/demo/target",
        "application/merge-patch+json",
        '{"description":"x","tags":["a"],"variables":[{"__proto__":{"polluted":true}}]}',
      ],
      ["/feature-flags/demo/target", "application/merge-patch+json", '{"constructor":{"prototype":{"a":1}}}'],
      [
        "/api/v2/flags/demo/target",
        "application/json-patch+json",
        '[{"op":"replace","path":"/description","value":{"__proto__":{"polluted":true}}}]',
      ],
    ];
    for (const [url, contentType, rawBody] of cases) {
      const response = await server.request("PATCH", url, {
        rawBody,
        headers: { "content-type": contentType },
      });
      expect(response.status, rawBody).toBe(400);
      expect(response.body.message, rawBody).toMatch(/^Malformed JSON body/);
    }
    const after = await server.request("GET", "/feature-flags/demo/target");
    expect(after.body.version).toBe(before.body.version);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe(`If-Match where a resource has no versions (${testDatabaseKind})`, () => {
  it("answers 412 and changes nothing; flags and segments keep comparing it with their version", async () => {
    await server.request("POST", "/projects", { body: { key: "keep", name: "Keep" } });
    const goal = await server.request("POST", "/goals", {
      body: { siteCode: "demo", name: "Kept", key: "kept" },
    });
    const refused: [string, string][] = [
      ["DELETE", "/projects/keep"],
      ["DELETE", `/goals/${goal.body.id}`],
      ["DELETE", "/api/v2/projects/keep"],
      ["DELETE", "/api/v2/flags/demo/target"],
      ["POST", "/projects/keep/environments/production/rotate-keys?keys=server"],
    ];
    const environment = await server.request("GET", "/projects/keep/environments/production");
    for (const [method, url] of refused) {
      const response = await server.request(method, url, { headers: { "if-match": 'W/"999999"' } });
      expect(response.status, `${method} ${url}`).toBe(412);
    }
    expect((await server.request("GET", "/projects/keep")).status).toBe(200);
    expect((await server.request("GET", `/goals/${goal.body.id}`)).status).toBe(200);
    expect((await server.request("GET", "/feature-flags/demo/target")).status).toBe(200);
    const after = await server.request("GET", "/projects/keep/environments/production");
    expect(after.body.serverSdkKey).toBe(environment.body.serverSdkKey);
    // `*` holds whenever the resource exists (RFC 9110 13.1.1).
    expect(
      (await server.request("DELETE", `/goals/${goal.body.id}`, { headers: { "if-match": "*" } })).status,
    ).toBe(204);
    // Versioned resources: a stale ETag is the documented 409, the current one passes.
    const segment = await server.request("GET", `/segments/${segmentId}`);
    const stale = await server.request("PATCH", `/segments/${segmentId}`, {
      body: { name: "Renamed" },
      headers: { "if-match": `"${segment.body.version + 1}"` },
    });
    expect(stale.status).toBe(409);
    const current = await server.request("PATCH", `/segments/${segmentId}`, {
      body: { name: "Renamed" },
      headers: { "if-match": `"${segment.body.version}"` },
    });
    expect(current.status).toBe(200);
  });
});
