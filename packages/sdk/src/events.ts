// Event shapes of POST /events/v1/bulk (docs/sdk-protocol.md).

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
// High-cardinality and possibly personal (query strings): never copied into events.
const NOT_COPIED = new Set<string>(["url", ...BUILT_IN_STRINGS, "newVisitor"]);

/**
 * Event attributes from visitor attributes: the built-in ones when they have the right type, and the other
 * string/number/boolean attributes as `custom` (`url`, objects, arrays, dates, strings over 256 characters
 * and entries past the 50th are left out: the server would refuse the event). Undefined when nothing is left.
 */
export function eventAttributes(
  attributes: Record<string, unknown> | undefined | null,
): EventAttributes | undefined {
  if (attributes === undefined || attributes === null || typeof attributes !== "object") return undefined;
  const out: EventAttributes = {};
  let any = false;
  for (const key of BUILT_IN_STRINGS) {
    const value = attributes[key];
    if (typeof value === "string" && value.length <= MAX_STRING) {
      out[key] = value;
      any = true;
    }
  }
  if (typeof attributes.newVisitor === "boolean") {
    out.newVisitor = attributes.newVisitor;
    any = true;
  }
  let custom: Record<string, string | number | boolean> | undefined;
  let customCount = 0;
  for (const key of Object.keys(attributes)) {
    if (NOT_COPIED.has(key) || key.length > MAX_STRING || customCount >= MAX_CUSTOM) continue;
    const value = attributes[key];
    const usable =
      (typeof value === "string" && value.length <= MAX_STRING) ||
      typeof value === "boolean" ||
      (typeof value === "number" && Number.isFinite(value));
    if (usable) {
      customCount++;
      custom ??= {};
      Object.defineProperty(custom, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  if (custom !== undefined) {
    out.custom = custom;
    any = true;
  }
  return any ? out : undefined;
}
