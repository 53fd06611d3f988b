import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../../../server/test/harness.js";
import { launchChromium, seriousViolations, signedInPage, startConsoleServer, WRITER } from "./harness.js";

// The flags list and flag page against a real server (SQLite, or PostgreSQL with VEXIL_TEST_POSTGRES_URL)
// and Debian's Chromium, found by role and accessible name as a person finds them.
let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startConsoleServer(), launchChromium()]);
  const variations = [{ key: "off" }, { key: "on" }];
  const experiment = {
    type: "EXPERIMENTATION",
    name: "Test",
    exposition: 100,
    trafficAllocations: [
      { variationKey: "off", exposition: 50 },
      { variationKey: "on", exposition: 50 },
    ],
  };
  for (const [featureKey, environmentConfigurations] of [
    ["list_on_prod", [{ environmentKey: "production", featureEnabled: true, defaultVariationKey: "off" }]],
    [
      "list_experiment",
      [{ environmentKey: "production", defaultVariationKey: "off", rolloutRules: [experiment] }],
    ],
    ["list_plain", []],
  ] as const) {
    const created = await server.request("POST", "/feature-flags", {
      body: { siteCode: "demo", featureKey, name: featureKey, variations, environmentConfigurations },
    });
    expect(created.status, created.text).toBe(201);
  }
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Picks an option of a labelled Mantine Select. */
async function choose(page: Page, label: string, option: string) {
  await page.getByRole("combobox", { name: label, exact: true }).click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

/** The flag keys the list shows now (after the table settled). */
async function shownKeys(page: Page): Promise<string[]> {
  await page.locator('table[aria-label="Flags"][aria-busy="false"]').waitFor();
  return (await page.getByRole("table", { name: "Flags" }).getByRole("link").allInnerTexts()).sort();
}

describe("flags list", () => {
  it("filters on/off in the chosen environment and rule type on the server, counting every match", async () => {
    const page = await signedInPage(browser, server.baseUrl, WRITER);
    await page.goto("/p/demo/flags");
    await choose(page, "Environment", "Production");
    await page.getByLabel("Search").fill("list_");
    await page.getByText("3 flags", { exact: true }).waitFor();
    expect(await shownKeys(page)).toEqual(["list_experiment", "list_on_prod", "list_plain"]);

    await choose(page, "In production", "On");
    await page.getByText("1 flag", { exact: true }).waitFor();
    expect(await shownKeys(page)).toEqual(["list_on_prod"]);

    await choose(page, "In production", "On or off");
    await choose(page, "Rule type", "Experimentation");
    await page.getByText("1 flag", { exact: true }).waitFor();
    expect(await shownKeys(page)).toEqual(["list_experiment"]);

    // In staging nothing of these has an experiment: an empty page that says so.
    await choose(page, "Environment", "Staging");
    await page.getByText("No flag matches these filters.").waitFor();
    expect(await shownKeys(page)).toEqual([]);
    await page.context().close();
  });

  it("asks before switching a flag in production, and not elsewhere", async () => {
    const page = await signedInPage(browser, server.baseUrl, WRITER);
    await page.goto("/p/demo/flags");
    await page.getByLabel("Search").fill("list_plain");
    await page.getByText("1 flag", { exact: true }).waitFor();
    const production = page.getByRole("switch", { name: "list_plain in Production" });
    await production.waitFor();
    await production.click({ force: true });
    const dialog = page.getByRole("dialog", { name: "Turn on list_plain in Production?" });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await production.isChecked()).toBe(false);
    await production.click({ force: true });
    await dialog.getByRole("button", { name: "Turn on" }).click();
    // The dialog closes with a transition: count dialogs only once this one is gone.
    await dialog.waitFor({ state: "detached" });
    await page.locator('[aria-label="list_plain in Production"]:checked').waitFor();

    const staging = page.getByRole("switch", { name: "list_plain in Staging" });
    await staging.click({ force: true });
    await page.locator('[aria-label="list_plain in Staging"]:checked').waitFor();
    expect(await page.getByRole("dialog").count()).toBe(0);

    const stored = await server.request("GET", "/feature-flags/demo/list_plain");
    const enabled = Object.fromEntries(
      stored.body.environmentConfigurations.map((e: { environmentKey: string; featureEnabled: boolean }) => [
        e.environmentKey,
        e.featureEnabled,
      ]),
    );
    expect(enabled).toEqual({ development: false, staging: true, production: true });
    await page.context().close();
  });
});

describe("color schemes", () => {
  it("switches to dark mode and back, with no serious axe-core violation in either", async () => {
    const page = await signedInPage(browser, server.baseUrl, WRITER, { bypassCSP: true });
    const scheme = () => page.locator("html").getAttribute("data-mantine-color-scheme");
    const problems: Record<string, string[]> = {};
    for (const wanted of ["dark", "light"] as const) {
      await page.goto("/p/demo/flags");
      await page.getByRole("link", { name: "new_checkout" }).waitFor();
      const toggle = page.getByRole("button", { name: `Use ${wanted} mode` });
      if ((await toggle.count()) > 0) await toggle.click();
      await page.locator(`html[data-mantine-color-scheme="${wanted}"]`).waitFor();
      problems[`flags, ${wanted}`] = await seriousViolations(page);
      await page.getByRole("link", { name: "new_checkout" }).click();
      await page.getByText("Targeting").first().waitFor();
      problems[`flag, ${wanted}`] = await seriousViolations(page);
      // The choice is remembered across pages.
      expect(await scheme()).toBe(wanted);
    }
    expect(problems).toEqual({
      "flags, dark": [],
      "flag, dark": [],
      "flags, light": [],
      "flag, light": [],
    });
    await page.context().close();
  });
});
