import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import {
  createExperiment,
  type ExperimentSetup,
  type Json,
  simulateInto,
  waitForReport,
} from "../src/results/results-simulation.test-support.js";
import { startTestServer, type TestServer, testDatabaseKind } from "./harness.js";

// The cumulative INTERVAL breakdown (a Vexil extension of Kameleoon's results request) behind the console's
// "lift over time" plot: each bucket is the running sum of the plain buckets, analysed like any row.
const DAY = 86_400_000;
const NOW = Date.now();
let server: TestServer;
let ab: ExperimentSetup;

async function report(body: Record<string, unknown>) {
  const response = await server.request("POST", `/feature-flags/${ab.flagId}/results`, {
    body: {
      dateIntervals: [
        { start: new Date(NOW - 30 * DAY).toISOString(), end: new Date(NOW + DAY).toISOString() },
      ],
      conversionType: "CONVERTED_VISITS",
      visitorData: true,
      ...body,
    },
  });
  expect(response.status, response.text).toBe(200);
  const done = await waitForReport(server, response.body.dataCode);
  expect(done.status, JSON.stringify(done.error)).toBe("READY");
  return done.data as Json;
}

beforeAll(async () => {
  server = await startTestServer();
  await ensureDemoProject(server.context);
  ab = await createExperiment(server, { featureKey: "cumulative", goals: [{ name: "Purchase" }] });
  await simulateInto(server.context, {
    featureKey: "cumulative",
    visitors: 20_000,
    seed: 7,
    days: 7,
    end: NOW,
    goals: [{ goalId: ab.goalIds[0]!, rates: { off: 0.1, on: 0.12 } }],
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

describe(`cumulative interval breakdown (${testDatabaseKind})`, () => {
  it("makes each day the running sum of the plain days, the last one equal to the totals", async () => {
    const plain = await report({ breakdown: { type: "INTERVAL", interval: "DAY" } });
    const cumulative = await report({ breakdown: { type: "INTERVAL", interval: "DAY", cumulative: true } });
    expect(cumulative.breakdown).toEqual({ type: "INTERVAL", interval: "DAY", cumulative: true });
    const goal = String(ab.goalIds[0]);
    for (const id of Object.values(ab.variationIds).map(String)) {
      const days = Object.keys(plain.variationData[id].breakdownData);
      // 7 simulated days end now: 7 or 8 UTC days.
      expect(days.length).toBeGreaterThanOrEqual(7);
      expect(Object.keys(cumulative.variationData[id].breakdownData)).toEqual(days);
      let units = 0;
      let converted = 0;
      for (const day of days) {
        const one = plain.variationData[id].breakdownData[day].generalData;
        units += one.visitorCount;
        converted += one.goalsData[goal].convertedVisitCount;
        const running = cumulative.variationData[id].breakdownData[day].generalData;
        expect(running.visitorCount).toBe(units);
        expect(running.goalsData[goal].convertedVisitCount).toBe(converted);
        expect(running.goalsData[goal].conversionRate).toBeCloseTo(converted / units, 12);
      }
      // The last bucket holds every unit: the same numbers and statistics as the totals.
      const last = cumulative.variationData[id].breakdownData[days.at(-1)!].generalData;
      const total = cumulative.variationData[id].generalData;
      expect(last.visitorCount).toBe(total.visitorCount);
      expect(last.goalsData[goal].improvementRate).toEqual(total.goalsData[goal].improvementRate);
      expect(last.goalsData[goal].improvementInterval).toEqual(total.goalsData[goal].improvementInterval);
    }
    // The totals do not change with the option.
    const on = String(ab.variationIds.on);
    expect(cumulative.variationData[on].generalData).toEqual(plain.variationData[on].generalData);
    // The interval narrows as units accumulate (first day against all days).
    const onDays = Object.values(cumulative.variationData[on].breakdownData) as Json[];
    const width = (row: Json) =>
      row.generalData.goalsData[goal].improvementInterval.upper -
      row.generalData.goalsData[goal].improvementInterval.lower;
    expect(width(onDays.at(-1))).toBeLessThan(width(onDays[0]));
  });

  it("refuses cumulative outside INTERVAL, and a non-boolean, with a 400 naming the field", async () => {
    for (const [breakdown, pattern] of [
      [{ type: "BROWSER", cumulative: true }, /body\.breakdown\.cumulative/],
      [{ type: "COUNTRY", cumulative: false }, /body\.breakdown\.cumulative/],
      [{ type: "INTERVAL", cumulative: "yes" }, /breakdown.*cumulative/],
    ] as const) {
      const response = await server.request("POST", `/feature-flags/${ab.flagId}/results`, {
        body: {
          dateIntervals: [{ start: "2030-01-01T00:00:00Z", end: "2030-01-02T00:00:00Z" }],
          conversionType: "CONVERTED_VISITS",
          breakdown,
        },
      });
      expect(response.status, response.text).toBe(400);
      expect(response.text).toMatch(pattern);
    }
  });

  it("gives a cumulative request its own dataCode and leaves the plain one's unchanged", async () => {
    const body = (breakdown: Record<string, unknown>) => ({
      body: {
        dateIntervals: [{ start: "2030-01-01T00:00:00Z", end: "2030-01-02T00:00:00Z" }],
        conversionType: "CONVERTED_VISITS",
        breakdown,
      },
    });
    const url = `/feature-flags/${ab.flagId}/results`;
    const plain = await server.request("POST", url, body({ type: "INTERVAL" }));
    const falseOption = await server.request("POST", url, body({ type: "INTERVAL", cumulative: false }));
    const cumulative = await server.request("POST", url, body({ type: "INTERVAL", cumulative: true }));
    expect(falseOption.body.dataCode).toBe(plain.body.dataCode);
    expect(cumulative.body.dataCode).not.toBe(plain.body.dataCode);
  });
});
