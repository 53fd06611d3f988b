import type { ConditionTree } from "@vexil/engine";

/** Segment ids an `inSegment` condition anywhere in the tree names. */
export function inSegmentReferences(
  tree: ConditionTree | null | undefined,
  into = new Set<number>(),
): Set<number> {
  if (!tree || typeof tree !== "object") return into;
  if ("all" in tree && Array.isArray(tree.all))
    for (const child of tree.all) inSegmentReferences(child, into);
  else if ("any" in tree && Array.isArray(tree.any))
    for (const child of tree.any) inSegmentReferences(child, into);
  else if ("not" in tree) inSegmentReferences(tree.not, into);
  else if ("operator" in tree && tree.operator === "inSegment") {
    for (const value of tree.values ?? []) {
      const id = typeof value === "number" ? value : Number(value);
      if (Number.isInteger(id)) into.add(id);
    }
  }
  return into;
}
