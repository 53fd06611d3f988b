import { describe, expect, it } from "vitest";
import { Backoff, fullJitterDelay, MAX_RETRY_AFTER_MS, parseRetryAfter } from "../src/backoff.js";

describe("fullJitterDelay", () => {
  const options = { baseMs: 100, maxMs: 5000 };

  it("stays in [0, min(max, base * 2^attempt))", () => {
    for (let attempt = 0; attempt < 70; attempt++) {
      const ceiling = Math.min(5000, 100 * 2 ** attempt);
      expect(fullJitterDelay(attempt, options, () => 0)).toBe(0);
      const top = fullJitterDelay(attempt, options, () => 0.999999);
      expect(top).toBeLessThan(ceiling);
      expect(top).toBeGreaterThanOrEqual(Math.floor(ceiling * 0.999));
    }
  });

  it("draws uniformly (full jitter): the mean of many draws is about half the ceiling", () => {
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += fullJitterDelay(3, options);
    expect(sum / 20_000).toBeGreaterThan(350);
    expect(sum / 20_000).toBeLessThan(450);
  });

  it("Backoff grows with failures and starts over after reset", () => {
    const backoff = new Backoff(options, () => 0.5);
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([50, 100, 200]);
    expect(backoff.failures).toBe(3);
    for (let i = 0; i < 100; i++) expect(backoff.next()).toBeLessThanOrEqual(2500);
    backoff.reset();
    expect(backoff.next()).toBe(50);
  });
});

describe("parseRetryAfter", () => {
  it("reads delta seconds and HTTP dates, caps, and ignores garbage", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter(" 1.5 ", now)).toBe(1500);
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("Tue, 31 Dec 2024 23:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("999999", now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
