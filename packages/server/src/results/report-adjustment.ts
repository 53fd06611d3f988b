// The variance reduction of a results report beyond CUPED (the request's `varianceReduction`): the
// statistics it needs, aggregated on the report's own units (same filters, attribution window and caps),
// and their place in each goal's analysis. Regression: per variation, the co-moments of the goal's
// per-unit value and of the covariate goals' pre-period values (analytics aggregateRegression).
// Post-stratification: the goal's per-unit statistics per value of the stratification attribute
// (aggregateGoals broken down by it; units without a value form their own stratum).
import type { MetricInput, StratumStats, VariationInput } from "@vexil/stats";
import type { AnalyticsStore, GoalCapping, GoalsAggregationQuery } from "../analytics/analytics-store.js";
import type { CanonicalResultsRequest } from "./results-request.js";

/** Per variation key, per goal id: the statistics of the adjustment. */
export type AdjustmentStats = Map<
  string,
  Map<number, { regression?: { means: number[]; comoments: number[][] }; strata?: StratumStats[] }>
>;

/** Stratum name of units without a value for the attribute. */
export const NO_STRATUM_VALUE = "(none)";

/** The adjustment's statistics (null without `varianceReduction`); one more statement. */
export async function aggregateAdjustment(
  analytics: AnalyticsStore,
  request: CanonicalResultsRequest,
  base: Omit<GoalsAggregationQuery, "goalIds">,
  caps: GoalCapping[],
): Promise<AdjustmentStats | null> {
  const vr = request.varianceReduction;
  if (!vr) return null;
  const goalIds = vr.goalIds;
  const ownCaps = caps.filter((cap) => goalIds.includes(cap.goalId));
  const capped = ownCaps.length > 0 ? { caps: ownCaps } : {};
  const out: AdjustmentStats = new Map();
  const slot = (variationKey: string, goalId: number) => {
    const byGoal = out.get(variationKey) ?? new Map();
    out.set(variationKey, byGoal);
    const entry = byGoal.get(goalId) ?? {};
    byGoal.set(goalId, entry);
    return entry;
  };
  if (vr.method === "REGRESSION") {
    const groups = await analytics.aggregateRegression({
      ...base,
      goalIds,
      covariateGoalIds: vr.covariateGoalIds ?? [],
      ...(vr.covariateAttributes ? { covariateAttributes: vr.covariateAttributes } : {}),
      ...capped,
    });
    for (const group of groups)
      for (const goal of group.goals)
        slot(group.variationKey, goal.goalId).regression = { means: goal.means, comoments: goal.comoments };
    return out;
  }
  const strat = vr.stratification!;
  const groups = await analytics.aggregateGoals({
    ...base,
    breakdown:
      strat.type === "CUSTOM_DATUM" ? { type: "CUSTOM_DATUM", customKey: strat.key! } : { type: strat.type },
    goalIds,
    ...capped,
  });
  const converted = request.conversionType === "CONVERTED_VISITS";
  for (const group of groups)
    for (const goalId of goalIds) {
      const g = group.goals.find((x) => x.goalId === goalId);
      const n = group.units;
      // The analysed value: the per-unit sum, or under CONVERTED_VISITS 0/1 (c converted of n: m2 c (n - c) / n).
      const c = g?.convertedUnits ?? 0;
      const stratum: StratumStats = {
        stratum: group.breakdownValue ?? NO_STRATUM_VALUE,
        n,
        sum: converted ? c : (g?.sum ?? 0),
        m2: converted ? (c * (n - c)) / Math.max(1, n) : (g?.m2 ?? 0),
      };
      const entry = slot(group.variationKey, goalId);
      entry.strata = [...(entry.strata ?? []), stratum];
    }
  return out;
}

// Covariate names in the analysis: which goal or attribute each one is, read back by covariateOf.
const GOAL = "goal:";
const ATTRIBUTE = "attribute:";

/** The report's name of an analysis covariate: its goal id or its attribute. */
export function covariateOf(name: string): { goalId: number | null; attribute: string | null } {
  return name.startsWith(GOAL)
    ? { goalId: Number(name.slice(GOAL.length)), attribute: null }
    : { goalId: null, attribute: name.slice(ATTRIBUTE.length) };
}

/** A goal's adjustment fields of its analysis input (nothing when the goal is not adjusted). */
export function adjustmentOfMetric(
  request: CanonicalResultsRequest,
  goalId: number,
): Pick<MetricInput, "adjustment" | "covariates"> {
  const vr = request.varianceReduction;
  if (!vr?.goalIds.includes(goalId)) return {};
  if (vr.method === "REGRESSION")
    return {
      adjustment: "regression",
      covariates: [
        ...(vr.covariateGoalIds ?? []).map((id) => `${GOAL}${id}`),
        ...(vr.covariateAttributes ?? []).map((key) => `${ATTRIBUTE}${key}`),
      ],
    };
  return { adjustment: "post-stratification" };
}

/** A variation's adjustment statistics for a goal (nothing when it has none: the report says why). */
export function adjustmentOfVariation(
  stats: AdjustmentStats | null,
  variationKey: string,
  goalId: number,
): Pick<VariationInput, "regression" | "strata"> {
  const entry = stats?.get(variationKey)?.get(goalId);
  if (!entry) return {};
  return {
    ...(entry.regression ? { regression: entry.regression } : {}),
    ...(entry.strata ? { strata: entry.strata } : {}),
  };
}
