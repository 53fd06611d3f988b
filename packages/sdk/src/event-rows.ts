// Events waiting to be sent, held as columns: recording one writes a head reference, two numbers and two
// string references into preallocated arrays and allocates nothing, so a backlog of tens of thousands of
// events is a few arrays, not tens of thousands of objects for the garbage collector to trace and promote
// (with tracking on at server rates, garbage collection was a third of the SDK's CPU). The queue is a ring
// (dropping the oldest is O(1)); a batch is a compact copy in wire order, and its body (format 2,
// docs/sdk-protocol.md) is written column by column.

import type { ExposureHead } from "./events.js";

/** Events as columns, oldest first; a ring that grows as needed. */
export class EventRows {
  /** The exposure's head; null for a conversion. */
  private heads: (ExposureHead | null)[];
  /** Number of the visit: its id is the client's visit id prefix + this number in base 36. */
  private visits: Float64Array;
  private visitors: string[];
  /** Epoch milliseconds. */
  private times: Float64Array;
  /** attributesJson() of the visitor's attributes ("" for none). */
  private attributes: string[];
  /** Conversions: the goal id or key, and the value (null: none). */
  private goals: (string | number)[];
  private values: (number | null)[];
  private start = 0;
  /** Events held. */
  length = 0;

  constructor(private capacity = 256) {
    this.heads = new Array<ExposureHead | null>(capacity).fill(null);
    this.visits = new Float64Array(capacity);
    this.visitors = new Array<string>(capacity).fill("");
    this.times = new Float64Array(capacity);
    this.attributes = new Array<string>(capacity).fill("");
    this.goals = new Array<string | number>(capacity).fill("");
    this.values = new Array<number | null>(capacity).fill(null);
  }

  /** Appends an event: an exposure (with its head) or a conversion (head null, with its goal and value). */
  push(
    head: ExposureHead | null,
    visit: number,
    visitorCode: string,
    time: number,
    attributes: string,
    goal: string | number = "",
    value: number | null = null,
  ): void {
    if (this.length === this.capacity) this.grow();
    let i = this.start + this.length;
    if (i >= this.capacity) i -= this.capacity;
    this.heads[i] = head;
    this.visits[i] = visit;
    this.visitors[i] = visitorCode;
    this.times[i] = time;
    this.attributes[i] = attributes;
    this.goals[i] = goal;
    this.values[i] = value;
    this.length++;
  }

  /** Forgets the `n` oldest events. */
  dropOldest(n: number): void {
    const count = Math.min(n, this.length);
    for (let k = 0; k < count; k++) this.clear(this.at(k));
    this.start = (this.start + count) % this.capacity;
    this.length -= count;
  }

  /** How many of the oldest events (at least 1, at most `most`) a body of at most `maxChars` characters holds. */
  fit(most: number, maxChars: number): number {
    let n = 0;
    let chars = 0;
    while (n < most) {
      const i = this.at(n);
      // Characters an event adds to a body at most (its attributes counted as if not shared).
      const weight =
        48 + this.visitors[i]!.length + this.attributes[i]!.length + (this.heads[i] === null ? 24 : 0);
      if (chars + weight > maxChars) break;
      chars += weight;
      n++;
    }
    return Math.max(n, 1);
  }

  /**
   * Removes the `n` oldest events and answers them as compact rows in wire order (exposures first, then
   * conversions, each in queue order): the index of an event there is the index the server names in a 400.
   */
  take(n: number): EventRows {
    const count = Math.min(n, this.length);
    let exposures = 0;
    for (let k = 0; k < count; k++) if (this.heads[this.at(k)] !== null) exposures++;
    const out = new EventRows(Math.max(count, 1));
    let e = 0;
    let c = exposures;
    for (let k = 0; k < count; k++) {
      const i = this.at(k);
      out.copy(this.heads[i] !== null ? e++ : c++, this, i);
    }
    out.length = count;
    this.dropOldest(count);
    return out;
  }

  /** These rows (compact, from take()) without the events at `indexes`. */
  without(indexes: ReadonlySet<number>): EventRows {
    const out = new EventRows(Math.max(this.length, 1));
    for (let i = 0; i < this.length; i++) if (!indexes.has(i)) out.copy(out.length++, this, i);
    return out;
  }

  /**
   * The JSON body (format 2) of these rows (compact, from take()), sent by a client whose visit ids start
   * with `visitIdPrefix`, as parts to send one after the other.
   */
  body(visitIdPrefix: string): string[] {
    const n = this.length;
    const time = n > 0 ? this.times[0]! : 0;
    const headIndex = new Map<ExposureHead, number>();
    const setIndex = new Map<string, number>();
    const heads: ExposureHead[] = [];
    const head = new Int32Array(n);
    const set = new Int32Array(n);
    const offsets = new Float64Array(n);
    let exposures = 0;
    for (let i = 0; i < n; i++) {
      const h = this.heads[i] as ExposureHead | null;
      if (h !== null) {
        let index = headIndex.get(h);
        if (index === undefined) {
          index = heads.length;
          headIndex.set(h, index);
          heads.push(h);
        }
        head[i] = index;
        exposures++;
      }
      const text = this.attributes[i]!;
      let s = -1;
      if (text !== "") {
        s = setIndex.get(text) ?? -1;
        if (s === -1) {
          s = setIndex.size;
          setIndex.set(text, s);
        }
      }
      set[i] = s;
      offsets[i] = this.times[i]! - time;
    }
    // Typed arrays' join writes integers as JSON numbers; strings go through JSON.stringify. The body stays
    // in parts, each a flat string: concatenated, it would be a rope of ~40 bytes per event that encoding
    // must flatten first, which cost ~1 ms per 5,000 events, several times building the parts.
    const parts = [
      `{"format":2,"visitIdPrefix":${JSON.stringify(visitIdPrefix)},"time":${time},"attributes":[`,
      [...setIndex.keys()].join(","),
      "]",
    ];
    const columns = (from: number, to: number): void => {
      parts.push(',"visit":[', this.visits.subarray(from, to).join(","), '],"visitor":');
      parts.push(
        JSON.stringify(this.visitors.slice(from, to)),
        ',"time":[',
        offsets.subarray(from, to).join(","),
      );
      parts.push('],"attributes":[', set.subarray(from, to).join(","), "]}");
    };
    if (exposures > 0) {
      parts.push(
        `,"exposures":{"heads":${JSON.stringify(heads)},"head":[`,
        head.subarray(0, exposures).join(","),
        "]",
      );
      columns(0, exposures);
    }
    if (exposures < n) {
      parts.push(`,"conversions":{"goal":${JSON.stringify(this.goals.slice(exposures, n))}`);
      parts.push(`,"value":${JSON.stringify(this.values.slice(exposures, n))}`);
      columns(exposures, n);
    }
    parts.push("}");
    return parts;
  }

  // Position of the k-th oldest event in the ring.
  private at(k: number): number {
    const i = this.start + k;
    return i >= this.capacity ? i - this.capacity : i;
  }

  // Lets the strings and heads of a forgotten event be collected.
  private clear(i: number): void {
    this.heads[i] = null;
    this.visitors[i] = "";
    this.attributes[i] = "";
    this.goals[i] = "";
    this.values[i] = null;
  }

  private copy(to: number, from: EventRows, i: number): void {
    this.heads[to] = from.heads[i]!;
    this.visits[to] = from.visits[i]!;
    this.visitors[to] = from.visitors[i]!;
    this.times[to] = from.times[i]!;
    this.attributes[to] = from.attributes[i]!;
    this.goals[to] = from.goals[i]!;
    this.values[to] = from.values[i]!;
  }

  // Doubles the capacity, unwrapping the ring.
  private grow(): void {
    const bigger = new EventRows(this.capacity * 2);
    for (let k = 0; k < this.length; k++) bigger.copy(k, this, this.at(k));
    bigger.length = this.length;
    Object.assign(this, bigger);
  }
}
