// Runs the language-neutral corpus in ./conformance: the cases are data, this file only feeds them to the
// engine. Each case is evaluated through both APIs (createEvaluator and evaluateFlag), its bucket premises
// are checked against the engine and the independent reference implementation, and so are the vectors.

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bucket, createEvaluator, type EvaluationPayload, evaluateFlag, murmurhash3 } from "../src/index.js";
import { referenceBucket, referenceHash } from "./reference.js";

interface Case {
  name: string;
  payload?: EvaluationPayload;
  flag?: EvaluationPayload["flags"][string];
  segments?: EvaluationPayload["segments"];
  featureKey?: string;
  visitor: never;
  now: string;
  buckets?: { salt: string; code: string; bucket: number }[];
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

const dir = join(dirname(fileURLToPath(import.meta.url)), "conformance");
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort();
const load = <T>(path: string): T => JSON.parse(readFileSync(join(dir, path), "utf8")) as T;

function payloadOf(c: Case): { payload: EvaluationPayload; featureKey: string } {
  if (c.payload !== undefined)
    return { payload: c.payload, featureKey: c.featureKey ?? Object.keys(c.payload.flags)[0]! };
  const flag = c.flag!;
  return {
    payload: {
      version: 1,
      projectKey: "conformance",
      environmentKey: "test",
      flags: { [flag.key]: flag },
      segments: c.segments ?? {},
    },
    featureKey: c.featureKey ?? flag.key,
  };
}

let total = 0;
for (const file of files) {
  const { cases } = load<{ cases: Case[] }>(file);
  total += cases.length;
  describe(file, () => {
    it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
      for (const b of c.buckets ?? []) {
        expect(bucket(b.salt, b.code)).toBe(b.bucket);
        expect(referenceBucket(b.salt, b.code)).toBe(b.bucket);
      }
      const { payload, featureKey } = payloadOf(c);
      const now = Date.parse(c.now);
      const fast = createEvaluator(payload).evaluate(featureKey, c.visitor, now);
      const simple = evaluateFlag(payload, featureKey, c.visitor, now);
      expect(simple).toEqual(fast);
      const e = c.expected;
      expect({
        variationKey: fast.variationKey,
        reason: fast.reason,
        inExperiment: fast.inExperiment,
        errorCode: fast.errorCode,
        ruleId: fast.ruleId,
      }).toEqual({
        variationKey: e.variationKey,
        reason: e.reason,
        inExperiment: e.inExperiment,
        errorCode: e.errorCode,
        ruleId: e.ruleId,
      });
      if (e.ruleType !== undefined) expect(fast.ruleType).toBe(e.ruleType);
      if (e.experimentId !== undefined) expect(fast.experimentId).toBe(e.experimentId);
      if (e.variables !== undefined) expect(fast.variables).toEqual(e.variables);
    });
  });
}

describe("corpus", () => {
  it("holds at least 150 cases", () => {
    expect(total).toBeGreaterThanOrEqual(150);
  });
});

describe("vectors", () => {
  const murmur = load<{ vectors: { input: string; seed: number; hash: number }[] }>(
    "vectors/murmurhash3.json",
  ).vectors;
  it.each(murmur.map((v) => [JSON.stringify(v.input), v.seed, v]))(
    "murmurhash3 %s seed %d",
    (_s, _seed, v) => {
      expect(murmurhash3(v.input, v.seed)).toBe(v.hash);
      expect(referenceHash(v.input, v.seed)).toBe(v.hash);
    },
  );
  const buckets = load<{ vectors: { salt: string; code: string; hash: number; bucket: number }[] }>(
    "vectors/bucketing.json",
  ).vectors;
  it("bucketing vectors agree with the engine and the reference", () => {
    for (const v of buckets) {
      expect([v.salt, v.code, murmurhash3(`${v.salt}:${v.code}`), bucket(v.salt, v.code)]).toEqual([
        v.salt,
        v.code,
        v.hash,
        v.bucket,
      ]);
      expect(referenceBucket(v.salt, v.code)).toBe(v.bucket);
    }
  });
});
