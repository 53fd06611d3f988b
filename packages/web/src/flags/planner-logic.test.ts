import { describe, expect, it } from "vitest";
import {
  baselineSummary,
  type Plan,
  type PlannerForm,
  plannerRequest,
  planSummary,
} from "./planner-logic.js";

const form = (patch: Partial<PlannerForm> = {}): PlannerForm => ({
  mdePercent: 5,
  goalId: 7,
  useGoalData: true,
  environmentKey: "production",
  baselinePercent: null,
  dailyUnits: null,
  variations: 2,
  sequential: false,
  ...patch,
});

const plan = (patch: Partial<Plan> = {}): Plan => ({
  unitsPerVariation: 3841,
  totalUnits: 7682,
  days: 8,
  dailyUnits: 1000,
  alphaPerComparison: 0.05,
  comparisons: 1,
  absoluteEffect: 0.02,
  relativeEffect: 0.2,
  method: "fleiss-pooled",
  baseline: {
    source: "request",
    metric: "rate",
    rate: 0.1,
    mean: null,
    sd: null,
    goalId: null,
    environmentKey: null,
    from: null,
    to: null,
    units: null,
    cap: null,
  },
  ...patch,
});

describe("planner panel: the request", () => {
  it("asks for the goal's data in this environment, percentages as fractions", () => {
    expect(plannerRequest(form({ dailyUnits: 2500, sequential: true, variations: 3 }))).toEqual({
      body: {
        minimumDetectableEffect: 0.05,
        variations: 3,
        sequential: true,
        dailyUnits: 2500,
        goal: { goalId: 7, environmentKey: "production" },
      },
    });
  });

  it("uses the typed baseline rate without a goal or with the goal's data switched off", () => {
    const expected = {
      body: { minimumDetectableEffect: -0.1, variations: 2, sequential: false, baselineRate: 0.12 },
    };
    expect(plannerRequest(form({ mdePercent: -10, goalId: null, baselinePercent: 12 }))).toEqual(expected);
    expect(plannerRequest(form({ mdePercent: -10, useGoalData: false, baselinePercent: 12 }))).toEqual(
      expected,
    );
  });

  it("says what is missing instead of sending a request the server would refuse", () => {
    expect(plannerRequest(form({ mdePercent: null }))).toEqual({
      missing: "Enter the smallest lift worth detecting.",
    });
    expect(plannerRequest(form({ mdePercent: 0 }))).toHaveProperty("missing");
    expect(plannerRequest(form({ variations: 1 }))).toHaveProperty("missing");
    expect(plannerRequest(form({ goalId: null }))).toEqual({
      missing: "Choose a primary goal, or enter the baseline conversion rate.",
    });
    expect(plannerRequest(form({ useGoalData: false, baselinePercent: 100 }))).toEqual({
      missing: "Enter the baseline conversion rate.",
    });
  });
});

describe("planner panel: the answer", () => {
  it("reads units per variation, in total, and days at the traffic", () => {
    expect(planSummary(plan())).toBe(
      "3,841 visitors per variation (7,682 in total): about 8 days at 1,000 visitors a day.",
    );
    expect(planSummary(plan({ days: 1, dailyUnits: 10_000.4 }))).toBe(
      "3,841 visitors per variation (7,682 in total): about 1 day at 10,000 visitors a day.",
    );
    expect(planSummary(plan({ days: null, dailyUnits: null }))).toBe(
      "3,841 visitors per variation (7,682 in total); enter the daily visitors for a duration.",
    );
  });

  it("says where the baseline came from", () => {
    expect(baselineSummary(plan())).toBe("Baseline conversion rate 10 %.");
    const fromGoal = plan({
      baseline: {
        source: "goal",
        metric: "mean",
        rate: null,
        mean: 6.0123,
        sd: 19.87654,
        goalId: 7,
        environmentKey: "production",
        from: "2026-11-06T12:00:00.000Z",
        to: "2026-11-20T12:00:00.000Z",
        units: 20000,
        cap: 250,
      },
    });
    expect(baselineSummary(fromGoal)).toBe(
      "Baseline from the goal's data in production (20,000 visitors over the last 14 days): mean 6.012, standard deviation 19.88, capped at 250.",
    );
  });
});
