// Variance reduction benchmark: `npx tsx --conditions=source bench/variance-reduction.bench.ts
// [--runs=N] [--units=N]`. Simulated experiments with a known effect (+5 %) and known correlations (3
// strata, 3 pre-period covariates with pairwise correlation 0.5: packages/stats/test/sampling.ts
// adjustmentUnits, the calibration test's model), each analysed with no adjustment (the baseline, same
// run), CUPED on one covariate, regression on the 3 covariates and post-stratification. Per method: the
// variance reduction the reports claim (mean), the one measured across runs (1 - Var(estimates) /
// Var(unadjusted estimates)), A/A false positives, coverage of the absolute and relative 95 % intervals,
// and the median CPU time of one analysis (process.cpuUsage) with its ratio to no adjustment.
import { type AdjustmentMethod, analyzeMetric, type VariationInput } from "@vexil/stats";
import {
  ADJUSTMENT_BASE_MEAN,
  adjustmentUnits,
  adjustmentVariation,
  samplers,
} from "../packages/stats/test/sampling.js";
import { benchOptions } from "./support/options.js";
import { median, printTable } from "./support/table.js";

const { runs, units } = benchOptions({ runs: 2000, units: 1000 });
const METHODS: AdjustmentMethod[] = ["none", "cuped", "regression", "post-stratification"];
const LIFT = 0.05;
const truth = LIFT * ADJUSTMENT_BASE_MEAN;

interface Tally {
  claimed: number;
  estimates: number[];
  aa: number;
  coverAbs: number;
  coverRel: number;
  cpu: number[];
}
const tally = new Map<AdjustmentMethod, Tally>(
  METHODS.map((m) => [m, { claimed: 0, estimates: [], aa: 0, coverAbs: 0, coverRel: 0, cpu: [] }]),
);

// CPU microseconds of one analysis (repeated to rise above the clock's resolution).
function timed(variations: VariationInput[], adjustment: AdjustmentMethod): number {
  const repeat = 20;
  const start = process.cpuUsage();
  for (let i = 0; i < repeat; i++) analyzeMetric({ variations }, { adjustment });
  const used = process.cpuUsage(start);
  return (used.user + used.system) / repeat;
}

const s = samplers(4242);
for (let r = 0; r < runs; r++) {
  const a = adjustmentVariation("a", adjustmentUnits(s, units, 0));
  const a2 = adjustmentVariation("b", adjustmentUnits(s, units, 0));
  const b = adjustmentVariation("b", adjustmentUnits(s, units, LIFT));
  for (const method of METHODS) {
    const t = tally.get(method)!;
    const aa = analyzeMetric({ variations: [a, a2] }, { adjustment: method }).variations[1]!.comparison!;
    if (aa.pValue! < 0.05) t.aa++;
    const c = analyzeMetric({ variations: [a, b] }, { adjustment: method }).variations[1]!.comparison!;
    t.estimates.push(c.absolute!.estimate);
    t.claimed += c.adjustment?.varianceReduction ?? 0;
    if (c.absolute!.ci[0] <= truth && truth <= c.absolute!.ci[1]) t.coverAbs++;
    if (c.relative!.ci[0] <= LIFT && LIFT <= c.relative!.ci[1]) t.coverRel++;
    if (r % 10 === 0) t.cpu.push(timed([a, b], method));
  }
}

const variance = (xs: number[]) => {
  const m = xs.reduce((x, y) => x + y, 0) / xs.length;
  return xs.reduce((acc, x) => acc + (x - m) ** 2, 0) / (xs.length - 1);
};
const base = tally.get("none")!;
const baseCpu = median(base.cpu);
console.log(
  `${runs} simulated experiments, ${units.toLocaleString("en-US")} units per arm, true lift +5 %; ` +
    `Monte Carlo standard error of a 95 % coverage: ${(100 * Math.sqrt((0.05 * 0.95) / runs)).toFixed(2)} points`,
);
printTable(
  METHODS.map((method) => {
    const t = tally.get(method)!;
    return {
      method:
        method === "cuped" ? "CUPED (x1)" : method === "regression" ? "regression (x1, x2, x3)" : method,
      "reduction claimed %": (100 * t.claimed) / runs,
      "reduction measured %": 100 * (1 - variance(t.estimates) / variance(base.estimates)),
      "A/A FPR %": (100 * t.aa) / runs,
      "coverage abs %": (100 * t.coverAbs) / runs,
      "coverage rel %": (100 * t.coverRel) / runs,
      "CPU us (median)": median(t.cpu),
      "x none": median(t.cpu) / baseCpu,
    };
  }),
);
