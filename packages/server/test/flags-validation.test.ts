import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFlag,
  exampleBody,
  expectKameleoonError,
  type J,
  setupDemo,
} from "./fixtures/flag-test-helpers.js";
import { createCases, example, experiment, targeted } from "./fixtures/flag-validation-cases.js";
import { startTestServer, type TestServer } from "./harness.js";

// Every rejected request answers a 4xx in Kameleoon's error body naming the field, and changes nothing:
// each case is followed by reads proving the stored state is what it was.

let server: TestServer;
const clock = Date.parse("2025-06-10T12:00:00Z");
let base: J;

beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  await setupDemo(server);
  base = (await server.request("POST", "/feature-flags", { body: exampleBody() })).body;
  expect(base.id).toBeDefined();
});
afterAll(async () => server?.close());

/** Everything a client can observe: the flag, the list, the audit log length and the config version. */
async function snapshot() {
  const flag = await server.request("GET", "/feature-flags/demo/new_checkout");
  const list = await server.request("GET", "/feature-flags?siteCode=demo&archived=all");
  const audit = await server.request("GET", "/audit-log?projectKey=demo&limit=1");
  const project = await server.context.db
    .selectFrom("projects")
    .select((eb) => eb.ref("config_version" as never).as("v"))
    .where("key", "=", "demo")
    .executeTakeFirstOrThrow();
  return {
    flag: flag.body,
    keys: list.body.map((f: J) => f.featureKey),
    audit: audit.body.total,
    config: project,
  };
}

describe("POST /feature-flags rejects", () => {
  it.each(createCases)("%s", async (_name, body, status, message) => {
    const before = await snapshot();
    const response = await server.request("POST", "/feature-flags", { body });
    expectKameleoonError(response, status, message);
    expect(await snapshot()).toEqual(before);
    if ((body as { featureKey?: string }).featureKey === "bad_flag") {
      expect((await server.request("GET", "/feature-flags/demo/bad_flag")).status).toBe(404);
    }
  });

  it("a body over the size limit (413) and malformed JSON (400)", async () => {
    const before = await snapshot();
    const huge = { ...example(), featureKey: "bad_flag", description: "x".repeat(2 * 1024 * 1024) };
    expectKameleoonError(await server.request("POST", "/feature-flags", { body: huge }), 413);
    const malformed = await server.request("POST", "/feature-flags", {
      rawBody: '{"featureKey": "bad_flag",',
      headers: { "content-type": "application/json" },
    });
    expectKameleoonError(malformed, 400, /JSON/);
    expect(await snapshot()).toEqual(before);
  });
});

const patchCases: [
  name: string,
  method: string,
  url: () => string,
  body: unknown,
  status: number,
  message: RegExp,
][] = [
  [
    "name deleted",
    "PATCH",
    () => "/feature-flags/demo/new_checkout",
    { name: null },
    400,
    /body must have required property 'name'/,
  ],
  [
    "name too long",
    "PATCH",
    () => "/feature-flags/demo/new_checkout",
    { name: "n".repeat(101) },
    400,
    /body\.name/,
  ],
  [
    "unknown field",
    "PATCH",
    () => "/feature-flags/demo/new_checkout",
    { owner: "me" },
    400,
    /additional properties 'owner'/,
  ],
  ["id changed", "PATCH", () => "/feature-flags/demo/new_checkout", { id: 1 }, 400, /body\.id is read-only/],
  [
    "siteCode changed",
    "PATCH",
    () => "/feature-flags/demo/new_checkout",
    { siteCode: "other" },
    400,
    /body\.siteCode is 'other'.*cannot move/,
  ],
  [
    "featureKey pattern",
    "PATCH",
    () => "/feature-flags/demo/new_checkout",
    { featureKey: "a b" },
    400,
    /body\.featureKey must match pattern/,
  ],
  [
    "variation removed while a rule uses it",
    "PATCH",
    () => "/feature-flags/demo/new_checkout",
    { variations: [{ key: "off" }] },
    400,
    /names variation 'on'/,
  ],
  [
    "variable type changed under variations",
    "PATCH",
    () => "/feature-flags/demo/new_checkout",
    { variables: [{ key: "one_page", type: "NUMBER", value: "1" }] },
    400,
    /type is BOOLEAN but the flag declares 'one_page' as NUMBER|value must be a finite decimal number/,
  ],
  [
    "archived contradiction",
    "PATCH",
    () => "/feature-flags/demo/new_checkout",
    { archived: true, isArchived: false },
    400,
    /body\.isArchived contradicts body\.archived/,
  ],
  [
    "env: exposition",
    "PATCH",
    () => "/feature-flags/demo/new_checkout/production",
    { rolloutRules: [{ ...targeted, exposition: 101 }] },
    400,
    /^body\.rolloutRules\.0\.exposition must be <= 100/,
  ],
  [
    "env: allocation sum",
    "PATCH",
    () => "/feature-flags/demo/new_checkout/development",
    {
      rolloutRules: [
        {
          ...experiment,
          trafficAllocations: [
            { variationKey: "off", exposition: 60 },
            { variationKey: "on", exposition: 60 },
          ],
        },
      ],
    },
    400,
    /^body\.rolloutRules\.0\.trafficAllocations expositions sum to 120/,
  ],
  [
    "env: default variation",
    "PATCH",
    () => "/feature-flags/demo/new_checkout/staging",
    { defaultVariationKey: "purple" },
    400,
    /^body\.defaultVariationKey names variation 'purple'/,
  ],
  [
    "env: path and body disagree",
    "PATCH",
    () => "/feature-flags/demo/new_checkout/staging",
    { environmentKey: "production" },
    400,
    /body\.environmentKey/,
  ],
  [
    "env: unknown environment",
    "PATCH",
    () => "/feature-flags/demo/new_checkout/qa",
    { featureEnabled: true },
    404,
    /Environment 'qa'/,
  ],
  [
    "env: featureEnabled type",
    "PATCH",
    () => "/feature-flags/demo/new_checkout/staging",
    { featureEnabled: "maybe" },
    400,
    /body\.featureEnabled must be boolean/,
  ],
  [
    "rule: exposition",
    "PATCH",
    () => `/feature-flags/rules/${base.environmentConfigurations[2].rolloutRules[0].id}`,
    { exposition: 200 },
    400,
    /^body\.exposition must be <= 100/,
  ],
  [
    "rule: segment",
    "PATCH",
    () => `/feature-flags/rules/${base.environmentConfigurations[2].rolloutRules[0].id}`,
    { segmentId: 4242 },
    400,
    /^body\.segmentId names segment 4242/,
  ],
  [
    "rule: release zone",
    "PATCH",
    () => `/feature-flags/rules/${base.environmentConfigurations[2].rolloutRules[0].id}`,
    { release: { timeZone: "Nowhere/City" } },
    400,
    /^body\.release\.timeZone/,
  ],
  [
    "rule: ramp",
    "PATCH",
    () => `/feature-flags/rules/${base.environmentConfigurations[1].rolloutRules[0].id}`,
    { rolloutConfiguration: { increaseBy: -5 } },
    400,
    /^body\.rolloutConfiguration\.increaseBy must be > 0/,
  ],
  [
    "rule: variation key deleted",
    "PATCH",
    () => `/feature-flags/rules/${base.environmentConfigurations[2].rolloutRules[0].id}`,
    { variationKey: null },
    400,
    /^body\.variationKey is required/,
  ],
  [
    "rule: type without its fields",
    "PATCH",
    () => `/feature-flags/rules/${base.environmentConfigurations[2].rolloutRules[0].id}`,
    { type: "EXPERIMENTATION" },
    400,
    /^body\.variationKey does not apply to EXPERIMENTATION rules/,
  ],
  [
    "rule: id changed",
    "PATCH",
    () => `/feature-flags/rules/${base.environmentConfigurations[2].rolloutRules[0].id}`,
    { id: 1 },
    400,
    /body\.id is read-only/,
  ],
  [
    "rule: rollback goal",
    "PATCH",
    () => `/feature-flags/rules/${base.environmentConfigurations[2].rolloutRules[0].id}`,
    { rollbackConditions: [{ goalId: 1, matchValue: 1 }] },
    400,
    /^body\.rollbackConditions\.0\.goalId names goal 1/,
  ],
  [
    "duplicate: bad key",
    "POST",
    () => "/feature-flags/demo/new_checkout/duplicate",
    { featureKey: "no spaces" },
    400,
    /body\.featureKey must match pattern/,
  ],
  [
    "duplicate: unknown field",
    "POST",
    () => "/feature-flags/demo/new_checkout/duplicate",
    { tags: [] },
    400,
    /additional properties 'tags'/,
  ],
];

describe("updates reject", () => {
  it.each(patchCases)("%s", async (_name, method, url, body, status, message) => {
    const before = await snapshot();
    const response = await server.request(method, url(), { body });
    expectKameleoonError(response, status, message);
    expect(await snapshot()).toEqual(before);
  });

  it("a malformed merge patch and an unsupported content type", async () => {
    const before = await snapshot();
    const malformed = await server.request("PATCH", "/feature-flags/demo/new_checkout", {
      rawBody: "{nope",
      headers: { "content-type": "application/merge-patch+json" },
    });
    expectKameleoonError(malformed, 400);
    const text = await server.request("PATCH", "/feature-flags/demo/new_checkout", {
      rawBody: "name=x",
      headers: { "content-type": "text/plain" },
    });
    expect([400, 415]).toContain(text.status);
    expect(await snapshot()).toEqual(before);
  });

  it("keeps a valid patch working after all of that", async () => {
    const response = await server.request("PATCH", "/feature-flags/demo/new_checkout", {
      body: { description: "fine" },
    });
    expect(response.status).toBe(200);
    expect(response.body.version).toBe(base.version + 1);
  });
});

describe("read-only and round-trip fields", () => {
  it("accepts a flag read from the API as a create body for another key (ids ignored)", async () => {
    const read = (await server.request("GET", "/feature-flags/demo/new_checkout")).body;
    const copy = await createFlag(server, { ...read, featureKey: "round_trip" });
    expect(copy.id).not.toBe(read.id);
    expect(copy.environmentConfigurations[0].rolloutRules[0].id).not.toBe(
      read.environmentConfigurations[0].rolloutRules[0].id,
    );
  });
});
