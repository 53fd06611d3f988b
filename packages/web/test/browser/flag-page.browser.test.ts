import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withFlagLock } from "../../../server/src/flags/flag-lock.js";
import type { TestServer } from "../../../server/test/harness.js";
import { launchChromium, seriousViolations, signedInPage, startConsoleServer, WRITER } from "./harness.js";

// The flag page's editors against a real server (SQLite, or PostgreSQL with VEXIL_TEST_POSTGRES_URL) and
// Debian's Chromium: what a person sets in the page is what the API then returns.
let server: TestServer;
let browser: Browser;
const goals: Record<string, number> = {};
let segmentId: number;

beforeAll(async () => {
  [server, browser] = await Promise.all([startConsoleServer(), launchChromium()]);
  for (const name of ["Signups", "Revenue", "Bounces"]) {
    const goal = await server.request("POST", "/goals", { body: { siteCode: "demo", name } });
    expect(goal.status, goal.text).toBe(201);
    goals[name] = goal.body.id;
  }
  const segment = await server.request("POST", "/segments", {
    body: {
      siteCode: "demo",
      name: "Beta testers",
      condition: { all: [{ attribute: "plan", operator: "in", values: ["beta"] }] },
    },
  });
  expect(segment.status, segment.text).toBe(201);
  segmentId = segment.body.id;
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

describe("flag page: every rule field", () => {
  it("writes each field of the three rule types and reads the same back through the API", {
    timeout: 240_000,
  }, async () => {
    await createFlag("every_field");
    const page = await signedInPage(browser, server.baseUrl, WRITER, { bypassCSP: true });
    await openStaging(page, "every_field");

    await addRule(page, "Targeted delivery");
    await page.getByRole("textbox", { name: "Rule 1 name" }).fill("Beta");
    await choose(page, "Rule 1 segment", "Beta testers", true);
    await page.getByRole("textbox", { name: "Rule 1 exposition (%)" }).fill("40");
    await page.getByRole("switch", { name: "Rule 1 active" }).click({ force: true });
    await page.getByLabel("Rule 1 release from").fill("2027-01-02T10:30");
    await page.getByLabel("Rule 1 release to").fill("2027-02-01T18:00");
    await choose(page, "Rule 1 time zone", "Europe/Paris", true);
    await choose(page, "Rule 1 variation", "on");

    await addRule(page, "Progressive delivery");
    await page.getByLabel("Rule 2 ramp starts at").fill("2027-03-01T09:00");
    await page.getByRole("textbox", { name: "Rule 2 start (%)" }).fill("10");
    await page.getByRole("textbox", { name: "Rule 2 stop (%)" }).fill("50");
    await page.getByRole("textbox", { name: "Rule 2 increase by (%)" }).fill("20");
    await page.getByRole("textbox", { name: "Rule 2 every" }).fill("2");
    await choose(page, "Rule 2 unit", "Days");
    // 10 % at the start, +20 every 2 days, capped at the stop: 10, 30, 50.
    await page.getByRole("img", { name: "Ramp preview of rule 2: 10%, 30%, 50%" }).waitFor();

    await addRule(page, "Progressive delivery");
    await choose(page, "Rule 3 schedule", "Custom steps");
    // Switching keeps only the custom steps' fields (the API refuses the others), with one step to start.
    await page.getByRole("button", { name: "Add step" }).click();
    await page.getByLabel("Rule 3 step 1 at").fill("2027-04-08T00:00");
    await page.getByRole("textbox", { name: "Rule 3 step 1 exposure (%)" }).fill("100");
    await page.getByLabel("Rule 3 step 2 at").fill("2027-04-01T00:00");
    await page.getByRole("textbox", { name: "Rule 3 step 2 exposure (%)" }).fill("20");
    // The preview orders the steps in time, and so does the save (the API wants them in order).
    await page.getByRole("img", { name: "Ramp preview of rule 3: 20%, 100%" }).waitFor();

    await addRule(page, "Experimentation");
    await page.getByRole("textbox", { name: "Rule 4 allocation for off (%)" }).fill("30");
    await page.getByRole("textbox", { name: "Rule 4 allocation for on (%)" }).fill("60");
    await page.getByText("Total: 90 % — Allocations add up to 90 %, not 100 %").waitFor();
    expect(await page.getByRole("button", { name: "Save Staging" }).isDisabled()).toBe(true);
    await page.getByRole("textbox", { name: "Rule 4 allocation for on (%)" }).fill("70");
    await page.getByText("Total: 100 %", { exact: true }).waitFor();
    await choose(page, "Rule 4 control variation", "on");
    await choose(page, "Rule 4 traffic allocation", "Multi-armed bandit");
    // A bandit optimizes the flag's primary goal: none yet, so nothing can be saved.
    await page.getByText("Rule 4: a bandit needs a goal to optimize; pick a primary goal").waitFor();
    await choose(page, "Primary goal", "Signups");
    await page.getByText("Rule 4: a bandit needs a goal", { exact: false }).waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Add rollback condition to rule 4" }).click();
    await choose(page, "Rule 4 rollback 1 goal", "Revenue");
    await choose(page, "Rule 4 rollback 1 criterion", "Downlift");
    await choose(page, "Rule 4 rollback 1 comparison", "Greater than");
    await page.getByRole("textbox", { name: "Rule 4 rollback 1 threshold (%)" }).fill("5");
    await page.getByRole("textbox", { name: "Rule 4 rollback 1 after visitors" }).fill("1000");
    await choose(page, "Rule 4 rollback 1 turns off", "The environment");

    // Keyboard reorder: the experiment moves up above the custom ramp.
    const handle = page.getByRole("button", { name: "Drag rule 4 to reorder" });
    await handle.focus();
    await page.keyboard.press("Space");
    await page.locator('[aria-pressed="true"][aria-label="Drag rule 4 to reorder"]').waitFor();
    await page.keyboard.press("ArrowUp");
    // dnd-kit's live region says where the rule is (EnvironmentPanel's announcements).
    await page.getByText("Rule 4 is over position 3.").waitFor({ state: "attached" });
    await page.keyboard.press("Space");
    await page.getByRole("textbox", { name: "Rule 3 allocation for off (%)" }).waitFor();

    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Save Staging" }).click();
    await page.getByText(/version 2$/).waitFor();

    const flag = await stored("every_field");
    expect(flag.primaryGoalId).toBe(goals.Signups);
    const rules = staging(flag).rolloutRules;
    expect(rules.map((r) => [r.type, r.orderIndex])).toEqual([
      ["TARGETED_DELIVERY", 0],
      ["PROGRESSIVE_DELIVERY", 1],
      ["EXPERIMENTATION", 2],
      ["PROGRESSIVE_DELIVERY", 3],
    ]);
    expect(rules[0]).toMatchObject({
      name: "Beta",
      segmentId,
      exposition: 40,
      state: "PAUSED",
      variationKey: "on",
      release: {
        releaseFrom: "2027-01-02T10:30:00",
        releaseTo: "2027-02-01T18:00:00",
        timeZone: "Europe/Paris",
      },
    });
    expect(rules[1]).toMatchObject({
      rolloutConfiguration: {
        type: "PROGRESSIVE_EXPOSURE",
        releaseDateTime: "2027-03-01T09:00:00",
        percentageRange: { start: 10, stop: 50 },
        increaseBy: 20,
        frequency: { unit: "Days", value: 2 },
      },
    });
    expect(rules[2]).toMatchObject({
      trafficAllocations: [
        { variationKey: "off", exposition: 30 },
        { variationKey: "on", exposition: 70 },
      ],
      controlVariationKey: "on",
      trafficAllocationMethod: "MULTI_ARMED_BANDIT",
      rollbackConditions: [
        {
          goalId: goals.Revenue,
          criteria: "DOWNLIFT",
          comparisonOperator: "GREATER_THAN",
          matchValue: 5,
          visitors: 1000,
          target: "ENVIRONMENT",
        },
      ],
    });
    expect(rules[3]?.rolloutConfiguration).toEqual({
      type: "CUSTOM_RAMP_UP",
      steps: [
        { dateTime: "2027-04-01T00:00:00", exposure: 20 },
        { dateTime: "2027-04-08T00:00:00", exposure: 100 },
      ],
    });
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
    const alert = page.getByRole("alert", { name: "Someone else changed this flag" });
    await alert.waitFor();
    // Said once, beside the form (no second, toasted copy for screen readers to announce).
    expect(await page.getByRole("alert").filter({ hasText: "Someone else changed this flag" }).count()).toBe(
      1,
    );
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
      const alert = page.getByRole("alert", { name: "Automation holds this flag" });
      await alert.getByText(/A rollback condition was met/).waitFor();
      expect((await stored("locked_flag")).version).toBe(1);
    } finally {
      release();
      await holding;
    }
    const alert = page.getByRole("alert", { name: "Automation holds this flag" });
    await alert.getByRole("button", { name: "Reload the flag" }).click();
    await alert.waitFor({ state: "detached" });
    await page.getByRole("switch", { name: "Enabled in Staging" }).click({ force: true });
    await page.getByText(/version 2$/).waitFor();
    expect(staging(await stored("locked_flag")).featureEnabled).toBe(true);
    await page.context().close();
  });
});

describe("flag page: copies, archive, history and code", () => {
  it("duplicates under a chosen key, refuses a taken one in its own words", async () => {
    await createFlag("original", [
      { environmentKey: "staging", featureEnabled: true, defaultVariationKey: "on" },
    ]);
    const page = await signedInPage(browser, server.baseUrl, WRITER);
    await page.goto("/p/demo/flags/original");
    await page.getByRole("button", { name: "Duplicate" }).click();
    let dialog = page.getByRole("dialog", { name: "Duplicate original" });
    expect(await dialog.getByRole("textbox", { name: "Key of the copy" }).inputValue()).toBe("original_copy");
    await dialog.getByRole("textbox", { name: "Key of the copy" }).fill("original_twin");
    await dialog.getByRole("textbox", { name: "Name of the copy" }).fill("Original twin");
    await dialog.getByRole("button", { name: "Duplicate" }).click();
    await page.waitForURL(/\/p\/demo\/flags\/original_twin$/);
    await page.getByRole("heading", { name: "Original twin" }).waitFor();
    const copy = await stored("original_twin");
    expect(copy.name).toBe("Original twin");
    expect(staging(copy)).toMatchObject({ featureEnabled: true, defaultVariationKey: "on" });

    // The same key again: the server's 409 says the key is taken (not that someone changed a flag).
    await page.goto("/p/demo/flags/original");
    await page.getByRole("button", { name: "Duplicate" }).click();
    dialog = page.getByRole("dialog", { name: "Duplicate original" });
    await dialog.getByRole("textbox", { name: "Key of the copy" }).fill("original_twin");
    await dialog.getByRole("button", { name: "Duplicate" }).click();
    await dialog
      .getByRole("alert")
      .filter({ hasText: "feature flag 'original_twin' already exists" })
      .waitFor();
    expect(await page.getByText("Someone else changed this flag").count()).toBe(0);
    await page.context().close();
  });

  it("archives after confirming, restores, and the history shows each change before and after", async () => {
    await createFlag("lifecycle");
    const page = await signedInPage(browser, server.baseUrl, WRITER);
    await page.goto("/p/demo/flags/lifecycle");
    await page.getByRole("button", { name: "Archive" }).click();
    await page
      .getByRole("dialog", { name: "Archive lifecycle?" })
      .getByRole("button", { name: "Archive" })
      .click();
    // Closing, the dialog keeps its own "Archive" button in the page for a moment (seen under load).
    await page.getByRole("dialog", { name: "Archive lifecycle?" }).waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Restore" }).waitFor();
    expect((await stored("lifecycle")).archived).toBe(true);
    // An archived flag is read only until restored.
    expect(await page.getByRole("button", { name: "Add rule" }).count()).toBe(0);
    await page.getByRole("button", { name: "Restore" }).click();
    await page.getByRole("button", { name: "Archive" }).waitFor();
    expect((await stored("lifecycle")).archived).toBe(false);

    await page.getByRole("tab", { name: "History" }).click();
    const history = page.getByRole("button", { name: /^flag\.(create|archive|restore)/ });
    await history.nth(2).waitFor();
    // Newest first: restore, archive, create.
    expect((await history.allInnerTexts()).map((t) => t.split(/\s/)[0])).toEqual([
      "flag.restore",
      "flag.archive",
      "flag.create",
    ]);
    await history.nth(1).click();
    const changes = page.getByRole("table", { name: /^Changes of flag\.archive/ });
    await changes.waitFor();
    const archivedRow = changes.getByRole("row").filter({ hasText: "archived" });
    expect(await archivedRow.getByRole("cell").allInnerTexts()).toEqual(["archived", "false", "true"]);
    await page.context().close();
  });

  it("gives snippets with this environment's keys; the OFREP one answers as written", async () => {
    await createFlag("snippet_flag", [
      { environmentKey: "staging", featureEnabled: true, defaultVariationKey: "on" },
    ]);
    const project = (await server.request("GET", "/projects/demo")).body as {
      environments: { key: string; serverSdkKey: string; clientSdkKey: string }[];
    };
    const keys = project.environments.find((e) => e.key === "staging");
    const page = await signedInPage(browser, server.baseUrl, WRITER);
    await openStaging(page, "snippet_flag");
    await page.getByRole("tab", { name: "Code" }).click();
    const node = await page.getByRole("tabpanel", { name: "Node SDK" }).locator("pre").innerText();
    expect(node).toContain(`sdkKey: "${keys?.serverSdkKey}"`);
    expect(node).toContain('getVariationKey("snippet_flag"');
    await page.getByRole("tab", { name: "OpenFeature" }).click();
    const openFeature = await page.getByRole("tabpanel", { name: "OpenFeature" }).locator("pre").innerText();
    expect(openFeature).toContain(`sdkKey: "${keys?.serverSdkKey}"`);
    await page.getByRole("tab", { name: "OFREP (curl)" }).click();
    const curl = await page.getByRole("tabpanel", { name: "OFREP (curl)" }).locator("pre").innerText();
    expect(curl).toContain(keys?.clientSdkKey);
    // Run the snippet as a person would paste it into a shell: staging serves "on" (its default, flag on).
    const { stdout } = await promisify(execFile)("sh", ["-c", curl]);
    expect(JSON.parse(stdout)).toMatchObject({ key: "snippet_flag", variant: "on" });
    await page.context().close();
  });
});

describe("flag page: variations and typed variables", () => {
  it("adds a variation and typed variables with a value per variation, checked by type", async () => {
    await createFlag("typed_vars");
    const page = await signedInPage(browser, server.baseUrl, WRITER);
    await page.goto("/p/demo/flags/typed_vars");
    await page.getByRole("tab", { name: "Variations" }).click();
    await page.getByRole("button", { name: "Add variation" }).click();
    await page.getByRole("textbox", { name: "Variation 3 key" }).fill("blue");
    await page.getByRole("textbox", { name: "Variation blue name" }).fill("Blue button");
    for (const [key, type] of [
      ["color", "STRING"],
      ["max_items", "NUMBER"],
    ] as const) {
      await page.getByRole("textbox", { name: "New variable key" }).fill(key);
      await page.getByRole("combobox", { name: "Type", exact: true }).click();
      await page.getByRole("option", { name: type, exact: true }).click();
      await page.getByRole("button", { name: "Add variable" }).click();
    }
    for (const [variation, color, max] of [
      ["off", "grey", "10"],
      ["on", "green", "20"],
      ["blue", "blue", "many"],
    ] as const) {
      await page.getByRole("textbox", { name: `color for ${variation}` }).fill(color);
      await page.getByRole("textbox", { name: `max_items for ${variation}` }).fill(max);
    }
    // "many" is no number: said at the field, and nothing can be saved.
    await page.getByText("blue.max_items must be a number").waitFor();
    expect(await page.getByRole("button", { name: "Save variations" }).isDisabled()).toBe(true);
    await page.getByRole("textbox", { name: "max_items for blue" }).fill("30");
    await page.getByRole("button", { name: "Save variations" }).click();
    await page.getByText(/version 2$/).waitFor();

    const flag = await stored("typed_vars");
    expect(flag.variables.map((v: { key: string; type: string }) => [v.key, v.type])).toEqual([
      ["color", "STRING"],
      ["max_items", "NUMBER"],
    ]);
    const values = Object.fromEntries(
      flag.variations.map((v: { key: string; variables: { key: string; value: string }[] }) => [
        v.key,
        Object.fromEntries(v.variables.map((x) => [x.key, x.value])),
      ]),
    );
    expect(values).toEqual({
      off: { color: "grey", max_items: "10" },
      on: { color: "green", max_items: "20" },
      blue: { color: "blue", max_items: "30" },
    });
    expect(flag.variations.find((v: { key: string }) => v.key === "blue").name).toBe("Blue button");
    await page.context().close();
  });
});

describe("flag page: loading", () => {
  it("asks the server for the flag once when the page opens", async () => {
    await createFlag("asked_once");
    const page = await signedInPage(browser, server.baseUrl, WRITER);
    const asked: string[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).pathname === "/feature-flags/demo/asked_once") asked.push(r.method());
    });
    await page.goto("/p/demo/flags/asked_once");
    await page.getByText("asked_once · version 1").waitFor();
    await page.getByRole("combobox", { name: "Default variation" }).waitFor();
    // The router's prefetch is the page's data: the page mounting after it does not ask again (a second
    // request delayed the editor and re-rendered it). Writes still ask afresh (they invalidate the query).
    await page.waitForLoadState("networkidle");
    expect(asked).toEqual(["GET"]);
    await page.context().close();
  });
});
