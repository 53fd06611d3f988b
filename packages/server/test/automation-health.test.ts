// Flag health automation (docs/automation.md): PERMANENT | HEALTHY | STALE | SMELLY from creation, content
// edits and SDK-reported evaluations, written by the `health` tick as audited changes, shown on the flag and
// filterable in lists.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeHealth, DAY_MS, servedVariations } from "../src/automation/flag-health.js";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import type { FlagRecord, StoredEnvironment, StoredRule } from "../src/flags/flags.document.js";
import { createFlag, type J } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer, testDatabaseKind } from "./harness.js";

const T0 = Date.parse("2026-04-01T12:00:00.000Z");
let clock = T0;
let server: TestServer;
let productionKey: string;
const at = (days: number) => T0 + days * DAY_MS;

async function readFlag(featureKey: string) {
  const response = await server.request("GET", `/feature-flags/demo/${featureKey}`);
  expect(response.status).toBe(200);
  return response.body;
}

async function healthTick() {
  const outcomes = await server.automation.runDueTicks();
  const health = outcomes.find((o) => o.kind === "health")!;
  expect(health, JSON.stringify(outcomes)).toMatchObject({ status: "READY" });
  expect(health.result!.failures).toEqual([]);
  return health.result as J;
}

/** An SDK reports evaluating flags in production, at the test clock. */
async function reportEvaluations(...featureKeys: string[]) {
  const response = await server.request("POST", "/sdk/v1/evaluations", {
    token: productionKey,
    body: { counts: featureKeys.map((featureKey) => ({ featureKey, variationKey: "on", count: 5 })) },
  });
  expect(response.status).toBe(202);
  expect(response.body.accepted).toBe(featureKeys.length);
}

async function healthOf(...featureKeys: string[]) {
  const result: Record<string, string> = {};
  for (const key of featureKeys) result[key] = (await readFlag(key)).health;
  return result;
}

async function listKeys(url: string, body?: unknown) {
  const response = await server.request(body === undefined ? "GET" : "POST", url, body ? { body } : {});
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.map((f: J) => f.featureKey).sort();
}

const onlyProduction = (environment: Record<string, unknown>) => ({
  environmentConfigurations: [{ environmentKey: "production", defaultVariationKey: "off", ...environment }],
});

beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  await ensureDemoProject(server.context);
  const project = await server.request("GET", "/projects/demo");
  productionKey = project.body.environments.find((e: J) => e.key === "production").serverSdkKey;

  // Untouched: disabled, only production listed (the other environments read as defaults).
  await createFlag(server, { featureKey: "untouched", name: "Untouched", ...onlyProduction({}) });
  // Used: half of production gets `on`.
  await createFlag(server, {
    featureKey: "used",
    name: "Used",
    ...onlyProduction({
      featureEnabled: true,
      rolloutRules: [{ type: "TARGETED_DELIVERY", variationKey: "on", exposition: 50 }],
    }),
  });
  await createFlag(server, { featureKey: "forever", name: "Kill switch", health: "PERMANENT" });
  // Rolled out: everyone gets `on` in production, `off` elsewhere.
  await createFlag(server, {
    featureKey: "rolled-out",
    name: "Rolled out",
    ...onlyProduction({
      featureEnabled: true,
      rolloutRules: [{ type: "TARGETED_DELIVERY", variationKey: "on", exposition: 100 }],
    }),
  });
  await createFlag(server, { featureKey: "edited", name: "Edited" });
  await createFlag(server, { featureKey: "gone", name: "Archived", archived: true });
});

afterAll(async () => server?.close());

describe(`flag health ticks (${testDatabaseKind})`, () => {
  it("keeps young flags HEALTHY", async () => {
    clock = at(1);
    expect(await healthTick()).toMatchObject({ flags: 4, changed: {} });
    expect(await healthOf("untouched", "used", "forever", "rolled-out", "edited")).toEqual({
      untouched: "HEALTHY",
      used: "HEALTHY",
      forever: "PERMANENT",
      "rolled-out": "HEALTHY",
      edited: "HEALTHY",
    });
  });

  it("reads STALE after 20 days untouched and unevaluated, SMELLY when one variation everywhere", async () => {
    clock = at(8);
    const edit = await server.request("PATCH", "/feature-flags/demo/edited/production", {
      body: {
        featureEnabled: true,
        rolloutRules: [{ type: "TARGETED_DELIVERY", variationKey: "on", exposition: 30 }],
      },
    });
    expect(edit.status).toBe(200);
    clock = at(10);
    await createFlag(server, { featureKey: "fresh", name: "Fresh" });
    clock = at(19);
    await reportEvaluations("used", "rolled-out");

    clock = at(20);
    const versions = Object.fromEntries(
      await Promise.all(["untouched", "rolled-out"].map(async (k) => [k, (await readFlag(k)).version])),
    );
    expect(await healthTick()).toMatchObject({ flags: 5, changed: { STALE: 1, SMELLY: 1 } });
    expect(await healthOf("untouched", "used", "forever", "rolled-out", "edited", "fresh")).toEqual({
      untouched: "STALE", // 20 days without an edit or an evaluation
      used: "HEALTHY", // evaluated yesterday, serves two variations
      forever: "PERMANENT",
      "rolled-out": "SMELLY", // evaluated yesterday, but `on` to everyone in production and `off` elsewhere
      edited: "HEALTHY", // content edited 12 days ago
      fresh: "HEALTHY", // created 10 days ago
    });
    expect((await readFlag("gone")).health).toBe("HEALTHY");

    // Audited as automation; a health change is not a content change.
    const stale = await readFlag("untouched");
    expect(stale.version).toBe(versions.untouched + 1);
    expect(stale.dateContentModified).toBe(new Date(T0).toISOString());
    expect(stale.dateModified).toBe(new Date(at(20)).toISOString());
    const audit = await server.request("GET", `/audit-log?resourceType=feature-flag&resourceId=${stale.id}`);
    expect(audit.body.items[0]).toMatchObject({
      actor: "automation",
      action: "flag.health",
      before: { health: "HEALTHY" },
      after: { health: "STALE" },
    });
  });

  it("filters lists by health (query parameter and search filter)", async () => {
    expect(await listKeys("/feature-flags?siteCode=demo&health=STALE")).toEqual(["untouched"]);
    expect(await listKeys("/feature-flags?siteCode=demo&health=STALE,SMELLY")).toEqual([
      "rolled-out",
      "untouched",
    ]);
    expect(
      await listKeys("/feature-flags/search?siteCode=demo", {
        filter: { field: "health", operator: "EQUAL", parameters: ["SMELLY"] },
      }),
    ).toEqual(["rolled-out"]);
    expect(
      await listKeys(
        `/feature-flags?siteCode=demo&filter=${encodeURIComponent(
          JSON.stringify({ field: "health", operator: "IN", parameters: ["HEALTHY", "PERMANENT"] }),
        )}`,
      ),
    ).toEqual(["edited", "forever", "fresh", "used"]);
  });

  it("changes nothing on the next tick, and follows evaluations and edits afterwards", async () => {
    clock = at(20) + 60_000;
    expect(await healthTick()).toMatchObject({ changed: {} });

    // Evaluated again but disabled everywhere for 20 days: code that always gets `off`.
    await reportEvaluations("untouched");
    // Edited: serves two variations again, and was just changed.
    const edit = await server.request("PATCH", "/feature-flags/demo/rolled-out/production", {
      body: { rolloutRules: [{ type: "TARGETED_DELIVERY", variationKey: "on", exposition: 90 }] },
    });
    expect(edit.status).toBe(200);
    clock = at(20) + 120_000;
    await healthTick();
    expect(await healthOf("untouched", "rolled-out")).toEqual({
      untouched: "SMELLY",
      "rolled-out": "HEALTHY",
    });

    // 16 days after its last edit, never evaluated.
    clock = at(24) + 120_000;
    await healthTick();
    expect((await readFlag("edited")).health).toBe("STALE");
  });

  it("never overrides PERMANENT, and a user may set HEALTHY or PERMANENT but not STALE or SMELLY", async () => {
    const permanent = await server.request("PATCH", "/feature-flags/demo/untouched", {
      body: { health: "PERMANENT" },
    });
    expect(permanent.status).toBe(200);
    clock = at(40);
    await healthTick();
    expect((await readFlag("untouched")).health).toBe("PERMANENT");
    // Its last evaluation was 21 days ago.
    expect((await readFlag("used")).health).toBe("STALE");
    const refused = await server.request("PATCH", "/feature-flags/demo/used", { body: { health: "SMELLY" } });
    expect(refused.status).toBe(400);
  });
});

describe("computeHealth", () => {
  const now = Date.parse("2026-06-01T00:00:00.000Z");
  const window = 15 * DAY_MS;
  const iso = (daysAgo: number) => new Date(now - daysAgo * DAY_MS).toISOString();
  const rule = (fields: Partial<StoredRule>): StoredRule => ({
    id: 1,
    type: "TARGETED_DELIVERY",
    name: "r",
    exposition: 100,
    state: "ACTIVE",
    rollbackConditions: [],
    variationKey: "on",
    ...fields,
  });
  const environment = (fields: Partial<StoredEnvironment>): StoredEnvironment => ({
    environmentKey: "production",
    featureEnabled: true,
    defaultVariationKey: "off",
    dateModified: iso(100),
    rolloutRules: [],
    ...fields,
  });
  const record = (environments: StoredEnvironment[], contentDaysAgo = 30): FlagRecord => ({
    meta: {
      id: 1,
      projectKey: "p",
      health: "HEALTHY",
      archived: false,
      version: 1,
      createdById: null,
      dateCreated: iso(100),
      dateModified: iso(contentDaysAgo),
      dateContentModified: iso(contentDaysAgo),
      lockedBy: null,
      lockedUntil: null,
    },
    doc: {
      featureKey: "f",
      name: "f",
      description: "",
      tags: [],
      secondaryGoalIds: [],
      variables: [],
      variations: [
        { id: 1, key: "off", name: "Off", variables: [] },
        { id: 2, key: "on", name: "On", variables: [] },
      ],
      environmentConfigurations: environments,
    },
  });
  const served = (fields: Partial<StoredEnvironment>) =>
    [...servedVariations(environment(fields), now)].sort();

  it("tells what an environment serves, the way the engine evaluates", () => {
    expect(served({ featureEnabled: false })).toEqual(["off"]);
    expect(served({ rolloutRules: [] })).toEqual(["off"]);
    expect(served({ rolloutRules: [rule({})] })).toEqual(["on"]);
    expect(served({ rolloutRules: [rule({ exposition: 0 })] })).toEqual(["off"]);
    expect(served({ rolloutRules: [rule({ exposition: 40 })] })).toEqual(["off", "on"]);
    expect(served({ rolloutRules: [rule({ segmentId: 7 })] })).toEqual(["off", "on"]);
    expect(served({ rolloutRules: [rule({ state: "PAUSED" })] })).toEqual(["off"]);
    expect(served({ rolloutRules: [rule({ segmentId: 7, variationKey: "off" }), rule({})] })).toEqual([
      "off",
      "on",
    ]);
    expect(served({ rolloutRules: [rule({ release: { releaseTo: iso(1) } })] })).toEqual(["off"]);
    const experiment = (allocations: [string, number][], exposition = 100) =>
      rule({
        type: "EXPERIMENTATION",
        exposition,
        trafficAllocations: allocations.map(([variationKey, share]) => ({ variationKey, exposition: share })),
      });
    expect(served({ rolloutRules: [experiment([["on", 100]])] })).toEqual(["on"]);
    expect(
      served({
        rolloutRules: [
          experiment([
            ["on", 50],
            ["off", 50],
          ]),
        ],
      }),
    ).toEqual(["off", "on"]);
    expect(served({ rolloutRules: [experiment([["on", 60]]), rule({})] })).toEqual(["on"]);
    expect(served({ rolloutRules: [experiment([["on", 100]], 0)] })).toEqual(["off"]);
  });

  it("applies the precedence PERMANENT > created/edited HEALTHY > STALE > SMELLY > HEALTHY", () => {
    const uniform = record([environment({ rolloutRules: [rule({})] })]);
    const split = record([environment({ rolloutRules: [rule({ exposition: 50 })] })]);
    expect(
      computeHealth(
        { ...uniform, meta: { ...uniform.meta, health: "PERMANENT" } },
        ["production"],
        undefined,
        now,
        window,
      ),
    ).toBe("PERMANENT");
    expect(computeHealth(record([], 3), ["production"], undefined, now, window)).toBe("HEALTHY");
    expect(computeHealth(split, ["production"], undefined, now, window)).toBe("STALE");
    expect(computeHealth(split, ["production"], iso(20), now, window)).toBe("STALE");
    expect(computeHealth(uniform, ["production"], undefined, now, window)).toBe("STALE");
    expect(computeHealth(uniform, ["production"], iso(1), now, window)).toBe("SMELLY");
    expect(computeHealth(split, ["production"], iso(1), now, window)).toBe("HEALTHY");
    // The window is configurable (VEXIL_FLAG_STALE_DAYS): with 31 days, an edit 30 days ago is recent.
    expect(computeHealth(split, ["production"], undefined, now, 31 * DAY_MS)).toBe("HEALTHY");
    // An environment of the project the flag never configured serves its default (`off`).
    expect(computeHealth(uniform, ["production", "staging"], iso(1), now, window)).toBe("SMELLY");
  });

  it("counts a ramp step or a release window change within the window as a change of what is served", () => {
    const ramp = (finishedDaysAgo: number) =>
      record([
        environment({
          rolloutRules: [
            rule({
              type: "PROGRESSIVE_DELIVERY",
              exposition: 10,
              rolloutConfiguration: {
                type: "CUSTOM_RAMP_UP",
                steps: [
                  { dateTime: iso(finishedDaysAgo + 10), exposure: 10 },
                  { dateTime: iso(finishedDaysAgo), exposure: 100 },
                ],
              },
            }),
          ],
        }),
      ]);
    expect(computeHealth(ramp(5), ["production"], iso(1), now, window)).toBe("HEALTHY");
    expect(computeHealth(ramp(20), ["production"], iso(1), now, window)).toBe("SMELLY");
    const ended = (daysAgo: number) =>
      record([
        environment({ rolloutRules: [rule({ exposition: 50, release: { releaseTo: iso(daysAgo) } })] }),
      ]);
    expect(computeHealth(ended(5), ["production"], iso(1), now, window)).toBe("HEALTHY");
    expect(computeHealth(ended(20), ["production"], iso(1), now, window)).toBe("SMELLY");
  });
});
