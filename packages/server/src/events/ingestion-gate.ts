/**
 * Bounds the events accepted but not yet committed. Past the bound, ingestion answers 503 with Retry-After
 * instead of queueing without limit or dropping silently.
 */
export class IngestionGate {
  private pending = 0;

  constructor(private readonly maxPendingEvents: number) {}

  /** Reserves room for `count` events; false when the store is already that far behind. */
  tryAdmit(count: number): boolean {
    if (this.pending > 0 && this.pending + count > this.maxPendingEvents) return false;
    this.pending += count;
    return true;
  }

  /** Returns the room once the events are committed (or failed). */
  release(count: number): void {
    this.pending -= count;
  }

  get pendingEvents(): number {
    return this.pending;
  }
}
