import { describe, expect, it } from "vitest";
import {
  allocationProblem,
  allocationSum,
  evenSplit,
  experimentArmCount,
  newRule,
  rampPreview,
  reorder,
  rulesProblems,
} from "./rule-logic.js";

const DAY = 86_400_000;

describe("allocations", () => {
  it("sums to hundredths, so three thirds of 33.33/33.33/33.34 make exactly 100", () => {
    const allocations = [33.33, 33.33, 33.34].map((exposition) => ({ exposition }));
    expect(allocationSum(allocations)).toBe(100);
    expect(allocationProblem(allocations)).toBeNull();
    expect(allocationProblem([{ exposition: 50 }, { exposition: 40 }])).toBe(
      "Allocations add up to 90 %, not 100 %",
    );
  });

  it("splits evenly in hundredths with the remainder first", () => {
    expect(evenSplit(3)).toEqual([33.34, 33.33, 33.33]);
    expect(evenSplit(2)).toEqual([50, 50]);
    expect(evenSplit(0)).toEqual([]);
  });

  it("gives a new experiment one allocation per variation summing to 100, control the first", () => {
    const rule = newRule("EXPERIMENTATION", ["off", "on", "alt"], 0);
    expect(allocationSum(rule.trafficAllocations)).toBe(100);
    expect(rule.controlVariationKey).toBe("off");
  });
});

describe("ramp preview", () => {
  it("steps from start by increaseBy every frequency and stops at stop (10 -> 100 by 25 daily)", () => {
    const releaseDateTime = "2026-01-01T00:00:00Z";
    const t0 = Date.parse(releaseDateTime);
    const points = rampPreview({
      type: "PROGRESSIVE_EXPOSURE",
      percentageRange: { start: 10, stop: 100 },
      increaseBy: 25,
      frequency: { unit: "Days", value: 1 },
      releaseDateTime,
    });
    // 10, 35, 60, 85, then capped at 100.
    expect(points).toEqual([
      { at: t0, exposure: 10 },
      { at: t0 + DAY, exposure: 35 },
      { at: t0 + 2 * DAY, exposure: 60 },
      { at: t0 + 3 * DAY, exposure: 85 },
      { at: t0 + 4 * DAY, exposure: 100 },
    ]);
  });

  it("orders custom steps by time and is empty when the schedule is incomplete", () => {
    const points = rampPreview({
      type: "CUSTOM_RAMP_UP",
      steps: [
        { dateTime: "2026-01-03T00:00:00Z", exposure: 50 },
        { dateTime: "2026-01-01T00:00:00Z", exposure: 5 },
      ],
    });
    expect(points.map((p) => p.exposure)).toEqual([5, 50]);
    expect(rampPreview({ type: "PROGRESSIVE_EXPOSURE", increaseBy: 10 })).toEqual([]);
  });

  it("keeps daily steps at the same wall time across a DST change in the rule's zone", () => {
    // Paris leaves summer time on 2026-10-25: 09:00 is 07:00Z before and 08:00Z after.
    const points = rampPreview(
      {
        type: "PROGRESSIVE_EXPOSURE",
        percentageRange: { start: 0, stop: 20 },
        increaseBy: 10,
        frequency: { unit: "Days", value: 1 },
        releaseDateTime: "2026-10-24T09:00:00",
      },
      "Europe/Paris",
    );
    expect(points.map((p) => new Date(p.at).toISOString())).toEqual([
      "2026-10-24T07:00:00.000Z",
      "2026-10-25T08:00:00.000Z",
      "2026-10-26T08:00:00.000Z",
    ]);
  });
});

it("reorders rules and renumbers orderIndex by position", () => {
  const rules = [
    { orderIndex: 0, name: "a" },
    { orderIndex: 1, name: "b" },
    { orderIndex: 2, name: "c" },
  ];
  expect(reorder(rules, 2, 0)).toEqual([
    { orderIndex: 0, name: "c" },
    { orderIndex: 1, name: "a" },
    { orderIndex: 2, name: "b" },
  ]);
});

describe("rules problems", () => {
  it("names each experiment whose split is not 100 % or whose bandit has no goal, by position", () => {
    const experiment = newRule("EXPERIMENTATION", ["off", "on"], 1);
    const bandit = { ...experiment, trafficAllocationMethod: "MULTI_ARMED_BANDIT" as const };
    const uneven = {
      ...experiment,
      trafficAllocations: [
        { variationKey: "off", exposition: 60 },
        { variationKey: "on", exposition: 30 },
      ],
    };
    const targeted = newRule("TARGETED_DELIVERY", ["off", "on"], 0);
    expect(rulesProblems([targeted, experiment], false)).toEqual([]);
    expect(rulesProblems([targeted, uneven, bandit], false)).toEqual([
      "Rule 2: Allocations add up to 90 %, not 100 %",
      "Rule 3: a bandit needs a goal to optimize; pick a primary goal",
    ]);
    expect(rulesProblems([bandit], true)).toEqual([]);
  });
});

describe("experimentArmCount", () => {
  it("counts the variations the experiment allocates traffic to, not the flag's others", () => {
    const rule = newRule("EXPERIMENTATION", ["off", "a", "b"], 0);
    expect(experimentArmCount([rule], 3)).toBe(3);
    const twoArms = {
      ...rule,
      trafficAllocations: [
        { variationKey: "off", exposition: 50 },
        { variationKey: "a", exposition: 50 },
        { variationKey: "b", exposition: 0 },
      ],
    };
    expect(experimentArmCount([newRule("TARGETED_DELIVERY", ["off", "on"], 0), twoArms], 3)).toBe(2);
  });

  it("falls back to every variation without an experimentation rule", () => {
    expect(experimentArmCount([newRule("TARGETED_DELIVERY", ["off", "on"], 0)], 4)).toBe(4);
  });
});
