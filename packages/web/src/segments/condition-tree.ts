import type { ConditionTree, Operator } from "@vexil/engine";

export type { ConditionTree, Operator };
export type Leaf = Extract<ConditionTree, { operator: unknown }>;
/** Steps from the root to a node: "all"/"any" then an index, or "not". */
export type TreePath = (string | number)[];

export const isGroup = (node: ConditionTree): node is { all: ConditionTree[] } | { any: ConditionTree[] } =>
  "all" in node || "any" in node;
export const isNot = (node: ConditionTree): node is { not: ConditionTree } => "not" in node;

/** The children of an all/any group and which kind it is. */
export function groupOf(node: { all: ConditionTree[] } | { any: ConditionTree[] }): {
  kind: "all" | "any";
  children: ConditionTree[];
} {
  return "all" in node ? { kind: "all", children: node.all } : { kind: "any", children: node.any };
}

/** A copy of the tree with the node at `path` replaced (undefined removes it from its group). */
export function replaceAt(
  tree: ConditionTree,
  path: TreePath,
  next: ConditionTree | undefined,
): ConditionTree | undefined {
  if (path.length === 0) return next;
  const [step, ...rest] = path;
  if (step === "not" && isNot(tree)) {
    const inner = replaceAt(tree.not, rest, next);
    return inner === undefined ? undefined : { not: inner };
  }
  if ((step === "all" || step === "any") && isGroup(tree)) {
    const { kind, children } = groupOf(tree);
    const [index, ...deeper] = rest;
    const updated = children.flatMap((child, i) => {
      if (i !== index) return [child];
      const replaced = replaceAt(child, deeper, next);
      return replaced === undefined ? [] : [replaced];
    });
    return kind === "all" ? { all: updated } : { any: updated };
  }
  return tree;
}

/** The node at a path, or undefined. */
export function nodeAt(tree: ConditionTree, path: TreePath): ConditionTree | undefined {
  let node: ConditionTree | undefined = tree;
  for (let i = 0; i < path.length && node; i++) {
    const step = path[i];
    if (step === "not" && isNot(node)) node = node.not;
    else if ((step === "all" || step === "any") && isGroup(node)) {
      node = groupOf(node).children[path[++i] as number];
    } else return undefined;
  }
  return node;
}

/** A copy with `child` appended to the group at `path`. */
export function appendAt(tree: ConditionTree, path: TreePath, child: ConditionTree): ConditionTree {
  const node = nodeAt(tree, path);
  if (!node || !isGroup(node)) return tree;
  const { kind, children } = groupOf(node);
  const next = kind === "all" ? { all: [...children, child] } : { any: [...children, child] };
  return replaceAt(tree, path, next) ?? tree;
}

const NUMERIC_OPERATORS = new Set<Operator>(["lt", "lte", "gt", "gte"]);

/** Values typed in one field (comma separated; one per line for regexes, which may contain commas). */
export function parseValues(operator: Operator, text: string): unknown[] {
  if (operator === "exists") return [];
  const parts = (operator === "matches" ? text.split("\n") : text.split(/[,\n]/))
    .map((s) => s.trim())
    .filter(Boolean);
  if (operator === "inSegment") return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  if (NUMERIC_OPERATORS.has(operator)) return parts.map((p) => (Number.isFinite(Number(p)) ? Number(p) : p));
  if (operator === "equals" || operator === "in") {
    return parts.map((p) => (p === "true" ? true : p === "false" ? false : p));
  }
  return parts;
}

/** The field text for stored values (the inverse of parseValues). */
export function valuesText(operator: Operator, values: readonly unknown[] | undefined): string {
  return (values ?? []).map(String).join(operator === "matches" ? "\n" : ", ");
}

/**
 * The server's 400 message for a segment ("body.condition.all.0.values.1 must be ...; ...") as errors per
 * tree node and field: key "all.0" -> { values: "must be ..." }. Problems outside the tree go under "".
 */
export function fieldErrors(message: string): Map<string, Record<string, string>> {
  const errors = new Map<string, Record<string, string>>();
  const add = (node: string, field: string, text: string) =>
    errors.set(node, { ...errors.get(node), [field]: errors.get(node)?.[field] ?? text });
  for (const problem of message.split("; ")) {
    const match = /^body\.condition((?:\.[A-Za-z0-9]+)*) (.+)$/.exec(problem);
    if (!match) {
      add("", "form", problem);
      continue;
    }
    const steps = (match[1] ?? "").split(".").filter(Boolean);
    const fieldIndex = steps.findIndex((s) => ["values", "operator", "attribute", "negate"].includes(s));
    if (fieldIndex >= 0)
      add(steps.slice(0, fieldIndex).join("."), steps[fieldIndex] as string, match[2] as string);
    else add(steps.join("."), "node", match[2] as string);
  }
  return errors;
}

/** What an operator expects, for the values field's description. */
export const OPERATOR_HINTS: Record<Operator, string> = {
  equals: "One value (text, number, true or false)",
  in: "Any of these values, comma separated",
  startsWith: "Text prefixes, comma separated",
  endsWith: "Text suffixes, comma separated",
  contains: "Texts, comma separated",
  matches: "Regular expressions, one per line",
  lt: "A number",
  lte: "A number",
  gt: "A number",
  gte: "A number",
  before: "An ISO 8601 date-time",
  after: "An ISO 8601 date-time",
  semverEq: "A version such as 1.2.3",
  semverLt: "A version such as 1.2.3",
  semverLte: "A version such as 1.2.3",
  semverGt: "A version such as 1.2.3",
  semverGte: "A version such as 1.2.3",
  exists: "No value: the attribute is set",
  inCidr: "CIDR ranges such as 10.0.0.0/8",
  inSegment: "Segment ids, comma separated",
};

/** Operators as a person reads them (typed by the engine's list: a new operator must get a label). */
export const OPERATOR_LABELS: Record<Operator, string> = {
  equals: "equals",
  in: "is one of",
  startsWith: "starts with",
  endsWith: "ends with",
  contains: "contains",
  matches: "matches regex",
  lt: "<",
  lte: "≤",
  gt: ">",
  gte: "≥",
  before: "is before (date)",
  after: "is after (date)",
  semverEq: "version =",
  semverLt: "version <",
  semverLte: "version ≤",
  semverGt: "version >",
  semverGte: "version ≥",
  exists: "is set",
  inCidr: "IP in range",
  inSegment: "in segment",
};
