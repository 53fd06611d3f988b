import { OPERATORS } from "@vexil/engine";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../../../server/test/harness.js";
import { launchChromium, seriousViolations, signedInPage, startConsoleServer, WRITER } from "./harness.js";

// The segment builder against a real server (SQLite, or PostgreSQL with VEXIL_TEST_POSTGRES_URL) and
// Debian's Chromium: the tree built in the page is the tree the API stores.
let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startConsoleServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function createSegment(name: string, condition: unknown) {
  const created = await server.request("POST", "/segments", { body: { siteCode: "demo", name, condition } });
  expect(created.status, created.text).toBe(201);
  return created.body as { id: number; version: number };
}

async function addTo(page: Page, group: string, item: string) {
  await page.getByRole("button", { name: `Add to group ${group}`, exact: true }).click();
  // The menu of this group (another group's menu may still be closing).
  await page
    .getByRole("menu", { name: `Add to group ${group}`, exact: true })
    .getByRole("menuitem", { name: item, exact: true })
    .click();
}

/** Fills one condition: attribute, operator (by its label), values (parsed when the field is left). */
async function fillCondition(page: Page, n: string, attribute: string, operator: string, values: string) {
  await page.getByRole("textbox", { name: `Condition ${n} attribute` }).fill(attribute);
  await page.getByRole("combobox", { name: `Condition ${n} operator` }).click();
  await page.getByRole("option", { name: operator, exact: true }).click();
  const field = page.getByRole("textbox", { name: `Condition ${n} values` });
  await field.fill(values);
  await field.blur();
}

describe("segment builder", () => {
  it("builds nested all/any/not conditions that the API stores as that tree", async () => {
    const page = await signedInPage(browser, server.baseUrl, WRITER, { bypassCSP: true });
    await page.goto("/p/demo/segments/new");
    await page.getByRole("textbox", { name: "Name" }).fill("Nested");
    await addTo(page, "root", "Condition");
    // Every operator of the engine is offered.
    await page.getByRole("combobox", { name: "Condition 1 operator" }).click();
    expect(await page.getByRole("option").count()).toBe(OPERATORS.length);
    await page.keyboard.press("Escape");
    await fillCondition(page, "1", "country", "is one of", "FR, DE");
    await addTo(page, "root", "Any-of group");
    await addTo(page, "2", "Condition");
    await fillCondition(page, "2.1", "plan", "equals", "pro");
    await addTo(page, "2", "Not group");
    await addTo(page, "2.2", "Condition");
    await fillCondition(page, "2.2.1", "email", "ends with", "@test.com");
    expect(await seriousViolations(page)).toEqual([]);
    // Each condition has one remove button: the "not" and the group inside it are one condition.
    expect(await page.getByRole("button", { name: "Remove condition 2.2", exact: true }).count()).toBe(1);
    await page.getByRole("button", { name: "Save segment" }).click();
    await page.waitForURL(/\/p\/demo\/segments\/\d+$/);

    const id = Number(new URL(page.url()).pathname.split("/").pop());
    const stored = await server.request("GET", `/segments/${id}`);
    expect(stored.body.condition).toEqual({
      all: [
        { attribute: "country", operator: "in", values: ["FR", "DE"] },
        {
          any: [
            { attribute: "plan", operator: "equals", values: ["pro"] },
            { not: { all: [{ attribute: "email", operator: "endsWith", values: ["@test.com"] }] } },
          ],
        },
      ],
    });
    await page.context().close();
  });

  it("shows a condition's own values after the one above it is removed", async () => {
    const { id } = await createSegment("Two conditions", {
      all: [
        { attribute: "country", operator: "equals", values: ["FR"] },
        { attribute: "plan", operator: "equals", values: ["pro"] },
      ],
    });
    const page = await signedInPage(browser, server.baseUrl, WRITER);
    await page.goto(`/p/demo/segments/${id}`);
    await page.getByRole("button", { name: "Remove condition 1" }).click();
    expect(await page.getByRole("textbox", { name: "Condition 1 attribute" }).inputValue()).toBe("plan");
    expect(await page.getByRole("textbox", { name: "Condition 1 values" }).inputValue()).toBe("pro");
    await page.getByRole("button", { name: "Save segment" }).click();
    await page.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    const stored = await server.request("GET", `/segments/${id}`);
    expect(stored.body.condition).toEqual({
      all: [{ attribute: "plan", operator: "equals", values: ["pro"] }],
    });
    await page.context().close();
  });

  it("lists the flags using a segment, and a conflicting save reloads the other person's version", async () => {
    const segment = await createSegment("Used one", {
      all: [{ attribute: "plan", operator: "equals", values: ["pro"] }],
    });
    const flag = await server.request("POST", "/feature-flags", {
      body: {
        siteCode: "demo",
        featureKey: "uses_segment",
        name: "uses_segment",
        variations: [{ key: "off" }, { key: "on" }],
        environmentConfigurations: [
          {
            environmentKey: "staging",
            rolloutRules: [{ type: "TARGETED_DELIVERY", segmentId: segment.id, variationKey: "on" }],
          },
        ],
      },
    });
    expect(flag.status, flag.text).toBe(201);
    const page = await signedInPage(browser, server.baseUrl, WRITER);
    await page.goto(`/p/demo/segments/${segment.id}`);
    const usedBy = page.getByRole("link", { name: "uses_segment" });
    await usedBy.waitFor();
    expect(await usedBy.getAttribute("href")).toBe("/p/demo/flags/uses_segment");

    // Someone renames it through the API meanwhile.
    const renamed = await server.request("PATCH", `/segments/${segment.id}`, { body: { name: "Renamed" } });
    expect(renamed.status, renamed.text).toBe(200);
    await page.getByRole("textbox", { name: "Name" }).fill("Mine");
    await page.getByRole("button", { name: "Save segment" }).click();
    const alert = page.getByRole("alert", { name: "Someone else changed this segment" });
    await alert.getByRole("button", { name: "Reload the segment" }).click();
    await alert.waitFor({ state: "detached" });
    expect(await page.getByRole("textbox", { name: "Name" }).inputValue()).toBe("Renamed");
    await page.getByRole("heading", { name: "Renamed" }).waitFor();
    await page.context().close();
  });
});
