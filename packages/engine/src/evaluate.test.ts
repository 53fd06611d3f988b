import { describe, expect, it } from "vitest";
import { createEvaluator, evaluateFlag } from "./evaluate.js";
import type { CompiledFlag, CompiledRule, EvaluationPayload } from "./types.js";

function payloadOf(
  flag: Partial<CompiledFlag>,
  segments: EvaluationPayload["segments"] = {},
): EvaluationPayload {
  const full: CompiledFlag = {
    id: 1,
    key: "f",
    version: 1,
    enabled: true,
    defaultVariationKey: "off",
    variables: [{ key: "on", type: "BOOLEAN", value: "false" }],
    variations: [
      { key: "off", variables: [] },
      { key: "on", variables: [{ key: "on", type: "BOOLEAN", value: "true" }] },
      { key: "b", variables: [] },
    ],
    rules: [],
    ...flag,
  };
  return { version: 1, projectKey: "p", environmentKey: "e", flags: { f: full }, segments };
}

const visitors = Array.from({ length: 20_000 }, (_, i) => `visitor-${i}`);

describe("evaluation", () => {
  it("raising a rule's exposition only adds visitors", () => {
    const entered = (exposition: number) => {
      const ev = createEvaluator(
        payloadOf({
          rules: [{ id: 5, type: "TARGETED_DELIVERY", exposition, state: "ACTIVE", variationKey: "on" }],
        }),
      );
      return new Set(visitors.filter((code) => ev.evaluate("f", { code }, 0).variationKey === "on"));
    };
    let previous = new Set<string>();
    for (const exposition of [0, 0.001, 1, 5, 12.345, 33, 50, 50.001, 90, 99.999, 100]) {
      const now = entered(exposition);
      for (const code of previous) expect(now.has(code)).toBe(true);
      expect(Math.abs(now.size / visitors.length - exposition / 100)).toBeLessThan(0.012);
      previous = now;
    }
    expect(previous.size).toBe(visitors.length);
  });

  it("a ramp only adds visitors as time passes", () => {
    const ev = createEvaluator(
      payloadOf({
        rules: [
          {
            id: 6,
            type: "PROGRESSIVE_DELIVERY",
            exposition: 0,
            state: "ACTIVE",
            variationKey: "on",
            rolloutConfiguration: {
              type: "PROGRESSIVE_EXPOSURE",
              percentageRange: { start: 5, stop: 100 },
              increaseBy: 20,
              frequency: { unit: "Hours", value: 1 },
              releaseDateTime: "2024-01-01T00:00:00Z",
            },
          },
        ],
      }),
    );
    let previous = new Set<string>();
    for (let h = 0; h <= 6; h++) {
      const t = Date.parse("2024-01-01T00:30:00Z") + h * 3_600_000;
      const now = new Set(visitors.filter((code) => ev.evaluate("f", { code }, t).variationKey === "on"));
      for (const code of previous) expect(now.has(code)).toBe(true);
      previous = now;
    }
    expect(previous.size).toBe(visitors.length);
  });

  it("an experiment's variation does not depend on the rule's exposition, and respool reshuffles", () => {
    const experiment = (exposition: number, respoolTime?: number): CompiledRule => ({
      id: 7,
      type: "EXPERIMENTATION",
      exposition,
      state: "ACTIVE",
      experimentId: 70,
      respoolTime,
      trafficAllocations: [
        { variationKey: "off", exposition: 50 },
        { variationKey: "on", exposition: 50 },
      ],
    });
    const small = createEvaluator(payloadOf({ rules: [experiment(30)] }));
    const large = createEvaluator(payloadOf({ rules: [experiment(80)] }));
    const respooled = createEvaluator(payloadOf({ rules: [experiment(80, 1717000000000)] }));
    let changed = 0;
    for (const code of visitors) {
      const a = small.evaluate("f", { code }, 0);
      const b = large.evaluate("f", { code }, 0);
      if (a.reason === "SPLIT") expect(b.variationKey).toBe(a.variationKey);
      const c = respooled.evaluate("f", { code }, 0);
      if (b.reason === "SPLIT" && c.variationKey !== b.variationKey) changed++;
    }
    // Independent draws: about half of the visitors move.
    expect(changed / visitors.length).toBeGreaterThan(0.3);
  });

  it("splits in proportion to the allocations, leaving the rest to the next rule", () => {
    const ev = createEvaluator(
      payloadOf({
        rules: [
          {
            id: 8,
            type: "EXPERIMENTATION",
            exposition: 100,
            state: "ACTIVE",
            experimentId: 80,
            trafficAllocations: [
              { variationKey: "off", exposition: 10 },
              { variationKey: "on", exposition: 30 },
              { variationKey: "b", exposition: 20 },
            ],
          },
          { id: 9, type: "TARGETED_DELIVERY", exposition: 100, state: "ACTIVE", variationKey: "on" },
        ],
      }),
    );
    const counts: Record<string, number> = {};
    for (const code of visitors) {
      const r = ev.evaluate("f", { code }, 0);
      const k = `${r.reason}:${r.variationKey}`;
      counts[k] = (counts[k] ?? 0) + 1;
    }
    const share = (k: string) => (counts[k] ?? 0) / visitors.length;
    expect(share("SPLIT:off")).toBeCloseTo(0.1, 1);
    expect(share("SPLIT:on")).toBeCloseTo(0.3, 1);
    expect(share("SPLIT:b")).toBeCloseTo(0.2, 1);
    expect(share("TARGETING_MATCH:on")).toBeCloseTo(0.4, 1);
  });

  it("returns frozen, shared results and the same answers through both APIs", () => {
    const payload = payloadOf({
      rules: [{ id: 5, type: "TARGETED_DELIVERY", exposition: 50, state: "ACTIVE", variationKey: "on" }],
    });
    const ev = createEvaluator(payload);
    const r = ev.evaluate("f", { code: "a" }, 0);
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.variables)).toBe(true);
    for (const code of visitors.slice(0, 500))
      expect(evaluateFlag(payload, "f", { code }, 0)).toEqual(ev.evaluate("f", { code }, 0));
    expect(ev.evaluate("f", { code: "a" }, new Date(0))).toBe(ev.evaluate("f", { code: "a" }, 0));
  });

  it("evaluates every flag at once", () => {
    const payload = payloadOf({});
    payload.flags.g = { ...payload.flags.f!, key: "g", enabled: false };
    const all = createEvaluator(payload).evaluateAll({ code: "v" });
    expect(Object.keys(all)).toEqual(["f", "g"]);
    expect(all.f!.reason).toBe("DEFAULT");
    expect(all.g!.reason).toBe("DISABLED");
  });

  it("answers GENERAL instead of throwing when the visitor object misbehaves", () => {
    const ev = createEvaluator(
      payloadOf(
        {
          rules: [
            {
              id: 1,
              type: "TARGETED_DELIVERY",
              exposition: 100,
              state: "ACTIVE",
              segmentId: 1,
              variationKey: "on",
            },
          ],
        },
        {
          "1": { id: 1, condition: { attribute: "x", operator: "exists", values: [] } },
        },
      ),
    );
    const attributes = {
      get x(): never {
        throw new Error("boom");
      },
    };
    const r = ev.evaluate("f", { code: "v", attributes }, 0);
    expect(r).toMatchObject({ variationKey: "off", reason: "ERROR", errorCode: "GENERAL" });
    expect(ev.evaluate("f", { code: "v" }, Number.NaN)).toMatchObject({
      reason: "ERROR",
      errorCode: "GENERAL",
    });
  });

  it("never throws on garbage", () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 48271) + 11) >>> 0;
      return seed % n;
    };
    const atoms: unknown[] = [
      null,
      undefined,
      0,
      -1,
      1.5,
      Number.NaN,
      "",
      "x",
      "ACTIVE",
      "EXPERIMENTATION",
      true,
      [],
      {},
      "2024-01-01",
    ];
    const garbage = (depth: number): unknown => {
      const pick = rnd(depth > 3 ? 1 : 3);
      if (pick === 0) return atoms[rnd(atoms.length)];
      if (pick === 1) return Array.from({ length: rnd(4) }, () => garbage(depth + 1));
      const keys = [
        "id",
        "type",
        "state",
        "exposition",
        "rules",
        "variations",
        "key",
        "enabled",
        "defaultVariationKey",
        "segmentId",
        "condition",
        "all",
        "not",
        "attribute",
        "operator",
        "values",
        "trafficAllocations",
        "experimentId",
        "release",
        "rolloutConfiguration",
        "variables",
        "value",
      ];
      const o: Record<string, unknown> = {};
      for (let i = rnd(6); i > 0; i--) o[keys[rnd(keys.length)]!] = garbage(depth + 1);
      return o;
    };
    for (let i = 0; i < 3000; i++) {
      const payload = {
        flags: { f: garbage(0), g: payloadOf({ rules: garbage(1) as CompiledRule[] }).flags.f },
        segments: { "1": garbage(0) },
      } as unknown as EvaluationPayload;
      const visitor = (rnd(2) === 0 ? { code: "v", attributes: garbage(1) } : garbage(0)) as never;
      for (const key of ["f", "g", "h"]) {
        const r = evaluateFlag(payload, key, visitor, rnd(2) === 0 ? 0 : (atoms[rnd(atoms.length)] as never));
        expect(["TARGETING_MATCH", "SPLIT", "DEFAULT", "DISABLED", "ERROR"]).toContain(r.reason);
        expect(typeof r.variationKey).toBe("string");
      }
    }
    expect(evaluateFlag(null as never, "f", { code: "v" })).toMatchObject({
      reason: "ERROR",
      errorCode: "PARSE_ERROR",
    });
  });
});
