// Every route declares its responses (issue 12 item 8): walks the OpenAPI document, which @fastify/swagger
// builds from every registered route, and fails for an operation without a success response schema or
// without the error body of its path's dialect. Response bodies themselves are checked against these
// schemas by every test file (test/response-check.ts, installed by the harness).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorDialectOf } from "../src/http/error-bodies.js";
import { NO_BODY } from "../src/http/response-schemas.js";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

type Operation = {
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
};
const ERROR_TITLES = {
  kameleoon: "KameleoonError",
  launchdarkly: "LaunchDarklyError",
  ofrep: "OfrepError",
  oauth: "OAuthError",
};
// Answers with no body by definition, or declared so (NoContent).
const EMPTY = new Set(["204", "304"]);

function schemaTitles(schema: unknown): string[] {
  if (typeof schema !== "object" || schema === null) return [];
  const s = schema as { title?: string; anyOf?: unknown[]; oneOf?: unknown[] };
  return [...(s.title ? [s.title] : []), ...[...(s.anyOf ?? []), ...(s.oneOf ?? [])].flatMap(schemaTitles)];
}

describe("response schemas", () => {
  it("documents a success body and the dialect's error body for every operation", async () => {
    const response = await server.request("GET", "/openapi.json");
    expect(response.status).toBe(200);
    const paths = response.body.paths as Record<string, Record<string, Operation>>;
    const operations: string[] = [];
    const missing: string[] = [];
    for (const [path, methods] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const where = `${method.toUpperCase()} ${path}`;
        operations.push(where);
        const answers = operation.responses ?? {};
        const successes = Object.keys(answers).filter((code) => /^[23]/.test(code));
        if (successes.length === 0) missing.push(`${where}: no success response`);
        for (const code of successes) {
          const content = answers[code]?.content;
          const empty = EMPTY.has(code) || answers[code]?.description === NO_BODY;
          if (!empty && !Object.values(content ?? {}).some((c) => c.schema !== undefined))
            missing.push(`${where}: ${code} has no body schema`);
        }
        const title = ERROR_TITLES[errorDialectOf(path)];
        for (const range of ["4XX", "5XX"]) {
          const schemas = Object.values(answers[range]?.content ?? {}).map((c) => c.schema);
          if (!schemas.some((schema) => schemaTitles(schema).includes(title)))
            missing.push(`${where}: ${range} is not the ${title} body`);
        }
      }
    }
    // The count is printed so a run shows how many operations the document covers.
    console.log(`${operations.length} operations documented; ${missing.length} without response schemas`);
    expect(missing).toEqual([]);
    expect(operations.length).toBeGreaterThan(70);
  });
});
