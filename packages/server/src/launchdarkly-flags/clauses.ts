import type { ConditionTree } from "@vexil/engine";
import { badRequest } from "../http/api-error.js";
import { LD_OPERATORS } from "../launchdarkly-model/serving.js";

// LaunchDarkly clauses <-> Vexil conditions. A LaunchDarkly rule's clauses all have to match (AND); Vexil
// keeps a rule's audience as a segment, whose condition tree this maps to and from. Pure functions.

/** A LaunchDarkly clause. */
export interface LdClause {
  _id?: string;
  attribute: string;
  op: string;
  values: unknown[];
  negate: boolean;
  contextKind?: string;
}

/** What the mapping needs to know of a segment. */
export interface SegmentInfo {
  id: number;
  name: string;
  condition: unknown;
  included: string[];
  excluded: string[];
}

/** LaunchDarkly operator -> Vexil operator, for the operators both have (`in` reads back as `in`). */
const TO_VEXIL: Record<string, string> = Object.fromEntries(
  Object.entries(LD_OPERATORS)
    .filter(([vexil]) => vexil !== "equals")
    .map(([vexil, ld]) => [ld, vexil]),
);
const TO_LD = LD_OPERATORS;

/** LaunchDarkly's context key is Vexil's visitor code. */
const ldAttribute = (vexil: string) => (vexil === "visitorCode" ? "key" : vexil);
const vexilAttribute = (ld: string) => (ld === "key" ? "visitorCode" : ld);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A single Vexil leaf as a LaunchDarkly clause; undefined when LaunchDarkly has no such operator. */
function clauseOfLeaf(leaf: Record<string, unknown>): LdClause | undefined {
  const op = TO_LD[String(leaf.operator)];
  const values = Array.isArray(leaf.values) ? leaf.values : [];
  if (op === undefined || (leaf.negate !== undefined && typeof leaf.negate !== "boolean")) return undefined;
  if (op === "segmentMatch") {
    return { attribute: "segmentMatch", op, values: values.map(String), negate: leaf.negate === true };
  }
  if (typeof leaf.attribute !== "string") return undefined;
  return { attribute: ldAttribute(leaf.attribute), op, values, negate: leaf.negate === true };
}

/** The clause that names a whole segment (LaunchDarkly's segmentMatch; a Vexil segment's key is its id). */
export const segmentMatchClause = (segmentId: number): LdClause => ({
  attribute: "segmentMatch",
  op: "segmentMatch",
  values: [String(segmentId)],
  negate: false,
});

/**
 * A segment as clauses: its condition's leaves when it is one leaf or an `all` of leaves LaunchDarkly can
 * say (and it lists no visitor codes); otherwise one segmentMatch clause naming the segment.
 */
export function clausesOfSegment(segment: SegmentInfo): LdClause[] {
  const whole = [segmentMatchClause(segment.id)];
  if (segment.included.length > 0 || segment.excluded.length > 0 || !isRecord(segment.condition))
    return whole;
  const leaves = Array.isArray(segment.condition.all) ? segment.condition.all : [segment.condition];
  const clauses: LdClause[] = [];
  for (const leaf of leaves) {
    const clause = isRecord(leaf) && leaf.operator !== undefined ? clauseOfLeaf(leaf) : undefined;
    if (!clause) return whole;
    clauses.push(clause);
  }
  return clauses.length > 0 ? clauses : whole;
}

/** The segment id a rule's clauses name when they are exactly one segmentMatch of one segment. */
export function segmentIdOfClauses(clauses: LdClause[]): number | undefined {
  if (clauses.length !== 1) return undefined;
  const [clause] = clauses;
  if (clause!.op !== "segmentMatch" || clause!.negate || clause!.values.length !== 1) return undefined;
  const id = Number(clause!.values[0]);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

/** Clauses as a Vexil condition tree (an `all` of leaves); 400 naming what LaunchDarkly sent that cannot map. */
export function conditionOfClauses(clauses: LdClause[], path: string): ConditionTree {
  const leaves = clauses.map((clause, i) => {
    const where = `${path}.${i}`;
    if (clause.contextKind !== undefined && clause.contextKind !== "user") {
      throw badRequest(
        `${where}.contextKind '${clause.contextKind}': only the user context kind is supported`,
      );
    }
    const operator = TO_VEXIL[clause.op];
    if (operator === undefined) {
      throw badRequest(
        `${where}.op '${clause.op}' has no Vexil counterpart (supported: ${Object.keys(TO_VEXIL).join(", ")})`,
      );
    }
    if (!Array.isArray(clause.values) || clause.values.length === 0) {
      throw badRequest(`${where}.values must be a non-empty array`);
    }
    const leaf: Record<string, unknown> = { operator, values: clause.values };
    if (operator !== "inSegment") leaf.attribute = vexilAttribute(clause.attribute);
    if (clause.negate) leaf.negate = true;
    return leaf;
  });
  return (leaves.length === 1 ? leaves[0] : { all: leaves }) as ConditionTree;
}

/** The condition of an individual-targets segment: these context keys. */
export const targetsCondition = (keys: string[]): ConditionTree =>
  ({ attribute: "visitorCode", operator: "in", values: keys }) as ConditionTree;

/** The context keys of a segment that is exactly an individual-targets list; undefined otherwise. */
export function targetKeysOf(segment: SegmentInfo | undefined): string[] | undefined {
  if (!segment || segment.included.length > 0 || segment.excluded.length > 0) return undefined;
  const c = segment.condition;
  if (!isRecord(c) || c.attribute !== "visitorCode" || c.operator !== "in" || c.negate === true)
    return undefined;
  if (!Array.isArray(c.values) || !c.values.every((v) => typeof v === "string")) return undefined;
  return c.values as string[];
}
