import { type TSchema, type TUnsafe, Type } from "typebox";
import { ApiError } from "./api-error.js";

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * JSON Merge Patch (RFC 7396): objects merge member by member, `null` deletes a member, anything else
 * (arrays included) replaces the target whole. Returns a new value; neither argument is modified.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === "__proto__" || key === "constructor" || key === "prototype") {
      throw new ApiError(400, `body.${key} is not an allowed member name`);
    }
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/** A copy of a JSON value without null object members (a null optional field means "absent"). */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => withoutNulls(v)) as T;
  if (isPlainObject(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (v !== null) result[key] = withoutNulls(v);
    return result as T;
  }
  return value;
}

/**
 * A merge patch whose nulls mean "delete" only where a patch can delete: members of (nested) objects.
 * Inside arrays (values replaced whole) a null member means "absent" and is dropped.
 */
export function patchNulls(patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    result[key] = Array.isArray(value)
      ? withoutNulls(value)
      : isPlainObject(value)
        ? patchNulls(value)
        : value;
  }
  return result;
}

/** preValidation hook of create routes: a null optional member is an absent one. */
export async function dropNullMembers(request: { body: unknown }): Promise<void> {
  request.body = withoutNulls(request.body);
}

/** preValidation hook of merge-patch routes (see patchNulls). */
export async function normalizePatchNulls(request: { body: unknown }): Promise<void> {
  request.body = patchNulls(request.body);
}

type JsonSchema = Record<string, unknown>;

/** A copy of `schema` that also accepts null (a merge-patch deletion), without a noisy anyOf. */
function nullable(schema: JsonSchema): JsonSchema {
  if (Array.isArray(schema.enum)) return { ...schema, enum: [...schema.enum, null] };
  if (typeof schema.type === "string") return { ...schema, type: [schema.type, "null"] };
  if (Array.isArray(schema.type)) return { ...schema, type: [...schema.type, "null"] };
  // A schema constraining no type (Type.Unknown) already accepts null.
  if (!["anyOf", "oneOf", "allOf", "$ref", "const", "not"].some((k) => k in schema)) return schema;
  return { anyOf: [schema, { type: "null" }] };
}

function patchOf(schema: JsonSchema): JsonSchema {
  const { required: _required, ...rest } = schema;
  const properties = schema.properties as Record<string, JsonSchema>;
  return {
    ...rest,
    properties: Object.fromEntries(
      Object.entries(properties).map(([key, property]) => [
        key,
        nullable(property.type === "object" && property.properties ? patchOf(property) : property),
      ]),
    ),
  };
}

/**
 * The JSON Merge Patch (RFC 7396) body of an object schema (a resource's create body): every member
 * optional and nullable (null deletes; services check what must stay), nested objects patched the same
 * way, arrays (replaced whole) validated as full values. The one way merge-patch routes build their body.
 */
export function mergePatchBody(schema: TSchema, description: string): TUnsafe<Record<string, unknown>> {
  const json = JSON.parse(JSON.stringify(schema)) as JsonSchema;
  return Type.Unsafe<Record<string, unknown>>(patchOf({ ...json, description }));
}
