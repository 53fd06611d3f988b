// A LaunchDarkly evaluation context (what a client-side SDK identifies) as Vexil's visitor. Pure. The visitor
// is the context of kind "user", as in the server-side model (launchdarkly-model): its key is the visitor
// code, its other attributes the visitor's attributes. Old SDKs send a user object without `kind`, with
// optional built-in attributes and the others under `custom`.

import type { Visitor } from "@vexil/engine";
import { ApiError } from "../http/api-error.js";

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Attributes of a context that are not the visitor's: its kind, key and metadata (private attributes). */
const RESERVED = new Set(["kind", "key", "_meta"]);

/** The visitor of a context of kind "user"; its attributes are everything but kind, key and _meta. */
function visitorOfUser(user: Json): Visitor {
  if (typeof user.key !== "string" || user.key === "") {
    throw new ApiError(400, "The context of kind 'user' needs a non-empty string key (the visitor code)");
  }
  const attributes: Json = {};
  for (const [name, value] of Object.entries(user)) {
    if (!RESERVED.has(name)) attributes[name] = value;
  }
  return { code: user.key, attributes };
}

/** The visitor of a legacy user object (no `kind`): built-in attributes, plus `custom` ones at top level. */
function visitorOfLegacyUser(user: Json): Visitor {
  const { custom, privateAttributeNames: _private, ...rest } = user;
  if (custom !== undefined && !isRecord(custom))
    throw new ApiError(400, "The user's custom must be an object");
  // Built-in attributes (and the key) win over custom ones of the same name, as LaunchDarkly converts them.
  return visitorOfUser({ ...(custom ?? {}), ...rest });
}

/**
 * The visitor of a parsed context: a single context of kind "user", a multi-context's "user" part, or a
 * legacy user. A context without a user part is refused (400): every Vexil rule targets the visitor.
 */
export function visitorOfContext(context: unknown): Visitor {
  if (!isRecord(context)) throw new ApiError(400, "The context must be a JSON object");
  if (context.kind === undefined) return visitorOfLegacyUser(context);
  if (context.kind === "user") return visitorOfUser(context);
  if (context.kind === "multi" && isRecord(context.user)) return visitorOfUser(context.user);
  throw new ApiError(
    400,
    "The context has no part of kind 'user': Vexil evaluates flags for the 'user' context (the visitor)",
  );
}

/** The context JSON of a URL path segment: base64url (padding optional), as LaunchDarkly's SDKs encode it. */
export function contextOfPath(encoded: string): unknown {
  if (!/^[A-Za-z0-9_\-+/]+=*$/.test(encoded)) {
    throw new ApiError(400, "The context in the path must be base64url-encoded JSON");
  }
  const text = Buffer.from(encoded.replaceAll("+", "-").replaceAll("/", "_"), "base64url").toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, "The context in the path is not base64url-encoded JSON");
  }
}
