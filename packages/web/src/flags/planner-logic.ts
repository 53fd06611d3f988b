import type { paths } from "../api/openapi.generated.js";

type SampleSize = paths["/projects/{projectKey}/sample-size"]["post"];
/** The planner's request body and answer, from the server's schemas. */
export type PlanBody = NonNullable<SampleSize["requestBody"]>["content"]["application/json"];
export type Plan = SampleSize["responses"][200]["content"]["application/json"];

/** What the planner panel's fields hold (percentages as people type them). */
export interface PlannerForm {
  /** Relative minimum detectable effect in percent (5 = +5 %). */
  mdePercent: number | null;
  /** The experiment's primary goal; its recent data is the baseline when useGoalData. */
  goalId: number | null;
  useGoalData: boolean;
  environmentKey: string;
  /** Baseline conversion rate in percent, when the goal's data is not used. */
  baselinePercent: number | null;
  /** Visitors a day over all variations; estimated from the goal's data when empty. */
  dailyUnits: number | null;
  variations: number;
  sequential: boolean;
}

/** The request the form asks for, or what is missing before one can be made. */
export function plannerRequest(form: PlannerForm): { body: PlanBody } | { missing: string } {
  if (form.mdePercent === null || !Number.isFinite(form.mdePercent) || form.mdePercent === 0)
    return { missing: "Enter the smallest lift worth detecting." };
  if (form.variations < 2) return { missing: "An experiment needs at least two variations." };
  const common = {
    minimumDetectableEffect: form.mdePercent / 100,
    variations: form.variations,
    sequential: form.sequential,
    ...(form.dailyUnits !== null && form.dailyUnits > 0 ? { dailyUnits: form.dailyUnits } : {}),
  };
  if (form.useGoalData && form.goalId !== null)
    return { body: { ...common, goal: { goalId: form.goalId, environmentKey: form.environmentKey } } };
  if (form.baselinePercent === null || !(form.baselinePercent > 0 && form.baselinePercent < 100))
    return {
      missing:
        form.goalId === null
          ? "Choose a primary goal, or enter the baseline conversion rate."
          : "Enter the baseline conversion rate.",
    };
  return { body: { ...common, baselineRate: form.baselinePercent / 100 } };
}

const count = (n: number) => Math.round(n).toLocaleString("en-US");
const decimal = (n: number) => n.toLocaleString("en-US", { maximumSignificantDigits: 4 });

/** The answer in one sentence: units per variation, in total, and days when the traffic is known. */
export function planSummary(plan: Plan): string {
  const units = `${count(plan.unitsPerVariation)} visitors per variation (${count(plan.totalUnits)} in total)`;
  if (plan.days === null || plan.dailyUnits === null)
    return `${units}; enter the daily visitors for a duration.`;
  const day = plan.days === 1 ? "day" : "days";
  return `${units}: about ${plan.days} ${day} at ${count(plan.dailyUnits)} visitors a day.`;
}

/** Where the baseline came from, in words. */
export function baselineSummary(plan: Plan): string {
  const b = plan.baseline;
  const value =
    b.metric === "rate"
      ? `conversion rate ${decimal((b.rate ?? 0) * 100)} %`
      : `mean ${decimal(b.mean ?? 0)}, standard deviation ${decimal(b.sd ?? 0)}`;
  if (b.source === "request") return `Baseline ${value}.`;
  const capped = b.cap === null ? "" : `, capped at ${decimal(b.cap)}`;
  const days = b.from && b.to ? Math.round((Date.parse(b.to) - Date.parse(b.from)) / 86_400_000) : 0;
  return `Baseline from the goal's data in ${b.environmentKey} (${count(b.units ?? 0)} visitors over the last ${days} days): ${value}${capped}.`;
}
