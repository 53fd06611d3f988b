import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../../../server/test/harness.js";
import { launchChromium, READER, seriousViolations, signedInPage, startConsoleServer } from "./harness.js";

// The sample-size planner on a flag's experiment, against a real server (SQLite, or PostgreSQL with
// VEXIL_TEST_POSTGRES_URL) and Debian's Chromium. The demo flag new_checkout runs an A/B test in production
// on the numeric goal Purchase, with 14 days of simulated traffic: the planner's baseline comes from it.
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startConsoleServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const answer = (page: Page) => page.getByRole("status", { name: "Sample size" });

describe("experiment planner", () => {
  it("shows the units and days the API plans from the goal's data, then from a typed baseline", async () => {
    // A reader may plan too: planning changes nothing.
    const page = await signedInPage(browser, server.baseUrl, READER, { bypassCSP: true });
    await page.goto("/p/demo/flags/new_checkout");
    await page.getByRole("radio", { name: "Production" }).dispatchEvent("click");
    const planner = page.getByRole("group", { name: "Sample size planner for Production" });
    await planner.waitFor();

    // The default +5 % on the primary goal's last 14 days in production: the same plan as the API's.
    const goals = await server.request("GET", "/goals?siteCode=demo");
    const purchase = goals.body.find((g: { key: string }) => g.key === "purchase");
    const api = await server.request("POST", "/projects/demo/sample-size", {
      body: {
        minimumDetectableEffect: 0.05,
        variations: 2,
        sequential: false,
        goal: { goalId: purchase.id, environmentKey: "production" },
      },
    });
    expect(api.status, api.text).toBe(200);
    const perVariation = api.body.unitsPerVariation.toLocaleString("en-US");
    await expect.poll(() => answer(page).textContent()).toContain(`${perVariation} visitors per variation`);
    expect(await answer(page).textContent()).toContain(`about ${api.body.days} days`);
    expect(await planner.textContent()).toContain("Baseline from the goal's data in production");
    expect(await seriousViolations(page)).toEqual([]);

    // A typed baseline: 10 % -> 12 % (+20 %) is 3,841 a variation (R's power.prop.test, n = 3840.85);
    // at 1,000 visitors a day, 7,682 / 1,000 -> 8 days.
    await planner
      .getByRole("switch", { name: "Baseline from the primary goal's data" })
      .click({ force: true });
    await planner.getByLabel("Baseline conversion rate (%)").fill("10");
    await planner.getByLabel("Minimum detectable lift (%)").fill("20");
    await planner.getByLabel("Daily visitors").fill("1000");
    const typed = "3,841 visitors per variation (7,682 in total): about 8 days at 1,000 visitors a day.";
    await answer(page).filter({ hasText: typed }).waitFor();
    expect(await answer(page).textContent()).toBe(typed);
    await page.context().close();
  });
});
