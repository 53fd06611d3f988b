import { evaluateFlag } from "@vexil/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileEnvironmentPayload } from "../src/flags/compile-payload.js";
import { createFlag, exampleBody, type J, setupDemo } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
let flag: J;
let outer: number;

beforeAll(async () => {
  server = await startTestServer({ now: () => Date.parse("2025-06-10T12:00:00Z") });
  await setupDemo(server);
  // A segment that reaches 200001 through inSegment, and one nobody uses.
  const outerSegment = await server.request("POST", "/segments", {
    body: {
      siteCode: "demo",
      name: "French beta testers",
      condition: {
        all: [
          { operator: "inSegment", values: [200001] },
          { attribute: "country", operator: "equals", values: ["FR"] },
        ],
      },
      included: ["vip-1"],
    },
  });
  outer = outerSegment.body.id;
  await server.request("POST", "/segments", { body: { siteCode: "demo", name: "Unused" } });
  const body = exampleBody();
  body.environmentConfigurations[2].rolloutRules[0].segmentId = outer;
  flag = (await server.request("POST", "/feature-flags", { body })).body;
  await createFlag(server, { featureKey: "archived_one", name: "Archived" });
  await server.request("POST", "/feature-flags/demo/archived_one/archive");
  await createFlag(server, { featureKey: "plain", name: "Plain" });
});
afterAll(async () => server?.close());

describe("compileEnvironmentPayload", () => {
  it("compiles every non-archived flag for one environment in the engine's shape", async () => {
    const payload = await compileEnvironmentPayload(server.context, "demo", "production");
    const configVersion = await server.context.db
      .selectFrom("projects")
      .select((eb) => eb.ref("config_version" as never).as("v"))
      .where("key", "=", "demo")
      .executeTakeFirstOrThrow();
    expect(payload.version).toBe(Number((configVersion as { v: number }).v));
    expect(payload.projectKey).toBe("demo");
    expect(payload.environmentKey).toBe("production");
    expect(Object.keys(payload.flags).sort()).toEqual(["new_checkout", "plain"]);
    const [off, on] = flag.variations;
    const production = flag.environmentConfigurations[2].rolloutRules;
    expect(payload.flags.new_checkout).toEqual({
      id: flag.id,
      key: "new_checkout",
      version: 1,
      enabled: false,
      defaultVariationKey: "off",
      variations: [
        {
          key: "off",
          id: off.id,
          name: "Off",
          variables: [{ key: "one_page", type: "BOOLEAN", value: "false" }],
        },
        {
          key: "on",
          id: on.id,
          name: "On",
          variables: [
            { key: "one_page", type: "BOOLEAN", value: "true" },
            { key: "button_color", type: "STRING", value: "green" },
          ],
        },
      ],
      variables: [
        { key: "one_page", type: "BOOLEAN", value: "false" },
        { key: "button_color", type: "STRING", value: "blue" },
      ],
      rules: [
        {
          id: production[0].id,
          type: "TARGETED_DELIVERY",
          exposition: 100,
          state: "ACTIVE",
          release: {
            releaseFrom: "2025-06-01T00:00:00Z",
            releaseTo: "2025-06-30T23:59:00Z",
            timeZone: "Europe/Paris",
          },
          segmentId: outer,
          variationKey: "on",
        },
        {
          id: production[1].id,
          type: "PROGRESSIVE_DELIVERY",
          exposition: 0,
          state: "PAUSED",
          variationKey: "on",
          rolloutConfiguration: {
            type: "CUSTOM_RAMP_UP",
            steps: [
              { dateTime: "2025-07-01T08:00:00Z", exposure: 5 },
              { dateTime: "2025-07-08T08:00:00Z", exposure: 25 },
              { dateTime: "2025-07-15T08:00:00Z", exposure: 100 },
            ],
          },
        },
      ],
    });
    // Segments: the one the rule uses and the one it reaches through inSegment; not the unused one.
    expect(payload.segments).toEqual({
      [String(outer)]: {
        id: outer,
        condition: {
          all: [
            { operator: "inSegment", values: [200001] },
            { attribute: "country", operator: "equals", values: ["FR"] },
          ],
        },
        included: ["vip-1"],
      },
      "200001": { id: 200001, condition: { attribute: "beta", operator: "equals", values: [true] } },
    });
    expect(payload.flags.plain).toMatchObject({ enabled: false, defaultVariationKey: "off", rules: [] });
  });

  it("compiles experimentation and progressive-exposure rules", async () => {
    const development = await compileEnvironmentPayload(server.context, "demo", "development");
    const experiment = flag.environmentConfigurations[0].rolloutRules[0];
    expect(development.flags.new_checkout!.enabled).toBe(true);
    expect(development.flags.new_checkout!.rules).toEqual([
      {
        id: experiment.id,
        type: "EXPERIMENTATION",
        exposition: 50,
        state: "ACTIVE",
        segmentId: 200001,
        trafficAllocations: [
          { variationKey: "off", exposition: 50 },
          { variationKey: "on", exposition: 50 },
        ],
        experimentId: experiment.experimentId,
      },
    ]);
    expect(Object.keys(development.segments)).toEqual(["200001"]);
    const staging = await compileEnvironmentPayload(server.context, "demo", "staging");
    expect(staging.flags.new_checkout!.rules[0]).toEqual({
      id: flag.environmentConfigurations[1].rolloutRules[0].id,
      type: "PROGRESSIVE_DELIVERY",
      exposition: 10,
      state: "ACTIVE",
      release: { timeZone: "Europe/Paris" },
      variationKey: "on",
      rolloutConfiguration: {
        type: "PROGRESSIVE_EXPOSURE",
        percentageRange: { start: 10, stop: 100 },
        increaseBy: 10,
        frequency: { unit: "Days", value: 1 },
        releaseDateTime: "2025-06-01T09:00:00",
      },
    });
    expect(staging.segments).toEqual({});
  });

  it("evaluates with the engine as configured", async () => {
    await server.request("PATCH", "/feature-flags/demo/new_checkout/production", {
      body: { featureEnabled: true },
    });
    const payload = await compileEnvironmentPayload(server.context, "demo", "production");
    const now = Date.parse("2025-06-10T12:00:00Z");
    const french = evaluateFlag(
      payload,
      "new_checkout",
      { code: "v1", attributes: { beta: true, country: "FR" } },
      now,
    );
    expect(french).toMatchObject({ variationKey: "on", reason: "TARGETING_MATCH" });
    const german = evaluateFlag(
      payload,
      "new_checkout",
      { code: "v2", attributes: { beta: true, country: "DE" } },
      now,
    );
    expect(german).toMatchObject({ variationKey: "off", reason: "DEFAULT" });
    expect(evaluateFlag(payload, "new_checkout", { code: "vip-1" }, now).variationKey).toBe("on");
    expect(evaluateFlag(payload, "archived_one", { code: "v1" }, now).errorCode).toBe("FLAG_NOT_FOUND");
  });

  it("moves the version with every change and answers 404 for unknown projects and environments", async () => {
    const before = await compileEnvironmentPayload(server.context, "demo", "staging");
    await server.request("PATCH", "/feature-flags/demo/plain", { body: { description: "x" } });
    const after = await compileEnvironmentPayload(server.context, "demo", "staging");
    expect(after.version).toBe(before.version + 1);
    await server.request("POST", "/projects/demo/environments", { body: { key: "qa", name: "QA" } });
    const qa = await compileEnvironmentPayload(server.context, "demo", "qa");
    expect(qa.flags.new_checkout).toMatchObject({ enabled: false, defaultVariationKey: "off", rules: [] });
    await expect(compileEnvironmentPayload(server.context, "nope", "production")).rejects.toMatchObject({
      statusCode: 404,
    });
    await expect(compileEnvironmentPayload(server.context, "demo", "nope")).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});
