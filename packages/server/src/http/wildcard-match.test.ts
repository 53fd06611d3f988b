import { describe, expect, it } from "vitest";
import { wildcardMatch } from "./wildcard-match.js";

/** The backtracking regular expression the matcher replaces: the reference for what matches. */
function reference(text: string, pattern: string, many: string, one?: string): boolean {
  const source = [...pattern]
    .map((c) => (c === many ? ".*" : c === one ? "." : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "s").test(text);
}

describe("wildcardMatch", () => {
  it("agrees with the regular-expression reference on every short text and pattern over a small alphabet", () => {
    // Exhaustive over texts of length <= 4 and patterns of length <= 4 on {a, b, %, _}: every shape of
    // overlap between pieces, prefix and suffix is among them.
    const words = (alphabet: string[], max: number) => {
      const out = [""];
      for (let length = 1; length <= max; length++) {
        for (const prefix of out.filter((w) => w.length === length - 1)) {
          for (const c of alphabet) out.push(prefix + c);
        }
      }
      return out;
    };
    let compared = 0;
    for (const text of words(["a", "b"], 4)) {
      for (const pattern of words(["a", "b", "%", "_"], 4)) {
        expect(wildcardMatch(text, pattern, "%", "_"), `${text} LIKE ${pattern}`).toBe(
          reference(text, pattern, "%", "_"),
        );
        compared++;
      }
    }
    expect(compared).toBe(31 * 341);
  });

  it("globs with only a `many` wildcard, as LaunchDarkly policies write them", () => {
    expect(wildcardMatch("updateOn", "update*", "*")).toBe(true);
    expect(wildcardMatch("createFlag", "*Flag", "*")).toBe(true);
    expect(wildcardMatch("deleteFlag", "update*", "*")).toBe(false);
    expect(wildcardMatch("a_b", "a_b", "*")).toBe(true);
    expect(wildcardMatch("axb", "a_b", "*")).toBe(false);
  });

  it("answers a pattern that makes a backtracking regex explode (20 wildcards over 10,000 characters)", () => {
    // The regex reference takes exponential time here; the matcher scans each piece once.
    const text = "a".repeat(10_000);
    expect(wildcardMatch(text, `${"%a".repeat(20)}%b`, "%", "_")).toBe(false);
    expect(wildcardMatch(text, `${"%_a".repeat(20)}%`, "%", "_")).toBe(true);
  });
});
