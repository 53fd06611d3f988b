import { describe, expect, it } from "vitest";
import type { RolloutConfiguration, Rule } from "../api/types.js";
import { nextCustomStep, ruleToSave, withScheduleType } from "./rollout-schedule.js";

const NOW = Date.parse("2027-03-01T08:20:00Z");
const regular: RolloutConfiguration = {
  type: "PROGRESSIVE_EXPOSURE",
  releaseDateTime: "2027-03-02T09:00:00",
  percentageRange: { start: 10, stop: 60 },
  increaseBy: 25,
  frequency: { unit: "Hours", value: 6 },
};

describe("switching a schedule's type", () => {
  it("keeps only custom steps, starting where the regular ramp started and at its stop %", () => {
    expect(withScheduleType(regular, "CUSTOM_RAMP_UP", NOW)).toEqual({
      type: "CUSTOM_RAMP_UP",
      steps: [{ dateTime: "2027-03-02T09:00:00", exposure: 60 }],
    });
  });

  it("keeps only a regular ramp's fields, starting at the first custom step", () => {
    const custom: RolloutConfiguration = {
      type: "CUSTOM_RAMP_UP",
      steps: [{ dateTime: "2027-04-01T00:00:00", exposure: 20 }],
    };
    expect(withScheduleType(custom, "PROGRESSIVE_EXPOSURE", NOW)).toEqual({
      type: "PROGRESSIVE_EXPOSURE",
      releaseDateTime: "2027-04-01T00:00:00",
      percentageRange: { start: 10, stop: 100 },
      increaseBy: 10,
      frequency: { unit: "Days", value: 1 },
    });
    expect(withScheduleType(regular, "PROGRESSIVE_EXPOSURE", NOW)).toBe(regular);
  });
});

describe("custom steps", () => {
  it("adds a step a day after the last one, or at the next full hour for the first", () => {
    expect(nextCustomStep([{ dateTime: "2027-04-30T23:30:00", exposure: 20 }], NOW)).toEqual({
      dateTime: "2027-05-01T23:30:00",
      exposure: 100,
    });
    // 08:20 rounds up to 09:00.
    expect(nextCustomStep([], NOW)).toEqual({ dateTime: "2027-03-01T09:00:00", exposure: 100 });
  });

  it("saves steps in time order in the rule's time zone, unreadable ones last", () => {
    const rule: Rule = {
      type: "PROGRESSIVE_DELIVERY",
      release: { timeZone: "Europe/Paris" },
      rolloutConfiguration: {
        type: "CUSTOM_RAMP_UP",
        steps: [
          { dateTime: "2027-04-08T00:00:00", exposure: 100 },
          { dateTime: "soon", exposure: 50 },
          // 23:30 UTC on the 7th is 01:30 on the 8th in Paris: after the first step.
          { dateTime: "2027-04-07T23:30:00Z", exposure: 70 },
          { dateTime: "2027-04-01T00:00:00", exposure: 20 },
        ],
      },
    };
    expect(ruleToSave(rule).rolloutConfiguration?.steps?.map((s) => s.exposure)).toEqual([20, 100, 70, 50]);
    const targeted: Rule = { type: "TARGETED_DELIVERY", variationKey: "on" };
    expect(ruleToSave(targeted)).toBe(targeted);
  });
});
