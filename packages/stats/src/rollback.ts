import type { ConversionCounts } from "./proportions.js";

/** A rollback condition on a goal (Kameleoon-style automatic rollback). */
export interface RollbackCondition {
  kpi: "UPLIFT" | "DOWNLIFT" | "CONVERSION_RATE";
  operator: "GREATER_THAN" | "LESS_THAN";
  /** Threshold in percent. */
  thresholdPct: number;
  /** Exposed visitors (all arms of the rule) needed before the condition is evaluated. */
  minVisitors: number;
}

/**
 * Evaluate a rollback condition on point estimates: UPLIFT = (cr_t/cr_c - 1) 100, DOWNLIFT =
 * (1 - cr_t/cr_c) 100, CONVERSION_RATE = cr_t 100; evaluated once total visitors reach minVisitors.
 * Kameleoon publishes no formula; this is the documented reading (no significance gate).
 */
export function evaluateRollbackCondition(
  condition: RollbackCondition,
  control: ConversionCounts,
  treatment: ConversionCounts,
): { evaluated: boolean; triggered: boolean; value: number | null } {
  const crc = control.n > 0 ? control.conversions / control.n : Number.NaN;
  const crt = treatment.n > 0 ? treatment.conversions / treatment.n : Number.NaN;
  let value: number;
  if (condition.kpi === "CONVERSION_RATE") value = crt * 100;
  else if (condition.kpi === "UPLIFT") value = (crt / crc - 1) * 100;
  else value = (1 - crt / crc) * 100;
  const finite = Number.isFinite(value);
  const evaluated = control.n + treatment.n >= condition.minVisitors && finite;
  const triggered =
    evaluated &&
    (condition.operator === "GREATER_THAN" ? value > condition.thresholdPct : value < condition.thresholdPct);
  return { evaluated, triggered, value: finite ? value : null };
}
