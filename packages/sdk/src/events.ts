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

const BUILT_IN_STRINGS = ["browser", "deviceType", "os", "country"] as const;
// The server's limits (longer strings or more entries make it refuse the event).
const MAX_STRING = 256;
const MAX_CUSTOM = 50;

// High-cardinality and possibly personal (query strings): never copied into events; the built-ins; and
// "__proto__", which servers parsing JSON safely refuse (the whole batch would be rejected).
function notCustom(key: string): boolean {
  switch (key) {
    case "__proto__":
    case "url":
    case "browser":
    case "deviceType":
    case "os":
    case "country":
    case "newVisitor":
      return true;
    default:
      return key.length > MAX_STRING;
  }
}

/**
 * The `,"attributes":{…}` member of an event's JSON (EventAttributes) for these visitor attributes, or ""
 * when nothing is kept: the built-in ones when they have the right type, and the other string/number/boolean
 * attributes as `custom` (`url`, objects, arrays, dates, strings over 256 characters and entries past the
 * 50th are left out: the server would refuse the event). Written as text directly, with no object between.
 */
export function attributesMember(attributes: Record<string, unknown> | undefined | null): string {
  if (attributes === undefined || attributes === null || typeof attributes !== "object") return "";
  let members = "";
  for (const key of BUILT_IN_STRINGS) {
    const value = attributes[key];
    if (typeof value === "string" && value.length <= MAX_STRING)
      members += `,"${key}":${JSON.stringify(value)}`;
  }
  if (typeof attributes.newVisitor === "boolean") members += `,"newVisitor":${attributes.newVisitor}`;
  let custom = "";
  let customCount = 0;
  for (const key of Object.keys(attributes)) {
    if (customCount === MAX_CUSTOM) break;
    if (notCustom(key)) continue;
    const value = attributes[key];
    let json: string;
    if (typeof value === "string") {
      if (value.length > MAX_STRING) continue;
      json = JSON.stringify(value);
    } else if (typeof value === "number") {
      if (!Number.isFinite(value)) continue;
      json = String(value);
    } else if (typeof value === "boolean") json = value ? "true" : "false";
    else continue;
    customCount++;
    custom += `,${JSON.stringify(key)}:${json}`;
  }
  if (custom !== "") members += `,"custom":{${custom.slice(1)}}`;
  return members === "" ? "" : `,"attributes":{${members.slice(1)}}`;
}

/** The members an exposure to one feature x rule x experiment x variation always has, as JSON (built once). */
export function exposureMembers(
  featureKey: string,
  ruleId: number,
  experimentId: number,
  variationKey: string,
): string {
  return `"featureKey":${JSON.stringify(featureKey)},"ruleId":${ruleId},"experimentId":${experimentId},"variationKey":${JSON.stringify(variationKey)}`;
}

/** JSON text of an ExposureEvent, from its parts (`members` from exposureMembers, `attributes` from attributesMember). */
export function exposureJson(
  visitorCode: string,
  visitId: string,
  members: string,
  time: number,
  attributes: string,
): string {
  return `{"kind":"exposure","visitorCode":${JSON.stringify(visitorCode)},"visitId":${JSON.stringify(visitId)},${members},"time":${time}${attributes}}`;
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
