/**
 * Failed authentication attempts per client address, in fixed one-minute windows (issue 13, finding 9): a
 * missing, unknown or revoked credential answers 401 before any per-token budget applies, so without this
 * tokens could be guessed at full speed. Per process; memory bounded by MAX_ADDRESSES per window.
 */
export class FailedAttempts {
  private static readonly MAX_ADDRESSES = 100_000;
  private windowStart = 0;
  private counts = new Map<string, number>();

  /** `maxPerMinute` 0 disables the limit. */
  constructor(
    readonly maxPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  private roll(): number {
    const now = this.now();
    if (now - this.windowStart >= 60_000) {
      this.windowStart = now - (now % 60_000);
      this.counts.clear();
    }
    return now;
  }

  /** Seconds until `address` may try again, or 0 when it is under the limit. */
  retryAfterSeconds(address: string): number {
    if (this.maxPerMinute <= 0) return 0;
    const now = this.roll();
    if ((this.counts.get(address) ?? 0) < this.maxPerMinute) return 0;
    return Math.max(1, Math.ceil((this.windowStart + 60_000 - now) / 1000));
  }

  record(address: string): void {
    if (this.maxPerMinute <= 0) return;
    this.roll();
    const count = this.counts.get(address);
    if (count === undefined && this.counts.size >= FailedAttempts.MAX_ADDRESSES) return;
    this.counts.set(address, (count ?? 0) + 1);
  }
}
