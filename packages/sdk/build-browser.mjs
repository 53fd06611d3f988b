// Builds the browser bundle the server serves at /sdk/js/vexil.min.js: @vexil/sdk/browser as one minified
// script defining the global `Vexil` (a <script> tag is enough), from the TypeScript sources.
//
//   node packages/sdk/build-browser.mjs      (part of `npm run build`)

import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const outfile = path.join(here, "dist/browser/vexil.min.js");

const result = await build({
  entryPoints: [path.join(here, "src/browser.ts")],
  bundle: true,
  write: false,
  format: "iife",
  globalName: "Vexil",
  minify: true,
  platform: "browser",
  conditions: ["source"],
  target: "es2022",
  legalComments: "none",
  logLevel: "error",
});
mkdirSync(path.dirname(outfile), { recursive: true });
writeFileSync(outfile, result.outputFiles[0].contents);
console.log(`${path.relative(process.cwd(), outfile)}: ${result.outputFiles[0].contents.byteLength} bytes`);
