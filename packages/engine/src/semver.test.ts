import { describe, expect, it } from "vitest";
import { compareSemver, parseSemver } from "./semver.js";

function cmp(a: string, b: string): number {
  return Math.sign(compareSemver(parseSemver(a)!, parseSemver(b)!));
}

describe("semver", () => {
  it("orders the semver.org section 11 example chain", () => {
    const chain = [
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-alpha.beta",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
      "1.0.0",
      "2.0.0",
      "2.1.0",
      "2.1.1",
    ];
    for (let i = 0; i < chain.length; i++) {
      for (let j = 0; j < chain.length; j++) expect(cmp(chain[i]!, chain[j]!)).toBe(Math.sign(i - j));
    }
  });

  it("compares numerically, not lexically, and without precision loss", () => {
    expect(cmp("1.10.0", "1.9.0")).toBe(1);
    expect(cmp("1.0.0-rc.10", "1.0.0-rc.9")).toBe(1);
    expect(cmp("1.0.0-2", "1.0.0-10")).toBe(-1);
    expect(cmp("1.0.0-10", "1.0.0-alpha")).toBe(-1); // numeric < alphanumeric
    expect(cmp("9007199254740993.0.0", "9007199254740992.0.0")).toBe(1);
  });

  it("ignores build metadata and tolerates v prefixes and short forms", () => {
    expect(cmp("1.0.0+build.5", "1.0.0+other")).toBe(0);
    expect(cmp("v1.2.3", "1.2.3")).toBe(0);
    expect(cmp("2", "2.0.0")).toBe(0);
    expect(cmp("2.1", "2.1.0")).toBe(0);
    expect(cmp("1.0.0-Alpha", "1.0.0-alpha")).toBe(-1); // ASCII: uppercase sorts first
  });

  it("rejects what is not a version", () => {
    for (const bad of [
      "",
      "1.2.3.4",
      "1..2",
      "a.b.c",
      "1.2.3-",
      "1.2.3-a..b",
      "1.2.3+",
      " ",
      "1.2.3 beta",
      123,
      null,
    ]) {
      expect(parseSemver(bad)).toBeUndefined();
    }
  });
});
