// OFREP over real HTTP on flags created through the Kameleoon API: value mapping, every error shape, bulk
// ETag, evaluation counting, and the published @openfeature/ofrep-provider driving @openfeature/server-sdk.
// The tests read one shared project (`shop`) and never change it; a test that changes flags makes its own.

import { OFREPProvider } from "@openfeature/ofrep-provider";
import { OpenFeature } from "@openfeature/server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configVersion } from "../src/projects/projects.store.js";
import { lastEvaluatedAt } from "../src/sdk-delivery/evaluations.store.js";
import { rewriteStoredFlag } from "./fixtures/unannounced-change.js";
import { startTestServer, type TestServer } from "./harness.js";

/** A project with the flags below: its production SDK keys and what creating the flags answered. */
interface Shop {
  key: string;
  serverKey: string;
  clientKey: string;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are untyped JSON
  flags: Record<string, any>;
}

let server: TestServer;
let shop: Shop;
let shops = 0;

const onOff = [
  { key: "off", variables: [] },
  { key: "on", variables: [] },
];

/** Production configured with one rule: `rule` for French visitors (segment France), else the default. */
function production(rule: Record<string, unknown>, options: Record<string, unknown> = {}) {
  return [
    {
      environmentKey: "production",
      featureEnabled: true,
      defaultVariationKey: "off",
      rolloutRules: [{ type: "TARGETED_DELIVERY", exposition: 100, state: "ACTIVE", ...rule }],
      ...options,
    },
  ];
}

/** The flags every OFREP value mapping needs, by key, as created through POST /feature-flags. */
function flagBodies(france: number): Record<string, Record<string, unknown>> {
  const toFrance = (variationKey: string) => ({ segmentId: france, variationKey });
  return {
    // No variables, on/off: a boolean.
    "dark-mode": { variations: onOff, environmentConfigurations: production(toFrance("on")) },
    // No variables, other keys: the variation key.
    "button-color": {
      variations: [
        { key: "blue", variables: [] },
        { key: "red", variables: [] },
      ],
      environmentConfigurations: production(toFrance("red"), { defaultVariationKey: "blue" }),
    },
    // One variable: its typed value.
    discount: {
      variables: [{ key: "rate", type: "NUMBER", value: "0" }],
      variations: [
        { key: "off", variables: [] },
        { key: "on", variables: [{ key: "rate", type: "NUMBER", value: "12.5" }] },
      ],
      environmentConfigurations: production(toFrance("on")),
    },
    // Several variables: an object.
    layout: {
      variables: [
        { key: "columns", type: "NUMBER", value: "2" },
        { key: "theme", type: "JSON", value: '{"dark":false}' },
      ],
      variations: [
        { key: "off", variables: [] },
        { key: "on", variables: [{ key: "theme", type: "JSON", value: '{"dark":true}' }] },
      ],
      environmentConfigurations: production(toFrance("on")),
    },
    experiment: {
      variations: [
        { key: "off", variables: [] },
        { key: "a", variables: [] },
        { key: "b", variables: [] },
      ],
      environmentConfigurations: production({
        type: "EXPERIMENTATION",
        trafficAllocations: [
          { variationKey: "a", exposition: 50 },
          { variationKey: "b", exposition: 50 },
        ],
      }),
    },
    disabled: {
      variations: onOff,
      environmentConfigurations: production(toFrance("on"), { featureEnabled: false }),
    },
    // Made unusable in storage below (its default variation removed), as a corrupt row would be.
    broken: { variations: onOff, environmentConfigurations: production(toFrance("on")) },
  };
}

async function ok(target: TestServer, method: string, url: string, body?: unknown) {
  const response = await target.request(method, url, body === undefined ? {} : { body });
  if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${response.text}`);
  return response.body;
}

/** A fresh project on `target` with segment France and the flags of flagBodies. */
async function createShop(target: TestServer = server): Promise<Shop> {
  const key = `shop-${++shops}`;
  await ok(target, "POST", "/projects", { key, name: key });
  const environments = (await ok(target, "GET", `/projects/${key}`)).environments;
  const keys = environments.find((e: { key: string }) => e.key === "production");
  const france = (
    await ok(target, "POST", "/segments", {
      siteCode: key,
      name: "France",
      condition: { attribute: "country", operator: "equals", values: ["FR"] },
    })
  ).id;
  const flags: Shop["flags"] = {};
  for (const [featureKey, body] of Object.entries(flagBodies(france))) {
    flags[featureKey] = await ok(target, "POST", "/feature-flags", {
      siteCode: key,
      featureKey,
      name: featureKey,
      ...body,
    });
  }
  await rewriteStoredFlag(target.context.db, key, "broken", (document) => {
    for (const environment of document.environmentConfigurations) environment.defaultVariationKey = "nope";
  });
  return { key, serverKey: keys.serverSdkKey, clientKey: keys.clientSdkKey, flags };
}

/** The id of a flag's first production rule. */
const ruleIdOf = (target: Shop, featureKey: string): number =>
  target.flags[featureKey].environmentConfigurations.find(
    (e: { environmentKey: string }) => e.environmentKey === "production",
  ).rolloutRules[0].id;

async function ofrep(
  path: string,
  body: unknown,
  options: { key?: string | null; headers?: Record<string, string>; raw?: string; base?: TestServer } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  const key = options.key === undefined ? shop.serverKey : options.key;
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
  shop = await createShop();
});
afterAll(async () => {
  await OpenFeature.close();
  await server?.close();
});

describe("POST /ofrep/v1/evaluate/flags/{key}", () => {
  it("answers a boolean for an on/off flag without variables", async () => {
    const on = await ofrep("/ofrep/v1/evaluate/flags/dark-mode", fr);
    // The stored project's configuration version, the flag as created (version 1) and its one rule.
    expect(on.status).toBe(200);
    expect(on.headers.get("content-type")).toMatch(/application\/json/);
    expect(on.body).toEqual({
      key: "dark-mode",
      value: true,
      reason: "TARGETING_MATCH",
      variant: "on",
      metadata: {
        configVersion: await configVersion(server.context.db, shop.key),
        flagVersion: 1,
        inExperiment: false,
        ruleId: ruleIdOf(shop, "dark-mode"),
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
    const experimentRule = shop.flags.experiment.environmentConfigurations.find(
      (e: { environmentKey: string }) => e.environmentKey === "production",
    ).rolloutRules[0];
    expect(experimentRule.experimentId).toEqual(expect.any(Number));
    expect(answer.body).toMatchObject({
      reason: "SPLIT",
      metadata: {
        inExperiment: true,
        experimentId: experimentRule.experimentId,
        ruleId: experimentRule.id,
        ruleType: "EXPERIMENTATION",
      },
    });
    expect(["a", "b"]).toContain(answer.body.value);
    expect(answer.body.variant).toBe(answer.body.value);
  });

  it("accepts the client-side key", async () => {
    const answer = await ofrep("/ofrep/v1/evaluate/flags/dark-mode", fr, { key: shop.clientKey });
    expect(answer.status).toBe(200);
    expect(answer.body.value).toBe(true);
    const bearer = await ofrep("/ofrep/v1/evaluate/flags/dark-mode", fr, { key: `Bearer ${shop.clientKey}` });
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
    const stats = await lastEvaluatedAt(server.context, shop.key, { featureKeys: ["discount", "nope"] });
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
    const answer = await ofrep("/ofrep/v1/evaluate/flags/dark-mode", fr, { key: shop.clientKey });
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("POST /ofrep/v1/evaluate/flags (bulk)", () => {
  it("evaluates every flag, with per-flag errors inside flags[]", async () => {
    const answer = await ofrep("/ofrep/v1/evaluate/flags", fr, { key: shop.clientKey });
    expect(answer.status).toBe(200);
    const byKey = Object.fromEntries(answer.body.flags.map((f: { key: string }) => [f.key, f]));
    expect(Object.keys(byKey).sort()).toEqual(Object.keys(shop.flags).sort());
    expect(byKey["dark-mode"]).toMatchObject({ value: true, variant: "on", reason: "TARGETING_MATCH" });
    expect(byKey.discount.value).toBe(12.5);
    expect(byKey.broken).toEqual({
      key: "broken",
      errorCode: "PARSE_ERROR",
      errorDetails: "The flag's stored configuration is not usable",
    });
  });

  it("answers 304 to If-None-Match while the answer is the same, 200 with a new ETag once it changes", async () => {
    const own = await createShop();
    const key = own.serverKey;
    const first = await ofrep("/ofrep/v1/evaluate/flags", fr, { key });
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const same = await ofrep("/ofrep/v1/evaluate/flags", fr, { key, headers: { "if-none-match": etag } });
    expect(same.status).toBe(304);
    expect(same.headers.get("etag")).toBe(etag);
    // Another context gets another answer.
    const other = await ofrep("/ofrep/v1/evaluate/flags", us, { key, headers: { "if-none-match": etag } });
    expect(other.status).toBe(200);
    expect(other.headers.get("etag")).not.toBe(etag);
    // A configuration change gets another answer (this process reads its own writes).
    await ok(server, "PATCH", `/feature-flags/${own.key}/dark-mode/production`, { featureEnabled: false });
    const changed = await ofrep("/ofrep/v1/evaluate/flags", fr, { key, headers: { "if-none-match": etag } });
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
      const key = (await createShop(limited)).clientKey;
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
      new OFREPProvider({ baseUrl: server.baseUrl, headers: [["Authorization", shop.serverKey]] }),
    );
    const client = OpenFeature.getClient();
    const visitor = { targetingKey: "visitor-7", country: "FR" };

    expect(await client.getBooleanValue("dark-mode", false, visitor)).toBe(true);
    expect(await client.getStringValue("button-color", "none", visitor)).toBe("red");
    expect(await client.getNumberValue("discount", -1, visitor)).toBe(12.5);
    expect(await client.getObjectValue("layout", {}, visitor)).toEqual({ columns: 2, theme: { dark: true } });

    const details = await client.getBooleanDetails("dark-mode", false, visitor);
    expect(details).toMatchObject({ value: true, variant: "on", reason: "TARGETING_MATCH" });
    expect(details.flagMetadata).toMatchObject({
      configVersion: await configVersion(server.context.db, shop.key),
      ruleId: ruleIdOf(shop, "dark-mode"),
      inExperiment: false,
    });

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
      new OFREPProvider({ baseUrl: server.baseUrl, headers: { Authorization: shop.clientKey } }),
    );
    const client = OpenFeature.getClient("public");
    expect(await client.getNumberValue("discount", -1, { targetingKey: "v", country: "US" })).toBe(0);
  });
});
