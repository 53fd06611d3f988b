// Visits (sessions): a visitor's visit id stays while events keep coming and renews after 30 minutes
// without any (DESIGN section 2). Only queued events extend a visit, not evaluations: "without events".
// A visit also remembers the exposures already sent in it, so deduplication and visits share one bounded
// LRU keyed by visitor, and the evaluation hot path costs one Map lookup and one Set lookup.

import { randomUuid } from "./ids.js";
import { LruMap } from "./lru.js";

/** Inactivity after which a visitor's next event opens a new visit. */
export const VISIT_TIMEOUT_MS = 30 * 60_000;

/** A visitor's current visit. */
export interface Visit {
  readonly id: string;
  lastEventAt: number;
  /** Exposure keys (feature x rule x variation) already queued in this visit. */
  readonly exposures: Set<string>;
}

/** Tracks the current visit of each visitor (bounded: the least recently active visitors are forgotten). */
export class VisitTracker {
  private readonly visits: LruMap<string, Visit>;

  constructor(
    capacity = 10_000,
    private readonly timeoutMs = VISIT_TIMEOUT_MS,
    private readonly newId: () => string = randomUuid,
  ) {
    this.visits = new LruMap(capacity);
  }

  /** The visit `visitorCode` is in at `now`, or undefined when none is active; records nothing. */
  current(visitorCode: string, now: number): Visit | undefined {
    const visit = this.visits.peek(visitorCode);
    return visit !== undefined && now - visit.lastEventAt < this.timeoutMs ? visit : undefined;
  }

  /** The visit for an event of `visitorCode` at `now`, recording the event (renews after the timeout). */
  touch(visitorCode: string, now: number): Visit {
    const visit = this.visits.get(visitorCode);
    if (visit !== undefined && now - visit.lastEventAt < this.timeoutMs) {
      if (now > visit.lastEventAt) visit.lastEventAt = now;
      return visit;
    }
    const fresh: Visit = { id: this.newId(), lastEventAt: now, exposures: new Set() };
    this.visits.set(visitorCode, fresh);
    return fresh;
  }

  get size(): number {
    return this.visits.size;
  }
}
