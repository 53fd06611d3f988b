// Events of POST /events/v1/bulk (docs/sdk-protocol.md). The shapes below are format 1 (one object per event);
// the SDK sends format 2: columns, with what events share (the experiment an exposure is to, attribute sets,
// the visit ids' prefix) written once per batch. A queued event keeps only its own parts (a head shared by
// every exposure to one feature x rule x variation, a visit number, the visitor's code, the time, its
// attributes' JSON text), so recording one allocates one small object and one short string.

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

// The server's limits (longer strings or more entries make it refuse the event).
const MAX_STRING = 256;
const MAX_CUSTOM = 50;

// `"key":` of custom attribute keys, built once per key (bounded: keys are few in practice).
const customKeyText = new Map<string, string>();
const MAX_CACHED_KEYS = 1000;
function customKey(key: string): string {
  let text = customKeyText.get(key);
  if (text === undefined) {
    text = `${JSON.stringify(key)}:`;
    if (customKeyText.size < MAX_CACHED_KEYS) customKeyText.set(key, text);
  }
  return text;
}

/**
 * The JSON text of the EventAttributes for these visitor attributes, or "" when nothing is kept: the built-in
 * ones when they have the right type, and the other string/number/boolean attributes as `custom` (`url`,
 * objects, arrays, dates, strings over 256 characters and entries past the 50th are left out: the server
 * would refuse the event). Written as text directly, with no object between, in one pass over the
 * attributes (on the exposure hot path); equal attributes give equal texts (batches send each text once).
 */
export function attributesJson(attributes: Record<string, unknown> | undefined | null): string {
  if (attributes === undefined || attributes === null || typeof attributes !== "object") return "";
  let members = "";
  let custom = "";
  let customCount = 0;
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    switch (key) {
      case "browser":
      case "deviceType":
      case "os":
      case "country":
        if (typeof value === "string" && value.length <= MAX_STRING)
          members += `${members === "" ? "" : ","}"${key}":${JSON.stringify(value)}`;
        continue;
      case "newVisitor":
        if (typeof value === "boolean")
          members += `${members === "" ? "" : ","}"newVisitor":${value ? "true" : "false"}`;
        continue;
      // High-cardinality and possibly personal (query strings): never copied into events; "__proto__",
      // which servers parsing JSON safely refuse (the whole batch would be rejected).
      case "url":
      case "__proto__":
        continue;
    }
    if (customCount === MAX_CUSTOM || key.length > MAX_STRING) continue;
    let json: string;
    if (typeof value === "string") {
      if (value.length > MAX_STRING) continue;
      json = JSON.stringify(value);
    } else if (typeof value === "number") {
      if (!Number.isFinite(value)) continue;
      json = `${value}`;
    } else if (typeof value === "boolean") json = value ? "true" : "false";
    else continue;
    custom += (customCount === 0 ? "" : ",") + customKey(key) + json;
    customCount++;
  }
  // Members are joined as they come (no leading comma to slice off: a slice would copy the text).
  if (custom !== "") members += `${members === "" ? "" : ","}"custom":{${custom}}`;
  return members === "" ? "" : `{${members}}`;
}

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
