// Reads the language-neutral corpus in ./conformance. Shared by the engine's test and the SDK's, which run
// the same cases through their own public APIs.

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CompiledFlag, EvaluationPayload, Segment, Visitor } from "../src/index.js";

export interface ConformanceCase {
  name: string;
  payload?: EvaluationPayload;
  flag?: CompiledFlag;
  segments?: Record<string, Segment>;
  featureKey?: string;
  visitor: Visitor;
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

/** Parses a JSON file of the corpus folder (cases or vectors). */
export const loadCorpusFile = <T>(path: string): T => JSON.parse(readFileSync(join(dir, path), "utf8")) as T;

/** Every case file of the corpus, in name order, with its cases. */
export function conformanceFiles(): { file: string; cases: ConformanceCase[] }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, cases: loadCorpusFile<{ cases: ConformanceCase[] }>(file).cases }));
}

/** The payload a case evaluates against: its own, or one built around its single flag and segments. */
export function payloadOf(c: ConformanceCase): { payload: EvaluationPayload; featureKey: string } {
  if (c.payload !== undefined) {
    return { payload: c.payload, featureKey: c.featureKey ?? Object.keys(c.payload.flags)[0]! };
  }
  const flag = c.flag!;
  return {
    payload: {
      version: 1,
      projectKey: "conformance",
      environmentKey: "test",
      // A computed key makes an own property even for keys like "__proto__".
      flags: { [flag.key]: flag },
      segments: c.segments ?? {},
    },
    featureKey: c.featureKey ?? flag.key,
  };
}
