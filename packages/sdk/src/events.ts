// Events of POST /events/v1/bulk (docs/sdk-protocol.md). The shapes below are format 1 (one object per event);
// the SDK sends format 2: columns, with what events share (the experiment an exposure is to, attribute sets,
// the visit ids' prefix) written once per batch. A queued event is a row of columns (event-rows.ts) holding
// only its own parts: a head shared by every exposure to one feature x rule x variation, a visit number, the
// visitor's code, the time and its attributes' JSON text, shared by equal attributes.

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
