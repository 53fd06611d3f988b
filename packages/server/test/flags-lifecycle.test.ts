import path from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConfigChange } from "../src/changes/change-bus.js";
import { withFlagLock } from "../src/flags/flag-lock.js";
import {
  createFlag,
  expectKameleoonError,
  type J,
  setupDemo,
  tokenWith,
} from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer } from "./harness.js";

// Kameleoon feature flags over a real server, continued from flags.test.ts: the automation lock, archive,
// restore and delete, lists and search, audit and change notifications, project lifecycle, entry points.

let server: TestServer;
const clock = Date.parse("2025-06-10T12:00:00Z");
beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  await setupDemo(server);
});
afterAll(async () => server?.close());

describe("automation lock", () => {
  beforeAll(async () => {
    await createFlag(server, {
      featureKey: "minimal",
      name: "Minimal",
      environmentConfigurations: [
        { environmentKey: "staging", rolloutRules: [{ type: "TARGETED_DELIVERY", variationKey: "on" }] },
      ],
    });
  });

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
