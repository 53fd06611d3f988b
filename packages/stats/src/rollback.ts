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
 * Evaluate a rollback condition on point estimates (value null when not evaluated): UPLIFT = (cr_t/cr_c - 1) 100, DOWNLIFT =
 * (1 - cr_t/cr_c) 100, CONVERSION_RATE = cr_t 100; evaluated once total visitors reach minVisitors.
 * Kameleoon publishes no formula; this is the documented reading (no significance gate).
 */
export function evaluateRollbackCondition(
  condition: RollbackCondition,
  control: ConversionCounts,
  treatment: ConversionCounts,
): { evaluated: boolean; triggered: boolean; value: number | null } {
  // Not evaluated (too few visitors, or a rate without units or a zero control rate): no value.
  if (control.n + treatment.n < condition.minVisitors || treatment.n <= 0)
    return { evaluated: false, triggered: false, value: null };
  const crt = treatment.conversions / treatment.n;
  let value: number;
  if (condition.kpi === "CONVERSION_RATE") value = crt * 100;
  else {
    const crc = control.n > 0 ? control.conversions / control.n : 0;
    if (!(crc > 0)) return { evaluated: false, triggered: false, value: null };
    value = condition.kpi === "UPLIFT" ? (crt / crc - 1) * 100 : (1 - crt / crc) * 100;
  }
  const triggered =
    condition.operator === "GREATER_THAN" ? value > condition.thresholdPct : value < condition.thresholdPct;
  return { evaluated: true, triggered, value };
}
