import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { launchDarklyBucket } from "./bucketing.js";
import { sha1Head } from "./sha1.js";

// node:crypto is the independent reference here: the engine cannot use it (browsers), tests can.
const nodeHead = (s: string) => {
  const hex = createHash("sha1").update(s, "utf8").digest("hex");
  return [Number.parseInt(hex.slice(0, 8), 16), Number.parseInt(hex.slice(8, 16), 16)];
};

describe("sha1Head", () => {
  it("agrees with node:crypto on ASCII, non-ASCII, lone surrogates and block-boundary lengths", () => {
    const inputs = [
      "",
      "abc",
      "Zoë",
      "ユーザー",
      "🦄",
      "\ud800x",
      "x\udc00",
      ...[55, 56, 63, 64, 65, 119, 120, 200].map((n) => "a".repeat(n)),
    ];
    for (const s of inputs) expect(sha1Head(s)).toEqual(nodeHead(s));
  });

  it("gives LaunchDarkly's bucket: parseInt of the first 15 hex digits over 0xFFFFFFFFFFFFFFF", () => {
    for (let i = 0; i < 2000; i++) {
      const input = `flag-${i % 7}.salt.visitor-${i}`;
      const hex = createHash("sha1").update(input, "utf8").digest("hex");
      const [prefix, value] = [
        input.slice(0, input.lastIndexOf(".")),
        input.slice(input.lastIndexOf(".") + 1),
      ];
      expect(launchDarklyBucket(prefix, value)).toBe(
        Number.parseInt(hex.slice(0, 15), 16) / 2 ** 60, // 0xFFFFFFFFFFFFFFF as a double
      );
    }
  });
});
