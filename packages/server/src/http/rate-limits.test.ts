import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PerMinuteCounter, TokenDigests } from "./rate-limits.js";

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

describe("TokenDigests (the per-token limiter's key)", () => {
  it("is the token's sha256 in base64, the same on every request, for short and very long tokens", () => {
    const digests = new TokenDigests();
    const sha256 = (text: string) => createHash("sha256").update(text).digest("base64");
    // Known value: sha256("abc") from FIPS 180-2, appendix B.1, in base64.
    expect(digests.of("abc")).toBe("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
    const token = "vx_reader_0123456789abcdefghijklmnopqrstuvwxyz";
    const long = `vx_${"x".repeat(1000)}`; // beyond what is remembered: hashed each time
    expect([digests.of(token), digests.of(token)]).toEqual([sha256(token), sha256(token)]);
    expect([digests.of(long), digests.of(long)]).toEqual([sha256(long), sha256(long)]);
    expect(digests.of(`${token}1`)).not.toBe(digests.of(token));
  });
});
