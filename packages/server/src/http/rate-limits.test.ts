import { describe, expect, it } from "vitest";
import { PerMinuteCounter } from "./rate-limits.js";

describe("PerMinuteCounter (SDK routes' per-address budget)", () => {
  it("allows max requests per key and minute, answers the seconds to the next minute, then starts over", () => {
    let now = Date.UTC(2026, 0, 1, 12, 0, 15); // 45 s before the next minute
    const counter = new PerMinuteCounter(2, () => now);
    expect([counter.take("a"), counter.take("a"), counter.take("b")]).toEqual([0, 0, 0]);
    expect(counter.take("a")).toBe(45);
    now += 44_500;
    expect(counter.take("a")).toBe(1); // never 0 while refused
    now += 500; // the next minute
    expect(counter.take("a")).toBe(0);
  });
});
