// The Kameleoon results request's varianceReduction (Vexil extension): regression on covariate goals'
// pre-period values and post-stratification by a visitor attribute, end to end on the real store (run it
// with VEXIL_TEST_POSTGRES_URL for PostgreSQL). Expected numbers: @vexil/stats analyzeMetric over the
// per-unit values this test generated itself (an independent recomputation from the raw units, not from
// the store's sums), so the report must agree with it to rounding.
import { type AnalysisOptions, analyzeMetric, regressionStatsOf, type VariationInput } from "@vexil/stats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnalyticsEvent } from "../src/analytics/analytics-store.js";
import { seededRandom } from "../src/analytics/seeded-random.js";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import {
  createExperiment,
  type ExperimentSetup,
  type Json,
  waitForReport,
} from "../src/results/results-simulation.test-support.js";
import { startTestServer, type TestServer } from "./harness.js";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.now();
let server: TestServer;
let setup: ExperimentSetup;
/** Goal ids: the outcome (numeric, on the flag); covariates (goals of the project, not of the flag). */
let outcome: number;
let visits: number;
let spend: number;
let empty: number;

interface Unit {
  arm: "off" | "on";
  device: "desktop" | "mobile";
  y: number;
  x1: number;
  x2: number;
  /** The custom attribute "ltv" as a number (a unit whose text is not a number counts 0). */
  ltv: number;
}
const units: Unit[] = [];

// 3,000 visitors; an engagement level e (0-3) drives the pre-period visits (x1: e or e + 1 conversions of
// value 1), the pre-period spend (x2: 10 e + U(0, 5) with probability 0.8) and the revenue after exposure
// (with probability 0.6: 20 + 15 e +- 10 by device + U(0, 10), times 1.1 in "on"); a predicted value
// "ltv" = 9 e + U(0, 9) on the exposure (CUPAC), "unknown" for one unit in ten.
function generate(): AnalyticsEvent[] {
  const random = seededRandom(20261207);
  const events: AnalyticsEvent[] = [];
  for (let i = 0; i < 3000; i++) {
    const arm = i % 2 === 0 ? "off" : "on";
    const device = random() < 0.4 ? "mobile" : "desktop";
    const e = Math.floor(random() * 4);
    const time = NOW - 3 * DAY + i * 10;
    const ltv = random() < 0.1 ? null : 9 * e + 9 * random();
    const base = {
      projectKey: "demo",
      environmentKey: "production",
      visitorCode: `v${i}`,
      visitId: `v${i}-1`,
    };
    events.push({
      ...base,
      kind: "exposure",
      featureKey: "vr-flag",
      flagId: setup.flagId,
      ruleId: setup.ruleId,
      experimentId: setup.experimentId,
      variationKey: arm,
      time,
      attributes: { deviceType: device, custom: { ltv: ltv === null ? "unknown" : String(ltv) } },
    });
    const convert = (goalId: number, value: number, at: number) => {
      events.push({ ...base, kind: "conversion", goalId, value, time: at, attributes: {} });
    };
    const x1 = e + (random() < 0.5 ? 1 : 0);
    for (let k = 0; k < x1; k++) convert(visits, 1, time - DAY + k);
    const x2 = random() < 0.8 ? 10 * e + 5 * random() : 0;
    if (x2 > 0) convert(spend, x2, time - 2 * DAY);
    let y = 0;
    if (random() < 0.6) {
      y = (20 + 15 * e + (device === "mobile" ? -10 : 10) + 10 * random()) * (arm === "on" ? 1.1 : 1);
      convert(outcome, y, time + HOUR);
    }
    units.push({ arm, device, y, x1, x2, ltv: ltv ?? 0 });
  }
  return events;
}

/** The independent analysis of the generated units (control first, as the report's reference). */
function recomputed(options: AnalysisOptions, covariates = (u: Unit) => [u.x1, u.x2]) {
  const variation = (arm: "off" | "on"): VariationInput => {
    const mine = units.filter((u) => u.arm === arm);
    const stats = regressionStatsOf(mine.map((u) => [u.y, ...covariates(u)]));
    const strata = (["desktop", "mobile"] as const).map((device) => {
      const ys = mine.filter((u) => u.device === device).map((u) => u.y);
      const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
      return {
        stratum: device,
        n: ys.length,
        sum: mean * ys.length,
        m2: ys.reduce((a, y) => a + (y - mean) ** 2, 0),
      };
    });
    return {
      key: arm,
      n: mine.length,
      sum: stats.means[0]! * mine.length,
      m2: stats.comoments[0]![0]!,
      regression: stats,
      strata,
    };
  };
  return analyzeMetric({ variations: [variation("off"), variation("on")] }, options);
}

const range = [{ start: new Date(NOW - 10 * DAY).toISOString(), end: new Date(NOW + DAY).toISOString() }];

async function post(body: Record<string, unknown>) {
  return server.request("POST", `/feature-flags/${setup.flagId}/results`, {
    body: {
      dateIntervals: range,
      conversionType: "ALL_CONVERSION",
      visitorData: true,
      goalsIds: [outcome],
      ...body,
    },
  });
}

async function report(body: Record<string, unknown>): Promise<Json> {
  const response = await post(body);
  expect(response.status, response.text).toBe(200);
  const done = await waitForReport(server, response.body.dataCode);
  expect(done.status, JSON.stringify(done.error)).toBe("READY");
  return done.data;
}

const onGoal = (data: Json) =>
  data.variationData[String(setup.variationIds.on)].generalData.goalsData[String(outcome)];

beforeAll(async () => {
  server = await startTestServer();
  await ensureDemoProject(server.context);
  setup = await createExperiment(server, {
    featureKey: "vr-flag",
    goals: [{ name: "Revenue", isNumeric: true }],
    otherGoals: 3,
  });
  [outcome, visits, spend, empty] = setup.goalIds as [number, number, number, number];
  await server.context.analytics.append(generate());
}, 120_000);

afterAll(async () => {
  await server?.close();
});

describe("results varianceReduction", () => {
  it("REGRESSION on two covariate goals: the report's numbers are the recomputed ones", async () => {
    const data = await report({
      varianceReduction: { method: "REGRESSION", goalIds: [outcome], covariateGoalIds: [visits, spend] },
    });
    const want = recomputed({ adjustment: "regression" });
    const c = want.variations[1]!.comparison!;
    const got = onGoal(data);
    expect(data.goals[0].varianceReduction).toBe("REGRESSION");
    expect(got.test).toBe("REGRESSION_Z");
    expect(got.varianceReduction.applied).toBe(true);
    expect(got.varianceReduction.covariates.map((x: Json) => x.goalId)).toEqual([visits, spend]);
    got.varianceReduction.covariates.forEach((x: Json, i: number) => {
      expect(x.coefficient).toBeCloseTo(want.adjustment!.covariates[i]!.coefficient, 8);
    });
    expect(got.varianceReduction.varianceReduction).toBeCloseTo(100 * c.adjustment!.varianceReduction, 6);
    // Engagement explains part of the revenue's variance; whether a unit pays at all (60 %, independent of
    // it) the larger part: about 12 % here.
    expect(got.varianceReduction.varianceReduction).toBeGreaterThan(5);
    expect(got.pValue).toBeCloseTo(c.pValue!, 9);
    expect(got.improvementInterval.lower).toBeCloseTo(100 * c.relative!.ci[0], 6);
    expect(got.improvementInterval.upper).toBeCloseTo(100 * c.relative!.ci[1], 6);
    // Narrower than the same report without the adjustment, and the verdict agrees with its interval.
    const plain = onGoal(await report({}));
    expect(plain.test).toBe("WELCH");
    const width = (i: Json) => i.upper - i.lower;
    expect(width(got.improvementInterval)).toBeLessThan(width(plain.improvementInterval));
    expect(got.significant).toBe(got.improvementInterval.lower > 0 || got.improvementInterval.upper < 0);
  });

  it("REGRESSION on a goal and a numeric custom attribute (CUPAC)", async () => {
    const data = await report({
      varianceReduction: {
        method: "REGRESSION",
        goalIds: [outcome],
        covariateGoalIds: [visits],
        covariateAttributes: ["ltv"],
      },
    });
    const want = recomputed({ adjustment: "regression" }, (u) => [u.x1, u.ltv]);
    const c = want.variations[1]!.comparison!;
    const got = onGoal(data);
    expect(got.varianceReduction.covariates.map((x: Json) => [x.goalId, x.attribute])).toEqual([
      [visits, null],
      [null, "ltv"],
    ]);
    got.varianceReduction.covariates.forEach((x: Json, i: number) => {
      expect(x.coefficient).toBeCloseTo(want.adjustment!.covariates[i]!.coefficient, 8);
    });
    expect(got.pValue).toBeCloseTo(c.pValue!, 9);
    expect(got.varianceReduction.varianceReduction).toBeCloseTo(100 * c.adjustment!.varianceReduction, 6);
  });

  it("POST_STRATIFICATION by device: pooled strata weights and the recomputed numbers", async () => {
    const data = await report({
      varianceReduction: {
        method: "POST_STRATIFICATION",
        goalIds: [outcome],
        stratification: { type: "DEVICE_TYPE" },
      },
    });
    const want = recomputed({ adjustment: "post-stratification" });
    const c = want.variations[1]!.comparison!;
    const got = onGoal(data);
    expect(got.test).toBe("POST_STRATIFIED_Z");
    expect(got.varianceReduction.strata).toEqual(
      want.adjustment!.strata!.map((s) => ({ value: s.stratum, weight: s.weight })),
    );
    expect(got.varianceReduction.varianceReduction).toBeCloseTo(100 * c.adjustment!.varianceReduction, 6);
    expect(got.pValue).toBeCloseTo(c.pValue!, 9);
    expect(got.improvementInterval.lower).toBeCloseTo(100 * c.relative!.ci[0], 6);
  });

  it("a covariate goal without pre-period data: not applied, the reason said, the plain test kept", async () => {
    const data = await report({
      varianceReduction: { method: "REGRESSION", goalIds: [outcome], covariateGoalIds: [empty] },
    });
    const got = onGoal(data);
    expect(got.varianceReduction.applied).toBe(false);
    expect(got.varianceReduction.reason).toMatch(/no covariate has variance/);
    expect(got.test).toBe("WELCH");
  });

  it("rejects what it cannot honour with a 400 naming the field", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { method: "REGRESSION", goalIds: [visits], covariateGoalIds: [spend] },
        /varianceReduction\.goalIds\.0/,
      ],
      [{ method: "REGRESSION", goalIds: [outcome] }, /covariateGoalIds or covariateAttributes is required/],
      [
        {
          method: "REGRESSION",
          goalIds: [outcome],
          covariateAttributes: ["a", "b", "c", "d", "e", "f"],
          covariateGoalIds: [visits, spend, empty, outcome, 7],
        },
        /at most 10 covariates/,
      ],
      [
        {
          method: "POST_STRATIFICATION",
          goalIds: [outcome],
          covariateAttributes: ["ltv"],
          stratification: { type: "OS" },
        },
        /covariateAttributes is only allowed/,
      ],
      [{ method: "REGRESSION", goalIds: [outcome], covariateGoalIds: [spend, spend] }, /listed twice/],
      [{ method: "REGRESSION", goalIds: [outcome], covariateGoalIds: [999_999] }, /has no goal 999999/],
      [{ method: "POST_STRATIFICATION", goalIds: [outcome] }, /stratification is required/],
      [
        { method: "POST_STRATIFICATION", goalIds: [outcome], stratification: { type: "CUSTOM_DATUM" } },
        /stratification\.key is required/,
      ],
      [
        {
          method: "POST_STRATIFICATION",
          goalIds: [outcome],
          covariateGoalIds: [spend],
          stratification: { type: "OS" },
        },
        /covariateGoalIds is only allowed/,
      ],
    ];
    for (const [varianceReduction, message] of cases) {
      const response = await post({ varianceReduction });
      expect(response.status, JSON.stringify(varianceReduction)).toBe(400);
      expect(response.text).toMatch(message);
    }
    const both = await post({
      goalIdsCuped: [outcome],
      varianceReduction: { method: "REGRESSION", goalIds: [outcome], covariateGoalIds: [spend] },
    });
    expect(both.status).toBe(400);
    expect(both.text).toMatch(/also in goalIdsCuped/);
    const withBreakdown = await post({
      breakdown: { type: "BROWSER" },
      varianceReduction: { method: "REGRESSION", goalIds: [outcome], covariateGoalIds: [spend] },
    });
    expect(withBreakdown.status).toBe(400);
    expect(withBreakdown.text).toMatch(/cannot be combined with breakdown/);
  });
});
