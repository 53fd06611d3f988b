import { describe, expect, it } from "vitest";
import { ACCOUNT_LIMIT, afterFailure, blockedFor, type ThrottleState } from "./login-throttle.js";

const MINUTE = 60_000;

describe("login throttle", () => {
  it("blocks on the 5th failure within 15 minutes, for 15 minutes (ACCOUNT_LIMIT)", () => {
    let state: ThrottleState | undefined;
    for (let i = 0; i < 4; i++) state = afterFailure(state, i * MINUTE, ACCOUNT_LIMIT);
    expect(blockedFor(state, 4 * MINUTE)).toBe(0);
    state = afterFailure(state, 4 * MINUTE, ACCOUNT_LIMIT);
    expect(blockedFor(state, 4 * MINUTE)).toBe(15 * MINUTE);
    expect(blockedFor(state, 19 * MINUTE)).toBe(0);
  });

  it("starts a new window once the last one is over, forgetting older failures", () => {
    let state: ThrottleState | undefined;
    for (let i = 0; i < 4; i++) state = afterFailure(state, 0, ACCOUNT_LIMIT);
    state = afterFailure(state, 15 * MINUTE, ACCOUNT_LIMIT);
    expect(state).toEqual({ failures: 1, windowStart: 15 * MINUTE, blockedUntil: null });
  });
});
