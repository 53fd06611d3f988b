#!/usr/bin/env node
// The `vexil` command. A committed file (not dist/cli.js itself) so npm links it at install time,
// before the first build.
import { existsSync } from "node:fs";

const cli = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write("vexil: the server is not built yet; run `npm run build` first (or `npm start`).\n");
  process.exit(1);
}
await import(cli.href);
