// The variance reduction of an analysis: CUPED (one covariate), regression on k covariates, or
// post-stratification. Each yields adjusted arms (mean and variance of the mean) that every output of the
// metric then uses, or the reason it was not applied (missing or impossible statistics, too little data,
// or an adjustment that would widen an interval).
import { type Arm, cupedArmsOf } from "./analysis-arms.js";
import type { AdjustmentMethod, MetricAnalysis, MetricInput } from "./analysis-types.js";
import { postStratify } from "./post-stratification.js";
import { type AdjustedArm, type RegressionStats, regressionAdjustment } from "./regression-adjustment.js";

/** Adjusted arms by arm index, and what the report says about the adjustment. */
export interface Adjusted {
  arms: Map<number, AdjustedArm>;
  summary: NonNullable<MetricAnalysis["adjustment"]>;
  /** CUPED's theta (0 for the other methods). */
  theta: number;
}

/** The method a metric asks for: its own `adjustment`, else CUPED when asked, else the analysis'. */
export function adjustmentMethodOf(
  metric: MetricInput,
  options: { cuped?: boolean; adjustment?: AdjustmentMethod },
): AdjustmentMethod {
  if (metric.adjustment) return metric.adjustment;
  if (metric.cuped ?? options.cuped) return "cuped";
  return options.adjustment ?? "none";
}

// An adjustment that widens the interval of a comparison with the reference only adds noise.
function widens(arms: Map<number, AdjustedArm>, ref: Arm): boolean {
  const r = arms.get(ref.index);
  if (!r) return false;
  for (const [index, c] of arms) {
    if (index === ref.index) continue;
    if (r.varianceMeanAdjusted + c.varianceMeanAdjusted > r.varianceMeanUnadjusted + c.varianceMeanUnadjusted)
      return true;
  }
  return false;
}

const WIDENS = "the adjustment would widen the interval (the covariates do not predict the metric)";

function regressionOf(usable: Arm[], ref: Arm, metric: MetricInput): Adjusted | { reason: string } {
  const missing = usable.filter((a) => !a.input.regression);
  if (missing.length > 0 || usable.length < 2)
    return {
      reason: `covariate statistics (regression) missing for ${missing.map((a) => a.input.key).join(", ") || "the comparison"}`,
    };
  const k = usable[0]!.input.regression!.means.length - 1;
  if (k < 1) return { reason: "regression statistics hold no covariate" };
  const stats: RegressionStats[] = [];
  for (const a of usable) {
    const r = a.input.regression!;
    // The outcome of the regression statistics must be the metric analysed.
    const sum = a.conversions ?? a.input.sum ?? 0;
    const mean = r.means[0];
    if (typeof mean !== "number" || Math.abs(mean * a.input.n - sum) > 1e-6 * Math.max(1, Math.abs(sum)))
      return { reason: `variation ${a.input.key}: the regression statistics' outcome is not the metric` };
    stats.push({ n: a.input.n, means: r.means, comoments: r.comoments });
  }
  const names = metric.covariates ?? Array.from({ length: k }, (_, i) => `x${i + 1}`);
  if (names.length !== k) return { reason: `${names.length} covariate names for ${k} covariates` };
  const fit = regressionAdjustment(stats, k);
  const dropped = fit.dropped.map((d) => ({ covariate: names[d.index]!, reason: d.reason }));
  if (!fit.applied) return { reason: fit.reason + dropNote(dropped) };
  const arms = new Map(usable.map((a, i) => [a.index, fit.arms[i]!]));
  if (widens(arms, ref)) return { reason: WIDENS };
  return {
    arms,
    theta: 0,
    summary: {
      method: "regression",
      covariates: fit.used.map((i) => ({ name: names[i]!, coefficient: fit.coefficients[i]! })),
      dropped,
      strata: null,
      merged: [],
    },
  };
}

const dropNote = (dropped: { covariate: string; reason: string }[]): string =>
  dropped.length > 0 ? ` (left out: ${dropped.map((d) => `${d.covariate}: ${d.reason}`).join("; ")})` : "";

function strataOf(usable: Arm[], ref: Arm, minUnits?: number): Adjusted | { reason: string } {
  const missing = usable.filter((a) => !a.input.strata);
  if (missing.length > 0 || usable.length < 2)
    return {
      reason: `strata missing for ${missing.map((a) => a.input.key).join(", ") || "the comparison"}`,
    };
  for (const a of usable) {
    const strata = a.input.strata!;
    const n = strata.reduce((s, x) => s + x.n, 0);
    const sum = strata.reduce((s, x) => s + x.sum, 0);
    const expected = a.conversions ?? a.input.sum ?? 0;
    if (n !== a.input.n || Math.abs(sum - expected) > 1e-6 * Math.max(1, Math.abs(expected)))
      return { reason: `variation ${a.input.key}: its strata do not add up to its units and sum` };
  }
  const ps = postStratify(
    usable.map((a) => a.input.strata!),
    minUnits !== undefined ? { minUnitsPerArm: minUnits } : {},
  );
  if (!ps.applied) return { reason: ps.reason };
  const arms = new Map(usable.map((a, i) => [a.index, ps.arms[i]!]));
  if (widens(arms, ref)) return { reason: WIDENS.replace("covariates do", "attribute does") };
  return {
    arms,
    theta: 0,
    summary: {
      method: "post-stratification",
      covariates: [],
      dropped: [],
      strata: ps.strata,
      merged: ps.merged,
    },
  };
}

/** The metric's adjusted arms under the asked method, or why it was not applied (null: none asked). */
export function adjustedArmsOf(
  method: AdjustmentMethod,
  usable: Arm[],
  ref: Arm,
  metric: MetricInput,
  minUnitsPerStratum?: number,
): Adjusted | { reason: string } | null {
  if (method === "none") return null;
  if (method === "regression") return regressionOf(usable, ref, metric);
  if (method === "post-stratification") return strataOf(usable, ref, minUnitsPerStratum);
  const cu = cupedArmsOf(usable, ref);
  if ("reason" in cu) return cu;
  return {
    arms: cu.arms,
    theta: cu.theta,
    summary: { method: "cuped", covariates: [], dropped: [], strata: null, merged: [] },
  };
}
