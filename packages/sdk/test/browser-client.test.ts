// The browser SDK as a site uses it: a page on another origin loads the bundle the server serves
// (GET /sdk/js/vexil.min.js, built by packages/sdk/build-browser.mjs as `npm run build` does) with a
// <script> tag, in real Chromium, and creates a client with the environment's public client-side key.
// Everything crosses origins, so CORS is exercised as on a real site: answers, their stream, events.

import { execFile } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../server/test/chromium.js";
import { startTestServer, type TestServer } from "../../server/test/harness.js";
import * as VexilBrowser from "../src/browser.js";

/** What the page's script tag and the test put on `window`. */
interface PageWindow {
  Vexil: typeof VexilBrowser;
  client: VexilBrowser.VexilBrowserClient;
  changes: VexilBrowser.ChangeEvent[];
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
let server: TestServer;
let browser: Browser;
let site: http.Server;
let siteUrl = "";
let clientKey = "";

const variations = [
  { key: "off", name: "Off", variables: [] },
  { key: "on", name: "On", variables: [{ key: "color", value: "blue" }] },
];

function flag(featureKey: string, rule: Record<string, unknown>) {
  return {
    siteCode: "web",
    featureKey,
    name: featureKey,
    variables: [{ key: "color", type: "STRING", value: "grey" }],
    variations,
    environmentConfigurations: [
      {
        environmentKey: "production",
        featureEnabled: true,
        defaultVariationKey: "off",
        rolloutRules: [{ state: "ACTIVE", exposition: 100, ...rule }],
      },
    ],
  };
}

beforeAll(async () => {
  await promisify(execFile)(process.execPath, [path.join(root, "packages/sdk/build-browser.mjs")]);
  [server, browser] = await Promise.all([startTestServer({ listen: true }), launchChromium()]);
  expect((await server.request("POST", "/projects", { body: { key: "web", name: "Web" } })).status).toBe(201);
  const environments = await server.request("GET", "/projects/web/environments");
  clientKey = environments.body.find((e: { key: string }) => e.key === "production").clientSdkKey;
  for (const body of [
    flag("banner", { type: "TARGETED_DELIVERY", variationKey: "on" }),
    flag("pricing", {
      type: "EXPERIMENTATION",
      trafficAllocations: [
        { variationKey: "off", exposition: 50 },
        { variationKey: "on", exposition: 50 },
      ],
    }),
  ]) {
    const created = await server.request("POST", "/feature-flags", { body });
    expect(created.status, created.text).toBe(201);
  }
  // The site: another origin than the Vexil server.
  site = http.createServer((_request, response) => {
    response.setHeader("content-type", "text/html; charset=utf-8");
    response.end(
      `<!doctype html><title>shop</title><script src="${server.baseUrl}/sdk/js/vexil.min.js"></script>`,
    );
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await browser?.close();
  site?.close();
  await server?.close();
});

async function openPage(): Promise<Page> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(siteUrl);
  expect(problems).toEqual([]);
  return page;
}

describe("GET /sdk/js/vexil.min.js", () => {
  it("serves the built bundle as cacheable JavaScript, 304 on a matching ETag", async () => {
    const response = await fetch(`${server.baseUrl}/sdk/js/vexil.min.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(await response.text()).toMatch(/^"use strict";var Vexil=/); // the IIFE defining the global
    const etag = response.headers.get("etag")!;
    const again = await fetch(`${server.baseUrl}/sdk/js/vexil.min.js`, {
      headers: { "if-none-match": etag },
    });
    expect(again.status).toBe(304);
  });
});

describe("@vexil/sdk/browser", () => {
  it("bundles without the engine: a client-side key never gets rules to evaluate", async () => {
    const result = await build({
      entryPoints: [path.join(root, "packages/sdk/src/browser.ts")],
      bundle: true,
      write: false,
      metafile: true,
      platform: "browser",
      conditions: ["source"],
      logLevel: "error",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain("packages/sdk/src/browser-client.ts");
    expect(inputs.filter((file) => file.startsWith("packages/engine/"))).toEqual([]);
  });
});

describe("the browser client in Chromium", () => {
  it("evaluates with the client-side key, receives a change, sends an exposure", async () => {
    const page = await openPage();
    const first = await page.evaluate(
      async ({ baseUrl, key }) => {
        const w = window as unknown as PageWindow;
        w.changes = [];
        w.client = w.Vexil.createBrowserClient({
          clientKey: key,
          baseUrl,
          visitor: { code: "visitor-1", attributes: { country: "FR" } },
          eventsBatchSize: 1,
        });
        w.client.on("change", (e) => w.changes.push(e));
        await w.client.ready();
        return {
          banner: w.client.evaluate("banner"),
          color: w.client.getString("banner", "color", "none"),
          stream: w.client.stats().stream,
        };
      },
      { baseUrl: server.baseUrl, key: clientKey },
    );
    expect(first.banner).toMatchObject({
      variationKey: "on",
      reason: "TARGETING_MATCH",
      inExperiment: false,
    });
    expect(first.color).toBe("blue");
    expect(first.stream).toBe("open");

    const patched = await server.request("PATCH", "/feature-flags/web/banner/production", {
      body: { featureEnabled: false },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.status, patched.text).toBe(200);
    await page.waitForFunction(() => (window as unknown as PageWindow).changes.length > 0);
    const after = await page.evaluate(() => {
      const w = window as unknown as PageWindow;
      return { changes: w.changes, banner: w.client.evaluate("banner").reason };
    });
    expect(after.changes).toEqual([{ flagKeys: ["banner"], version: expect.any(Number) }]);
    expect(after.banner).toBe("DISABLED");

    // 100 % of visitors enter the experiment: its answer carries inExperiment, one exposure is sent.
    const exposure = await page.evaluate(async () => {
      const w = window as unknown as PageWindow;
      const result = w.client.evaluate("pricing");
      await w.client.flush();
      return { inExperiment: result.inExperiment, sent: w.client.stats().sentEvents };
    });
    expect(exposure).toEqual({ inExperiment: true, sent: 1 });
    const stored = await server.request("GET", "/admin/events?projectKey=web&environmentKey=production");
    expect(stored.body.counts).toEqual([expect.objectContaining({ kind: "exposure", count: 1 })]);
    await page.evaluate(() => (window as unknown as PageWindow).client.close());
    await page.close();
  });

  it("rejects ready() with UNAUTHORIZED for an unknown key", async () => {
    const page = await openPage();
    const refused = await page.evaluate(async (baseUrl) => {
      const w = window as unknown as PageWindow;
      const client = w.Vexil.createBrowserClient({
        clientKey: "0".repeat(24),
        baseUrl,
        visitor: "v",
        logger: {},
      });
      return client.ready().then(
        () => "ready",
        (e: { code: string }) => e.code,
      );
    }, server.baseUrl);
    expect(refused).toBe("UNAUTHORIZED");
    await page.close();
    // The client-side key that works above still cannot read rules and segments.
    const config = await fetch(`${server.baseUrl}/sdk/v1/config`, { headers: { authorization: clientKey } });
    expect(config.status).toBe(403);
  });
});

describe("the browser client's polling and identify (in Node, same server)", () => {
  it("polls the visitor's answers, follows a change, and switches visitor without mixing answers", async () => {
    const created = await server.request("POST", "/feature-flags", {
      body: flag("promo", { type: "TARGETED_DELIVERY", variationKey: "on" }),
    });
    expect(created.status, created.text).toBe(201);
    const changes: VexilBrowser.ChangeEvent[] = [];
    const client = VexilBrowser.createBrowserClient({
      clientKey,
      baseUrl: server.baseUrl,
      visitor: "visitor-p",
      streaming: false,
      pollIntervalMs: 20,
      logger: {},
    });
    try {
      client.on("change", (e) => changes.push(e));
      await client.ready();
      expect(client.stats()).toMatchObject({ stream: "off", polling: true });
      expect(client.getVariationKey("promo")).toBe("on");

      const patched = await server.request("PATCH", "/feature-flags/web/promo/production", {
        body: { featureEnabled: false },
        headers: { "content-type": "application/merge-patch+json" },
      });
      expect(patched.status, patched.text).toBe(200);
      await waitFor(() => changes.length > 0);
      expect(changes[0]!.flagKeys).toEqual(["promo"]);
      expect(client.evaluate("promo").reason).toBe("DISABLED");

      // Until the new visitor's answers arrive, nothing answers for the previous one.
      const switched = client.identify("visitor-q");
      expect(client.evaluate("pricing").errorCode).toBe("PROVIDER_NOT_READY");
      await switched;
      const direct = await server.request("POST", "/sdk/v1/evaluate", {
        token: null,
        body: { visitor: { code: "visitor-q" } },
        headers: { authorization: clientKey },
      });
      expect(client.evaluate("pricing")).toEqual(direct.body.flags.pricing);
    } finally {
      await client.close();
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}
