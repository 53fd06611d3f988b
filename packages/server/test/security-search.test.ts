import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import { createFlag, tokenWith } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer } from "./harness.js";

// Issue 13, finding 1: LIKE patterns used to become backtracking regular expressions, so a reader's search
// with a handful of `%` on a long description froze the event loop for minutes. These requests go over
// real HTTP so /healthz competes with the search for the same event loop.

let server: TestServer;
let reader: string;
beforeAll(async () => {
  server = await startTestServer({ listen: true });
  await ensureDemoProject(server.context);
  reader = await tokenWith(server, "reader");
  for (let i = 0; i < 20; i++) {
    await createFlag(server, { featureKey: `slow_${i}`, name: `Slow ${i}`, description: "a".repeat(2000) });
  }
});
afterAll(async () => server?.close());

async function post(path: string, body: unknown) {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${reader}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe("a pathological LIKE pattern", () => {
  // 40 `%` against 2,000 `a`: a backtracking regex tries on the order of C(2000, 40) splits before failing.
  const near = `${"%a".repeat(40)}%b`;

  it("answers (no match) on POST /feature-flags/search and GET /feature-flags while /healthz keeps answering", async () => {
    const filter = { field: "description", operator: "LIKE", parameters: [near] };
    const searches = [
      post("/feature-flags/search?siteCode=demo", { filter }),
      fetch(
        `${server.baseUrl}/feature-flags?siteCode=demo&filter=${encodeURIComponent(JSON.stringify(filter))}`,
        { headers: { authorization: `Bearer ${reader}` } },
      ).then(async (r) => ({ status: r.status, body: await r.json() })),
    ];
    // Sent after the searches: with a blocking matcher these wait behind them and the test times out.
    const health = await Promise.all([1, 2, 3].map(() => fetch(`${server.baseUrl}/healthz`)));
    expect(health.map((r) => r.status)).toEqual([200, 200, 200]);
    const [viaPost, viaGet] = await Promise.all(searches);
    expect(viaPost!.status).toBe(200);
    expect(viaPost!.body).toEqual([]);
    expect(viaGet!.status).toBe(200);
    expect(viaGet!.body).toEqual([]);
  });

  it("still matches what it should (the same pieces, satisfiable)", async () => {
    const response = await post("/feature-flags/search?siteCode=demo", {
      filter: { field: "description", operator: "LIKE", parameters: [`${"%a".repeat(40)}%`] },
    });
    expect(response.status).toBe(200);
    expect(response.body).toHaveLength(20);
  });

  it("refuses patterns and filters beyond the documented bounds with 400 naming the place", async () => {
    const long = await post("/feature-flags/search?siteCode=demo", {
      filter: { field: "description", operator: "LIKE", parameters: ["%".repeat(257)] },
    });
    expect(long.status).toBe(400);
    expect(long.body.message).toMatch(/body\.filter\.parameters\.0 is longer than 256/);
    const wide = await post("/feature-flags/search?siteCode=demo", {
      filter: {
        conditionalOperator: "OR",
        expressions: [1, 2].map(() => ({
          expressions: Array.from({ length: 60 }, () => ({
            field: "name",
            operator: "LIKE",
            parameters: ["%"],
          })),
        })),
      },
    });
    expect(wide.status).toBe(400);
    expect(wide.body.message).toMatch(/at most 100 expressions/);
  });

  it("answers 400 for __proto__ or constructor as a filter field or sort key", async () => {
    for (const field of ["__proto__", "constructor", "toString"]) {
      const filter = await post("/feature-flags/search?siteCode=demo", {
        filter: { field, operator: "EQUAL", parameters: ["x"] },
      });
      expect(filter.status, field).toBe(400);
      expect(filter.body.message).toMatch(/body\.filter\.field must be one of/);
      const sort = await post("/feature-flags/search?siteCode=demo", { sort: [{ field, direction: "ASC" }] });
      expect(sort.status, field).toBe(400);
      // Found by fuzzing: LaunchDarkly metrics list sorted by `__proto__` answered 500.
      const metrics = await fetch(`${server.baseUrl}/api/v2/metrics/demo?sort=${field}`, {
        headers: { authorization: reader },
      });
      expect(metrics.status, field).toBe(400);
    }
  });
});
