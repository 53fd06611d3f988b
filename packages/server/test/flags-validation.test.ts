import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFlag,
  exampleBody,
  expectKameleoonError,
  type J,
  setupDemo,
} from "./fixtures/flag-test-helpers.js";
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

const example = () => exampleBody();
const withRule = (rule: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  ...example(),
  featureKey: "bad_flag",
  environmentConfigurations: [{ environmentKey: "production", featureEnabled: true, rolloutRules: [rule] }],
  ...extra,
});
const targeted = { type: "TARGETED_DELIVERY", variationKey: "on" };
const experiment = {
  type: "EXPERIMENTATION",
  trafficAllocations: [
    { variationKey: "off", exposition: 50 },
    { variationKey: "on", exposition: 50 },
  ],
};
const progressive = (rolloutConfiguration: Record<string, unknown>) => ({
  type: "PROGRESSIVE_DELIVERY",
  variationKey: "on",
  rolloutConfiguration,
});
const exposure = {
  type: "PROGRESSIVE_EXPOSURE",
  percentageRange: { start: 10, stop: 50 },
  increaseBy: 10,
  frequency: { unit: "Hours", value: 2 },
  releaseDateTime: "2025-06-01T00:00:00Z",
};

type Case = [name: string, body: unknown, status: number, message: RegExp];

const createCases: Case[] = [
  [
    "featureKey pattern",
    { ...example(), featureKey: "has space" },
    400,
    /body\.featureKey must match pattern/,
  ],
  ["featureKey length", { ...example(), featureKey: "k".repeat(256) }, 400, /body\.featureKey/],
  ["featureKey missing", { ...example(), featureKey: undefined }, 400, /featureKey/],
  ["name empty", { ...example(), featureKey: "bad_flag", name: "" }, 400, /body\.name/],
  ["name too long", { ...example(), featureKey: "bad_flag", name: "n".repeat(101) }, 400, /body\.name/],
  [
    "unknown field",
    { ...example(), featureKey: "bad_flag", colour: "red" },
    400,
    /must NOT have additional properties 'colour'/,
  ],
  ["duplicate featureKey", example(), 409, /body\.featureKey.*new_checkout.*already exists/],
  [
    "unknown siteCode",
    { ...example(), featureKey: "bad_flag", siteCode: "nowhere" },
    404,
    /body\.siteCode.*nowhere/,
  ],
  [
    "exposition > 100",
    withRule({ ...targeted, exposition: 150 }),
    400,
    /rolloutRules\.0\.exposition must be <= 100/,
  ],
  [
    "exposition < 0",
    withRule({ ...targeted, exposition: -1 }),
    400,
    /rolloutRules\.0\.exposition must be >= 0/,
  ],
  [
    "allocations over 100",
    withRule({
      ...experiment,
      trafficAllocations: [
        { variationKey: "off", exposition: 70 },
        { variationKey: "on", exposition: 50 },
      ],
    }),
    400,
    /rolloutRules\.0\.trafficAllocations expositions sum to 120, must be <= 100/,
  ],
  [
    "allocation to an unknown variation",
    withRule({ ...experiment, trafficAllocations: [{ variationKey: "purple", exposition: 10 }] }),
    400,
    /trafficAllocations\.0\.variationKey names variation 'purple'/,
  ],
  [
    "allocation listed twice",
    withRule({
      ...experiment,
      trafficAllocations: [
        { variationKey: "on", exposition: 10 },
        { variationKey: "on", exposition: 10 },
      ],
    }),
    400,
    /trafficAllocations\.1\.variationKey repeats variation 'on'/,
  ],
  [
    "allocation without key or known id",
    withRule({ ...experiment, trafficAllocations: [{ variationId: 1, exposition: 10 }] }),
    400,
    /trafficAllocations\.0 needs a variationKey/,
  ],
  [
    "unknown controlVariationKey",
    withRule({ ...experiment, controlVariationKey: "nope" }),
    400,
    /controlVariationKey names variation 'nope'/,
  ],
  [
    "contextual bandit",
    withRule({ ...experiment, trafficAllocationMethod: "CONTEXTUAL_BANDIT" }),
    400,
    /trafficAllocationMethod CONTEXTUAL_BANDIT is not supported/,
  ],
  [
    "bandit flag contradicting the method",
    withRule({ ...experiment, multiArmedBandit: true, trafficAllocationMethod: "MANUAL" }),
    400,
    /multiArmedBandit contradicts trafficAllocationMethod MANUAL/,
  ],
  [
    "unknown variationKey",
    withRule({ type: "TARGETED_DELIVERY", variationKey: "nope" }),
    400,
    /rolloutRules\.0\.variationKey names variation 'nope'/,
  ],
  [
    "missing variationKey",
    withRule({ type: "TARGETED_DELIVERY" }),
    400,
    /rolloutRules\.0\.variationKey is required/,
  ],
  [
    "unknown rule type",
    withRule({ type: "AB_TEST", variationKey: "on" }),
    400,
    /rolloutRules\.0\.type must be equal to one of the allowed values/,
  ],
  [
    "experiment field on a delivery rule",
    withRule({ ...targeted, controlVariationKey: "off" }),
    400,
    /rolloutRules\.0\.controlVariationKey does not apply to TARGETED_DELIVERY rules/,
  ],
  [
    "schedule on a targeted rule",
    withRule({ ...targeted, rolloutConfiguration: exposure }),
    400,
    /rolloutRules\.0\.rolloutConfiguration does not apply/,
  ],
  [
    "unknown defaultVariationKey",
    {
      ...example(),
      featureKey: "bad_flag",
      environmentConfigurations: [
        { environmentKey: "staging", featureEnabled: true, defaultVariationKey: "gone" },
      ],
    },
    400,
    /environmentConfigurations\.0\.defaultVariationKey names variation 'gone'/,
  ],
  [
    "unknown environment",
    {
      ...example(),
      featureKey: "bad_flag",
      environmentConfigurations: [{ environmentKey: "qa", featureEnabled: true }],
    },
    400,
    /environmentConfigurations\.0\.environmentKey names environment 'qa'/,
  ],
  [
    "environment listed twice",
    {
      ...example(),
      featureKey: "bad_flag",
      environmentConfigurations: [
        { environmentKey: "staging", featureEnabled: true },
        { environmentKey: "staging", featureEnabled: false },
      ],
    },
    400,
    /environmentConfigurations\.1\.environmentKey repeats environment 'staging'/,
  ],
  [
    "unknown segment",
    withRule({ ...targeted, segmentId: 999 }),
    400,
    /rolloutRules\.0\.segmentId names segment 999/,
  ],
  [
    "unknown primary goal",
    { ...example(), featureKey: "bad_flag", primaryGoalId: 42 },
    400,
    /body\.primaryGoalId names goal 42/,
  ],
  [
    "unknown secondary goal",
    { ...example(), featureKey: "bad_flag", secondaryGoalIds: [300001, 43] },
    400,
    /body\.secondaryGoalIds\.1 names goal 43/,
  ],
  [
    "NUMBER variable not a number",
    { ...example(), featureKey: "bad_flag", variables: [{ key: "n", type: "NUMBER", value: "twelve" }] },
    400,
    /body\.variables\.0\.value must be a finite decimal number/,
  ],
  [
    "NUMBER variable infinite",
    { ...example(), featureKey: "bad_flag", variables: [{ key: "n", type: "NUMBER", value: "Infinity" }] },
    400,
    /body\.variables\.0\.value/,
  ],
  [
    "BOOLEAN variable not a boolean",
    { ...example(), featureKey: "bad_flag", variables: [{ key: "b", type: "BOOLEAN", value: "yes" }] },
    400,
    /body\.variables\.0\.value must be "true" or "false"/,
  ],
  [
    "JSON variable not JSON",
    { ...example(), featureKey: "bad_flag", variables: [{ key: "j", type: "JSON", value: "{oops" }] },
    400,
    /body\.variables\.0\.value must be JSON text/,
  ],
  [
    "unknown variable type",
    { ...example(), featureKey: "bad_flag", variables: [{ key: "x", type: "DATE", value: "1" }] },
    400,
    /body\.variables\.0\.type/,
  ],
  [
    "variable listed twice",
    {
      ...example(),
      featureKey: "bad_flag",
      variables: [
        { key: "x", type: "STRING", value: "1" },
        { key: "x", type: "STRING", value: "2" },
      ],
    },
    400,
    /body\.variables\.1\.key repeats variable 'x'/,
  ],
  [
    "value outside allowedValues",
    {
      ...example(),
      featureKey: "bad_flag",
      variables: [{ key: "size", type: "STRING", value: "XL", allowedValues: ["S", "M"] }],
      variations: [{ key: "off" }, { key: "on" }],
    },
    400,
    /body\.variables\.0\.value must be one of allowedValues/,
  ],
  [
    "variation variable the flag does not declare",
    {
      ...example(),
      featureKey: "bad_flag",
      variations: [{ key: "off", variables: [{ key: "ghost", value: "1" }] }, { key: "on" }],
    },
    400,
    /body\.variations\.0\.variables\.0\.key names variable 'ghost'/,
  ],
  [
    "variation variable of the wrong type",
    {
      ...example(),
      featureKey: "bad_flag",
      variations: [
        { key: "off", variables: [{ key: "one_page", type: "NUMBER", value: "1" }] },
        { key: "on" },
      ],
    },
    400,
    /body\.variations\.0\.variables\.0\.type is NUMBER but the flag declares 'one_page' as BOOLEAN/,
  ],
  [
    "variation variable value not of its type",
    {
      ...example(),
      featureKey: "bad_flag",
      variations: [{ key: "off", variables: [{ key: "one_page", value: "maybe" }] }, { key: "on" }],
    },
    400,
    /body\.variations\.0\.variables\.0\.value must be "true" or "false"/,
  ],
  [
    "variation listed twice",
    { ...example(), featureKey: "bad_flag", variations: [{ key: "on" }, { key: "on" }] },
    400,
    /body\.variations\.1\.key repeats variation 'on'/,
  ],
  [
    "no variations",
    { ...example(), featureKey: "bad_flag", variations: [] },
    400,
    /body\.variations must NOT have fewer than 1 items/,
  ],
  [
    "release window reversed",
    withRule({
      ...targeted,
      release: { releaseFrom: "2025-07-01T00:00:00Z", releaseTo: "2025-06-01T00:00:00Z" },
    }),
    400,
    /rolloutRules\.0\.release releaseFrom must be before releaseTo/,
  ],
  [
    "release date unreadable",
    withRule({ ...targeted, release: { releaseFrom: "next tuesday" } }),
    400,
    /rolloutRules\.0\.release\.releaseFrom is not an ISO 8601 date-time/,
  ],
  [
    "unknown time zone",
    withRule({ ...targeted, release: { timeZone: "Mars/Olympus" } }),
    400,
    /rolloutRules\.0\.release\.timeZone 'Mars\/Olympus' is not an IANA time zone/,
  ],
  [
    "ramp start above stop",
    withRule(progressive({ ...exposure, percentageRange: { start: 60, stop: 50 } })),
    400,
    /rolloutConfiguration\.percentageRange start must be <= stop/,
  ],
  [
    "ramp range above 100",
    withRule(progressive({ ...exposure, percentageRange: { start: 0, stop: 120 } })),
    400,
    /percentageRange\.stop must be <= 100/,
  ],
  [
    "ramp increase of zero",
    withRule(progressive({ ...exposure, increaseBy: 0 })),
    400,
    /rolloutConfiguration\.increaseBy must be > 0/,
  ],
  [
    "ramp without frequency",
    withRule(progressive({ ...exposure, frequency: undefined })),
    400,
    /rolloutConfiguration\.frequency is required/,
  ],
  [
    "ramp frequency unit",
    withRule(progressive({ ...exposure, frequency: { unit: "YEAR", value: 1 } })),
    400,
    /rolloutConfiguration\.frequency\.unit/,
  ],
  [
    "ramp frequency zero",
    withRule(progressive({ ...exposure, frequency: { unit: "Days", value: 0 } })),
    400,
    /rolloutConfiguration\.frequency\.value must be >= 1/,
  ],
  [
    "ramp release date unreadable",
    withRule(progressive({ ...exposure, releaseDateTime: "soon" })),
    400,
    /rolloutConfiguration\.releaseDateTime is not an ISO 8601 date-time/,
  ],
  [
    "custom steps out of order",
    withRule(
      progressive({
        type: "CUSTOM_RAMP_UP",
        steps: [
          { dateTime: "2025-07-02T00:00:00Z", exposure: 10 },
          { dateTime: "2025-07-01T00:00:00Z", exposure: 20 },
        ],
      }),
    ),
    400,
    /rolloutConfiguration\.steps\.1\.dateTime must be after the previous step's/,
  ],
  [
    "custom step over 100",
    withRule(
      progressive({ type: "CUSTOM_RAMP_UP", steps: [{ dateTime: "2025-07-01T00:00:00Z", exposure: 101 }] }),
    ),
    400,
    /steps\.0\.exposure must be <= 100/,
  ],
  [
    "custom ramp without steps",
    withRule(progressive({ type: "CUSTOM_RAMP_UP" })),
    400,
    /rolloutConfiguration\.steps is required/,
  ],
  [
    "mixed ramp fields",
    withRule(progressive({ ...exposure, steps: [{ dateTime: "2025-07-01T00:00:00Z", exposure: 1 }] })),
    400,
    /rolloutConfiguration\.steps does not apply to PROGRESSIVE_EXPOSURE/,
  ],
  [
    "rollback matchValue over 100",
    withRule({ ...targeted, rollbackConditions: [{ goalId: 300001, matchValue: 150 }] }),
    400,
    /rollbackConditions\.0\.matchValue must be <= 100/,
  ],
  [
    "rollback goal unknown",
    withRule({ ...targeted, rollbackConditions: [{ goalId: 77, matchValue: 5 }] }),
    400,
    /rollbackConditions\.0\.goalId names goal 77/,
  ],
  [
    "rollback visitors zero",
    withRule({ ...targeted, rollbackConditions: [{ goalId: 300001, matchValue: 5, visitors: 0 }] }),
    400,
    /rollbackConditions\.0\.visitors must be >= 1/,
  ],
  [
    "rollback criteria unknown",
    withRule({ ...targeted, rollbackConditions: [{ goalId: 300001, matchValue: 5, criteria: "REVENUE" }] }),
    400,
    /rollbackConditions\.0\.criteria/,
  ],
  [
    "rollback target unknown",
    withRule({ ...targeted, rollbackConditions: [{ goalId: 300001, matchValue: 5, target: "PROJECT" }] }),
    400,
    /rollbackConditions\.0\.target/,
  ],
  [
    "rollback recipient not an email",
    withRule({ ...targeted, rollbackConditions: [{ goalId: 300001, matchValue: 5, recipients: ["bob"] }] }),
    400,
    /rollbackConditions\.0\.recipients\.0 must be an email address/,
  ],
  [
    "rule ids repeated",
    withRule(targeted, {
      environmentConfigurations: [
        {
          environmentKey: "staging",
          featureEnabled: true,
          rolloutRules: [
            { ...targeted, id: 5 },
            { ...targeted, id: 5 },
          ],
        },
      ],
    }),
    400,
    /rolloutRules\.1\.id repeats rule 5/,
  ],
  [
    "custom-data bucketing",
    {
      ...example(),
      featureKey: "bad_flag",
      bucketingKey: { bucketingKeyType: "CUSTOM_DATA", customDataId: 3 },
    },
    400,
    /body\.bucketingKey\.bucketingKeyType CUSTOM_DATA is not supported/,
  ],
  [
    "computed health",
    { ...example(), featureKey: "bad_flag", health: "SMELLY" },
    400,
    /body\.health SMELLY is computed/,
  ],
];

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
