// Event shapes of POST /events/v1/bulk (docs/sdk-protocol.md), and their JSON text: the queue holds each
// event as the JSON it is sent as (one flat string, joined into a batch), built without intermediate objects.

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

// `,"key":` of custom attribute keys, built once per key (bounded: keys are few in practice).
const customKeyText = new Map<string, string>();
const MAX_CACHED_KEYS = 1000;
function customKey(key: string): string {
  let text = customKeyText.get(key);
  if (text === undefined) {
    text = `,${JSON.stringify(key)}:`;
    if (customKeyText.size < MAX_CACHED_KEYS) customKeyText.set(key, text);
  }
  return text;
}

/**
 * The `,"attributes":{…}` member of an event's JSON (EventAttributes) for these visitor attributes, or ""
 * when nothing is kept: the built-in ones when they have the right type, and the other string/number/boolean
 * attributes as `custom` (`url`, objects, arrays, dates, strings over 256 characters and entries past the
 * 50th are left out: the server would refuse the event). Written as text directly, with no object between,
 * in one pass over the attributes (on the exposure hot path).
 */
export function attributesMember(attributes: Record<string, unknown> | undefined | null): string {
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
          members += `,"${key}":${JSON.stringify(value)}`;
        continue;
      case "newVisitor":
        if (typeof value === "boolean") members += value ? ',"newVisitor":true' : ',"newVisitor":false';
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
    customCount++;
    custom += customKey(key) + json;
  }
  if (custom !== "") members += `,"custom":{${custom.slice(1)}}`;
  return members === "" ? "" : `,"attributes":{${members.slice(1)}}`;
}

/**
 * The start of every exposure event to one feature x rule x experiment x variation sent by one client (its
 * visit ids start with `visitIdPrefix`), as JSON text up to the visit number (built once).
 */
export function exposureHead(
  featureKey: string,
  ruleId: number,
  experimentId: number,
  variationKey: string,
  visitIdPrefix: string,
): string {
  return `{"kind":"exposure","featureKey":${JSON.stringify(featureKey)},"ruleId":${ruleId},"experimentId":${experimentId},"variationKey":${JSON.stringify(variationKey)},"visitId":${JSON.stringify(visitIdPrefix).slice(0, -1)}`;
}

/** JSON text of an ExposureEvent, from its parts (`head` from exposureHead, `attributes` from attributesMember). */
export function exposureJson(
  head: string,
  visitNumber: number,
  visitorCode: string,
  time: number,
  attributes: string,
): string {
  return `${head}${visitNumber.toString(36)}","visitorCode":${JSON.stringify(visitorCode)},"time":${time}${attributes}}`;
}

/** JSON text of a ConversionEvent (`attributes` from attributesMember). */
export function conversionJson(
  visitorCode: string,
  visitId: string,
  goal: string | number,
  value: number | undefined,
  time: number,
  attributes: string,
): string {
  const valueMember = value === undefined ? "" : `,"value":${value}`;
  return `{"kind":"conversion","visitorCode":${JSON.stringify(visitorCode)},"visitId":${JSON.stringify(visitId)},"goal":${JSON.stringify(goal)}${valueMember},"time":${time}${attributes}}`;
}
