import { createClient } from "@vexil/sdk";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../../../server/test/harness.js";
import {
  ADMIN,
  addExperimentRule,
  createFlagInConsole,
  launchChromium,
  pickEnvironment,
  READER,
  screenshot,
  seriousViolations,
  serverSdkKey,
  signedInPage,
  startConsoleServer,
  untilSdk,
  WRITER,
} from "./harness.js";

// The console against a real server and Debian's Chromium: what a person does, by role and accessible name.
let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startConsoleServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const flagUrl = (key: string) => `/p/demo/flags/${key}`;

async function createFlagByApi(featureKey: string) {
  const created = await server.request("POST", "/feature-flags", {
    body: { siteCode: "demo", featureKey, name: featureKey, variations: [{ key: "off" }, { key: "on" }] },
  });
  expect(created.status, created.text).toBe(201);
  return created.body;
}

describe("console", () => {
  it("signs in with the labelled form, refuses a wrong password, and signs out for good", async () => {
    const context = await browser.newContext({ baseURL: server.baseUrl });
    const page = await context.newPage();
    await page.goto("/");
    await page.waitForURL(/\/sign-in$/);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "Wrong email or password" }).waitFor();
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "new_checkout" }).waitFor();
    await screenshot(page, "flags-list");
    const cookie = (await context.cookies()).find((c) => c.name === "vexil_session");
    expect(cookie?.httpOnly).toBe(true);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in$/);
    // The old cookie no longer opens anything: the session ended on the server.
    const replay = await server.request("GET", "/session", {
      token: null,
      headers: { cookie: `vexil_session=${cookie?.value}` },
    });
    expect(replay.status).toBe(401);
    await context.close();
  });

  it("creates a flag with a 50/50 experiment, turns it on in production, and an SDK client receives it", async () => {
    const sdk = createClient({ baseUrl: server.baseUrl, sdkKey: await serverSdkKey(server) });
    try {
      await sdk.ready();
      const page = await signedInPage(browser, server.baseUrl, WRITER);
      await createFlagInConsole(page, "Pricing page", "pricing_page");
      await pickEnvironment(page, "Production");
      await addExperimentRule(page);
      await page.getByLabel("Rule 1 allocation for on (%)").fill("60");
      await page.getByText("Allocations add up to 110 %, not 100 %").first().waitFor();
      await page.getByLabel("Rule 1 allocation for on (%)").fill("50");
      await page.getByRole("button", { name: "Save Production" }).click();
      await page.getByText("version 2").waitFor();
      await screenshot(page, "flag-page");
      expect(sdk.evaluate("pricing_page", "visitor-1").ruleType).toBeUndefined();

      await page.getByLabel("Enabled in Production").click({ force: true });
      await page.getByRole("button", { name: "Turn on" }).click();
      await page.getByText("version 3").waitFor();
      await untilSdk(sdk, () => sdk.evaluate("pricing_page", "visitor-1").ruleType === "EXPERIMENTATION");
      const flag = await server.request("GET", "/feature-flags/demo/pricing_page");
      const production = flag.body.environmentConfigurations.find(
        (e: { environmentKey: string }) => e.environmentKey === "production",
      );
      expect(production.featureEnabled).toBe(true);
      expect(
        production.rolloutRules[0].trafficAllocations.map((a: { exposition: number }) => a.exposition),
      ).toEqual([50, 50]);
      await page.context().close();
    } finally {
      await sdk.close();
    }
  });

  it("shows a flag's history with each changed field before and after", async () => {
    await createFlagByApi("history_probe");
    const patched = await server.request("PATCH", `/feature-flags/demo/history_probe/staging`, {
      body: { featureEnabled: true },
    });
    expect(patched.status, patched.text).toBe(200);
    const page = await signedInPage(browser, server.baseUrl, READER);
    await page.goto(flagUrl("history_probe"));
    await page.getByRole("tab", { name: "History" }).click();
    await page
      .getByRole("button", { name: /flag\.update|flag\.patch|environment/ })
      .first()
      .click();
    const row = page
      .getByRole("row")
      .filter({ hasText: "environmentConfigurations[environmentKey=staging].featureEnabled" });
    await row.waitFor();
    expect(await row.getByRole("cell").allInnerTexts()).toEqual([
      "environmentConfigurations[environmentKey=staging].featureEnabled",
      "false",
      "true",
    ]);
    await page.context().close();
  });

  it("says someone else changed the flag (409) and reloads it", async () => {
    await createFlagByApi("conflict_probe");
    const page = await signedInPage(browser, server.baseUrl, WRITER);
    await page.goto(flagUrl("conflict_probe"));
    await pickEnvironment(page, "Development");
    await page.getByText("version 1").waitFor();
    // Another person edits the flag meanwhile.
    await server.request("PATCH", "/feature-flags/demo/conflict_probe", {
      body: { description: "edited elsewhere" },
    });
    await page.getByLabel("Enabled in Development").click({ force: true });
    await page.getByText("Someone else changed this flag").first().waitFor();
    await page.getByRole("button", { name: "Reload the flag" }).click();
    await page.getByText("version 2").waitFor();
    await page.getByText("edited elsewhere").waitFor();
    await page.context().close();
  });

  it("lets a reader look but not change", async () => {
    const page = await signedInPage(browser, server.baseUrl, READER);
    await page.goto("/p/demo/flags");
    await page.getByRole("link", { name: "new_checkout" }).waitFor();
    expect(await page.getByRole("button", { name: "New flag" }).count()).toBe(0);
    expect(await page.getByRole("switch", { name: "new_checkout in Production" }).isDisabled()).toBe(true);
    await page.getByRole("link", { name: "new_checkout" }).click();
    await page.getByText("Read only").waitFor();
    // The rules editor is shown (so its missing "Add rule" is not just a panel yet to render).
    await page.getByLabel("Enabled in Development").waitFor();
    expect(await page.getByRole("button", { name: "Add rule" }).count()).toBe(0);
    await page.context().close();
  });

  it("edits a segment, with the server's error shown at the field", async () => {
    const created = await server.request("POST", "/segments", {
      body: {
        siteCode: "demo",
        name: "Modern app",
        condition: { all: [{ attribute: "appVersion", operator: "semverGte", values: ["2.0.0"] }] },
      },
    });
    expect(created.status, created.text).toBe(201);
    const page = await signedInPage(browser, server.baseUrl, WRITER);
    await page.goto(`/p/demo/segments/${created.body.id}`);
    const values = page.getByLabel("Condition 1 values");
    await values.fill("two");
    await page.getByRole("button", { name: "Save segment" }).click();
    await page.getByText("must be a semantic version").waitFor();
    await values.fill("2.5.0");
    await page.getByRole("button", { name: "Save segment" }).click();
    await page.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    await screenshot(page, "segment");
    const stored = await server.request("GET", `/segments/${created.body.id}`);
    expect(stored.body.condition).toEqual({
      all: [{ attribute: "appVersion", operator: "semverGte", values: ["2.5.0"] }],
    });
    await page.context().close();
  });

  it("links the demo flag's experiment as Results", async () => {
    const page = await signedInPage(browser, server.baseUrl, READER);
    await page.goto(flagUrl("new_checkout"));
    const results = page.getByRole("link", { name: "Results" });
    await results.waitFor();
    expect(await results.getAttribute("href")).toMatch(/^\/p\/demo\/experiments\/\d+$/);
    await page.context().close();
  });

  it("has no serious or critical axe-core violation on the main pages", async () => {
    const page = await signedInPage(browser, server.baseUrl, ADMIN, { bypassCSP: true });
    const problems: Record<string, string[]> = {};
    for (const [name, url, ready] of [
      ["flags", "/p/demo/flags", "new_checkout"],
      ["flag", flagUrl("new_checkout"), "Targeting"],
      ["segments", "/p/demo/segments", "Segments"],
      ["new segment", "/p/demo/segments/new", "Visitors match when"],
    ] as const) {
      await page.goto(url);
      await page.getByText(ready).first().waitFor();
      problems[name] = await seriousViolations(page);
    }
    await page.context().clearCookies();
    await page.goto("/sign-in");
    await page.getByLabel("Email").waitFor();
    problems["sign-in"] = await seriousViolations(page);
    await screenshot(page, "sign-in");
    expect(problems).toEqual({ flags: [], flag: [], segments: [], "new segment": [], "sign-in": [] });
    await page.context().close();
  });
});
