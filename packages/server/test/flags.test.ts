import path from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConfigChange } from "../src/changes/change-bus.js";
import { withFlagLock } from "../src/flags/flag-lock.js";
import {
  createFlag,
  exampleBody,
  expectKameleoonError,
  type J,
  setupDemo,
  tokenWith,
} from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
let clock = Date.parse("2025-06-10T12:00:00Z");
beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  await setupDemo(server);
});
afterAll(async () => server?.close());

/** The documented request fields must come back as sent (ids and computed fields added around them). */
function expectContains(actual: unknown, expected: unknown, path = "flag"): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, path).toBe(expected.length);
    expected.forEach((item, i) => {
      expectContains((actual as unknown[])[i], item, `${path}.${i}`);
    });
  } else if (typeof expected === "object" && expected !== null) {
    for (const [key, value] of Object.entries(expected)) {
      expectContains((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
  } else {
    expect(actual, path).toEqual(expected);
  }
}

describe("Kameleoon's documented create example", () => {
  let created: J;

  it("answers 201 with the whole flag, numeric ids and computed fields", async () => {
    const response = await server.request("POST", "/feature-flags", { body: exampleBody() });
    expect(response.status, response.text).toBe(201);
    created = response.body;
    expect(response.headers.etag).toBe('"1"');
    expect(created.id).toBeGreaterThan(100_000);
    expect(created).toMatchObject({
      featureKey: "new_checkout",
      siteCode: "demo",
      version: 1,
      archived: false,
      health: "HEALTHY",
    });
    for (const date of ["dateCreated", "dateModified", "dateContentModified"]) {
      expect(created[date]).toBe("2025-06-10T12:00:00.000Z");
    }
    const [development, staging, production] = created.environmentConfigurations;
    const experiment = development.rolloutRules[0];
    expect(experiment.id).toBeGreaterThan(400_000);
    expect(experiment.id).not.toBe(123); // a client's id that names no rule of this flag is replaced
    expect(typeof experiment.experimentId).toBe("number");
    expect(experiment.status).toBe("ACTIVE");
    expect(experiment.rollbackConditions[0].id).toBe(1);
    const [off, on] = created.variations;
    expect(experiment.trafficAllocations).toEqual([
      { variationKey: "off", variationId: off.id, exposition: 50 },
      { variationKey: "on", variationId: on.id, exposition: 50 },
    ]);
    // Variation variables get their type from the flag-level declaration.
    expect(on.variables).toEqual([
      { key: "one_page", type: "BOOLEAN", value: "true" },
      { key: "button_color", type: "STRING", value: "green" },
    ]);
    // Day 9 of a daily +10 ramp from 10 % (Paris wall clock 09:00 = 07:00Z on 2025-06-01).
    expect(staging.rolloutRules[0].currentExposition).toBe(100);
    expect(staging.rolloutRules[0].exposition).toBe(10);
    expect(production.rolloutRules[0].status).toBe("ACTIVE");
    expect(production.rolloutRules[1]).toMatchObject({
      status: "PAUSED",
      currentExposition: 0,
      orderIndex: 1,
    });
    // Everything sent comes back (ids of the request aside).
    const sent = exampleBody();
    for (const environment of sent.environmentConfigurations) {
      for (const rule of environment.rolloutRules) {
        delete rule.id;
        for (const condition of rule.rollbackConditions ?? []) delete condition.id;
        for (const allocation of rule.trafficAllocations ?? []) delete allocation.variationId;
      }
    }
    expectContains(created, sent);
  });

  it("reads back the same content", async () => {
    const response = await server.request("GET", "/feature-flags/demo/new_checkout");
    expect(response.status).toBe(200);
    expect(response.body).toEqual(created);
  });

  it("computes rule status and current exposition from the clock at read time", async () => {
    clock = Date.parse("2025-06-03T08:00:00Z"); // 2 days after the ramp's start: 10 + 2 x 10
    const early = (await server.request("GET", "/feature-flags/demo/new_checkout")).body;
    expect(early.environmentConfigurations[1].rolloutRules[0].currentExposition).toBe(30);
    clock = Date.parse("2025-07-01T00:00:00Z"); // after releaseTo of the production rule
    const late = (await server.request("GET", "/feature-flags/demo/new_checkout")).body;
    expect(late.environmentConfigurations[2].rolloutRules[0].status).toBe("OUTDATED");
    clock = Date.parse("2025-05-01T00:00:00Z");
    const before = (await server.request("GET", "/feature-flags/demo/new_checkout")).body;
    expect(before.environmentConfigurations[2].rolloutRules[0].status).toBe("PLANNED");
    expect(before.environmentConfigurations[1].rolloutRules[0].currentExposition).toBe(0);
    clock = Date.parse("2025-06-10T12:00:00Z");
  });
});

describe("defaults", () => {
  it("gives a minimal flag off/on variations and one disabled configuration per environment", async () => {
    const flag = await createFlag(server, { featureKey: "minimal", name: "Minimal" });
    expect(flag.variations.map((v: J) => [v.key, v.name, v.variables])).toEqual([
      ["off", "Off", []],
      ["on", "On", []],
    ]);
    expect(flag.environmentConfigurations).toEqual(
      ["development", "staging", "production"].map((environmentKey) => ({
        environmentKey,
        featureEnabled: false,
        defaultVariationKey: "off",
        integrations: { deliveryRules: [], experimentRules: [] },
        dateModified: flag.dateCreated,
        rolloutRules: [],
      })),
    );
    expect(flag).toMatchObject({
      description: "",
      tags: [],
      secondaryGoalIds: [],
      variables: [],
      health: "HEALTHY",
    });
  });

  it("shows an environment added later as disabled with `off` until it is configured", async () => {
    await server.request("POST", "/projects", { body: { key: "later", name: "Later" } });
    await server.request("POST", "/feature-flags", {
      body: { siteCode: "later", featureKey: "f", name: "F" },
    });
    const added = await server.request("POST", "/projects/later/environments", {
      body: { key: "qa", name: "QA" },
    });
    expect(added.status).toBe(201);
    const flag = (await server.request("GET", "/feature-flags/later/f")).body;
    expect(flag.environmentConfigurations.map((e: J) => e.environmentKey)).toEqual([
      "development",
      "staging",
      "production",
      "qa",
    ]);
    expect(flag.environmentConfigurations[3]).toMatchObject({
      featureEnabled: false,
      defaultVariationKey: "off",
      rolloutRules: [],
    });
    const patched = await server.request("PATCH", "/feature-flags/later/f/qa", {
      body: { featureEnabled: true },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.environmentConfigurations[3].featureEnabled).toBe(true);
  });

  it("marks a flag permanent on request and refuses computed health values", async () => {
    const flag = await createFlag(server, {
      featureKey: "permanent",
      name: "Permanent",
      health: "PERMANENT",
    });
    expect(flag.health).toBe("PERMANENT");
    const stale = await server.request("PATCH", "/feature-flags/demo/permanent", {
      body: { health: "STALE" },
    });
    expectKameleoonError(stale, 400, /body\.health/);
    const healthy = await server.request("PATCH", "/feature-flags/demo/permanent", {
      body: { health: null },
    });
    expect(healthy.body.health).toBe("HEALTHY");
  });
});

describe("duplicate", () => {
  it("copies a flag with new ids under <key>-copy, then <key>-copy-2", async () => {
    const source = (await server.request("GET", "/feature-flags/demo/new_checkout")).body;
    const copy = await server.request("POST", "/feature-flags/demo/new_checkout/duplicate");
    expect(copy.status, copy.text).toBe(201);
    expect(copy.body.featureKey).toBe("new_checkout-copy");
    expect(copy.body.name).toBe("New checkout (copy)");
    expect(copy.body.id).not.toBe(source.id);
    expect(copy.body.version).toBe(1);
    const sourceRules = source.environmentConfigurations.flatMap((e: J) => e.rolloutRules);
    const copyRules = copy.body.environmentConfigurations.flatMap((e: J) => e.rolloutRules);
    expect(copyRules.map((r: J) => r.type)).toEqual(sourceRules.map((r: J) => r.type));
    for (const [i, rule] of copyRules.entries()) expect(rule.id).not.toBe(sourceRules[i].id);
    expect(copyRules[0].experimentId).not.toBe(sourceRules[0].experimentId);
    expect(copy.body.variations.map((v: J) => v.id)).not.toEqual(source.variations.map((v: J) => v.id));
    expect(copy.body.variations.map((v: J) => v.key)).toEqual(source.variations.map((v: J) => v.key));
    const second = await server.request("POST", "/feature-flags/demo/new_checkout/duplicate", { body: {} });
    expect(second.body.featureKey).toBe("new_checkout-copy-2");
  });

  it("takes Content-Type application/json with an empty body as the documented no-body call", async () => {
    // What most HTTP clients send for a POST without a body; Kameleoon documents that call as 201.
    await createFlag(server, { featureKey: "empty_body_source", name: "Empty body source" });
    const copy = await server.request("POST", "/feature-flags/demo/empty_body_source/duplicate", {
      headers: { "content-type": "application/json" },
      rawBody: "",
    });
    expect(copy.status, copy.text).toBe(201);
    expect(copy.body.featureKey).toBe("empty_body_source-copy");
    const malformed = await server.request("POST", "/feature-flags/demo/empty_body_source/duplicate", {
      headers: { "content-type": "application/json" },
      rawBody: "{",
    });
    expectKameleoonError(malformed, 400, /Malformed JSON/);
    const poisoned = await server.request("POST", "/feature-flags/demo/empty_body_source/duplicate", {
      headers: { "content-type": "application/json" },
      rawBody: '{"__proto__": {"featureKey": "x"}}',
    });
    expectKameleoonError(poisoned, 400);
  });

  it("takes the key and name from the body, 409 when the key is taken", async () => {
    const named = await server.request("POST", "/feature-flags/demo/minimal/duplicate", {
      body: { featureKey: "minimal_v2", name: "Minimal v2" },
    });
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({ featureKey: "minimal_v2", name: "Minimal v2" });
    const taken = await server.request("POST", "/feature-flags/demo/minimal/duplicate", {
      body: { featureKey: "minimal_v2" },
    });
    expectKameleoonError(taken, 409, /minimal_v2/);
    const missing = await server.request("POST", "/feature-flags/demo/nope/duplicate");
    expectKameleoonError(missing, 404);
  });
});

describe("JSON Merge Patch", () => {
  it("sets, deletes with null and replaces arrays whole; each change bumps the version", async () => {
    const before = (await server.request("GET", "/feature-flags/demo/new_checkout")).body;
    const response = await server.request("PATCH", "/feature-flags/demo/new_checkout", {
      body: { description: null, primaryGoalId: null, tags: ["only"], name: "Checkout v2" },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(response.status, response.text).toBe(200);
    const after = response.body;
    expect(after.version).toBe(before.version + 1);
    expect(after.description).toBe("");
    expect(after.primaryGoalId).toBeUndefined();
    expect(after.tags).toEqual(["only"]);
    expect(after.name).toBe("Checkout v2");
    // Untouched parts stay, ids included; metadata edits leave dateContentModified alone.
    expect(after.environmentConfigurations).toEqual(before.environmentConfigurations);
    expect(after.variations).toEqual(before.variations);
    expect(after.dateContentModified).toBe(before.dateContentModified);
  });

  it("replaces an environment's rules with the array sent, keeping the ids of rules sent back", async () => {
    const before = (await server.request("GET", "/feature-flags/demo/new_checkout")).body;
    const production = before.environmentConfigurations[2];
    clock += 60_000;
    const response = await server.request("PATCH", "/feature-flags/demo/new_checkout", {
      body: {
        environmentConfigurations: [
          before.environmentConfigurations[0],
          before.environmentConfigurations[1],
          {
            ...production,
            rolloutRules: [
              production.rolloutRules[1],
              { type: "TARGETED_DELIVERY", variationKey: "on", exposition: 5 },
            ],
          },
        ],
      },
    });
    expect(response.status, response.text).toBe(200);
    const rules = response.body.environmentConfigurations[2].rolloutRules;
    expect(rules[0].id).toBe(production.rolloutRules[1].id);
    expect(rules[0].orderIndex).toBe(0);
    expect(rules[1].id).toBeGreaterThan(production.rolloutRules[1].id);
    expect(rules[1]).toMatchObject({ name: "Targeted delivery", state: "ACTIVE", exposition: 5 });
    expect(response.body.environmentConfigurations[2].dateModified).toBe(new Date(clock).toISOString());
    expect(response.body.environmentConfigurations[0].dateModified).toBe(
      before.environmentConfigurations[0].dateModified,
    );
    expect(response.body.dateContentModified).toBe(new Date(clock).toISOString());
    // The removed rule is gone for good: its id no longer resolves.
    const gone = await server.request("PATCH", `/feature-flags/rules/${production.rolloutRules[0].id}`, {
      body: { exposition: 1 },
    });
    expectKameleoonError(gone, 404);
  });

  it("keeps variation ids by key across edits", async () => {
    const before = (await server.request("GET", "/feature-flags/demo/minimal")).body;
    const added = await server.request("PATCH", "/feature-flags/demo/minimal", {
      body: { variations: [{ key: "on" }, { key: "blue" }, { key: "off" }] },
    });
    const ids = Object.fromEntries(added.body.variations.map((v: J) => [v.key, v.id]));
    expect(ids.on).toBe(before.variations[1].id);
    expect(ids.off).toBe(before.variations[0].id);
    const removed = await server.request("PATCH", "/feature-flags/demo/minimal", {
      body: { variations: [{ key: "off" }, { key: "on" }] },
    });
    const readded = await server.request("PATCH", "/feature-flags/demo/minimal", {
      body: { variations: [{ key: "off" }, { key: "on" }, { key: "blue" }] },
    });
    expect(removed.status).toBe(200);
    expect(readded.body.variations[2].id).toBe(ids.blue);
  });

  it("answers an unchanged document without a new version", async () => {
    const before = (await server.request("GET", "/feature-flags/demo/minimal")).body;
    const same = await server.request("PATCH", "/feature-flags/demo/minimal", {
      body: { name: before.name },
    });
    expect(same.body.version).toBe(before.version);
    const roundTrip = await server.request("PATCH", "/feature-flags/demo/minimal", { body: before });
    expect(roundTrip.status, roundTrip.text).toBe(200);
    expect(roundTrip.body.version).toBe(before.version);
  });

  it("renames a flag through featureKey (409 when taken)", async () => {
    await createFlag(server, { featureKey: "old_name", name: "Old" });
    const taken = await server.request("PATCH", "/feature-flags/demo/old_name", {
      body: { featureKey: "minimal" },
    });
    expectKameleoonError(taken, 409, /minimal/);
    const renamed = await server.request("PATCH", "/feature-flags/demo/old_name", {
      body: { featureKey: "new_name" },
    });
    expect(renamed.body.featureKey).toBe("new_name");
    expect((await server.request("GET", "/feature-flags/demo/old_name")).status).toBe(404);
    expect((await server.request("GET", "/feature-flags/demo/new_name")).status).toBe(200);
  });
});

describe("environment and rule patches", () => {
  it("patches one environment; flag fields in the same body patch the flag", async () => {
    const before = (await server.request("GET", "/feature-flags/demo/minimal")).body;
    const response = await server.request("PATCH", "/feature-flags/demo/minimal/production", {
      body: {
        featureEnabled: true,
        defaultVariationKey: "on",
        rolloutRules: [{ type: "TARGETED_DELIVERY", variationKey: "off", segmentId: 200001, exposition: 20 }],
        description: "patched through the environment",
      },
    });
    expect(response.status, response.text).toBe(200);
    const production = response.body.environmentConfigurations[2];
    expect(production).toMatchObject({ featureEnabled: true, defaultVariationKey: "on" });
    expect(production.rolloutRules[0]).toMatchObject({
      type: "TARGETED_DELIVERY",
      variationKey: "off",
      exposition: 20,
    });
    expect(response.body.description).toBe("patched through the environment");
    expect(response.body.environmentConfigurations[0]).toEqual(before.environmentConfigurations[0]);
    expect(response.body.version).toBe(before.version + 1);
    expectKameleoonError(
      await server.request("PATCH", "/feature-flags/demo/minimal/nowhere", {
        body: { featureEnabled: true },
      }),
      404,
    );
  });

  it("patches one rule by id and bumps the flag's version; orderIndex moves it", async () => {
    await server.request("PATCH", "/feature-flags/demo/minimal/staging", {
      body: {
        rolloutRules: [
          { type: "TARGETED_DELIVERY", variationKey: "on", name: "first" },
          { type: "TARGETED_DELIVERY", variationKey: "on", name: "second" },
        ],
      },
    });
    const before = (await server.request("GET", "/feature-flags/demo/minimal")).body;
    const [first, second] = before.environmentConfigurations[1].rolloutRules;
    const response = await server.request("PATCH", `/feature-flags/rules/${second.id}`, {
      body: {
        exposition: 42,
        release: { releaseFrom: "2030-01-01T00:00:00", timeZone: "Asia/Tokyo" },
        orderIndex: 0,
      },
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body.version).toBe(before.version + 1);
    const rules = response.body.environmentConfigurations[1].rolloutRules;
    expect(rules.map((r: J) => r.id)).toEqual([second.id, first.id]);
    expect(rules[0]).toMatchObject({ exposition: 42, status: "PLANNED", orderIndex: 0 });
    const nulled = await server.request("PATCH", `/feature-flags/rules/${second.id}`, {
      body: { release: null },
    });
    expect(nulled.body.environmentConfigurations[1].rolloutRules[0].release).toBeUndefined();
    expect(nulled.body.environmentConfigurations[1].rolloutRules[0].status).toBe("ACTIVE");
  });

  it("checks the project scope of the rule's flag", async () => {
    const flag = (await server.request("GET", "/feature-flags/demo/minimal")).body;
    const ruleId = flag.environmentConfigurations[1].rolloutRules[0].id;
    const other = await tokenWith(server, "writer", "later");
    const denied = await server.request("PATCH", `/feature-flags/rules/${ruleId}`, {
      token: other,
      body: { exposition: 1 },
    });
    expectKameleoonError(denied, 403);
    expectKameleoonError(
      await server.request("PATCH", "/feature-flags/rules/999999999", { body: { exposition: 1 } }),
      404,
    );
    const reader = await tokenWith(server, "reader");
    expectKameleoonError(
      await server.request("PATCH", `/feature-flags/rules/${ruleId}`, { token: reader, body: {} }),
      403,
    );
    const unchanged = (await server.request("GET", "/feature-flags/demo/minimal")).body;
    expect(unchanged.version).toBe(flag.version);
  });
});

describe("optimistic concurrency", () => {
  it("answers ETag and honours If-Match; a stale one is 409 and changes nothing", async () => {
    const read = await server.request("GET", "/feature-flags/demo/minimal");
    const etag = read.headers.etag as string;
    expect(etag).toBe(`"${read.body.version}"`);
    const ok = await server.request("PATCH", "/feature-flags/demo/minimal", {
      body: { description: "first writer" },
      headers: { "if-match": etag },
    });
    expect(ok.status).toBe(200);
    const stale = await server.request("PATCH", "/feature-flags/demo/minimal", {
      body: { description: "second writer" },
      headers: { "if-match": etag },
    });
    expectKameleoonError(stale, 409, /version/);
    const after = (await server.request("GET", "/feature-flags/demo/minimal")).body;
    expect(after.description).toBe("first writer");
    for (const [method, url, body] of [
      ["PATCH", "/feature-flags/demo/minimal/staging", { featureEnabled: true }],
      [
        "PATCH",
        `/feature-flags/rules/${after.environmentConfigurations[1].rolloutRules[0].id}`,
        { exposition: 3 },
      ],
      ["POST", "/feature-flags/demo/minimal/archive", undefined],
      ["DELETE", "/feature-flags/demo/minimal", undefined],
    ] as const) {
      const response = await server.request(method, url, { body, headers: { "if-match": 'W/"1"' } });
      expectKameleoonError(response, 409);
    }
    const weak = await server.request("PATCH", "/feature-flags/demo/minimal", {
      body: { description: "weak etag" },
      headers: { "if-match": `W/"${after.version}"` },
    });
    expect(weak.status).toBe(200);
    expect((await server.request("GET", "/feature-flags/demo/minimal")).body.version).toBe(after.version + 1);
  });
});

describe("automation lock", () => {
  it("answers 423 naming the holder to user writes while automation holds the lock", async () => {
    const flag = (await server.request("GET", "/feature-flags/demo/minimal")).body;
    const service = server.context.services.flags;
    const result = await withFlagLock(server.context, flag.id, "automation:ramp", async () => {
      const blocked = await server.request("PATCH", "/feature-flags/demo/minimal", {
        body: { description: "user" },
      });
      expectKameleoonError(blocked, 423, /automation:ramp/);
      const archive = await server.request("POST", "/feature-flags/demo/minimal/archive");
      expectKameleoonError(archive, 423);
      const remove = await server.request("DELETE", "/feature-flags/demo/minimal");
      expectKameleoonError(remove, 423);
      const rule = flag.environmentConfigurations[1].rolloutRules[0].id;
      expectKameleoonError(
        await server.request("PATCH", `/feature-flags/rules/${rule}`, { body: { exposition: 7 } }),
        423,
      );
      // Another automation holder is refused too.
      await expect(
        withFlagLock(server.context, flag.id, "automation:other", async () => 1),
      ).rejects.toMatchObject({
        statusCode: 423,
      });
      // The holder's own change goes through.
      return service.patchRule(
        { name: "automation:ramp", id: null },
        rule,
        { exposition: 8 },
        { lockHolder: "automation:ramp" },
      );
    });
    expect(result.version).toBe(flag.version + 1);
    const after = await server.request("PATCH", "/feature-flags/demo/minimal", {
      body: { description: "user again" },
    });
    expect(after.status).toBe(200);
    const audit = await server.request(
      "GET",
      `/audit-log?resourceType=feature-flag&resourceId=${flag.id}&limit=2`,
    );
    expect(audit.body.items[1]).toMatchObject({ actor: "automation:ramp", action: "flag.update-rule" });
  });

  it("lets writes through once a lock has expired", async () => {
    const flag = (await server.request("GET", "/feature-flags/demo/minimal")).body;
    await server.context.db
      .updateTable("flags")
      .set({ locked_by: "automation:crashed", locked_until: new Date(clock - 1000).toISOString() })
      .where("id", "=", flag.id)
      .execute();
    const response = await server.request("PATCH", "/feature-flags/demo/minimal", {
      body: { description: "after expiry" },
    });
    expect(response.status).toBe(200);
  });
});

describe("archive, restore and delete", () => {
  it("archives (out of lists unless asked) and restores", async () => {
    await createFlag(server, { featureKey: "to_archive", name: "To archive" });
    const archived = await server.request("POST", "/feature-flags/demo/to_archive/archive");
    expect(archived.body.archived).toBe(true);
    const keys = async (query: string) =>
      (await server.request("GET", `/feature-flags?siteCode=demo${query}`)).body.map((f: J) => f.featureKey);
    expect(await keys("")).not.toContain("to_archive");
    expect(await keys("&archived=true")).toEqual(["to_archive"]);
    expect(await keys("&archived=all")).toContain("to_archive");
    const restored = await server.request("POST", "/feature-flags/demo/to_archive/restore");
    expect(restored.body).toMatchObject({ archived: false, version: 3 });
    const viaPatch = await server.request("PATCH", "/feature-flags/demo/to_archive", {
      body: { isArchived: true },
    });
    expect(viaPatch.body.archived).toBe(true);
    const viaArchived = await server.request("PATCH", "/feature-flags/demo/to_archive", {
      body: { archived: false },
    });
    expect(viaArchived.body.archived).toBe(false);
  });

  it("hard-deletes for admins only", async () => {
    await createFlag(server, { featureKey: "to_delete", name: "To delete" });
    const writer = await tokenWith(server, "writer");
    expectKameleoonError(
      await server.request("DELETE", "/feature-flags/demo/to_delete", { token: writer }),
      403,
    );
    expect((await server.request("GET", "/feature-flags/demo/to_delete")).status).toBe(200);
    const deleted = await server.request("DELETE", "/feature-flags/demo/to_delete");
    expect(deleted.status).toBe(204);
    expectKameleoonError(await server.request("GET", "/feature-flags/demo/to_delete"), 404);
    expectKameleoonError(await server.request("DELETE", "/feature-flags/demo/to_delete"), 404);
  });
});

describe("lists and search", () => {
  beforeAll(async () => {
    await server.request("POST", "/projects", { body: { key: "catalog", name: "Catalog" } });
    for (const [i, key] of ["alpha", "bravo", "charlie", "delta", "echo"].entries()) {
      await server.request("POST", "/feature-flags", {
        body: {
          siteCode: "catalog",
          featureKey: key,
          name: `${key[0]!.toUpperCase()}${key.slice(1)} flag`,
          tags: i % 2 === 0 ? ["even"] : ["odd"],
          health: i === 4 ? "PERMANENT" : "HEALTHY",
        },
      });
    }
    await server.request("POST", "/feature-flags/catalog/echo/archive");
  });

  it("pages with page/perPage and X-Pagination headers", async () => {
    const response = await server.request("GET", "/feature-flags?siteCode=catalog&perPage=2&page=2");
    expect(response.body.map((f: J) => f.featureKey)).toEqual(["charlie", "delta"]);
    expect(response.headers["x-pagination-total-count"]).toBe("4");
    expect(response.headers["x-pagination-page-count"]).toBe("2");
    expect(response.headers["x-pagination-current-page"]).toBe("2");
    const search = await server.request("POST", "/feature-flags/search?siteCode=catalog", {
      body: { page: 3, perPage: 1 },
    });
    expect(search.body.map((f: J) => f.featureKey)).toEqual(["charlie"]);
  });

  it("filters and sorts as Kameleoon's search does", async () => {
    const search = async (body: unknown) => {
      const response = await server.request("POST", "/feature-flags/search?siteCode=catalog", { body });
      expect(response.status, response.text).toBe(200);
      return response.body.map((f: J) => f.featureKey);
    };
    expect(await search({ filter: { field: "tags", operator: "EQUAL", parameters: ["odd"] } })).toEqual([
      "bravo",
      "delta",
    ]);
    expect(await search({ sort: [{ field: "featureKey", direction: "DESC" }] })).toEqual([
      "delta",
      "charlie",
      "bravo",
      "alpha",
    ]);
    expect(await search({ filter: { field: "name", operator: "LIKE", parameters: ["%r% flag"] } })).toEqual([
      "bravo",
      "charlie",
    ]);
    expect(
      await search({
        filter: {
          conditionalOperator: "OR",
          expressions: [
            { field: "featureKey", operator: "EQUAL", parameters: ["alpha"] },
            { field: "featureKey", operator: "IN", parameters: ["delta", "zulu"] },
          ],
        },
      }),
    ).toEqual(["alpha", "delta"]);
    // Asking about `archived` lifts the default exclusion.
    expect(await search({ filter: [{ field: "archived", operator: "IS_TRUE" }] })).toEqual(["echo"]);
    expect(
      await search({ filter: { field: "health", operator: "EQUAL", parameters: ["PERMANENT"] } }),
    ).toEqual([]);
    const badField = await server.request("POST", "/feature-flags/search", {
      body: { filter: { field: "color", operator: "EQUAL", parameters: [1] } },
    });
    expectKameleoonError(badField, 400, /body\.filter\.field/);
    const badOperator = await server.request("POST", "/feature-flags/search", {
      body: { filter: { field: "name", operator: "SOUNDS_LIKE", parameters: [1] } },
    });
    expectKameleoonError(badOperator, 400, /body\.filter\.operator/);
  });

  it("takes filter and sort in the GET query too, plus tags and health shortcuts", async () => {
    const filter = encodeURIComponent(
      JSON.stringify([{ field: "featureKey", operator: "NOT_EQUAL", parameters: ["alpha"] }]),
    );
    const response = await server.request(
      "GET",
      `/feature-flags?siteCode=catalog&filter=${filter}&sort=-featureKey`,
    );
    expect(response.body.map((f: J) => f.featureKey)).toEqual(["delta", "charlie", "bravo"]);
    const byTag = await server.request("GET", "/feature-flags?siteCode=catalog&tags=even");
    expect(byTag.body.map((f: J) => f.featureKey)).toEqual(["alpha", "charlie"]);
    const byHealth = await server.request(
      "GET",
      "/feature-flags?siteCode=catalog&health=PERMANENT&archived=all",
    );
    expect(byHealth.body.map((f: J) => f.featureKey)).toEqual(["echo"]);
    expectKameleoonError(
      await server.request("GET", "/feature-flags?filter=%7Bnope"),
      400,
      /querystring\.filter/,
    );
  });

  it("confines a project-scoped token to its project", async () => {
    const scoped = await tokenWith(server, "reader", "catalog");
    const all = await server.request("GET", "/feature-flags?perPage=1000", { token: scoped });
    expect(new Set(all.body.map((f: J) => f.siteCode))).toEqual(new Set(["catalog"]));
    expectKameleoonError(await server.request("GET", "/feature-flags?siteCode=demo", { token: scoped }), 403);
    expectKameleoonError(await server.request("GET", "/feature-flags/demo/minimal", { token: scoped }), 403);
    const denied = await server.request("POST", "/feature-flags", {
      token: scoped,
      body: { siteCode: "catalog", featureKey: "x", name: "x" },
    });
    expectKameleoonError(denied, 403);
  });
});

describe("audit and change notifications", () => {
  it("audits every change with before and after", async () => {
    const flag = await createFlag(server, { featureKey: "audited", name: "Audited" });
    await server.request("PATCH", "/feature-flags/demo/audited", { body: { name: "Audited 2" } });
    const audit = await server.request("GET", `/audit-log?resourceType=feature-flag&resourceId=${flag.id}`);
    const [update, create] = audit.body.items;
    expect(create).toMatchObject({ action: "flag.create", projectKey: "demo", before: null });
    expect(create.after.featureKey).toBe("audited");
    expect(update.action).toBe("flag.update");
    expect(update.before.name).toBe("Audited");
    expect(update.after.name).toBe("Audited 2");
    expect(update.actor).toMatch(/^token:/);
  });

  it("publishes each change after it is committed, naming the environments whose payload changed", async () => {
    const changes: ConfigChange[] = [];
    const committed: number[] = [];
    // Read the flag's version from a separate connection when the change is published: it must be there.
    let readCommitted: (id: number) => Promise<number>;
    let closeReader = async () => {};
    if (server.context.database.dialect === "sqlite") {
      const reader = new SQLite(path.join(server.config.dataDir, "vexil.db"), { readonly: true });
      readCommitted = async (id) =>
        (reader.prepare("select version from flags where id = ?").get(id) as { version: number }).version;
      closeReader = async () => {
        reader.close();
      };
    } else {
      const client = new pg.Client({ connectionString: server.config.databaseUrl });
      await client.connect();
      readCommitted = async (id) =>
        Number((await client.query("select version from flags where id = $1", [id])).rows[0].version);
      closeReader = () => client.end();
    }
    const flag = await createFlag(server, { featureKey: "published", name: "Published" });
    const pending: Promise<void>[] = [];
    const stop = server.context.changes.subscribe((change) => {
      changes.push(change);
      pending.push(readCommitted(flag.id).then((v) => void committed.push(v)));
    });
    try {
      await server.request("PATCH", "/feature-flags/demo/published/production", {
        body: { featureEnabled: true },
      });
      await server.request("PATCH", "/feature-flags/demo/published", {
        body: { description: "metadata only" },
      });
      const rejected = await server.request("PATCH", "/feature-flags/demo/published", {
        body: { name: null },
      });
      expect(rejected.status).toBe(400);
      await server.request("POST", "/feature-flags/demo/published/archive");
      await Promise.all(pending);
    } finally {
      stop();
      await closeReader();
    }
    expect(changes).toEqual([
      { projectKey: "demo", environmentKeys: ["production"], kind: "flag", key: "published", version: 2 },
      { projectKey: "demo", environmentKeys: [], kind: "flag", key: "published", version: 3 },
      {
        projectKey: "demo",
        environmentKeys: ["development", "staging", "production"],
        kind: "flag",
        key: "published",
        version: 4,
      },
    ]);
    expect(committed).toEqual([2, 3, 4]);
  });

  it("bumps the project's configuration version with every flag change", async () => {
    const version = async () =>
      Number(
        (
          (await server.context.db
            .selectFrom("projects")
            .select("key")
            .select((eb) => eb.ref("config_version" as never).as("v"))
            .where("key", "=", "demo")
            .executeTakeFirstOrThrow()) as { v: number }
        ).v,
      );
    const before = await version();
    await server.request("PATCH", "/feature-flags/demo/published", { body: { description: "bump" } });
    expect(await version()).toBe(before + 1);
    await server.request("PATCH", "/feature-flags/demo/published", { body: { name: null } }); // rejected
    expect(await version()).toBe(before + 1);
  });
});

describe("project lifecycle and API description", () => {
  it("deletes a project together with its flags, segments, goals and experiments", async () => {
    await server.request("POST", "/projects", { body: { key: "doomed", name: "Doomed" } });
    const segment = await server.request("POST", "/segments", { body: { siteCode: "doomed", name: "S" } });
    const goal = await server.request("POST", "/goals", { body: { siteCode: "doomed", name: "G" } });
    const created = await server.request("POST", "/feature-flags", {
      body: {
        siteCode: "doomed",
        featureKey: "f",
        name: "F",
        primaryGoalId: goal.body.id,
        environmentConfigurations: [
          {
            environmentKey: "production",
            rolloutRules: [{ type: "EXPERIMENTATION", segmentId: segment.body.id }],
          },
        ],
      },
    });
    expect(created.status, created.text).toBe(201);
    expect((await server.request("DELETE", "/projects/doomed")).status).toBe(204);
    expectKameleoonError(await server.request("GET", "/feature-flags/doomed/f"), 404);
    expectKameleoonError(await server.request("GET", `/segments/${segment.body.id}`), 404);
    expectKameleoonError(await server.request("GET", `/goals/${goal.body.id}`), 404);
    const leftovers = await server.context.db
      .selectFrom("experiments")
      .select("id")
      .where("project_key", "=", "doomed")
      .execute();
    expect(leftovers).toEqual([]);
  });

  it("describes the endpoints in the OpenAPI document", async () => {
    const response = await server.request("GET", "/openapi.json");
    expect(response.status).toBe(200);
    for (const path of [
      "/feature-flags",
      "/feature-flags/search",
      "/feature-flags/{siteCode}/{featureKey}",
      "/feature-flags/{siteCode}/{featureKey}/{environmentKey}",
      "/feature-flags/rules/{ruleId}",
      "/segments/{segmentId}",
      "/goals/{goalId}",
    ]) {
      expect(Object.keys(response.body.paths)).toContain(path);
    }
  });
});

describe("entry points for automation and other capabilities", () => {
  it("updates by id, sets computed health, sets a re-allocation time, and looks flags and rules up", async () => {
    const { compileEnvironmentPayload } = await import("../src/flags/compile-payload.js");
    const { findFlagById, findFlagByKey, findRule } = await import("../src/flags/flags.lookup.js");
    const flag = await createFlag(server, {
      featureKey: "automated",
      name: "Automated",
      environmentConfigurations: [
        { environmentKey: "staging", featureEnabled: true, rolloutRules: [{ type: "EXPERIMENTATION" }] },
      ],
    });
    const service = server.context.services.flags;
    const actor = { name: "automation:bandit", id: null };
    const rule = flag.environmentConfigurations[1].rolloutRules[0];
    expect(rule.trafficAllocations).toEqual([
      { variationKey: "off", variationId: flag.variations[0].id, exposition: 50 },
      { variationKey: "on", variationId: flag.variations[1].id, exposition: 50 },
    ]);
    const reallocated = await service.update(actor, flag.id, (current) => {
      const rules = (current.environmentConfigurations as J[])[1].rolloutRules;
      rules[0].trafficAllocations = [
        { variationKey: "off", exposition: 20 },
        { variationKey: "on", exposition: 80 },
      ];
      return current;
    });
    expect(reallocated.version).toBe(flag.version + 1);
    await service.patchRule(actor, rule.id, {}, { respoolTime: 1_750_000_000_000 });
    const payload = await compileEnvironmentPayload(server.context, "demo", "staging");
    expect(payload.flags.automated!.rules[0]).toMatchObject({
      trafficAllocations: [
        { variationKey: "off", exposition: 20 },
        { variationKey: "on", exposition: 80 },
      ],
      experimentId: rule.experimentId,
      respoolTime: 1_750_000_000_000,
    });
    // respoolTime is internal: not in the API's view.
    expect(
      (await server.request("GET", "/feature-flags/demo/automated")).body.environmentConfigurations[1]
        .rolloutRules[0].respoolTime,
    ).toBeUndefined();
    const stale = await service.setHealth(actor, flag.id, "STALE");
    expect(stale.health).toBe("STALE");
    // A round trip of the STALE flag by a user is accepted (health unchanged).
    const roundTrip = await server.request("PATCH", "/feature-flags/demo/automated", {
      body: { description: "kept stale" },
    });
    expect(roundTrip.body.health).toBe("STALE");
    expect((await findFlagById(server.context, flag.id))?.featureKey).toBe("automated");
    expect((await findFlagByKey(server.context, "demo", "automated"))?.id).toBe(flag.id);
    expect(await findFlagByKey(server.context, "demo", "nope")).toBeUndefined();
    const found = await findRule(server.context, rule.id);
    expect(found).toMatchObject({
      environmentKey: "staging",
      rule: { id: rule.id, type: "EXPERIMENTATION" },
    });
    expect(found?.flag.meta.id).toBe(flag.id);
    // Invalid automation changes are refused like a user's.
    await expect(
      service.update(actor, flag.id, (current) => ({ ...current, name: "" })),
    ).rejects.toMatchObject({ statusCode: 400 });
  });
});
