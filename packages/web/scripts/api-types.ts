import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openServer, resolveConfig } from "@vexil/server";
import openapiTS, { astToString } from "openapi-typescript";

/** Where the generated request/response types of the console's API client live (committed). */
export const apiTypesPath = fileURLToPath(new URL("../src/api/openapi.generated.ts", import.meta.url));

/** Builds the server in-process on scratch storage and returns its OpenAPI document. */
export async function currentOpenApi(): Promise<Record<string, unknown>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vexil-openapi-"));
  const server = await openServer(
    { ...resolveConfig({ dataDir }, { VEXIL_ADMIN_TOKEN: "openapi-generation" }), automation: "off" },
    { logger: false },
  );
  try {
    await server.app.ready();
    return server.app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The TypeScript source of the API types for an OpenAPI document (openapi-typescript). */
export async function apiTypesSource(openapi: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(openapi as never, { alphabetize: true });
  return `// Generated from the server's /openapi.json by packages/web/scripts/api-types.ts; do not edit.\n// Regenerate: npm run api-types -w packages/web\n\n${astToString(ast)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const source = await apiTypesSource(await currentOpenApi());
  fs.writeFileSync(apiTypesPath, source);
  process.stdout.write(`wrote ${path.relative(process.cwd(), apiTypesPath)}\n`);
}
