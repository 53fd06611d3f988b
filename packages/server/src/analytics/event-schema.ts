/**
 * The event wire format of POST /events/v1/bulk, once: TypeBox schemas from which the route's OpenAPI
 * document, the compiled ingestion check (events/event-validation.ts) and the stored event types
 * (analytics-store.ts) all derive. The SDK writes these shapes (packages/sdk/src/events.ts); a server test
 * checks what it writes against these schemas.
 */
import { type Static, type TSchema, Type } from "typebox";

/** Longest string an event field or attribute may hold. */
export const MAX_EVENT_STRING = 256;
/** Most custom attributes per event. */
export const MAX_CUSTOM_ATTRIBUTES = 50;
/** Most events per request. */
export const MAX_EVENTS_PER_REQUEST = 10_000;

const ShortString = Type.String({ maxLength: MAX_EVENT_STRING });
const Key = Type.String({ minLength: 1, maxLength: MAX_EVENT_STRING });
const SafeInteger = Type.Integer({ minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER });
const EpochMs = Type.Number({ description: "epoch milliseconds; within the last year, at most a day ahead" });

/** Visitor attributes as the SDK reports them; custom values are compared and grouped as text. */
export const VisitorAttributesSchema = Type.Object(
  {
    browser: Type.Optional(ShortString),
    deviceType: Type.Optional(ShortString),
    os: Type.Optional(ShortString),
    country: Type.Optional(ShortString),
    newVisitor: Type.Optional(Type.Boolean()),
    custom: Type.Optional(
      Type.Record(Type.String(), Type.Union([ShortString, Type.Number(), Type.Boolean()]), {
        maxProperties: MAX_CUSTOM_ATTRIBUTES,
      }),
    ),
  },
  { additionalProperties: false, description: "other attributes go under custom" },
);

/** An experiment allocated the visitor a variation. */
export const ExposureWireSchema = Type.Object({
  kind: Type.Literal("exposure"),
  visitorCode: Key,
  visitId: Key,
  featureKey: Key,
  flagId: Type.Optional(SafeInteger),
  ruleId: Type.Optional(SafeInteger),
  experimentId: Type.Optional(Type.Union([SafeInteger, Type.Null()])),
  variationKey: Key,
  time: EpochMs,
  attributes: Type.Optional(VisitorAttributesSchema),
});

/** The visitor reached a goal. */
export const ConversionWireSchema = Type.Object({
  kind: Type.Literal("conversion"),
  visitorCode: Key,
  visitId: Key,
  goal: Type.Union([Type.Number(), Key], { description: "goal id or key" }),
  value: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: "1 when absent" })),
  time: EpochMs,
  attributes: Type.Optional(VisitorAttributesSchema),
});

/** A bulk request's body: an array of events (format 1). */
export const EventsArraySchema = Type.Array(Type.Union([ExposureWireSchema, ConversionWireSchema]), {
  maxItems: MAX_EVENTS_PER_REQUEST,
});

// Format 2 (docs/sdk-protocol.md): the same events as columns. What events share (the experiment an exposure
// is to, the visitor attributes, the visit ids' prefix, the epoch) is sent once per batch, not per event.
const Rows = <T extends TSchema>(item: T) => Type.Array(item, { maxItems: MAX_EVENTS_PER_REQUEST });
const Index = Type.Integer({ minimum: 0, maximum: MAX_EVENTS_PER_REQUEST });
const VisitNumber = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const AttributesIndex = Type.Integer({
  minimum: -1,
  maximum: MAX_EVENTS_PER_REQUEST,
  description: "index in the batch's attributes, -1 for none",
});
const TimeOffset = Type.Number({ description: "ms after the batch's time (may be negative)" });

/** What every exposure to one feature x rule x variation carries. */
export const ExposureHeadSchema = Type.Object(
  {
    featureKey: Key,
    flagId: Type.Optional(SafeInteger),
    ruleId: Type.Optional(SafeInteger),
    experimentId: Type.Optional(Type.Union([SafeInteger, Type.Null()])),
    variationKey: Key,
  },
  { additionalProperties: false },
);

/** Format 2 of a bulk body: row i of every column of `exposures` (or `conversions`) is one event. */
export const CompactBatchSchema = Type.Object(
  {
    format: Type.Literal(2),
    visitIdPrefix: Type.String({
      minLength: 1,
      maxLength: MAX_EVENT_STRING - 16,
      description: "a visit id is this prefix followed by the row's visit number in base 36",
    }),
    time: Type.Number({ description: "epoch ms that rows' times are offsets from" }),
    attributes: Type.Array(VisitorAttributesSchema, { maxItems: MAX_EVENTS_PER_REQUEST }),
    exposures: Type.Optional(
      Type.Object(
        {
          heads: Type.Array(ExposureHeadSchema, { maxItems: MAX_EVENTS_PER_REQUEST }),
          head: Rows(Index),
          visit: Rows(VisitNumber),
          visitor: Rows(Key),
          time: Rows(TimeOffset),
          attributes: Rows(AttributesIndex),
        },
        { additionalProperties: false },
      ),
    ),
    conversions: Type.Optional(
      Type.Object(
        {
          visit: Rows(VisitNumber),
          visitor: Rows(Key),
          goal: Rows(Type.Union([Type.Number(), Key], { description: "goal id or key" })),
          value: Rows(Type.Union([Type.Number(), Type.Null()], { description: "null: 1" })),
          time: Rows(TimeOffset),
          attributes: Rows(AttributesIndex),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** A bulk request's body: format 1 (an array of events) or format 2 (columns). */
export const EventsBodySchema = Type.Union([EventsArraySchema, CompactBatchSchema]);

export type VisitorAttributes = Static<typeof VisitorAttributesSchema>;
export type ExposureWire = Static<typeof ExposureWireSchema>;
export type ConversionWire = Static<typeof ConversionWireSchema>;
export type WireEvent = ExposureWire | ConversionWire;
export type ExposureHead = Static<typeof ExposureHeadSchema>;
export type CompactBatch = Static<typeof CompactBatchSchema>;

/** Where an event was sent from: the SDK key's environment. */
interface Scoped {
  projectKey: string;
  environmentKey: string;
}

/** A stored exposure: the wire exposure in its environment, rule and flag ids defaulted to 0. */
export type ExposureEvent = Scoped &
  Omit<ExposureWire, "flagId" | "ruleId" | "experimentId" | "attributes"> & {
    flagId: number;
    ruleId: number;
    experimentId: number | null;
    attributes: VisitorAttributes;
  };

/** A stored conversion: the wire conversion in its environment, its goal resolved to the goal id. */
export type ConversionEvent = Scoped &
  Omit<ConversionWire, "goal" | "value"> & {
    goalId: number;
    /** Revenue or numeric value; 1 when the goal is not numeric. */
    value: number;
  };

export type AnalyticsEvent = ExposureEvent | ConversionEvent;
