import { beforeAll, describe, expect, it } from "vitest";
import { expectLaunchDarklyError, type J } from "./fixtures/flag-test-helpers.js";
import {
  envOf,
  FLAGS,
  kameleoon,
  ld,
  semantic,
  server,
  useLaunchDarklyFlagsServer,
} from "./fixtures/launchdarkly-flags.js";

// LaunchDarkly's flags resource over Vexil's flags: every change made through one dialect is read back
// through the other (Kameleoon's /feature-flags and LaunchDarkly's /api/v2/flags), on real storage.
// Values and rollouts, bad requests and roles: launchdarkly-flags-values.test.ts.

useLaunchDarklyFlagsServer();

describe("LaunchDarkly flags: create through LaunchDarkly, read through Kameleoon", () => {
  it("creates LaunchDarkly's default boolean flag: true served when on, false when off", async () => {
    const created = await ld("POST", FLAGS, {
      body: { key: "dark-mode", name: "Dark mode", tags: ["ui"], description: "Night" },
    });
    expect(created.status, created.text).toBe(201);
    const flag = created.body;
    expect(flag).toMatchObject({
      key: "dark-mode",
      name: "Dark mode",
      kind: "boolean",
      _version: 1,
      temporary: true,
      tags: ["ui"],
      archived: false,
    });
    expect(flag.variations.map((v: J) => v.value)).toEqual([true, false]);
    for (const key of ["development", "staging", "production"]) {
      expect(flag.environments[key]).toMatchObject({
        on: false,
        offVariation: 1,
        fallthrough: { variation: 0 },
        rules: [],
        targets: [],
        version: 1,
      });
    }
    // Kameleoon's view: variations on/off, off by default, the fallthrough as a last rule serving `on`.
    const k = await kameleoon("dark-mode");
    expect(k.variations.map((v: J) => [v.key, String(v.id)])).toEqual(
      flag.variations.map((v: J, i: number) => [i === 0 ? "on" : "off", v._id]),
    );
    const production = envOf(k, "production");
    expect(production).toMatchObject({ featureEnabled: false, defaultVariationKey: "off" });
    // LaunchDarkly's bucketing, so its SDKs and Vexil's engine draw the same visitors.
    expect(k.bucketingMode).toBe("LAUNCHDARKLY");
    expect(production.rolloutRules).toMatchObject([
      { type: "TARGETED_DELIVERY", variationKey: "on", exposition: 100 },
    ]);
  });

  it("keeps string and number variation values (numbers in a typed `value` variable)", async () => {
    const strings = await ld("POST", FLAGS, {
      body: {
        key: "theme",
        name: "Theme",
        variations: [{ value: "dark" }, { value: "light", name: "Light" }],
        defaults: { onVariation: 0, offVariation: 1 },
      },
    });
    expect(strings.status, strings.text).toBe(201);
    expect((await kameleoon("theme")).variations.map((v: J) => v.key)).toEqual(["dark", "light"]);
    const numbers = await ld("POST", FLAGS, {
      body: { key: "limit", name: "Limit", temporary: false, variations: [{ value: 10 }, { value: 20.5 }] },
    });
    expect(numbers.status, numbers.text).toBe(201);
    expect(numbers.body.variations.map((v: J) => v.value)).toEqual([10, 20.5]);
    expect(numbers.body).toMatchObject({ kind: "multivariate", temporary: false });
    const k = await kameleoon("limit");
    expect(k.health).toBe("PERMANENT");
    expect(k.variables).toEqual([{ key: "value", type: "NUMBER", value: "10" }]);
  });
});

describe("LaunchDarkly flags: read a Kameleoon flag, change it through both", () => {
  let segmentId = 0;
  beforeAll(async () => {
    const segment = await server.request("POST", "/segments", {
      body: {
        siteCode: "demo",
        name: "Beta",
        condition: {
          all: [
            { attribute: "beta", operator: "equals", values: [true] },
            { attribute: "country", operator: "in", values: ["FR", "DE"] },
          ],
        },
      },
    });
    segmentId = segment.body.id;
    const created = await server.request("POST", "/feature-flags", {
      body: {
        siteCode: "demo",
        featureKey: "checkout",
        name: "Checkout",
        variations: [{ key: "off" }, { key: "on" }],
        environmentConfigurations: [
          {
            environmentKey: "production",
            featureEnabled: true,
            defaultVariationKey: "off",
            rolloutRules: [
              {
                type: "TARGETED_DELIVERY",
                name: "Beta testers",
                segmentId,
                variationKey: "on",
                exposition: 100,
              },
              {
                type: "EXPERIMENTATION",
                name: "A/B",
                trafficAllocations: [
                  { variationKey: "off", exposition: 50 },
                  { variationKey: "on", exposition: 50 },
                ],
              },
            ],
          },
        ],
      },
    });
    expect(created.status, created.text).toBe(201);
  });

  it("shows rules with clauses, the rollout as the fallthrough, variation ids and the version", async () => {
    const k = await kameleoon("checkout");
    const flag = (await ld("GET", `${FLAGS}/checkout`)).body;
    expect(flag._version).toBe(k.version);
    expect(flag.variations.map((v: J) => v._id)).toEqual(k.variations.map((v: J) => String(v.id)));
    const production = flag.environments.production;
    const [beta] = envOf(k, "production").rolloutRules;
    expect(production).toMatchObject({ on: true, offVariation: 0, version: k.version });
    expect(production.rules).toEqual([
      {
        _id: String(beta.id),
        variation: 1,
        clauses: [
          { attribute: "beta", op: "in", values: [true], negate: false },
          { attribute: "country", op: "in", values: ["FR", "DE"], negate: false },
        ],
        trackEvents: false,
        description: "Beta testers",
      },
    ]);
    // The experiment's rollout as LaunchDarkly's SDKs get it (launchdarkly-model), on the user context.
    expect(production.fallthrough).toEqual({
      rollout: {
        variations: [
          { variation: 0, weight: 50000 },
          { variation: 1, weight: 50000 },
        ],
        contextKind: "user",
      },
    });
    expect(production._summary.variations["1"]).toMatchObject({ rules: 1, rollout: 50000 });
  });

  it("applies a JSON Patch with test operations; a failed test changes nothing", async () => {
    const before = (await ld("GET", `${FLAGS}/checkout`)).body;
    const failed = await ld("PATCH", `${FLAGS}/checkout`, {
      body: [
        { op: "test", path: "/_version", value: 999 },
        { op: "replace", path: "/name", value: "X" },
      ],
    });
    expectLaunchDarklyError(failed, 400, "invalid_request", /Test operation failed/i);
    expect((await kameleoon("checkout")).version).toBe(before._version);
    const patched = await ld("PATCH", `${FLAGS}/checkout`, {
      body: {
        comment: "rename",
        patch: [
          { op: "test", path: "/_version", value: before._version },
          { op: "replace", path: "/name", value: "One-page checkout" },
          { op: "replace", path: "/environments/staging/on", value: true },
        ],
      },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body._version).toBe(before._version + 1);
    const k = await kameleoon("checkout");
    expect(k.name).toBe("One-page checkout");
    expect(envOf(k, "staging").featureEnabled).toBe(true);
    // What LaunchDarkly did not touch keeps its Vexil ids.
    expect(envOf(k, "production").rolloutRules.map((r: J) => r.id)).toEqual(
      before.environments.production.rules
        .map((r: J) => Number(r._id))
        .concat(envOf(k, "production").rolloutRules.at(-1).id),
    );
    expectLaunchDarklyError(
      await ld("PATCH", `${FLAGS}/checkout`, { body: [{ op: "replace", path: "/key", value: "x" }] }),
      400,
      "invalid_request",
      /'\/key' cannot be changed/,
    );
  });

  it("applies LaunchDarkly's semantic patch instructions, read back through Kameleoon", async () => {
    const flag = (await ld("GET", `${FLAGS}/checkout`)).body;
    const [off, on] = flag.variations.map((v: J) => v._id);
    const betaRule = flag.environments.production.rules[0]._id;
    const patched = await semantic("checkout", {
      environmentKey: "production",
      comment: "targeting",
      instructions: [
        {
          kind: "addRule",
          clauses: [{ attribute: "plan", op: "in", values: ["pro"], negate: false }],
          variationId: on,
          description: "Pro plan",
        },
        { kind: "addTargets", variationId: on, values: ["alice", "bob"] },
        { kind: "addTargets", variationId: off, values: ["carol"] },
        { kind: "updateFallthroughVariationOrRollout", rolloutWeights: { [off]: 20000, [on]: 80000 } },
        { kind: "updateName", value: "Checkout v2" },
        { kind: "updateDescription", value: "New" },
        { kind: "addTags", values: ["web", "q3"] },
        { kind: "removeTags", values: ["q3"] },
      ],
    });
    expect(patched.status, patched.text).toBe(200);
    const production = patched.body.environments.production;
    expect(production.targets).toEqual([
      { values: ["alice", "bob"], variation: 1 },
      { values: ["carol"], variation: 0 },
    ]);
    expect(production.rules.map((r: J) => r.description)).toEqual(["Beta testers", "Pro plan"]);
    expect(production.fallthrough.rollout.variations).toEqual([
      { variation: 0, weight: 20000 },
      { variation: 1, weight: 80000 },
    ]);
    expect(patched.body).toMatchObject({ name: "Checkout v2", description: "New", tags: ["web"] });

    const k = await kameleoon("checkout");
    const rules = envOf(k, "production").rolloutRules;
    expect(rules.map((r: J) => [r.type, r.name])).toEqual([
      ["TARGETED_DELIVERY", "Individual targets: on"],
      ["TARGETED_DELIVERY", "Individual targets: off"],
      ["TARGETED_DELIVERY", "Beta testers"],
      ["TARGETED_DELIVERY", "Pro plan"],
      ["EXPERIMENTATION", "A/B"],
    ]);
    expect(rules[4].trafficAllocations.map((a: J) => a.exposition)).toEqual([20, 80]);
    const segment = await server.request("GET", `/segments/${rules[0].segmentId}`);
    expect(segment.body.condition).toEqual({
      attribute: "visitorCode",
      operator: "in",
      values: ["alice", "bob"],
    });
    const plan = await server.request("GET", `/segments/${rules[3].segmentId}`);
    expect(plan.body.condition).toEqual({ attribute: "plan", operator: "in", values: ["pro"] });
    expect(rules[2].segmentId).toBe(segmentId);

    const proRule = production.rules[1]._id;
    const more = await semantic("checkout", {
      environmentKey: "production",
      instructions: [
        { kind: "reorderRules", ruleIds: [proRule, betaRule] },
        { kind: "updateRuleVariationOrRollout", ruleId: betaRule, variationId: off },
        { kind: "removeTargets", variationId: on, values: ["bob"] },
        { kind: "updateOffVariation", variationId: on },
        { kind: "turnFlagOff" },
      ],
    });
    expect(more.status, more.text).toBe(200);
    const k2 = envOf(await kameleoon("checkout"), "production");
    expect(k2.featureEnabled).toBe(false);
    expect(k2.defaultVariationKey).toBe("on");
    expect(k2.rolloutRules.map((r: J) => r.name).slice(2, 4)).toEqual(["Pro plan", "Beta testers"]);
    expect(k2.rolloutRules[3].variationKey).toBe("off");
    expect(more.body.environments.production.targets[0].values).toEqual(["alice"]);

    const removed = await semantic("checkout", {
      environmentKey: "production",
      instructions: [
        { kind: "removeRule", ruleId: proRule },
        { kind: "turnFlagOn" },
        { kind: "archiveFlag" },
      ],
    });
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body.archived).toBe(true);
    expect((await kameleoon("checkout")).archived).toBe(true);
    const restored = await semantic("checkout", { instructions: [{ kind: "restoreFlag" }] });
    expect(restored.body.archived).toBe(false);
  });

  it("reads a Kameleoon merge patch through LaunchDarkly", async () => {
    const patched = await server.request("PATCH", "/feature-flags/demo/checkout/staging", {
      body: { featureEnabled: false, defaultVariationKey: "on" },
    });
    expect(patched.status, patched.text).toBe(200);
    const flag = (await ld("GET", `${FLAGS}/checkout?env=staging`)).body;
    expect(Object.keys(flag.environments)).toEqual(["staging"]);
    expect(flag.environments.staging).toMatchObject({
      on: false,
      offVariation: 1,
      version: patched.body.version,
    });
  });

  it("copies one environment's targeting onto another", async () => {
    const flag = (await ld("GET", `${FLAGS}/checkout`)).body;
    const copied = await ld("POST", `${FLAGS}/checkout/copy`, {
      body: {
        source: { key: "production" },
        target: { key: "development", currentVersion: flag._version },
        comment: "promote",
      },
    });
    expect(copied.status, copied.text).toBe(201);
    const { production, development } = copied.body.environments;
    for (const field of ["on", "offVariation", "fallthrough", "targets"])
      expect(development[field]).toEqual(production[field]);
    expect(development.rules.map((r: J) => r.clauses)).toEqual(production.rules.map((r: J) => r.clauses));
    expect(development.rules.map((r: J) => r._id)).not.toEqual(production.rules.map((r: J) => r._id));
    const stale = await ld("POST", `${FLAGS}/checkout/copy`, {
      body: { source: { key: "production" }, target: { key: "staging", currentVersion: 1 } },
    });
    expectLaunchDarklyError(stale, 409, "conflict", /currentVersion 1/);
  });
});

describe("LaunchDarkly flags: list", () => {
  it("filters, sorts, pages, summarises and restricts environments", async () => {
    const all = await ld("GET", `${FLAGS}?sort=key&summary=0&limit=2`);
    expect(all.status, all.text).toBe(200);
    expect(all.body.totalCount).toBe(4);
    expect(all.body.items.map((f: J) => f.key)).toEqual(["checkout", "dark-mode"]);
    expect(all.body._links.next.href).toContain("offset=2");
    expect(all.body.items[0].environments.production.rules).toBeDefined();
    const summary = await ld("GET", `${FLAGS}?filter=query:dark&env=production`);
    expect(summary.body.items.map((f: J) => f.key)).toEqual(["dark-mode"]);
    expect(Object.keys(summary.body.items[0].environments)).toEqual(["production"]);
    expect(summary.body.items[0].environments.production.rules).toBeUndefined();
    expect(summary.body.items[0].environments.production._summary).toBeDefined();
    const tagged = await ld("GET", `${FLAGS}?filter=tags:ui&sort=-creationDate`);
    expect(tagged.body.items.map((f: J) => f.key)).toEqual(["dark-mode"]);
    const permanent = await ld("GET", `${FLAGS}?filter=type:permanent`);
    expect(permanent.body.items.map((f: J) => f.key)).toEqual(["limit"]);
    for (const [query, message] of [
      ["filter=owner:me", /unknown field 'owner'/],
      ["sort=maintainer", /sort: 'maintainer'/],
      ["env=qa", /'qa' is not an environment/],
      ["summary=maybe", /summary/],
      ["limit=0", /limit/],
    ] as const) {
      expectLaunchDarklyError(await ld("GET", `${FLAGS}?${query}`), 400, "invalid_request", message);
    }
  });
});
