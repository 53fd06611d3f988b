import fs from "node:fs";
import { createClient } from "@vexil/sdk";
import type { Browser, Page } from "playwright-core";
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

// The whole loop in a browser, on the storage the harness picks (SQLite, or PostgreSQL with
// VEXIL_TEST_POSTGRES_URL): a flag with a 50/50 experiment made in the console, turned on in production,
// received by an SDK client, traffic sent by that client, and the experiment's results read in the console.
let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startConsoleServer(), launchChromium()]);
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

/** Turns on post-stratification by device and waits for the report's variance-reduction block. */
async function stratifyByDevice(page: Page) {
  await choose(page, "Variance reduction", "Post-stratification");
  await choose(page, "Stratify by", "Device");
  return page.getByRole("region", { name: "Variance reduction" });
}

/** Cells of the results table's row for a variation. */
async function rowOf(page: Page, table: string, variation: string) {
  const row = page
    .getByRole("table", { name: table })
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name: variation, exact: true }) });
  return row.getByRole("cell").allInnerTexts();
}

describe("experiment loop", () => {
  it("runs a 50/50 experiment from the console to an SDK and back to its results with plots", async () => {
    const goal = await server.request("POST", "/goals", {
      body: { siteCode: "demo", name: "Signup", key: "signup" },
    });
    expect(goal.status, goal.text).toBe(201);
    const sdk = createClient({ baseUrl: server.baseUrl, sdkKey: await serverSdkKey(server) });
    try {
      await sdk.ready();
      const page = await signedInPage(browser, server.baseUrl, WRITER);
      await createFlagInConsole(page, "Signup form", "signup_form");
      await pickEnvironment(page, "Production");
      await addExperimentRule(page);
      await page.getByRole("button", { name: "Save Production" }).click();
      await page.getByText("version 2").waitFor();
      // The goal the experiment measures (goals have their own screen; attached here through the API).
      const attached = await server.request("PATCH", "/feature-flags/demo/signup_form", {
        body: { primaryGoalId: goal.body.id },
      });
      expect(attached.status, attached.text).toBe(200);
      await page.reload();
      await pickEnvironment(page, "Production");
      await page.getByText("version 3").waitFor();

      await page.getByLabel("Enabled in Production").click({ force: true });
      await page.getByRole("button", { name: "Turn on" }).click();
      await page.getByText("version 4").waitFor();
      await untilSdk(sdk, () => sdk.evaluate("signup_form", "probe").ruleType === "EXPERIMENTATION");

      // Traffic, as an application would send it: 400 visitors evaluated (an exposure each), and
      // conversions for every 4th visitor on "on" and every 5th on "off". The expected numbers are what
      // the SDK answered, counted here. Even visitors are on desktop, odd ones on mobile: every converter
      // on "on" is a desktop one, so stratifying by device explains part of the variance.
      const exposed = { off: 0, on: 0 };
      const converted = { off: 0, on: 0 };
      // The visitor that watched for the change was exposed too (once per visit, however often evaluated).
      exposed[sdk.evaluate("signup_form", "probe").variationKey as "off" | "on"]++;
      for (let i = 0; i < 400; i++) {
        const visitor = `visitor-${i}`;
        const deviceType = i % 2 === 0 ? "desktop" : "mobile";
        const details = sdk.evaluate("signup_form", { code: visitor, attributes: { deviceType } });
        expect(details.inExperiment).toBe(true);
        const variation = details.variationKey as "off" | "on";
        exposed[variation]++;
        if (i % (variation === "on" ? 4 : 5) === 0) {
          sdk.track(visitor, "signup");
          converted[variation]++;
        }
      }
      await sdk.flush();
      expect(sdk.stats().droppedEvents).toBe(0);
      expect(exposed.off).toBeGreaterThan(150);
      expect(exposed.on).toBeGreaterThan(150);

      // From the flag to its results.
      await page.getByRole("link", { name: "Results" }).click();
      await page.waitForURL(/\/p\/demo\/experiments\/\d+$/);
      const experimentUrl = new URL(page.url()).pathname;
      const table = "Results for Signup";
      await page.getByRole("table", { name: table }).waitFor();
      const off = await rowOf(page, table, "Off");
      const on = await rowOf(page, table, "On");
      expect(off.slice(1, 4)).toEqual([
        String(exposed.off),
        String(converted.off),
        `${((100 * converted.off) / exposed.off).toFixed(2)} %`,
      ]);
      expect(on.slice(1, 3)).toEqual([String(exposed.on), String(converted.on)]);
      // The lift the table prints is the relative difference of the two rates.
      const lift = 100 * (converted.on / exposed.on / (converted.off / exposed.off) - 1);
      expect(on[4]).toBe(`${lift > 0 ? "+" : ""}${lift.toFixed(1)} %`);

      // The plots, by their accessible names (their numbers are the traffic's).
      const bars = page.getByRole("img", { name: /^Lift of Signup with its interval per variation: On / });
      expect(await bars.getAttribute("aria-label")).toContain(`On ${lift.toFixed(1)} %`);
      const exposures = page.getByRole("img", { name: /^Visitors per variation over time/ });
      await exposures.waitFor();
      expect(await exposures.getAttribute("aria-label")).toBe(
        `Visitors per variation over time (cumulative): Off ${exposed.off}; On ${exposed.on}`,
      );
      const cumulative = page.getByRole("img", { name: /^Cumulative lift of Signup over time/ });
      expect(await cumulative.getAttribute("aria-label")).toContain(`On ${lift.toFixed(1)} %`);
      expect(await page.locator("svg[role=img] path").count()).toBeGreaterThan(3);

      // The switches ask another report through the same job; the Bayesian one adds its distribution.
      await page.getByRole("switch", { name: "Bayesian" }).click({ force: true });
      await page.getByRole("columnheader", { name: "Chance to beat reference" }).waitFor();
      await page.getByRole("img", { name: /^Bayesian distribution of the lift of Signup/ }).waitFor();
      await screenshot(page, "experiment-results");

      // Exports: the CSV's total line for "On" has the traffic's counts.
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export CSV" }).click(),
      ]);
      const csv = fs.readFileSync((await download.path()) as string, "utf8").split("\r\n");
      const onLine = csv.find((line) => line.startsWith("total,") && line.includes(",On,false,"));
      expect(onLine?.split(",").slice(6, 9)).toEqual([
        String(exposed.on),
        String(converted.on),
        String(converted.on),
      ]);

      // Variance reduction through the same job. With a breakdown the server refuses it (it adjusts the
      // totals): its 400 is said at the control, and the page stays usable.
      await choose(page, "Breakdown", "Device");
      const block = await stratifyByDevice(page);
      await page.getByText("cannot be combined with breakdown").waitFor();
      await choose(page, "Breakdown", "None");
      await block.getByText("Post-stratification applied").waitFor();
      // Strata weights are the pooled shares: 200 desktop and 200 mobile visitors; the probe visitor (no
      // device, a stratum under 20 units) is merged into the largest, the first of the tie by name.
      const lines = await block.getByRole("listitem").allInnerTexts();
      expect(lines.filter((line) => line.startsWith("stratum"))).toEqual([
        `stratum desktop: weight ${((100 * 201) / 401).toFixed(1)} %`,
        `stratum mobile: weight ${((100 * 200) / 401).toFixed(1)} %`,
      ]);
      expect(lines).toContain("merged small strata: (none)");
      expect(lines.some((line) => /^On: variance reduced by \d+\.\d %$/.test(line))).toBe(true);
      // The units are the traffic's, whatever the adjustment.
      expect((await rowOf(page, table, "On"))[1]).toBe(String(exposed.on));
      await screenshot(page, "experiment-variance-reduction");
      // Regression on a covariate goal: these visitors had no conversion in the 14 days before their first
      // exposure, so the covariate has no variance and the block says why nothing was applied.
      await choose(page, "Variance reduction", "Regression on covariates");
      await choose(page, "Covariate goals (14 days before)", "Signup");
      await block.getByText("Regression adjustment not applied").waitFor();
      expect(await block.innerText()).toMatch(/^Regression adjustment not applied: .*variance/);
      expect((await rowOf(page, table, "On"))[1]).toBe(String(exposed.on));

      // The list shows it running, with its flag, goal and units.
      await page.goto("/p/demo/experiments");
      const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: "signup_form" }) });
      await row.getByRole("cell", { name: String(exposed.off + exposed.on) }).waitFor();
      const cells = await row.getByRole("cell").allTextContents();
      expect(cells.slice(1, 7)).toEqual([
        "Running",
        "signup_form",
        "Production",
        "Signup",
        "0",
        String(exposed.off + exposed.on),
      ]);
      await screenshot(page, "experiments");
      await page.context().close();

      // No serious or critical axe-core violation on either page.
      const axePage = await signedInPage(browser, server.baseUrl, ADMIN, { bypassCSP: true });
      await axePage.goto("/p/demo/experiments");
      await axePage.getByRole("table", { name: "Experiments" }).waitFor();
      const list = await seriousViolations(axePage);
      await axePage.goto(experimentUrl);
      await axePage.getByRole("img", { name: /^Cumulative lift of Signup/ }).waitFor();
      const results = await seriousViolations(axePage);
      await (await stratifyByDevice(axePage)).getByText("Post-stratification applied").waitFor();
      const varianceReduction = await seriousViolations(axePage);
      expect({ list, results, varianceReduction }).toEqual({ list: [], results: [], varianceReduction: [] });
      await axePage.context().close();
    } finally {
      await sdk.close();
    }
    // A long path through a real browser on a shared machine: a generous limit, not a timing assertion.
  }, 300_000);

  it("shows the demo experiment to a reader, and says so when an experiment does not exist", async () => {
    const page = await signedInPage(browser, server.baseUrl, READER);
    await page.goto("/p/demo/experiments");
    await page.getByRole("link", { name: "One-page checkout A/B test" }).click();
    // The demo's 20,000 simulated visitors (demo-project.ts) split over the two variations.
    await page.getByRole("table", { name: "Results for Purchase" }).waitFor();
    const units = await Promise.all(
      ["Current checkout", "One-page checkout"].map(async (name) =>
        Number((await rowOf(page, "Results for Purchase", name))[1]?.replaceAll(",", "")),
      ),
    );
    expect(units[0]! + units[1]!).toBe(20_000);
    await page.goto("/p/demo/experiments/123456789");
    await page.getByRole("alert").filter({ hasText: "Experiment 123456789 not found" }).waitFor();
    await page.context().close();
  });
});
