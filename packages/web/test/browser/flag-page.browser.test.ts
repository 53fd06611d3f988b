import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withFlagLock } from "../../../server/src/flags/flag-lock.js";
import type { TestServer } from "../../../server/test/harness.js";
import { launchChromium, signedInPage, startConsoleServer, WRITER } from "./harness.js";

// The flag page's editors against a real server (SQLite, or PostgreSQL with VEXIL_TEST_POSTGRES_URL) and
// Debian's Chromium: what a person sets in the page is what the API then returns.
let server: TestServer;
let browser: Browser;
const goals: Record<string, number> = {};

beforeAll(async () => {
  [server, browser] = await Promise.all([startConsoleServer(), launchChromium()]);
  for (const name of ["Signups", "Revenue", "Bounces"]) {
    const goal = await server.request("POST", "/goals", { body: { siteCode: "demo", name } });
    expect(goal.status, goal.text).toBe(201);
    goals[name] = goal.body.id;
  }
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A flag with variations off/on and nothing else, made through the API. */
async function createFlag(featureKey: string, environmentConfigurations: unknown[] = []) {
  const created = await server.request("POST", "/feature-flags", {
    body: {
      siteCode: "demo",
      featureKey,
      name: featureKey,
      variations: [{ key: "off" }, { key: "on" }],
      environmentConfigurations,
    },
  });
  expect(created.status, created.text).toBe(201);
  return created.body as { id: number };
}

async function stored(featureKey: string) {
  const flag = await server.request("GET", `/feature-flags/demo/${featureKey}`);
  expect(flag.status, flag.text).toBe(200);
  return flag.body;
}

const staging = (flag: { environmentConfigurations: { environmentKey: string }[] }) =>
  flag.environmentConfigurations.find((e) => e.environmentKey === "staging") as unknown as {
    featureEnabled: boolean;
    defaultVariationKey: string;
    rolloutRules: Record<string, unknown>[];
  };

/** Picks an option of a labelled Mantine Select (typing first when the list is long). */
async function choose(page: Page, label: string, option: string, type = false) {
  const box = page.getByRole("combobox", { name: label, exact: true });
  if (type) await box.fill(option);
  else await box.click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

async function openStaging(page: Page, featureKey: string) {
  await page.goto(`/p/demo/flags/${featureKey}`);
  await page.locator("label").filter({ hasText: "Staging" }).click();
  await page.getByRole("switch", { name: "Enabled in Staging" }).waitFor();
}

async function addRule(page: Page, type: string) {
  await page.getByRole("button", { name: "Add rule" }).click();
  await page.getByRole("menuitem", { name: type }).click();
}

describe("flag page: goals", () => {
  it("attaches a primary and secondary goals to an experiment, read back through the API", async () => {
    await createFlag("goal_picker");
    const page = await signedInPage(browser, server.baseUrl, WRITER);
    await openStaging(page, "goal_picker");
    await addRule(page, "Experimentation");
    await choose(page, "Primary goal", "Signups");
    await page.getByRole("combobox", { name: "Secondary goals", exact: true }).click();
    await page.getByRole("option", { name: "Revenue", exact: true }).click();
    await page.getByRole("option", { name: "Bounces", exact: true }).click();
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Save Staging" }).click();
    await page.getByText(/version 2$/).waitFor();

    const flag = await stored("goal_picker");
    expect(flag.primaryGoalId).toBe(goals.Signups);
    expect(flag.secondaryGoalIds).toEqual([goals.Revenue, goals.Bounces]);
    // The new experiment splits 50/50 between the flag's two variations (evenSplit).
    expect(staging(flag).rolloutRules[0]).toMatchObject({
      type: "EXPERIMENTATION",
      trafficAllocations: [
        { variationKey: "off", exposition: 50 },
        { variationKey: "on", exposition: 50 },
      ],
    });
    // The reloaded page shows what was stored.
    await page.reload();
    await page.locator("label").filter({ hasText: "Staging" }).click();
    expect(await page.getByRole("combobox", { name: "Primary goal", exact: true }).inputValue()).toBe(
      "Signups",
    );
    await page.context().close();
  });
});

describe("flag page: writes that cannot land", () => {
  it("says someone else changed the flag (409) and reloads their version, dropping the stale draft", async () => {
    await createFlag("conflicted", [{ environmentKey: "staging", defaultVariationKey: "off" }]);
    const page = await signedInPage(browser, server.baseUrl, WRITER);
    await openStaging(page, "conflicted");
    // Meanwhile someone adds a rule through the API.
    const elsewhere = await server.request("PATCH", "/feature-flags/demo/conflicted/staging", {
      body: { rolloutRules: [{ type: "TARGETED_DELIVERY", name: "Added elsewhere", variationKey: "on" }] },
    });
    expect(elsewhere.status, elsewhere.text).toBe(200);

    await choose(page, "Default variation", "on");
    await page.getByRole("button", { name: "Save Staging" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "Someone else changed this flag" });
    await alert.waitFor();
    await alert.getByRole("button", { name: "Reload the flag" }).click();
    await alert.waitFor({ state: "detached" });
    // The other person's rule is there and the unsaved default variation is gone.
    expect(await page.getByRole("textbox", { name: "Rule 1 name" }).inputValue()).toBe("Added elsewhere");
    expect(await page.getByRole("combobox", { name: "Default variation", exact: true }).inputValue()).toBe(
      "off",
    );

    await choose(page, "Default variation", "on");
    await page.getByRole("button", { name: "Save Staging" }).click();
    await page.getByText(/version 3$/).waitFor();
    const flag = staging(await stored("conflicted"));
    expect(flag.defaultVariationKey).toBe("on");
    expect(flag.rolloutRules.map((r) => r.name)).toEqual(["Added elsewhere"]);
    await page.context().close();
  });

  it("explains which automation holds a locked flag (423), then saves once it lets go", async () => {
    const { id } = await createFlag("locked_flag");
    const page = await signedInPage(browser, server.baseUrl, WRITER);
    await openStaging(page, "locked_flag");
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let taken = () => {};
    const lockTaken = new Promise<void>((resolve) => {
      taken = resolve;
    });
    // The same lock the rollback automation takes (automation/rollback-conditions.ts).
    const holding = withFlagLock(server.context, id, "automation:rollback", async () => {
      taken();
      await released;
    });
    await lockTaken;
    try {
      await page.getByRole("switch", { name: "Enabled in Staging" }).click({ force: true });
      const alert = page.getByRole("alert").filter({ hasText: "Automation holds this flag" });
      await alert.getByText(/A rollback condition was met/).waitFor();
      expect((await stored("locked_flag")).version).toBe(1);
    } finally {
      release();
      await holding;
    }
    await page
      .getByRole("alert")
      .filter({ hasText: "Automation holds this flag" })
      .getByRole("button", { name: "Reload the flag" })
      .click();
    await page
      .getByRole("alert")
      .filter({ hasText: "Automation holds this flag" })
      .waitFor({ state: "detached" });
    await page.getByRole("switch", { name: "Enabled in Staging" }).click({ force: true });
    await page.getByText(/version 2$/).waitFor();
    expect(staging(await stored("locked_flag")).featureEnabled).toBe(true);
    await page.context().close();
  });
});
