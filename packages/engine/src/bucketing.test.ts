import { describe, expect, it } from "vitest";
import { referenceBucket } from "../test/reference.js";
import { BUCKETS, bucket, bucketFromState, experimentSalt, ruleSalt, saltState } from "./bucketing.js";

describe("bucketing", () => {
  it("builds the documented salts", () => {
    expect(ruleSalt(12)).toBe("rule:12");
    expect(experimentSalt(501)).toBe("exp:501");
    expect(experimentSalt(501, null)).toBe("exp:501");
    expect(experimentSalt(501, 1717171717000)).toBe("exp:501:1717171717000");
  });

  it("matches the formula written from the design, on ASCII and non-ASCII codes", () => {
    const codes = ["a", "visitor-1", "Zoë", "François", "ユーザー", "用户", "🦄", "x".repeat(300)];
    for (const salt of ["rule:1", "rule:987654", "exp:5", "exp:5:1700000000000"]) {
      for (const code of codes) {
        const b = bucket(salt, code);
        expect(b).toBe(referenceBucket(salt, code));
        expect(bucketFromState(saltState(salt), code)).toBe(b);
        expect(Number.isInteger(b) && b >= 0 && b < BUCKETS).toBe(true);
      }
    }
  });

  it("is roughly uniform", () => {
    const deciles = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) deciles[Math.floor(bucket("rule:1", `v${i}`) / 10_000)]!++;
    for (const d of deciles) expect(Math.abs(d - 10_000)).toBeLessThan(500);
  });
});
