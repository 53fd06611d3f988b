// Browser bundle size of the SDK, next to the engine alone and a peer SDK doing the same job (flags +
// streaming + event tracking): GrowthBook's JavaScript SDK. Two Vexil clients: `createClient` evaluates
// locally (it holds the engine and the environment's rules: server-side key), `createBrowserClient` holds
// the answers the server evaluates for the page's visitor (public client-side key, no engine); GrowthBook
// evaluates locally in both cases.
//
//   npx tsx --conditions=source bench/sdk-bundle-size.ts
//
// Each row is one esbuild bundle (format esm, minified, platform browser, "source" condition so workspace
// packages are read from their TypeScript) of a tiny entry that keeps what the row names alive. Sizes are
// bytes of the minified output and of its gzip (zlib, level 9).

import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

interface Row {
  name: string;
  /** Entry source; it must keep the measured API alive (export it). */
  entry: string;
}

const rows: Row[] = [
  { name: "@vexil/engine (all exports)", entry: `export * from "@vexil/engine";` },
  { name: "@vexil/engine (createEvaluator only)", entry: `export { createEvaluator } from "@vexil/engine";` },
  { name: "@vexil/sdk (all exports, engine included)", entry: `export * from "@vexil/sdk";` },
  { name: "@vexil/sdk (createClient only)", entry: `export { createClient } from "@vexil/sdk";` },
  {
    name: "@vexil/sdk/browser (all exports: what /sdk/js/vexil.min.js holds)",
    entry: `export * from "@vexil/sdk/browser";`,
  },
  {
    name: "peer: @growthbook/growthbook (GrowthBook)",
    entry: `export { GrowthBook } from "@growthbook/growthbook";`,
  },
];

async function measure(row: Row): Promise<{ raw: number; gzip: number }> {
  const result = await build({
    stdin: { contents: row.entry, resolveDir: root, sourcefile: "entry.ts", loader: "ts" },
    bundle: true,
    write: false,
    format: "esm",
    minify: true,
    platform: "browser",
    conditions: ["source"],
    target: "es2022",
    legalComments: "none",
    logLevel: "error",
  });
  const code = result.outputFiles[0]!.contents;
  return { raw: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

const kib = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;

const measured: { name: string; raw: number; gzip: number }[] = [];
for (const row of rows) measured.push({ name: row.name, ...(await measure(row)) });

const engine = measured[0]!;
const sdk = measured[2]!;
const peer = measured[measured.length - 1]!;
console.log("Browser bundle sizes (esbuild: esm, minify, platform browser; gzip: zlib level 9)\n");
console.log("| bundle | minified | gzip |");
console.log("|---|---:|---:|");
for (const m of measured)
  console.log(`| ${m.name} | ${m.raw} B (${kib(m.raw)}) | ${m.gzip} B (${kib(m.gzip)}) |`);
console.log(
  `| SDK on top of the engine (difference) | ${sdk.raw - engine.raw} B (${kib(sdk.raw - engine.raw)}) | ${sdk.gzip - engine.gzip} B (${kib(sdk.gzip - engine.gzip)}) |`,
);
for (const m of measured.slice(2, -1))
  console.log(`| ${m.name} / GrowthBook (gzip) | | ${(m.gzip / peer.gzip).toFixed(2)}x |`);
console.log(
  "\nThe OpenFeature provider (@vexil/sdk/openfeature) is server-side and not part of these bundles.",
);
