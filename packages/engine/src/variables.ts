// Typed variables. Values travel as strings (Kameleoon's API shape); they are decoded once per payload
// and the decoded records are frozen, because evaluation results share them.

import type { Variable } from "./types.js";

/** Marker returned by `decodeVariable` when a value does not decode to its type. */
export const UNDECODABLE: unique symbol = Symbol("undecodable");

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/**
 * Decode one value: BOOLEAN -> boolean ("true"/"false", any case), NUMBER -> number (decimal), JSON -> parsed,
 * STRING/JS/CSS -> string. Already-typed values (a boolean for BOOLEAN...) are accepted as they are.
 */
export function decodeVariable(type: unknown, value: unknown): unknown {
  switch (type) {
    case "BOOLEAN":
      if (typeof value === "boolean") return value;
      if (typeof value === "string") {
        const s = value.trim().toLowerCase();
        if (s === "true") return true;
        if (s === "false") return false;
      }
      return UNDECODABLE;
    case "NUMBER":
      if (typeof value === "number") return Number.isFinite(value) ? value : UNDECODABLE;
      if (typeof value === "string" && NUMBER_RE.test(value.trim())) return Number(value.trim());
      return UNDECODABLE;
    case "JSON":
      if (typeof value !== "string")
        return value === undefined ? UNDECODABLE : deepFreeze(structuredCloneJson(value));
      try {
        return deepFreeze(JSON.parse(value) as unknown);
      } catch {
        return UNDECODABLE;
      }
    case "STRING":
    case "JS":
    case "CSS":
      return typeof value === "string" ? value : UNDECODABLE;
    default:
      return UNDECODABLE;
  }
}

// A JSON variable delivered already parsed: copy it so freezing does not freeze the caller's payload.
function structuredCloneJson(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return UNDECODABLE;
  }
}

/** Decoded variables of a variation and whether any failed to decode (those are left out). */
export interface ResolvedVariables {
  readonly values: Readonly<Record<string, unknown>>;
  readonly complete: boolean;
}

/** Flag-level variables overridden by the variation's (same key wins); the record is frozen. */
export function resolveVariables(flagLevel: unknown, overrides: unknown): ResolvedVariables {
  const types = new Map<string, unknown>();
  const raw = new Map<string, unknown>();
  let complete = true;
  for (const list of [flagLevel, overrides]) {
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      complete = false;
      continue;
    }
    for (const v of list as Partial<Variable>[]) {
      if (typeof v !== "object" || v === null || typeof v.key !== "string") {
        complete = false;
        continue;
      }
      // An override may omit its type: it keeps the flag-level one.
      types.set(v.key, v.type ?? types.get(v.key));
      raw.set(v.key, v.value);
    }
  }
  const values: Record<string, unknown> = {};
  for (const [key, value] of raw) {
    const decoded = decodeVariable(types.get(key), value);
    if (decoded === UNDECODABLE) {
      complete = false;
      continue;
    }
    // defineProperty: a variable named "__proto__" must stay a plain key.
    Object.defineProperty(values, key, {
      value: decoded,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { values: Object.freeze(values), complete };
}
