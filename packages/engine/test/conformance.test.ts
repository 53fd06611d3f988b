// Runs the language-neutral corpus in ./conformance: the cases are data, this file only feeds them to the
// engine. Each case is evaluated through both APIs (createEvaluator and evaluateFlag), its bucket premises
// are checked against the engine and the independent reference implementation, and so are the vectors.

import { describe, expect, it } from "vitest";
import {
  bucket,
  createEvaluator,
  evaluateFlag,
  launchDarklyBucket,
  launchDarklyPrefix,
  murmurhash3,
} from "../src/index.js";
import { conformanceFiles, loadCorpusFile as load, payloadOf } from "./conformance-corpus.js";
import { referenceBucket, referenceHash } from "./reference.js";

const corpus = conformanceFiles();
let total = 0;
for (const { file, cases } of corpus) {
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
  const ld = load<{
    vectors: { flagKey: string; salt: string; seed?: number; code: string; bucket: number }[];
  }>("vectors/launchdarkly-bucketing.json").vectors;
  it.each(ld.map((v) => [v.code, v.seed ?? "none", v] as const))(
    "LaunchDarkly's published bucket of %s (seed %s)",
    (_code, _seed, v) => {
      const u = launchDarklyBucket(launchDarklyPrefix(v.flagKey, v.salt, v.seed), v.code);
      expect(Math.abs(u - v.bucket)).toBeLessThan(1e-7);
    },
  );
});
