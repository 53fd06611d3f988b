import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFlag,
  expectLaunchDarklyError,
  type J,
  setupDemo,
  tokenWith,
} from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer } from "./harness.js";

// LaunchDarkly's Metrics API over Vexil goals: a metric IS a goal (metricKey = goal key).

let server: TestServer;
const METRICS = "/api/v2/metrics/demo";

beforeAll(async () => {
  server = await startTestServer();
  await setupDemo(server);
});

afterAll(async () => {
  await server?.close();
});

describe("LaunchDarkly metrics are Vexil goals", () => {
  it("creates metrics that show up as goals, and goals show up as metrics", async () => {
    const created = await server.request("POST", METRICS, {
      token: null,
      headers: { authorization: server.adminToken },
      body: {
        key: "metric-key-123abc",
        name: "Example metric",
        description: "optional description",
        kind: "custom",
        isNumeric: true,
        unit: "orders",
        eventKey: "Order placed",
        successCriteria: "HigherThanBaseline",
        tags: ["example-tag"],
        randomizationUnits: ["user"],
        maintainerId: "569fdeadbeef1644facecafe",
        unitAggregationType: "average",
        analysisType: "mean",
        eventDefault: { value: 0 },
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      key: "metric-key-123abc",
      name: "Example metric",
      description: "optional description",
      kind: "custom",
      isNumeric: true,
      unit: "orders",
      eventKey: "Order placed",
      successCriteria: "HigherThanBaseline",
      tags: ["example-tag"],
      randomizationUnits: ["user"],
      maintainerId: "569fdeadbeef1644facecafe",
      unitAggregationType: "average",
      analysisType: "mean",
      _attachedFlagCount: 0,
      _links: { self: { href: `${METRICS}/metric-key-123abc` }, parent: { href: METRICS } },
    });
    expect(typeof created.body._versionId).toBe("string");
    const goal = await server.request("GET", `/goals/${created.body._id}`);
    expect(goal.status).toBe(200);
    expect(goal.body).toMatchObject({
      key: "metric-key-123abc",
      kind: "custom",
      isNumeric: true,
      eventKey: "Order placed",
      unitAggregationType: "average",
    });

    const fromGoals = await server.request("POST", "/goals", {
      body: { siteCode: "demo", name: "Newsletter", key: "newsletter", type: "PAGE_URL" },
    });
    expect(fromGoals.status).toBe(201);
    const metric = await server.request("GET", `${METRICS}/newsletter`);
    expect(metric.status).toBe(200);
    expect(metric.body).toMatchObject({
      _id: String(fromGoals.body.id),
      key: "newsletter",
      kind: "pageview",
      urls: [],
    });

    const pageview = await server.request("POST", METRICS, {
      body: { key: "pricing-view", kind: "pageview", urls: [{ kind: "substring", substring: "/pricing" }] },
    });
    expect(pageview.status, pageview.text).toBe(201);
    expect(pageview.body).toMatchObject({ name: "pricing-view", eventKey: "pricing-view", isNumeric: false });
    const click = await server.request("POST", METRICS, {
      body: {
        key: "buy-click",
        name: "Buy click",
        kind: "click",
        selector: ".buy",
        urls: [{ kind: "exact", url: "https://example.com/" }],
      },
    });
    expect(click.status, click.text).toBe(201);
    expect(click.body.selector).toBe(".buy");
  });

  const refusals: [string, Record<string, unknown>, number, RegExp][] = [
    ["a missing kind", { key: "k1" }, 400, /kind/],
    ["an unknown kind", { key: "k1", kind: "scroll" }, 400, /kind/],
    ["a bad key", { key: "a b", kind: "custom" }, 400, /key/],
    [
      "an undocumented field",
      { key: "k1", kind: "custom", color: "red" },
      400,
      /additional properties 'color'/,
    ],
    [
      "a numeric click metric",
      { key: "k1", kind: "click", isNumeric: true, selector: "a", urls: [{ kind: "exact", url: "x" }] },
      400,
      /only custom metrics can be numeric/,
    ],
    [
      "a unit on a conversion metric",
      { key: "k1", kind: "custom", unit: "EUR" },
      400,
      /unit applies to numeric/,
    ],
    ["a pageview without urls", { key: "k1", kind: "pageview" }, 400, /urls is required for pageview/],
    [
      "a click without selector",
      { key: "k1", kind: "click", urls: [{ kind: "exact", url: "x" }] },
      400,
      /selector is required/,
    ],
    [
      "a selector on a custom metric",
      { key: "k1", kind: "custom", selector: ".a" },
      400,
      /selector and body\.urls apply/,
    ],
    [
      "another randomization unit",
      { key: "k1", kind: "custom", randomizationUnits: ["organization"] },
      400,
      /randomizationUnits/,
    ],
    [
      "percentile analysis",
      { key: "k1", kind: "custom", analysisType: "percentile", percentileValue: 95 },
      400,
      /analysisType 'percentile'/,
    ],
    [
      "a non-zero event default",
      { key: "k1", kind: "custom", isNumeric: true, eventDefault: { value: 5 } },
      400,
      /eventDefault/,
    ],
    [
      "a bad URL matcher",
      { key: "k1", kind: "pageview", urls: [{ kind: "regex", url: "x" }] },
      400,
      /urls\.0/,
    ],
    ["a taken key", { key: "purchase", kind: "custom" }, 409, /already exists/],
  ];
  for (const [what, body, status, message] of refusals) {
    it(`refuses ${what}`, async () => {
      expectLaunchDarklyError(
        await server.request("POST", METRICS, { body }),
        status,
        status === 409 ? "conflict" : "invalid_request",
        message,
      );
    });
  }

  it("lists with limit/offset, filter, sort and expand", async () => {
    const all = await server.request("GET", METRICS);
    expect(all.status).toBe(200);
    expect(all.body.totalCount).toBe(all.body.items.length);
    expect(all.body.items.map((m: J) => m.key)).toContain("purchase");
    const page = await server.request("GET", `${METRICS}?limit=2&offset=1&sort=name`);
    expect(page.body.items).toHaveLength(2);
    expect(page.body._links.next.href).toContain("offset=3");
    expect(page.body._links.prev.href).toContain("offset=0");
    const names = (await server.request("GET", `${METRICS}?sort=-name`)).body.items.map((m: J) => m.name);
    expect(names).toEqual(
      [...names].sort((a: string, b: string) => b.toLowerCase().localeCompare(a.toLowerCase())),
    );
    const pageviews = await server.request(
      "GET",
      `${METRICS}?filter=${encodeURIComponent("eventKind equals pageview")}`,
    );
    expect(pageviews.body.items.map((m: J) => m.key).sort()).toEqual(["newsletter", "pricing-view"]);
    const numeric = await server.request(
      "GET",
      `${METRICS}?filter=${encodeURIComponent('isNumeric equals true,tags contains ["example-tag"]')}`,
    );
    expect(numeric.body.items.map((m: J) => m.key)).toEqual(["metric-key-123abc"]);
    const query = await server.request(
      "GET",
      `${METRICS}?filter=${encodeURIComponent('query equals "CART"')}`,
    );
    expect(query.body.items.map((m: J) => m.key)).toEqual(["add-to-cart"]);
    const counted = await server.request("GET", `${METRICS}?expand=experimentCount`);
    expect(counted.body.items.every((m: J) => m.experimentCount === 0)).toBe(true);
    expectLaunchDarklyError(
      await server.request("GET", `${METRICS}?filter=${encodeURIComponent("owner equals me")}`),
      400,
      "invalid_request",
      /unknown field 'owner'/,
    );
    expectLaunchDarklyError(
      await server.request("GET", `${METRICS}?filter=${encodeURIComponent("eventKind anyOf [1]")}`),
      400,
      "invalid_request",
      /eventKind supports equals/,
    );
    expectLaunchDarklyError(
      await server.request("GET", `${METRICS}?filter=nonsense`),
      400,
      "invalid_request",
      /<field> <operator> <value>/,
    );
    expectLaunchDarklyError(
      await server.request("GET", `${METRICS}?sort=color`),
      400,
      "invalid_request",
      /sort/,
    );
    expectLaunchDarklyError(
      await server.request("GET", `${METRICS}?expand=everything`),
      400,
      "invalid_request",
      /expand/,
    );
    expectLaunchDarklyError(await server.request("GET", "/api/v2/metrics/nope"), 404, "not_found", /nope/);
    expectLaunchDarklyError(await server.request("GET", `${METRICS}/nope`), 404, "not_found", /nope/);
  });

  it("patches with JSON Patch; other paths answer 400 naming them", async () => {
    const patched = await server.request("PATCH", `${METRICS}/metric-key-123abc`, {
      body: {
        comment: "rename",
        patch: [
          { op: "replace", path: "/name", value: "Orders" },
          { op: "replace", path: "/successCriteria", value: "LowerThanBaseline" },
          { op: "add", path: "/tags/-", value: "checkout" },
        ],
      },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({
      name: "Orders",
      successCriteria: "LowerThanBaseline",
      tags: ["example-tag", "checkout"],
      maintainerId: "569fdeadbeef1644facecafe",
    });
    const goal = await server.request("GET", `/goals/${patched.body._id}`);
    expect(goal.body).toMatchObject({ name: "Orders", successCriteria: "LowerThanBaseline" });
    const conversion = await server.request("PATCH", `${METRICS}/metric-key-123abc`, {
      body: [
        { op: "replace", path: "/isNumeric", value: false },
        { op: "remove", path: "/unit" },
      ],
    });
    expect(conversion.status, conversion.text).toBe(200);
    expect(conversion.body.isNumeric).toBe(false);
    expect(conversion.body.unit).toBeUndefined();

    const url = `${METRICS}/metric-key-123abc`;
    expectLaunchDarklyError(
      await server.request("PATCH", url, { body: [{ op: "replace", path: "/key", value: "x" }] }),
      400,
      "invalid_request",
      /'\/key' cannot be changed/,
    );
    expectLaunchDarklyError(
      await server.request("PATCH", url, { body: [{ op: "add", path: "/unit", value: "EUR" }] }),
      400,
      "invalid_request",
      /unit applies to numeric/,
    );
    expectLaunchDarklyError(
      await server.request("PATCH", url, { body: [{ op: "replace", path: "/kind", value: "scroll" }] }),
      400,
      "invalid_request",
      /kind must be one of/,
    );
    expectLaunchDarklyError(
      await server.request("PATCH", url, { body: [{ op: "replace", path: "/name", value: "" }] }),
      400,
      "invalid_request",
      /name must be/,
    );
    expectLaunchDarklyError(
      await server.request("PATCH", url, { body: [{ op: "test", path: "/name", value: "Other" }] }),
      400,
      "invalid_request",
      /Invalid JSON Patch/,
    );
    expectLaunchDarklyError(
      await server.request("PATCH", url, { body: { name: "x" } }),
      400,
      "invalid_request",
    );
    expect((await server.request("GET", url)).body.name).toBe("Orders");
  });

  it("refuses to delete a metric in use (409 naming the users) and deletes an unused one", async () => {
    const flag = await createFlag(server, {
      featureKey: "metric-user",
      name: "Uses a metric",
      variations: [{ key: "off" }, { key: "on" }],
    });
    const ids = Object.fromEntries(flag.variations.map((v: J) => [v.key, v.id]));
    const experiment = await server.request(
      "POST",
      "/api/v2/projects/demo/environments/staging/experiments",
      {
        headers: { "ld-api-version": "beta" },
        body: {
          key: "uses-pricing",
          name: "Uses pricing",
          iteration: {
            hypothesis: "h",
            metrics: [{ key: "pricing-view" }],
            treatments: [
              {
                name: "Off",
                baseline: true,
                allocationPercent: "50",
                parameters: [{ flagKey: "metric-user", variationId: ids.off }],
              },
              {
                name: "On",
                allocationPercent: "50",
                parameters: [{ flagKey: "metric-user", variationId: ids.on }],
              },
            ],
            flags: { "metric-user": { ruleId: "fallthrough" } },
          },
        },
      },
    );
    expect(experiment.status, experiment.text).toBe(201);
    expectLaunchDarklyError(
      await server.request("DELETE", `${METRICS}/pricing-view`),
      409,
      "conflict",
      /in use by experiment 'uses-pricing' \(staging\), flag 'metric-user'/,
    );
    const used = await server.request("GET", `${METRICS}/pricing-view?expand=experiments,experimentCount`);
    expect(used.body).toMatchObject({
      experimentCount: 1,
      experiments: [{ key: "uses-pricing", environmentKey: "staging" }],
      _attachedFlagCount: 1,
      _attachedFeatures: [{ key: "metric-user", name: "Uses a metric" }],
    });
    const deleted = await server.request("DELETE", `${METRICS}/buy-click`);
    expect(deleted.status, deleted.text).toBe(204);
    expectLaunchDarklyError(await server.request("GET", `${METRICS}/buy-click`), 404, "not_found");
    expectLaunchDarklyError(await server.request("DELETE", `${METRICS}/buy-click`), 404, "not_found");
  });

  it("lets a reader read and not write; a scoped token sees only its project; 405 elsewhere", async () => {
    const reader = await tokenWith(server, "reader");
    expect((await server.request("GET", METRICS, { token: reader })).status).toBe(200);
    expectLaunchDarklyError(
      await server.request("POST", METRICS, { token: reader, body: { key: "r", kind: "custom" } }),
      403,
      "forbidden",
    );
    expectLaunchDarklyError(
      await server.request("PATCH", `${METRICS}/purchase`, { token: reader, body: [] }),
      403,
      "forbidden",
    );
    expectLaunchDarklyError(
      await server.request("DELETE", `${METRICS}/newsletter`, { token: reader }),
      403,
      "forbidden",
    );
    await server.request("POST", "/api/v2/projects", { body: { key: "other", name: "Other" } });
    const scoped = await tokenWith(server, "writer", "other");
    expectLaunchDarklyError(
      await server.request("GET", METRICS, { token: scoped }),
      403,
      "forbidden",
      /scoped to project 'other'/,
    );
    expectLaunchDarklyError(
      await server.request("GET", `${METRICS}/purchase`, { token: scoped }),
      403,
      "forbidden",
    );
    expect((await server.request("GET", "/api/v2/metrics/other", { token: scoped })).body.totalCount).toBe(0);
    expectLaunchDarklyError(
      await server.request("PUT", `${METRICS}/purchase`, { body: {} }),
      405,
      "method_not_allowed",
      /PUT/,
    );
    expectLaunchDarklyError(await server.request("DELETE", METRICS), 405, "method_not_allowed");
    expectLaunchDarklyError(
      await server.request("GET", METRICS, { token: "wrong" }),
      401,
      "unauthorized",
      /Invalid access token/,
    );
  });
});
