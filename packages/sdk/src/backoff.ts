// Exponential backoff with full jitter (a uniform draw in [0, min(max, base * 2^attempt))): retries of
// many clients spread out instead of arriving in waves after a server restart.

/** Backoff bounds in milliseconds. */
export interface BackoffOptions {
  /** Upper bound of the first delay. */
  baseMs: number;
  /** Cap of every delay. */
  maxMs: number;
}

/** Delay before retry number `attempt` (0 for the first retry): uniform in [0, min(maxMs, baseMs * 2^attempt)). */
export function fullJitterDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(Math.max(attempt, 0), 52));
  return Math.floor(random() * ceiling);
}

/** Counts consecutive failures and answers the next delay; `reset()` after a success. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next retry; each call counts one more failure. */
  next(): number {
    return fullJitterDelay(this.attempt++, this.options, this.random);
  }

  /** Consecutive failures so far. */
  get failures(): number {
    return this.attempt;
  }

  /** Forgets past failures. */
  reset(): void {
    this.attempt = 0;
  }
}

/** Largest honoured Retry-After (a misconfigured server must not park a client for days). */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * Parses a Retry-After header (delta seconds or an HTTP date) into milliseconds from `now`; undefined
 * when absent or unreadable. Capped at MAX_RETRY_AFTER_MS.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) ms = Number(text) * 1000;
  else {
    const date = Date.parse(text);
    if (Number.isNaN(date)) return undefined;
    ms = date - now;
  }
  return Math.min(Math.max(0, Math.round(ms)), MAX_RETRY_AFTER_MS);
}
