import fs from "node:fs";
import { expect, it } from "vitest";
import { apiTypesPath, apiTypesSource, currentOpenApi } from "../scripts/api-types.js";

// The console's request and response types come from the server's schemas: a route or schema change
// without `npm run api-types -w packages/web` fails here instead of drifting silently.
it("the committed API types match the server's current OpenAPI document", async () => {
  const expected = await apiTypesSource(await currentOpenApi());
  expect(fs.readFileSync(apiTypesPath, "utf8") === expected, "run: npm run api-types -w packages/web").toBe(
    true,
  );
});
