import { ApiError } from "../http/api-error.js";
import { wildcardMatch } from "../http/wildcard-match.js";
import type { FlagSummary } from "./flags.store.js";

// Kameleoon's search vocabulary (paramsIO): filter expressions {field, operator, parameters} combined by
// {conditionalOperator: AND|OR, expressions: [...]}, and sort [{field, direction: ASC|DESC}]. Evaluated over
// the list columns of the flags in scope; only the requested page's documents are read afterwards.

export const OPERATORS = [
  "EQUAL",
  "NOT_EQUAL",
  "LESS",
  "GREATER",
  "LESS_OR_EQUAL",
  "GREATER_OR_EQUAL",
  "LIKE",
  "NOT_LIKE",
  "BETWEEN",
  "IN",
  "NOT_IN",
  "NOT",
  "IS_NULL",
  "IS_NOT_NULL",
  "IS_TRUE",
  "IS_FALSE",
  "IS_EMPTY",
  "IS_NOT_EMPTY",
  "CONTAINS",
] as const;
type Operator = (typeof OPERATORS)[number];

const FIELDS: Record<string, (flag: FlagSummary) => unknown> = {
  id: (f) => f.id,
  featureKey: (f) => f.featureKey,
  name: (f) => f.name,
  description: (f) => f.description,
  siteCode: (f) => f.projectKey,
  tags: (f) => f.tags,
  health: (f) => f.health,
  archived: (f) => f.archived,
  version: (f) => f.version,
  dateCreated: (f) => f.dateCreated,
  dateModified: (f) => f.dateModified,
  dateContentModified: (f) => f.dateContentModified,
};
export const FILTER_FIELDS = Object.keys(FIELDS);
export const SORT_FIELDS = FILTER_FIELDS.filter((f) => f !== "tags");

export type FilterNode =
  | { kind: "expression"; field: string; operator: Operator; parameters: unknown[] }
  | { kind: "group"; conditionalOperator: "AND" | "OR"; expressions: FilterNode[] };

export interface SortKey {
  field: string;
  direction: "ASC" | "DESC";
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

// Bounds on what one filter may ask, so its cost is at most flags x MAX_FILTER_NODES x (text x pattern length).
const MAX_FILTER_DEPTH = 10;
const MAX_FILTER_NODES = 100;
const MAX_PARAMETERS = 1000;
const MAX_PATTERN_LENGTH = 256;

/** Parses a filter: one expression, a group, or an array of them (AND). Throws 400 naming the place. */
export function parseFilter(raw: unknown, path: string): FilterNode {
  const budget = { nodes: MAX_FILTER_NODES };
  return parseNode(raw, path, 0, budget);
}

function parseNode(raw: unknown, path: string, depth: number, budget: { nodes: number }): FilterNode {
  if (depth > MAX_FILTER_DEPTH) throw new ApiError(400, `${path} is nested too deeply`);
  if (--budget.nodes < 0) {
    throw new ApiError(400, `${path}: a filter may hold at most ${MAX_FILTER_NODES} expressions and groups`);
  }
  if (Array.isArray(raw)) {
    return {
      kind: "group",
      conditionalOperator: "AND",
      expressions: raw.map((item, i) => parseNode(item, `${path}.${i}`, depth + 1, budget)),
    };
  }
  if (!isRecord(raw))
    throw new ApiError(400, `${path} must be a filter expression {field, operator, parameters}`);
  if (raw.expressions !== undefined || raw.conditionalOperator !== undefined) {
    if (!Array.isArray(raw.expressions)) throw new ApiError(400, `${path}.expressions must be an array`);
    const op = raw.conditionalOperator ?? "AND";
    if (op !== "AND" && op !== "OR") throw new ApiError(400, `${path}.conditionalOperator must be AND or OR`);
    return {
      kind: "group",
      conditionalOperator: op,
      expressions: raw.expressions.map((item, i) =>
        parseNode(item, `${path}.expressions.${i}`, depth + 1, budget),
      ),
    };
  }
  const { field, operator } = raw;
  if (typeof field !== "string" || !Object.hasOwn(FIELDS, field)) {
    throw new ApiError(400, `${path}.field must be one of ${JSON.stringify(FILTER_FIELDS)}`);
  }
  if (typeof operator !== "string" || !(OPERATORS as readonly string[]).includes(operator)) {
    throw new ApiError(400, `${path}.operator must be one of ${JSON.stringify(OPERATORS)}`);
  }
  const parameters = raw.parameters ?? [];
  if (!Array.isArray(parameters)) throw new ApiError(400, `${path}.parameters must be an array`);
  if (parameters.length > MAX_PARAMETERS) {
    throw new ApiError(400, `${path}.parameters may hold at most ${MAX_PARAMETERS} values`);
  }
  parameters.forEach((parameter, i) => {
    if (typeof parameter === "string" && parameter.length > MAX_PATTERN_LENGTH) {
      throw new ApiError(400, `${path}.parameters.${i} is longer than ${MAX_PATTERN_LENGTH} characters`);
    }
    if (typeof parameter === "object" && parameter !== null) {
      throw new ApiError(400, `${path}.parameters.${i} must be a string, number, boolean or null`);
    }
  });
  const needs: Partial<Record<Operator, number>> = {
    EQUAL: 1,
    NOT_EQUAL: 1,
    NOT: 1,
    IN: 1,
    NOT_IN: 1,
    LESS: 1,
    GREATER: 1,
    LESS_OR_EQUAL: 1,
    GREATER_OR_EQUAL: 1,
    LIKE: 1,
    NOT_LIKE: 1,
    CONTAINS: 1,
    BETWEEN: 2,
  };
  const required = needs[operator as Operator] ?? 0;
  if (parameters.length < required) {
    throw new ApiError(400, `${path}.parameters needs ${required} value(s) for ${operator}`);
  }
  return { kind: "expression", field, operator: operator as Operator, parameters };
}

/** Whether a filter mentions a field (asking about `archived` lifts the default "not archived"). */
export function filterUses(node: FilterNode | undefined, field: string): boolean {
  if (!node) return false;
  return node.kind === "expression"
    ? node.field === field
    : node.expressions.some((e) => filterUses(e, field));
}

function scalar(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "string") return value;
  return String(value);
}

function equal(actual: unknown, wanted: unknown): boolean {
  const a = scalar(actual);
  const w = scalar(wanted);
  if (a === null || w === null) return a === w;
  if (typeof a === "number") return a === Number(w);
  if (typeof a === "boolean") return String(a) === String(w).toLowerCase();
  return a === String(w);
}

/** -1, 0, 1 or NaN (incomparable); dates compare as instants, numbers as numbers. */
function compare(actual: unknown, wanted: unknown): number {
  const a = scalar(actual);
  const w = scalar(wanted);
  if (a === null || w === null) return Number.NaN;
  if (typeof a === "number") {
    const n = Number(w);
    return Number.isNaN(n) ? Number.NaN : Math.sign(a - n);
  }
  const da = Date.parse(String(a));
  const dw = Date.parse(String(w));
  if (!Number.isNaN(da) && !Number.isNaN(dw) && /^\d{4}-/.test(String(a))) return Math.sign(da - dw);
  return String(a).localeCompare(String(w));
}

function like(actual: unknown, pattern: unknown): boolean {
  const text = String(scalar(actual) ?? "").toLowerCase();
  const p = String(scalar(pattern) ?? "").toLowerCase();
  if (!/[%_]/.test(p)) return text.includes(p);
  return wildcardMatch(text, p, "%", "_");
}

function test(value: unknown, operator: Operator, parameters: unknown[]): boolean {
  if (Array.isArray(value)) {
    switch (operator) {
      case "EQUAL":
      case "IN":
        return parameters.some((p) => value.some((v) => equal(v, p)));
      case "NOT_EQUAL":
      case "NOT":
      case "NOT_IN":
        return !parameters.some((p) => value.some((v) => equal(v, p)));
      case "CONTAINS":
        return parameters.every((p) => value.some((v) => equal(v, p)));
      case "LIKE":
        return value.some((v) => like(v, parameters[0]));
      case "NOT_LIKE":
        return !value.some((v) => like(v, parameters[0]));
      case "IS_EMPTY":
      case "IS_NULL":
        return value.length === 0;
      case "IS_NOT_EMPTY":
      case "IS_NOT_NULL":
        return value.length > 0;
      default:
        return false;
    }
  }
  switch (operator) {
    case "EQUAL":
    case "IN":
      return parameters.some((p) => equal(value, p));
    case "NOT_EQUAL":
    case "NOT":
    case "NOT_IN":
      return !parameters.some((p) => equal(value, p));
    case "LESS":
      return compare(value, parameters[0]) < 0;
    case "GREATER":
      return compare(value, parameters[0]) > 0;
    case "LESS_OR_EQUAL":
      return compare(value, parameters[0]) <= 0;
    case "GREATER_OR_EQUAL":
      return compare(value, parameters[0]) >= 0;
    case "BETWEEN":
      return compare(value, parameters[0]) >= 0 && compare(value, parameters[1]) <= 0;
    case "LIKE":
      return like(value, parameters[0]);
    case "NOT_LIKE":
      return !like(value, parameters[0]);
    case "CONTAINS":
      return String(scalar(value) ?? "")
        .toLowerCase()
        .includes(String(scalar(parameters[0]) ?? "").toLowerCase());
    case "IS_NULL":
      return value === null || value === undefined;
    case "IS_NOT_NULL":
      return value !== null && value !== undefined;
    case "IS_EMPTY":
      return value === null || value === undefined || value === "";
    case "IS_NOT_EMPTY":
      return value !== null && value !== undefined && value !== "";
    case "IS_TRUE":
      return value === true;
    case "IS_FALSE":
      return value === false;
  }
}

export function matchesFilter(flag: FlagSummary, node: FilterNode): boolean {
  if (node.kind === "group") {
    return node.conditionalOperator === "AND"
      ? node.expressions.every((e) => matchesFilter(flag, e))
      : node.expressions.some((e) => matchesFilter(flag, e));
  }
  return test(FIELDS[node.field]!(flag), node.operator, node.parameters);
}

/** Parses sort keys from a list of {field, direction} or a string "field,-field" / "field:DESC". */
export function parseSort(raw: unknown, path: string): SortKey[] {
  let list: unknown = raw;
  if (typeof raw === "string") {
    const text = raw.trim();
    if (text.startsWith("[") || text.startsWith("{")) {
      try {
        list = JSON.parse(text);
      } catch {
        throw new ApiError(400, `${path} is not valid JSON`);
      }
      if (!Array.isArray(list)) list = [list];
    } else {
      list = text
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean)
        .map((part) => {
          const [name, dir] = part.split(":");
          if (name!.startsWith("-")) return { field: name!.slice(1), direction: "DESC" };
          return { field: name, direction: (dir ?? "ASC").toUpperCase() };
        });
    }
  }
  if (!Array.isArray(list)) throw new ApiError(400, `${path} must be a list of {field, direction}`);
  return list.map((item, i) => {
    if (!isRecord(item) || typeof item.field !== "string" || !SORT_FIELDS.includes(item.field)) {
      throw new ApiError(400, `${path}.${i}.field must be one of ${JSON.stringify(SORT_FIELDS)}`);
    }
    const direction = item.direction ?? "ASC";
    if (direction !== "ASC" && direction !== "DESC")
      throw new ApiError(400, `${path}.${i}.direction must be ASC or DESC`);
    return { field: item.field, direction };
  });
}

export function sortSummaries(flags: FlagSummary[], keys: SortKey[]): FlagSummary[] {
  const all = [...keys, { field: "id", direction: "ASC" as const }];
  return [...flags].sort((a, b) => {
    for (const key of all) {
      const get = FIELDS[key.field]!;
      const va = get(a);
      const vb = get(b);
      let c: number;
      if (typeof va === "number" && typeof vb === "number") c = va - vb;
      else if (typeof va === "boolean" && typeof vb === "boolean") c = Number(va) - Number(vb);
      else c = String(va).localeCompare(String(vb));
      if (c !== 0) return key.direction === "ASC" ? c : -c;
    }
    return 0;
  });
}

/**
 * Whether a flag is on (or off) in an environment and has a rule of one of the types there (in any
 * environment when none is named); an environment the flag has no configuration for is off and ruleless.
 */
export function matchesEnvironmentState(
  flag: FlagSummary,
  criteria: {
    environmentKey?: string | undefined;
    enabled?: boolean | undefined;
    ruleTypes?: string[] | undefined;
  },
): boolean {
  const states =
    criteria.environmentKey === undefined
      ? Object.values(flag.environments)
      : [
          (Object.hasOwn(flag.environments, criteria.environmentKey)
            ? flag.environments[criteria.environmentKey]
            : undefined) ?? { enabled: false, ruleTypes: [] },
        ];
  if (criteria.enabled !== undefined && states[0]?.enabled !== criteria.enabled) return false;
  if (criteria.ruleTypes?.length) {
    return states.some((state) => state.ruleTypes.some((type) => criteria.ruleTypes!.includes(type)));
  }
  return true;
}
