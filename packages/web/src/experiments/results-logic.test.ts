import { describe, expect, it } from "vitest";
import type { Experiment, ResultsReport } from "../api/types.js";
import {
  csvField,
  cumulativeLiftSeries,
  cumulativeRequest,
  daysRunning,
  defaultOptions,
  experimentSummary,
  exposureSeries,
  intervalText,
  liftDensity,
  reportGoalIds,
  resultsCsv,
  resultsRequest,
  varianceReductionSummary,
  variationRows,
  withVarianceReduction,
} from "./results-logic.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1, 9, 30);

const experiment = {
  _id: "900001",
  key: "checkout-400001",
  name: "Checkout test",
  description: "",
  _maintainerId: "",
  _creationDate: T0,
  environmentKey: "production",
  _links: {},
  currentIteration: {
    _id: "rule-400001",
    hypothesis: "",
    status: "running",
    createdAt: T0,
    startedAt: T0 + DAY,
    canReshuffleTraffic: true,
    randomizationUnit: "user",
    flags: { checkout: { targetingRule: "400001", flagConfigVersion: 1, _links: {} } },
    primarySingleMetric: { key: "purchase", name: "Purchase" },
  },
} as unknown as Experiment;

// A goal's numbers as the report gives them; the values below are small made-up counts whose rates are
// easy to check by hand.
const goalData = (converted: number, units: number, extra: Record<string, unknown> = {}) => ({
  conversionCount: converted + 1,
  convertedVisitCount: converted,
  revenueCount: converted * 10,
  averageCart: null,
  conversionRate: converted / units,
  ...extra,
});
const general = (units: number, goals: Record<string, unknown>) => ({
  visitCount: units + 5,
  visitorCount: units,
  goalsData: goals,
});

const report = {
  unit: "VISITOR",
  breakdown: { type: "INTERVAL", interval: "DAY", cumulative: true },
  warnings: [],
  goals: [
    { goalId: 1, name: "Purchase", analyzedMetric: "CONVERTED_UNITS_RATE" },
    { goalId: 2, name: "Revenue, EUR", analyzedMetric: "REVENUE_PER_UNIT" },
  ],
  variationData: {
    "11": {
      variationName: "On",
      reference: false,
      generalData: general(200, {
        "1": goalData(30, 200, {
          improvementRate: 50,
          improvementInterval: { lower: 1, upper: 99 },
          pValue: 0.04,
          significant: true,
          bayesian: { chanceToBeatReference: 97, chanceToBeBest: 97, improvementCredibleInterval: null },
        }),
        "2": goalData(30, 200),
      }),
      breakdownData: {
        "2026-11-02T00:00:00.000Z": {
          generalData: general(120, {
            "1": goalData(15, 120, { improvementRate: 25, improvementInterval: { lower: -40, upper: null } }),
          }),
        },
        "2026-11-01T00:00:00.000Z": {
          generalData: general(50, {
            "1": goalData(5, 50, { improvementRate: 0, improvementInterval: { lower: -80, upper: 200 } }),
          }),
        },
        "(other)": { generalData: general(200, {}) },
      },
    },
    "10": {
      variationName: 'Off, "old"',
      reference: true,
      generalData: general(200, { "1": goalData(20, 200), "2": goalData(20, 200) }),
      breakdownData: {
        "2026-11-01T00:00:00.000Z": { generalData: general(50, { "1": goalData(5, 50) }) },
        "2026-11-02T00:00:00.000Z": { generalData: general(110, { "1": goalData(12, 110) }) },
      },
    },
  },
} as unknown as ResultsReport;

describe("experiment summary", () => {
  it("reads status, flag, rule, primary goal and dates from LaunchDarkly's representation", () => {
    expect(experimentSummary(experiment)).toEqual({
      id: "900001",
      name: "Checkout test",
      environmentKey: "production",
      status: "running",
      flagKey: "checkout",
      ruleId: 400001,
      primaryGoal: "Purchase",
      primaryGoalKey: "purchase",
      startedAt: T0 + DAY,
      endedAt: null,
      createdAt: T0,
    });
    expect(experimentSummary({ ...experiment, archivedDate: T0 } as Experiment).status).toBe("archived");
  });

  it("counts whole days from the start to the end or now, none before the start", () => {
    const summary = experimentSummary(experiment);
    expect(daysRunning(summary, T0 + DAY + 2.5 * DAY)).toBe(2);
    expect(daysRunning({ ...summary, endedAt: T0 + 8 * DAY }, T0 + 30 * DAY)).toBe(7);
    expect(daysRunning({ ...summary, startedAt: null }, T0)).toBeNull();
  });
});

describe("results request", () => {
  it("asks from the creation's UTC day to the next full hour, for the experiment's environment and rule", () => {
    const summary = experimentSummary(experiment);
    const body = resultsRequest(summary, { ...defaultOptions, cuped: true }, [1, 2], T0 + 3 * DAY + 60_000);
    expect(body.dateIntervals).toEqual([
      { start: "2026-11-01T00:00:00.000Z", end: new Date(Date.UTC(2026, 10, 4, 10)).toISOString() },
    ]);
    expect(body).toMatchObject({ environmentKey: "production", ruleId: 400001, goalIdsCuped: [1, 2] });
    expect(body.breakdown).toBeUndefined();
    // A minute later in the same hour: the same request, so the same dataCode.
    expect(
      resultsRequest(summary, { ...defaultOptions, cuped: true }, [1, 2], T0 + 3 * DAY + 120_000),
    ).toEqual(body);
    expect(cumulativeRequest(body).breakdown).toEqual({
      type: "INTERVAL",
      interval: "DAY",
      cumulative: true,
    });
  });

  it("asks CUPED for the flag's primary goal first, then its secondary goals", () => {
    expect(reportGoalIds({ primaryGoalId: 7, secondaryGoalIds: [3, 9] })).toEqual([7, 3, 9]);
    expect(reportGoalIds({ primaryGoalId: null, secondaryGoalIds: [3] })).toEqual([3]);
    expect(reportGoalIds({})).toEqual([]);
  });
});

describe("variance reduction", () => {
  const none = defaultOptions.varianceReduction;
  const summary = experimentSummary(experiment);

  it("asks regression on the chosen covariates or post-stratification for every goal of the report", () => {
    const regression = {
      ...none,
      method: "REGRESSION" as const,
      covariateGoalIds: [5],
      covariateAttributes: ["score"],
    };
    const body = resultsRequest(summary, { ...defaultOptions, varianceReduction: regression }, [1, 2], T0);
    expect(body.varianceReduction).toEqual({
      method: "REGRESSION",
      goalIds: [1, 2],
      covariateGoalIds: [5],
      covariateAttributes: ["score"],
    });
    const strata = {
      ...none,
      method: "POST_STRATIFICATION" as const,
      stratification: { type: "DEVICE_TYPE" as const },
    };
    expect(withVarianceReduction(strata, [1])).toEqual({
      varianceReduction: {
        method: "POST_STRATIFICATION",
        goalIds: [1],
        stratification: { type: "DEVICE_TYPE" },
      },
    });
    // Only the fields of the chosen method are sent (the server refuses the other method's fields).
    expect(
      withVarianceReduction(
        { ...regression, method: "POST_STRATIFICATION", stratification: { type: "OS" } },
        [1],
      ),
    ).toEqual({
      varianceReduction: { method: "POST_STRATIFICATION", goalIds: [1], stratification: { type: "OS" } },
    });
  });

  it("asks nothing while the choice is none or incomplete, and never on the over-time series", () => {
    expect(resultsRequest(summary, defaultOptions, [1], T0)).not.toHaveProperty("varianceReduction");
    expect(withVarianceReduction({ ...none, method: "REGRESSION" }, [1])).toEqual({});
    expect(withVarianceReduction({ ...none, method: "POST_STRATIFICATION" }, [1])).toEqual({});
    expect(
      withVarianceReduction(
        { ...none, method: "POST_STRATIFICATION", stratification: { type: "CUSTOM_DATUM" } },
        [1],
      ),
    ).toEqual({});
    expect(withVarianceReduction({ ...none, method: "REGRESSION", covariateGoalIds: [5] }, [])).toEqual({});
    // The server computes it on the totals and refuses it with a breakdown: the cumulative days leave it out.
    const body = resultsRequest(
      summary,
      { ...defaultOptions, varianceReduction: { ...none, method: "REGRESSION", covariateGoalIds: [5] } },
      [1],
      T0,
    );
    expect(body.varianceReduction).toBeDefined();
    expect(cumulativeRequest(body)).not.toHaveProperty("varianceReduction");
  });

  // Blocks as the report gives them (docs/kameleoon-results.md): the slopes and strata are pooled over the
  // variations, the reduction is the compared variation's own (null for the reference).
  const withBlock = (blocks: Record<string, unknown>) =>
    ({
      ...report,
      variationData: Object.fromEntries(
        Object.entries(report.variationData).map(([id, v]) => [
          id,
          {
            ...v,
            generalData: {
              ...v.generalData,
              goalsData: {
                ...v.generalData.goalsData,
                "1": { ...v.generalData.goalsData["1"], varianceReduction: blocks[id] },
              },
            },
          },
        ]),
      ),
    }) as unknown as ResultsReport;
  const block = (extra: Record<string, unknown>) => ({
    method: "REGRESSION",
    applied: true,
    reason: null,
    adjustedMean: 0.15,
    varianceReduction: null,
    covariates: null,
    droppedCovariates: null,
    strata: null,
    mergedStrata: null,
    ...extra,
  });

  it("says what a regression applied: the reduction per variation, the covariates and their slopes", () => {
    const covariates = [
      { goalId: 5, attribute: null, coefficient: 0.52341 },
      { goalId: null, attribute: "score", coefficient: -1.5 },
    ];
    const dropped = [{ goalId: 6, attribute: null, reason: "collinear" }];
    const vr = withBlock({
      "10": block({ covariates, droppedCovariates: dropped }),
      "11": block({ covariates, droppedCovariates: dropped, varianceReduction: 23.44 }),
    });
    expect(varianceReductionSummary(vr, 1, { 5: "Signup" })).toEqual({
      method: "REGRESSION",
      applied: true,
      reason: null,
      reductions: ["On: variance reduced by 23.4 %"],
      details: [
        "goal Signup (14 days before): slope 0.523",
        "attribute score: slope -1.50",
        "goal 6 (14 days before) dropped: collinear",
      ],
    });
    expect(varianceReductionSummary(vr, 2)).toBeNull();
  });

  it("says the strata and their weights, or why the adjustment was not applied", () => {
    const strata = [
      { value: "desktop", weight: 0.625 },
      { value: "(none)", weight: 0.375 },
    ];
    const applied = block({ method: "POST_STRATIFICATION", strata, mergedStrata: ["tablet"] });
    const vr = withBlock({ "10": applied, "11": { ...applied, varianceReduction: 8 } });
    expect(varianceReductionSummary(vr, 1)?.details).toEqual([
      "stratum desktop: weight 62.5 %",
      "stratum (none): weight 37.5 %",
      "merged small strata: tablet",
    ]);
    const reason = "fewer than two strata with 20 units per variation";
    const notApplied = block({ method: "POST_STRATIFICATION", applied: false, adjustedMean: null, reason });
    expect(varianceReductionSummary(withBlock({ "10": notApplied, "11": notApplied }), 1)).toEqual({
      method: "POST_STRATIFICATION",
      applied: false,
      reason,
      reductions: [],
      details: [],
    });
  });
});

describe("variation rows", () => {
  it("puts the reference first with the rate, lift, interval and chances of each variation", () => {
    const rows = variationRows(report, 1);
    expect(rows.map((r) => [r.name, r.reference, r.units, r.value])).toEqual([
      ['Off, "old"', true, 200, 0.1],
      ["On", false, 200, 0.15],
    ]);
    expect(rows[1]).toMatchObject({
      lift: 50,
      interval: { lower: 1, upper: 99 },
      pValue: 0.04,
      significant: true,
      chanceToBeatReference: 97,
    });
  });

  it("judges a revenue goal by revenue per unit (a mean), and prefers the multiple-testing values", () => {
    const [, on] = variationRows(report, 2);
    expect(on).toMatchObject({ kind: "mean", value: (30 * 10) / 200 });
    const adjusted = structuredClone(report);
    Object.assign(adjusted.variationData["11"]!.generalData.goalsData["1"]!, {
      pValueAdjusted: 0.08,
      improvementIntervalAdjusted: { lower: -2, upper: 110 },
    });
    expect(variationRows(adjusted, 1)[1]).toMatchObject({
      pValue: 0.08,
      interval: { lower: -2, upper: 110 },
    });
  });
});

describe("series over time", () => {
  it("orders the cumulative days by time, leaves out folded values, and keeps open bounds open", () => {
    const [on] = cumulativeLiftSeries(report, 1);
    expect(on?.points).toEqual([
      { time: Date.UTC(2026, 10, 1), value: 0, lower: -80, upper: 200 },
      { time: Date.UTC(2026, 10, 2), value: 25, lower: -40, upper: null },
    ]);
    // Variations in the report's order (ids ascending, as JSON objects keep integer keys).
    expect(exposureSeries(report).map((s) => [s.name, s.points.map((p) => p.value)])).toEqual([
      ['Off, "old"', [50, 110]],
      ["On", [50, 120]],
    ]);
  });

  it("draws the lift distribution as a normal density through the credible interval", () => {
    const density = liftDensity({ lower: -1.96, upper: 1.96 }, 81)!;
    const step = density[1]!.lift - density[0]!.lift;
    // A density integrates to 1 (±4 sd hold 99.99 %); its peak is at the interval's middle.
    expect(density.reduce((s, p) => s + p.density * step, 0)).toBeCloseTo(1, 3);
    expect(density[40]!.lift).toBeCloseTo(0, 9);
    expect(Math.max(...density.map((p) => p.density))).toBe(density[40]!.density);
    expect(liftDensity({ lower: null, upper: 3 })).toBeNull();
  });
});

describe("export", () => {
  it("quotes CSV fields that need it", () => {
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField(0.25)).toBe("0.25");
    expect(csvField(null)).toBe("");
  });

  it("writes one line per breakdown value, variation and goal, totals first", () => {
    const lines = resultsCsv(report).trimEnd().split("\r\n");
    // header, then per goal: 2 total rows, 2 rows for each of the two days, 1 for "(other)" (only On has it).
    expect(lines[0]).toMatch(/^breakdown,variation_id,variation,reference,goal_id,goal,units/);
    expect(lines[1]).toBe(
      'total,10,"Off, ""old""",true,1,Purchase,200,21,20,CONVERTED_UNITS_RATE,0.1,,,,,,,,',
    );
    expect(lines[2]).toBe(
      "total,11,On,false,1,Purchase,200,31,30,CONVERTED_UNITS_RATE,0.15,50,1,99,0.04,true,97,97,",
    );
    expect(lines.length).toBe(1 + 2 * (2 + 2 + 2 + 1));
  });

  it("writes an interval with open bounds as infinities", () => {
    expect(intervalText({ lower: -40, upper: null })).toBe("[-40.0 %, +∞]");
    expect(intervalText(null)).toBe("–");
  });
});
