import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import { expectLaunchDarklyError, type J, tokenWith } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer } from "./harness.js";

// LaunchDarkly's flags resource over Vexil's flags: every change made through one dialect is read back
// through the other (Kameleoon's /feature-flags and LaunchDarkly's /api/v2/flags), on real storage.

let server: TestServer;
const FLAGS = "/api/v2/flags/demo";
const SEMANTIC = { "content-type": "application/json; domain-model=launchdarkly.semanticpatch" };

/** A LaunchDarkly-style call: bare token, no LD-API-Version (the current client sends none). */
function ld(
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string>; token?: string } = {},
) {
  return server.request(method, url, {
    token: null,
    headers: { authorization: options.token ?? server.adminToken, ...options.headers },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
}
const semantic = (key: string, body: unknown, token?: string) =>
  ld("PATCH", `${FLAGS}/${key}`, { body, headers: SEMANTIC, ...(token ? { token } : {}) });
const kameleoon = (key: string) => server.request("GET", `/feature-flags/demo/${key}`).then((r) => r.body);
const envOf = (flag: J, key: string) =>
  flag.environmentConfigurations.find((e: J) => e.environmentKey === key);

beforeAll(async () => {
  server = await startTestServer();
  await ensureDemoProject(server.context);
});
afterAll(async () => {
  await server?.close();
});

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

describe("LaunchDarkly flags: the same values and rollouts as LaunchDarkly's SDKs get", () => {
  // Both views come from one mapping (launchdarkly-model): the REST API's flag and /sdk/latest-flags.
  it("shows a variable's values, and keeps several variables' objects unless asked to change them", async () => {
    // A project of its own, so the other tests' flag counts stay what they are.
    await server.request("POST", "/projects", { body: { key: "values", name: "Values" } });
    const FLAGS = "/api/v2/flags/values";
    const kameleoon = (key: string) =>
      server.request("GET", `/feature-flags/values/${key}`).then((r) => r.body);
    const production = (await server.request("GET", "/projects/values")).body.environments.find(
      (e: J) => e.key === "production",
    );
    const sdkFlag = (key: string) =>
      server.request("GET", `/sdk/latest-flags/${key}`, {
        token: null,
        headers: { authorization: production.serverSdkKey },
      });
    const create = (featureKey: string, variables: J[], variations: J[]) =>
      server.request("POST", "/feature-flags", {
        body: {
          siteCode: "values",
          featureKey,
          name: featureKey,
          bucketingMode: "LAUNCHDARKLY",
          variables,
          variations,
          environmentConfigurations: [
            {
              environmentKey: "production",
              featureEnabled: true,
              defaultVariationKey: "off",
              rolloutRules: [{ type: "TARGETED_DELIVERY", variationKey: "on", exposition: 25 }],
            },
          ],
        },
      });
    expect(
      (
        await create(
          "discount",
          [{ key: "percent", type: "NUMBER", value: "0" }],
          [
            { key: "off", variables: [] },
            { key: "on", variables: [{ key: "percent", value: "15" }] },
          ],
        )
      ).status,
    ).toBe(201);
    const rest = (await ld("GET", `${FLAGS}/discount`)).body;
    const sdk = (await sdkFlag("discount")).body;
    expect(rest.variations.map((v: J) => v.value)).toEqual([0, 15]);
    expect(sdk.variations).toEqual([0, 15]);
    // 25 % exposed: the same rollout in both, weights out of 100,000 (REST shows the rule as a rule without
    // clauses, the SDK model as the fallthrough it amounts to).
    expect(rest.environments.production.rules[0].clauses).toEqual([]);
    expect(rest.environments.production.rules[0]).toMatchObject({
      rollout: {
        variations: [
          { variation: 1, weight: 25000 },
          { variation: 0, weight: 75000 },
        ],
        contextKind: "user",
        bucketBy: "key",
      },
    });
    expect(sdk.fallthrough).toEqual({
      rollout: { kind: "rollout", ...rest.environments.production.rules[0].rollout },
    });
    expect(rest.environments.production._vexilNotServable).toBeUndefined();
    // Vexil's bucketing cannot be reproduced by LaunchDarkly's SDKs: the REST flag says so, as the SDK model.
    const murmur = await server.request("POST", "/feature-flags", {
      body: {
        siteCode: "values",
        featureKey: "murmur",
        name: "Murmur",
        environmentConfigurations: [
          {
            environmentKey: "production",
            featureEnabled: true,
            defaultVariationKey: "off",
            rolloutRules: [{ type: "TARGETED_DELIVERY", variationKey: "on", exposition: 25 }],
          },
        ],
      },
    });
    expect(murmur.status, murmur.text).toBe(201);
    const murmurRest = (await ld("GET", `${FLAGS}/murmur`)).body.environments;
    expect(murmurRest.production._vexilNotServable).toMatch(
      /^not servable to LaunchDarkly SDKs: .*Vexil's bucketing/,
    );
    expect(murmurRest.production._vexilNotServable).toBe((await sdkFlag("murmur")).body._vexilNotServable);
    expect(murmurRest.staging._vexilNotServable).toBeUndefined();
    // A new value goes into the flag's one variable, not into a second one.
    const patched = await ld("PATCH", `${FLAGS}/discount`, {
      body: [{ op: "replace", path: "/variations/1/value", value: 20 }],
    });
    expect(patched.status, patched.text).toBe(200);
    expect((await kameleoon("discount")).variables).toEqual([{ key: "percent", type: "NUMBER", value: "0" }]);
    expect((await sdkFlag("discount")).body.variations).toEqual([0, 20]);

    expect(
      (
        await create(
          "banner",
          [
            { key: "text", type: "STRING", value: "Hi" },
            { key: "size", type: "NUMBER", value: "1" },
          ],
          [
            { key: "off", variables: [] },
            { key: "on", variables: [{ key: "size", value: "2" }] },
          ],
        )
      ).status,
    ).toBe(201);
    const objects = [
      { text: "Hi", size: 1 },
      { text: "Hi", size: 2 },
    ];
    expect((await ld("GET", `${FLAGS}/banner`)).body.variations.map((v: J) => v.value)).toEqual(objects);
    expect((await sdkFlag("banner")).body.variations).toEqual(objects);
    const renamed = await ld("PATCH", `${FLAGS}/banner`, {
      body: [{ op: "replace", path: "/variations/1/name", value: "Bigger" }],
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect((await kameleoon("banner")).variations[1]).toMatchObject({ key: "on", name: "Bigger" });
    const changed = await ld("PATCH", `${FLAGS}/banner`, {
      body: [{ op: "replace", path: "/variations/1/value", value: { text: "Hi", size: 3 } }],
    });
    expectLaunchDarklyError(changed, 400, "invalid_request", /several variables/);
    expect((await sdkFlag("banner")).body.variations).toEqual(objects);
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

describe("LaunchDarkly flags: bad requests say what, change nothing", () => {
  it("refuses what cannot map with a 400 naming it", async () => {
    const version = (await kameleoon("dark-mode")).version;
    const cases: [unknown, RegExp, Record<string, string>?][] = [
      [
        { instructions: [{ kind: "addPrerequisite", key: "x", variationId: "1" }] },
        /'addPrerequisite' is not supported/,
        SEMANTIC,
      ],
      [{ instructions: [{ kind: "turnFlagOn" }] }, /turnFlagOn needs the body's environmentKey/, SEMANTIC],
      [
        {
          environmentKey: "production",
          instructions: [
            {
              kind: "addRule",
              clauses: [{ attribute: "x", op: "unknownOp", values: [1], negate: false }],
              variationId: "1",
            },
          ],
        },
        /does not exist|unknownOp/,
        SEMANTIC,
      ],
      [
        [
          {
            op: "add",
            path: "/environments/production/rules/-",
            value: {
              clauses: [{ attribute: "x", op: "in", values: ["a"], negate: false, contextKind: "org" }],
              variation: 0,
              trackEvents: false,
            },
          },
        ],
        /contextKind 'org'/,
      ],
      [
        [
          {
            op: "replace",
            path: "/environments/production/fallthrough",
            value: { rollout: { variations: [{ variation: 0, weight: 100 }] } },
          },
        ],
        /weights must add up to 100000/,
      ],
      [
        [
          {
            op: "replace",
            path: "/environments/production/fallthrough",
            value: { rollout: { bucketBy: "email", variations: [{ variation: 0, weight: 100000 }] } },
          },
        ],
        /bucketBy 'email'/,
      ],
      [
        [
          {
            op: "add",
            path: "/environments/production/prerequisites/-",
            value: { key: "checkout", variation: 0 },
          },
        ],
        /prerequisites are not supported/,
      ],
      [
        [{ op: "replace", path: "/environments/production/offVariation", value: 7 }],
        /variation index 7 does not exist/,
      ],
      [[{ op: "replace", path: "/creationDate", value: 1 }], /'\/creationDate' cannot be changed/],
      [{ instructions: [{ kind: "turnFlagOn" }] }, /semantic patch: send 'Content-Type/],
      [
        [
          { op: "replace", path: "/experiments/baselineIdx", value: 0 },
          { op: "replace", path: "/name", value: "x" },
        ],
        /cannot be mixed/,
      ],
    ];
    for (const [body, message, headers] of cases) {
      const response = await ld("PATCH", `${FLAGS}/dark-mode`, { body, ...(headers ? { headers } : {}) });
      expectLaunchDarklyError(response, 400, "invalid_request", message);
    }
    const posts: [unknown, RegExp][] = [
      [{ key: "x1", name: "X", maintainerId: "m" }, /maintainerId: flag maintainers are not supported/],
      [{ key: "x2", name: "X", customProperties: { a: { name: "A", value: ["b"] } } }, /customProperties/],
      [
        { key: "x3", name: "X", variations: [{ value: true, description: "d" }, { value: false }] },
        /variations\.0\.description/,
      ],
      [{ key: "x4", name: "X", defaults: { onVariation: 5, offVariation: 0 } }, /defaults\.onVariation/],
      [{ key: "x5", name: "X", extra: 1 }, /'extra'/],
      [{ key: "dark-mode", name: "Again" }, /already exists/],
    ];
    for (const [body, message] of posts) {
      const response = await ld("POST", FLAGS, { body });
      expectLaunchDarklyError(
        response,
        (body as J).key === "dark-mode" ? 409 : 400,
        (body as J).key === "dark-mode" ? "conflict" : "invalid_request",
        message,
      );
    }
    expect((await kameleoon("dark-mode")).version).toBe(version);
    expect((await server.request("GET", "/feature-flags/demo/x1")).status).toBe(404);
    expectLaunchDarklyError(await ld("GET", `${FLAGS}/nope`), 404, "not_found", /nope/);
    expectLaunchDarklyError(await ld("PUT", `${FLAGS}/dark-mode`, { body: {} }), 405, "method_not_allowed");
    expectLaunchDarklyError(
      await ld("GET", FLAGS, { headers: { "ld-api-version": "v2" } }),
      400,
      "invalid_request",
      /LD-API-Version 'v2'/,
    );
  });

  it("needs a comment in an environment with requireComments", async () => {
    await ld("POST", "/api/v2/projects", {
      body: {
        key: "strict",
        name: "Strict",
        environments: [{ key: "prod", name: "Prod", requireComments: true }],
      },
    });
    expect((await ld("POST", "/api/v2/flags/strict", { body: { key: "f", name: "F" } })).status).toBe(201);
    const without = await ld("PATCH", "/api/v2/flags/strict/f", {
      body: [{ op: "replace", path: "/environments/prod/on", value: true }],
    });
    expectLaunchDarklyError(without, 400, "invalid_request", /requires a comment/);
    const withComment = await ld("PATCH", "/api/v2/flags/strict/f", {
      body: { comment: "go", patch: [{ op: "replace", path: "/environments/prod/on", value: true }] },
    });
    expect(withComment.status, withComment.text).toBe(200);
  });
});

describe("LaunchDarkly flags: roles and project scope", () => {
  it("lets readers read, writers write, admins delete; a scoped token stays in its project", async () => {
    const reader = await tokenWith(server, "reader");
    const writer = await tokenWith(server, "writer");
    const scoped = await tokenWith(server, "admin", "strict");
    expect((await ld("GET", `${FLAGS}/theme`, { token: reader })).status).toBe(200);
    expectLaunchDarklyError(
      await ld("POST", FLAGS, { token: reader, body: { key: "r", name: "R" } }),
      403,
      "forbidden",
    );
    expectLaunchDarklyError(
      await semantic("theme", { instructions: [{ kind: "updateName", value: "R" }] }, reader),
      403,
      "forbidden",
    );
    expect(
      (await semantic("theme", { instructions: [{ kind: "updateName", value: "W" }] }, writer)).status,
    ).toBe(200);
    expectLaunchDarklyError(await ld("DELETE", `${FLAGS}/theme`, { token: writer }), 403, "forbidden");
    expectLaunchDarklyError(await ld("GET", `${FLAGS}/theme`, { token: scoped }), 403, "forbidden");
    expectLaunchDarklyError(await ld("GET", FLAGS, { token: scoped }), 403, "forbidden");
    expect((await ld("GET", "/api/v2/flags/strict", { token: scoped })).status).toBe(200);
    const deleted = await ld("DELETE", `${FLAGS}/theme`);
    expect(deleted.status).toBe(204);
    expect((await server.request("GET", "/feature-flags/demo/theme")).status).toBe(404);
  });
});
