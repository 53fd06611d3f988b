import { describe, expect, it } from "vitest";
import { cappingFields, cappingRequest } from "./goal-capping.js";

describe("goal capping fields", () => {
  it("shows a stored percentile as people say it and sends it back as a fraction", () => {
    expect(cappingFields({ type: "percentile", value: 0.99 })).toEqual({ type: "percentile", value: 99 });
    expect(cappingFields({ type: "percentile", value: 0.995 })).toEqual({ type: "percentile", value: 99.5 });
    expect(cappingRequest({ type: "percentile", value: 99.5 }, true)).toEqual({
      type: "percentile",
      value: 0.995,
    });
    expect(cappingRequest({ type: "percentile", value: 7 }, true)).toEqual({
      type: "percentile",
      value: 0.07,
    });
  });

  it("keeps an absolute cap in the goal's unit", () => {
    expect(cappingFields({ type: "absolute", value: 250 })).toEqual({ type: "absolute", value: 250 });
    expect(cappingRequest({ type: "absolute", value: 250 }, true)).toEqual({ type: "absolute", value: 250 });
  });

  it("sends none for no capping and for a goal that is not numeric", () => {
    expect(cappingFields(undefined)).toEqual({ type: "none", value: null });
    expect(cappingFields({ type: "none", value: null })).toEqual({ type: "none", value: null });
    expect(cappingRequest({ type: "none", value: null }, true)).toEqual({ type: "none" });
    expect(cappingRequest({ type: "absolute", value: 250 }, false)).toEqual({ type: "none" });
  });

  it("says what is wrong with a value the server would refuse", () => {
    for (const value of [null, 0, -5])
      expect(cappingRequest({ type: "absolute", value }, true)).toHaveProperty("problem");
    for (const value of [null, 0, 100, 150])
      expect(cappingRequest({ type: "percentile", value }, true)).toHaveProperty("problem");
  });
});
