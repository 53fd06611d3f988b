// LaunchDarkly's own browser SDK (@launchdarkly/js-client-sdk, bundled with esbuild) running in Chromium
// (Debian's /usr/bin/chromium, through playwright-core) against a real Vexil server over HTTP, on the
// suite's storage (SQLite, or PostgreSQL with VEXIL_TEST_POSTGRES_URL). The page comes from another origin,
// so every SDK request is a real cross-origin one (CORS). The SDK identifies contexts and reads the values
// Vexil's OFREP gives them, follows a change over its stream, and its track() calls show in results.

import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { type SseEvent, SseParser } from "@vexil/sdk";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportAroundNow } from "../src/results/results-simulation.test-support.js";
import { launchChromium } from "./chromium.js";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
let browser: Browser;
let pageServer: http.Server;
let pageUrl = "";
let envId = "";

type Json = Record<string, unknown>;

async function ok(method: string, url: string, body?: unknown) {
  const response = await server.request(method, url, body === undefined ? {} : { body });
  if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${response.text}`);
  return response.body;
}

/** A project whose flags client-side SDKs see (LaunchDarkly's project default); its production client id. */
async function clientSideProject(key: string, name: string): Promise<string> {
  await ok("POST", "/api/v2/projects", {
    key,
    name,
    defaultClientSideAvailability: { usingEnvironmentId: true, usingMobileKey: false },
  });
  const environments = (await ok("GET", `/projects/${key}`)).environments as {
    key: string;
    clientSdkKey: string;
  }[];
  return environments.find((e) => e.key === "production")!.clientSdkKey;
}

const production = (rolloutRules: unknown[], defaultVariationKey = "off") => [
  { environmentKey: "production", featureEnabled: true, defaultVariationKey, rolloutRules },
];
const PLANS = ["pro", "free", undefined] as const;
const contextOf = (i: number) => ({
  kind: "user",
  key: `visitor-${i}`,
  country: i % 3 === 0 ? "FR" : "DE",
  ...(PLANS[i % 3] === undefined ? {} : { plan: PLANS[i % 3] }),
});

/** A page of the other origin with the SDK loaded as `window.LD`. */
async function newPage(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(pageUrl);
  await page.waitForFunction(() => "LD" in window);
  return page;
}

beforeAll(async () => {
  server = await startTestServer({ listen: true });
  envId = await clientSideProject("web", "Web");
  const france = (
    await ok("POST", "/segments", {
      siteCode: "web",
      name: "France",
      condition: { attribute: "country", operator: "equals", values: ["FR"] },
    })
  ).id;
  await ok("POST", "/feature-flags", {
    siteCode: "web",
    featureKey: "checkout",
    name: "Checkout",
    bucketingMode: "LAUNCHDARKLY",
    variables: [{ key: "discount", type: "NUMBER", value: "0" }],
    variations: [
      { key: "off", variables: [] },
      { key: "on", variables: [{ key: "discount", type: "NUMBER", value: "15" }] },
    ],
    environmentConfigurations: production([
      { type: "TARGETED_DELIVERY", exposition: 100, variationKey: "on", segmentId: france, state: "ACTIVE" },
      { type: "TARGETED_DELIVERY", exposition: 30, variationKey: "on", state: "ACTIVE" },
    ]),
  });
  await ok("POST", "/feature-flags", {
    siteCode: "web",
    featureKey: "banner",
    name: "Banner",
    bucketingMode: "LAUNCHDARKLY",
    variations: ["a", "b", "c"].map((key) => ({ key, variables: [] })),
    environmentConfigurations: production(
      [
        {
          type: "TARGETED_DELIVERY",
          exposition: 40,
          variationKey: "b",
          segmentId: france,
          state: "ACTIVE",
        },
        {
          type: "EXPERIMENTATION",
          exposition: 100,
          state: "ACTIVE",
          trafficAllocations: [
            { variationKey: "a", exposition: 34 },
            { variationKey: "b", exposition: 33 },
            { variationKey: "c", exposition: 33 },
          ],
        },
      ],
      "a",
    ),
  });
  // Vexil's own bucketing: LaunchDarkly's server-side SDKs cannot draw it, the client-side ones get it drawn.
  await ok("POST", "/feature-flags", {
    siteCode: "web",
    featureKey: "legacy",
    name: "Legacy",
    environmentConfigurations: production([
      { type: "TARGETED_DELIVERY", exposition: 50, variationKey: "on", state: "ACTIVE" },
    ]),
  });

  const bundle = await build({
    stdin: {
      contents: 'export { createClient, basicLogger } from "@launchdarkly/js-client-sdk";',
      resolveDir: path.dirname(new URL(import.meta.url).pathname),
    },
    bundle: true,
    format: "iife",
    globalName: "LD",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  const html = `<!doctype html><meta charset="utf-8"><script>${bundle.outputFiles[0]!.text}</script>`;
  pageServer = http.createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
  });
  await new Promise<void>((resolve) => pageServer.listen(0, "127.0.0.1", resolve));
  // "localhost" and the server's "127.0.0.1" are different origins.
  pageUrl = `http://localhost:${(pageServer.address() as AddressInfo).port}/`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => pageServer?.close(resolve));
  await server?.close();
});

describe("LaunchDarkly's browser SDK in Chromium", () => {
  it("reads, for a few hundred contexts, the values Vexil's OFREP gives them", async () => {
    const page = await newPage();
    const COUNT = 300;
    const contexts = Array.from({ length: COUNT }, (_, i) => contextOf(i));
    const seen = await page.evaluate(
      async ({ envId, baseUri, contexts }) => {
        const LD = (window as unknown as { LD: typeof import("@launchdarkly/js-client-sdk") }).LD;
        const client = LD.createClient(envId, contexts[0]!, {
          baseUri,
          streamUri: baseUri,
          eventsUri: baseUri,
          streaming: false,
          sendEvents: false,
          withReasons: true,
          logger: LD.basicLogger({ level: "none" }),
        });
        const started = await client.start();
        if (started.status !== "complete") throw new Error(`start: ${JSON.stringify(started)}`);
        const out: Record<string, unknown>[] = [];
        for (const context of contexts) {
          const identified = await client.identify(context);
          if (identified.status !== "completed") throw new Error(`identify: ${JSON.stringify(identified)}`);
          out.push({
            checkout: client.variation("checkout", null),
            banner: client.variation("banner", null),
            legacy: client.variation("legacy", null),
            bannerReason: client.variationDetail("banner", null).reason,
          });
        }
        client.close();
        return out;
      },
      { envId, baseUri: server.baseUrl, contexts },
    );
    const outcomes = new Set<string>();
    for (const [i, context] of contexts.entries()) {
      const { kind: _kind, key, ...attributes } = context;
      const ofrep = await fetch(`${server.baseUrl}/ofrep/v1/evaluate/flags`, {
        method: "POST",
        headers: { authorization: `Bearer ${envId}`, "content-type": "application/json" },
        body: JSON.stringify({ context: { targetingKey: key, ...attributes } }),
      });
      const flags = ((await ofrep.json()) as { flags: { key: string; value: unknown; metadata: Json }[] })
        .flags;
      const value = (flagKey: string) => flags.find((f) => f.key === flagKey)?.value;
      const got = seen[i]!;
      expect([i, got.checkout, got.banner, got.legacy]).toEqual([
        i,
        value("checkout"),
        value("banner"),
        value("legacy"),
      ]);
      const inExperiment = flags.find((f) => f.key === "banner")?.metadata.inExperiment === true;
      expect([i, (got.bannerReason as Json).inExperiment === true]).toEqual([i, inExperiment]);
      for (const key of ["checkout", "banner", "legacy"]) outcomes.add(`${key}:${JSON.stringify(got[key])}`);
    }
    // Every rule and split of the three flags occurred: the comparison covered each of them.
    expect([...outcomes].sort()).toEqual([
      'banner:"a"',
      'banner:"b"',
      'banner:"c"',
      "checkout:0",
      "checkout:15",
      "legacy:false",
      "legacy:true",
    ]);
    await page.close();
  });

  it("receives a change over its stream after a PATCH", async () => {
    const page = await newPage();
    await page.evaluate(
      async ({ envId, baseUri, context }) => {
        const LD = (window as unknown as { LD: typeof import("@launchdarkly/js-client-sdk") }).LD;
        const client = LD.createClient(envId, context, {
          baseUri,
          streamUri: baseUri,
          eventsUri: baseUri,
          streaming: true,
          sendEvents: false,
          logger: LD.basicLogger({ level: "none" }),
        });
        await client.start();
        // Listening after the start: the first put is not a change.
        const changes: unknown[] = [];
        client.on("change:checkout", () => changes.push(client.variation("checkout", null)));
        Object.assign(window, { client, changes });
      },
      { envId, baseUri: server.baseUrl, context: contextOf(3) },
    );
    // Visitor 3 is in France: the rule gives a discount of 15.
    expect(
      await page.evaluate(() =>
        (window as unknown as { client: { variation(k: string, d: unknown): unknown } }).client.variation(
          "checkout",
          null,
        ),
      ),
    ).toBe(15);
    await ok("PATCH", "/feature-flags/web/checkout/production", { featureEnabled: false });
    await page.waitForFunction(() => (window as unknown as { changes: unknown[] }).changes.length > 0);
    expect(await page.evaluate(() => (window as unknown as { changes: unknown[] }).changes)).toEqual([0]);
    await ok("PATCH", "/feature-flags/web/checkout/production", { featureEnabled: true });
    await page.waitForFunction(() => (window as unknown as { changes: unknown[] }).changes.length > 1);
    expect(await page.evaluate(() => (window as unknown as { changes: unknown[] }).changes)).toEqual([0, 15]);
    await page.close();
  });

  it("polls with REPORT (useReport) across origins, the context in the body", async () => {
    const page = await newPage();
    const values = await page.evaluate(
      async ({ envId, baseUri, context }) => {
        const LD = (window as unknown as { LD: typeof import("@launchdarkly/js-client-sdk") }).LD;
        const client = LD.createClient(envId, context, {
          baseUri,
          streamUri: baseUri,
          eventsUri: baseUri,
          streaming: false,
          sendEvents: false,
          useReport: true,
          logger: LD.basicLogger({ level: "none" }),
        });
        const started = await client.start();
        const out = { status: started.status, checkout: client.variation("checkout", null) };
        client.close();
        return out;
      },
      { envId, baseUri: server.baseUrl, context: contextOf(3) },
    );
    // Visitor 3 is in France: the rule gives a discount of 15.
    expect(values).toEqual({ status: "complete", checkout: 15 });
    await page.close();
  });

  it("sends exposures and track() conversions that show in the experiment's results", async () => {
    const goal = await ok("POST", "/goals", { siteCode: "web", name: "Signup", key: "signup" });
    const flag = await ok("POST", "/feature-flags", {
      siteCode: "web",
      featureKey: "cta",
      name: "CTA",
      bucketingMode: "LAUNCHDARKLY",
      primaryGoalId: goal.id,
      environmentConfigurations: production([
        {
          type: "EXPERIMENTATION",
          exposition: 100,
          state: "ACTIVE",
          trafficAllocations: [
            { variationKey: "off", exposition: 50 },
            { variationKey: "on", exposition: 50 },
          ],
        },
      ]),
    });
    const page = await newPage();
    // Expected counts come from the SDK's own answers: every visitor exposed once (two calls each, one
    // exposure unit), every third one of "on" and every fifth one of "off" converting.
    const counts = await page.evaluate(
      async ({ envId, baseUri }) => {
        const logs: string[] = [];
        const failures: string[] = [];
        const LD = (window as unknown as { LD: typeof import("@launchdarkly/js-client-sdk") }).LD;
        const client = LD.createClient(
          envId,
          { kind: "user", key: "buyer-0" },
          {
            baseUri,
            streamUri: baseUri,
            eventsUri: baseUri,
            streaming: false,
            flushInterval: 3600,
            capacity: 100_000,
            logger: LD.basicLogger({ level: "none" }),
          },
        );
        await client.start();
        const units = { off: 0, on: 0 };
        const converted = { off: 0, on: 0 };
        for (let i = 0; i < 200; i++) {
          await client.identify({ kind: "user", key: `buyer-${i}` });
          const variation = client.variation("cta", false) ? "on" : "off";
          client.variation("cta", false);
          units[variation]++;
          if (i % (variation === "on" ? 3 : 5) === 0) {
            client.track("signup", undefined, 1);
            converted[variation]++;
          }
          client.track("not-a-goal");
          // The browser SDK posts with fetch keepalive (64 KB at most): it flushes often, so does this page.
          if (i % 10 === 9) {
            const flushed = await client.flush();
            if (!flushed.result) failures.push(String(flushed.error));
          }
        }
        client.close();
        return { units, converted, failures, logs };
      },
      { envId, baseUri: server.baseUrl },
    );
    await page.close();
    expect([counts.failures, counts.logs]).toEqual([[], []]);
    expect(counts.units.off).toBeGreaterThan(70);
    expect(counts.units.on).toBeGreaterThan(70);

    const done = await reportAroundNow(server, flag.id);
    const ids = Object.fromEntries(flag.variations.map((v: { key: string; id: number }) => [v.key, v.id]));
    for (const key of ["off", "on"] as const) {
      const general = done.data.variationData[String(ids[key])].generalData;
      expect([key, general.visitorCount, general.goalsData[String(goal.id)].conversionCount]).toEqual([
        key,
        counts.units[key],
        counts.converted[key],
      ]);
    }
  });
});

describe("the client-side endpoints over HTTP", () => {
  const encoded = (context: unknown) => Buffer.from(JSON.stringify(context)).toString("base64url");

  it("evaluates a context from the path or a REPORT body, legacy users too, with reasons on request", async () => {
    const context = contextOf(3); // France: the rule's variation (index 1, a discount of 15)
    const byPath = await fetch(
      `${server.baseUrl}/sdk/evalx/${envId}/contexts/${encoded(context)}?withReasons=true`,
    );
    expect(byPath.status).toBe(200);
    expect(byPath.headers.get("access-control-allow-origin")).toBe("*");
    const flags = (await byPath.json()) as Record<string, Json>;
    expect(flags.checkout).toMatchObject({
      value: 15,
      variation: 1,
      flagVersion: expect.any(Number),
      version: expect.any(Number),
      trackEvents: false,
      trackReason: false,
      reason: { kind: "RULE_MATCH", ruleIndex: 0 },
    });
    const report = await fetch(`${server.baseUrl}/sdk/evalx/${envId}/context`, {
      method: "REPORT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(context),
    });
    expect(report.status).toBe(200);
    const reported = (await report.json()) as Record<string, Json>;
    // Without withReasons, the reason is sent only for evaluations in an experiment.
    expect(reported.checkout).toEqual({ ...flags.checkout, reason: undefined });
    // A legacy user: built-in attributes at the top, the others under custom.
    const legacy = { key: context.key, country: "FR", custom: { plan: "pro", key: "not-the-key" } };
    const users = await fetch(`${server.baseUrl}/sdk/evalx/${envId}/users/${encoded(legacy)}`);
    const usersBody = (await users.json()) as Record<string, Json>;
    expect(usersBody.checkout?.value, JSON.stringify(usersBody)).toBe(15);
    const goals = await fetch(`${server.baseUrl}/sdk/goals/${envId}`);
    expect([goals.status, await goals.json()]).toEqual([200, []]);
  });

  it("answers an unknown environment id with 404 and a bad context with 400, in LaunchDarkly's error body", async () => {
    const unknown = await fetch(
      `${server.baseUrl}/sdk/evalx/0123456789abcdef01234567/contexts/${encoded({ key: "a" })}`,
    );
    expect([unknown.status, ((await unknown.json()) as Json).code]).toEqual([404, "not_found"]);
    // The server-side key is no environment id.
    const secret = (await ok("GET", "/projects/web")).environments[0].serverSdkKey;
    expect((await fetch(`${server.baseUrl}/sdk/goals/${secret}`)).status).toBe(404);
    for (const bad of ["not-base64!", encoded("a string"), encoded({ kind: "org", key: "acme" })]) {
      const response = await fetch(`${server.baseUrl}/sdk/evalx/${envId}/contexts/${bad}`);
      expect([bad, response.status, ((await response.json()) as Json).code]).toEqual([
        bad,
        400,
        "invalid_request",
      ]);
    }
    const filtered = await fetch(
      `${server.baseUrl}/sdk/evalx/${envId}/contexts/${encoded({ key: "a" })}?filter=x`,
    );
    expect(filtered.status).toBe(400);
  });

  it("answers the browser's CORS preflights with the SDK's headers", async () => {
    for (const path of [`/sdk/evalx/${envId}/context`, `/eval/${envId}`, `/events/bulk/${envId}`]) {
      const preflight = await fetch(`${server.baseUrl}${path}`, {
        method: "OPTIONS",
        headers: {
          origin: "http://example.test",
          "access-control-request-method": "POST",
          "access-control-request-headers":
            "content-type,x-launchdarkly-user-agent,x-launchdarkly-payload-id",
        },
      });
      expect([path, preflight.status, preflight.headers.get("access-control-allow-origin")]).toEqual([
        path,
        204,
        "*",
      ]);
      const allowed = preflight.headers.get("access-control-allow-headers")?.toLowerCase() ?? "";
      for (const header of ["content-type", "x-launchdarkly-user-agent", "x-launchdarkly-payload-id"])
        expect(allowed).toContain(header);
      expect(preflight.headers.get("access-control-allow-methods")).toContain("REPORT");
    }
  });

  it("serves no flag of a project whose flags are not available to client-side SDKs", async () => {
    await ok("POST", "/projects", { key: "backend", name: "Backend" });
    await ok("POST", "/feature-flags", { siteCode: "backend", featureKey: "internal", name: "Internal" });
    const id = (await ok("GET", "/projects/backend")).environments[0].clientSdkKey;
    const response = await fetch(
      `${server.baseUrl}/sdk/evalx/${id}/contexts/${encoded({ kind: "user", key: "a" })}`,
    );
    expect([response.status, await response.json()]).toEqual([200, {}]);
    // The same flag through the server-side protocol, which has no such setting.
    const key = (await ok("GET", "/projects/backend")).environments[0].serverSdkKey;
    const all = await server.request("GET", "/sdk/latest-all", {
      token: key,
      headers: { authorization: key },
    });
    expect(Object.keys(all.body.flags)).toEqual(["internal"]);

    // Another project made available afterwards, through LaunchDarkly's project API.
    await ok("POST", "/projects", { key: "frontend", name: "Frontend" });
    await ok("POST", "/feature-flags", { siteCode: "frontend", featureKey: "shown", name: "Shown" });
    const patched = await server.request("PATCH", "/api/v2/projects/frontend", {
      body: [{ op: "replace", path: "/defaultClientSideAvailability/usingEnvironmentId", value: true }],
    });
    expect([patched.status, patched.body.defaultClientSideAvailability]).toEqual([
      200,
      { usingEnvironmentId: true, usingMobileKey: true },
    ]);
    const frontend = (await ok("GET", "/projects/frontend")).environments[0].clientSdkKey;
    const shown = await fetch(
      `${server.baseUrl}/sdk/evalx/${frontend}/contexts/${encoded({ kind: "user", key: "a" })}`,
    );
    expect(Object.keys((await shown.json()) as Json)).toEqual(["shown"]);
  });

  it("streams a context's evaluations: put, patch and delete on changes, and ends on a rotated id", async () => {
    const id = await clientSideProject("streamed", "Streamed");
    for (const featureKey of ["kept", "dropped"])
      await ok("POST", "/feature-flags", { siteCode: "streamed", featureKey, name: featureKey });
    const response = await fetch(`${server.baseUrl}/eval/${id}/${encoded({ kind: "user", key: "u-1" })}`);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events: SseEvent[] = [];
    let wake = () => {};
    const ended = (async () => {
      const parser = new SseParser({ onEvent: (event) => events.push(event) });
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        parser.pushBytes(chunk);
        wake();
      }
    })();
    const next = async () => {
      while (events.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const event = events.shift()!;
      return { event: event.type, data: JSON.parse(event.data) as Json };
    };
    const put = await next();
    expect(put.event).toBe("put");
    expect(Object.keys(put.data).sort()).toEqual(["dropped", "kept"]);
    // The same stream with the context as a REPORT body (the SDKs' useReport): read whole once it ends.
    const reported = await fetch(`${server.baseUrl}/eval/${id}`, {
      method: "REPORT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "user", key: "u-1" }),
    });
    expect(reported.headers.get("content-type")).toContain("text/event-stream");
    const reportedText = (async () => {
      let text = "";
      for await (const chunk of reported.body as unknown as AsyncIterable<Uint8Array>)
        text += Buffer.from(chunk).toString("utf8");
      return text;
    })();
    expect(put.data.kept).toMatchObject({ value: false, variation: 0 });

    // Flags without variations are on/off flags: switched off, they answer the default ("off": false).
    await ok("PATCH", "/feature-flags/streamed/kept/production", {
      featureEnabled: true,
      rolloutRules: [{ type: "TARGETED_DELIVERY", exposition: 100, variationKey: "on", state: "ACTIVE" }],
    });
    const patch = await next();
    expect([patch.event, patch.data.key, patch.data.value]).toEqual(["patch", "kept", true]);
    expect(patch.data.version as number).toBeGreaterThan((put.data.kept as Json).version as number);

    expect((await server.request("DELETE", "/feature-flags/streamed/dropped")).status).toBe(204);
    const deleted = await next();
    expect([deleted.event, deleted.data.key]).toEqual(["delete", "dropped"]);

    await ok("POST", "/projects/streamed/environments/production/rotate-keys?keys=client");
    await ended;
    const text = await reportedText;
    expect(text.startsWith(`event: put\ndata: ${JSON.stringify(put.data)}\n\n`)).toBe(true);
    expect(text).toContain(`event: patch\ndata: ${JSON.stringify(patch.data)}\n\n`);
    expect(text).toContain(`event: delete\ndata: ${JSON.stringify(deleted.data)}\n\n`);
  });

  it("patches every one of many streams after a change (streams are evaluated in batches)", async () => {
    const id = await clientSideProject("crowd", "Crowd");
    await ok("POST", "/feature-flags", { siteCode: "crowd", featureKey: "wave", name: "Wave" });
    // More streams than one batch (50), each reading until its first patch.
    const controller = new AbortController();
    const patched = await Promise.all(
      Array.from({ length: 120 }, async (_, i) => {
        const response = await fetch(
          `${server.baseUrl}/eval/${id}/${encoded({ kind: "user", key: `v-${i}` })}`,
          {
            signal: controller.signal,
          },
        );
        let text = "";
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        return {
          opened: (async () => {
            while (!text.includes("event: put")) text += Buffer.from((await reader.read()).value!).toString();
          })(),
          patch: async () => {
            while (!text.includes("event: patch"))
              text += Buffer.from((await reader.read()).value!).toString();
            return text.slice(text.indexOf("event: patch"));
          },
        };
      }),
    );
    await Promise.all(patched.map((stream) => stream.opened));
    await ok("PATCH", "/feature-flags/crowd/wave/production", {
      featureEnabled: true,
      rolloutRules: [{ type: "TARGETED_DELIVERY", exposition: 100, variationKey: "on", state: "ACTIVE" }],
    });
    const patches = await Promise.all(patched.map((stream) => stream.patch()));
    controller.abort();
    for (const text of patches) expect(text).toMatch(/^event: patch\ndata: \{"key":"wave","value":true,/);
  });
});
