// `vexil analyze` with regression adjustment and post-stratification: the JSON input's per-variation
// statistics reach @vexil/stats as given (the printed numbers are analyzeMetric's over the same input),
// and a malformed field is an input error (exit 2), not a crash.
import { Readable, Writable } from "node:stream";
import { analyzeMetric, regressionStatsOf } from "@vexil/stats";
import { describe, expect, it } from "vitest";
import { runAnalyzeCommand } from "./analyze.command.js";

async function run(args: string[], input: unknown) {
  const out: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      out.push(String(chunk));
      done();
    },
  });
  const code = await runAnalyzeCommand(args, {
    stdin: Readable.from([JSON.stringify(input)]),
    stdout: sink,
    stderr: sink,
    readFile: async () => "",
  });
  return { code, text: out.join("") };
}

// Two arms of 60 units: y = 2 x1 + x2 + a small wiggle, so the covariates explain most of y.
function arm(key: string, shift: number) {
  const rows = Array.from({ length: 60 }, (_, i) => {
    const x1 = (i * 7) % 11;
    const x2 = (i * 5) % 7;
    return [10 + shift + 2 * x1 + x2 + ((i * 3) % 5) / 5, x1, x2];
  });
  const stats = regressionStatsOf(rows);
  const strata = ["a", "b"].map((stratum, s) => {
    // Strata by x1: they predict the metric.
    const ys = rows.filter((r) => (r[1]! < 5 ? 0 : 1) === s).map((r) => r[0]!);
    const mean = ys.reduce((p, q) => p + q, 0) / ys.length;
    return { stratum, n: ys.length, sum: mean * ys.length, m2: ys.reduce((p, y) => p + (y - mean) ** 2, 0) };
  });
  const sum = stats.means[0]! * 60;
  return {
    key,
    n: 60,
    sum,
    sumSquares: stats.comoments[0]![0]! + sum * stats.means[0]!,
    regression: stats,
    strata,
  };
}
const metric = { key: "revenue", covariates: ["visits", "spend"], variations: [arm("off", 0), arm("on", 1)] };

describe("vexil analyze variance reduction", () => {
  it("--adjustment regression: the covariates, their slopes and the reduction, numbers as analyzeMetric's", async () => {
    const { code, text } = await run(["--adjustment", "regression", "--json"], { metrics: [metric] });
    expect(code, text).toBe(0);
    const [got] = JSON.parse(text).metrics;
    const want = analyzeMetric(metric, { adjustment: "regression" });
    expect(got.adjustment.covariates.map((c: { name: string }) => c.name)).toEqual(["visits", "spend"]);
    expect(got.variations[1].comparison.test).toBe("regression-z");
    expect(got.variations[1].comparison.pValue).toBe(want.variations[1]!.comparison!.pValue);
    const table = await run(["--adjustment", "regression"], { metrics: [metric] });
    expect(table.text).toMatch(
      /regression on visits \(slope 2\.0\d*\), spend \(slope 1\.0\d*\); variance reduction 9\d\.\d%/,
    );
  });

  it("a metric's own adjustment (post-stratification) wins over the option", async () => {
    const { code, text } = await run(["--adjustment", "regression"], {
      metrics: [{ ...metric, adjustment: "post-stratification" }],
    });
    expect(code, text).toBe(0);
    expect(text).toMatch(/post-stratified by a \(\d+\.\d%\), b \(\d+\.\d%\); variance reduction \d+\.\d%/);
  });

  it("rejects malformed statistics and an unknown method with exit code 2", async () => {
    const bad = { ...metric, variations: [{ ...arm("off", 0), regression: { means: [1] } }, arm("on", 1)] };
    expect((await run([], { metrics: [bad] })).text).toMatch(/"regression" must be/);
    expect((await run(["--adjustment", "lasso"], { metrics: [metric] })).code).toBe(2);
    const strata = {
      ...metric,
      variations: [{ ...arm("off", 0), strata: [{ stratum: "a" }] }, arm("on", 1)],
    };
    expect((await run([], { metrics: [strata] })).code).toBe(2);
  });
});
