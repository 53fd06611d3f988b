import { describe, expect, it } from "vitest";
import { compileSafeRegex, MAX_INPUT_LENGTH, MAX_PATTERN_LENGTH } from "./regex.js";

function test(pattern: string, input: string): boolean | undefined {
  return compileSafeRegex(pattern)?.test(input);
}

describe("safe regex", () => {
  // Differential check against the host's RegExp (u flag: both work on code points).
  const patterns = [
    "abc",
    "^abc$",
    "a.c",
    "^https?://(www\\.)?example\\.com/",
    "\\d{3}-\\d{4}",
    "^[A-Z][a-z]+$",
    "[^aeiou]+$",
    "colou?r",
    "(cat|dog)s?$",
    "^(?:ab|cd)*$",
    "a{2,3}",
    "^a{2}$",
    "^a{2,}$",
    "\\bfoo\\b",
    "\\Bfoo",
    "\\s+\\S",
    "^\\w+@\\w+\\.\\w{2,}$",
    "[\\d\\-]+",
    "[a-c\\s]x",
    "^$",
    "x*",
    "é+",
    "^.{3}$",
    "[😀-😂]",
    "\\u00e9|\\x41",
    "(a|ab)(c|bcd)(d*)",
    "^(?<year>\\d{4})-\\d{2}$",
    "a+?b",
    "[.]",
    "\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\/\\^\\$",
  ];
  const inputs = [
    "",
    "abc",
    "xabcx",
    "abbc",
    "a-c",
    "https://www.example.com/x",
    "http://example.com/",
    "https://example.org/",
    "555-1234",
    "Hello",
    "hello",
    "rhythm",
    "color",
    "colour",
    "dogs",
    "cat",
    "abcdab",
    "aaa",
    "a",
    "foo bar",
    "xfoo",
    "  y",
    "me@site.io",
    "12-34",
    "b x",
    "café",
    "😁",
    "éA",
    "abcd",
    "2024-05",
    "aab",
    ".",
    ".*+?()[]{}|/^$",
    "line\nbreak",
  ];
  it.each(patterns)("agrees with RegExp for /%s/u", (pattern) => {
    const native = new RegExp(pattern, "u");
    for (const input of inputs)
      expect([pattern, input, test(pattern, input)]).toEqual([pattern, input, native.test(input)]);
  });

  it("supports a leading (?i) for case-insensitive patterns", () => {
    expect(test("(?i)^chrome", "Chrome/120")).toBe(true);
    expect(test("(?i)[a-c]+$", "ABC")).toBe(true);
    expect(test("(?i)straße", "STRAßE")).toBe(true);
    expect(test("^chrome", "Chrome/120")).toBe(false);
  });

  it("stays linear on patterns that make backtracking engines explode", () => {
    const evil = "a".repeat(MAX_INPUT_LENGTH - 1) + "!";
    for (const p of [
      "(a+)+$",
      "(a*)*b",
      "(a|aa)+$",
      "(a|a)*c",
      "^(\\w+\\s?)*$",
      ".*.*.*.*x",
      "^(a?){30}a{30}$",
    ]) {
      expect([p, test(p, evil)]).toEqual([p, false]);
      // Same answers as RegExp on inputs short enough for RegExp to finish.
      for (const short of ["aaaa!", "aaaa", "ab", "a b", ""]) {
        expect([p, short, test(p, short)]).toEqual([p, short, new RegExp(p, "u").test(short)]);
      }
    }
    expect(test("^(a?){30}a{30}$", "a".repeat(30))).toBe(true);
    expect(test("^(a?){30}a{30}$", "a".repeat(29))).toBe(false);
  });

  it("rejects backreferences, lookaround, unsupported escapes and oversized patterns", () => {
    for (const p of [
      "(a)\\1",
      "(?<x>a)\\k<x>",
      "a(?=b)",
      "a(?!b)",
      "(?<=a)b",
      "(?<!a)b",
      "\\p{L}",
      "a**",
      "*a",
      "(a",
      "a)",
      "[a",
      "[z-a]",
      "a{5,2}",
      "a{1000}",
      "(a{100}){100}",
      "^*",
      "\\",
      "a".repeat(MAX_PATTERN_LENGTH + 1),
    ]) {
      expect([p, compileSafeRegex(p)]).toEqual([p, undefined]);
    }
  });

  it("does not match inputs over the length bound", () => {
    expect(test("a", "a".repeat(MAX_INPUT_LENGTH))).toBe(true);
    expect(test("a", "a".repeat(MAX_INPUT_LENGTH + 1))).toBe(false);
  });

  it("compiles a pattern once", () => {
    expect(compileSafeRegex("^cached$")).toBe(compileSafeRegex("^cached$"));
  });
});
