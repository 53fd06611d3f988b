// What LaunchDarkly's client-side SDKs receive (/sdk/evalx, /eval streams): every flag already evaluated
// for one context, by Vexil's engine (bucketing as the flag says: LAUNCHDARKLY mode draws as LaunchDarkly
// does), in LaunchDarkly's client-side shape. Pure. Reasons follow the server-side model (ld-model.ts): a
// rule without a segment is the fallthrough, a rule with one is a RULE_MATCH, so both kinds of SDK report
// the same reason and their experiment events resolve to the same Vexil rule (ld-events.ts).

import type { CompiledFlag, EvaluationResult, Evaluator, Visitor } from "@vexil/engine";
import type { LdModel } from "../launchdarkly-model/ld-model.js";
import { ofrepValue, valueShape } from "../ofrep/ofrep-values.js";

/** LaunchDarkly's evaluation reason. */
export type LdReason =
  | { kind: "OFF" }
  | { kind: "FALLTHROUGH"; inExperiment?: true }
  | { kind: "RULE_MATCH"; ruleIndex: number; ruleId: string; inExperiment?: true }
  | { kind: "ERROR"; errorKind: "MALFORMED_FLAG" };

/** One flag as a client-side SDK stores it. */
export interface LdClientFlag {
  value: unknown;
  variation?: number;
  /** Grows with every change and schedule step of the environment: SDKs apply a patch only if newer. */
  version: number;
  /** The flag's own version (sent back in the SDK's events). */
  flagVersion: number;
  /** True for evaluations in an experiment: the SDK then sends full feature events (exposures). */
  trackEvents: boolean;
  /** True when the SDK must send the reason in its events (experiments). */
  trackReason: boolean;
  reason?: LdReason;
}

function reasonOf(flag: CompiledFlag, model: LdModel, result: EvaluationResult): LdReason {
  if (result.reason === "ERROR") return { kind: "ERROR", errorKind: "MALFORMED_FLAG" };
  if (result.reason === "DISABLED") return { kind: "OFF" };
  const inExperiment = result.inExperiment ? { inExperiment: true as const } : {};
  const rule = result.ruleId === undefined ? undefined : flag.rules.find((r) => r.id === result.ruleId);
  if (!rule) return { kind: "FALLTHROUGH" };
  if (rule.segmentId === undefined || rule.segmentId === null)
    return { kind: "FALLTHROUGH", ...inExperiment };
  const ruleId = String(rule.id);
  // The rule's place among the LaunchDarkly rules (the flag's rules with a segment when it is not servable).
  const served = model.flags[flag.key]?.rules.findIndex((r) => r.id === ruleId) ?? -1;
  const ruleIndex =
    served >= 0
      ? served
      : flag.rules.filter((r) => r.segmentId !== undefined && r.segmentId !== null).indexOf(rule);
  return { kind: "RULE_MATCH", ruleIndex, ruleId, ...inExperiment };
}

/** One flag's evaluation for a client-side SDK; the reason is always sent for experiments. */
export function clientFlag(
  flag: CompiledFlag,
  model: LdModel,
  result: EvaluationResult,
  withReasons: boolean,
): LdClientFlag {
  const reason = reasonOf(flag, model, result);
  const index = flag.variations.findIndex((v) => v.key === result.variationKey);
  const tracked = result.inExperiment;
  const evaluated = reason.kind !== "ERROR" && index >= 0;
  return {
    // A null value makes the SDK answer the application's default, as for LaunchDarkly's malformed flags.
    value: evaluated ? ofrepValue(valueShape(flag), result) : null,
    ...(evaluated ? { variation: index } : {}),
    version: model.version,
    flagVersion: flag.version,
    trackEvents: tracked,
    trackReason: tracked,
    ...(withReasons || tracked ? { reason } : {}),
  };
}

/**
 * Every flag evaluated for `visitor` at `now`; none when the project's flags are not available to
 * client-side SDKs (LaunchDarkly's clientSideAvailability.usingEnvironmentId, a project setting in Vexil).
 */
export function clientFlags(
  evaluator: Evaluator,
  model: LdModel,
  visitor: Visitor,
  options: { available: boolean; withReasons: boolean; now: number },
): Record<string, LdClientFlag> {
  const out: Record<string, LdClientFlag> = {};
  if (!options.available) return out;
  const results = evaluator.evaluateAll(visitor, options.now);
  for (const [key, flag] of Object.entries(evaluator.payload.flags)) {
    const result = results[key];
    if (result) out[key] = clientFlag(flag, model, result, options.withReasons);
  }
  return out;
}
