import jsonPatch, { type Operation } from "fast-json-patch";
import { Type } from "typebox";
import { ApiError } from "./api-error.js";

export type JsonPatch = Operation[];

/** An RFC 6902 JSON Patch document, as LaunchDarkly's PATCH endpoints take it. */
export const JsonPatchBody = Type.Array(
  Type.Object(
    {
      op: Type.Union(["add", "remove", "replace", "move", "copy", "test"].map((op) => Type.Literal(op))),
      path: Type.String(),
      value: Type.Optional(Type.Unknown()),
      from: Type.Optional(Type.String()),
    },
    { additionalProperties: false },
  ),
  { minItems: 1, maxItems: 500 },
);

/**
 * Applies a JSON Patch to a copy of `document`; 400 for a path outside `allowedPrefixes` or a failed
 * operation, so a bad patch changes nothing.
 */
export function applyJsonPatch<T extends object>(
  document: T,
  patch: JsonPatch,
  allowedPrefixes: string[],
): T {
  for (const operation of patch) {
    const paths = [operation.path, ...("from" in operation ? [operation.from] : [])];
    for (const path of paths) {
      if (!allowedPrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) {
        throw new ApiError(
          400,
          `Patch path '${path}' cannot be changed (allowed: ${allowedPrefixes.join(", ")})`,
        );
      }
    }
  }
  try {
    return jsonPatch.applyPatch(structuredClone(document), patch, true, false).newDocument;
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ApiError(400, `Invalid JSON Patch: ${message}`);
  }
}
