import { describe, expect, it } from "vitest";
import { referenceHash } from "../test/reference.js";
import { murmurhash3, murmurhash3Prefix, murmurhash3WithPrefix } from "./murmurhash3.js";

// Published MurmurHash3_x86_32 vectors (SMHasher's reference implementation).
const PUBLISHED: [string, number, number][] = [
  ["", 0, 0],
  ["", 1, 0x514e28b7],
  ["", 0xffffffff, 0x81f16f39],
  ["\0\0\0\0", 0, 0x2362f9de],
  ["a", 0x9747b28c, 0x7fa09ea6],
  ["ab", 0x9747b28c, 0x74875592],
  ["abc", 0x9747b28c, 0xc84a62dd],
  ["abcd", 0x9747b28c, 0xf0478627],
  ["aaaa", 0x9747b28c, 0x5a97808a],
  ["Hello, world!", 0x9747b28c, 0x24884cba],
  ["ππππππππ", 0x9747b28c, 0xd58063c1],
  ["abc", 0, 0xb3dd93fa],
  ["hello", 0, 0x248bfa47],
  ["The quick brown fox jumps over the lazy dog", 0, 0x2e4ff723],
  ["The quick brown fox jumps over the lazy dog", 0x9747b28c, 0x2fa826cd],
  ["abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 0, 0xee925b90],
];

describe("murmurhash3", () => {
  it.each(PUBLISHED)("%j seed %d", (input, seed, expected) => {
    expect(murmurhash3(input, seed)).toBe(expected);
    expect(referenceHash(input, seed)).toBe(expected);
  });

  const samples = [
    "visitor-1",
    "café",
    "Ærøskøbing",
    "東京都",
    "用户-42",
    "👩🏽‍💻",
    "mix é 漢 🎉 end",
    "\u007f\u0080\u07ff\u0800\uffff",
    "𝄞 clef",
    "lone \ud800 high",
    "lone \udc00 low",
    "trailing high \ud83d",
  ];

  it.each(samples)("agrees with TextEncoder over UTF-8 for %j", (s) => {
    expect(murmurhash3(s)).toBe(referenceHash(s));
  });

  it("agrees with the reference on random strings of every length and plane", () => {
    let seed = 1;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 48271) + 1) >>> 0;
      return seed % n;
    };
    const ranges = [0x7f, 0x7ff, 0xffff, 0x10ffff];
    for (let i = 0; i < 2000; i++) {
      let s = "";
      const len = rnd(24);
      for (let j = 0; j < len; j++) s += String.fromCodePoint(rnd(ranges[rnd(4)]!) + 1);
      expect(murmurhash3(s)).toBe(referenceHash(s));
    }
  });

  it("continues a precomputed prefix at any alignment", () => {
    for (const prefix of ["", "r", "ru", "rul", "rule:12:", "exp:9:é:", "🎉"]) {
      const state = murmurhash3Prefix(prefix);
      for (const suffix of ["", "a", "abcd", "ünïcødé", "東京", "🎉🎉"]) {
        expect(murmurhash3WithPrefix(state, suffix)).toBe(murmurhash3(prefix + suffix));
      }
    }
  });
});
