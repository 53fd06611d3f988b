/**
 * Test support for the results suites (not a test file itself): an experiment flag created through the
 * API, traffic with known true rates from the deterministic simulator (events/simulator.ts) plus the
 * extra shapes the report must handle (several goals, repeated conversions, second visits, pre-exposure
 * conversions for CUPED), and small HTTP helpers.
 */
import type { AnalyticsEvent, ConversionEvent, ExposureEvent } from "../analytics/analytics-store.js";
import { seededRandom } from "../analytics/seeded-random.js";
import type { AppContext } from "../app-context.js";
import { simulateTraffic } from "../events/simulator.js";
import { compileEnvironmentPayload } from "../flags/compile-payload.js";
import type { OpenedServer } from "../server.js";

// biome-ignore lint/suspicious/noExplicitAny: response bodies are untyped JSON
export type Json = any;

export interface Requester {
  request(
    method: string,
    url: string,
    options?: { token?: string | null; body?: unknown },
  ): Promise<{ status: number; body: Json; text: string }>;
}

/** A Requester over fastify.inject for a server opened without the test harness. */
export function injector(server: OpenedServer, adminToken: string): Requester {
  return {
    async request(method, url, options = {}) {
      const token = options.token === undefined ? adminToken : options.token;
      const headers: Record<string, string> = {};
      if (token !== null) headers.authorization = `Bearer ${token}`;
      if (options.body !== undefined) headers["content-type"] = "application/json";
      const response = await server.app.inject({
        method: method as "GET",
        url,
        headers,
        ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
      });
      let body: Json;
      try {
        body = response.body ? JSON.parse(response.body) : undefined;
      } catch {
        body = undefined;
      }
      return { status: response.statusCode, body, text: response.body };
    },
  };
}

export interface ExperimentSetup {
  flagId: number;
  featureKey: string;
  goalIds: number[];
  /** Variation id by key. */
  variationIds: Record<string, number>;
  ruleId: number;
  experimentId: number;
}

let goalCounter = 0;

/** Creates goals and a flag whose production environment has one EXPERIMENTATION rule over all traffic. */
export async function createExperiment(
  api: Requester,
  options: {
    siteCode?: string;
    featureKey: string;
    variations?: string[];
    allocations?: Record<string, number>;
    goals: { name: string; isNumeric?: boolean; lowerIsBetter?: boolean }[];
    /** Goals created but not attached to the flag. */
    otherGoals?: number;
  },
): Promise<ExperimentSetup> {
  const siteCode = options.siteCode ?? "demo";
  const goalIds: number[] = [];
  for (const goal of [
    ...options.goals,
    ...Array.from({ length: options.otherGoals ?? 0 }, (_, i) => ({ name: `Other ${i}` })),
  ]) {
    const response = await api.request("POST", "/goals", {
      body: {
        siteCode,
        name: goal.name,
        key: `goal-${++goalCounter}-${Math.random().toString(36).slice(2, 8)}`,
        ...("isNumeric" in goal && goal.isNumeric ? { isNumeric: true } : {}),
        ...("lowerIsBetter" in goal && goal.lowerIsBetter ? { successCriteria: "LowerThanBaseline" } : {}),
      },
    });
    if (response.status !== 201) throw new Error(`goal: ${response.status} ${response.text}`);
    goalIds.push(response.body.id);
  }
  const attached = goalIds.slice(0, options.goals.length);
  const variations = options.variations ?? ["off", "on"];
  const allocations =
    options.allocations ?? Object.fromEntries(variations.map((v) => [v, 100 / variations.length]));
  const response = await api.request("POST", "/feature-flags", {
    body: {
      siteCode,
      featureKey: options.featureKey,
      name: options.featureKey,
      variations: variations.map((key) => ({ key, name: key.toUpperCase() })),
      primaryGoalId: attached[0],
      secondaryGoalIds: attached.slice(1),
      environmentConfigurations: [
        {
          environmentKey: "production",
          featureEnabled: true,
          defaultVariationKey: variations[0],
          rolloutRules: [
            {
              type: "EXPERIMENTATION",
              name: "Experiment",
              exposition: 100,
              state: "ACTIVE",
              controlVariationKey: variations[0],
              trafficAllocations: variations.map((key) => ({
                variationKey: key,
                exposition: allocations[key],
              })),
            },
          ],
        },
      ],
    },
  });
  if (response.status !== 201) throw new Error(`flag: ${response.status} ${response.text}`);
  const flag = response.body;
  const rule = flag.environmentConfigurations.find((e: Json) => e.environmentKey === "production")
    .rolloutRules[0];
  return {
    flagId: flag.id,
    featureKey: flag.featureKey,
    goalIds,
    variationIds: Object.fromEntries(flag.variations.map((v: Json) => [v.key, v.id])),
    ruleId: rule.id,
    experimentId: rule.experimentId,
  };
}

export interface GoalTraffic {
  goalId: number;
  /** True conversion probability per variation key. */
  rates: Record<string, number>;
  /** Numeric goals: each conversion's value ~ normal(mean, sd). */
  values?: { mean: number; sd: number };
  /** Probability that a converting unit converts a second time (ALL_CONVERSION vs CONVERTED_VISITS). */
  repeatShare?: number;
  /**
   * CUPED covariate (goals after the first): a share of units is "engaged", independently of the
   * variation; engaged units convert `boost` times as often after exposure (the others less, so each
   * variation's rate stays `rates`) and convert 2 hours before the exposure with probability `ifEngaged`
   * (`otherwise` for the rest): a pre-period correlated with the outcome, not with the treatment.
   */
  preExposure?: { share: number; boost: number; ifEngaged: number; otherwise: number };
}

export interface TrafficOptions {
  featureKey: string;
  siteCode?: string;
  environmentKey?: string;
  visitors: number;
  seed: number;
  days?: number;
  end?: number;
  /** The first goal's conversions come from the simulator; the others are drawn here per exposure. */
  goals: GoalTraffic[];
  /** Share of visitors with a second visit (a second exposure one day later). */
  secondVisitShare?: number;
  /** A custom attribute on every exposure, drawn uniformly from `values`. */
  customAttribute?: { key: string; values: string[] };
}

/** Simulates traffic through the real engine and appends it to the analytics store; answers the event count. */
export async function simulateInto(context: AppContext, options: TrafficOptions): Promise<number> {
  const analytics = context.analytics;
  const payload = await compileEnvironmentPayload(
    context,
    options.siteCode ?? "demo",
    options.environmentKey ?? "production",
  );
  const [first, ...others] = options.goals;
  if (!first) throw new Error("at least one goal");
  const random = seededRandom(options.seed * 7919 + 17);
  // Its own stream, so adding the attribute does not change the other draws.
  const customRandom = seededRandom(options.seed * 104_729 + 3);
  const end = options.end ?? context.now();
  let appended = 0;
  let pending: AnalyticsEvent[] = [];
  const flush = async (force: boolean) => {
    if (pending.length === 0 || (!force && pending.length < 20_000)) return;
    await analytics.append(pending);
    appended += pending.length;
    pending = [];
  };
  for (const batch of simulateTraffic({
    payload,
    featureKey: options.featureKey,
    visitors: options.visitors,
    goalId: first.goalId,
    rates: first.rates,
    ...(first.values ? { values: first.values } : {}),
    days: options.days ?? 7,
    end: end - 86_400_000 * 2,
    seed: options.seed,
    batchSize: 5000,
  })) {
    for (const event of batch.events) {
      pending.push(event);
      if (event.kind === "conversion") {
        extraConversions(random, event, first, pending);
        continue;
      }
      const exposure = event as ExposureEvent;
      if (options.customAttribute) {
        const { key, values } = options.customAttribute;
        exposure.attributes = {
          ...exposure.attributes,
          custom: { [key]: values[Math.floor(customRandom() * values.length)]! },
        };
      }
      for (const goal of others) {
        let rate = goal.rates[exposure.variationKey] ?? 0;
        if (goal.preExposure) {
          const { share, boost } = goal.preExposure;
          const engaged = random() < share;
          rate = engaged ? rate * boost : (rate * (1 - share * boost)) / (1 - share);
          preConversion(random, exposure, goal, engaged, pending);
        }
        const converts = random() < rate;
        if (!converts) continue;
        const conversion: ConversionEvent = {
          kind: "conversion",
          projectKey: exposure.projectKey,
          environmentKey: exposure.environmentKey,
          visitorCode: exposure.visitorCode,
          visitId: exposure.visitId,
          goalId: goal.goalId,
          value: goal.values
            ? goal.values.mean + goal.values.sd * (random() + random() + random() - 1.5) * 2
            : 1,
          time: exposure.time + 60_000 + Math.floor(random() * 600_000),
          attributes: exposure.attributes,
        };
        pending.push(conversion);
        extraConversions(random, conversion, goal, pending);
      }
      if (options.secondVisitShare && random() < options.secondVisitShare) {
        pending.push({
          ...exposure,
          visitId: `${exposure.visitorCode}-2`,
          time: exposure.time + 86_400_000,
        });
      }
    }
    await flush(false);
  }
  await flush(true);
  return appended;
}

function extraConversions(
  random: () => number,
  conversion: ConversionEvent,
  goal: GoalTraffic,
  into: AnalyticsEvent[],
) {
  if (conversion.goalId !== goal.goalId || !goal.repeatShare || random() >= goal.repeatShare) return;
  into.push({ ...conversion, time: conversion.time + 120_000 });
}

function preConversion(
  random: () => number,
  exposure: ExposureEvent,
  goal: GoalTraffic,
  engaged: boolean,
  into: AnalyticsEvent[],
) {
  const share = engaged ? goal.preExposure!.ifEngaged : goal.preExposure!.otherwise;
  if (random() >= share) return;
  into.push({
    kind: "conversion",
    projectKey: exposure.projectKey,
    environmentKey: exposure.environmentKey,
    visitorCode: exposure.visitorCode,
    visitId: `${exposure.visitorCode}-0`,
    goalId: goal.goalId,
    value: 1,
    time: exposure.time - 2 * 3_600_000,
    attributes: exposure.attributes,
  });
}

/** Polls GET /results until the report is READY or FAILED. */
/** A Kameleoon results report of a flag from a day ago to a day ahead (converted visits), once it is ready. */
export async function reportAroundNow(api: Requester, flagId: number) {
  const day = 86_400_000;
  const response = await api.request("POST", `/feature-flags/${flagId}/results`, {
    body: {
      dateIntervals: [
        { start: new Date(Date.now() - day).toISOString(), end: new Date(Date.now() + day).toISOString() },
      ],
      conversionType: "CONVERTED_VISITS",
    },
  });
  if (response.status !== 200) throw new Error(`results: ${response.status} ${response.text}`);
  return waitForReport(api, response.body.dataCode);
}

export async function waitForReport(api: Requester, dataCode: string, timeoutMs = 60_000, token?: string) {
  const started = Date.now();
  for (;;) {
    const response = await api.request("GET", `/results?dataCode=${dataCode}`, token ? { token } : {});
    if (response.status !== 200) throw new Error(`poll: ${response.status} ${response.text}`);
    if (response.body.status === "READY" || response.body.status === "FAILED") return response.body;
    if (Date.now() - started > timeoutMs) throw new Error(`report ${dataCode} still ${response.body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
