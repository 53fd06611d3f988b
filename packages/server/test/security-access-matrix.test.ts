import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer, testDatabaseKind } from "./harness.js";

// Issue 13: every operation of /openapi.json (so routes added later are covered without editing this file)
// x every kind of caller, against the access each operation documents (`x-vexil-access`, `x-vexil-scope`,
// set from the route's config.access/config.scope). "allowed" means the caller got past authentication and
// authorization: whatever the handler answers then (200, 400 for the empty body, 404 for the made-up ids),
// it is neither 401 nor 403, and never a 5xx.

type Caller = "none" | "unknown" | "client" | "server" | "reader" | "writer" | "otherAdmin" | "admin";
const CALLERS: Caller[] = ["none", "unknown", "client", "server", "reader", "writer", "otherAdmin", "admin"];
type Expected = "allowed" | "allowed-or-403" | "not-401" | "refused" | 401 | 403;

interface Operation {
  method: string;
  path: string;
  access: string;
  scope: string | undefined;
}

const rank: Record<string, number> = { reader: 0, writer: 1, admin: 2 };

/** What the documented access says each caller gets. */
function expected(op: Operation, caller: Caller): Expected {
  const pathScoped = /\{(projectKey|siteCode)\}/.test(op.path);
  if (op.access === "public") return "not-401";
  if (op.access === "sdk") {
    if (caller === "server") return "allowed";
    if (caller === "client") return "allowed-or-403"; // routes that need the server key say 403
    // Without an SDK key: 401, or 400 when the body is checked first (SDK routes keep their hot path
    // synchronous and read the key in the handler); never an answer.
    return "refused";
  }
  if (caller === "none" || caller === "unknown" || caller === "client" || caller === "server") return 401;
  const role = caller === "otherAdmin" ? "admin" : caller;
  if (rank[role]! < rank[op.access]!) return 403;
  if (caller === "otherAdmin") {
    if (op.scope === "global" || pathScoped) return 403;
    return "not-401"; // the handler scopes by body or query: 403 or an answer limited to its project
  }
  return "allowed";
}

let server: TestServer;
const credentials: Partial<Record<Caller, string>> = {};
let operations: Operation[] = [];

async function sdkKeys() {
  const environment = await server.request("GET", "/projects/alpha/environments/production");
  credentials.client = environment.body.clientSdkKey;
  credentials.server = environment.body.serverSdkKey;
}

beforeAll(async () => {
  server = await startTestServer({
    listen: true,
    env: { VEXIL_AUTH_FAILURES_PER_MINUTE: "0", VEXIL_RATE_LIMIT_PER_MINUTE: "0" },
  });
  for (const key of ["alpha", "beta"]) {
    expect((await server.request("POST", "/projects", { body: { key, name: key } })).status).toBe(201);
  }
  const token = async (role: string, projectKey?: string) => {
    const response = await server.request("POST", "/tokens", {
      body: { name: `${role}-${projectKey ?? "all"}`, role, ...(projectKey ? { projectKey } : {}) },
    });
    return response.body.token as string;
  };
  credentials.unknown = "vx_not-a-token";
  credentials.reader = await token("reader");
  credentials.writer = await token("writer");
  credentials.otherAdmin = await token("admin", "beta");
  credentials.admin = await token("admin");
  await sdkKeys();
  const document = (await server.request("GET", "/openapi.json")).body;
  for (const [path, methods] of Object.entries<Record<string, Record<string, unknown>>>(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      operations.push({
        method: method.toUpperCase(),
        path,
        access: String(operation["x-vexil-access"]),
        scope: operation["x-vexil-scope"] as string | undefined,
      });
    }
  }
  // Deletions last, so the project and keys the other operations use still exist.
  operations = [
    ...operations.filter((o) => o.method !== "DELETE"),
    ...operations.filter((o) => o.method === "DELETE"),
  ];
}, 120_000);
afterAll(async () => server?.close());

/** A concrete URL: the caller's project for project parameters, made-up values elsewhere. */
function urlOf(path: string): string {
  return path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    if (name === "projectKey" || name === "siteCode") return "alpha";
    if (/environment|envKey/i.test(name)) return "production";
    if (/id$/i.test(name)) return "999999";
    return "unknown-key";
  });
}

/** Sends one request; resolves with the status once the headers arrive (SDK streams never end). */
async function send(op: Operation, caller: Caller): Promise<number> {
  const headers: Record<string, string> = {};
  const credential = credentials[caller];
  if (credential)
    headers.authorization = caller === "client" || caller === "server" ? credential : `Bearer ${credential}`;
  const hasBody = op.method === "POST" || op.method === "PUT" || op.method === "PATCH";
  if (hasBody) headers["content-type"] = "application/json";
  const abort = new AbortController();
  const response = await fetch(`${server.baseUrl}${urlOf(op.path)}`, {
    method: op.method,
    headers,
    ...(hasBody ? { body: "{}" } : {}),
    signal: abort.signal,
  });
  abort.abort();
  return response.status;
}

describe(`access matrix over every documented operation (${testDatabaseKind})`, () => {
  it("documents an access for every operation, and covers every kind", () => {
    expect(operations.length).toBeGreaterThan(80);
    for (const op of operations)
      expect(["public", "sdk", "reader", "writer", "admin"], op.path).toContain(op.access);
    expect(new Set(operations.map((o) => o.access))).toEqual(
      new Set(["public", "sdk", "reader", "writer", "admin"]),
    );
  });

  it("answers each caller as the operation's documented access says", async () => {
    const mismatches: string[] = [];
    let requests = 0;
    for (const op of operations) {
      for (const caller of CALLERS) {
        const status = await send(op, caller);
        requests++;
        const want = expected(op, caller);
        const ok =
          status < 500 &&
          (want === "allowed"
            ? status !== 401 && status !== 403
            : want === "allowed-or-403"
              ? status !== 401
              : want === "not-401"
                ? status !== 401 || op.access === "public"
                : want === "refused"
                  ? status === 401 || status === 400
                  : status === want);
        if (!ok) mismatches.push(`${op.method} ${op.path} as ${caller}: ${status}, expected ${want}`);
      }
      // An operation may rotate keys; the next one uses the current ones.
      await sdkKeys();
    }
    expect(mismatches).toEqual([]);
    expect(requests).toBe(operations.length * CALLERS.length);
  }, 300_000);
});
