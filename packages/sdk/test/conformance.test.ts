// The engine's language-neutral conformance corpus, run through the SDK's public API in offline mode with
// a bootstrap payload and an injected clock: what an application sees must be what the engine specifies.

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CompiledFlag, EvaluationPayload, Segment, Visitor } from "@vexil/engine";
import { describe, expect, it } from "vitest";
import { createClient } from "../src/index.js";

interface Case {
  name: string;
  payload?: EvaluationPayload;
  flag?: CompiledFlag;
  segments?: Record<string, Segment>;
  featureKey?: string;
  visitor: Visitor;
  now: string;
  expected: {
    variationKey: string;
    reason: string;
    inExperiment: boolean;
    errorCode?: string;
    ruleId?: number;
    ruleType?: string;
    experimentId?: number;
    variables?: Record<string, unknown>;
  };
}

const dir = join(dirname(fileURLToPath(import.meta.url)), "../../engine/test/conformance");
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort();

function payloadOf(c: Case): { payload: EvaluationPayload; featureKey: string } {
  if (c.payload !== undefined)
    return { payload: c.payload, featureKey: c.featureKey ?? Object.keys(c.payload.flags)[0]! };
  const flag = c.flag!;
  const flags: Record<string, CompiledFlag> = {};
  Object.defineProperty(flags, flag.key, {
    value: flag,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return {
    payload: {
      version: 1,
      projectKey: "conformance",
      environmentKey: "test",
      flags,
      segments: c.segments ?? {},
    },
    featureKey: c.featureKey ?? flag.key,
  };
}

let total = 0;
for (const file of files) {
  const { cases } = JSON.parse(readFileSync(join(dir, file), "utf8")) as { cases: Case[] };
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
    expect(files.length).toBeGreaterThan(0);
    expect(total).toBeGreaterThanOrEqual(150);
  });
});
