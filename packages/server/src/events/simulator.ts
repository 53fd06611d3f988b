import { createEvaluator, type EvaluationPayload } from "@vexil/engine";
import type { AnalyticsEvent, ExposureEvent } from "../analytics/analytics-store.js";
import { normalDraw, seededRandom } from "../analytics/seeded-random.js";

export interface SimulationOptions {
  payload: EvaluationPayload;
  featureKey: string;
  visitors: number;
  goalId: number;
  /** True conversion probability per variation key; every variation the flag can serve needs one. */
  rates: Record<string, number>;
  /** When set, each conversion carries a value drawn from normal(mean, sd) (revenue, basket size…). */
  values?: { mean: number; sd: number } | undefined;
  /** Exposures spread uniformly over the `days` days before `end`. */
  days: number;
  end: number;
  seed: number;
  /** Events per yielded batch. */
  batchSize?: number;
}

const browsers = ["Chrome", "Safari", "Firefox", "Edge"];
const deviceTypes = ["Desktop", "Phone", "Tablet"];
const systems = ["Windows", "macOS", "iOS", "Android", "Linux"];
const countries = ["FR", "US", "DE", "GB", "JP", "BR"];

const pick = <T>(random: () => number, values: readonly T[]): T =>
  values[Math.floor(random() * values.length)] as T;

/** Checks that every variation of the flag has a rate in [0, 1]; returns the problems found. */
export function rateProblems(
  payload: EvaluationPayload,
  featureKey: string,
  rates: Record<string, number>,
): string[] {
  const flag = payload.flags[featureKey];
  if (!flag)
    return [`flag '${featureKey}' is not in environment '${payload.environmentKey}' (archived or unknown)`];
  const problems: string[] = [];
  for (const variation of flag.variations) {
    const rate = rates[variation.key];
    if (rate === undefined) problems.push(`no rate for variation '${variation.key}'`);
    else if (!(rate >= 0 && rate <= 1)) problems.push(`rate of '${variation.key}' must be within [0, 1]`);
  }
  for (const key of Object.keys(rates)) {
    if (!flag.variations.some((v) => v.key === key)) problems.push(`flag has no variation '${key}'`);
  }
  return problems;
}

/**
 * Generates visitors, evaluates each through the real engine (so the split is the flag's own), and draws
 * conversions from the true rates. Deterministic for a seed (times are relative to `end`). Yields batches.
 */
export function* simulateTraffic(
  options: SimulationOptions,
): Generator<{ events: AnalyticsEvent[]; visitorsDone: number }> {
  const random = seededRandom(options.seed);
  const evaluator = createEvaluator(options.payload);
  const { projectKey, environmentKey } = options.payload;
  const flag = options.payload.flags[options.featureKey];
  const span = options.days * 86_400_000;
  const batchSize = options.batchSize ?? 1000;
  let batch: AnalyticsEvent[] = [];
  for (let i = 0; i < options.visitors; i++) {
    const visitorCode = `sim-${options.seed}-${i}`;
    const attributes: ExposureEvent["attributes"] = {
      browser: pick(random, browsers),
      deviceType: pick(random, deviceTypes),
      os: pick(random, systems),
      country: pick(random, countries),
      newVisitor: random() < 0.6,
    };
    const time = Math.floor(options.end - span + random() * span);
    const result = evaluator.evaluate(options.featureKey, { code: visitorCode, attributes }, time);
    const converts = random() < (options.rates[result.variationKey] ?? 0);
    const conversionDelay = Math.floor(random() * 3600_000);
    const value = options.values ? normalDraw(random, options.values.mean, options.values.sd) : 1;
    // Only visitors who entered a rule are exposed; the rest never saw the feature decided.
    if (result.ruleId === undefined) continue;
    const visitId = `${visitorCode}-1`;
    batch.push({
      kind: "exposure",
      projectKey,
      environmentKey,
      visitorCode,
      visitId,
      featureKey: options.featureKey,
      flagId: flag?.id ?? 0,
      ruleId: result.ruleId,
      experimentId: result.experimentId ?? null,
      variationKey: result.variationKey,
      time,
      attributes,
    });
    if (converts) {
      batch.push({
        kind: "conversion",
        projectKey,
        environmentKey,
        visitorCode,
        visitId,
        goalId: options.goalId,
        value,
        time: Math.min(time + conversionDelay, options.end - 1),
        attributes,
      });
    }
    if (batch.length >= batchSize) {
      yield { events: batch, visitorsDone: i + 1 };
      batch = [];
    }
  }
  if (batch.length > 0) yield { events: batch, visitorsDone: options.visitors };
}
