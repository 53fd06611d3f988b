/**
 * How a rule's rollback conditions read its outcomes (pure; the tick is rollback-conditions.ts).
 *
 * - The unit is the visitor, counted in the variation of its first exposure to the rule; a variation's
 *   conversion rate is its converted visitors / its visitors on the condition's goal (attribution window
 *   after the first exposure).
 * - A condition is evaluated once the rule's visitors (all its variations) reach `visitors`.
 * - EXPERIMENTATION rules: UPLIFT / DOWNLIFT compare each variation other than `controlVariationKey` with
 *   the control, (cr_v / cr_control - 1) x 100 and (1 - cr_v / cr_control) x 100; CONVERSION_RATE checks each
 *   variation, the control included (cr_v x 100). The condition is met when one variation meets it (the
 *   first in allocation order is reported). A lift against a control with no conversion is not a number:
 *   such a comparison waits.
 * - Single-variation rules (TARGETED_DELIVERY, PROGRESSIVE_DELIVERY): there is no control, so UPLIFT and
 *   DOWNLIFT are never evaluated (reported as `not-applicable`); CONVERSION_RATE reads all the rule's visitors.
 * - Conditions are read in order; the first one met is the one that acts.
 */
import { evaluateRollbackCondition } from "@vexil/stats";
import type { StoredRollbackCondition, StoredRule } from "../flags/flags.document.js";

export interface VariationOutcome {
  variationKey: string;
  units: number;
  convertedUnits: number;
}

export interface ConditionReading {
  conditionId: number;
  criteria: StoredRollbackCondition["criteria"];
  comparisonOperator: StoredRollbackCondition["comparisonOperator"];
  matchValue: number;
  goalId: number;
  /** The threshold of visitors and the rule's visitors now. */
  visitors: number;
  ruleVisitors: number;
  /** met: acts; not-met: evaluated, below the threshold; waiting: too few visitors or no finite value yet. */
  status: "met" | "not-met" | "waiting" | "not-applicable";
  /** The variation that met the condition (or the last one read), and its control for a lift. */
  variationKey?: string;
  controlVariationKey?: string;
  /** The measured value in % (lift or rate), when there is one. */
  value?: number | null;
  /** The counts the value comes from. */
  variation?: { units: number; convertedUnits: number };
  control?: { units: number; convertedUnits: number };
}

export interface RuleReading {
  readings: ConditionReading[];
  /** The first condition met, if any. */
  met: ConditionReading | undefined;
}

/** Reads every condition of `rule` from its outcomes per goal (missing goal or variation = no visitor). */
export function readRollbackConditions(
  rule: Pick<StoredRule, "type" | "rollbackConditions" | "trafficAllocations" | "controlVariationKey">,
  outcomesByGoal: ReadonlyMap<number, readonly VariationOutcome[]>,
): RuleReading {
  const readings: ConditionReading[] = [];
  let met: ConditionReading | undefined;
  for (const condition of rule.rollbackConditions) {
    const reading = readCondition(rule, condition, outcomesByGoal.get(condition.goalId) ?? []);
    readings.push(reading);
    if (!met && reading.status === "met") met = reading;
  }
  return { readings, met };
}

function readCondition(
  rule: Pick<StoredRule, "type" | "trafficAllocations" | "controlVariationKey">,
  condition: StoredRollbackCondition,
  outcomes: readonly VariationOutcome[],
): ConditionReading {
  const ruleVisitors = outcomes.reduce((sum, outcome) => sum + outcome.units, 0);
  const reading: ConditionReading = {
    conditionId: condition.id,
    criteria: condition.criteria,
    comparisonOperator: condition.comparisonOperator,
    matchValue: condition.matchValue,
    goalId: condition.goalId,
    visitors: condition.visitors,
    ruleVisitors,
    status: "waiting",
  };
  const lift = condition.criteria !== "CONVERSION_RATE";
  const experiment = rule.type === "EXPERIMENTATION";
  if (lift && !experiment) return { ...reading, status: "not-applicable" };
  if (ruleVisitors < condition.visitors) return reading;

  const byKey = new Map(outcomes.map((outcome) => [outcome.variationKey, outcome]));
  const counts = (key: string | undefined) => {
    const outcome = key === undefined ? undefined : byKey.get(key);
    return { units: outcome?.units ?? 0, convertedUnits: outcome?.convertedUnits ?? 0 };
  };
  const statsCondition = {
    kpi: condition.criteria,
    operator: condition.comparisonOperator,
    thresholdPct: condition.matchValue,
    // The visitor threshold is on the whole rule, checked above.
    minVisitors: 0,
  };
  const asCounts = (c: { units: number; convertedUnits: number }) => ({
    n: c.units,
    conversions: c.convertedUnits,
  });

  if (!experiment) {
    const all = outcomes.reduce(
      (sum, o) => ({ units: sum.units + o.units, convertedUnits: sum.convertedUnits + o.convertedUnits }),
      { units: 0, convertedUnits: 0 },
    );
    const result = evaluateRollbackCondition(statsCondition, { n: 0, conversions: 0 }, asCounts(all));
    return {
      ...reading,
      status: result.triggered ? "met" : result.evaluated ? "not-met" : "waiting",
      value: result.value,
      variation: all,
    };
  }

  // Allocation order, then any variation seen in the data only (e.g. removed from the allocations since).
  const keys = [...(rule.trafficAllocations ?? []).map((a) => a.variationKey), ...byKey.keys()].filter(
    (key, i, all) => all.indexOf(key) === i,
  );
  const control = rule.controlVariationKey;
  const candidates = lift ? keys.filter((key) => key !== control) : keys;
  let last: ConditionReading = reading;
  let anyEvaluated = false;
  for (const key of candidates) {
    const variation = counts(key);
    const controlCounts = counts(control);
    const result = evaluateRollbackCondition(
      statsCondition,
      asCounts(lift ? controlCounts : { units: 0, convertedUnits: 0 }),
      asCounts(variation),
    );
    anyEvaluated ||= result.evaluated;
    last = {
      ...reading,
      variationKey: key,
      value: result.value,
      variation,
      ...(lift && control !== undefined ? { controlVariationKey: control, control: controlCounts } : {}),
    };
    if (result.triggered) return { ...last, status: "met" };
  }
  return { ...last, status: anyEvaluated ? "not-met" : "waiting" };
}

/** One sentence for the audit log and the notification. */
export function describeReading(reading: ConditionReading): string {
  const operator = reading.comparisonOperator === "GREATER_THAN" ? ">" : "<";
  const value = reading.value === null || reading.value === undefined ? "n/a" : `${round(reading.value)} %`;
  const what =
    reading.criteria === "CONVERSION_RATE"
      ? `conversion rate${reading.variationKey === undefined ? "" : ` of variation '${reading.variationKey}'`}`
      : `${reading.criteria} of variation '${reading.variationKey}' against '${reading.controlVariationKey}'`;
  return `${what} on goal ${reading.goalId} is ${value} (${operator} ${reading.matchValue} %) with ${reading.ruleVisitors} visitors (threshold ${reading.visitors})`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
