// Visits (sessions): a visitor's visit id stays while events keep coming and renews after 30 minutes
// without any (DESIGN section 2). Only queued events extend a visit, not evaluations: "without events".
// A visit also remembers the exposures already queued in it (small integer ids), so deduplication and visits
// share one bounded structure keyed by visitor.
//
// Servers see mostly new visitors, so the structure allocates nothing per visitor: visits live in a ring of
// slots (parallel typed arrays) and an index from visitor code to slot (code-index.ts: cheaper than a Map
// when every exposure inserts a code and evicts another). A visit id is the client's random
// prefix and a sequence number (ids.ts): the slot holds the number, and the id's text is written only where
// an event needs it. A new visit, or an event extending
// one, takes the slot after the newest; the slot it overwrites is the least recently active visitor's, who
// is forgotten. A repeated exposure costs one hash of the code and one lookup, and allocates nothing.

import { CodeIndex, codeHash } from "./code-index.js";
import { visitIdPrefix } from "./ids.js";

/** Inactivity after which a visitor's next event opens a new visit. */
export const VISIT_TIMEOUT_MS = 30 * 60_000;

const NONE = -1;

/** Tracks the current visit of each visitor; holds the `capacity` most recently active ones. */
export class VisitTracker {
  private readonly codes: (string | undefined)[];
  private readonly slotOf: CodeIndex;
  private held = 0;
  /** Sequence number of the slot's visit (its id is `idPrefix` + the number in base 36). */
  private readonly visitNumbers: Float64Array;
  private nextVisitNumber = 0;
  private readonly lastEventAt: Float64Array;
  /** The first exposure id queued in the slot's visit (most visits have one), NONE if none. */
  private readonly firstExposure: Int32Array;
  /** Further exposure ids of the slot's visit, when it has more than one. */
  private readonly moreExposures: (number[] | undefined)[];
  private next = 0;

  constructor(
    readonly capacity = 10_000,
    private readonly timeoutMs = VISIT_TIMEOUT_MS,
    /** What every visit id of this tracker starts with; ids.ts draws a random one. */
    readonly idPrefix: string = visitIdPrefix(),
  ) {
    if (!(capacity >= 1) || !Number.isInteger(capacity))
      throw new RangeError("visit capacity must be an integer >= 1");
    this.codes = new Array<string | undefined>(capacity).fill(undefined);
    this.slotOf = new CodeIndex(this.codes, capacity);
    this.visitNumbers = new Float64Array(capacity);
    this.lastEventAt = new Float64Array(capacity);
    this.firstExposure = new Int32Array(capacity).fill(NONE);
    this.moreExposures = new Array<number[] | undefined>(capacity).fill(undefined);
  }

  /** The id of the visit `visitorCode` is in at `now`, or undefined when none is active; records nothing. */
  current(visitorCode: string, now: number): string | undefined {
    const slot = this.slotOf.find(visitorCode, codeHash(visitorCode));
    return slot !== NONE && this.isActive(slot, now) ? this.idOf(slot) : undefined;
  }

  /** The visit id for an event of `visitorCode` at `now`, recording the event (renews after the timeout). */
  touch(visitorCode: string, now: number): string {
    return this.idPrefix + this.touchNumber(visitorCode, now).toString(36);
  }

  /** As touch, but the visit's number (its id is `idPrefix` + the number in base 36). */
  touchNumber(visitorCode: string, now: number): number {
    const hash = codeHash(visitorCode);
    const slot = this.slotOf.find(visitorCode, hash);
    if (slot === NONE || !this.isActive(slot, now))
      return this.visitNumbers[this.open(visitorCode, hash, now, slot)]!;
    return this.visitNumbers[this.extend(visitorCode, hash, slot, now)]!;
  }

  /**
   * Records exposure `exposureId` (>= 0) of `visitorCode` at `now`: the number of the visit to queue it
   * with (its id is `idPrefix` + the number in base 36), or -1 when this visit already has it (then nothing
   * is recorded). Allocates nothing.
   */
  expose(visitorCode: string, exposureId: number, now: number): number {
    const hash = codeHash(visitorCode);
    let slot = this.slotOf.find(visitorCode, hash);
    if (slot === NONE || !this.isActive(slot, now)) {
      slot = this.open(visitorCode, hash, now, slot);
      this.firstExposure[slot] = exposureId;
      return this.visitNumbers[slot]!;
    }
    const first = this.firstExposure[slot]!;
    const more = this.moreExposures[slot];
    if (first === exposureId || more?.includes(exposureId) === true) return -1;
    slot = this.extend(visitorCode, hash, slot, now);
    if (this.firstExposure[slot] === NONE) this.firstExposure[slot] = exposureId;
    else {
      const further = this.moreExposures[slot];
      if (further === undefined) this.moreExposures[slot] = [exposureId];
      else further.push(exposureId);
    }
    return this.visitNumbers[slot]!;
  }

  /** Visitors held. */
  get size(): number {
    return this.held;
  }

  private idOf(slot: number): string {
    return this.idPrefix + this.visitNumbers[slot]!.toString(36);
  }

  private isActive(slot: number, now: number): boolean {
    return now - this.lastEventAt[slot]! < this.timeoutMs;
  }

  // The next slot, whose previous visitor (the least recently active) is forgotten.
  private take(visitorCode: string, hash: number): number {
    const slot = this.next;
    this.next = slot + 1 === this.capacity ? 0 : slot + 1;
    this.vacate(slot);
    this.codes[slot] = visitorCode;
    this.slotOf.add(slot, hash);
    this.held++;
    return slot;
  }

  // `expired`: the slot of the visitor's previous visit if still held, else NONE.
  private open(visitorCode: string, hash: number, now: number, expired: number): number {
    if (expired !== NONE) this.vacate(expired);
    const slot = this.take(visitorCode, hash);
    this.visitNumbers[slot] = this.nextVisitNumber++;
    this.lastEventAt[slot] = now;
    this.firstExposure[slot] = NONE;
    this.moreExposures[slot] = undefined;
    return slot;
  }

  // Moves an active visit to the newest slot (unless it is there already), with the event's time.
  private extend(visitorCode: string, hash: number, from: number, now: number): number {
    let slot = from;
    if (from === this.next) {
      // The visitor's own slot is the next to be overwritten: it becomes the newest where it is.
      this.next = from + 1 === this.capacity ? 0 : from + 1;
    } else if (from !== (this.next === 0 ? this.capacity - 1 : this.next - 1)) {
      slot = this.take(visitorCode, hash);
      this.visitNumbers[slot] = this.visitNumbers[from]!;
      this.lastEventAt[slot] = this.lastEventAt[from]!;
      this.firstExposure[slot] = this.firstExposure[from]!;
      this.moreExposures[slot] = this.moreExposures[from];
      this.vacate(from);
    }
    if (now > this.lastEventAt[slot]!) this.lastEventAt[slot] = now;
    return slot;
  }

  private vacate(slot: number): void {
    if (this.codes[slot] === undefined) return;
    this.slotOf.remove(slot);
    this.held--;
    this.codes[slot] = undefined;
    this.moreExposures[slot] = undefined;
  }
}
