import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { VexilClient } from "@vexil/sdk";
import type { Browser, Page } from "playwright-core";
import { ensureDemoData } from "../../../server/src/demo/demo-project.js";
import { startTestServer, type TestServer } from "../../../server/test/harness.js";

const webDir = fileURLToPath(new URL("../..", import.meta.url));
/** The built console the server serves (scripts/check.sh builds it before the tests). */
export const consoleDist = path.join(webDir, "dist");
/** Screenshots of the main pages (ignored by git; a few are copied into docs/). */
export const screenshotDir = path.join(webDir, "test-output", "screenshots");

export const ADMIN = { email: "admin@example.com", password: "admin password 1" };
export const WRITER = { email: "writer@example.com", password: "writer password 1" };
export const READER = { email: "reader@example.com", password: "reader password 1" };

/** A real server (SQLite, or PostgreSQL with VEXIL_TEST_POSTGRES_URL) with the demo project and three people. */
export async function startConsoleServer(env: Record<string, string> = {}): Promise<TestServer> {
  if (!fs.existsSync(path.join(consoleDist, "index.html"))) {
    throw new Error(`No built console in ${consoleDist}: run npm run build -w packages/web first`);
  }
  const server = await startTestServer({ listen: true, env: { VEXIL_CONSOLE_DIR: consoleDist, ...env } });
  await ensureDemoData(server.context);
  for (const [person, role] of [
    [ADMIN, "admin"],
    [WRITER, "writer"],
    [READER, "reader"],
  ] as const) {
    const created = await server.request("POST", "/users", { body: { ...person, role } });
    if (created.status !== 201) throw new Error(`creating ${person.email}: ${created.text}`);
  }
  return server;
}

export { launchChromium } from "../../../server/test/chromium.js";

/** A fresh browser context (no cookies) signed in through the sign-in form. */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  person: { email: string; password: string },
  options: { bypassCSP?: boolean } = {},
) {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 1400, height: 900 },
    ...options,
  });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Sections" }).waitFor();
  return page;
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * axe-core's serious and critical violations on the page as it is now (rule id and first target). The
 * page's context needs bypassCSP: the console's CSP rightly refuses the injected script.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(): Promise<{
            violations: { id: string; impact: string; nodes: { target: string[]; html: string }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      target: `${v.nodes[0]?.target.join(" ") ?? ""} ${v.nodes[0]?.html.slice(0, 160) ?? ""}`,
    }));
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} at ${v.target}`);
}

/** Writes a full-page screenshot to the ignored screenshot folder. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** The server SDK key of a demo environment, as an application is configured with it. */
export async function serverSdkKey(server: TestServer, environmentKey = "production"): Promise<string> {
  const project = await server.request("GET", "/projects/demo");
  return project.body.environments.find((e: { key: string }) => e.key === environmentKey).serverSdkKey;
}

/** Shows a flag page's rules of an environment (Mantine hides a segmented control's radios behind labels). */
export async function pickEnvironment(page: Page, name: string): Promise<void> {
  await page.getByRole("radio", { name }).dispatchEvent("click");
}

/** Creates a flag from the flags list's "New flag" dialog; the page is then the new flag's page. */
export async function createFlagInConsole(page: Page, name: string, featureKey: string): Promise<void> {
  await page.goto("/p/demo/flags");
  await page.getByRole("button", { name: "New flag" }).click();
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create flag" }).click();
  await page.waitForURL(new RegExp(`/flags/${featureKey}$`));
}

/** Adds an experimentation rule (split evenly, so its allocations add up to 100 %) to the shown environment. */
export async function addExperimentRule(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Add rule" }).click();
  await page.getByRole("menuitem", { name: "Experimentation" }).click();
  await page.getByText("Total: 100 %").waitFor();
}

/** Resolves once the SDK's answers pass `check`: a change arrives over its stream, waited for, not timed. */
export function untilSdk(sdk: VexilClient, check: () => boolean): Promise<void> {
  return new Promise<void>((resolve) => {
    if (check()) return resolve();
    const off = sdk.on("change", () => {
      if (!check()) return;
      off();
      resolve();
    });
  });
}
