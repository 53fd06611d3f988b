import { describe, expect, it } from "vitest";
import { currentExposition, ruleStatus } from "./schedule.js";
import type { CompiledRule } from "./types.js";

const utc = (iso: string) => Date.parse(iso);

const base: CompiledRule = {
  id: 1,
  type: "TARGETED_DELIVERY",
  exposition: 40,
  state: "ACTIVE",
  variationKey: "on",
};

describe("ruleStatus", () => {
  const windowed: CompiledRule = {
    ...base,
    release: {
      releaseFrom: "2024-06-01T09:00:00",
      releaseTo: "2024-06-30T18:00:00",
      timeZone: "America/New_York",
    },
  };
  it("follows state and the [releaseFrom, releaseTo) window in the rule's zone", () => {
    expect(ruleStatus(windowed, utc("2024-06-01T12:59:59Z"))).toBe("PLANNED");
    expect(ruleStatus(windowed, utc("2024-06-01T13:00:00Z"))).toBe("ACTIVE");
    expect(ruleStatus(windowed, utc("2024-06-30T21:59:59Z"))).toBe("ACTIVE");
    expect(ruleStatus(windowed, utc("2024-06-30T22:00:00Z"))).toBe("OUTDATED");
    expect(ruleStatus({ ...windowed, state: "PAUSED" }, utc("2024-06-15T00:00:00Z"))).toBe("PAUSED");
    expect(ruleStatus(base, 0)).toBe("ACTIVE");
  });
  it("treats an unreadable window as not running", () => {
    expect(ruleStatus({ ...base, release: { releaseFrom: "soon" } }, 0)).toBe("PAUSED");
    expect(
      ruleStatus({ ...base, release: { releaseFrom: "2024-01-01T00:00", timeZone: "Nowhere/City" } }, 0),
    ).toBe("PAUSED");
  });
});

describe("currentExposition", () => {
  const hourly: CompiledRule = {
    ...base,
    type: "PROGRESSIVE_DELIVERY",
    rolloutConfiguration: {
      type: "PROGRESSIVE_EXPOSURE",
      percentageRange: { start: 10, stop: 50 },
      increaseBy: 15,
      frequency: { unit: "Hours", value: 2 },
      releaseDateTime: "2024-05-01T08:00:00Z",
    },
  };
  it("ramps linearly by steps and stops at the cap", () => {
    expect(currentExposition(hourly, utc("2024-05-01T07:59:59Z"))).toBe(0);
    expect(currentExposition(hourly, utc("2024-05-01T08:00:00Z"))).toBe(10);
    expect(currentExposition(hourly, utc("2024-05-01T09:59:59Z"))).toBe(10);
    expect(currentExposition(hourly, utc("2024-05-01T10:00:00Z"))).toBe(25);
    expect(currentExposition(hourly, utc("2024-05-01T12:00:00Z"))).toBe(40);
    expect(currentExposition(hourly, utc("2024-05-01T14:00:00Z"))).toBe(50); // 55 capped
    expect(currentExposition(hourly, utc("2030-01-01T00:00:00Z"))).toBe(50);
  });

  it("keeps decimal steps exact", () => {
    const tenths: CompiledRule = {
      ...hourly,
      rolloutConfiguration: {
        type: "PROGRESSIVE_EXPOSURE",
        percentageRange: { start: 0.1, stop: 1 },
        increaseBy: 0.1,
        frequency: { unit: "Minutes", value: 1 },
        releaseDateTime: "2024-05-01T00:00:00Z",
      },
    };
    expect(currentExposition(tenths, utc("2024-05-01T00:02:00Z"))).toBe(0.3);
    expect(currentExposition(tenths, utc("2024-05-01T00:08:30Z"))).toBe(0.9);
    expect(currentExposition(tenths, utc("2024-05-01T00:09:00Z"))).toBe(1);
  });

  it("steps daily at the same wall-clock time across a DST change", () => {
    const daily: CompiledRule = {
      ...base,
      type: "PROGRESSIVE_DELIVERY",
      release: { timeZone: "Europe/Paris" },
      rolloutConfiguration: {
        type: "PROGRESSIVE_EXPOSURE",
        percentageRange: { start: 10, stop: 50 },
        increaseBy: 10,
        frequency: { unit: "Days", value: 1 },
        releaseDateTime: "2024-03-29T09:00:00",
      },
    };
    expect(currentExposition(daily, utc("2024-03-29T07:59:59Z"))).toBe(0);
    expect(currentExposition(daily, utc("2024-03-29T08:00:00Z"))).toBe(10); // 09:00 CET
    expect(currentExposition(daily, utc("2024-03-30T08:00:00Z"))).toBe(20); // 09:00 CET
    // 2024-03-31 09:00 is CEST (07:00Z): a fixed 24 h step would wait until 08:00Z.
    expect(currentExposition(daily, utc("2024-03-31T06:59:59Z"))).toBe(20);
    expect(currentExposition(daily, utc("2024-03-31T07:00:00Z"))).toBe(30);
    expect(currentExposition(daily, utc("2024-04-02T07:00:00Z"))).toBe(50);
    // The same schedule read backwards and forwards (its piece cache must not leak).
    expect(currentExposition(daily, utc("2024-03-30T07:59:59Z"))).toBe(10);
  });

  it("weekly steps and a schedule read repeatedly through one compiled rule", async () => {
    const { compileExpositionSchedule } = await import("./schedule.js");
    const weekly: CompiledRule = {
      ...base,
      type: "PROGRESSIVE_DELIVERY",
      release: { timeZone: "America/New_York" },
      rolloutConfiguration: {
        type: "PROGRESSIVE_EXPOSURE",
        percentageRange: { start: 25, stop: 100 },
        increaseBy: 25,
        frequency: { unit: "Weeks", value: 1 },
        releaseDateTime: "2024-10-28T09:00:00", // EDT; the 2nd step is after the 2024-11-03 fall back
      },
    };
    const schedule = compileExpositionSchedule(weekly)!;
    const at = (iso: string) => schedule.at(utc(iso));
    expect(at("2024-10-28T13:00:00Z")).toBe(25);
    expect(at("2024-11-04T13:59:59Z")).toBe(25); // 09:00 EST = 14:00Z
    expect(at("2024-11-04T14:00:00Z")).toBe(50);
    expect(at("2024-10-28T12:59:59Z")).toBe(0);
    expect(at("2024-11-18T14:00:00Z")).toBe(100);
    expect(at("2024-11-11T14:00:00Z")).toBe(75);
  });

  it("follows custom ramp-up steps in any order", () => {
    const custom: CompiledRule = {
      ...base,
      type: "PROGRESSIVE_DELIVERY",
      release: { timeZone: "Asia/Tokyo" },
      rolloutConfiguration: {
        type: "CUSTOM_RAMP_UP",
        steps: [
          { dateTime: "2024-05-03T00:00:00", exposure: 60 },
          { dateTime: "2024-05-01T00:00:00", exposure: 5 },
          { dateTime: "2024-05-02T00:00:00Z", exposure: 20 },
        ],
      },
    };
    expect(currentExposition(custom, utc("2024-04-30T14:59:59Z"))).toBe(0);
    expect(currentExposition(custom, utc("2024-04-30T15:00:00Z"))).toBe(5); // midnight in Tokyo
    expect(currentExposition(custom, utc("2024-05-02T00:00:00Z"))).toBe(20);
    expect(currentExposition(custom, utc("2024-05-02T15:00:00Z"))).toBe(60);
  });

  it("uses the static exposition without a schedule and 0 for an unreadable one", () => {
    expect(currentExposition(base, 0)).toBe(40);
    const broken = {
      ...base,
      type: "PROGRESSIVE_DELIVERY",
      rolloutConfiguration: { type: "CUSTOM_RAMP_UP", steps: [{ dateTime: "x", exposure: 5 }] },
    };
    expect(currentExposition(broken as CompiledRule, 0)).toBe(0);
  });
});
