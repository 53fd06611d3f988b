// Events of POST /events/v1/bulk (docs/sdk-protocol.md). The shapes below are format 1 (one object per event);
// the SDK sends format 2: columns, with what events share (the experiment an exposure is to, attribute sets,
// the visit ids' prefix) written once per batch. A queued event keeps only its own parts (a head shared by
// every exposure to one feature x rule x variation, a visit number, the visitor's code, the time, its
// attributes' JSON text, shared by equal attributes), so recording one allocates one small object.

// Written by attribute-texts.ts beside its cache; still importable from here with the other event parts.
export { attributesJson } from "./attribute-texts.js";

/** Visitor attributes attached to events (the built-in ones the results breakdowns use, plus custom ones). */
export interface EventAttributes {
  browser?: string;
  deviceType?: string;
  os?: string;
  country?: string;
  newVisitor?: boolean;
  custom?: Record<string, string | number | boolean>;
}

/** The visitor was allocated a variation by an experimentation rule. */
export interface ExposureEvent {
  kind: "exposure";
  visitorCode: string;
  visitId: string;
  featureKey: string;
  ruleId: number;
  experimentId: number;
  variationKey: string;
  /** Epoch milliseconds. */
  time: number;
  attributes?: EventAttributes;
}

/** The visitor reached a goal. */
export interface ConversionEvent {
  kind: "conversion";
  visitorCode: string;
  visitId: string;
  /** Goal id or key. */
  goal: string | number;
  value?: number;
  /** Epoch milliseconds. */
  time: number;
  attributes?: EventAttributes;
}

/** Anything sent to /events/v1/bulk. */
export type VexilEvent = ExposureEvent | ConversionEvent;

/** What every exposure to one feature x rule x variation carries (built once, shared by its events). */
export interface ExposureHead {
  readonly featureKey: string;
  readonly ruleId: number;
  readonly experimentId: number;
  readonly variationKey: string;
}

/** An event waiting to be sent: an exposure (with its head) or a conversion (with its goal). */
export class QueuedEvent {
  constructor(
    /** The exposure's head; null for a conversion. */
    readonly head: ExposureHead | null,
    /** Number of the visit: its id is the client's visit id prefix + this number in base 36. */
    readonly visit: number,
    readonly visitorCode: string,
    /** Epoch milliseconds. */
    readonly time: number,
    /** attributesJson() of the visitor's attributes ("" for none). */
    readonly attributes: string,
    /** Conversions: the goal id or key, and the value (null: none). */
    readonly goal: string | number = "",
    readonly value: number | null = null,
  ) {}
}

/** Characters a queued event adds to a batch's body at most (its attributes counted as if not shared). */
export function eventWeight(event: QueuedEvent): number {
  return 48 + event.visitorCode.length + event.attributes.length + (event.head === null ? 24 : 0);
}

/**
 * The events in the order a batch sends them (exposures first, then conversions, each in queue order): the
 * index of an event in the returned array is the index the server names in a 400.
 */
export function wireOrder(events: QueuedEvent[]): QueuedEvent[] {
  const exposures = events.filter((e) => e.head !== null);
  return exposures.length === 0 || exposures.length === events.length
    ? events
    : exposures.concat(events.filter((e) => e.head === null));
}

/** The JSON body (format 2) of a batch of events in wire order, sent by a client whose visit ids start with `visitIdPrefix`. */
export function batchBody(events: readonly QueuedEvent[], visitIdPrefix: string): string {
  const time = events.length > 0 ? events[0]!.time : 0;
  const heads = new Map<ExposureHead, number>();
  const sets = new Map<string, number>();
  const exposures = {
    heads: [] as ExposureHead[],
    head: [] as number[],
    visit: [] as number[],
    visitor: [] as string[],
    time: [] as number[],
    attributes: [] as number[],
  };
  const conversions = {
    visit: [] as number[],
    visitor: [] as string[],
    goal: [] as (string | number)[],
    value: [] as (number | null)[],
    time: [] as number[],
    attributes: [] as number[],
  };
  for (const event of events) {
    let set = -1;
    if (event.attributes !== "") {
      set = sets.get(event.attributes) ?? -1;
      if (set === -1) {
        set = sets.size;
        sets.set(event.attributes, set);
      }
    }
    const columns = event.head === null ? conversions : exposures;
    if (event.head !== null) {
      let head = heads.get(event.head);
      if (head === undefined) {
        head = exposures.heads.length;
        heads.set(event.head, head);
        exposures.heads.push(event.head);
      }
      exposures.head.push(head);
    } else {
      conversions.goal.push(event.goal);
      conversions.value.push(event.value);
    }
    columns.visit.push(event.visit);
    columns.visitor.push(event.visitorCode);
    columns.time.push(event.time - time);
    columns.attributes.push(set);
  }
  let body = `{"format":2,"visitIdPrefix":${JSON.stringify(visitIdPrefix)},"time":${time},"attributes":[${[...sets.keys()].join(",")}]`;
  if (exposures.visitor.length > 0) body += `,"exposures":${JSON.stringify(exposures)}`;
  if (conversions.visitor.length > 0) body += `,"conversions":${JSON.stringify(conversions)}`;
  return `${body}}`;
}
