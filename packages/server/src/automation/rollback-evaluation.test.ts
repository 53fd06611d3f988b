import { describe, expect, it } from "vitest";
import type { StoredRollbackCondition } from "../flags/flags.document.js";
import { describeReading, readRollbackConditions, type VariationOutcome } from "./rollback-evaluation.js";

const GOAL = 7;

function condition(overrides: Partial<StoredRollbackCondition>): StoredRollbackCondition {
  return {
    id: 1,
    criteria: "DOWNLIFT",
    comparisonOperator: "GREATER_THAN",
    matchValue: 10,
    goalId: GOAL,
    visitors: 1000,
    target: "RULE",
    recipients: [],
    ...overrides,
  };
}

const experiment = (conditions: StoredRollbackCondition[]) => ({
  type: "EXPERIMENTATION" as const,
  rollbackConditions: conditions,
  trafficAllocations: [
    { variationKey: "off", exposition: 34 },
    { variationKey: "on", exposition: 33 },
    { variationKey: "v2", exposition: 33 },
  ],
  controlVariationKey: "off",
});

const outcomes = (rows: [string, number, number][]) =>
  new Map<number, VariationOutcome[]>([
    [GOAL, rows.map(([variationKey, units, convertedUnits]) => ({ variationKey, units, convertedUnits }))],
  ]);

describe("readRollbackConditions", () => {
  // off 10 %, on 10 %, v2 7 %: v2 is 30 % down.
  const data = outcomes([
    ["off", 400, 40],
    ["on", 400, 40],
    ["v2", 400, 28],
  ]);

  it("waits for the rule's visitors (all variations), then reports the variation that meets it", () => {
    const waiting = readRollbackConditions(experiment([condition({ visitors: 1201 })]), data);
    expect(waiting.met).toBeUndefined();
    expect(waiting.readings[0]).toMatchObject({ status: "waiting", ruleVisitors: 1200 });
    const met = readRollbackConditions(experiment([condition({ visitors: 1200 })]), data).met!;
    expect(met).toMatchObject({ status: "met", variationKey: "v2", controlVariationKey: "off" });
    expect(met.value).toBeCloseTo(30, 9);
    expect(describeReading(met)).toBe(
      "DOWNLIFT of variation 'v2' against 'off' on goal 7 is 30 % (> 10 %) with 1200 visitors (threshold 1200)",
    );
  });

  it("takes the first condition met, in order", () => {
    const reading = readRollbackConditions(
      experiment([
        condition({ id: 1, criteria: "UPLIFT", matchValue: 5 }),
        condition({ id: 2, criteria: "CONVERSION_RATE", comparisonOperator: "LESS_THAN", matchValue: 8 }),
        condition({ id: 3 }),
      ]),
      data,
    );
    expect(reading.readings.map((r) => r.status)).toEqual(["not-met", "met", "met"]);
    expect(reading.met).toMatchObject({ conditionId: 2, variationKey: "v2" });
  });

  it("checks CONVERSION_RATE on the control too", () => {
    const reading = readRollbackConditions(
      experiment([
        condition({ criteria: "CONVERSION_RATE", comparisonOperator: "GREATER_THAN", matchValue: 9.5 }),
      ]),
      data,
    );
    expect(reading.met).toMatchObject({ variationKey: "off", value: 10 });
  });

  it("waits on a lift against a control without conversions", () => {
    const reading = readRollbackConditions(
      experiment([condition({ criteria: "UPLIFT", matchValue: 10, visitors: 10 })]),
      outcomes([
        ["off", 100, 0],
        ["on", 100, 5],
      ]),
    );
    expect(reading.readings[0]).toMatchObject({ status: "waiting", value: null });
  });

  it("never evaluates a lift on a single-variation rule; reads its conversion rate over all its visitors", () => {
    const rule = {
      type: "TARGETED_DELIVERY" as const,
      rollbackConditions: [
        condition({ id: 1, criteria: "DOWNLIFT", visitors: 0 }),
        condition({ id: 2, criteria: "CONVERSION_RATE", comparisonOperator: "LESS_THAN", matchValue: 5 }),
      ],
    };
    const reading = readRollbackConditions(rule, outcomes([["on", 1500, 30]]));
    expect(reading.readings[0]!.status).toBe("not-applicable");
    expect(reading.met).toMatchObject({
      conditionId: 2,
      value: 2,
      variation: { units: 1500, convertedUnits: 30 },
    });
  });
});
