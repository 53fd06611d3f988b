import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoData } from "../src/demo/demo-project.js";
import { parseSimulateArguments } from "../src/events/simulate.command.js";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

describe("the demo project of `vexil serve --demo`", () => {
  it("creates a running A/B test with simulated traffic once, and leaves it alone on later starts", async () => {
    const first = await ensureDemoData(server.context);
    expect(first.created).toBe(true);
    expect(first.events).toBeGreaterThan(20_000);
    const flag = await server.request("GET", "/feature-flags/demo/new_checkout");
    expect(flag.status).toBe(200);
    const result = await server.context.analytics.aggregate({
      projectKey: "demo",
      environmentKey: "production",
      featureKey: "new_checkout",
      goalId: flag.body.primaryGoalId,
      unit: "visitor",
      conversionType: "CONVERTED_VISITS",
    });
    const units = result.rows.reduce((total, row) => total + row.units, 0);
    expect(units).toBe(20_000);
    const rate = (key: string) => {
      const row = result.rows.find((r) => r.variationKey === key);
      return (row?.convertedUnits ?? 0) / (row?.units ?? 1);
    };
    expect(rate("off")).toBeGreaterThan(0.08);
    expect(rate("on")).toBeGreaterThan(rate("off"));
    // LaunchDarkly's view of the same experiment counts the same 20,000 units: its iteration (read from the
    // rule) starts with the simulated traffic, not after it.
    const experiments = await server.request(
      "GET",
      "/api/v2/projects/demo/environments/production/experiments",
    );
    expect(experiments.body.total_count).toBe(1);
    const { key } = experiments.body.items[0];
    const results = await server.request(
      "GET",
      `/api/v2/projects/demo/environments/production/experiments/${key}/metrics/purchase/results`,
    );
    expect(results.status, results.text).toBe(200);
    expect(results.body.treatmentResults.reduce((s: number, t: { units: number }) => s + t.units, 0)).toBe(
      20_000,
    );
    const legacy = await server.request(
      "GET",
      "/api/v2/flags/demo/new_checkout/experiments/production/purchase",
    );
    expect(
      legacy.body.totals.reduce(
        (s: number, t: { cumulativeImpressionCount: number }) => s + t.cumulativeImpressionCount,
        0,
      ),
    ).toBe(20_000);
    expect(await ensureDemoData(server.context)).toEqual({ created: false, events: 0 });
  });
});

describe("vexil simulate's arguments", () => {
  const base = ["--project", "demo", "--environment", "production", "--flag", "f", "--goal", "purchase"];
  it("reads rates, values, days and seed", () => {
    const parsed = parseSimulateArguments(
      [
        ...base,
        "--visitors",
        "100",
        "--rates",
        "off=0.1,on=0.2",
        "--values",
        "50,5",
        "--days",
        "3",
        "--seed",
        "9",
      ],
      {},
    );
    expect(parsed).toMatchObject({
      visitors: 100,
      rates: { off: 0.1, on: 0.2 },
      values: { mean: 50, sd: 5 },
      days: 3,
      seed: 9,
    });
  });
  it("names the problem of a bad command line", () => {
    expect(() => parseSimulateArguments([...base, "--visitors", "100"], {})).toThrow(/--rates is required/);
    expect(() => parseSimulateArguments([...base, "--visitors", "1.5", "--rates", "off=0.1"], {})).toThrow(
      /whole number/,
    );
    expect(() => parseSimulateArguments([...base, "--visitors", "10", "--rates", "off"], {})).toThrow(
      /--rates must look like/,
    );
    expect(() =>
      parseSimulateArguments([...base, "--visitors", "10", "--rates", "off=0.1", "--values", "5"], {}),
    ).toThrow(/--values/);
  });
});
