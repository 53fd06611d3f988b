// Segments and their condition trees, compiled once into closures so that evaluation is a few calls and
// comparisons. Bad visitor data (missing attribute, wrong type) is a non-match; a bad *configuration*
// (unknown operator, malformed node) makes the segment unusable and evaluation reports PARSE_ERROR, so a
// typo never silently widens an audience. Individual unreadable values (an invalid regex, CIDR, version or
// date in `values`) only fail to match, like a value that is simply different.

import { ipInCidr, parseCidr, parseIp } from "./cidr.js";
import { compileSafeRegex } from "./regex.js";
import { compareSemver, parseSemver, type SemVer } from "./semver.js";
import { parseInstant } from "./time.js";
import type { Operator } from "./types.js";

/** Visitor attributes as conditions read them (undefined when the visitor has none). */
export type Attributes = Record<string, unknown> | undefined;

/** A compiled condition: does this visitor match? */
export type Matcher = (code: string, attributes: Attributes) => boolean;

/** Thrown (and caught by the evaluator) when the configuration cannot be evaluated: a PARSE_ERROR. */
export class ConfigError extends Error {}

/** Looks a segment up by id (decimal string); compiles it on first use. */
export type SegmentResolver = (id: string) => CompiledSegment | undefined;

const MAX_TREE_DEPTH = 64;

/** Every condition operator; the `Operator` type is derived from this list. */
export const OPERATORS = [
  "equals",
  "in",
  "startsWith",
  "endsWith",
  "contains",
  "matches",
  "lt",
  "lte",
  "gt",
  "gte",
  "before",
  "after",
  "semverEq",
  "semverLt",
  "semverLte",
  "semverGt",
  "semverGte",
  "exists",
  "inCidr",
  "inSegment",
] as const;

const OPERATOR_SET: ReadonlySet<string> = new Set<Operator>(OPERATORS);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const NUMERIC_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A finite number from a number or a decimal numeric string; NaN otherwise. */
export function toNumber(value: unknown): number {
  if (typeof value === "number") return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === "string" && value.length <= 64) {
    const s = value.trim();
    if (NUMERIC_RE.test(s)) return Number(s);
  }
  return Number.NaN;
}

/** Epoch ms from a number (epoch ms), a Date or an ISO string (offset-less = UTC); NaN otherwise. */
export function toEpochMs(value: unknown): number {
  if (typeof value === "number") return Number.isFinite(value) ? value : Number.NaN;
  if (value instanceof Date) return value.getTime();
  return parseInstant(value, "UTC");
}

/** Reads one attribute; `visitorCode` is the visitor code, and inherited Object properties are invisible. */
function attributeReader(name: string): (code: string, attributes: Attributes) => unknown {
  if (name === "visitorCode") return (code) => code;
  // "constructor", "toString", "__proto__"... would otherwise be found on every object's prototype.
  if (name in Object.prototype) {
    return (_code, attributes) =>
      attributes !== undefined && Object.hasOwn(attributes, name) ? attributes[name] : undefined;
  }
  return (_code, attributes) => (attributes === undefined ? undefined : attributes[name]);
}

type ValueTest = (value: unknown) => boolean;

function strings(values: unknown[]): string[] {
  return values.filter((v): v is string => typeof v === "string");
}

function finite(values: number[]): number[] {
  return values.filter((v) => !Number.isNaN(v));
}

const never: ValueTest = () => false;

function valueTest(operator: string, values: unknown[]): ValueTest {
  switch (operator) {
    case "equals":
    case "in": {
      // Same-type equality: "1" does not equal 1 (a type mismatch is a non-match).
      const set = new Set<unknown>(
        values.filter((v) => typeof v === "string" || typeof v === "number" || typeof v === "boolean"),
      );
      if (set.size === 0) return never;
      if (set.size === 1) {
        const only = set.values().next().value;
        return (v) => v === only;
      }
      return (v) => set.has(v);
    }
    case "startsWith": {
      const s = strings(values);
      return (v) => typeof v === "string" && s.some((p) => v.startsWith(p));
    }
    case "endsWith": {
      const s = strings(values);
      return (v) => typeof v === "string" && s.some((p) => v.endsWith(p));
    }
    case "contains": {
      const s = strings(values);
      return (v) => typeof v === "string" && s.some((p) => v.includes(p));
    }
    case "matches": {
      const patterns = values.map(compileSafeRegex).filter((r) => r !== undefined);
      return (v) => typeof v === "string" && patterns.some((r) => r.test(v));
    }
    // "Any of the values" for an order comparison is a comparison with the loosest value.
    case "lt":
    case "lte":
    case "gt":
    case "gte": {
      const nums = finite(values.map(toNumber));
      if (nums.length === 0) return never;
      const bound = operator === "lt" || operator === "lte" ? Math.max(...nums) : Math.min(...nums);
      if (operator === "lt") return (v) => toNumber(v) < bound;
      if (operator === "lte") return (v) => toNumber(v) <= bound;
      if (operator === "gt") return (v) => toNumber(v) > bound;
      return (v) => toNumber(v) >= bound;
    }
    case "before":
    case "after": {
      const times = finite(values.map(toEpochMs));
      if (times.length === 0) return never;
      if (operator === "before") {
        const bound = Math.max(...times);
        return (v) => toEpochMs(v) < bound;
      }
      const bound = Math.min(...times);
      return (v) => toEpochMs(v) > bound;
    }
    case "semverEq":
    case "semverLt":
    case "semverLte":
    case "semverGt":
    case "semverGte": {
      const versions = values.map(parseSemver).filter((s): s is SemVer => s !== undefined);
      if (versions.length === 0) return never;
      const accept: (c: number) => boolean =
        operator === "semverEq"
          ? (c) => c === 0
          : operator === "semverLt"
            ? (c) => c < 0
            : operator === "semverLte"
              ? (c) => c <= 0
              : operator === "semverGt"
                ? (c) => c > 0
                : (c) => c >= 0;
      return (v) => {
        const parsed = parseSemver(v);
        return parsed !== undefined && versions.some((b) => accept(compareSemver(parsed, b)));
      };
    }
    case "inCidr": {
      const ranges = values.map(parseCidr).filter((r) => r !== undefined);
      if (ranges.length === 0) return never;
      return (v) => {
        const ip = parseIp(v);
        return ip !== undefined && ranges.some((r) => ipInCidr(ip, r));
      };
    }
    default:
      throw new ConfigError("unknown operator " + operator);
  }
}

interface CompileState {
  resolve: SegmentResolver;
  /** Set when the tree references other segments (needs the cycle guard). */
  references: boolean;
}

function compileLeaf(node: Record<string, unknown>, state: CompileState): Matcher {
  const operator = node.operator;
  if (typeof operator !== "string" || !OPERATOR_SET.has(operator)) {
    throw new ConfigError("unknown operator " + String(operator));
  }
  const negate = node.negate ?? false;
  if (typeof negate !== "boolean") throw new ConfigError("negate must be a boolean");
  const values = node.values ?? [];
  if (!Array.isArray(values)) throw new ConfigError("values must be an array");

  if (operator === "inSegment") {
    state.references = true;
    const ids = values
      .map((v) =>
        typeof v === "number" && Number.isInteger(v) ? String(v) : typeof v === "string" ? v.trim() : "",
      )
      .filter((id) => id !== "");
    const resolve = state.resolve;
    let segments: CompiledSegment[] | undefined;
    return (code, attributes) => {
      // Resolved on first use: segments may reference each other in any order (or in a cycle).
      segments ??= ids.map(resolve).filter((s): s is CompiledSegment => s !== undefined);
      let hit = false;
      for (let i = 0; i < segments.length && !hit; i++) hit = segments[i]!.matches(code, attributes);
      return hit !== negate;
    };
  }

  const attribute = node.attribute;
  if (typeof attribute !== "string" || attribute === "") throw new ConfigError("attribute must be a string");
  const read = attributeReader(attribute);

  if (operator === "exists") {
    return (code, attributes) => {
      const v = read(code, attributes);
      return (v !== undefined && v !== null) !== negate;
    };
  }

  const test = valueTest(operator, values);
  return (code, attributes) => {
    const v = read(code, attributes);
    // A missing attribute is a non-match even when negated: "country is not FR" needs a country.
    if (v === undefined || v === null) return false;
    let hit: boolean;
    if (Array.isArray(v)) {
      hit = false;
      for (let i = 0; i < v.length && !hit; i++) {
        const e: unknown = v[i];
        hit = e !== undefined && e !== null && test(e);
      }
    } else hit = test(v);
    return hit !== negate;
  };
}

function compileAll(items: Matcher[]): Matcher {
  if (items.length === 0) return () => true;
  if (items.length === 1) return items[0]!;
  if (items.length === 2) {
    const [a, b] = items as [Matcher, Matcher];
    return (code, attributes) => a(code, attributes) && b(code, attributes);
  }
  return (code, attributes) => {
    for (let i = 0; i < items.length; i++) if (!items[i]!(code, attributes)) return false;
    return true;
  };
}

function compileAny(items: Matcher[]): Matcher {
  if (items.length === 0) return () => false;
  if (items.length === 1) return items[0]!;
  if (items.length === 2) {
    const [a, b] = items as [Matcher, Matcher];
    return (code, attributes) => a(code, attributes) || b(code, attributes);
  }
  return (code, attributes) => {
    for (let i = 0; i < items.length; i++) if (items[i]!(code, attributes)) return true;
    return false;
  };
}

function compileNode(node: unknown, depth: number, state: CompileState): Matcher {
  if (depth > MAX_TREE_DEPTH) throw new ConfigError("condition tree too deep");
  if (!isRecord(node)) throw new ConfigError("condition must be an object");
  const kinds = ["all", "any", "not", "operator"].filter((k) => node[k] !== undefined);
  if (kinds.length !== 1) throw new ConfigError("condition must have exactly one of all, any, not, operator");
  if (node.all !== undefined || node.any !== undefined) {
    const list = node.all ?? node.any;
    if (!Array.isArray(list)) throw new ConfigError("all/any must be an array");
    const items = list.map((child) => compileNode(child, depth + 1, state));
    return node.all !== undefined ? compileAll(items) : compileAny(items);
  }
  if (node.not !== undefined) {
    const inner = compileNode(node.not, depth + 1, state);
    return (code, attributes) => !inner(code, attributes);
  }
  return compileLeaf(node, state);
}

/** Compile a condition tree into a matcher; throws ConfigError when it is malformed. */
export function compileCondition(tree: unknown, resolve: SegmentResolver = () => undefined): Matcher {
  return compileNode(tree, 0, { resolve, references: false });
}

function codeSet(list: unknown): Set<string> | null | undefined {
  if (list === undefined || list === null) return null;
  if (!Array.isArray(list)) return undefined;
  const set = new Set<string>();
  for (const code of list) {
    if (typeof code !== "string") return undefined;
    set.add(code);
  }
  return set.size === 0 ? null : set;
}

/** A segment ready to match: exclusion, then inclusion, then the condition tree. */
export class CompiledSegment {
  private active = false;

  /** Use `compileSegment`; `error` is set when the segment is malformed. */
  constructor(
    readonly id: string,
    private readonly condition: Matcher | null,
    private readonly included: Set<string> | null,
    private readonly excluded: Set<string> | null,
    private readonly recursive: boolean,
    readonly error: string | null,
  ) {}

  /** Whether the visitor is in the segment; throws ConfigError when the segment is malformed. */
  matches(code: string, attributes: Attributes): boolean {
    if (this.error !== null) throw new ConfigError(`segment ${this.id}: ${this.error}`);
    if (this.excluded?.has(code)) return false;
    if (this.included?.has(code)) return true;
    const condition = this.condition;
    if (condition === null) return false;
    if (!this.recursive) return condition(code, attributes);
    // inSegment cycle (A -> B -> A): the inner reference to a segment being evaluated is a non-match.
    if (this.active) return false;
    this.active = true;
    try {
      return condition(code, attributes);
    } finally {
      this.active = false;
    }
  }
}

/** Compile a segment; never throws (a malformed one carries `error` and throws ConfigError when matched). */
export function compileSegment(id: string, segment: unknown, resolve: SegmentResolver): CompiledSegment {
  if (!isRecord(segment))
    return new CompiledSegment(id, null, null, null, false, "segment must be an object");
  const included = codeSet(segment.included);
  const excluded = codeSet(segment.excluded);
  if (included === undefined || excluded === undefined) {
    return new CompiledSegment(id, null, null, null, false, "included/excluded must be arrays of strings");
  }
  if (segment.condition === undefined || segment.condition === null) {
    return new CompiledSegment(id, null, included, excluded, false, null);
  }
  const state: CompileState = { resolve, references: false };
  try {
    const condition = compileNode(segment.condition, 0, state);
    return new CompiledSegment(id, condition, included, excluded, state.references, null);
  } catch (e) {
    return new CompiledSegment(
      id,
      null,
      null,
      null,
      false,
      e instanceof Error ? e.message : "malformed condition",
    );
  }
}
