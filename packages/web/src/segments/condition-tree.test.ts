import { OPERATORS } from "@vexil/engine";
import { describe, expect, it } from "vitest";
import {
  appendAt,
  type ConditionTree,
  fieldErrors,
  nodeAt,
  OPERATOR_LABELS,
  parseValues,
  replaceAt,
  valuesText,
} from "./condition-tree.js";

const leaf = { attribute: "country", operator: "in", values: ["FR"] } as ConditionTree;
const tree: ConditionTree = {
  all: [leaf, { not: { any: [{ attribute: "plan", operator: "exists", values: [] }] } }],
};

describe("condition tree editing", () => {
  it("reads, replaces and removes nodes by path through all/any/not, leaving the original untouched", () => {
    expect(nodeAt(tree, ["all", 1, "not", "any", 0])).toEqual({
      attribute: "plan",
      operator: "exists",
      values: [],
    });
    const replaced = replaceAt(tree, ["all", 0], { attribute: "country", operator: "in", values: ["BE"] });
    expect(nodeAt(replaced as ConditionTree, ["all", 0])).toEqual({
      attribute: "country",
      operator: "in",
      values: ["BE"],
    });
    const removed = replaceAt(tree, ["all", 1, "not", "any", 0], undefined);
    expect(removed).toEqual({ all: [leaf, { not: { any: [] } }] });
    expect(nodeAt(tree, ["all", 1, "not", "any", 0])).toBeDefined();
  });

  it("appends to a nested group", () => {
    const next = appendAt(tree, ["all", 1, "not"], { attribute: "x", operator: "exists", values: [] });
    expect(nodeAt(next, ["all", 1, "not", "any", 1])).toEqual({
      attribute: "x",
      operator: "exists",
      values: [],
    });
  });
});

it("parses values per operator: numbers for comparisons, ids for inSegment, booleans for equals, lines for regexes", () => {
  expect(parseValues("gte", "10, 12.5")).toEqual([10, 12.5]);
  expect(parseValues("inSegment", "3,4")).toEqual([3, 4]);
  expect(parseValues("equals", "true")).toEqual([true]);
  expect(parseValues("matches", "^a,b$\n^c$")).toEqual(["^a,b$", "^c$"]);
  expect(parseValues("exists", "anything")).toEqual([]);
  expect(valuesText("in", ["FR", "BE"])).toBe("FR, BE");
});

it("maps the server's 400 message to errors at each field (segment-validation.ts wording)", () => {
  const errors = fieldErrors(
    "body.condition.all.0.values.0 must be a semantic version (e.g. 1.2.3); body.condition.all.1.not.operator must be one of [...]; name is too long",
  );
  expect(errors.get("all.0")).toEqual({ values: "must be a semantic version (e.g. 1.2.3)" });
  expect(errors.get("all.1.not")).toEqual({ operator: "must be one of [...]" });
  expect(errors.get("")).toEqual({ form: "name is too long" });
});

describe("operator labels", () => {
  it("name every engine operator, each differently", () => {
    expect(Object.keys(OPERATOR_LABELS).sort()).toEqual([...OPERATORS].sort());
    expect(new Set(Object.values(OPERATOR_LABELS)).size).toBe(OPERATORS.length);
  });
});
