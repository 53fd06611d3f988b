import { describe, expect, it } from "vitest";
import { apportion, banditDecision } from "./bandit-allocation.js";

const settings = { floor: 0.05, minUnits: 100 };

describe("banditDecision", () => {
  it("waits while an arm is under the minimum, naming it", () => {
    const decision = banditDecision(
      [
        { variationKey: "off", exposition: 50, units: 400, convertedUnits: 40 },
        { variationKey: "on", exposition: 50, units: 99, convertedUnits: 30 },
      ],
      settings,
    );
    expect(decision).toEqual({ decision: "waiting", arms: [{ variationKey: "on", units: 99 }] });
  });

  it("keeps the rule's allocated total exactly, at 0.001 % resolution, and the floor", () => {
    const decision = banditDecision(
      [
        { variationKey: "a", exposition: 26.667, units: 1000, convertedUnits: 50 },
        { variationKey: "b", exposition: 26.667, units: 1000, convertedUnits: 120 },
        { variationKey: "c", exposition: 26.666, units: 1000, convertedUnits: 52 },
      ],
      settings,
    );
    if (decision.decision !== "reallocate") throw new Error("expected a re-allocation");
    const thousandths = decision.allocations.map((a) => Math.round(a.exposition * 1000));
    expect(thousandths.reduce((s, v) => s + v, 0)).toBe(80_000);
    for (const [i, a] of decision.allocations.entries()) {
      expect(a.exposition * 1000).toBeCloseTo(thousandths[i]!, 9);
      expect(a.exposition).toBeGreaterThanOrEqual(0.05 * 80);
    }
    expect(decision.allocations[1]!.exposition).toBeGreaterThan(70);
    expect(decision.changed).toBe(true);
    expect(decision.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
  });

  it("gives equal arms equal shares (an unchanged even split is not a change)", () => {
    const decision = banditDecision(
      [
        { variationKey: "off", exposition: 50, units: 500, convertedUnits: 50 },
        { variationKey: "on", exposition: 50, units: 500, convertedUnits: 50 },
      ],
      settings,
    );
    expect(decision).toMatchObject({
      decision: "reallocate",
      changed: false,
      allocations: [
        { variationKey: "off", exposition: 50 },
        { variationKey: "on", exposition: 50 },
      ],
    });
  });
});

describe("apportion", () => {
  it("hands out every unit, largest remainders first", () => {
    expect(apportion([1 / 3, 1 / 3, 1 / 3], 100_000)).toEqual([33_334, 33_333, 33_333]);
    expect(apportion([0.5, 0.25, 0.25], 7)).toEqual([3, 2, 2]);
    expect(apportion([0.1, 0.9], 0)).toEqual([0, 0]);
  });
});
