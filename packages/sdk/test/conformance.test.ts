// The engine's language-neutral conformance corpus, run through the SDK's public API in offline mode with
// a bootstrap payload and an injected clock: what an application sees must be what the engine specifies.

import { describe, expect, it } from "vitest";
import { conformanceFiles, payloadOf } from "../../engine/test/conformance-corpus.js";
import { createClient } from "../src/index.js";

const corpus = conformanceFiles();
let total = 0;
for (const { file, cases } of corpus) {
  total += cases.length;
  describe(`conformance ${file}`, () => {
    it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
      const { payload, featureKey } = payloadOf(c);
      const now = Date.parse(c.now);
      // The payload travels as JSON text, as an application would bootstrap it from a file or a page.
      const client = createClient({
        sdkKey: "",
        offline: true,
        bootstrap: JSON.stringify(payload),
        now: () => now,
      });
      const result = client.evaluate(featureKey, c.visitor);
      const e = c.expected;
      expect({
        variationKey: result.variationKey,
        reason: result.reason,
        inExperiment: result.inExperiment,
        errorCode: result.errorCode,
        ruleId: result.ruleId,
      }).toEqual({
        variationKey: e.variationKey,
        reason: e.reason,
        inExperiment: e.inExperiment,
        errorCode: e.errorCode,
        ruleId: e.ruleId,
      });
      if (e.ruleType !== undefined) expect(result.ruleType).toBe(e.ruleType);
      if (e.experimentId !== undefined) expect(result.experimentId).toBe(e.experimentId);
      if (e.variables !== undefined) {
        expect(result.variables).toEqual(e.variables);
        // Typed accessors agree with the result, and fall back to the default on errors.
        for (const [key, value] of Object.entries(e.variables)) {
          const fallback = Symbol("default");
          const got = client.getJson(featureKey, key, c.visitor, fallback);
          expect(got).toEqual(e.reason === "ERROR" ? fallback : value);
        }
      }
      const enabled = e.reason !== "ERROR" && e.reason !== "DISABLED" && e.variationKey !== "off";
      expect(client.isEnabled(featureKey, c.visitor)).toBe(enabled);
    });
  });
}

describe("conformance corpus", () => {
  it("is present and large", () => {
    expect(corpus.length).toBeGreaterThan(0);
    expect(total).toBeGreaterThanOrEqual(150);
  });
});
