import { describe, expect, it } from "vitest";
import { type CompiledSegment, ConfigError, compileCondition, compileSegment } from "./conditions.js";

const leaf = (attribute: string, operator: string, values: unknown[], negate?: boolean) => ({
  attribute,
  operator,
  values,
  ...(negate === undefined ? {} : { negate }),
});

function matches(tree: unknown, attributes?: Record<string, unknown>, code = "v1"): boolean {
  return compileCondition(tree)(code, attributes);
}

describe("conditions", () => {
  it("never reads inherited object properties as attributes", () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"]) {
      expect(matches(leaf(name, "exists", []), {})).toBe(false);
    }
    const own = JSON.parse('{"__proto__": "x", "constructor": "y"}') as Record<string, unknown>;
    expect(matches(leaf("__proto__", "equals", ["x"]), own)).toBe(true);
    expect(matches(leaf("constructor", "equals", ["y"]), own)).toBe(true);
  });

  it("exposes the visitor code as visitorCode", () => {
    expect(matches(leaf("visitorCode", "startsWith", ["emp-"]), undefined, "emp-7")).toBe(true);
    expect(matches(leaf("visitorCode", "startsWith", ["emp-"]), { visitorCode: "emp-1" }, "v")).toBe(false);
  });

  it("distinguishes negate (needs the attribute) from not (does not)", () => {
    expect(matches(leaf("country", "equals", ["FR"], true), {})).toBe(false);
    expect(matches({ not: leaf("country", "equals", ["FR"]) }, {})).toBe(true);
    expect(matches(leaf("country", "equals", ["FR"], true), { country: "DE" })).toBe(true);
    expect(matches(leaf("country", "exists", [], true), {})).toBe(true);
    expect(matches(leaf("country", "exists", []), { country: null })).toBe(false);
  });

  it("matches array attributes when any element matches", () => {
    expect(matches(leaf("tags", "in", ["beta"]), { tags: ["alpha", "beta"] })).toBe(true);
    expect(matches(leaf("tags", "in", ["beta"]), { tags: [] })).toBe(false);
    expect(matches(leaf("tags", "in", ["beta"], true), { tags: ["alpha"] })).toBe(true);
  });

  it("compares with strict types for equality and numeric parsing for order", () => {
    expect(matches(leaf("n", "equals", ["1"]), { n: 1 })).toBe(false);
    expect(matches(leaf("n", "equals", [1]), { n: 1 })).toBe(true);
    expect(matches(leaf("b", "equals", [true]), { b: true })).toBe(true);
    expect(matches(leaf("b", "equals", ["true"]), { b: true })).toBe(false);
    expect(matches(leaf("n", "gt", ["9.5"]), { n: "10" })).toBe(true);
    expect(matches(leaf("n", "gt", [9.5]), { n: " 1e1 " })).toBe(true);
    expect(matches(leaf("n", "gt", [1]), { n: "0x10" })).toBe(false);
    expect(matches(leaf("n", "gt", [1]), { n: true })).toBe(false);
    expect(matches(leaf("n", "lt", [1, 100]), { n: 50 })).toBe(true); // any value: < 100
  });

  it("reads dates from ISO strings, epoch ms and Date objects", () => {
    const tree = leaf("signup", "before", ["2024-01-01T00:00:00Z"]);
    expect(matches(tree, { signup: "2023-12-31T23:59:59Z" })).toBe(true);
    expect(matches(tree, { signup: Date.parse("2023-12-31T23:59:59Z") })).toBe(true);
    expect(matches(tree, { signup: new Date("2024-06-01T00:00:00Z") })).toBe(false);
    expect(matches(tree, { signup: "last year" })).toBe(false);
  });

  it("rejects malformed trees", () => {
    for (const bad of [
      null,
      [],
      {},
      { all: {} },
      { all: [], any: [] },
      leaf("a", "near", ["x"]),
      leaf("", "equals", ["x"]),
      { attribute: "a", operator: "equals", values: "x" },
      { attribute: "a", operator: "equals", values: ["x"], negate: "yes" },
    ]) {
      expect(() => compileCondition(bad)).toThrow(ConfigError);
    }
    let deep: unknown = leaf("a", "exists", []);
    for (let i = 0; i < 100; i++) deep = { not: deep };
    expect(() => compileCondition(deep)).toThrow(ConfigError);
  });
});

describe("segments", () => {
  function registry(source: Record<string, unknown>): (id: string) => CompiledSegment | undefined {
    const cache = new Map<string, CompiledSegment>();
    const resolve = (id: string): CompiledSegment | undefined => {
      if (!(id in source)) return undefined;
      let s = cache.get(id);
      if (s === undefined) {
        s = compileSegment(id, source[id], resolve);
        cache.set(id, s);
      }
      return s;
    };
    return resolve;
  }

  it("applies exclusion, then inclusion, then the condition", () => {
    const seg = compileSegment(
      "1",
      {
        id: 1,
        condition: leaf("plan", "equals", ["pro"]),
        included: ["vip", "both"],
        excluded: ["banned", "both"],
      },
      () => undefined,
    );
    expect(seg.matches("vip", {})).toBe(true);
    expect(seg.matches("both", { plan: "pro" })).toBe(false);
    expect(seg.matches("banned", { plan: "pro" })).toBe(false);
    expect(seg.matches("other", { plan: "pro" })).toBe(true);
    expect(seg.matches("other", { plan: "free" })).toBe(false);
    expect(compileSegment("2", { id: 2, condition: null }, () => undefined).matches("x", {})).toBe(false);
  });

  it("survives inSegment cycles", () => {
    const resolve = registry({
      "1": { id: 1, condition: { any: [leaf("", "inSegment", [2]), leaf("a", "equals", [1])] } },
      "2": { id: 2, condition: { any: [leaf("", "inSegment", ["1"]), leaf("b", "equals", [1])] } },
      "3": { id: 3, condition: { not: leaf("", "inSegment", [3]) } },
    });
    expect(resolve("1")!.matches("v", { b: 1 })).toBe(true);
    expect(resolve("2")!.matches("v", { a: 1 })).toBe(true);
    expect(resolve("1")!.matches("v", {})).toBe(false);
    expect(resolve("3")!.matches("v", {})).toBe(true); // the inner self-reference is a non-match
  });

  it("reports a malformed segment only when it is used", () => {
    const resolve = registry({
      "1": { id: 1, condition: leaf("a", "bogus", []) },
      "2": { id: 2, condition: leaf("", "inSegment", [1]) },
    });
    expect(resolve("1")!.error).not.toBeNull();
    expect(resolve("2")!.error).toBeNull();
    expect(() => resolve("2")!.matches("v", {})).toThrow(ConfigError);
  });
});
