// The statistician's review of issue #14, re-run: `npx tsx --conditions=source bench/statistics-review.bench.ts
// [--runs=N]`. Every figure of items 1-11, measured through the functions the server calls (analyzeMetric,
// the capping, CUPED and rollback functions of @vexil/stats) on seeded simulations (the calibration tests'
// samplers, packages/stats/test/sampling.ts), printed beside its goal. Monte Carlo standard error of a
// rate near 5 % at R runs: sqrt(0.05 x 0.95 / R), printed with the table. Not timed.
import {
  analyzeMetric,
  cappedSums,
  capThreshold,
  evaluateRollbackCondition,
  type MetricAnalysis,
  type MetricInput,
  msprt,
  normalCdf,
  probabilityBetaGreater,
  probabilityToBeBestBeta,
  StatsInputError,
  sampleRatioMismatch,
  sampleSizeProportions,
  twoProportionZTest,
} from "@vexil/stats";
import { revenueValues, samplers } from "../packages/stats/test/sampling.js";
import { benchOptions } from "./support/options.js";
import { printTable } from "./support/table.js";

const { runs } = benchOptions({ runs: 4000 });
const rows: Record<string, string | number>[] = [];
const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
const add = (item: string, figure: string, measured: string, goal: string, ok: boolean) =>
  rows.push({ item, figure, measured, goal, "within goal": ok ? "yes" : "NO" });
const band = (x: number, lo: number, hi: number) => x >= lo && x <= hi;
const covers = (ci: [number, number], truth: number) => ci[0] <= truth && truth <= ci[1];
const comparison = (r: MetricAnalysis) => r.variations[1]!.comparison!;

// A comparison's verdict disagrees with the interval printed beside it (item 1).
const disagrees = (r: MetricAnalysis) => {
  const c = comparison(r);
  if (!c.relative || c.pValue === null) return false;
  const excludes = c.relative.ci[0] > 0 || c.relative.ci[1] < 0;
  const absExcludes = c.absolute!.ci[0] > 0 || c.absolute!.ci[1] < 0;
  return excludes !== c.significant || absExcludes !== c.significant;
};

function conversions(n: number, xa: number, xb: number): MetricInput {
  return {
    isProportion: true,
    variations: [
      { key: "a", n, conversions: xa },
      { key: "b", n, conversions: xb },
    ],
  };
}

// Heavy-tailed revenue: 5 % of units convert with a lognormal(3, 2) value (times `lift` in B), optionally
// capped at the P99 of the pooled per-unit values (units without revenue count 0).
function revenue(s: ReturnType<typeof samplers>, n: number, lift: number, cap: boolean): MetricInput {
  const a = revenueValues(s, n, 0.05, 3, 2, 1);
  const b = revenueValues(s, n, 0.05, 3, 2, lift);
  const threshold = cap ? capThreshold({ type: "percentile", value: 0.99 }, [...a, ...b], 2 * n) : null;
  return {
    variations: [
      { key: "a", ...cappedSums(a, n, threshold) },
      { key: "b", ...cappedSums(b, n, threshold) },
    ],
  };
}

// Items 1 and 2: A/A false positives, coverage and verdict/interval agreement for each data shape.
function shape(
  name: string,
  make: (s: ReturnType<typeof samplers>, lift: boolean) => MetricInput,
  truth: { absolute: number | null; relative: number },
  seed: number,
) {
  const s = samplers(seed);
  let fp = 0;
  let coverAbs = 0;
  let coverRel = 0;
  let below = 0;
  let above = 0;
  let disagreements = 0;
  for (let r = 0; r < runs; r++) {
    const aa = analyzeMetric(make(s, false));
    if (comparison(aa).pValue! < 0.05) fp++;
    const ab = analyzeMetric(make(s, true));
    const c = comparison(ab);
    if (truth.absolute !== null && covers(c.absolute!.ci, truth.absolute)) coverAbs++;
    if (c.relative && covers(c.relative.ci, truth.relative)) coverRel++;
    else if (c.relative && c.relative.ci[1] < truth.relative) below++;
    else above++;
    if (disagrees(aa) || disagrees(ab)) disagreements++;
  }
  const se = Math.sqrt((0.05 * 0.95) / runs);
  add("2", `${name}: A/A false positives`, pct(fp / runs), "5 % +- 1 %", band(fp / runs, 0.04, 0.06));
  if (truth.absolute !== null)
    add(
      "2",
      `${name}: coverage, absolute`,
      pct(coverAbs / runs),
      "95 % +- 1 %",
      band(coverAbs / runs, 0.94, 0.96),
    );
  add(
    "2",
    `${name}: coverage, relative (misses below / above)`,
    `${pct(coverRel / runs)} (${below} / ${above})`,
    "95 % +- 1 %",
    band(coverRel / runs, 0.94, 0.96),
  );
  add(
    "1",
    `${name}: verdict contradicts its interval`,
    pct(disagreements / runs),
    "0 %",
    disagreements === 0,
  );
  return se;
}

// Sequential with 20 peeks (item 2): the always-valid test rejects an A/A experiment at most 5 % of the time.
function peeks(name: string, batch: (s: ReturnType<typeof samplers>) => [number[], number], seed: number) {
  const s = samplers(seed);
  let rejected = 0;
  for (let r = 0; r < runs; r++) {
    const values: [number[], number[]] = [[], []];
    let n = 0;
    let hit = false;
    for (let k = 0; k < 20; k++) {
      const [va, m] = batch(s);
      const [vb] = batch(s);
      values[0].push(...va);
      values[1].push(...vb);
      n += m;
      const input: MetricInput = {
        variations: [
          { key: "a", ...cappedSums(values[0], n, null) },
          { key: "b", ...cappedSums(values[1], n, null) },
        ],
      };
      const c = comparison(analyzeMetric(input, { sequential: true }));
      if (c.pValue !== null && c.pValue < 0.05) hit = true;
    }
    if (hit) rejected++;
  }
  add(
    "2",
    `${name}: sequential, 20 peeks, A/A rejections`,
    pct(rejected / runs),
    "<= 5 %",
    rejected / runs <= 0.05,
  );
}

const se = shape(
  "1 % conversion, 2,000 per arm",
  (s, lift) => conversions(2000, s.binomial(2000, 0.01), s.binomial(2000, lift ? 0.015 : 0.01)),
  { absolute: 0.005, relative: 0.5 },
  101,
);
shape(
  "5 % -> 7.5 %, n = 300",
  (s, lift) => conversions(300, s.binomial(300, 0.05), s.binomial(300, lift ? 0.075 : 0.05)),
  { absolute: 0.025, relative: 0.5 },
  102,
);
// Revenue: the capped estimand's truth is not closed-form; the relative truth of a multiplicative +10 %
// holds uncapped, so coverage is measured uncapped and A/A both ways.
shape(
  "revenue 5 % x lognormal(3, 2), 10,000 per arm, no cap",
  (s, lift) => revenue(s, 10_000, lift ? 1.1 : 1, false),
  {
    absolute: 0.05 * Math.exp(3 + 2) * 0.1,
    relative: 0.1,
  },
  103,
);
{
  const s = samplers(104);
  let fp = 0;
  for (let r = 0; r < runs; r++)
    if (comparison(analyzeMetric(revenue(s, 10_000, 1, true))).pValue! < 0.05) fp++;
  add(
    "2-3",
    "revenue, pooled P99 cap: A/A false positives",
    pct(fp / runs),
    "5 % +- 1 %",
    band(fp / runs, 0.04, 0.06),
  );
}
peeks(
  "1 % conversion",
  (s) => {
    const c = s.binomial(100, 0.01);
    return [Array.from({ length: c }, () => 1), 100];
  },
  105,
);
peeks("revenue", (s) => [revenueValues(s, 500, 0.05, 3, 2, 1), 500], 106);

// Item 4: CUPED with the Bayesian engine on conversions: every output from the adjusted model.
{
  const v = (key: string, conversions: number, preSum: number, crossSum: number) => ({
    key,
    n: 2000,
    conversions,
    preSum,
    preSumSquares: preSum,
    crossSum,
  });
  const input: MetricInput = {
    isProportion: true,
    variations: [v("a", 200, 300, 120), v("b", 228, 330, 150)],
  };
  const r = analyzeMetric(input, { cuped: true, engine: "bayesian" });
  const c = comparison(r);
  const model = c.bayesian?.model ?? "-";
  add(
    "4",
    "CUPED + Bayesian, conversions: posterior model",
    model,
    "normal (adjusted)",
    model === "normal" && r.cuped !== null,
  );
  // The chance to beat of the adjusted normal posteriors is Phi(z) of the CUPED test (flat prior).
  const z = c.absolute!.estimate / c.absolute!.se;
  const gap = Math.abs(c.bayesian!.chanceToBeat - normalCdf(z));
  add(
    "4",
    "CUPED + Bayesian: |P(beat) - Phi(z of the CUPED test)|",
    gap.toExponential(1),
    "< 1e-12",
    gap < 1e-12,
  );
}

// Item 5: a near-zero control mean (n = 500, sum 5e-7) against a normal arm.
{
  const r = analyzeMetric({
    variations: [
      { key: "a", n: 500, sum: 5e-7, sumSquares: 1e-12 },
      { key: "b", n: 500, sum: 500 * 0.05, sumSquares: 500 * 0.0026 },
    ],
  });
  const c = comparison(r);
  const lift = c.improvementRate === null ? "null (reason given)" : `${c.improvementRate.toExponential(2)} %`;
  add("5", "near-zero control: lift", lift, "null with a reason", c.improvementRate === null && !!c.reason);
  const beat = c.bayesian?.chanceToBeat ?? Number.NaN;
  const best = r.variations[1]!.pBest ?? Number.NaN;
  add("5", "two arms: P(beat control) vs P(best)", `${beat} vs ${best}`, "equal", beat === best);
}

// Item 6: 0/1000 vs 5/1000 conversions (Fisher's exact test: p = 0.062, scipy.stats.fisher_exact).
{
  const c = comparison(analyzeMetric(conversions(1000, 0, 5)));
  add(
    "6",
    "0/1000 vs 5/1000: p-value",
    c.pValue!.toFixed(4),
    "0.062 (Fisher)",
    Math.abs(c.pValue! - 0.062) < 5e-4,
  );
  add(
    "6",
    "0/1000 vs 5/1000: significant / thin data",
    `${c.significant} / ${c.thin}`,
    "false / true",
    !c.significant && c.thin,
  );
}

// Item 7: Beta posteriors at 1e9 units per arm: the two tails add to 1, P(best) sums to 1.
{
  const a = { alpha: 0.3e9 + 1, beta: 0.7e9 + 1 };
  const b = { alpha: 0.3e9 + 3e4 + 1, beta: 0.7e9 - 3e4 + 1 };
  const p = probabilityBetaGreater(b, a);
  const best = probabilityToBeBestBeta([a, b, { alpha: 0.3e9 - 1e4 + 1, beta: 0.7e9 + 1e4 + 1 }]).pBest;
  const total = best.reduce((x, y) => x + y, 0);
  add(
    "7",
    "1e9 units: |P(B>A) + P(A>B) - 1|",
    Math.abs(p.greater + p.less - 1).toExponential(1),
    "< 1e-9",
    Math.abs(p.greater + p.less - 1) < 1e-9,
  );
  add(
    "7",
    "1e9 units, 3 arms: |sum P(best) - 1|",
    Math.abs(total - 1).toExponential(1),
    "< 1e-9",
    Math.abs(total - 1) < 1e-9,
  );
}

// Item 8: impossible CUPED sums (correlation above 1) are refused; CUPED that would widen is not kept.
{
  const v = (key: string, sum: number) => ({
    key,
    n: 100,
    sum,
    sumSquares: (sum * sum) / 100 + 99,
    preSum: 100,
    preSumSquares: 100 + 99,
    crossSum: sum + 99 * 25,
  });
  const r = analyzeMetric({ variations: [v("a", 1000), v("b", 1010)] }, { cuped: true });
  add(
    "8",
    "impossible CUPED sums (correlation 25)",
    r.cuped ? "applied" : `not applied: ${r.cupedReason}`,
    "not applied, with the reason",
    r.cuped === null && !!r.cupedReason,
  );
}

// Item 9: NaN and Infinity: a defined value or a typed error.
{
  const srm = sampleRatioMismatch([500, 500, 0], [1, 1, 0]);
  const checks: [string, () => unknown][] = [
    ["srm.expected with a weight-0 arm", () => srm.expected],
    [
      "twoProportionZTest with n = 0",
      () => twoProportionZTest({ n: 0, conversions: 0 }, { n: 10, conversions: 1 }),
    ],
    ["msprt with se = 0", () => msprt(0.1, 0, 1)],
    ["sampleSizeProportions with equal rates", () => sampleSizeProportions(0.1, 0.1)],
  ];
  for (const [name, run] of checks) {
    let measured: string;
    let ok: boolean;
    try {
      const value = run();
      const text = JSON.stringify(value, (_k, x) =>
        typeof x === "number" && !Number.isFinite(x) ? `${x}` : x,
      );
      ok = !/NaN|Infinity/.test(text);
      measured = ok ? "a defined value" : "NaN or Infinity";
    } catch (e) {
      ok = e instanceof StatsInputError;
      measured = ok ? "StatsInputError" : `${(e as Error).name}`;
    }
    add("9", name, measured, "defined value or StatsInputError", ok);
  }
}

// Item 10: mean 1e8, sd 1, n = 1e6: the standard error from centred moments (merged per chunk, as the
// server merges per-day and per-group moments) against a two-pass computation; raw sums for contrast.
{
  const s = samplers(110);
  const n = 1_000_000;
  const arms = [0, 1].map(() => Float64Array.from({ length: n }, () => 1e8 + s.normal(0, 1)));
  const exactSe = Math.sqrt(
    arms.reduce((acc, a) => {
      const mean = a.reduce((x, y) => x + y, 0) / n;
      return acc + a.reduce((x, y) => x + (y - mean) ** 2, 0) / (n - 1) / n;
    }, 0),
  );
  const chunked = arms.map((a) => {
    let sums = { n: 0, sum: 0, sumSquares: 0, m2: 0 };
    for (let k = 0; k < 10; k++) {
      const part = cappedSums(Array.from(a.subarray(k * 1e5, (k + 1) * 1e5)), 1e5, null);
      const merged =
        sums.n === 0
          ? part
          : (() => {
              const delta = part.sum / part.n - sums.sum / sums.n;
              return {
                n: sums.n + part.n,
                sum: sums.sum + part.sum,
                sumSquares: sums.sumSquares + part.sumSquares,
                m2: sums.m2 + part.m2 + (delta * delta * sums.n * part.n) / (sums.n + part.n),
              };
            })();
      sums = merged;
    }
    return sums;
  });
  const fromMoments = comparison(
    analyzeMetric({ variations: chunked.map((c, i) => ({ key: `v${i}`, n: c.n, sum: c.sum, m2: c.m2 })) }),
  ).absolute!.se;
  const raw = chunked.map((c) => Math.max(0, (c.sumSquares - (c.sum * c.sum) / c.n) / (c.n - 1) / c.n));
  const rawSe = Math.sqrt(raw[0]! + raw[1]!);
  add(
    "10",
    "mean 1e8, sd 1, n = 1e6: standard error error (raw sums)",
    `${Math.abs(fromMoments / exactSe - 1).toExponential(1)} (${pct(Math.abs(rawSe / exactSe - 1))})`,
    "< 1e-6",
    Math.abs(fromMoments / exactSe - 1) < 1e-6,
  );
}

// Item 11: a rollback condition not evaluated (visitors below its minimum) has no value.
{
  const r = evaluateRollbackCondition(
    { kpi: "UPLIFT", operator: "LESS_THAN", thresholdPct: -5, minVisitors: 10_000 },
    { n: 500, conversions: 50 },
    { n: 500, conversions: 30 },
  );
  add(
    "11",
    "rollback below its minimum visitors: value",
    String(r.value),
    "null",
    r.value === null && !r.evaluated,
  );
}

console.log(
  `${runs} runs per simulated figure; Monte Carlo standard error of a 5 % rate: ${(100 * se).toFixed(2)} points`,
);
printTable(rows);
