// The sample-size planner, POST /projects/{projectKey}/sample-size, on real storage (SQLite + DuckDB, or
// PostgreSQL with VEXIL_TEST_POSTGRES_URL). Known answers come from the closed forms, cross-checked as noted:
// - 10 % -> 12 %, two-sided alpha 0.05, power 0.8: Fleiss' pooled formula gives 3,840.85 per arm, as R's
//   power.prop.test(p1 = 0.1, p2 = 0.12, power = 0.8) prints (n = 3840.847) -> 3,841.
// - The same at Bonferroni's alpha 0.05 / 4 = 0.0125: 5,457.06 -> 5,458 (same formula, z_{1-0.00625}).
// - Mean 10, sd 4, +5 % (delta 0.5): 2 (z_0.975 + z_0.8)^2 16 / 0.25 = 1,004.66 -> 1,005 (normal formula).
// Goal data: 40 visitors exposed in the last 14 days, worked by hand below.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnalyticsEvent } from "../src/analytics/analytics-store.js";
import { DAY_MS } from "../src/analytics/analytics-store.js";
import { expectKameleoonError, tokenWith } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
const NOW = Date.UTC(2026, 10, 20, 12);
const goalIds: Record<string, number> = {};
const plan = (body: unknown, token?: string | null, project = "shop") =>
  server.request("POST", `/projects/${project}/sample-size`, {
    body,
    ...(token !== undefined ? { token } : {}),
  });

beforeAll(async () => {
  server = await startTestServer({ now: () => NOW });
  for (const key of ["shop", "other"]) {
    const created = await server.request("POST", "/projects", { body: { key, name: key } });
    expect(created.status, created.text).toBe(201);
  }
  const goal = async (siteCode: string, name: string, isNumeric: boolean) => {
    const created = await server.request("POST", "/goals", { body: { siteCode, name, isNumeric } });
    expect(created.status, created.text).toBe(201);
    return created.body.id as number;
  };
  goalIds.signup = await goal("shop", "signup", false);
  goalIds.revenue = await goal("shop", "revenue", true);
  goalIds.capped = await goal("shop", "capped revenue", true);
  goalIds.empty = await goal("shop", "never reached", false);
  goalIds.foreign = await goal("other", "signup", false);
  const capped = await server.request("PATCH", `/goals/${goalIds.capped}`, {
    body: { cappingSettings: { type: "absolute", value: 25 } },
  });
  expect(capped.status, capped.text).toBe(200);

  const scope = { projectKey: "shop", environmentKey: "production" };
  const exposure = (visitorCode: string, time: number): AnalyticsEvent => ({
    ...scope,
    kind: "exposure",
    visitorCode,
    visitId: `${visitorCode}-1`,
    featureKey: "checkout",
    flagId: 1,
    ruleId: 1,
    experimentId: null,
    variationKey: "off",
    time,
    attributes: {},
  });
  const conversion = (visitorCode: string, goalId: number, value: number, time: number): AnalyticsEvent => ({
    ...scope,
    kind: "conversion",
    visitorCode,
    visitId: `${visitorCode}-1`,
    goalId,
    value,
    time,
  });
  const t = NOW - 2 * DAY_MS;
  const events: AnalyticsEvent[] = [];
  for (let i = 0; i < 40; i++) events.push(exposure(`v${i}`, t + i), exposure(`v${i}`, t + 1000 + i));
  // signup: v0..v9 convert (v0 twice: still one converted unit) -> 10 / 40 = 0.25.
  for (let i = 0; i < 10; i++) events.push(conversion(`v${i}`, goalIds.signup!, 1, t + 5000 + i));
  events.push(conversion("v0", goalIds.signup!, 1, t + 6000));
  // revenue (and capped revenue, capped at 25): v0 10, v1 20, v2 30, v3 15 + 25 = 40; 36 units at 0.
  for (const id of [goalIds.revenue!, goalIds.capped!]) {
    for (const [i, value] of [10, 20, 30, 15].entries())
      events.push(conversion(`v${i}`, id, value, t + 7000 + i));
    events.push(conversion("v3", id, 25, t + 8000));
  }
  // Outside the data: a visitor exposed 20 days ago (and converting then), a visitor never exposed,
  // and another environment.
  events.push(
    exposure("old", NOW - 20 * DAY_MS),
    conversion("old", goalIds.signup!, 1, NOW - 20 * DAY_MS + 1),
  );
  events.push(conversion("stranger", goalIds.signup!, 1, t + 9000));
  events.push({ ...exposure("staging-visitor", t), environmentKey: "staging" });
  await server.context.analytics.append(events);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe("POST /projects/{projectKey}/sample-size", () => {
  it("answers Fleiss' pooled size for a rate, and days at the daily traffic", async () => {
    const r = await plan({ minimumDetectableEffect: 0.2, baselineRate: 0.1, dailyUnits: 1000 });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({
      unitsPerVariation: 3841,
      totalUnits: 7682,
      days: 8, // 7,682 / 1,000 a day, rounded up
      dailyUnits: 1000,
      comparisons: 1,
      alphaPerComparison: 0.05,
      method: "fleiss-pooled",
      baseline: { source: "request", metric: "rate", rate: 0.1 },
    });
    expect(r.body.absoluteEffect).toBeCloseTo(0.02, 12);
    expect(r.body.relativeEffect).toBe(0.2);
    // The same effect given in absolute terms is the same plan.
    const absolute = await plan({ minimumDetectableEffect: 0.02, effect: "absolute", baselineRate: 0.1 });
    expect(absolute.body).toMatchObject({ unitsPerVariation: 3841, days: null, dailyUnits: null });
    expect(absolute.body.relativeEffect).toBeCloseTo(0.2, 12);
  });

  it("corrects over (variations - 1) x goals comparisons at Bonferroni's level", async () => {
    const r = await plan({
      minimumDetectableEffect: 0.2,
      baselineRate: 0.1,
      variations: 3,
      goals: 2,
      correction: "holm",
    });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ unitsPerVariation: 5458, totalUnits: 16374, comparisons: 4 });
    expect(r.body.alphaPerComparison).toBeCloseTo(0.0125, 15);
    const uncorrected = await plan({
      minimumDetectableEffect: 0.2,
      baselineRate: 0.1,
      variations: 3,
      goals: 2,
    });
    expect(uncorrected.body).toMatchObject({ unitsPerVariation: 3841, alphaPerComparison: 0.05 });
  });

  it("plans a mean from sd or variance, relative or absolute, and longer with sequential testing", async () => {
    const relative = await plan({ minimumDetectableEffect: 0.05, mean: 10, sd: 4 });
    expect(relative.status, relative.text).toBe(200);
    expect(relative.body).toMatchObject({ unitsPerVariation: 1005, method: "normal", absoluteEffect: 0.5 });
    const absolute = await plan({ minimumDetectableEffect: 0.5, effect: "absolute", mean: 10, variance: 16 });
    expect(absolute.body).toMatchObject({ unitsPerVariation: 1005, relativeEffect: 0.05 });
    // A zero mean has no relative effect, but an absolute one plans.
    const zero = await plan({ minimumDetectableEffect: 0.5, effect: "absolute", mean: 0, sd: 4 });
    expect(zero.body).toMatchObject({ unitsPerVariation: 1005, relativeEffect: null });
    // An effect far beyond the spread still needs two units per variation (an arm's variance needs two).
    const huge = await plan({ minimumDetectableEffect: 1e300, effect: "absolute", mean: 1, sd: 1 });
    expect(huge.body).toMatchObject({ unitsPerVariation: 2, totalUnits: 4 });
    const sequential = await plan({ minimumDetectableEffect: 0.05, mean: 10, sd: 4, sequential: true });
    expect(sequential.body.method).toBe("confidence-sequence");
    expect(sequential.body.unitsPerVariation).toBeGreaterThan(1005);
  });

  it("estimates a conversion goal's rate and the daily traffic from the environment's last days", async () => {
    const r = await plan({
      minimumDetectableEffect: 0.1,
      goal: { goalId: goalIds.signup, environmentKey: "production" },
    });
    expect(r.status, r.text).toBe(200);
    // 40 visitors exposed in the last 14 days, 10 of them signed up; 40 / 14 visitors a day.
    expect(r.body.baseline).toEqual({
      source: "goal",
      metric: "rate",
      rate: 0.25,
      mean: null,
      sd: null,
      goalId: goalIds.signup,
      environmentKey: "production",
      from: new Date(NOW - 14 * DAY_MS).toISOString(),
      to: new Date(NOW).toISOString(),
      units: 40,
      cap: null,
    });
    const same = await plan({ minimumDetectableEffect: 0.1, baselineRate: 0.25, dailyUnits: 40 / 14 });
    expect(r.body).toMatchObject({
      unitsPerVariation: same.body.unitsPerVariation,
      days: same.body.days,
      dailyUnits: 40 / 14,
    });
    // Given traffic wins over the estimate.
    const given = await plan({
      minimumDetectableEffect: 0.1,
      dailyUnits: 100,
      goal: { goalId: goalIds.signup, environmentKey: "production" },
    });
    expect(given.body.days).toBe(Math.ceil(same.body.totalUnits / 100));
  });

  it("estimates a numeric goal's mean and sd, capped as the goal's analyses cap it", async () => {
    const r = await plan({
      minimumDetectableEffect: 0.1,
      goal: { goalId: goalIds.revenue, environmentKey: "production", days: 7 },
    });
    expect(r.status, r.text).toBe(200);
    // Per-unit values 10, 20, 30, 40 and 36 zeros: mean 100 / 40 = 2.5, variance (3000 - 40 x 2.5^2) / 39.
    expect(r.body.baseline).toMatchObject({ metric: "mean", units: 40, rate: null, cap: null });
    expect(r.body.baseline.mean).toBeCloseTo(2.5, 12);
    expect(r.body.baseline.sd).toBeCloseTo(Math.sqrt(2750 / 39), 12);
    const capped = await plan({
      minimumDetectableEffect: 0.1,
      goal: { goalId: goalIds.capped, environmentKey: "production" },
    });
    // Capped at 25: 10, 20, 25, 25: mean 80 / 40 = 2, variance (1750 - 40 x 2^2) / 39.
    expect(capped.body.baseline).toMatchObject({ metric: "mean", cap: 25 });
    expect(capped.body.baseline.mean).toBeCloseTo(2, 12);
    expect(capped.body.baseline.sd).toBeCloseTo(Math.sqrt(1590 / 39), 12);
    const same = await plan({ minimumDetectableEffect: 0.1, mean: 2, variance: 1590 / 39 });
    expect(capped.body.unitsPerVariation).toBe(same.body.unitsPerVariation);
  });

  it("lets readers of the project plan, and nobody else", async () => {
    const body = { minimumDetectableEffect: 0.2, baselineRate: 0.1 };
    expect((await plan(body, await tokenWith(server, "reader", "shop"))).status).toBe(200);
    expect((await plan(body, await tokenWith(server, "writer"))).status).toBe(200);
    expectKameleoonError(await plan(body, await tokenWith(server, "reader", "other")), 403);
    expectKameleoonError(await plan(body, null), 401);
  });

  it("answers 400, 404 and 422 in Kameleoon's error body for input without an answer", async () => {
    const goal = (goalId: number | undefined, environmentKey = "production") => ({
      minimumDetectableEffect: 0.1,
      goal: { goalId, environmentKey },
    });
    for (const [body, message] of [
      [{ minimumDetectableEffect: 0, baselineRate: 0.1 }, /non-zero/],
      [{ minimumDetectableEffect: 0.1 }, /exactly one baseline/],
      [{ minimumDetectableEffect: 0.1, baselineRate: 0.1, mean: 3, sd: 1 }, /exactly one baseline/],
      [{ minimumDetectableEffect: 0.1, mean: 3 }, /sd or variance/],
      [{ minimumDetectableEffect: 0.1, mean: 3, sd: 1, variance: 1 }, /not both/],
      [{ minimumDetectableEffect: 0.1, sd: 1 }, /mean/],
      [{ minimumDetectableEffect: 0.1, mean: 0, sd: 1 }, /non-zero mean/],
      [{ minimumDetectableEffect: 0.1, baselineRate: 1.5 }, /baselineRate/],
      [{ minimumDetectableEffect: 1.5, baselineRate: 0.5 }, /\(0, 1\)/],
      [{ minimumDetectableEffect: 0.1, baselineRate: 0.1, variations: 1 }, /variations/],
      [{ minimumDetectableEffect: 0.1, baselineRate: 0.1, alpha: 1 }, /alpha/],
      [{ minimumDetectableEffect: 0.1, baselineRate: 0.1, correction: "sidak" }, /correction/],
      [{ minimumDetectableEffect: 0.1, baselineRate: 0.1, tuning: 5 }, /additional/],
      [{ minimumDetectableEffect: "0.1", baselineRate: 0.1 }, /minimumDetectableEffect/],
      [goal(undefined), /goalId/],
      // No finite plan: more than 2^53 units or days (never a 500 or a number JSON cannot hold).
      [{ minimumDetectableEffect: 1e-12, baselineRate: 0.1 }, /too small to plan/],
      [{ minimumDetectableEffect: 1e-12, baselineRate: 0.1, sequential: true }, /too small to plan/],
      [{ minimumDetectableEffect: 0.1, mean: 1, sd: 1e200 }, /too small to plan/],
      [{ minimumDetectableEffect: 0.1, baselineRate: 0.1, dailyUnits: 1e-300 }, /2\^53 days/],
    ] as const)
      expectKameleoonError(await plan(body), 400, message);
    expectKameleoonError(await plan(goal(goalIds.foreign)), 404, /not found in project 'shop'/);
    expectKameleoonError(await plan(goal(999_999)), 404, /goal 999999/);
    expectKameleoonError(await plan(goal(goalIds.signup, "nowhere")), 404, /environment 'nowhere'/);
    expectKameleoonError(
      await plan({ minimumDetectableEffect: 0.1, baselineRate: 0.1 }, undefined, "nope"),
      404,
    );
    // Data too thin to estimate from: no conversions; no visitors in the environment.
    expectKameleoonError(await plan(goal(goalIds.empty)), 422, /conversion rate is 0/);
    expectKameleoonError(await plan(goal(goalIds.signup, "development")), 422, /fewer than 2 visitors/);
  });
});
