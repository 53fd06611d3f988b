import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../../../server/test/harness.js";
import {
  ADMIN,
  launchChromium,
  READER,
  screenshot,
  seriousViolations,
  signedInPage,
  startConsoleServer,
} from "./harness.js";

// The administration screens (environments, tokens, webhooks, users) against a real server and Chromium.
let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startConsoleServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A signed-in page whose context may read the clipboard and run axe (bypassCSP, see harness). */
async function adminPage(person = ADMIN): Promise<Page> {
  const page = await signedInPage(browser, server.baseUrl, person, { bypassCSP: true });
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  return page;
}

async function environment(key: string): Promise<{ serverSdkKey: string; clientSdkKey: string }> {
  const list = await server.request("GET", "/projects/demo/environments");
  return list.body.find((e: { key: string }) => e.key === key);
}

const sdkConfig = (sdkKey: string) =>
  server.request("GET", "/sdk/v1/config", { token: null, headers: { authorization: sdkKey } });

describe("environments and SDK keys", () => {
  it("lists environments, copies a key, and rotates a key only after confirming", async () => {
    const page = await adminPage();
    await page.goto("/p/demo/environments");
    const table = page.getByRole("table", { name: "Environments" });
    await table.getByRole("row").filter({ hasText: "Production" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "environments");

    const before = await environment("production");
    await page.getByRole("button", { name: "Copy client SDK key of Production" }).click();
    await page.getByRole("button", { name: "Copied client SDK key of Production" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(before.clientSdkKey);

    // Cancel leaves the key as it was.
    await page.getByRole("button", { name: "Rotate keys of Production" }).click();
    const dialog = page.getByRole("dialog", { name: "Rotate keys of Production" });
    await dialog.getByText("The old key stops working at once").waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect((await environment("production")).serverSdkKey).toBe(before.serverSdkKey);

    await page.getByRole("button", { name: "Rotate keys of Production" }).click();
    await dialog.getByRole("button", { name: "Rotate", exact: true }).click();
    await dialog.waitFor({ state: "hidden" });
    const after = await environment("production");
    expect(after.serverSdkKey).not.toBe(before.serverSdkKey);
    expect(after.clientSdkKey).toBe(before.clientSdkKey); // only the server key was chosen
    expect((await sdkConfig(before.serverSdkKey)).status).toBe(401);
    expect((await sdkConfig(after.serverSdkKey)).status).toBe(200);
    // The page shows the new key: copying it gives the new secret.
    await page.getByRole("button", { name: "Copy server SDK key of Production" }).click();
    await page.getByRole("button", { name: "Copied server SDK key of Production" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(after.serverSdkKey);
    await page.context().close();
  });

  it("creates an environment with the keyboard alone, and shows the server's refusal of a taken key", async () => {
    const page = await adminPage();
    await page.goto("/p/demo/environments");
    await page.getByRole("button", { name: "New environment" }).focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "New environment" });
    // The name field takes focus once the dialog has opened; the key follows the name.
    const name = dialog.getByLabel("Name");
    await expect.poll(() => name.evaluate((field) => field === document.activeElement)).toBe(true);
    await page.keyboard.type("QA lab");
    expect(await dialog.getByLabel("Key").inputValue()).toBe("qa-lab");
    await page.keyboard.press("Enter");
    await dialog.waitFor({ state: "hidden" });
    await page
      .getByRole("table", { name: "Environments" })
      .getByRole("row")
      .filter({ hasText: "QA lab" })
      .waitFor();
    const created = await environment("qa-lab");
    expect((await sdkConfig(created.serverSdkKey)).status).toBe(200);

    await page.getByRole("button", { name: "New environment" }).click();
    await dialog.getByLabel("Name").fill("Production again");
    await dialog.getByLabel("Key").fill("production");
    await dialog.getByRole("button", { name: "Create environment" }).click();
    await dialog.getByRole("alert").filter({ hasText: "production" }).waitFor();
    expect((await server.request("GET", "/projects/demo/environments")).body).toHaveLength(4);
    await page.context().close();
  });

  it("shows a reader the keys but no rotate or create control", async () => {
    const page = await adminPage(READER);
    await page.goto("/p/demo/environments");
    await page.getByRole("note").filter({ hasText: "Only admins" }).waitFor();
    await page.getByRole("button", { name: "Copy client SDK key of Production" }).waitFor();
    expect(await page.getByRole("button", { name: /Rotate keys/ }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "New environment" }).count()).toBe(0);
    await page.context().close();
  });
});
