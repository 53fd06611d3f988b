// Console speed in headless Chromium (Debian's) against an in-process server with 10,000 flags:
// - flags list: navigation until the first page of flags is interactive (switches enabled), beside the
//   bare baseline of the same list request made with fetch from the page;
// - flag page: navigation until the rules editor shows the flag's version, beside its bare GET;
// - first-load JavaScript of the sign-in and flags pages (gzip, the files the browser fetched).
// Medians of --runs navigations (7). Build the console first: npm run build -w packages/web.
// Run: npx tsx --conditions=source bench/console.bench.ts [--flags=10000] [--runs=7]
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { startTestServer } from "../packages/server/test/harness.js";
import { launchChromium, signedInPage, WRITER } from "../packages/web/test/browser/harness.js";
import { benchOptions } from "./support/options.js";
import { printTable } from "./support/table.js";

const { flags: FLAGS, runs: RUNS } = benchOptions({ flags: 10_000, runs: 7 });
const dist = path.resolve("packages/web/dist");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const server = await startTestServer({
  listen: true,
  env: { VEXIL_CONSOLE_DIR: dist, VEXIL_RATE_LIMIT_PER_MINUTE: "0" },
});
await server.request("POST", "/projects", { body: { key: "bench", name: "Bench" } });
await server.request("POST", "/users", { body: { ...WRITER, role: "writer" } });
let next = 0;
await Promise.all(
  Array.from({ length: 16 }, async () => {
    while (next < FLAGS) {
      const i = next++;
      const key = `flag_${String(i).padStart(5, "0")}`;
      await server.request("POST", "/feature-flags", {
        body: { siteCode: "bench", featureKey: key, name: `Flag ${i}`, tags: [`team${i % 10}`] },
      });
    }
  }),
);

const browser = await launchChromium();
const page = await signedInPage(browser, server.baseUrl, WRITER);
const timings = {
  list: [] as number[],
  listFetch: [] as number[],
  flag: [] as number[],
  flagFetch: [] as number[],
};
for (let run = 0; run < RUNS; run++) {
  await page.goto("about:blank");
  let start = Date.now();
  await page.goto(`${server.baseUrl}/p/bench/flags`);
  await page
    .getByRole("switch", { name: "flag_00000 in Production" })
    .and(page.locator(":enabled"))
    .waitFor();
  timings.list.push(Date.now() - start);
  timings.listFetch.push(
    await page.evaluate(async () => {
      const t = performance.now();
      await (await fetch("/feature-flags?siteCode=bench&page=1&perPage=50&archived=false&sort=name")).json();
      return performance.now() - t;
    }),
  );
  await page.goto("about:blank");
  start = Date.now();
  await page.goto(`${server.baseUrl}/p/bench/flags/flag_00042`);
  await page.getByText("flag_00042 · version 1").waitFor();
  await page.getByRole("combobox", { name: "Default variation" }).waitFor();
  timings.flag.push(Date.now() - start);
  timings.flagFetch.push(
    await page.evaluate(async () => {
      const t = performance.now();
      await (await fetch("/feature-flags/bench/flag_00042")).json();
      return performance.now() - t;
    }),
  );
}

/** gzip bytes of the JavaScript a fresh browser downloads to show a page. */
async function firstLoadJs(url: string, ready: (p: typeof page) => Promise<void>, signedIn: boolean) {
  const context = signedIn ? page.context() : await browser.newContext({ baseURL: server.baseUrl });
  const fresh = await context.newPage();
  const scripts = new Set<string>();
  fresh.on("response", (r) => {
    if (r.url().endsWith(".js")) scripts.add(new URL(r.url()).pathname);
  });
  await fresh.goto(`${server.baseUrl}${url}`);
  await ready(fresh);
  await fresh.close();
  let bytes = 0;
  for (const file of scripts) bytes += gzipSync(fs.readFileSync(path.join(dist, file))).length;
  return bytes;
}
const signInJs = await firstLoadJs("/sign-in", (p) => p.getByLabel("Email").waitFor(), false);
const flagsJs = await firstLoadJs(
  "/p/bench/flags",
  (p) => p.getByRole("link", { name: "flag_00000" }).waitFor(),
  true,
);

printTable([
  {
    measure: `flags list, ${FLAGS} flags: navigation to interactive (ms, median)`,
    console: median(timings.list),
    "bare baseline": median(timings.listFetch),
    ratio: median(timings.list) / median(timings.listFetch),
  },
  {
    measure: "flag page: navigation to editor shown (ms, median)",
    console: median(timings.flag),
    "bare baseline": median(timings.flagFetch),
    ratio: median(timings.flag) / median(timings.flagFetch),
  },
  {
    measure: "first-load JS, sign-in page (gzip KiB)",
    console: Math.round(signInJs / 1024),
    "bare baseline": "",
    ratio: "",
  },
  {
    measure: "first-load JS, flags page (gzip KiB)",
    console: Math.round(flagsJs / 1024),
    "bare baseline": "",
    ratio: "",
  },
]);
await browser.close();
await server.close();
