// Capping's pure functions on small datasets whose answers are worked by hand (and agree with
// numpy.percentile's default "linear" method, R's type 7, which SQL's percentile_cont also uses).
import { describe, expect, it } from "vitest";
import { cappedSums, capThreshold, pooledPercentile, StatsInputError } from "../src/index.js";

describe("pooledPercentile: units without a value count as 0", () => {
  it("interpolates between order statistics of the pooled sample", () => {
    // Pooled sample [0, 0, 1, 2, 3, 100]: h = 5q.
    expect(pooledPercentile([3, 100, 1, 2], 6, 0.8)).toBe(3);
    expect(pooledPercentile([3, 100, 1, 2], 6, 0.9)).toBeCloseTo(51.5, 12);
    expect(pooledPercentile([3, 100, 1, 2], 6, 0.2)).toBe(0);
    expect(pooledPercentile([3, 100, 1, 2], 6, 1)).toBe(100);
  });

  it("places the zeros among negative values (refunds)", () => {
    // Pooled [-5, 0, 0, 10]: h = 3q.
    expect(pooledPercentile([10, -5], 4, 0.5)).toBe(0);
    expect(pooledPercentile([10, -5], 4, 0.9)).toBeCloseTo(7, 12);
    expect(pooledPercentile([10, -5], 4, 0.2)).toBeCloseTo(-2, 12);
  });

  it("rejects impossible input with a typed error", () => {
    expect(() => pooledPercentile([1, 2], 1, 0.5)).toThrow(StatsInputError);
    expect(() => pooledPercentile([], 0, 0.5)).toThrow(/no units/);
    expect(() => pooledPercentile([1], 2, 1.5)).toThrow(StatsInputError);
  });
});

describe("capThreshold and cappedSums", () => {
  it("absolute, percentile and none", () => {
    expect(capThreshold({ type: "none" }, [1, 2], 2)).toBeNull();
    expect(capThreshold({ type: "absolute", value: 50 }, [1, 2], 2)).toBe(50);
    expect(capThreshold({ type: "percentile", value: 0.9 }, [3, 100, 1, 2], 6)).toBeCloseTo(51.5, 12);
    expect(() => capThreshold({ type: "percentile", value: 99 }, [1], 1)).toThrow(/fraction between 0 and 1/);
    expect(() => capThreshold({ type: "absolute", value: Number.NaN }, [1], 1)).toThrow(StatsInputError);
  });

  it("caps each unit's value before summing; the zeros stay in n", () => {
    // [1, 2, 3, min(100, 51.5)] and two zeros: sum 57.5, sum of squares 1 + 4 + 9 + 2652.25.
    const s = cappedSums([1, 2, 3, 100], 6, 51.5);
    expect(s.n).toBe(6);
    expect(s.sum).toBeCloseTo(57.5, 12);
    expect(s.sumSquares).toBeCloseTo(2666.25, 10);
    expect(s.m2).toBeCloseTo(2666.25 - 57.5 ** 2 / 6, 10);
    expect(cappedSums([1, 2, 3, 100], 6, null).sum).toBe(106);
    expect(() => cappedSums([1, 2, 3], 2, null)).toThrow(StatsInputError);
  });
});
