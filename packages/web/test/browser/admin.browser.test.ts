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
  WRITER,
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

/** Creates a console user through the API (the admin token) and returns its id. */
async function createUser(email: string, role: string, projectKey: string | null, password: string) {
  const created = await server.request("POST", "/users", { body: { email, role, projectKey, password } });
  expect(created.status, created.text).toBe(201);
  return created.body.user.id as number;
}

describe("API tokens", () => {
  it("creates a token whose secret is shown once and works, then revokes it after confirming", async () => {
    const page = await adminPage();
    await page.goto("/p/demo/tokens");
    await page.getByRole("table", { name: "API tokens" }).waitFor();
    await page.getByRole("button", { name: "New token" }).click();
    const dialog = page.getByRole("dialog", { name: "New API token" });
    await dialog.getByLabel("Name").fill("CI deploys");
    await dialog.getByRole("combobox", { name: "Role", exact: true }).click();
    await page.getByRole("option", { name: "writer" }).click();
    await dialog.getByRole("button", { name: "Create token" }).click();
    const shown = page.getByRole("dialog", { name: "Token created" });
    const secret = await shown.getByRole("textbox", { name: "New token secret", exact: true }).inputValue();
    expect(await seriousViolations(page)).toEqual([]);
    await shown.getByRole("button", { name: "Copy New token secret" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await shown.getByRole("button", { name: "Done" }).click();

    // The secret is a writer of project demo, as chosen: it reads demo, may not create projects.
    expect((await server.request("GET", "/projects/demo", { token: secret })).status).toBe(200);
    const project = { key: "ci_project", name: "CI" };
    expect((await server.request("POST", "/projects", { token: secret, body: project })).status).toBe(403);
    const row = page.getByRole("row").filter({ hasText: "CI deploys" });
    expect(await row.getByRole("cell").allInnerTexts()).toEqual(
      expect.arrayContaining(["CI deploys", "writer", "demo", "API"]),
    );
    // Shown once: the list never carries the secret.
    expect(await page.content()).not.toContain(secret);
    await screenshot(page, "tokens");

    await row.getByRole("button", { name: "Revoke CI deploys" }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke CI deploys?" });
    await confirm.getByRole("button", { name: "Cancel" }).click();
    expect((await server.request("GET", "/projects/demo", { token: secret })).status).toBe(200);
    await row.getByRole("button", { name: "Revoke CI deploys" }).click();
    await confirm.getByRole("button", { name: "Revoke" }).click();
    await row.waitFor({ state: "detached" });
    expect((await server.request("GET", "/projects/demo", { token: secret })).status).toBe(401);
    await page.context().close();
  });

  it("shows a project-scoped admin only its project's tokens and no all-projects scope", async () => {
    for (const name of ["global ops", "demo ops"]) {
      const body = { name, role: "reader", ...(name === "demo ops" ? { projectKey: "demo" } : {}) };
      expect((await server.request("POST", "/tokens", { body })).status).toBe(201);
    }
    const scoped = { email: "demo-admin@example.com", password: "demo admin pass" };
    await createUser(scoped.email, "admin", "demo", scoped.password);
    const page = await adminPage(scoped);
    await page.goto("/p/demo/tokens");
    await page.getByRole("row").filter({ hasText: "demo ops" }).waitFor();
    expect(await page.getByRole("row").filter({ hasText: "global ops" }).count()).toBe(0);
    await page.getByRole("button", { name: "New token" }).click();
    const dialog = page.getByRole("dialog", { name: "New API token" });
    await dialog.getByRole("combobox", { name: "Project scope", exact: true }).click();
    expect(await page.getByRole("option").allInnerTexts()).toEqual(["Project demo"]);
    await page.context().close();
  });

  it("tells a reader that tokens are for admins, and the API refuses the reader's session", async () => {
    const page = await adminPage(READER);
    await page.goto("/p/demo/tokens");
    await page.getByRole("note").filter({ hasText: "Only admins see and manage API tokens" }).waitFor();
    expect(await page.getByRole("button", { name: "New token" }).count()).toBe(0);
    const status = await page.evaluate(async () => (await fetch("/tokens")).status);
    expect(status).toBe(403);
    await page.context().close();
  });
});

describe("users", () => {
  it("creates a user with a generated password shown once, which signs in", async () => {
    const page = await adminPage();
    await page.goto("/p/demo/users");
    await page.getByRole("table", { name: "Users" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "New user" }).click();
    const dialog = page.getByRole("dialog", { name: "New user" });
    await dialog.getByLabel("Email").fill("Grace@Example.com");
    await dialog.getByRole("combobox", { name: "Role", exact: true }).click();
    await page.getByRole("option", { name: "writer" }).click();
    await dialog.getByRole("combobox", { name: "Project scope", exact: true }).click();
    await page.getByRole("option", { name: "Demo" }).click();
    await dialog.getByRole("button", { name: "Create user" }).click();
    const shown = page.getByRole("dialog", { name: "User grace@example.com created" });
    const password = await shown
      .getByRole("textbox", { name: "Generated password", exact: true })
      .inputValue();
    expect(password.length).toBeGreaterThanOrEqual(10);
    await shown.getByRole("button", { name: "Done" }).click();
    const row = page.getByRole("row").filter({ hasText: "grace@example.com" });
    expect(
      await row.getByRole("combobox", { name: "Role of grace@example.com", exact: true }).inputValue(),
    ).toBe("writer");
    await screenshot(page, "users");

    const grace = await signedInPage(browser, server.baseUrl, { email: "grace@example.com", password });
    const me = await grace.evaluate(async () => (await fetch("/session")).json());
    expect(me.user).toMatchObject({ email: "grace@example.com", role: "writer", projectKey: "demo" });
    await grace.context().close();
    await page.context().close();
  });

  it("changes role and scope, disables after confirming, resets a password; never one's own row", async () => {
    const id = await createUser("lin@example.com", "reader", null, "lin password 1");
    const page = await adminPage();
    await page.goto("/p/demo/users");
    const row = page.getByRole("row").filter({ hasText: "lin@example.com" });
    await row.getByRole("combobox", { name: "Role of lin@example.com", exact: true }).click();
    await page.getByRole("option", { name: "admin" }).click();
    await page.getByText("lin@example.com updated").first().waitFor();
    await row.getByRole("combobox", { name: "Project scope of lin@example.com", exact: true }).click();
    await page.getByRole("option", { name: "Demo" }).click();
    await expect.poll(async () => (await user(id)).projectKey).toBe("demo");
    expect(await user(id)).toMatchObject({ role: "admin", projectKey: "demo", disabled: false });

    await row.getByRole("button", { name: "Disable lin@example.com" }).click();
    await page
      .getByRole("dialog", { name: "Disable lin@example.com?" })
      .getByRole("button", { name: "Disable" })
      .click();
    await row.getByRole("button", { name: "Enable lin@example.com" }).waitFor();
    expect((await user(id)).disabled).toBe(true);

    await row.getByRole("button", { name: "Reset password of lin@example.com" }).click();
    await page.getByRole("button", { name: "Reset password", exact: true }).click();
    const fresh = await page.getByRole("textbox", { name: "New password", exact: true }).inputValue();
    await page.getByRole("button", { name: "Done" }).click();
    await row.getByRole("button", { name: "Enable lin@example.com" }).click();
    await expect.poll(async () => (await user(id)).disabled).toBe(false);
    const signIn = (password: string) =>
      server.request("POST", "/session", { token: null, body: { email: "lin@example.com", password } });
    expect((await signIn("lin password 1")).status).toBe(401);
    expect((await signIn(fresh)).status).toBe(200);

    // One's own row cannot be demoted, rescoped or disabled from here.
    const own = page.getByRole("row").filter({ hasText: ADMIN.email });
    expect(
      await own.getByRole("combobox", { name: `Role of ${ADMIN.email}`, exact: true }).isDisabled(),
    ).toBe(true);
    expect(await own.getByRole("button", { name: `Disable ${ADMIN.email}` }).isDisabled()).toBe(true);
    await page.context().close();
  });

  it("refuses a taken email with the server's message at the form", async () => {
    const page = await adminPage();
    await page.goto("/p/demo/users");
    await page.getByRole("button", { name: "New user" }).click();
    const dialog = page.getByRole("dialog", { name: "New user" });
    await dialog.getByLabel("Email").fill(READER.email);
    await dialog.getByRole("button", { name: "Create user" }).click();
    await dialog.getByRole("alert").filter({ hasText: "exists" }).waitFor();
    await page.context().close();
  });

  it("shows no user management to a writer, and the API refuses it", async () => {
    const page = await adminPage(WRITER);
    await page.goto("/p/demo/users");
    await page.getByRole("note").filter({ hasText: "Only admins of every project" }).waitFor();
    expect(await page.getByRole("table", { name: "Users" }).count()).toBe(0);
    const status = await page.evaluate(async () => (await fetch("/users")).status);
    expect(status).toBe(403);
    await page.context().close();
  });
});

async function user(id: number) {
  const users = await server.request("GET", "/users");
  return users.body.find((u: { id: number }) => u.id === id);
}
