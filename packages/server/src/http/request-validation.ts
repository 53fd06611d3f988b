import AjvCompiler from "@fastify/ajv-compiler";
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import { ApiError } from "./api-error.js";

// How every request's input is checked before a handler sees it (docs/security.md, "Input"):
// - query strings, path parameters and headers are text, so the validator coerces them to the schema's
//   types; bodies are JSON and are never coerced: `"10"` for an integer is a 400 naming the field;
// - every integer a schema accepts is within the safe-integer range (PostgreSQL bigint holds it, JSON
//   numbers keep it exactly), every number is finite, unless the schema says narrower;
// - no string or member name holds a NUL character (PostgreSQL text cannot) or a lone UTF-16 surrogate
//   (UTF-8 storage cannot: it would come back as U+FFFD), and no value nests deeper than MAX_INPUT_DEPTH,
//   so later recursive steps (null stripping, merge patches) stay within the stack.

/** Deepest nesting of arrays and objects a request body may have. */
export const MAX_INPUT_DEPTH = 64;

const base = { removeAdditional: false, useDefaults: true, allErrors: true, allowUnionTypes: true } as const;
const compilers = AjvCompiler();
const bodyCompiler = compilers({}, { customOptions: { ...base, coerceTypes: false } });
const textCompiler = compilers({}, { customOptions: { ...base, coerceTypes: "array" } });

type Schema = Record<string, unknown>;

/** A copy of a JSON schema whose unbounded integers and numbers get the safe range (see above). */
export function withNumericBounds(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withNumericBounds);
  if (typeof schema !== "object" || schema === null) return schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema as Schema)) {
    // `properties` and `patternProperties` map names to schemas: recurse into their values, not their keys.
    copy[key] = withNumericBounds(value);
  }
  const type = copy.type;
  const types = Array.isArray(type) ? type : [type];
  const bound = types.includes("integer")
    ? Number.MAX_SAFE_INTEGER
    : types.includes("number")
      ? Number.MAX_VALUE
      : 0;
  if (bound > 0) {
    if (copy.maximum === undefined && copy.exclusiveMaximum === undefined) copy.maximum = bound;
    if (copy.minimum === undefined && copy.exclusiveMinimum === undefined) copy.minimum = -bound;
  }
  return copy;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// One cheap scan per string; only a string with a NUL or a surrogate gets the exact checks.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL characters is the point.
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

/** What is wrong with a string (the end of the message naming it), or undefined. */
function textFault(s: string): string | undefined {
  if (!SUSPECT.test(s)) return undefined;
  if (s.includes("\u0000")) return "contains a NUL character (U+0000), which cannot be stored";
  if (LONE_SURROGATE.test(s)) return "contains a lone UTF-16 surrogate, which cannot be stored";
  return undefined;
}

interface Frame {
  value: object;
  parent: Frame | undefined;
  key: string | number;
  depth: number;
}

function pathOf(frame: Frame, key?: string | number): string {
  const parts: string[] = key === undefined ? [] : [String(key)];
  for (let f: Frame | undefined = frame; f; f = f.parent) parts.unshift(String(f.key));
  return parts.join(".");
}

/**
 * The first place in `value` (named from `root`) holding a NUL, a lone surrogate or too deep a nesting.
 * Runs on every request body (10,000-event batches included): it walks without allocating per member.
 */
export function inputProblem(value: unknown, root: string): string | undefined {
  if (typeof value === "string") {
    const fault = textFault(value);
    return fault && `${root} ${fault}`;
  }
  if (typeof value !== "object" || value === null) return undefined;
  // Iterative, so a 10,000-level body is refused rather than overflowing the stack.
  const stack: Frame[] = [{ value, parent: undefined, key: root, depth: 0 }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.depth >= MAX_INPUT_DEPTH)
      return `${pathOf(frame)} is nested deeper than ${MAX_INPUT_DEPTH} levels`;
    const container = frame.value;
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i++) {
        const item: unknown = container[i];
        if (typeof item === "string") {
          const fault = textFault(item);
          if (fault) return `${pathOf(frame, i)} ${fault}`;
        } else if (typeof item === "object" && item !== null) {
          stack.push({ value: item, parent: frame, key: i, depth: frame.depth + 1 });
        }
      }
      continue;
    }
    const record = container as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const keyFault = textFault(key);
      if (keyFault) return `${pathOf(frame)} member name '${key.slice(0, 40)}' ${keyFault}`;
      const item = record[key];
      if (typeof item === "string") {
        const fault = textFault(item);
        if (fault) return `${pathOf(frame, key)} ${fault}`;
      } else if (typeof item === "object" && item !== null) {
        stack.push({ value: item, parent: frame, key, depth: frame.depth + 1 });
      }
    }
  }
  return undefined;
}

// Both hooks are callback hooks, not async ones: every request passes them, and an async hook costs a
// promise and a microtask each time.
function guardInput(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const problem =
    inputProblem(request.params, "params") ??
    inputProblem(request.query, "querystring") ??
    inputProblem(request.body, "body");
  done(problem ? new ApiError(400, problem) : undefined);
}

/**
 * After validation: ajv coerces "1e309" to Infinity for an integer and then skips its bounds, so a
 * non-finite number coerced from a query string or path is refused here.
 */
function refuseNonFinite(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  done(nonFinite(request.query, "querystring") ?? nonFinite(request.params, "params"));
}

function nonFinite(values: unknown, part: string): ApiError | undefined {
  if (typeof values !== "object" || values === null) return undefined;
  for (const key of Object.keys(values)) {
    const value = (values as Record<string, unknown>)[key];
    if (typeof value === "number" && !Number.isFinite(value)) {
      return new ApiError(400, `${part}.${key} must be a finite number`);
    }
  }
  return undefined;
}

/** Installs the validator compilers and the input guard; call before registering routes. */
export function installRequestValidation(app: FastifyInstance): void {
  app.setValidatorCompiler((route) => {
    const compile = route.httpPart === "body" ? bodyCompiler : textCompiler;
    return compile({ ...route, schema: withNumericBounds(route.schema) as typeof route.schema });
  });
  app.addHook("preValidation", guardInput);
  app.addHook("preHandler", refuseNonFinite);
}
