import { type Static, type TSchema, Type } from "typebox";
import type { ErrorDialect } from "./error-bodies.js";

// Response schemas shared by every capability: the dialects' error bodies and small building blocks.
// Fastify serialises each response with its schema (fast-json-stringify): a property the schema does not
// declare is dropped, so a view's schema declares every field the view emits.

/** A schema that also accepts null, as a JSON-Schema type list where it can (cheap to serialise). */
export function Nullable<T extends TSchema>(schema: T) {
  const json = schema as unknown as Record<string, unknown>;
  if (typeof json.type === "string" && json.type !== "null")
    return Type.Unsafe<Static<T> | null>({ ...json, type: [json.type, "null"] });
  return Type.Unsafe<Static<T> | null>({ anyOf: [json, { type: "null" }] });
}

/** An ISO 8601 date-time string. */
export const DateTimeString = Type.String({ format: "date-time" });

/** Kameleoon's documented error body: `code` a string, `time` int64 epoch ms, `timestamp` a date-time. */
export const KameleoonErrorSchema = Type.Object(
  {
    code: Type.String({ description: "the HTTP status, as a string" }),
    message: Type.String(),
    name: Type.String({ description: "the HTTP status name, e.g. BAD_REQUEST" }),
    status: Type.String({ description: "always ERROR" }),
    time: Type.Integer({ description: "epoch milliseconds" }),
    timestamp: DateTimeString,
  },
  { title: "KameleoonError" },
);

export type KameleoonError = Static<typeof KameleoonErrorSchema>;

/** LaunchDarkly's error body. */
export const LaunchDarklyErrorSchema = Type.Object(
  { code: Type.String({ description: "e.g. invalid_request, not_found" }), message: Type.String() },
  { title: "LaunchDarklyError" },
);

/** OFREP's error body (the flag key when one was asked). */
export const OfrepErrorSchema = Type.Object(
  { key: Type.Optional(Type.String()), errorCode: Type.String(), errorDetails: Type.String() },
  { title: "OfrepError" },
);

/** OAuth's error body (RFC 6749 section 5.2), on POST /oauth/token. */
export const OAuthErrorSchema = Type.Object(
  { error: Type.String(), error_description: Type.String() },
  { title: "OAuthError" },
);

const errorSchemas: Record<ErrorDialect, TSchema> = {
  kameleoon: KameleoonErrorSchema,
  launchdarkly: LaunchDarklyErrorSchema,
  ofrep: OfrepErrorSchema,
  oauth: OAuthErrorSchema,
};

/** The schema of an empty answer (204, 202 without a body, 304); OpenAPI shows its description, "no body". */
export const NO_BODY = "no body";
export const NoContent = Type.Unsafe<void>({ type: "null", description: NO_BODY });

/** A Server-Sent Events answer (the connection is hijacked; documented, never serialised). */
export const EventStream = Type.Unsafe<string>({
  description: "Server-Sent Events",
  content: { "text/event-stream": { schema: { type: "string" } } },
});

/**
 * A route's `response` map: its success answers plus every 4xx and 5xx in the dialect's error body.
 * Explicit error entries (e.g. a 400 with more fields) take precedence over the generic ones.
 */
export function responses<T extends Record<number | string, TSchema>>(dialect: ErrorDialect, answers: T) {
  const error = errorSchemas[dialect];
  return { ...answers, "4xx": error, "5xx": error } as T & { "4xx": TSchema; "5xx": TSchema };
}

/** LaunchDarkly's link object. */
export const LinkSchema = Type.Object({ href: Type.String(), type: Type.String() });
/** LaunchDarkly's `_links`: a map of named links. */
export const LinksSchema = Type.Record(Type.String(), LinkSchema);

/** A LaunchDarkly collection (launchDarklyCollection): items, totalCount and page `_links`. */
export function CollectionOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), totalCount: Type.Integer(), _links: LinksSchema });
}
