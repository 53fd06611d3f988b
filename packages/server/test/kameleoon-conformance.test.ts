// Kameleoon conformance (issue 12): the bodies of Kameleoon's Automation API documentation (the "Manage
// feature flags and rollout rules" tutorial's create body, the no-body duplicate, a merge patch of an
// environment, the "Request feature flag's results" example with its placeholders filled in) sent as they
// are, on SQLite or PostgreSQL (VEXIL_TEST_POSTGRES_URL), checking the status codes and the name and type
// of every field the reference's response examples show ("Get a feature flag configuration", the results
// and error bodies). The expected fields and types are transcribed from those examples, not from Vexil.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import { waitForReport } from "../src/results/results-simulation.test-support.js";
import type { J } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer, testDatabaseKind } from "./harness.js";

type FieldType = "string" | "integer" | "number" | "boolean" | "array" | "object" | "date-time";
type Shape = Record<string, FieldType>;

/** Kameleoon's FeatureFlag response (always-present fields of the reference's example). */
const FLAG: Shape = {
  featureKey: "string",
  id: "integer",
  name: "string",
  siteCode: "string",
  archived: "boolean",
  attributionWindow: "integer",
  dateContentModified: "date-time",
  dateCreated: "date-time",
  dateModified: "date-time",
  description: "string",
  environmentConfigurations: "array",
  health: "string",
  secondaryGoalIds: "array",
  tags: "array",
  variables: "array",
  variations: "array",
};
const ENVIRONMENT: Shape = {
  dateModified: "date-time",
  defaultVariationKey: "string",
  environmentKey: "string",
  featureEnabled: "boolean",
  integrations: "object",
  rolloutRules: "array",
};
const INTEGRATIONS: Shape = { deliveryRules: "array", experimentRules: "array" };
const VARIABLE: Shape = { key: "string", type: "string", value: "string" };
const VARIATION: Shape = { key: "string", name: "string", variables: "array" };
const TARGETED_RULE: Shape = {
  type: "string",
  id: "integer",
  name: "string",
  exposition: "number",
  status: "string",
  rollbackConditions: "array",
  variationKey: "string",
};
const ERROR: Shape = {
  code: "string",
  message: "string",
  name: "string",
  status: "string",
  time: "integer",
  timestamp: "date-time",
};

let checked = 0;

function typeOf(value: unknown): FieldType | "null" | "undefined" {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (
    typeof value === "string" &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)
  )
    return "date-time";
  return typeof value as FieldType;
}

/** Every field of `shape` is present in `body` with its documented type (an integer is a number too). */
function expectShape(body: J, shape: Shape, where: string) {
  for (const [field, type] of Object.entries(shape)) {
    const actual = typeOf(body?.[field]);
    const ok =
      actual === type ||
      (type === "number" && actual === "integer") ||
      (type === "string" && actual === "date-time");
    expect(ok, `${where}.${field}: documented ${type}, got ${actual}`).toBe(true);
    checked++;
  }
}

function expectFlag(flag: J, where: string) {
  expectShape(flag, FLAG, where);
  for (const [i, v] of (flag.variables as J[]).entries()) expectShape(v, VARIABLE, `${where}.variables.${i}`);
  flag.variations.forEach((v: J, i: number) => {
    expectShape(v, VARIATION, `${where}.variations.${i}`);
    for (const [j, w] of (v.variables as J[]).entries()) {
      expectShape(w, VARIABLE, `${where}.variations.${i}.variables.${j}`);
    }
  });
  flag.environmentConfigurations.forEach((e: J, i: number) => {
    expectShape(e, ENVIRONMENT, `${where}.environmentConfigurations.${i}`);
    expectShape(e.integrations, INTEGRATIONS, `${where}.environmentConfigurations.${i}.integrations`);
  });
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await ensureDemoProject(server.context);
});
afterAll(async () => {
  console.log(`Kameleoon conformance on ${testDatabaseKind}: ${checked} documented fields checked`);
  await server?.close();
});

// The tutorial's create body (siteCode is the tutorial's placeholder project; here, Vexil's demo project).
const tutorialCreateBody = {
  featureKey: "test_feature_flag_post",
  name: "test_feature_flag_post",
  siteCode: "demo",
  description: "",
  tags: [],
  variables: [{ key: "test_variable", type: "STRING", value: "test" }],
  variations: [
    { name: "On", key: "on", variables: [{ key: "test_variable", type: "STRING", value: "test" }] },
    { name: "Off", key: "off", variables: [{ key: "test_variable", type: "STRING", value: "test" }] },
  ],
  attributionWindow: 604800000,
  archived: false,
};

describe("Kameleoon's documented calls", () => {
  it("creates, duplicates and merge-patches a flag with the documentation's bodies", async () => {
    const created = await server.request("POST", "/feature-flags", { body: tutorialCreateBody });
    expect(created.status, created.text).toBe(201);
    expectFlag(created.body, "create");
    // No environmentConfigurations: one per environment, as the tutorial says.
    expect(created.body.environmentConfigurations.map((e: J) => e.environmentKey)).toEqual([
      "development",
      "staging",
      "production",
    ]);
    expect(created.body.attributionWindow).toBe(604800000);

    // Duplicate: the documented call has no body; most clients still send Content-Type: application/json.
    for (const headers of [{}, { "content-type": "application/json" }] as Record<string, string>[]) {
      const copy = await server.request("POST", "/feature-flags/demo/test_feature_flag_post/duplicate", {
        headers,
        rawBody: "",
      });
      expect(copy.status, copy.text).toBe(201);
      expectFlag(copy.body, "duplicate");
    }

    // The tutorial's second step: a TARGETED_DELIVERY rule added to the development environment.
    const patched = await server.request("PATCH", "/feature-flags/demo/test_feature_flag_post/development", {
      headers: { "content-type": "application/merge-patch+json" },
      body: {
        featureEnabled: true,
        rolloutRules: [{ type: "TARGETED_DELIVERY", name: "Targeted", exposition: 50, variationKey: "on" }],
      },
    });
    expect(patched.status, patched.text).toBe(200);
    expectFlag(patched.body, "patch");
    const development = patched.body.environmentConfigurations.find(
      (e: J) => e.environmentKey === "development",
    );
    expectShape(development.rolloutRules[0], TARGETED_RULE, "patch.rolloutRules.0");

    const read = await server.request("GET", "/feature-flags/demo/test_feature_flag_post");
    expect(read.status).toBe(200);
    expectFlag(read.body, "get");
  });

  it("requests results with the reference's example body and reads them by dataCode", async () => {
    const goal = await server.request("POST", "/goals", {
      body: { siteCode: "demo", name: "Buy", key: "buy" },
    });
    expect(goal.status).toBe(201);
    const flag = await server.request("POST", "/feature-flags", {
      body: {
        ...tutorialCreateBody,
        featureKey: "results_example",
        primaryGoalId: goal.body.id,
        environmentConfigurations: [
          {
            environmentKey: "production",
            featureEnabled: true,
            defaultVariationKey: "off",
            rolloutRules: [{ type: "EXPERIMENTATION", name: "A/B" }],
          },
        ],
      },
    });
    expect(flag.status, flag.text).toBe(201);
    const off = flag.body.variations.find((v: J) => v.key === "off");
    // The example body, placeholders filled in (callbackUrl left out: it would be called).
    const example = {
      dateIntervals: [{ start: "2023-11-07T05:31:56Z", end: "2023-11-08T05:31:56Z" }],
      conversionType: "ALL_CONVERSION",
      visitorData: false,
      allVariationsData: false,
      bayesian: false,
      sequentialTesting: false,
      enabledMultipleTesting: false,
      referenceVariationId: String(off.id),
      breakdown: { type: "BROWSER" },
      goalsIds: [goal.body.id],
      goalIdsCuped: [goal.body.id],
      filters: [{ type: "BROWSER", include: true, values: ["Chrome"] }],
    };
    const requested = await server.request("POST", `/feature-flags/${flag.body.id}/results`, {
      body: example,
    });
    expect(requested.status, requested.text).toBe(200);
    expectShape(requested.body, { dataCode: "string" }, "results");
    const done = await waitForReport(server, requested.body.dataCode);
    expect(done.status).toBe("READY");
    const polled = await server.request("GET", `/results?dataCode=${requested.body.dataCode}`);
    expect(polled.status).toBe(200);
    expectShape(polled.body, { dataCode: "string", status: "string", data: "object" }, "GET /results");
    const variation = polled.body.data.variationData[String(off.id)];
    expectShape(variation, { generalData: "object", breakdownData: "object" }, "variationData");
    expectShape(variation.generalData, { visitCount: "integer", goalsData: "object" }, "generalData");
  });

  it("answers errors in Kameleoon's documented error body", async () => {
    const missing = await server.request("GET", "/feature-flags/demo/no_such_flag");
    expect(missing.status).toBe(404);
    expectShape(missing.body, ERROR, "404");
    expect(missing.body.code).toBe("404");
    const bad = await server.request("POST", "/feature-flags", {
      body: { ...tutorialCreateBody, featureKey: "" },
    });
    expect(bad.status).toBe(400);
    expectShape(bad.body, ERROR, "400");
    expect(Date.parse(bad.body.timestamp)).toBe(bad.body.time);
  });
});
