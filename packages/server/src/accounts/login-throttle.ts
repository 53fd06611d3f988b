/** A failure counter over a window; once over the limit, the key is blocked for a while. */
export interface ThrottleState {
  failures: number;
  windowStart: number;
  blockedUntil: number | null;
}

export interface ThrottleLimit {
  maxFailures: number;
  windowMs: number;
  blockMs: number;
}

const MINUTE = 60_000;
/** Guessing one person's password: 5 wrong tries in 15 minutes block that account's sign-in for 15. */
export const ACCOUNT_LIMIT: ThrottleLimit = { maxFailures: 5, windowMs: 15 * MINUTE, blockMs: 15 * MINUTE };
/** Spraying many accounts from one address: 20 wrong tries in 15 minutes block the address for 15. */
export const ADDRESS_LIMIT: ThrottleLimit = { maxFailures: 20, windowMs: 15 * MINUTE, blockMs: 15 * MINUTE };

/** Milliseconds left before the key may try again (0 = not blocked). */
export function blockedFor(state: ThrottleState | undefined, now: number): number {
  return state?.blockedUntil && state.blockedUntil > now ? state.blockedUntil - now : 0;
}

/** The state after one more failure: a new window when the last one ended, blocked once over the limit. */
export function afterFailure(
  state: ThrottleState | undefined,
  now: number,
  limit: ThrottleLimit,
): ThrottleState {
  const fresh = !state || now - state.windowStart >= limit.windowMs;
  const failures = fresh ? 1 : state.failures + 1;
  const windowStart = fresh ? now : state.windowStart;
  return {
    failures,
    windowStart,
    blockedUntil: failures >= limit.maxFailures ? now + limit.blockMs : null,
  };
}
