// The seeded project the OpenAPI fuzz test (security-fuzz-*.test.ts) aims at, and what "stored state" means
// there: every row of every configuration table, plus the event counts of the event store.

import fs from "node:fs";
import { sql } from "kysely";
import { expect } from "vitest";
import type { TestServer } from "./harness.js";

/** The ids and keys of one seeded project; path and query parameters are filled from it. */
export interface World {
  projectKey: string;
  values: Record<string, string>;
  readerToken: string;
  clientKey: string;
  serverKey: string;
}

const ENVIRONMENT = "development";
const FLAG = "new_checkout";

async function created(server: TestServer, method: string, url: string, body?: unknown) {
  const response = await server.request(method, url, body === undefined ? {} : { body });
  expect(response.status, `${method} ${url}: ${response.text}`).toBeLessThan(300);
  return response.body;
}

/**
 * A project with a segment, two goals (LaunchDarkly metrics), the Kameleoon example flag (an experiment
 * rule in development, so LaunchDarkly lists an experiment), a webhook, a user and a reader token.
 */
export async function seedWorld(server: TestServer, projectKey: string, userId?: string): Promise<World> {
  await created(server, "POST", "/projects", { key: projectKey, name: `Fuzz ${projectKey}` });
  const segment = await created(server, "POST", "/segments", {
    siteCode: projectKey,
    name: "Beta testers",
    condition: { attribute: "beta", operator: "equals", values: [true] },
  });
  const purchase = await created(server, "POST", "/goals", {
    siteCode: projectKey,
    name: "Purchase",
    key: "purchase",
  });
  const cart = await created(server, "POST", "/goals", { siteCode: projectKey, name: "Cart", key: "cart" });
  const example = fs
    .readFileSync(new URL("./fixtures/kameleoon-create-flag-example.json", import.meta.url), "utf8")
    .replaceAll('"demo"', JSON.stringify(projectKey))
    .replaceAll("200001", String(segment.id))
    .replaceAll("300001", String(purchase.id))
    .replaceAll("300002", String(cart.id));
  const flag = await created(server, "POST", "/feature-flags", JSON.parse(example));
  const experiments = await created(
    server,
    "GET",
    `/api/v2/projects/${projectKey}/environments/${ENVIRONMENT}/experiments`,
  );
  const webhook = await created(server, "POST", "/api/v2/webhooks", {
    // An address, not a name: the suite has no DNS, and the SSRF guard stays on.
    url: "https://93.184.215.14/vexil",
    on: false,
    name: `fuzz ${projectKey}`,
  });
  // Users cannot be deleted, so one (its password hash is slow on purpose) serves every world.
  const user = userId
    ? { id: userId }
    : await created(server, "POST", "/users", {
        email: `${projectKey}@example.com`,
        role: "reader",
        password: "correct horse battery staple",
      });
  const reader = await created(server, "POST", "/tokens", { name: `reader ${projectKey}`, role: "reader" });
  const environment = await created(server, "GET", `/projects/${projectKey}/environments/${ENVIRONMENT}`);
  const rule = (flag.environmentConfigurations as { rolloutRules: { id: number }[] }[])
    .flatMap((c) => c.rolloutRules)
    .find((r) => r.id !== undefined);
  const values: Record<string, string> = {
    siteCode: projectKey,
    projectKey,
    featureKey: FLAG,
    featureFlagKey: FLAG,
    key: FLAG,
    environmentKey: ENVIRONMENT,
    env: ENVIRONMENT,
    segmentId: String(segment.id),
    goalId: String(purchase.id),
    metricKey: "purchase",
    experimentKey: String(experiments.items?.[0]?.key ?? "no-experiment"),
    ruleId: String(rule?.id ?? 1),
    tokenId: String(reader.id),
    userId: String(user.id),
    id: String(webhook._id ?? webhook.id),
    featureFlagId: String(flag.id),
    dataCode: "1234567890",
    // LaunchDarkly's client-side protocol: the environment id and a context in the path.
    envId: environment.clientSdkKey,
    context: Buffer.from(JSON.stringify({ kind: "user", key: "fuzz-visitor" })).toString("base64url"),
  };
  return {
    projectKey,
    values,
    readerToken: reader.token,
    clientKey: environment.clientSdkKey,
    serverKey: environment.serverSdkKey,
  };
}

let tableNames: string[] | undefined;

/**
 * Every row of every configuration table, as sorted JSON lines per table. Rows a rejected request may
 * legitimately touch are none: the server runs no background workers here (VEXIL_WORKERS=0) and its
 * automation is manual, so any difference after a rejection is the rejected request's doing.
 */
export async function dumpDatabase(server: TestServer): Promise<Map<string, string[]>> {
  const db = server.context.db;
  tableNames ??= (await db.introspection.getTables())
    .map((t) => t.name)
    // login_throttle counts failed sign-ins on purpose (docs/security.md): a refused POST /session adds one.
    .filter((name) => !/^kysely_migration/.test(name) && name !== "login_throttle")
    .sort();
  const dump = new Map<string, string[]>();
  if (server.context.database.dialect === "postgres") {
    // One statement for every table: a round trip per table made PostgreSQL runs several times slower.
    const columns = tableNames.map(
      (name, i) =>
        sql`(select coalesce(json_agg(row_to_json(t)::text order by row_to_json(t)::text), '[]') from ${sql.table(name)} t) as ${sql.ref(`t${i}`)}`,
    );
    const result = await sql<Record<string, string[]>>`select ${sql.join(columns)}`.execute(db);
    const row = result.rows[0] ?? {};
    tableNames.forEach((name, i) => {
      dump.set(name, row[`t${i}`] ?? []);
    });
    return dump;
  }
  for (const name of tableNames) {
    const result = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    dump.set(name, result.rows.map((row) => JSON.stringify(row)).sort());
  }
  return dump;
}

/** The tables (and a few rows) that differ between two dumps; empty when none. */
export function dumpDifference(before: Map<string, string[]>, after: Map<string, string[]>): string {
  const differences: string[] = [];
  for (const [name, rows] of after) {
    const old = before.get(name) ?? [];
    if (old.length === rows.length && old.every((row, i) => row === rows[i])) continue;
    const oldSet = new Set(old);
    const newSet = new Set(rows);
    const added = rows.filter((r) => !oldSet.has(r)).map((r) => `+ ${r.slice(0, 200)}`);
    const removed = old.filter((r) => !newSet.has(r)).map((r) => `- ${r.slice(0, 200)}`);
    differences.push(`${name}: ${[...removed, ...added].slice(0, 4).join(" ")}`);
  }
  return differences.join("; ");
}

/** The dialect a path's errors are documented in. */
export type Dialect = "kameleoon" | "launchdarkly" | "ofrep" | "oauth";

export function dialectOf(path: string): Dialect {
  if (path === "/oauth/token") return "oauth";
  if (path.startsWith("/ofrep/")) return "ofrep";
  if (path.startsWith("/api/v2/")) return "launchdarkly";
  if (/^\/(sdk\/latest-|all$|bulk$|diagnostic$)/.test(path)) return "launchdarkly";
  if (/^\/(sdk\/evalx|sdk\/goals|eval|events\/bulk|events\/diagnostic)\//.test(path)) return "launchdarkly";
  return "kameleoon";
}

/** Why `body` is not the dialect's error body for `status`, or undefined when it is. */
export function errorBodyProblem(dialect: Dialect, status: number, text: string): string | undefined {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 80)}`;
  }
  const strings = (...keys: string[]) =>
    keys.every((k) => typeof body[k] === "string" && (body[k] as string).length > 0);
  switch (dialect) {
    case "kameleoon":
      // Kameleoon's documented error: code (the status as a string), message, name, status "ERROR", time.
      if (strings("message", "name") && body.code === String(status) && body.status === "ERROR") return;
      return `not a Kameleoon error: ${text.slice(0, 120)}`;
    case "launchdarkly":
      if (strings("code", "message")) return;
      return `not a LaunchDarkly error: ${text.slice(0, 120)}`;
    case "ofrep":
      if (strings("errorCode", "errorDetails")) return;
      return `not an OFREP error: ${text.slice(0, 120)}`;
    case "oauth":
      // RFC 6749 section 5.2: {error, error_description}; 429 is the rate limiter's, not the grant's.
      if (strings("error") && typeof body.error_description === "string") return;
      return `not an OAuth error (RFC 6749 5.2): ${text.slice(0, 120)}`;
  }
}
