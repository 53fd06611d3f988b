// `vexil analyze` variance reduction beyond CUPED: a metric's `adjustment` ("regression" or
// "post-stratification", or the --adjustment option for every metric), the covariate names, and each
// variation's statistics: `regression` ({means, comoments} of [metric, x1..xk], as @vexil/stats
// regressionStatsOf computes them) or `strata` ([{stratum, n, sum, m2}]).
import type {
  AdjustmentMethod,
  MetricAnalysis,
  MetricInput,
  StratumStats,
  VariationInput,
} from "@vexil/stats";

export const ADJUSTMENT_METHODS: readonly AdjustmentMethod[] = [
  "none",
  "cuped",
  "regression",
  "post-stratification",
];

const finiteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** A metric's `adjustment` and `covariates` fields; throws a message for the input error. */
export function metricAdjustmentOf(
  m: Record<string, unknown>,
): Pick<MetricInput, "adjustment" | "covariates"> {
  const out: Pick<MetricInput, "adjustment" | "covariates"> = {};
  if (m.adjustment !== undefined) {
    if (!ADJUSTMENT_METHODS.includes(m.adjustment as AdjustmentMethod))
      throw new Error(
        `"adjustment" must be one of ${ADJUSTMENT_METHODS.join(", ")}, got ${JSON.stringify(m.adjustment)}`,
      );
    out.adjustment = m.adjustment as AdjustmentMethod;
  }
  if (m.covariates !== undefined) {
    if (!Array.isArray(m.covariates) || !m.covariates.every((c) => typeof c === "string"))
      throw new Error('"covariates" must be a list of covariate names');
    out.covariates = m.covariates as string[];
  }
  return out;
}

/** A variation's `regression` and `strata` fields; throws a message for the input error. */
export function variationAdjustmentOf(
  v: Record<string, unknown>,
): Pick<VariationInput, "regression" | "strata"> {
  const out: Pick<VariationInput, "regression" | "strata"> = {};
  if (v.regression !== undefined && v.regression !== null) {
    const r = v.regression as { means?: unknown; comoments?: unknown };
    const means = r.means;
    const comoments = r.comoments;
    if (
      !Array.isArray(means) ||
      !means.every(finiteNumber) ||
      !Array.isArray(comoments) ||
      !comoments.every((row) => Array.isArray(row) && row.every(finiteNumber))
    )
      throw new Error(
        '"regression" must be {"means": [numbers], "comoments": [[numbers]]} (index 0: the metric)',
      );
    out.regression = { means: means as number[], comoments: comoments as number[][] };
  }
  if (v.strata !== undefined && v.strata !== null) {
    if (!Array.isArray(v.strata)) throw new Error('"strata" must be a list of {"stratum", "n", "sum", "m2"}');
    out.strata = v.strata.map((s, i): StratumStats => {
      const x = s as Record<string, unknown>;
      if (
        typeof x !== "object" ||
        x === null ||
        (typeof x.stratum !== "string" && typeof x.stratum !== "number") ||
        !finiteNumber(x.n) ||
        !finiteNumber(x.sum) ||
        !finiteNumber(x.m2)
      )
        throw new Error(`strata[${i}] must be {"stratum": text, "n": number, "sum": number, "m2": number}`);
      return { stratum: String(x.stratum), n: x.n, sum: x.sum, m2: x.m2 };
    });
  }
  return out;
}

/** The table's line about a regression or post-stratification (CUPED has its own mark). */
export function adjustmentLine(r: MetricAnalysis): string | null {
  const a = r.adjustment;
  if (!a || a.method === "cuped") return null;
  const reductions = r.variations
    .map((v) => v.comparison?.adjustment?.varianceReduction)
    .filter((x): x is number => typeof x === "number")
    .map((x) => `${(100 * x).toFixed(1)}%`);
  const what =
    a.method === "regression"
      ? `regression on ${a.covariates.map((c) => `${c.name} (slope ${Number(c.coefficient.toPrecision(4))})`).join(", ")}`
      : `post-stratified by ${a.strata!.map((s) => `${s.stratum} (${(100 * s.weight).toFixed(1)}%)`).join(", ")}`;
  return `${what}; variance reduction ${reductions.join(", ") || "-"}`;
}
