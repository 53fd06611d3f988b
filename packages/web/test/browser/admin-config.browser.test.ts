import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Locator, Page } from "playwright-core";
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

// Webhooks, the audit log and goals against a real server and Chromium; webhooks deliver to a real
// receiver on this machine (hence VEXIL_CALLBACK_ALLOW_PRIVATE).
let server: TestServer;
let browser: Browser;
let receiver: http.Server;
let receiverUrl: string;
const received: { path: string; body: string }[] = [];
beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ path: request.url ?? "", body });
      // /fail answers 500, so its deliveries show a failed answer and are retried.
      response.writeHead(request.url === "/fail" ? 500 : 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  [server, browser] = await Promise.all([
    startConsoleServer({ VEXIL_CALLBACK_ALLOW_PRIVATE: "true" }),
    launchChromium(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

const open = (person: { email: string; password: string }) =>
  signedInPage(browser, server.baseUrl, person, { bypassCSP: true });

/** Flips a demo flag's staging switch through the API: one flag change, one delivery per webhook. */
async function changeFlag(enabled: boolean) {
  const patched = await server.request("PATCH", "/feature-flags/demo/new_checkout/staging", {
    body: { featureEnabled: enabled },
  });
  expect(patched.status, patched.text).toBe(200);
}

async function deliveries(id: string) {
  return (await server.request("GET", `/api/v2/webhooks/${id}/deliveries`)).body.items as {
    status: string;
    attempts: number;
    responseStatus: number | null;
  }[];
}

/** Adds a value to a tags input, then leaves it, so its suggestions no longer cover the dialog's buttons. */
async function addTag(page: Page, input: Locator, value: string) {
  await input.fill(value);
  await input.press("Enter");
  await input.blur();
  await expect.poll(() => page.getByRole("listbox").count()).toBe(0);
}

async function pickOption(page: Page, label: string, option: string) {
  await page.getByRole("combobox", { name: label, exact: true }).click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

describe("webhooks", () => {
  it("creates, edits and deletes a webhook, with each delivery's status, attempts and response code", async () => {
    const page = await open(ADMIN);
    await page.goto("/p/demo/webhooks");
    await page.getByRole("heading", { name: "No webhook yet" }).or(page.getByRole("table")).first().waitFor();
    await page.getByRole("button", { name: "New webhook" }).click();
    const form = page.getByRole("dialog", { name: "New webhook" });
    await form.getByLabel("Name").fill("Deploy log");
    await form.getByLabel("URL").fill(`${receiverUrl}/ok`);
    await form.getByRole("button", { name: "Create webhook" }).click();
    await form.waitFor({ state: "hidden" });
    const list = (await server.request("GET", "/api/v2/webhooks")).body.items;
    const hook = list.find((w: { name?: string }) => w.name === "Deploy log");
    // Signing is on by default and, with no secret given, the server generated one.
    expect(hook).toMatchObject({ url: `${receiverUrl}/ok`, sign: true, on: true });
    expect(hook.secret).toMatch(/^[0-9a-f]{64}$/);

    await changeFlag(true);
    await expect.poll(async () => (await deliveries(hook._id))[0]?.status).toBe("DELIVERED");
    await page.getByRole("button", { name: "Deliveries of Deploy log" }).click();
    const log = page.getByRole("table", { name: "Deliveries of Deploy log" });
    const first = log.getByRole("row").nth(1);
    await first.waitFor();
    // Created, change, status, attempts, response code: one attempt answered 200 by the receiver.
    expect((await first.getByRole("cell").allInnerTexts()).slice(2, 5)).toEqual(["DELIVERED", "1", "200"]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "webhooks");

    // Edit: point it at the failing path; the next change's delivery shows the 500 answer.
    await page.getByRole("button", { name: "Edit Deploy log" }).click();
    const edit = page.getByRole("dialog", { name: "Edit webhook Deploy log" });
    await edit.getByLabel("URL").fill(`${receiverUrl}/fail`);
    await addTag(page, edit.getByLabel("Tags"), "ops");
    await edit.getByRole("button", { name: "Save webhook" }).click();
    await edit.waitFor({ state: "hidden" });
    const edited = (await server.request("GET", `/api/v2/webhooks/${hook._id}`)).body;
    // A blank secret field keeps the secret.
    expect(edited).toMatchObject({ url: `${receiverUrl}/fail`, tags: ["ops"], secret: hook.secret });
    await changeFlag(false);
    await expect.poll(async () => (await deliveries(hook._id))[0]?.responseStatus).toBe(500);
    await page.getByRole("button", { name: "Deliveries of Deploy log" }).click();
    await page.reload();
    await page.getByRole("button", { name: "Deliveries of Deploy log" }).click();
    const failed = log.getByRole("row").filter({ hasText: "500" }).first();
    await failed.waitFor();
    expect(await failed.getByRole("cell").nth(2).innerText()).not.toBe("DELIVERED");
    expect(await failed.innerText()).toMatch(/500/);

    await page.getByRole("button", { name: "Delete Deploy log" }).click();
    await page
      .getByRole("dialog", { name: "Delete webhook Deploy log?" })
      .getByRole("button", { name: "Delete" })
      .click();
    await page.getByRole("button", { name: "Edit Deploy log" }).waitFor({ state: "detached" });
    expect((await server.request("GET", `/api/v2/webhooks/${hook._id}`)).status).toBe(404);
    await page.context().close();
  });

  it("shows the server's refusal of a bad URL and of a policy statement, then saves the statement", async () => {
    const page = await open(ADMIN);
    await page.goto("/p/demo/webhooks");
    await page.getByRole("button", { name: "New webhook" }).click();
    const form = page.getByRole("dialog", { name: "New webhook" });
    await form.getByLabel("URL").fill("not a url");
    await form.getByRole("button", { name: "Create webhook" }).click();
    await form.getByRole("alert").filter({ hasText: "url" }).waitFor();
    await form.getByLabel("URL").fill(`${receiverUrl}/policy`);
    // A statement naming a project, not flags: the server refuses it and nothing is created.
    await form.getByRole("button", { name: "Add statement" }).click();
    const resources = form.getByLabel("Statement 1 resources", { exact: true });
    await resources.press("Backspace"); // drops the default proj/demo:env/*:flag/*
    await addTag(page, resources, "proj/demo");
    const before = (await server.request("GET", "/api/v2/webhooks")).body.totalCount;
    await form.getByRole("button", { name: "Create webhook" }).click();
    await form.getByRole("alert").filter({ hasText: "names a project or environment" }).waitFor();
    expect((await server.request("GET", "/api/v2/webhooks")).body.totalCount).toBe(before);
    expect(await seriousViolations(page)).toEqual([]);

    // Fixed: deny on/off changes of every flag but production's.
    await resources.press("Backspace");
    await addTag(page, resources, "proj/demo:env/production:flag/*");
    await pickOption(page, "Statement 1 effect", "Deny");
    await pickOption(page, "Statement 1 resources match", "Every flag but those listed");
    const actions = form.getByLabel("Statement 1 actions", { exact: true });
    await actions.press("Backspace");
    await addTag(page, actions, "updateOn");
    await form.getByRole("button", { name: "Create webhook" }).click();
    await form.waitFor({ state: "hidden" });
    const hook = (await server.request("GET", "/api/v2/webhooks")).body.items.find(
      (w: { url: string }) => w.url === `${receiverUrl}/policy`,
    );
    expect(hook.statements).toEqual([
      { effect: "deny", notResources: ["proj/demo:env/production:flag/*"], actions: ["updateOn"] },
    ]);
    // The edit dialog shows the stored statement in the same controls.
    await page.getByRole("button", { name: `Edit ${receiverUrl}/policy` }).click();
    const edit = page.getByRole("dialog", { name: `Edit webhook ${receiverUrl}/policy` });
    await edit.getByRole("group", { name: "Statement 1" }).waitFor();
    expect(await edit.getByRole("combobox", { name: "Statement 1 effect", exact: true }).inputValue()).toBe(
      "Deny",
    );
    expect(await edit.getByRole("group", { name: "Statement 1" }).innerText()).toContain("updateOn");
    await page.context().close();
  });
});

describe("audit log", () => {
  it("filters by resource, actor and date, and shows a change's fields before and after", {
    timeout: 240_000,
  }, async () => {
    const goal = await server.request("POST", "/goals", { body: { siteCode: "demo", name: "Audit probe" } });
    expect(goal.status, goal.text).toBe(201);
    const writer = await open(WRITER);
    // The writer renames the goal through the console's own API call (so the actor is the writer).
    const renamed = await writer.evaluate(async (id) => {
      const session = await (await fetch("/session")).json();
      const response = await fetch(`/goals/${id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", "x-csrf-token": session.csrfToken },
        body: JSON.stringify({ name: "Audit probe renamed" }),
      });
      return response.status;
    }, goal.body.id);
    expect(renamed).toBe(200);

    const page = await open(ADMIN);
    await page.goto("/p/demo/audit");
    await page.getByRole("textbox", { name: "Actor" }).waitFor();
    await pickOption(page, "Resource", "goal");
    await page.getByLabel("Resource id", { exact: true }).fill(String(goal.body.id));
    const entry = page.getByRole("button", {
      name: new RegExp(`goal\\.update.*writer@example\\.com.*goal ${goal.body.id} in demo`),
    });
    // This goal has two entries: created by the admin token, renamed by the writer.
    await page.getByText("2 changes", { exact: true }).waitFor();
    await page.getByLabel("Actor").fill("writer@");
    await page.getByText("1 change", { exact: true }).waitFor();
    await entry.waitFor();
    await entry.click();
    const row = page.getByRole("row").filter({ hasText: /^name/ });
    expect(await row.getByRole("cell").allInnerTexts()).toEqual([
      "name",
      "Audit probe",
      "Audit probe renamed",
    ]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "audit-log");

    // Today's entries are in; from tomorrow on there is none.
    const today = await page.evaluate(() => {
      const d = new Date();
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    });
    await page.getByLabel("From", { exact: true }).fill(today);
    await page.getByLabel("To", { exact: true }).fill(today);
    await entry.waitFor();
    const tomorrow = new Date(`${today}T12:00:00Z`);
    tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
    await page.getByLabel("From", { exact: true }).fill(tomorrow.toISOString().slice(0, 10));
    await page.getByLabel("To", { exact: true }).fill(tomorrow.toISOString().slice(0, 10));
    await page.getByRole("heading", { name: "No change matches" }).waitFor();
    await writer.context().close();
    await page.context().close();
  });
});

describe("goals and metrics", () => {
  // Two dialogs and two axe runs: longer than the default minute on this shared machine.
  it("creates and edits a goal, and LaunchDarkly's metrics view shows it", { timeout: 240_000 }, async () => {
    const page = await open(WRITER);
    await page.goto("/p/demo/goals");
    await page
      .getByRole("table", { name: "Goals" })
      .getByRole("row")
      .filter({ hasText: "Purchase" })
      .waitFor();
    await page.getByRole("button", { name: "New goal" }).click();
    const form = page.getByRole("dialog", { name: "New goal" });
    await form.getByLabel("Name").fill("Revenue");
    await form.getByLabel("Event key").fill("order_paid");
    await form.getByLabel("Numeric (a value per conversion, e.g. revenue)").check({ force: true });
    await form.getByLabel("Unit").fill("EUR");
    await form.getByRole("button", { name: "Create goal" }).click();
    await form.waitFor({ state: "hidden" });
    const goals = (await server.request("GET", "/goals?siteCode=demo")).body;
    const revenue = goals.find((g: { name: string }) => g.name === "Revenue");
    expect(revenue).toMatchObject({ key: "revenue", eventKey: "order_paid", isNumeric: true, unit: "EUR" });
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Edit Revenue" }).click();
    const edit = page.getByRole("dialog", { name: "Edit goal Revenue" });
    await pickOption(page, "Success criterion", "Lower than baseline");
    // Capping at P99: typed as 99, stored as the fraction 0.99.
    await pickOption(page, "Capping", "Percentile cap");
    await edit.getByLabel("Cap percentile").fill("99");
    await edit.getByRole("button", { name: "Save goal" }).click();
    await edit.waitFor({ state: "hidden" });
    const edited = (await server.request("GET", `/goals/${revenue.id}`)).body;
    expect(edited).toMatchObject({
      successCriteria: "LowerThanBaseline",
      unit: "EUR",
      eventKey: "order_paid",
      cappingSettings: { type: "percentile", value: 0.99 },
    });
    // Reopened, the form shows P99; an absolute cap replaces it.
    await page.getByRole("button", { name: "Edit Revenue" }).click();
    expect(await edit.getByLabel("Cap percentile").inputValue()).toBe("99");
    await pickOption(page, "Capping", "Absolute cap");
    await edit.getByLabel("Cap per visitor").fill("250");
    await edit.getByRole("button", { name: "Save goal" }).click();
    await edit.waitFor({ state: "hidden" });
    expect((await server.request("GET", `/goals/${revenue.id}`)).body.cappingSettings).toEqual({
      type: "absolute",
      value: 250,
    });

    await page.getByRole("tab", { name: "LaunchDarkly metrics" }).click();
    const metric = page
      .getByRole("table", { name: "LaunchDarkly metrics" })
      .getByRole("row")
      .filter({ hasText: "order_paid" });
    // allInnerTexts does not wait: read the cells once the tab's table shows the row.
    await metric.waitFor();
    const cells = await metric.getByRole("cell").allInnerTexts();
    expect(cells.slice(0, 6)).toEqual([
      "revenue",
      "Revenue",
      "custom",
      "order_paid",
      "yes (EUR)",
      "LowerThanBaseline",
    ]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "goals-metrics");
    await page.context().close();
  });

  it("shows a taken key's refusal in the form", async () => {
    const page = await open(WRITER);
    await page.goto("/p/demo/goals");
    await page.getByRole("button", { name: "New goal" }).click();
    const form = page.getByRole("dialog", { name: "New goal" });
    await form.getByLabel("Name").fill("Another purchase");
    await form.getByLabel("Key", { exact: true }).fill("purchase");
    await form.getByRole("button", { name: "Create goal" }).click();
    await form.getByRole("alert").filter({ hasText: "already exists" }).waitFor();
    await page.context().close();
  });
});

describe("a reader", () => {
  // Six pages, each checked by axe: longer than the default minute on this shared machine.
  it("sees every admin and configuration page read-only, and a write attempted anyway is refused", {
    timeout: 240_000,
  }, async () => {
    const page = await open(READER);
    const notices: Record<string, string> = {
      environments: "Only admins of this project",
      tokens: "Only admins see and manage API tokens",
      webhooks: "Only admins of every project create and edit webhooks",
      users: "Only admins of every project see and manage users",
      goals: "Only writers and admins of this project",
    };
    for (const [path, notice] of Object.entries(notices)) {
      await page.goto(`/p/demo/${path}`);
      await page.getByRole("note").filter({ hasText: notice }).waitFor();
      const enabledEditors = page
        .getByRole("button", { name: /^(New |Rotate|Revoke|Edit|Delete|Disable|Reset)/ })
        .and(page.locator(":enabled"));
      expect(await enabledEditors.count(), path).toBe(0);
      expect(await seriousViolations(page), path).toEqual([]);
    }
    await page.goto("/p/demo/audit");
    await page.getByLabel("Actor").waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // The same writes the hidden controls would make, sent with the reader's session and CSRF token.
    const statuses = await page.evaluate(async () => {
      const { csrfToken } = await (await fetch("/session")).json();
      const send = async (method: string, url: string, body?: unknown) =>
        (
          await fetch(url, {
            method,
            headers: { "content-type": "application/json", "x-csrf-token": csrfToken },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          })
        ).status;
      return {
        rotate: await send("POST", "/projects/demo/environments/production/rotate-keys?keys=both"),
        environment: await send("POST", "/projects/demo/environments", { key: "sneaky", name: "Sneaky" }),
        token: await send("POST", "/tokens", { name: "sneaky", role: "admin" }),
        webhook: await send("POST", "/api/v2/webhooks", { url: "https://example.com/hook" }),
        user: await send("POST", "/users", { email: "sneaky@example.com", role: "admin" }),
        goal: await send("POST", "/goals", { siteCode: "demo", name: "Sneaky" }),
      };
    });
    expect(statuses).toEqual({
      rotate: 403,
      environment: 403,
      token: 403,
      webhook: 403,
      user: 403,
      goal: 403,
    });
    expect(
      (await server.request("GET", "/goals?siteCode=demo")).body.map((g: { name: string }) => g.name),
    ).not.toContain("Sneaky");
    await page.context().close();
  });
});
