// LaunchDarkly SDK analytics events (POST /bulk) as Vexil events. Pure. `feature` events of experiment
// rollouts (reason.inExperiment) become exposures; `custom` events whose key is a goal's event key or key
// become conversions (value = metricValue); `summary` counters become per-flag evaluation counts. The
// rest (index, identify, debug, feature events outside experiments) carries nothing Vexil stores.

import type { CompiledFlag } from "@vexil/engine";
import type { WireEvent } from "../analytics/event-schema.js";
import type { LdExperimentRule, LdModel } from "../launchdarkly-model/ld-model.js";

/** What a bulk body amounts to. */
export interface LdEventsOutcome {
  events: WireEvent[];
  /** Evaluations per flag key, from summary counters. */
  evaluations: Map<string, number>;
  /** Events read but carrying nothing to store. */
  ignored: number;
}

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The key of the `user` context of an event (inline context, or contextKeys), if any. */
export function userKey(event: Json): string | undefined {
  const context = event.context;
  if (isRecord(context)) {
    if (context.kind === "multi") {
      const user = context.user;
      return isRecord(user) && typeof user.key === "string" ? user.key : undefined;
    }
    if ((context.kind ?? "user") === "user" && typeof context.key === "string") return context.key;
    return undefined;
  }
  const keys = event.contextKeys;
  if (isRecord(keys) && typeof keys.user === "string") return keys.user;
  // Older SDKs: userKey or an inline user.
  if (typeof event.userKey === "string") return event.userKey;
  if (isRecord(event.user) && typeof event.user.key === "string") return event.user.key;
  return undefined;
}

/**
 * The experiment rule behind an evaluation reason: from the served model, or, for a flag LaunchDarkly's
 * model cannot say (client-side SDKs get it evaluated by Vexil's engine), from the flag's rules: a
 * RULE_MATCH names its rule, the fallthrough is the first experiment without a segment.
 */
function experimentRule(model: LdModel, flag: CompiledFlag, reason: Json): LdExperimentRule | undefined {
  const ruleKey = reason.kind === "FALLTHROUGH" ? "fallthrough" : String(reason.ruleId);
  if (Object.hasOwn(model.experiments, flag.key)) {
    const experiments = model.experiments[flag.key]!;
    return Object.hasOwn(experiments, ruleKey) ? experiments[ruleKey] : undefined;
  }
  if (!Object.hasOwn(model.notServable, flag.key)) return undefined;
  const rule = flag.rules.find(
    (r) =>
      r.type === "EXPERIMENTATION" &&
      (ruleKey === "fallthrough"
        ? r.segmentId === undefined || r.segmentId === null
        : String(r.id) === ruleKey),
  );
  return rule && { ruleId: rule.id, experimentId: rule.experimentId ?? 0 };
}

function exposureOf(event: Json, model: LdModel, flags: Record<string, CompiledFlag>): WireEvent | undefined {
  const reason = event.reason;
  if (!isRecord(reason) || reason.inExperiment !== true) return undefined;
  const key = typeof event.key === "string" ? event.key : "";
  const flag = Object.hasOwn(flags, key) ? flags[key] : undefined;
  const code = userKey(event);
  if (!flag || code === undefined || typeof event.variation !== "number") return undefined;
  const rule = experimentRule(model, flag, reason);
  const variation = flag.variations[event.variation];
  if (!rule || !variation) return undefined;
  return {
    kind: "exposure",
    visitorCode: code,
    // LaunchDarkly's SDKs have no visits: one visit per visitor.
    visitId: code,
    featureKey: key,
    flagId: flag.id,
    ruleId: rule.ruleId,
    experimentId: rule.experimentId,
    variationKey: variation.key,
    time: typeof event.creationDate === "number" ? event.creationDate : Number.NaN,
  };
}

/**
 * Reads a bulk body: `goalOf` resolves a custom event's key to a goal id (undefined when none matches).
 * Events that are not objects are counted as ignored; the caller validates what comes out.
 */
export function readLdEvents(
  body: unknown[],
  model: LdModel,
  flags: Record<string, CompiledFlag>,
  goalOf: (eventKey: string) => number | undefined,
): LdEventsOutcome {
  const outcome: LdEventsOutcome = { events: [], evaluations: new Map(), ignored: 0 };
  for (const event of body) {
    let stored: WireEvent | undefined;
    if (isRecord(event) && event.kind === "feature") stored = exposureOf(event, model, flags);
    else if (isRecord(event) && event.kind === "custom" && typeof event.key === "string") {
      const goal = goalOf(event.key);
      const code = userKey(event);
      if (goal !== undefined && code !== undefined) {
        stored = {
          kind: "conversion",
          visitorCode: code,
          visitId: code,
          goal,
          value: typeof event.metricValue === "number" ? event.metricValue : null,
          time: typeof event.creationDate === "number" ? event.creationDate : Number.NaN,
        };
      }
    } else if (isRecord(event) && event.kind === "summary" && isRecord(event.features)) {
      for (const [key, summary] of Object.entries(event.features)) {
        if (!isRecord(summary) || !Array.isArray(summary.counters)) continue;
        let count = 0;
        for (const counter of summary.counters) {
          if (isRecord(counter) && Number.isSafeInteger(counter.count) && (counter.count as number) > 0)
            count += counter.count as number;
        }
        if (count > 0) outcome.evaluations.set(key, (outcome.evaluations.get(key) ?? 0) + count);
      }
      continue;
    }
    if (stored) outcome.events.push(stored);
    else outcome.ignored++;
  }
  return outcome;
}
