// OFREP over real HTTP with a scripted payload: value mapping, every error shape, bulk ETag, evaluation
// counting, and the published @openfeature/ofrep-provider driving @openfeature/server-sdk.

import { OFREPProvider } from "@openfeature/ofrep-provider";
import { OpenFeature } from "@openfeature/server-sdk";
import type { CompiledFlag, EvaluationPayload } from "@vexil/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lastEvaluatedAt } from "../src/sdk-delivery/evaluations.store.js";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
let serverKey = "";
let clientKey = "";
let version = 1;

function flag(key: string, options: Partial<CompiledFlag>): CompiledFlag {
  return {
    id: key.length,
    key,
    version: 3,
    enabled: true,
    defaultVariationKey: "off",
    variations: [
      { key: "off", variables: [] },
      { key: "on", variables: [] },
    ],
    variables: [],
    rules: [],
    ...options,
  };
}

const frOnly = {
  id: 1,
  type: "TARGETED_DELIVERY" as const,
  exposition: 100,
  state: "ACTIVE" as const,
  segmentId: 5,
};

const flags: Record<string, CompiledFlag> = {
  // No variables, on/off: a boolean.
  "dark-mode": flag("dark-mode", { rules: [{ ...frOnly, variationKey: "on" }] }),
  // No variables, other keys: the variation key.
  "button-color": flag("button-color", {
    defaultVariationKey: "blue",
    variations: [
      { key: "blue", variables: [] },
      { key: "red", variables: [] },
    ],
    rules: [{ ...frOnly, variationKey: "red" }],
  }),
  // One variable: its typed value.
  discount: flag("discount", {
    variables: [{ key: "rate", type: "NUMBER", value: "0" }],
    variations: [
      { key: "off", variables: [] },
      { key: "on", variables: [{ key: "rate", type: "NUMBER", value: "12.5" }] },
    ],
    rules: [{ ...frOnly, variationKey: "on" }],
  }),
  // Several variables: an object.
  layout: flag("layout", {
    variables: [
      { key: "columns", type: "NUMBER", value: "2" },
      { key: "theme", type: "JSON", value: '{"dark":false}' },
    ],
    variations: [
      { key: "off", variables: [] },
      { key: "on", variables: [{ key: "theme", type: "JSON", value: '{"dark":true}' }] },
    ],
    rules: [{ ...frOnly, variationKey: "on" }],
  }),
  experiment: flag("experiment", {
    variations: [
      { key: "off", variables: [] },
      { key: "a", variables: [] },
      { key: "b", variables: [] },
    ],
    rules: [
      {
        id: 9,
        type: "EXPERIMENTATION",
        exposition: 100,
        state: "ACTIVE",
        experimentId: 77,
        trafficAllocations: [
          { variationKey: "a", exposition: 50 },
          { variationKey: "b", exposition: 50 },
        ],
      },
    ],
  }),
  disabled: flag("disabled", { enabled: false }),
  // Unusable configuration (default variation missing).
  broken: flag("broken", { defaultVariationKey: "nope" }),
};

async function ofrep(
  path: string,
  body: unknown,
  options: { key?: string | null; headers?: Record<string, string>; raw?: string; base?: TestServer } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  const key = options.key === undefined ? serverKey : options.key;
  if (key !== null) headers.authorization = key;
  const response = await fetch(`${(options.base ?? server).baseUrl}${path}`, {
    method: "POST",
    headers,
    body: options.raw ?? JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const fr = { context: { targetingKey: "visitor-1", country: "FR" } };
const us = { context: { targetingKey: "visitor-1", country: "US" } };

beforeAll(async () => {
  server = await startTestServer({ listen: true });
  await server.request("POST", "/projects", { body: { key: "shop", name: "Shop" } });
  const production = (await server.request("GET", "/projects/shop")).body.environments.find(
    (e: { key: string }) => e.key === "production",
  );
  serverKey = production.serverSdkKey;
  clientKey = production.clientSdkKey;
  server.app.sdkDelivery.usePayloadSource(
    async (projectKey, environmentKey): Promise<EvaluationPayload> => ({
      version,
      projectKey,
      environmentKey,
      flags: structuredClone(flags),
      segments: { "5": { id: 5, condition: { attribute: "country", operator: "equals", values: ["FR"] } } },
    }),
  );
});
afterAll(async () => {
  await OpenFeature.close();
  await server?.close();
});

describe("POST /ofrep/v1/evaluate/flags/{key}", () => {
  it("answers a boolean for an on/off flag without variables", async () => {
    const on = await ofrep("/ofrep/v1/evaluate/flags/dark-mode", fr);
    expect(on.status).toBe(200);
    expect(on.headers.get("content-type")).toMatch(/application\/json/);
    expect(on.body).toEqual({
      key: "dark-mode",
      value: true,
      reason: "TARGETING_MATCH",
      variant: "on",
      metadata: {
        configVersion: version,
        flagVersion: 3,
        inExperiment: false,
        ruleId: 1,
        ruleType: "TARGETED_DELIVERY",
      },
    });
    const off = await ofrep("/ofrep/v1/evaluate/flags/dark-mode", us);
    expect(off.body).toMatchObject({ value: false, reason: "DEFAULT", variant: "off" });
    const disabled = await ofrep("/ofrep/v1/evaluate/flags/disabled", fr);
    expect(disabled.body).toMatchObject({ value: false, reason: "DISABLED", variant: "off" });
  });

  it("answers the variation key, the single variable's typed value, or an object of the variables", async () => {
    expect((await ofrep("/ofrep/v1/evaluate/flags/button-color", fr)).body).toMatchObject({
      value: "red",
      variant: "red",
    });
    expect((await ofrep("/ofrep/v1/evaluate/flags/button-color", us)).body.value).toBe("blue");
    expect((await ofrep("/ofrep/v1/evaluate/flags/discount", fr)).body).toMatchObject({
      value: 12.5,
      variant: "on",
    });
    expect((await ofrep("/ofrep/v1/evaluate/flags/discount", us)).body).toMatchObject({
      value: 0,
      variant: "off",
    });
    expect((await ofrep("/ofrep/v1/evaluate/flags/layout", fr)).body.value).toEqual({
      columns: 2,
      theme: { dark: true },
    });
    expect((await ofrep("/ofrep/v1/evaluate/flags/layout", us)).body.value).toEqual({
      columns: 2,
      theme: { dark: false },
    });
  });

  it("reports experiment allocation in metadata and takes attributes from the context", async () => {
    const answer = await ofrep("/ofrep/v1/evaluate/flags/experiment", { context: { targetingKey: "v42" } });
    expect(answer.body).toMatchObject({
      reason: "SPLIT",
      metadata: { inExperiment: true, experimentId: 77, ruleId: 9, ruleType: "EXPERIMENTATION" },
    });
    expect(["a", "b"]).toContain(answer.body.value);
    expect(answer.body.variant).toBe(answer.body.value);
  });

  it("accepts the client-side key", async () => {
    const answer = await ofrep("/ofrep/v1/evaluate/flags/dark-mode", fr, { key: clientKey });
    expect(answer.status).toBe(200);
    expect(answer.body.value).toBe(true);
    const bearer = await ofrep("/ofrep/v1/evaluate/flags/dark-mode", fr, { key: `Bearer ${clientKey}` });
    expect(bearer.status).toBe(200);
  });

  it("answers FLAG_NOT_FOUND with 404", async () => {
    const answer = await ofrep("/ofrep/v1/evaluate/flags/nope", fr);
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({
      key: "nope",
      errorCode: "FLAG_NOT_FOUND",
      errorDetails: "Flag 'nope' not found",
    });
  });

  it("answers TARGETING_KEY_MISSING, INVALID_CONTEXT and PARSE_ERROR with 400", async () => {
    for (const body of [
      {},
      { context: {} },
      { context: { targetingKey: "" } },
      { context: { country: "FR" } },
    ]) {
      const answer = await ofrep("/ofrep/v1/evaluate/flags/dark-mode", body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ key: "dark-mode", errorCode: "TARGETING_KEY_MISSING" });
    }
    const empty = await ofrep("/ofrep/v1/evaluate/flags/dark-mode", undefined, { raw: "" });
    expect(empty.body.errorCode).toBe("TARGETING_KEY_MISSING");
    for (const body of [{ context: { targetingKey: 42 } }, { context: "visitor" }, [1, 2]]) {
      const answer = await ofrep("/ofrep/v1/evaluate/flags/dark-mode", body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ key: "dark-mode", errorCode: "INVALID_CONTEXT" });
    }
    const malformed = await ofrep("/ofrep/v1/evaluate/flags/dark-mode", undefined, { raw: '{"context": {' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ key: "dark-mode", errorCode: "PARSE_ERROR" });
    expect(malformed.body.errorDetails).toMatch(/Malformed JSON/);
  });

  it("answers a flag whose configuration is unusable with 500 PARSE_ERROR", async () => {
    const answer = await ofrep("/ofrep/v1/evaluate/flags/broken", fr);
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ key: "broken", errorCode: "PARSE_ERROR" });
  });

  it("answers 401 without a key or with an unknown one", async () => {
    const none = await ofrep("/ofrep/v1/evaluate/flags/dark-mode", fr, { key: null });
    expect(none.status).toBe(401);
    expect(none.body.errorCode).toBe("UNAUTHORIZED");
    const unknown = await ofrep("/ofrep/v1/evaluate/flags/dark-mode", fr, {
      key: "0123456789abcdef01234567",
    });
    expect(unknown.status).toBe(401);
    const bulk = await ofrep("/ofrep/v1/evaluate/flags", fr, { key: "nope" });
    expect(bulk.status).toBe(401);
  });

  it("counts successful evaluations for flag health without touching storage per request", async () => {
    for (let i = 0; i < 3; i++) await ofrep("/ofrep/v1/evaluate/flags/discount", fr);
    await server.app.sdkDelivery.evaluations.flush();
    const stats = await lastEvaluatedAt(server.context, "shop", { featureKeys: ["discount", "nope"] });
    expect([...stats.keys()]).toEqual(["discount"]);
    expect(stats.get("discount")!.environments.production!.count).toBeGreaterThanOrEqual(3);
  });

  it("answers CORS preflights so browsers can call it with the client-side key", async () => {
    const response = await fetch(`${server.baseUrl}/ofrep/v1/evaluate/flags`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
    const answer = await ofrep("/ofrep/v1/evaluate/flags/dark-mode", fr, { key: clientKey });
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("POST /ofrep/v1/evaluate/flags (bulk)", () => {
  it("evaluates every flag, with per-flag errors inside flags[]", async () => {
    const answer = await ofrep("/ofrep/v1/evaluate/flags", fr, { key: clientKey });
    expect(answer.status).toBe(200);
    const byKey = Object.fromEntries(answer.body.flags.map((f: { key: string }) => [f.key, f]));
    expect(Object.keys(byKey).sort()).toEqual(Object.keys(flags).sort());
    expect(byKey["dark-mode"]).toMatchObject({ value: true, variant: "on", reason: "TARGETING_MATCH" });
    expect(byKey.discount.value).toBe(12.5);
    expect(byKey.broken).toEqual({
      key: "broken",
      errorCode: "PARSE_ERROR",
      errorDetails: "The flag's stored configuration is not usable",
    });
  });

  it("answers 304 to If-None-Match while the answer is the same, 200 with a new ETag once it changes", async () => {
    const first = await ofrep("/ofrep/v1/evaluate/flags", fr);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const same = await ofrep("/ofrep/v1/evaluate/flags", fr, { headers: { "if-none-match": etag } });
    expect(same.status).toBe(304);
    expect(same.headers.get("etag")).toBe(etag);
    // Another context gets another answer.
    const other = await ofrep("/ofrep/v1/evaluate/flags", us, { headers: { "if-none-match": etag } });
    expect(other.status).toBe(200);
    expect(other.headers.get("etag")).not.toBe(etag);
    // A configuration change gets another answer.
    version++;
    flags["dark-mode"] = { ...flags["dark-mode"]!, enabled: false, version: 4 };
    server.context.changes.publish({ projectKey: "shop", kind: "flag", key: "dark-mode" });
    await waitFor(() => server.app.sdkDelivery.feedVersion("shop", "production") === version);
    const changed = await ofrep("/ofrep/v1/evaluate/flags", fr, { headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.body.flags.find((f: { key: string }) => f.key === "dark-mode").value).toBe(false);
  });

  it("answers request errors with 400 and an error code, without flags", async () => {
    const missing = await ofrep("/ofrep/v1/evaluate/flags", { context: {} });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      errorCode: "TARGETING_KEY_MISSING",
      errorDetails: "context.targetingKey is required (the visitor code)",
    });
    const malformed = await ofrep("/ofrep/v1/evaluate/flags", undefined, { raw: "nope" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errorCode).toBe("PARSE_ERROR");
  });
});

describe("rate limit", () => {
  it("answers 429 with Retry-After once the address's SDK budget is spent", async () => {
    // SDK routes have their own per-address budget (docs/security.md); the per-token one is not theirs.
    const limited = await startTestServer({
      listen: true,
      env: { VEXIL_SDK_RATE_LIMIT_PER_MINUTE: "2", VEXIL_RATE_LIMIT_PER_MINUTE: "0" },
    });
    try {
      await limited.request("POST", "/projects", { body: { key: "shop", name: "Shop" } });
      const environments = (await limited.request("GET", "/projects/shop")).body.environments;
      const key = environments[0].clientSdkKey;
      limited.app.sdkDelivery.usePayloadSource(async (projectKey, environmentKey) => ({
        version: 1,
        projectKey,
        environmentKey,
        flags: { "dark-mode": flags["dark-mode"]! },
        segments: {},
      }));
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof ofrep>> | undefined;
      for (let i = 0; i < 3; i++) {
        last = await ofrep("/ofrep/v1/evaluate/flags/dark-mode", fr, { key, base: limited });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 429]);
      expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(last!.body.errorCode).toBe("RATE_LIMITED");
    } finally {
      await limited.close();
    }
  });
});

describe("the published OpenFeature OFREP provider", () => {
  it("drives @openfeature/server-sdk's typed getters against the real server", async () => {
    await OpenFeature.setProviderAndWait(
      new OFREPProvider({ baseUrl: server.baseUrl, headers: [["Authorization", serverKey]] }),
    );
    const client = OpenFeature.getClient();
    const visitor = { targetingKey: "visitor-7", country: "FR" };
    version++;
    flags["dark-mode"] = { ...flags["dark-mode"]!, enabled: true, version: 5 };
    server.context.changes.publish({ projectKey: "shop", kind: "flag", key: "dark-mode" });
    await waitFor(() => server.app.sdkDelivery.feedVersion("shop", "production") === version);

    expect(await client.getBooleanValue("dark-mode", false, visitor)).toBe(true);
    expect(await client.getStringValue("button-color", "none", visitor)).toBe("red");
    expect(await client.getNumberValue("discount", -1, visitor)).toBe(12.5);
    expect(await client.getObjectValue("layout", {}, visitor)).toEqual({ columns: 2, theme: { dark: true } });

    const details = await client.getBooleanDetails("dark-mode", false, visitor);
    expect(details).toMatchObject({ value: true, variant: "on", reason: "TARGETING_MATCH" });
    expect(details.flagMetadata).toMatchObject({ configVersion: version, ruleId: 1, inExperiment: false });

    const missing = await client.getBooleanDetails("nope", false, visitor);
    expect(missing).toMatchObject({ value: false, reason: "ERROR", errorCode: "FLAG_NOT_FOUND" });
    const noTargetingKey = await client.getBooleanDetails("dark-mode", false, { country: "FR" });
    expect(noTargetingKey).toMatchObject({ value: false, errorCode: "TARGETING_KEY_MISSING" });
    const mismatch = await client.getBooleanDetails("discount", false, visitor);
    expect(mismatch).toMatchObject({ value: false, errorCode: "TYPE_MISMATCH" });
    const broken = await client.getStringDetails("broken", "fallback", visitor);
    expect(broken).toMatchObject({ value: "fallback", errorCode: "PARSE_ERROR" });
  });

  it("works with the client-side key too", async () => {
    await OpenFeature.setProviderAndWait(
      "public",
      new OFREPProvider({ baseUrl: server.baseUrl, headers: { Authorization: clientKey } }),
    );
    const client = OpenFeature.getClient("public");
    expect(await client.getNumberValue("discount", -1, { targetingKey: "v", country: "US" })).toBe(0);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
