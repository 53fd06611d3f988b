import {
  type ConditionTree,
  compileSafeRegex,
  MAX_PATTERN_LENGTH,
  OPERATORS,
  type Operator,
  parseCidr,
  parseInstant,
  parseSemver,
} from "@vexil/engine";
import { ApiError } from "../http/api-error.js";

// Condition trees (DESIGN section 2): {all:[...]} | {any:[...]} | {not: ...} |
// {attribute, operator, values[], negate?}. Bounded in depth and size, every value checked against its
// operator, regexes compiled by the engine's safe (non-backtracking) regex engine.

export const LIMITS = {
  depth: 32,
  nodes: 1000,
  valuesPerCondition: 1000,
  valueLength: 1024,
  attributeLength: 256,
  visitorCodes: 10_000,
  visitorCodeLength: 256,
};

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

class Problems {
  readonly list: string[] = [];
  add(path: string, message: string) {
    if (this.list.length < 25) this.list.push(`${path} ${message}`);
  }
}

function checkValue(operator: Operator, value: unknown, path: string, problems: Problems): void {
  if (typeof value === "string" && value.length > LIMITS.valueLength) {
    problems.add(path, `is longer than ${LIMITS.valueLength} characters`);
    return;
  }
  switch (operator) {
    case "equals":
    case "in":
      if (!["string", "number", "boolean"].includes(typeof value))
        problems.add(path, "must be a string, number or boolean");
      return;
    case "startsWith":
    case "endsWith":
    case "contains":
      if (typeof value !== "string") problems.add(path, "must be a string");
      return;
    case "matches":
      if (typeof value !== "string") problems.add(path, "must be a string (a regular expression)");
      else if (value.length > MAX_PATTERN_LENGTH)
        problems.add(path, `is longer than ${MAX_PATTERN_LENGTH} characters`);
      else if (compileSafeRegex(value) === undefined) {
        problems.add(path, "is not a valid regular expression (no backreferences or lookaround)");
      }
      return;
    case "lt":
    case "lte":
    case "gt":
    case "gte":
      if (
        !(typeof value === "number" && Number.isFinite(value)) &&
        !(typeof value === "string" && NUMERIC.test(value.trim()))
      ) {
        problems.add(path, "must be a finite number");
      }
      return;
    case "before":
    case "after":
      if (
        !(typeof value === "number" && Number.isFinite(value)) &&
        Number.isNaN(parseInstant(value, "UTC"))
      ) {
        problems.add(path, "must be an ISO 8601 date-time or epoch milliseconds");
      }
      return;
    case "semverEq":
    case "semverLt":
    case "semverLte":
    case "semverGt":
    case "semverGte":
      if (parseSemver(value) === undefined) problems.add(path, "must be a semantic version (e.g. 1.2.3)");
      return;
    case "inCidr":
      if (parseCidr(value) === undefined) problems.add(path, "must be a CIDR range (e.g. 10.0.0.0/8)");
      return;
    case "inSegment":
      if (
        !(
          (typeof value === "number" && Number.isInteger(value) && value > 0) ||
          (typeof value === "string" && /^\d+$/.test(value))
        )
      ) {
        problems.add(path, "must be a segment id");
      }
      return;
    case "exists":
      return;
  }
}

/** Checks a condition tree and returns it with inSegment ids as numbers; throws 400 naming each problem. */
export function checkCondition(
  tree: unknown,
  path: string,
  segmentExists: (id: number) => boolean,
): { condition: ConditionTree; references: Set<number> } {
  const problems = new Problems();
  const references = new Set<number>();
  let nodes = 0;

  const walk = (node: unknown, where: string, depth: number): ConditionTree | undefined => {
    nodes++;
    if (nodes > LIMITS.nodes) {
      if (nodes === LIMITS.nodes + 1) problems.add(path, `has more than ${LIMITS.nodes} conditions`);
      return undefined;
    }
    if (depth > LIMITS.depth) {
      problems.add(where, `is nested deeper than ${LIMITS.depth} levels`);
      return undefined;
    }
    if (!isRecord(node)) {
      problems.add(
        where,
        "must be an object: {all:[...]}, {any:[...]}, {not:{...}} or {attribute, operator, values}",
      );
      return undefined;
    }
    const kinds = ["all", "any", "not"].filter((k) => node[k] !== undefined);
    if (kinds.length > 0) {
      const kind = kinds[0]!;
      const extra = Object.keys(node).filter((k) => k !== kind);
      if (extra.length > 0) {
        problems.add(where, `must have only '${kind}' (found also ${extra.map((k) => `'${k}'`).join(", ")})`);
        return undefined;
      }
      if (kind === "not") {
        const inner = walk(node.not, `${where}.not`, depth + 1);
        return inner && { not: inner };
      }
      const list = node[kind];
      if (!Array.isArray(list)) {
        problems.add(`${where}.${kind}`, "must be an array of conditions");
        return undefined;
      }
      const children = list.map((child, i) => walk(child, `${where}.${kind}.${i}`, depth + 1));
      if (children.some((c) => c === undefined)) return undefined;
      return kind === "all" ? { all: children as ConditionTree[] } : { any: children as ConditionTree[] };
    }

    const unknown = Object.keys(node).filter(
      (k) => !["attribute", "operator", "values", "negate"].includes(k),
    );
    if (unknown.length > 0) {
      problems.add(where, `has unknown field(s) ${unknown.map((k) => `'${k}'`).join(", ")}`);
      return undefined;
    }
    const operator = node.operator;
    if (typeof operator !== "string" || !(OPERATORS as readonly string[]).includes(operator)) {
      problems.add(`${where}.operator`, `must be one of ${JSON.stringify(OPERATORS)}`);
      return undefined;
    }
    const op = operator as Operator;
    const attribute = node.attribute;
    if (op !== "inSegment") {
      if (typeof attribute !== "string" || attribute.length === 0) {
        problems.add(`${where}.attribute`, "is required (the visitor attribute to test)");
      } else if (attribute.length > LIMITS.attributeLength) {
        problems.add(`${where}.attribute`, `is longer than ${LIMITS.attributeLength} characters`);
      }
    } else if (attribute !== undefined && typeof attribute !== "string") {
      problems.add(`${where}.attribute`, "must be a string");
    }
    if (node.negate !== undefined && typeof node.negate !== "boolean")
      problems.add(`${where}.negate`, "must be a boolean");
    const values = node.values ?? [];
    if (!Array.isArray(values)) {
      problems.add(`${where}.values`, "must be an array");
      return undefined;
    }
    if (op === "exists") {
      if (values.length > 0) problems.add(`${where}.values`, "must be empty for 'exists'");
    } else if (values.length === 0) {
      problems.add(`${where}.values`, `needs at least one value for '${op}'`);
    }
    if (values.length > LIMITS.valuesPerCondition) {
      problems.add(`${where}.values`, `has more than ${LIMITS.valuesPerCondition} values`);
      return undefined;
    }
    values.forEach((value, i) => {
      checkValue(op, value, `${where}.values.${i}`, problems);
    });
    const leaf: Record<string, unknown> = {};
    if (typeof attribute === "string") leaf.attribute = attribute;
    leaf.operator = op;
    if (op === "inSegment") {
      leaf.values = values.map((v, i) => {
        const id = Number(v);
        if (Number.isInteger(id) && id > 0) {
          if (!segmentExists(id))
            problems.add(`${where}.values.${i}`, `names segment ${id}, which does not exist in this project`);
          references.add(id);
        }
        return id;
      });
    } else leaf.values = values;
    if (node.negate !== undefined) leaf.negate = node.negate;
    return leaf as unknown as ConditionTree;
  };

  const condition = walk(tree, path, 1);
  if (problems.list.length > 0 || condition === undefined) {
    throw new ApiError(400, problems.list.join("; ") || `${path} is invalid`);
  }
  return { condition, references };
}

/** Checks explicit visitor code lists. */
export function checkVisitorCodes(codes: string[], path: string): void {
  if (codes.length > LIMITS.visitorCodes)
    throw new ApiError(400, `${path} has more than ${LIMITS.visitorCodes} visitor codes`);
  codes.forEach((code, i) => {
    if (code.length === 0 || code.length > LIMITS.visitorCodeLength) {
      throw new ApiError(400, `${path}.${i} must be 1-${LIMITS.visitorCodeLength} characters`);
    }
  });
}

/**
 * The first inSegment cycle through `start` in a graph of segment references, as a path of ids
 * (e.g. [A, B, A]), or undefined.
 */
export function findCycle(start: number, references: (id: number) => Iterable<number>): number[] | undefined {
  const onPath: number[] = [];
  const done = new Set<number>();
  const visit = (id: number): number[] | undefined => {
    if (onPath.includes(id)) return [...onPath.slice(onPath.indexOf(id)), id];
    if (done.has(id)) return undefined;
    onPath.push(id);
    for (const next of references(id)) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    onPath.pop();
    done.add(id);
    return undefined;
  };
  return visit(start);
}
