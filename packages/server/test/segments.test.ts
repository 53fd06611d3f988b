import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConfigChange } from "../src/changes/change-bus.js";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import { createFlag, expectKameleoonError, type J, tokenWith } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await ensureDemoProject(server.context);
  await server.request("POST", "/projects", { body: { key: "other", name: "Other" } });
});
afterAll(async () => server?.close());

const create = (body: Record<string, unknown>) =>
  server.request("POST", "/segments", { body: { siteCode: "demo", ...body } });

describe("segments CRUD", () => {
  let id: number;

  it("creates, reads, lists, updates and deletes", async () => {
    const condition = {
      all: [
        { attribute: "country", operator: "in", values: ["FR", "BE"] },
        {
          any: [
            { attribute: "browser", operator: "startsWith", values: ["Chrome"] },
            { not: { attribute: "newVisitor", operator: "equals", values: [true] } },
          ],
        },
        { attribute: "appVersion", operator: "semverGte", values: ["2.1.0"] },
        { attribute: "ip", operator: "inCidr", values: ["10.0.0.0/8", "2001:db8::/32"], negate: true },
        { attribute: "signup", operator: "before", values: ["2025-01-01T00:00:00Z"] },
        { attribute: "cart", operator: "gte", values: [10, "12.5"] },
        { attribute: "email", operator: "matches", values: ["(?i)^[a-z]+@example\\.com$"] },
        { attribute: "plan", operator: "exists" },
      ],
    };
    const created = await create({
      name: "Engaged",
      description: "d",
      tags: ["t"],
      condition,
      included: ["a"],
      excluded: ["b"],
    });
    expect(created.status, created.text).toBe(201);
    id = created.body.id;
    expect(created.body).toMatchObject({
      siteCode: "demo",
      name: "Engaged",
      version: 1,
      included: ["a"],
      excluded: ["b"],
    });
    expect(created.body.condition.all[7]).toEqual({ attribute: "plan", operator: "exists", values: [] });
    const read = await server.request("GET", `/segments/${id}`);
    expect(read.body).toEqual(created.body);
    expect(read.headers.etag).toBe('"1"');
    const list = await server.request("GET", "/segments?siteCode=demo");
    expect(list.body.map((s: J) => s.id)).toContain(id);
    const updated = await server.request("PATCH", `/segments/${id}`, {
      body: {
        name: "Engaged v2",
        condition: { attribute: "country", operator: "equals", values: ["FR"] },
        included: null,
      },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toMatchObject({
      name: "Engaged v2",
      version: 2,
      included: [],
      excluded: ["b"],
      description: "d",
    });
    expect(updated.body.condition).toEqual({ attribute: "country", operator: "equals", values: ["FR"] });
    const stale = await server.request("PATCH", `/segments/${id}`, {
      body: { name: "x" },
      headers: { "if-match": '"1"' },
    });
    expectKameleoonError(stale, 409);
    expect((await server.request("DELETE", `/segments/${id}`)).status).toBe(204);
    expectKameleoonError(await server.request("GET", `/segments/${id}`), 404);
  });

  it("accepts a segment without condition (only its included visitors match)", async () => {
    const created = await create({ name: "Allow list", included: ["v1", "v2"] });
    expect(created.body).toMatchObject({ condition: null, included: ["v1", "v2"] });
  });

  it("keeps segments in their project", async () => {
    const scoped = await tokenWith(server, "writer", "other");
    const mine = await create({ name: "Demo only" });
    expectKameleoonError(await server.request("GET", `/segments/${mine.body.id}`, { token: scoped }), 403);
    expectKameleoonError(await server.request("DELETE", `/segments/${mine.body.id}`, { token: scoped }), 403);
    expectKameleoonError(
      await server.request("POST", "/segments", { token: scoped, body: { siteCode: "demo", name: "x" } }),
      403,
    );
    const list = await server.request("GET", "/segments", { token: scoped });
    expect(list.body.every((s: J) => s.siteCode === "other")).toBe(true);
    const reader = await tokenWith(server, "reader");
    expectKameleoonError(
      await server.request("POST", "/segments", { token: reader, body: { siteCode: "demo", name: "x" } }),
      403,
    );
  });
});

describe("segment validation", () => {
  const deep = (depth: number): unknown =>
    depth === 0 ? { attribute: "a", operator: "exists" } : { not: deep(depth - 1) };
  const cases: [string, unknown, RegExp][] = [
    [
      "unknown operator",
      { attribute: "a", operator: "like", values: ["x"] },
      /body\.condition\.operator must be one of/,
    ],
    ["missing attribute", { operator: "equals", values: ["x"] }, /body\.condition\.attribute is required/],
    [
      "no values",
      { attribute: "a", operator: "equals", values: [] },
      /body\.condition\.values needs at least one value/,
    ],
    [
      "values for exists",
      { attribute: "a", operator: "exists", values: ["x"] },
      /body\.condition\.values must be empty/,
    ],
    ["two kinds in a node", { all: [], any: [] }, /body\.condition must have only 'all'/],
    [
      "unknown leaf field",
      { attribute: "a", operator: "equals", values: [1], weight: 2 },
      /has unknown field\(s\) 'weight'/,
    ],
    ["not an object", ["a"], /body\.condition must be an object/],
    ["too deep", deep(40), /nested deeper than 32 levels/],
    [
      "too many conditions",
      { any: Array.from({ length: 1001 }, () => ({ attribute: "a", operator: "exists" })) },
      /more than 1000 conditions/,
    ],
    [
      "regex too long",
      { attribute: "a", operator: "matches", values: ["a".repeat(257)] },
      /body\.condition\.values\.0 is longer than 256/,
    ],
    [
      "regex not compilable",
      { attribute: "a", operator: "matches", values: ["(a"] },
      /body\.condition\.values\.0 is not a valid regular expression/,
    ],
    [
      "regex with backreference",
      { attribute: "a", operator: "matches", values: ["(a)\\1"] },
      /not a valid regular expression/,
    ],
    [
      "number expected",
      { attribute: "a", operator: "lt", values: ["ten"] },
      /values\.0 must be a finite number/,
    ],
    [
      "date expected",
      { attribute: "a", operator: "after", values: ["tomorrow"] },
      /values\.0 must be an ISO 8601 date-time/,
    ],
    [
      "semver expected",
      { attribute: "a", operator: "semverLt", values: ["v-next"] },
      /values\.0 must be a semantic version/,
    ],
    [
      "cidr expected",
      { attribute: "a", operator: "inCidr", values: ["10.0.0.0/99"] },
      /values\.0 must be a CIDR range/,
    ],
    ["string expected", { attribute: "a", operator: "contains", values: [3] }, /values\.0 must be a string/],
    ["unknown segment", { operator: "inSegment", values: [987654] }, /values\.0 names segment 987654/],
    ["negate not boolean", { attribute: "a", operator: "exists", negate: "yes" }, /negate must be a boolean/],
  ];

  it.each(cases)("rejects %s naming the place, creating nothing", async (_name, condition, message) => {
    const before = await server.request("GET", "/segments?siteCode=demo");
    const response = await create({ name: "bad", condition });
    expectKameleoonError(response, 400, message);
    expect((await server.request("GET", "/segments?siteCode=demo")).body).toEqual(before.body);
  });

  it("rejects oversized visitor lists and unknown fields", async () => {
    expectKameleoonError(
      await create({ name: "bad", included: Array.from({ length: 10_001 }, (_, i) => `v${i}`) }),
      400,
      /body\.included/,
    );
    expectKameleoonError(await create({ name: "bad", rules: [] }), 400, /additional properties 'rules'/);
    expectKameleoonError(await create({ name: "" }), 400, /body\.name/);
  });

  it("refuses inSegment cycles and self references, leaving the segment unchanged", async () => {
    const a = (await create({ name: "A" })).body;
    const b = (await create({ name: "B", condition: { operator: "inSegment", values: [a.id] } })).body;
    const c = (
      await create({ name: "C", condition: { any: [{ operator: "inSegment", values: [String(b.id)] }] } })
    ).body;
    expect(c.condition.any[0].values).toEqual([b.id]);
    const cycle = await server.request("PATCH", `/segments/${a.id}`, {
      body: { condition: { operator: "inSegment", values: [c.id] } },
    });
    expectKameleoonError(cycle, 400, new RegExp(`inSegment cycle: ${a.id} -> ${c.id} -> ${b.id} -> ${a.id}`));
    const self = await server.request("PATCH", `/segments/${a.id}`, {
      body: { condition: { operator: "inSegment", values: [a.id] } },
    });
    expectKameleoonError(self, 400, /itself/);
    expect((await server.request("GET", `/segments/${a.id}`)).body).toEqual(a);
  });
});

describe("segments in use", () => {
  it("cannot be deleted while a flag rule or another segment uses them (409 naming them)", async () => {
    const used = (await create({ name: "Used", condition: { attribute: "a", operator: "exists" } })).body;
    const wrapper = (
      await create({ name: "Wrapper", condition: { not: { operator: "inSegment", values: [used.id] } } })
    ).body;
    await createFlag(server, {
      featureKey: "uses_segment",
      name: "Uses segment",
      environmentConfigurations: [
        {
          environmentKey: "production",
          featureEnabled: true,
          rolloutRules: [{ type: "TARGETED_DELIVERY", variationKey: "on", segmentId: used.id }],
        },
      ],
    });
    const refused = await server.request("DELETE", `/segments/${used.id}`);
    expectKameleoonError(refused, 409, /uses_segment.*rule \d+ \(production\)/);
    expect(refused.body.message).toMatch(new RegExp(`segment ${wrapper.id} 'Wrapper' \\(inSegment\\)`));
    expect((await server.request("GET", `/segments/${used.id}`)).status).toBe(200);
    // Once the references are gone, it can go.
    await server.request("DELETE", `/segments/${wrapper.id}`);
    await server.request("PATCH", "/feature-flags/demo/uses_segment/production", {
      body: { rolloutRules: [] },
    });
    expect((await server.request("DELETE", `/segments/${used.id}`)).status).toBe(204);
  });

  it("publishes changes, for every environment when a flag uses the segment, and bumps the config version", async () => {
    const used = (await create({ name: "Published", condition: { attribute: "a", operator: "exists" } }))
      .body;
    const unused = (await create({ name: "Quiet" })).body;
    await createFlag(server, {
      featureKey: "uses_published",
      name: "x",
      environmentConfigurations: [
        {
          environmentKey: "staging",
          rolloutRules: [{ type: "TARGETED_DELIVERY", variationKey: "on", segmentId: used.id }],
        },
      ],
    });
    const version = async () =>
      Number(
        (
          (await server.context.db
            .selectFrom("projects")
            .select((eb) => eb.ref("config_version" as never).as("v"))
            .where("key", "=", "demo")
            .executeTakeFirstOrThrow()) as { v: number }
        ).v,
      );
    const changes: ConfigChange[] = [];
    const stop = server.context.changes.subscribe((change) => changes.push(change));
    const before = await version();
    await server.request("PATCH", `/segments/${used.id}`, { body: { name: "Published 2" } });
    await server.request("PATCH", `/segments/${unused.id}`, { body: { name: "Quiet 2" } });
    const rejected = await server.request("PATCH", `/segments/${unused.id}`, {
      body: { condition: { attribute: "x", operator: "gt", values: ["NaN"] } },
    });
    expect(rejected.status).toBe(400);
    await server.request("DELETE", `/segments/${unused.id}`);
    stop();
    expect(await version()).toBe(before + 3);
    expect(changes).toEqual([
      { projectKey: "demo", environmentKeys: undefined, kind: "segment", key: String(used.id), version: 2 },
      { projectKey: "demo", environmentKeys: [], kind: "segment", key: String(unused.id), version: 2 },
      {
        projectKey: "demo",
        environmentKeys: [],
        kind: "segment",
        key: String(unused.id),
        version: 3,
        deleted: true,
      },
    ]);
    const audit = await server.request("GET", `/audit-log?resourceType=segment&resourceId=${unused.id}`);
    expect(audit.body.items.map((e: J) => e.action)).toEqual([
      "segment.delete",
      "segment.update",
      "segment.create",
    ]);
  });
});

describe("segment usage", () => {
  it("names the flags whose rules use a segment and the segments that include it", async () => {
    const used = await create({ name: "Used", condition: { attribute: "plan", operator: "exists" } });
    const user = await create({
      name: "Includer",
      condition: { operator: "inSegment", values: [used.body.id] },
    });
    const flag = await createFlag(server, {
      featureKey: "usage_probe",
      name: "Usage probe",
      environmentConfigurations: [
        {
          environmentKey: "production",
          rolloutRules: [{ type: "TARGETED_DELIVERY", segmentId: used.body.id, variationKey: "on" }],
        },
      ],
    });
    expect(flag.featureKey).toBe("usage_probe");
    const usage = await server.request("GET", `/segments/${used.body.id}/usage`);
    expect(usage.status, usage.text).toBe(200);
    expect(usage.body.flags.map((f: { featureKey: string }) => f.featureKey)).toEqual(["usage_probe"]);
    expect(usage.body.segments).toEqual([{ id: user.body.id, name: "Includer" }]);
    expect((await server.request("GET", "/segments/999999/usage")).status).toBe(404);
    const other = await server.request("POST", "/tokens", {
      body: { name: "o", role: "reader", projectKey: "other" },
    });
    expect(
      (await server.request("GET", `/segments/${used.body.id}/usage`, { token: other.body.token })).status,
    ).toBe(403);
  });
});
