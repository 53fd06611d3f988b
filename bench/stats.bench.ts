// Statistics engine benchmark: `npx tsx --conditions=source bench/stats.bench.ts`.
// Full analyses (frequentist + Bayesian + sequential + CUPED + correction) next to a bare Welch t-test loop
// over the same inputs, and exact P(B > A) for counts in the millions next to a second method (quadrature)
// and to the Monte Carlo estimate peers (LaunchDarkly, GrowthBook) use. Medians of several runs.
import {
  analyzeExperiment,
  type MetricInput,
  probabilityBetaGreater,
  probabilityToBeBestBeta,
  probabilityToBeBestMonteCarlo,
  summarize,
  welchTTest,
} from "@vexil/stats";
import { median } from "./support/table.js";

// Small seeded generator (mulberry32) and Box-Muller, so the inputs are the same on every run.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const u = rng(42);
const gauss = (): number => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());

// Conversion goals (normal approximation of binomial counts is fine for inputs) and revenue-like goals
// with a pre-period covariate, 40k-60k units per variation.
function experiment(variations: number, goals: number): MetricInput[] {
  const units = Array.from({ length: variations }, () => Math.round(40_000 + 20_000 * u()));
  return Array.from({ length: goals }, (_, g) => {
    if (g % 2 === 0) {
      const p = 0.02 + 0.1 * u();
      return {
        key: `goal-${g}`,
        isProportion: true,
        variations: units.map((n, v) => {
          const q = p * (1 + 0.03 * gauss());
          return {
            key: `v${v}`,
            n,
            conversions: Math.max(0, Math.round(n * q + Math.sqrt(n * q * (1 - q)) * gauss())),
            preSum: 0,
            preSumSquares: 0,
            crossSum: 0,
          };
        }),
      };
    }
    const mu = 20 + 30 * u();
    return {
      key: `goal-${g}`,
      variations: units.map((n, v) => {
        const sd = mu;
        const mean = mu * (1 + 0.02 * gauss()) + (sd / Math.sqrt(n)) * gauss();
        const xMean = mu + (sd / Math.sqrt(n)) * gauss();
        const ss = sd * sd * (n - 1);
        return {
          key: `v${v}`,
          n,
          sum: n * mean,
          sumSquares: ss + n * mean * mean,
          preSum: n * xMean,
          preSumSquares: ss + n * xMean * xMean,
          crossSum: 0.6 * ss + n * mean * xMean,
        };
      }),
    };
  });
}

// Median wall time and median CPU time of this process (other work on the machine inflates the former).
interface Timing {
  wall: number;
  cpu: number;
}
function time(runs: number, f: () => unknown, warmups = 2): Timing {
  for (let i = 0; i < warmups; i++) f();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    f();
    walls.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpus.push((d.user + d.system) / 1000);
  }
  return { wall: median(walls), cpu: median(cpus) };
}

// The bare baseline: a Welch t-test of every variation against the first, per goal.
function bareTTests(metrics: MetricInput[]): number {
  let acc = 0;
  for (const m of metrics) {
    const s = m.variations.map((v) =>
      m.isProportion
        ? summarize({ n: v.n, sum: v.conversions!, sumSquares: v.conversions! }, true)
        : summarize({ n: v.n, sum: v.sum!, sumSquares: v.sumSquares! }),
    );
    for (let i = 1; i < s.length; i++) acc += welchTTest(s[0]!, s[i]!).pValue;
  }
  return acc;
}

const ms = (v: number): string => (v < 1 ? `${(v * 1000).toFixed(1)} us` : `${v.toFixed(2)} ms`);
// CPU time is only meaningful above the clock's resolution (about 1 ms on Linux).
const fmt = (t: Timing): string => (t.cpu >= 5 ? `${ms(t.wall)} (cpu ${ms(t.cpu)})` : ms(t.wall));
const rows: string[][] = [["case", "goal", "median wall (cpu)", "bare t-test loop / 2nd method", "note"]];

const options = { sequential: true, cuped: true, correction: "holm" as const };
for (const [v, g, goal, runs, warmups] of [
  [3, 10, "< 10 ms", 51, 30],
  [20, 50, "< 500 ms", 9, 3],
] as const) {
  const metrics = experiment(v, g);
  const full = time(runs, () => analyzeExperiment(metrics, options), warmups);
  const bare = time(runs, () => bareTTests(metrics), warmups);
  const r = analyzeExperiment(metrics, options);
  const comparisons = r.reduce(
    (s, m) => s + m.variations.filter((x) => x.comparison?.pValue != null).length,
    0,
  );
  rows.push([
    `full analysis ${v} variations x ${g} goals`,
    goal,
    fmt(full),
    fmt(bare),
    `${comparisons} comparisons; ${(full.wall / bare.wall).toFixed(0)}x the bare loop`,
  ]);
}

// Exact P(B > A) with counts in the millions: the closed-form sum against quadrature (second method).
const big = [
  [
    { alpha: 1_000_001, beta: 9_000_001 },
    { alpha: 1_001_501, beta: 8_998_501 },
  ],
  [
    { alpha: 2_500_001, beta: 47_500_001 },
    { alpha: 2_503_001, beta: 47_497_001 },
  ],
  [
    { alpha: 8_000_001, beta: 12_000_001 },
    { alpha: 8_001_001, beta: 11_999_001 },
  ],
] as const;
for (const [a, b] of big) {
  const auto = time(31, () => probabilityBetaGreater(b, a));
  const sum = time(31, () => probabilityBetaGreater(b, a, "sum"));
  const quad = time(31, () => probabilityBetaGreater(b, a, "integral"));
  const ps = probabilityBetaGreater(b, a, "sum");
  const pq = probabilityBetaGreater(b, a, "integral");
  rows.push([
    `P(B > A), ${a.alpha - 1} conv / ${a.alpha + a.beta - 2} units`,
    "< 1 ms, 1e-9",
    fmt(auto),
    `sum ${fmt(sum)}, quadrature ${fmt(quad)}`,
    `P = ${ps.greater.toFixed(12)}, |sum - quadrature| = ${Math.abs(ps.greater - pq.greater).toExponential(1)}`,
  ]);
}

// P(best) of 20 arms: quadrature against the Monte Carlo estimate peers use (1e5 draws, and its error).
const arms = Array.from({ length: 20 }, (_, i) => ({ alpha: 5001 + 10 * i, beta: 45001 - 10 * i }));
const exactBest = time(11, () => probabilityToBeBestBeta(arms));
const mcArms = arms.map((d) => ({ kind: "beta" as const, ...d }));
const mcBest = time(3, () => probabilityToBeBestMonteCarlo(mcArms, { draws: 100_000, seed: 1 }), 1);
const e = probabilityToBeBestBeta(arms).pBest;
const mc = probabilityToBeBestMonteCarlo(mcArms, { draws: 100_000, seed: 1 });
const maxDiff = Math.max(...e.map((p, i) => Math.abs(p - mc.pBest[i]!)));
rows.push([
  "P(best) of 20 Beta arms (quadrature)",
  "-",
  fmt(exactBest),
  `${fmt(mcBest)} (Monte Carlo 1e5)`,
  `max |exact - MC| = ${maxDiff.toExponential(1)}, MC SE <= ${mc.standardError!.toExponential(1)}`,
]);

const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const [i, r] of rows.entries()) {
  console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join("  "));
  if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
}
const load = (await import("node:os")).loadavg()[0]!.toFixed(2);
console.log(`\nnode ${process.version}; medians after warm-up; 1-min load average ${load}`);
