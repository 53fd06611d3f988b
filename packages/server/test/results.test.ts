import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import { RESULTS_REPORT_KIND } from "../src/results/report-job.js";
import {
  createExperiment,
  type ExperimentSetup,
  type Json,
  simulateInto,
  waitForReport,
} from "../src/results/results-simulation.test-support.js";
import { startTestServer, type TestServer, testDatabaseKind } from "./harness.js";

const DAY = 86_400_000;
let server: TestServer;
/** off 10 %, on 11 % (true lift +10 %) on the first goal; a numeric goal with repeats; CUPED-friendly goal. */
let ab: ExperimentSetup;
/** Two identical variations (A/A). */
let aa: ExperimentSetup;
/** How many times the report handler ran. */
let computations = 0;

/** The whole simulated period; fixed once so that equal requests are equal. */
const NOW = Date.now();
const range = () => [
  { start: new Date(NOW - 30 * DAY).toISOString(), end: new Date(NOW + DAY).toISOString() },
];

async function requestReport(flagId: number, body: Record<string, unknown>, token?: string) {
  const response = await server.request("POST", `/feature-flags/${flagId}/results`, {
    body: { dateIntervals: range(), conversionType: "CONVERTED_VISITS", ...body },
    ...(token ? { token } : {}),
  });
  return response;
}

async function report(flagId: number, body: Record<string, unknown>) {
  const response = await requestReport(flagId, body);
  expect(response.status, response.text).toBe(200);
  const done = await waitForReport(server, response.body.dataCode);
  expect(done.status, JSON.stringify(done.error)).toBe("READY");
  return { dataCode: response.body.dataCode as string, data: done.data as Json };
}

beforeAll(async () => {
  server = await startTestServer();
  const original = server.context.jobs.handlerOf(RESULTS_REPORT_KIND)!;
  server.context.jobs.register(
    RESULTS_REPORT_KIND,
    async (job, ctx) => {
      computations++;
      return original(job, ctx);
    },
    { leaseMs: 60_000 },
  );
  await ensureDemoProject(server.context);
  ab = await createExperiment(server, {
    featureKey: "checkout",
    goals: [{ name: "Purchase" }, { name: "Revenue", isNumeric: true }, { name: "Signup" }],
    otherGoals: 1,
  });
  await simulateInto(server.context, {
    featureKey: "checkout",
    visitors: 100_000,
    seed: 1,
    secondVisitShare: 0.2,
    customAttribute: { key: "plan", values: ["0", "free", "pro"] },
    goals: [
      { goalId: ab.goalIds[0]!, rates: { off: 0.1, on: 0.11 } },
      {
        goalId: ab.goalIds[1]!,
        rates: { off: 0.05, on: 0.05 },
        values: { mean: 40, sd: 10 },
        repeatShare: 0.3,
      },
      {
        goalId: ab.goalIds[2]!,
        rates: { off: 0.2, on: 0.22 },
        preExposure: { share: 0.3, boost: 2, ifEngaged: 0.7, otherwise: 0.05 },
      },
    ],
  });
  aa = await createExperiment(server, { featureKey: "aa-test", goals: [{ name: "AA goal" }] });
  await simulateInto(server.context, {
    featureKey: "aa-test",
    visitors: 40_000,
    seed: 2,
    goals: [{ goalId: aa.goalIds[0]!, rates: { off: 0.1, on: 0.1 } }],
  });
}, 300_000);

afterAll(async () => {
  await server?.close();
});

describe(`Kameleoon results (${testDatabaseKind})`, () => {
  it("answers a dataCode at once; the report finds the true lift, favours `on`, and sees no SRM", async () => {
    const response = await requestReport(ab.flagId, { visitorData: true, bayesian: true });
    expect(response.status, response.text).toBe(200);
    expect(Object.keys(response.body)).toEqual(["dataCode"]);
    expect(response.body.dataCode).toMatch(/^\d{1,19}$/);
    const done = await waitForReport(server, response.body.dataCode);
    expect(done.status).toBe("READY");
    expect(done.progress).toBe(100);
    const data = done.data;
    const off = data.variationData[String(ab.variationIds.off)];
    const on = data.variationData[String(ab.variationIds.on)];
    expect(off.reference).toBe(true);
    expect(Object.keys(on.breakdownData)).toEqual(["0"]);
    const goal = String(ab.goalIds[0]);
    const offGoal = off.breakdownData["0"].generalData.goalsData[goal];
    const onGoal = on.breakdownData["0"].generalData.goalsData[goal];
    expect(offGoal.conversionRate).toBeGreaterThan(0.095);
    expect(offGoal.conversionRate).toBeLessThan(0.105);
    expect(onGoal.conversionRate).toBeGreaterThan(0.105);
    expect(onGoal.conversionRate).toBeLessThan(0.115);
    // True lift: (0.11 - 0.10) / 0.10 = +10 %.
    expect(onGoal.improvementInterval.lower).toBeLessThan(10);
    expect(onGoal.improvementInterval.upper).toBeGreaterThan(10);
    expect(onGoal.improvementInterval.lower).toBeGreaterThan(0);
    expect(onGoal.improvementRate).toBeGreaterThan(5);
    expect(onGoal.reliability).toBeGreaterThan(99);
    expect(onGoal.bayesian.chanceToBeatReference).toBeGreaterThan(99);
    expect(onGoal.bayesian.chanceToBeBest).toBeGreaterThan(99);
    expect(onGoal.bayesian.improvementCredibleInterval.lower).toBeGreaterThan(0);
    expect(offGoal.improvementRate ?? null).toBeNull();
    expect(data.sampleRatioCheck.flagged).toBe(false);
    expect(data.sampleRatioCheck.pValue).toBeGreaterThan(0.001);
    const visitors = off.generalData.visitorCount + on.generalData.visitorCount;
    expect(visitors).toBe(100_000);
    // 20 % of visitors came back once: visits > visitors.
    expect(off.generalData.visitCount).toBeGreaterThan(off.generalData.visitorCount * 1.15);
  });

  it("finds nothing in an A/A test", async () => {
    const { data } = await report(aa.flagId, { visitorData: true, bayesian: true, sequentialTesting: true });
    const on = data.variationData[String(aa.variationIds.on)].generalData.goalsData[String(aa.goalIds[0])];
    expect(on.significant).toBe(false);
    expect(on.improvementInterval.lower).toBeLessThan(0);
    expect(on.improvementInterval.upper).toBeGreaterThan(0);
    expect(on.reliability).toBeLessThan(95);
    expect(on.bayesian.chanceToBeatReference).toBeGreaterThan(2.5);
    expect(on.bayesian.chanceToBeatReference).toBeLessThan(97.5);
    expect(data.sampleRatioCheck.flagged).toBe(false);
  });

  it("breakdown rows add up to the totals (units and conversions), per variation and for all variations", async () => {
    for (const [breakdown, visitorData] of [
      [{ type: "BROWSER" }, true],
      [{ type: "DEVICE_TYPE" }, false],
      [{ type: "NEW_VISITOR" }, true],
      [{ type: "INTERVAL", interval: "DAY" }, false],
      [{ type: "CUSTOM_DATUM", key: "plan" }, true],
    ] as const) {
      const { data } = await report(ab.flagId, {
        visitorData,
        breakdown,
        allVariationsData: true,
        conversionType: "ALL_CONVERSION",
      });
      expect(data.breakdown.type).toBe(breakdown.type);
      const rows = [...Object.values(ab.variationIds).map(String), "all"].map((id) => data.variationData[id]);
      for (const row of rows) {
        const parts = Object.values(row.breakdownData).map((b: Json) => b.generalData);
        expect(parts.length).toBeGreaterThan(1);
        const total = row.generalData;
        const sum = (read: (g: Json) => number) => parts.reduce((s: number, g: Json) => s + read(g), 0);
        if (visitorData) expect(sum((g) => g.visitorCount)).toBe(total.visitorCount);
        else expect(sum((g) => g.visitCount)).toBe(total.visitCount);
        for (const goal of ab.goalIds.slice(0, 3).map(String)) {
          for (const field of ["conversionCount", "convertedVisitCount"]) {
            expect(sum((g) => g.goalsData[goal][field])).toBe(total.goalsData[goal][field]);
          }
          expect(sum((g) => g.goalsData[goal].revenueCount)).toBeCloseTo(
            total.goalsData[goal].revenueCount,
            6,
          );
        }
      }
      const variations = Object.values(ab.variationIds).map(
        (id) => data.variationData[String(id)].generalData,
      );
      const all = data.variationData.all.generalData;
      expect(variations.reduce((s: number, g: Json) => s + g.visitCount, 0)).toBe(all.visitCount);
      const goal = String(ab.goalIds[0]);
      expect(variations.reduce((s: number, g: Json) => s + g.goalsData[goal].conversionCount, 0)).toBe(
        all.goalsData[goal].conversionCount,
      );
      // Per breakdown value, the statistics are there too. Read them on the largest value: a value with no
      // conversions (the first or last day of an INTERVAL breakdown, which near midnight UTC holds minutes)
      // rightly has no reliability, and the order of the values is not the point here.
      const on = data.variationData[String(ab.variationIds.on)];
      const largest = Object.values(on.breakdownData).reduce((a: Json, b: Json) =>
        b.generalData.visitorCount > a.generalData.visitorCount ? b : a,
      ) as Json;
      expect(typeof largest.generalData.goalsData[goal].reliability).toBe("number");
    }
  });

  it("selects goals: null = all the flag's goals, [] = none, a list = those; another goal is a 400", async () => {
    const goalsOf = (data: Json) =>
      Object.keys(data.variationData[String(ab.variationIds.off)].generalData.goalsData).map(Number).sort();
    const flagGoals = ab.goalIds.slice(0, 3).sort();
    expect(goalsOf((await report(ab.flagId, { goalsIds: null })).data)).toEqual(flagGoals);
    expect(goalsOf((await report(ab.flagId, {})).data)).toEqual(flagGoals);
    const none = (await report(ab.flagId, { goalsIds: [] })).data;
    expect(goalsOf(none)).toEqual([]);
    expect(none.variationData[String(ab.variationIds.off)].generalData.visitCount).toBeGreaterThan(0);
    expect(goalsOf((await report(ab.flagId, { goalsIds: [ab.goalIds[1]] })).data)).toEqual([ab.goalIds[1]]);
    const other = await requestReport(ab.flagId, { goalsIds: [ab.goalIds[0], ab.goalIds[3]] });
    expect(other.status).toBe(400);
    expect(other.body.message).toMatch(/body\.goalsIds\.1/);
    expect(other.body).toMatchObject({ code: "400", status: "ERROR", name: "BAD_REQUEST" });
  });

  it("gives the same request the same dataCode and one computation; another request another code", async () => {
    const body = { visitorData: true, goalsIds: [ab.goalIds[1], ab.goalIds[0]], bayesian: false };
    const before = computations;
    const responses = await Promise.all([1, 2, 3].map(() => requestReport(ab.flagId, body)));
    const codes = new Set(responses.map((r) => r.body.dataCode));
    expect(codes.size).toBe(1);
    const [dataCode] = [...codes];
    await waitForReport(server, dataCode);
    // Same request, written differently (set order, explicit defaults): same code, no new computation.
    const again = await requestReport(ab.flagId, {
      goalsIds: [ab.goalIds[0], ab.goalIds[1]],
      visitorData: true,
      allVariationsData: false,
      sequentialTesting: false,
      breakdown: null,
      filters: [],
    });
    expect(again.body.dataCode).toBe(dataCode);
    await waitForReport(server, dataCode);
    expect(computations - before).toBe(1);
    const other = await requestReport(ab.flagId, { ...body, visitorData: false });
    expect(other.body.dataCode).not.toBe(dataCode);
    await waitForReport(server, other.body.dataCode);
    expect(computations - before).toBe(2);
  });

  it("recomputes a report once the flag's data moved, under the same dataCode", async () => {
    const body = { visitorData: true, goalsIds: [aa.goalIds[0]] };
    const first = await report(aa.flagId, body);
    const before = computations;
    const visitors = (d: Json) => d.variationData[String(aa.variationIds.off)].generalData.visitorCount;
    expect((await requestReport(aa.flagId, body)).body.dataCode).toBe(first.dataCode);
    await waitForReport(server, first.dataCode);
    expect(computations).toBe(before);
    await simulateInto(server.context, {
      featureKey: "aa-test",
      visitors: 2000,
      seed: 99,
      goals: [{ goalId: aa.goalIds[0]!, rates: { off: 0.1, on: 0.1 } }],
    });
    const second = await report(aa.flagId, body);
    expect(second.dataCode).toBe(first.dataCode);
    expect(computations).toBe(before + 1);
    expect(visitors(second.data)).toBeGreaterThan(visitors(first.data));
  });

  it("answers 400 naming the field for every bad input", async () => {
    const good = { dateIntervals: range(), conversionType: "CONVERTED_VISITS" };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ conversionType: "CONVERTED_VISITS" }, /dateIntervals/],
      [{ dateIntervals: range() }, /conversionType/],
      [{ ...good, conversionType: "SOME" }, /body\.conversionType/],
      [{ ...good, dateIntervals: [] }, /body\.dateIntervals/],
      [
        { ...good, dateIntervals: [{ start: "yesterday", end: "2030-01-01T00:00:00Z" }] },
        /dateIntervals\.0\.start/,
      ],
      [
        { ...good, dateIntervals: [{ start: "2030-01-02T00:00:00Z", end: "2030-01-01T00:00:00Z" }] },
        /dateIntervals\.0\.end/,
      ],
      [{ ...good, dateIntervals: [{ start: "2030-01-01T00:00:00Z" }] }, /end/],
      [{ ...good, dateIntervals: [{ from: "2030-01-01T00:00:00Z", end: "2030-01-02T00:00:00Z" }] }, /from/],
      [{ ...good, visitorData: "often" }, /body\.visitorData/],
      [{ ...good, bayesian: {} }, /body\.bayesian/],
      [{ ...good, unknownField: 1 }, /unknownField/],
      [{ ...good, breakdown: { type: "PLANET" } }, /body\.breakdown\.type/],
      [{ ...good, breakdown: { type: "INTERVAL", interval: "YEAR" } }, /body\.breakdown\.interval/],
      [{ ...good, breakdown: { type: "CUSTOM_DATUM" } }, /body\.breakdown\.key/],
      [{ ...good, breakdown: { type: "BROWSER", interval: "DAY" } }, /body\.breakdown\.interval/],
      [{ ...good, breakdown: { type: "OS", key: "x" } }, /body\.breakdown\.key/],
      [{ ...good, breakdown: { type: "OS", extra: 1 } }, /extra/],
      [{ ...good, filters: [{ type: "PLANET", include: true, values: [] }] }, /body\.filters\.0\.type/],
      [
        { ...good, filters: [{ type: "NEW_VISITOR", include: true, values: ["maybe"] }] },
        /filters\.0\.values\.0/,
      ],
      [{ ...good, filters: [{ type: "CUSTOM_DATUM", include: true, values: ["a"] }] }, /filters\.0\.key/],
      [{ ...good, filters: [{ type: "OS", include: true }] }, /values/],
      [{ ...good, goalsIds: [ab.goalIds[3]] }, /body\.goalsIds\.0/],
      [{ ...good, goalsIds: ["x"] }, /body\.goalsIds\.0/],
      [{ ...good, goalsIds: [ab.goalIds[0]], goalIdsCuped: [ab.goalIds[1]] }, /body\.goalIdsCuped\.0/],
      [{ ...good, referenceVariationId: "424242" }, /body\.referenceVariationId/],
      [{ ...good, referenceVariationId: "off" }, /body\.referenceVariationId/],
      [{ ...good, callbackUrl: "ftp://example.com/hook" }, /body\.callbackUrl/],
      [{ ...good, callbackUrl: "not a url" }, /body\.callbackUrl/],
      [{ ...good, callbackUrl: "http://127.0.0.1:9/hook" }, /body\.callbackUrl.*127\.0\.0\.1/],
      [{ ...good, callbackUrl: "http://[::1]:9/hook" }, /body\.callbackUrl/],
      [{ ...good, callbackUrl: "http://10.1.2.3/hook" }, /body\.callbackUrl/],
      [{ ...good, environmentKey: "moon" }, /body\.environmentKey/],
      [{ ...good, ruleId: 1 }, /body\.ruleId/],
    ];
    for (const [body, field] of cases) {
      const response = await server.request("POST", `/feature-flags/${ab.flagId}/results`, { body });
      expect(response.status, `${JSON.stringify(body)} -> ${response.text}`).toBe(400);
      expect(response.body.message, JSON.stringify(body)).toMatch(field);
      expect(response.body.status).toBe("ERROR");
    }
    expect((await server.request("POST", "/feature-flags/999999/results", { body: good })).status).toBe(404);
    expect((await server.request("POST", "/feature-flags/abc/results", { body: good })).status).toBe(400);
    expect((await server.request("GET", "/results?dataCode=12345")).status).toBe(404);
    const bad = await server.request("GET", "/results?dataCode=abc");
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/dataCode/);
    expect((await server.request("GET", "/results")).status).toBe(400);
  });

  it("every field changes the report: reference, conversion type, unit, filters, sequential, multiple testing", async () => {
    const goal = String(ab.goalIds[1]);
    const base = { visitorData: true, goalsIds: [ab.goalIds[0], ab.goalIds[1]] };
    const plain = (await report(ab.flagId, { ...base, conversionType: "ALL_CONVERSION" })).data;
    const converted = (await report(ab.flagId, { ...base, conversionType: "CONVERTED_VISITS" })).data;
    const offAll = plain.variationData[String(ab.variationIds.off)].generalData.goalsData[goal];
    const offConverted = converted.variationData[String(ab.variationIds.off)].generalData.goalsData[goal];
    // Repeated conversions: counted by ALL_CONVERSION, not by CONVERTED_VISITS.
    expect(offAll.conversionCount).toBe(offConverted.conversionCount);
    expect(offAll.conversionCount).toBeGreaterThan(offAll.convertedVisitCount);
    expect(offAll.conversionRate).toBeGreaterThan(offConverted.conversionRate);
    expect(offAll.revenueCount).toBeGreaterThan(0);
    expect(offAll.averageCart).toBeGreaterThan(30);
    expect(offAll.averageCart).toBeLessThan(50);
    expect(plain.goals.find((g: Json) => g.goalId === ab.goalIds[1]).analyzedMetric).toBe("REVENUE_PER_UNIT");

    const visits = (await report(ab.flagId, { ...base, visitorData: false })).data;
    const offVisits = visits.variationData[String(ab.variationIds.off)].generalData;
    const offVisitors = converted.variationData[String(ab.variationIds.off)].generalData;
    expect(offVisits.visitCount).toBe(offVisitors.visitCount);
    expect(visits.unit).toBe("VISIT");

    const reversed = (await report(ab.flagId, { ...base, referenceVariationId: String(ab.variationIds.on) }))
      .data;
    expect(reversed.variationData[String(ab.variationIds.on)].reference).toBe(true);
    const offVsOn =
      reversed.variationData[String(ab.variationIds.off)].generalData.goalsData[String(ab.goalIds[0])];
    expect(offVsOn.improvementRate).toBeLessThan(0);
    const numeric = await report(ab.flagId, { ...base, referenceVariationId: ab.variationIds.on });
    expect(numeric.data.referenceVariationId).toBe(String(ab.variationIds.on));

    const chrome = (
      await report(ab.flagId, { ...base, filters: [{ type: "BROWSER", include: true, values: ["Chrome"] }] })
    ).data;
    const byBrowser = (await report(ab.flagId, { ...base, breakdown: { type: "BROWSER" } })).data;
    const off = String(ab.variationIds.off);
    expect(chrome.variationData[off].generalData.visitorCount).toBe(
      byBrowser.variationData[off].breakdownData.Chrome.generalData.visitorCount,
    );
    const notChrome = (
      await report(ab.flagId, { ...base, filters: [{ type: "BROWSER", include: false, values: ["Chrome"] }] })
    ).data;
    expect(
      notChrome.variationData[off].generalData.visitorCount +
        chrome.variationData[off].generalData.visitorCount,
    ).toBe(byBrowser.variationData[off].generalData.visitorCount);

    const sequential = (
      await report(ab.flagId, { ...base, sequentialTesting: true, enabledMultipleTesting: true })
    ).data;
    const onGoal =
      sequential.variationData[String(ab.variationIds.on)].generalData.goalsData[String(ab.goalIds[0])];
    // The headline is the always-valid test; the fixed-horizon one is kept beside it.
    expect(onGoal.pValue).toBe(onGoal.sequential.pValue);
    expect(onGoal.improvementInterval).toEqual(onGoal.sequential.improvementInterval);
    expect(onGoal.sequential.pValue).toBeGreaterThanOrEqual(onGoal.fixedHorizon.pValue);
    expect(onGoal.sequential.improvementInterval.lower).toBeLessThan(
      onGoal.fixedHorizon.improvementInterval.lower,
    );
    expect(onGoal.sequential.improvementInterval.upper).toBeGreaterThan(
      onGoal.fixedHorizon.improvementInterval.upper,
    );
    // The verdict agrees with the (adjusted) interval printed beside it.
    const excludes0 = (i: Json) => i.lower > 0 || i.upper < 0;
    expect(onGoal.significant).toBe(excludes0(onGoal.improvementIntervalAdjusted));
    expect(onGoal.relativeEffect.pValue).toBe(onGoal.absoluteEffect.pValue);
    expect(onGoal.pValueAdjusted).toBeGreaterThanOrEqual(onGoal.sequential.pValue);
    expect(onGoal.improvementIntervalAdjusted.lower).toBeLessThanOrEqual(
      onGoal.sequential.improvementInterval.lower,
    );
    expect(sequential.statistics).toMatchObject({
      sequentialTesting: true,
      multipleTestingCorrection: "HOLM",
    });
    const unadjusted =
      plain.variationData[String(ab.variationIds.on)].generalData.goalsData[String(ab.goalIds[0])];
    expect(unadjusted.pValueAdjusted).toBeUndefined();
    expect(unadjusted.sequential).toBeUndefined();
    expect(unadjusted.bayesian).toBeUndefined();

    const window = (
      await report(ab.flagId, {
        ...base,
        dateIntervals: [
          {
            start: new Date(server.context.now() - 30 * DAY).toISOString(),
            end: new Date(server.context.now() - 5 * DAY).toISOString(),
          },
        ],
      })
    ).data;
    expect(window.variationData[off].generalData.visitorCount).toBeLessThan(
      converted.variationData[off].generalData.visitorCount,
    );
    expect(window.variationData[off].generalData.visitorCount).toBeGreaterThan(0);
  });

  it('breaks down and filters by a custom attribute, values keyed as they are (even "0")', async () => {
    const base = { visitorData: true, goalsIds: [ab.goalIds[0]] };
    const { data } = await report(ab.flagId, { ...base, breakdown: { type: "CUSTOM_DATUM", key: "plan" } });
    const off = data.variationData[String(ab.variationIds.off)];
    expect(Object.keys(off.breakdownData).sort()).toEqual(["0", "free", "pro"]);
    const zero = off.breakdownData["0"].generalData.visitorCount;
    expect(zero).toBeLessThan(off.generalData.visitorCount * 0.4);
    const filtered = (
      await report(ab.flagId, {
        ...base,
        filters: [{ type: "CUSTOM_DATUM", key: "plan", include: true, values: [0] }],
      })
    ).data;
    expect(filtered.variationData[String(ab.variationIds.off)].generalData.visitorCount).toBe(zero);
    const ruleOnly = (
      await report(ab.flagId, {
        ...base,
        filters: [{ type: "CUSTOM_DATUM", key: "tier", include: true, values: ["x"] }],
      })
    ).data;
    expect(ruleOnly.variationData[String(ab.variationIds.off)].generalData.visitorCount).toBe(0);
  });

  it("adds CUPED-adjusted numbers for the goals in goalIdsCuped", async () => {
    const cupedGoal = String(ab.goalIds[2]);
    const { data } = await report(ab.flagId, {
      visitorData: true,
      goalsIds: [ab.goalIds[0], ab.goalIds[2]],
      goalIdsCuped: [ab.goalIds[2]],
    });
    const on = data.variationData[String(ab.variationIds.on)].generalData.goalsData;
    expect(on[String(ab.goalIds[0])].cuped).toBeUndefined();
    const cuped = on[cupedGoal].cuped;
    expect(cuped.applied).toBe(true);
    expect(cuped.varianceReduction).toBeGreaterThan(5);
    expect(cuped.theta).toBeGreaterThan(0);
    // The goal's headline numbers are the adjusted ones; the same goal without CUPED is wider.
    expect(on[cupedGoal].improvementInterval).toEqual(cuped.improvementInterval);
    expect(on[cupedGoal].test).toBe("CUPED_Z");
    const plain = (await report(ab.flagId, { visitorData: true, goalsIds: [ab.goalIds[2]] })).data
      .variationData[String(ab.variationIds.on)].generalData.goalsData[cupedGoal];
    const width = (i: Json) => i.upper - i.lower;
    expect(width(cuped.improvementInterval)).toBeLessThan(width(plain.improvementInterval));
    // True lift 0.22 / 0.20 - 1 = +10 %.
    expect(cuped.improvementInterval.lower).toBeLessThan(10);
    expect(cuped.improvementInterval.upper).toBeGreaterThan(10);
    expect(cuped.reliability).toBeGreaterThan(95);
    expect(typeof cuped.conversionRate).toBe("number");
    expect(data.goals.find((g: Json) => g.goalId === ab.goalIds[2]).cuped).toBe(true);
  });

  it("lets a reader token request and read; a token of another project gets 403", async () => {
    await server.request("POST", "/projects", { body: { key: "other", name: "Other" } });
    const reader = await token("reader");
    const otherReader = await token("reader", "other");
    const scopedReader = await token("reader", "demo");
    const response = await requestReport(ab.flagId, { goalsIds: [] }, reader);
    expect(response.status, response.text).toBe(200);
    const done = await waitForReport(server, response.body.dataCode, 60_000, scopedReader);
    expect(done.status).toBe("READY");
    expect((await requestReport(ab.flagId, { goalsIds: [] }, otherReader)).status).toBe(403);
    const poll = await server.request("GET", `/results?dataCode=${response.body.dataCode}`, {
      token: otherReader,
    });
    expect(poll.status).toBe(403);
    expect(poll.body.status).toBe("ERROR");
    expect((await requestReport(ab.flagId, { goalsIds: [] }, "not-a-token")).status).toBe(401);
    const anonymous = await server.request("GET", `/results?dataCode=${response.body.dataCode}`, {
      token: null,
    });
    expect(anonymous.status).toBe(401);
  });

  it("shows PENDING/RUNNING with progress before READY, and FAILED with the reason", async () => {
    const original = server.context.jobs.handlerOf(RESULTS_REPORT_KIND)!;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    server.context.jobs.register(RESULTS_REPORT_KIND, async (job, ctx) => {
      ctx.progress(42);
      await gate;
      return original(job, ctx);
    });
    try {
      const flag = await createExperiment(server, { featureKey: "doomed", goals: [{ name: "Doomed goal" }] });
      const response = await requestReport(flag.flagId, {});
      expect(response.status).toBe(200);
      let poll = await server.request("GET", `/results?dataCode=${response.body.dataCode}`);
      expect(["PENDING", "RUNNING"]).toContain(poll.body.status);
      expect(poll.body.data).toBeUndefined();
      for (let i = 0; i < 200 && poll.body.progress !== 42; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        poll = await server.request("GET", `/results?dataCode=${response.body.dataCode}`);
      }
      expect(poll.body).toMatchObject({ status: "RUNNING", progress: 42 });
      expect((await server.request("DELETE", "/feature-flags/demo/doomed")).status).toBeLessThan(300);
      release();
      const done = await waitForReport(server, response.body.dataCode);
      expect(done.status).toBe("FAILED");
      expect(done.error).toMatch(/feature flag \d+ no longer exists/);
      expect(done.data).toBeUndefined();
    } finally {
      release();
      server.context.jobs.register(RESULTS_REPORT_KIND, original, { leaseMs: 60_000 });
    }
  });

  it("flags a sample ratio mismatch against the rule's allocation, recomputing after the rule changed", async () => {
    const body = { visitorData: true, goalsIds: [] };
    const before = await report(aa.flagId, body);
    expect(before.data.sampleRatioCheck.flagged).toBe(false);
    const patch = await server.request("PATCH", `/feature-flags/rules/${aa.ruleId}`, {
      body: {
        trafficAllocations: [
          { variationKey: "off", exposition: 80 },
          { variationKey: "on", exposition: 20 },
        ],
      },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patch.status, patch.text).toBe(200);
    const after = await report(aa.flagId, body);
    expect(after.dataCode).toBe(before.dataCode);
    const srm = after.data.sampleRatioCheck;
    expect(srm.flagged).toBe(true);
    expect(srm.pValue).toBeLessThan(0.001);
    expect(srm.variations[String(aa.variationIds.off)].allocation).toBe(80);
    expect(after.data.warnings.join(" ")).toMatch(/sample ratio mismatch/);
  });
});

async function token(role: string, projectKey?: string): Promise<string> {
  const response = await server.request("POST", "/tokens", {
    body: {
      name: `${role}-${projectKey ?? "all"}-${Math.random()}`,
      role,
      ...(projectKey ? { projectKey } : {}),
    },
  });
  expect(response.status, response.text).toBe(201);
  return response.body.token as string;
}
