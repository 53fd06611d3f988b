import { describe, expect, it } from "vitest";
import { decodeVariable, resolveVariables, UNDECODABLE } from "./variables.js";

describe("variables", () => {
  it("decodes each type", () => {
    expect(decodeVariable("BOOLEAN", "true")).toBe(true);
    expect(decodeVariable("BOOLEAN", "FALSE")).toBe(false);
    expect(decodeVariable("BOOLEAN", "yes")).toBe(UNDECODABLE);
    expect(decodeVariable("NUMBER", "12.5")).toBe(12.5);
    expect(decodeVariable("NUMBER", "-3e2")).toBe(-300);
    expect(decodeVariable("NUMBER", "")).toBe(UNDECODABLE);
    expect(decodeVariable("NUMBER", "0x1F")).toBe(UNDECODABLE);
    expect(decodeVariable("JSON", '{"a":[1,2]}')).toEqual({ a: [1, 2] });
    expect(decodeVariable("JSON", "null")).toBeNull();
    expect(decodeVariable("JSON", "{nope")).toBe(UNDECODABLE);
    expect(decodeVariable("STRING", "true")).toBe("true");
    expect(decodeVariable("JS", "alert(1)")).toBe("alert(1)");
    expect(decodeVariable("CSS", ".a{}")).toBe(".a{}");
    expect(decodeVariable("DATE", "x")).toBe(UNDECODABLE);
  });

  it("lets a variation override and extend the flag-level variables", () => {
    const { values, complete } = resolveVariables(
      [
        { key: "color", type: "STRING", value: "grey" },
        { key: "limit", type: "NUMBER", value: "10" },
      ],
      [
        { key: "limit", value: "20" }, // type inherited from the flag level
        { key: "extra", type: "JSON", value: '{"x":true}' },
      ],
    );
    expect(complete).toBe(true);
    expect(values).toEqual({ color: "grey", limit: 20, extra: { x: true } });
    expect(Object.isFrozen(values)).toBe(true);
    expect(Object.isFrozen(values.extra)).toBe(true);
  });

  it("leaves undecodable variables out and says so", () => {
    const r = resolveVariables(
      [
        { key: "n", type: "NUMBER", value: "ten" },
        { key: "s", type: "STRING", value: "ok" },
      ],
      [],
    );
    expect(r.complete).toBe(false);
    expect(r.values).toEqual({ s: "ok" });
  });

  it("keeps a variable named __proto__ as a plain key", () => {
    const r = resolveVariables([{ key: "__proto__", type: "STRING", value: "x" }], []);
    expect(Object.keys(r.values)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(r.values)).toBe(Object.prototype);
  });
});
