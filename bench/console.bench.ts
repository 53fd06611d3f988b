// Console speed in headless Chromium (Debian's) against an in-process server with 10,000 flags:
// - flags list: navigation until the first page of flags is interactive (switches enabled);
// - flag page: navigation until the rules editor shows the flag's version and default variation;
// each beside its bare baseline: navigation to a plain page that makes the same request and writes it out;
// - first-load JavaScript of the sign-in and flags pages (gzip, the files the browser fetched).
// Medians of --runs navigations (7). Build the console first: npm run build -w packages/web.
// Run: npx tsx --conditions=source bench/console.bench.ts [--flags=10000] [--runs=7] [--dist=packages/web/dist]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { startTestServer } from "../packages/server/test/harness.js";
import { launchChromium, signedInPage, WRITER } from "../packages/web/test/browser/harness.js";
import { benchOptions } from "./support/options.js";
import { median, printTable } from "./support/table.js";

const options = benchOptions({ flags: 10_000, runs: 7 }, ["dist"]);
const { flags: FLAGS, runs: RUNS } = options;
// --dist: another build of the console (e.g. of an older commit) to compare against.
const dist = path.resolve(options.dist ?? "packages/web/dist");

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
// The bare baseline: a plain HTML page of the same origin and session that makes the same request and
// writes the answer as links; nothing any page could skip. Served by its own page (request interception
// slows every request of the page it is set on).
const bare = await page.context().newPage();
await bare.route(`${server.baseUrl}/bench-bare/**`, (route) => {
  const api = new URL(route.request().url()).searchParams.get("api") ?? "";
  route.fulfill({
    contentType: "text/html; charset=utf-8",
    body: `<!doctype html><body><script>
      fetch(${JSON.stringify(api)}).then((r) => r.json()).then((d) => {
        for (const f of Array.isArray(d) ? d : [d]) {
          const a = document.createElement("a");
          a.href = "#"; a.textContent = f.featureKey + " · version " + f.version;
          document.body.append(a);
        }
      });
    </script></body>`,
  });
});
/** Milliseconds from navigation to `url` until `ready` resolves. */
async function navigation(p: typeof page, url: string, ready: () => Promise<unknown>) {
  await p.goto("about:blank");
  const start = performance.now();
  await p.goto(`${server.baseUrl}${url}`);
  await ready();
  return performance.now() - start;
}
const bareUrl = (api: string) => `/bench-bare/?api=${encodeURIComponent(api)}`;
const timings = {
  list: [] as number[],
  listBare: [] as number[],
  flag: [] as number[],
  flagBare: [] as number[],
};
for (let run = 0; run < RUNS; run++) {
  timings.list.push(
    await navigation(page, "/p/bench/flags", () =>
      page.getByRole("switch", { name: "flag_00000 in Production" }).and(page.locator(":enabled")).waitFor(),
    ),
  );
  timings.listBare.push(
    await navigation(
      bare,
      bareUrl("/feature-flags?siteCode=bench&page=1&perPage=50&archived=false&sort=name"),
      () => bare.getByText("flag_00000 · version 1").waitFor(),
    ),
  );
  timings.flag.push(
    await navigation(page, "/p/bench/flags/flag_00042", async () => {
      await page.getByText("flag_00042 · version 1").waitFor();
      await page.getByRole("combobox", { name: "Default variation" }).waitFor();
    }),
  );
  timings.flagBare.push(
    await navigation(bare, bareUrl("/feature-flags/bench/flag_00042"), () =>
      bare.getByText("flag_00042 · version 1").waitFor(),
    ),
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
    measure: `flags list, ${FLAGS} flags: navigation to interactive (ms, median; goal <= 1,000)`,
    console: Math.round(median(timings.list)),
    "bare baseline": Math.round(median(timings.listBare)),
    ratio: median(timings.list) / median(timings.listBare),
  },
  {
    measure: "flag page: navigation to editor shown (ms, median; goal <= 500)",
    console: Math.round(median(timings.flag)),
    "bare baseline": Math.round(median(timings.flagBare)),
    ratio: median(timings.flag) / median(timings.flagBare),
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
console.log(
  `load average (1, 5, 15 min): ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(", ")}`,
);
await browser.close();
await server.close();
