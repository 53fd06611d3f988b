import { beforeAll, describe, expect, it } from "vitest";
import { expectLaunchDarklyError, type J, tokenWith } from "./fixtures/flag-test-helpers.js";
import {
  FLAGS,
  kameleoon,
  ld,
  SEMANTIC,
  semantic,
  server,
  useLaunchDarklyFlagsServer,
} from "./fixtures/launchdarkly-flags.js";

// LaunchDarkly's flags resource over Vexil's flags, continued from launchdarkly-flags.test.ts: the values
// and rollouts LaunchDarkly's SDKs would get, bad requests that change nothing, roles and project scope.

useLaunchDarklyFlagsServer();

// The flags the bad requests and role checks aim at: LaunchDarkly's default boolean flag and a string one.
beforeAll(async () => {
  for (const body of [
    { key: "dark-mode", name: "Dark mode", tags: ["ui"], description: "Night" },
    { key: "theme", name: "Theme", variations: [{ value: "dark" }, { value: "light" }] },
  ]) {
    const created = await ld("POST", FLAGS, { body });
    expect(created.status, created.text).toBe(201);
  }
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
