import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.js";

// The server's clock, moved between the writes below so each lands on a known instant.
let clock = Date.parse("2026-04-01T10:00:00.000Z");
let server: TestServer;
let auditorToken: string;
let scopedToken: string;
beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  for (const key of ["north", "south"]) {
    expect((await server.request("POST", "/projects", { body: { key, name: key } })).status).toBe(201);
  }
  const auditor = await server.request("POST", "/tokens", { body: { name: "Auditor_%", role: "writer" } });
  auditorToken = auditor.body.token;
  const scoped = await server.request("POST", "/tokens", {
    body: { name: "south reader", role: "reader", projectKey: "south" },
  });
  scopedToken = scoped.body.token;
  // Three goal creations in "north": by the admin token at 10:00 and 11:00, by "Auditor_%" at 12:00.
  for (const [hour, token] of [
    ["10", undefined],
    ["11", undefined],
    ["12", auditorToken],
  ] as const) {
    clock = Date.parse(`2026-04-01T${hour}:00:00.000Z`);
    const goal = await server.request("POST", "/goals", {
      body: { siteCode: "north", name: `goal at ${hour}` },
      ...(token ? { token } : {}),
    });
    expect(goal.status, goal.text).toBe(201);
  }
});
afterAll(async () => server?.close());

async function goalNames(query: string, token?: string) {
  const page = await server.request("GET", `/audit-log?resourceType=goal&${query}`, token ? { token } : {});
  expect(page.status, page.text).toBe(200);
  return {
    total: page.body.total as number,
    names: page.body.items.map((e: { after: { name: string } }) => e.after.name) as string[],
  };
}

describe("audit log filters", () => {
  it("filters by part of the actor's name, in any case, with LIKE wildcards taken literally", async () => {
    expect(await goalNames("actor=auditor_%")).toEqual({ total: 1, names: ["goal at 12"] });
    expect((await goalNames("actor=AUDITOR")).names).toEqual(["goal at 12"]);
    // Unescaped, "%" would match every actor (3 entries); taken literally only "Auditor_%" has one.
    expect((await goalNames("actor=%25")).names).toEqual(["goal at 12"]);
    expect(await goalNames("actor=nobody-like-this")).toEqual({ total: 0, names: [] });
  });

  it("filters by time: from inclusive, to exclusive, newest first", async () => {
    expect(await goalNames("from=2026-04-01T11:00:00Z")).toEqual({
      total: 2,
      names: ["goal at 12", "goal at 11"],
    });
    expect(await goalNames("to=2026-04-01T11:00:00Z")).toEqual({ total: 1, names: ["goal at 10"] });
    expect(await goalNames("from=2026-04-01T10:30:00%2B00:00&to=2026-04-01T12:00:00.000Z")).toEqual({
      total: 1,
      names: ["goal at 11"],
    });
    // A day alone is that day's midnight UTC.
    expect((await goalNames("from=2026-04-02")).total).toBe(0);
  });

  it("combines filters with the project scope of the caller", async () => {
    expect((await goalNames("projectKey=north&actor=auditor")).total).toBe(1);
    // A token scoped to "south" sees none of north's entries and may not ask for them.
    expect((await goalNames("actor=auditor", scopedToken)).total).toBe(0);
    const other = await server.request("GET", "/audit-log?projectKey=north", { token: scopedToken });
    expect(other.status).toBe(403);
  });

  it("answers 400 to a date that is not ISO 8601, an empty actor, or from after to", async () => {
    for (const query of [
      "from=yesterday",
      "to=2026-13-45",
      "from=March%207",
      "actor=",
      "from=2026-04-02&to=2026-04-01",
    ]) {
      const response = await server.request("GET", `/audit-log?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.message, query).toMatch(/querystring/);
    }
  });
});
