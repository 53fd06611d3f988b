import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import { findGoalById, findGoalByKey, listGoals } from "../src/goals/goals.service.js";
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
  server.request("POST", "/goals", { body: { siteCode: "demo", ...body } });

describe("goals", () => {
  it("creates with defaults, a key from the name, and Kameleoon's type", async () => {
    const created = await create({ name: "Checkout completed!" });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      key: "checkout-completed",
      name: "Checkout completed!",
      siteCode: "demo",
      kind: "custom",
      type: "CUSTOM",
      eventKey: "checkout-completed",
      isNumeric: false,
      unit: null,
      successCriteria: "HigherThanBaseline",
      unitAggregationType: "sum",
      hasMultipleConversions: true,
    });
    const again = await create({ name: "Checkout completed!" });
    expect(again.body.key).toBe("checkout-completed-2");
    const revenue = await create({
      name: "Revenue",
      key: "revenue",
      type: "PAGE_URL",
      eventKey: "/thank-you",
      isNumeric: true,
      unit: "EUR",
      successCriteria: "HigherThanBaseline",
      unitAggregationType: "average",
      hasMultipleConversions: false,
      tags: ["money"],
    });
    expect(revenue.body).toMatchObject({
      kind: "pageview",
      type: "PAGE_URL",
      isNumeric: true,
      unit: "EUR",
      unitAggregationType: "average",
    });
    const click = await create({ name: "Click", kind: "click" });
    expect(click.body.type).toBe("CLICK");
  });

  it("reads, lists, updates (merge patch) and deletes", async () => {
    const goal = (await create({ name: "Signup", key: "signup" })).body;
    expect((await server.request("GET", `/goals/${goal.id}`)).body).toEqual(goal);
    const list = await server.request("GET", "/goals?siteCode=demo");
    expect(list.body.map((g: J) => g.key)).toContain("signup");
    const updated = await server.request("PATCH", `/goals/${goal.id}`, {
      body: { name: "Sign-up", isNumeric: true, unit: "count", type: "CLICK", tags: ["a"] },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toMatchObject({
      key: "signup",
      name: "Sign-up",
      isNumeric: true,
      unit: "count",
      kind: "click",
      tags: ["a"],
    });
    const cleared = await server.request("PATCH", `/goals/${goal.id}`, { body: { unit: null, tags: null } });
    expect(cleared.body).toMatchObject({ unit: null, tags: [] });
    expect((await server.request("DELETE", `/goals/${goal.id}`)).status).toBe(204);
    expectKameleoonError(await server.request("GET", `/goals/${goal.id}`), 404);
  });

  it("keeps keys unique per project (409) and validates fields", async () => {
    await create({ name: "Unique", key: "unique" });
    expectKameleoonError(await create({ name: "Again", key: "unique" }), 409, /body\.key.*unique/);
    const other = await server.request("POST", "/goals", {
      body: { siteCode: "other", name: "Unique", key: "unique" },
    });
    expect(other.status).toBe(201);
    const second = (await create({ name: "Second", key: "second" })).body;
    expectKameleoonError(
      await server.request("PATCH", `/goals/${second.id}`, { body: { key: "unique" } }),
      409,
    );
    expectKameleoonError(await create({ name: "Bad", key: "has space" }), 400, /body\.key/);
    expectKameleoonError(await create({ name: "Bad", kind: "scroll" }), 400, /body\.kind/);
    expectKameleoonError(await create({ name: "Bad", type: "TIME_SPENT" }), 400, /body\.type/);
    expectKameleoonError(
      await create({ name: "Bad", kind: "click", type: "CUSTOM" }),
      400,
      /body\.type CUSTOM contradicts kind 'click'/,
    );
    expectKameleoonError(
      await create({ name: "Bad", successCriteria: "Better" }),
      400,
      /body\.successCriteria/,
    );
    expectKameleoonError(
      await create({ name: "Bad", unitAggregationType: "median" }),
      400,
      /body\.unitAggregationType/,
    );
    expectKameleoonError(await create({ name: "" }), 400, /body\.name/);
    expectKameleoonError(await create({ name: "Bad", weight: 1 }), 400, /additional properties 'weight'/);
    expectKameleoonError(
      await server.request("PATCH", `/goals/${second.id}`, { body: { name: null } }),
      400,
      /body\.name/,
    );
    expectKameleoonError(
      await server.request("PATCH", `/goals/${second.id}`, { body: { siteCode: "other" } }),
      400,
      /read-only/,
    );
    expect((await server.request("GET", `/goals/${second.id}`)).body).toEqual(second);
    expectKameleoonError(
      await server.request("POST", "/goals", { body: { siteCode: "nowhere", name: "x" } }),
      404,
    );
  });

  it("cannot delete a goal in use by a flag (409 naming the uses)", async () => {
    const primary = (await create({ name: "Primary", key: "primary" })).body;
    const rollback = (await create({ name: "Guardrail", key: "guardrail" })).body;
    await createFlag(server, {
      featureKey: "uses_goals",
      name: "Uses goals",
      primaryGoalId: primary.id,
      secondaryGoalIds: [rollback.id],
      environmentConfigurations: [
        {
          environmentKey: "staging",
          rolloutRules: [
            {
              type: "TARGETED_DELIVERY",
              variationKey: "on",
              // A targeted rule serves one variation: only a conversion-rate condition applies to it.
              rollbackConditions: [{ criteria: "CONVERSION_RATE", goalId: rollback.id, matchValue: 10 }],
            },
          ],
        },
      ],
    });
    expectKameleoonError(
      await server.request("DELETE", `/goals/${primary.id}`),
      409,
      /uses_goals.*primaryGoalId/,
    );
    const refused = await server.request("DELETE", `/goals/${rollback.id}`);
    expectKameleoonError(refused, 409, /secondaryGoalIds/);
    expect(refused.body.message).toMatch(/rollback condition 1 of rule \d+ \(staging\)/);
    expect((await server.request("GET", `/goals/${rollback.id}`)).status).toBe(200);
    await server.request("PATCH", "/feature-flags/demo/uses_goals", { body: { primaryGoalId: null } });
    expect((await server.request("DELETE", `/goals/${primary.id}`)).status).toBe(204);
  });

  it("confines goals to their project and audits changes", async () => {
    const scoped = await tokenWith(server, "writer", "other");
    const goal = (await create({ name: "Private", key: "private" })).body;
    expectKameleoonError(await server.request("GET", `/goals/${goal.id}`, { token: scoped }), 403);
    expectKameleoonError(
      await server.request("PATCH", `/goals/${goal.id}`, { token: scoped, body: { name: "x" } }),
      403,
    );
    const list = await server.request("GET", "/goals", { token: scoped });
    expect(list.body.every((g: J) => g.siteCode === "other")).toBe(true);
    const audit = await server.request("GET", `/audit-log?resourceType=goal&resourceId=${goal.id}`);
    expect(audit.body.items[0]).toMatchObject({ action: "goal.create", after: { key: "private" } });
  });

  it("offers lookups by id and key to other capabilities", async () => {
    const goal = (await create({ name: "Lookup", key: "lookup" })).body;
    expect((await findGoalById(server.context, goal.id))?.key).toBe("lookup");
    expect((await findGoalByKey(server.context, "demo", "lookup"))?.id).toBe(goal.id);
    expect((await listGoals(server.context, "demo")).map((g) => g.key)).toContain("lookup");
    expect(await findGoalByKey(server.context, "other", "lookup")).toBeUndefined();
  });
});
