// `vexil analyze [FILE|-] [options]`: analyze per-variation sufficient statistics from a JSON or CSV file
// (or stdin) and print an aligned table, or JSON with --json. Input format: docs/analyze.md.
import { parseArgs } from "node:util";
import {
  type AnalysisOptions,
  analyzeExperiment,
  type CorrectionMethod,
  type MetricAnalysis,
  type Plan,
  planSampleSize,
  StatsInputError,
} from "@vexil/stats";
import { ADJUSTMENT_METHODS, adjustmentLine } from "./analyze.adjustment.js";
import type { AnalyzeCapping } from "./analyze.capping.js";
import { InputError, parseAnalyzeInput } from "./analyze.input.js";

/** Streams and file access of the command (injected so tests need no process or files). */
export interface AnalyzeIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  /** Where errors go; stdout when absent. */
  stderr?: NodeJS.WritableStream;
  readFile(path: string): Promise<string>;
}

/** Help text of `vexil analyze`. */
export const analyzeUsage = `Usage: vexil analyze [FILE|-] [options]

Analyze an experiment from per-variation sufficient statistics (JSON or CSV; stdin when FILE is - or
absent). Input format: docs/analyze.md.

Options:
  --json                     print the full analysis as JSON instead of a table
  --alpha A                  significance level, intervals at 1 - A (default 0.05)
  --reference KEY            reference (control) variation (default: the first one)
  --engine frequentist|bayesian
                             which framework leads reliability and the winner (default frequentist)
  --sequential               always-valid confidence sequences and p-values
  --cuped                    CUPED variance reduction (needs preSum, preSumSquares, crossSum)
  --adjustment none|cuped|regression|post-stratification
                             variance reduction of the metrics without their own "adjustment"
                             (regression needs each variation's "regression", post-stratification its "strata")
  --correction none|bonferroni|holm|bh
                             multiple-testing correction over metrics x variations (default none)
  -h, --help                 show this help

Planning (no input file): vexil analyze --plan --mde X (--baseline-rate R | --mean M (--sd S | --variance V))
  [--effect relative|absolute] [--variations K] [--goals G] [--daily-units U] [--power P] [--alpha A]
  [--sequential] [--correction C] [--json]
  answers the units per arm, in total, and the days at U units a day, to detect an effect X (relative to
  the baseline unless --effect absolute); a correction covers (K - 1) x G comparisons.
`;

const ENGINES = ["frequentist", "bayesian"] as const;
const CORRECTIONS = ["none", "bonferroni", "holm", "bh"] as const;

/** Runs `vexil analyze`; resolves to the exit code (0 ok, 2 usage or input error). */
export async function runAnalyzeCommand(args: string[], io: AnalyzeIo): Promise<number> {
  const fail = (message: string): number => {
    (io.stderr ?? io.stdout).write(`vexil analyze: ${message}\n`);
    return 2;
  };
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (e) {
    return fail(`${(e as Error).message}\n\n${analyzeUsage}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(analyzeUsage);
    return 0;
  }
  if (positionals.length > 1) return fail(`expected one input file, got ${positionals.length}`);
  if (values.plan) return plan(values, io, fail);

  const options: AnalysisOptions = {};
  if (values.alpha !== undefined) {
    const alpha = Number(values.alpha);
    if (!(alpha > 0 && alpha < 1))
      return fail(`--alpha must be a number between 0 and 1, got ${values.alpha}`);
    options.alpha = alpha;
  }
  if (values.engine !== undefined) {
    if (!(ENGINES as readonly string[]).includes(values.engine))
      return fail(`--engine must be one of ${ENGINES.join(", ")}, got ${values.engine}`);
    options.engine = values.engine as AnalysisOptions["engine"];
  }
  if (values.correction !== undefined) {
    if (!(CORRECTIONS as readonly string[]).includes(values.correction))
      return fail(`--correction must be one of ${CORRECTIONS.join(", ")}, got ${values.correction}`);
    options.correction = values.correction as CorrectionMethod;
  }
  if (values.reference !== undefined) options.reference = values.reference;
  if (values.sequential) options.sequential = true;
  if (values.cuped) options.cuped = true;
  if (values.adjustment !== undefined) {
    if (!(ADJUSTMENT_METHODS as readonly string[]).includes(values.adjustment))
      return fail(`--adjustment must be one of ${ADJUSTMENT_METHODS.join(", ")}, got ${values.adjustment}`);
    options.adjustment = values.adjustment as AnalysisOptions["adjustment"];
  }

  const source = positionals[0] ?? "-";
  let text: string;
  try {
    text = source === "-" ? await readAll(io.stdin) : await io.readFile(source);
  } catch (e) {
    return fail(`cannot read ${source === "-" ? "stdin" : source}: ${(e as Error).message}`);
  }
  let input: ReturnType<typeof parseAnalyzeInput>;
  try {
    input = parseAnalyzeInput(text);
  } catch (e) {
    if (e instanceof InputError) return fail(`${source === "-" ? "stdin" : source}: ${e.message}`);
    throw e;
  }
  if (input.weights) options.weights = input.weights;
  if (options.reference !== undefined) {
    const ref = options.reference;
    const missing = input.metrics.filter((m) => !m.variations.some((v) => v.key === ref));
    if (missing.length > 0)
      return fail(
        `--reference ${ref} is not a variation of ${missing.map((m) => m.key ?? "the metric").join(", ")}`,
      );
  }

  const results: AnalyzedMetric[] = analyzeExperiment(input.metrics, options).map((r, i) =>
    input.capping[i] ? { ...r, capping: input.capping[i]! } : r,
  );
  io.stdout.write(values.json ? toJson(results) : formatTables(results));
  return 0;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: "boolean" },
      alpha: { type: "string" },
      reference: { type: "string" },
      engine: { type: "string" },
      sequential: { type: "boolean" },
      cuped: { type: "boolean" },
      adjustment: { type: "string" },
      correction: { type: "string" },
      plan: { type: "boolean" },
      mde: { type: "string" },
      "baseline-rate": { type: "string" },
      mean: { type: "string" },
      sd: { type: "string" },
      variance: { type: "string" },
      effect: { type: "string" },
      goals: { type: "string" },
      variations: { type: "string" },
      "daily-units": { type: "string" },
      power: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

// `--plan`: the power and sample-size planner of @vexil/stats.
function plan(
  values: ReturnType<typeof parse>["values"],
  io: AnalyzeIo,
  fail: (message: string) => number,
): number {
  const numberOf = (name: string, text: string | undefined): number | undefined | Error => {
    if (text === undefined) return undefined;
    const n = Number(text);
    return Number.isFinite(n) ? n : new Error(`--${name} must be a number, got ${text}`);
  };
  const fields = {
    mde: numberOf("mde", values.mde),
    baselineRate: numberOf("baseline-rate", values["baseline-rate"]),
    mean: numberOf("mean", values.mean),
    sd: numberOf("sd", values.sd),
    variance: numberOf("variance", values.variance),
    goals: numberOf("goals", values.goals),
    variations: numberOf("variations", values.variations),
    dailyUnits: numberOf("daily-units", values["daily-units"]),
    power: numberOf("power", values.power),
    alpha: numberOf("alpha", values.alpha),
  };
  for (const v of Object.values(fields)) if (v instanceof Error) return fail(v.message);
  const f = fields as Record<keyof typeof fields, number | undefined>;
  if (f.mde === undefined) return fail("--plan needs --mde (minimum detectable effect, e.g. 0.05 for +5 %)");
  if ((f.baselineRate === undefined) === (f.mean === undefined))
    return fail("--plan needs either --baseline-rate or --mean with --sd or --variance");
  if (f.sd !== undefined && f.variance !== undefined) return fail("give --sd or --variance, not both");
  const effect = values.effect ?? "relative";
  if (effect !== "relative" && effect !== "absolute")
    return fail(`--effect must be relative or absolute, got ${effect}`);
  const correction = values.correction ?? "none";
  if (!(CORRECTIONS as readonly string[]).includes(correction))
    return fail(`--correction must be one of ${CORRECTIONS.join(", ")}, got ${correction}`);
  let result: Plan;
  try {
    result = planSampleSize({
      minimumDetectableEffect: f.mde,
      ...(f.baselineRate !== undefined ? { baselineRate: f.baselineRate } : {}),
      ...(f.mean !== undefined ? { mean: f.mean } : {}),
      ...(f.sd !== undefined ? { sd: f.sd } : {}),
      ...(f.variance !== undefined ? { variance: f.variance } : {}),
      ...(f.goals !== undefined ? { goals: f.goals } : {}),
      effect,
      ...(f.variations !== undefined ? { variations: f.variations } : {}),
      ...(f.dailyUnits !== undefined ? { dailyUnits: f.dailyUnits } : {}),
      ...(f.power !== undefined ? { power: f.power } : {}),
      ...(f.alpha !== undefined ? { alpha: f.alpha } : {}),
      correction: correction as CorrectionMethod,
      sequential: values.sequential === true,
    });
  } catch (e) {
    if (e instanceof StatsInputError) return fail(e.message);
    throw e;
  }
  io.stdout.write(
    values.json
      ? `${JSON.stringify({ plan: result }, null, 2)}\n`
      : `${alignRows([
          ["units per arm", "total units", "days", "alpha per comparison", "comparisons", "method"],
          [
            String(result.perArm),
            String(result.total),
            result.days === null ? "-" : String(result.days),
            String(result.alphaPerComparison),
            String(result.comparisons),
            result.method,
          ],
        ])}\n`,
  );
  return 0;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** A metric's analysis, with the capping its per-unit values got (when the input asked for one). */
export type AnalyzedMetric = MetricAnalysis & { capping?: AnalyzeCapping };

// JSON has no infinities: one-sided or fully uncertain interval bounds are written as strings.
function toJson(results: AnalyzedMetric[]): string {
  const replacer = (_key: string, v: unknown): unknown =>
    typeof v === "number" && !Number.isFinite(v)
      ? Number.isNaN(v)
        ? null
        : v > 0
          ? "Infinity"
          : "-Infinity"
      : v;
  return `${JSON.stringify({ metrics: results }, replacer, 2)}\n`;
}

const pct = (v: number | null | undefined, digits = 2): string =>
  v === null || v === undefined
    ? "-"
    : Number.isFinite(v)
      ? `${(100 * v).toFixed(digits)}%`
      : v > 0
        ? "+inf"
        : "-inf";
const num = (v: number | null | undefined): string => {
  if (v === null || v === undefined) return "-";
  if (!Number.isFinite(v)) return v > 0 ? "+inf" : "-inf";
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
  return Number(v.toPrecision(5)).toString();
};
const pValue = (v: number | null | undefined): string =>
  v === null || v === undefined ? "-" : v < 1e-4 ? v.toExponential(1) : v.toFixed(4);

/** Aligned text tables, one per metric. */
export function formatTables(results: AnalyzedMetric[]): string {
  const out: string[] = [];
  for (const r of results) {
    const flags = [
      r.engine,
      r.sequential ? `sequential (N*=${r.sequential.tuningN})` : "fixed horizon",
      ...(r.cuped ? [`CUPED theta=${num(r.cuped.theta)}`] : []),
      ...(r.correction !== "none" ? [`correction ${r.correction}`] : []),
    ];
    out.push(
      `Metric ${r.metric ?? "(unnamed)"} (${r.isProportion ? "conversion" : "mean"}${r.lowerIsBetter ? ", lower is better" : ""})  reference ${r.reference ?? "-"}  alpha ${r.alpha}  ${flags.join(", ")}`,
    );
    const adjusted = r.correction !== "none";
    // The verdict (note "significant", reliability, winner) and the intervals beside it come from one
    // test: the frequentist one for both effects, or with the Bayesian engine the lift's credible interval.
    const bayes = r.engine === "bayesian";
    const level = pct(1 - r.alpha, 0);
    const header = [
      "variation",
      "units",
      r.isProportion ? "rate" : "mean",
      ...(bayes ? [] : ["diff", `diff ${level} CI`]),
      "lift",
      bayes ? `lift ${level} CrI` : `lift ${level} CI`,
      "p-value",
      ...(adjusted ? ["adj. p"] : []),
      "reliability",
      "P(beat)",
      "P(best)",
      "loss",
      "test",
      "note",
    ];
    const rows: string[][] = [header];
    for (const v of r.variations) {
      const c = v.comparison;
      const lift = c?.relative ?? null;
      const diff = c?.absolute ?? null;
      const shown = (e: typeof lift) => (e ? (adjusted && e.ciAdjusted ? e.ciAdjusted : e.ci) : null);
      const ci = bayes ? (c?.bayesian?.relativeInterval ?? null) : shown(lift);
      const diffCi = shown(diff);
      const value = r.isProportion ? pct : num;
      const note = v.isReference
        ? "reference"
        : (c?.reason ?? v.reason ?? (c?.significant ? "significant" : ""));
      rows.push([
        v.key,
        String(v.units),
        r.isProportion ? pct(v.sampleMean) : num(v.sampleMean),
        ...(bayes
          ? []
          : [diff ? value(diff.estimate) : "-", diffCi ? `[${value(diffCi[0])}, ${value(diffCi[1])}]` : "-"]),
        lift ? pct(lift.estimate) : "-",
        ci ? `[${pct(ci[0])}, ${pct(ci[1])}]` : "-",
        pValue(c?.pValue),
        ...(adjusted ? [pValue(c?.pValueAdjusted)] : []),
        c?.reliability === null || c?.reliability === undefined ? "-" : `${c.reliability.toFixed(1)}%`,
        pct(c?.bayesian?.chanceToBeat, 1),
        pct(v.pBest, 1),
        num(c?.bayesian?.expectedLoss.chooseVariation),
        c?.test ?? "-",
        note,
      ]);
    }
    out.push(alignRows(rows));
    const extra: string[] = [];
    if (r.chiSquare)
      extra.push(
        `chi-square ${num(r.chiSquare.chi2)} (df ${r.chiSquare.df}) p ${pValue(r.chiSquare.pValue)}`,
      );
    if (r.srm)
      extra.push(
        `sample ratio ${r.srm.flagged ? "MISMATCH" : "ok"}: p ${pValue(r.srm.pValue)} (flagged below ${r.srm.threshold})`,
      );
    if (r.winner) extra.push(`winner: ${r.winner}`);
    const adjustment = adjustmentLine(r);
    if (adjustment) extra.push(adjustment);
    if (r.capping)
      extra.push(
        r.capping.applied
          ? `capped: each unit's value at ${num(r.capping.cap)} (${r.capping.type === "percentile" ? `P${Number((r.capping.value! * 100).toPrecision(12))} of the pooled values` : "absolute"})`
          : `capping not applied: the P${Number((r.capping.value! * 100).toPrecision(12))} of the pooled values is 0`,
      );
    if (extra.length > 0) out.push(extra.join("; "));
    for (const w of r.warnings) out.push(`warning: ${w}`);
    out.push("");
  }
  return `${out.join("\n")}\n`.replace(/\n+$/, "\n");
}

function alignRows(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const text = (r: string[]): string =>
    r
      .map((cell, c) => (c === 0 || c === r.length - 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join("  ")
      .trimEnd();
  return [text(rows[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(text)].join("\n");
}
