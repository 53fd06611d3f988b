import { describe, expect, it } from "vitest";
import { ApiError } from "../http/api-error.js";
import { clausesOfSegment, conditionOfClauses, type SegmentInfo } from "./clauses.js";
import { type LdMappingContext, launchDarklyFlag, type VexilFlag } from "./flag-to-launchdarkly.js";
import { flagInputOf, type LdFlagDocument } from "./launchdarkly-to-flag.js";
import { applySemanticPatch } from "./semantic-patch.js";

// The pure Vexil <-> LaunchDarkly flag mapping. Expected values follow docs/launchdarkly-flags.md.

const segment = (id: number, condition: unknown): SegmentInfo => ({
  id,
  name: `s${id}`,
  condition,
  included: [],
  excluded: [],
});
const segments = new Map<number, SegmentInfo>([
  [1, segment(1, { attribute: "visitorCode", operator: "in", values: ["alice"] })],
  [
    2,
    segment(2, {
      all: [
        { attribute: "country", operator: "equals", values: ["FR"] },
        { attribute: "age", operator: "gte", values: [18] },
      ],
    }),
  ],
  [3, segment(3, { any: [{ attribute: "a", operator: "exists", values: [] }] })],
]);
const context: LdMappingContext = {
  environments: [{ key: "production", name: "Production" }],
  segments,
  clientSideAvailability: { usingEnvironmentId: false, usingMobileKey: true },
  experiments: { baselineIdx: 0, items: [] },
};
const rule = (fields: Record<string, unknown>) => ({ state: "ACTIVE", exposition: 100, ...fields });
const flag = (): VexilFlag =>
  ({
    id: 7,
    featureKey: "f",
    siteCode: "p",
    name: "F",
    description: "",
    tags: [],
    archived: false,
    health: "HEALTHY",
    version: 3,
    variables: [],
    variations: [
      { id: 11, key: "off", name: "Off" },
      { id: 12, key: "on", name: "On" },
    ],
    dateCreated: "2025-01-01T00:00:00.000Z",
    environmentConfigurations: [
      {
        environmentKey: "production",
        featureEnabled: true,
        defaultVariationKey: "off",
        dateModified: "2025-01-02T00:00:00.000Z",
        rolloutRules: [
          rule({
            id: 100,
            type: "TARGETED_DELIVERY",
            name: "Individual targets: on",
            segmentId: 1,
            variationKey: "on",
          }),
          rule({
            id: 101,
            type: "TARGETED_DELIVERY",
            name: "Adults in France",
            segmentId: 2,
            variationKey: "on",
          }),
          rule({
            id: 102,
            type: "PROGRESSIVE_DELIVERY",
            name: "Ramp",
            segmentId: 3,
            variationKey: "on",
            exposition: 30,
            currentExposition: 30,
            state: "PAUSED",
          }),
          rule({
            id: 103,
            type: "EXPERIMENTATION",
            name: "A/B",
            trafficAllocations: [
              { variationKey: "off", exposition: 50 },
              { variationKey: "on", exposition: 50 },
            ],
          }),
        ],
      },
    ],
  }) as unknown as VexilFlag;

const noSegments = () => {
  throw new Error("no segment expected");
};

describe("Vexil -> LaunchDarkly", () => {
  it("maps targets, clauses, partial exposure and the final rollout", () => {
    const ld = launchDarklyFlag(flag(), context);
    const production = ld.environments.production!;
    expect(ld.kind).toBe("boolean");
    expect(ld.variations).toEqual([
      { _id: "11", value: false, name: "Off" },
      { _id: "12", value: true, name: "On" },
    ]);
    expect(production.targets).toEqual([{ values: ["alice"], variation: 1 }]);
    expect(production.rules!.map((r) => r.clauses)).toEqual([
      [
        { attribute: "country", op: "in", values: ["FR"], negate: false },
        { attribute: "age", op: "greaterThanOrEqual", values: [18], negate: false },
      ],
      [{ attribute: "segmentMatch", op: "segmentMatch", values: ["3"], negate: false }],
    ]);
    // 30 % exposed: the rest gets the default variation (weights out of 100,000).
    expect(production.rules![1]!.rollout!.variations).toEqual([
      { variation: 1, weight: 30000 },
      { variation: 0, weight: 70000 },
    ]);
    // The experiment's rollout as LaunchDarkly's SDKs get it (launchdarkly-model), on the user context.
    expect(production.fallthrough).toEqual({
      rollout: {
        variations: [
          { variation: 0, weight: 50000 },
          { variation: 1, weight: 50000 },
        ],
        contextKind: "user",
      },
    });
    expect(production.offVariation).toBe(0);
  });

  it("says a segment LaunchDarkly's clauses cannot express as one segmentMatch clause", () => {
    expect(clausesOfSegment(segments.get(3)!)).toEqual([
      { attribute: "segmentMatch", op: "segmentMatch", values: ["3"], negate: false },
    ]);
    expect(clausesOfSegment({ ...segments.get(2)!, included: ["bob"] })[0]!.op).toBe("segmentMatch");
  });
});

describe("LaunchDarkly -> Vexil", () => {
  it("leaves every Vexil detail alone when the LaunchDarkly document is unchanged", () => {
    const before = flag();
    const ld = launchDarklyFlag(before, context);
    const input = flagInputOf(structuredClone(ld) as unknown as LdFlagDocument, {
      projectKey: "p",
      previous: before,
      previousLd: ld,
      segments,
      segmentFor: noSegments,
    });
    expect(
      (input.environmentConfigurations as VexilFlag["environmentConfigurations"])[0]!.rolloutRules,
    ).toEqual(before.environmentConfigurations[0]!.rolloutRules);
    expect(input.variations).toEqual(before.variations.map((v) => ({ ...v, variables: [] })));
  });

  it("keeps serving the old default when only the off variation changes (a fallthrough rule appears)", () => {
    const before = flag();
    before.environmentConfigurations[0]!.rolloutRules = [];
    const ld = launchDarklyFlag(before, context);
    const next = structuredClone(ld) as unknown as LdFlagDocument;
    next.environments.production!.offVariation = 1;
    const input = flagInputOf(next, {
      projectKey: "p",
      previous: before,
      previousLd: ld,
      segments,
      segmentFor: noSegments,
    });
    const environment = (input.environmentConfigurations as VexilFlag["environmentConfigurations"])[0]!;
    expect(environment.defaultVariationKey).toBe("on");
    expect(environment.rolloutRules).toEqual([
      {
        name: "Fallthrough",
        state: "ACTIVE",
        type: "TARGETED_DELIVERY",
        exposition: 100,
        variationKey: "off",
      },
    ]);
  });

  it("turns clauses into a segment condition and refuses what has no counterpart", () => {
    expect(conditionOfClauses([{ attribute: "key", op: "in", values: ["a"], negate: true }], "c")).toEqual({
      attribute: "visitorCode",
      operator: "in",
      values: ["a"],
      negate: true,
    });
    expect(() =>
      conditionOfClauses(
        [{ attribute: "x", op: "semVerLessThanOrEqual", values: ["1.0.0"], negate: false }],
        "rules.0.clauses",
      ),
    ).toThrow(/rules\.0\.clauses\.0\.op 'semVerLessThanOrEqual'/);
    expect(() =>
      conditionOfClauses(
        [{ attribute: "x", op: "in", values: ["1"], negate: false, contextKind: "org" }],
        "c",
      ),
    ).toThrow(ApiError);
  });
});

describe("semantic patch", () => {
  it("names an unsupported instruction and moves a targeted key between variations", () => {
    const ld = launchDarklyFlag(flag(), context) as unknown as LdFlagDocument;
    expect(() => applySemanticPatch(ld, { instructions: [{ kind: "replaceTargets" }] })).toThrow(
      /instructions\.0\.kind 'replaceTargets' is not supported/,
    );
    const next = applySemanticPatch(ld, {
      environmentKey: "production",
      instructions: [{ kind: "addTargets", variationId: "11", values: ["alice"] }],
    });
    expect(next.environments.production!.targets).toEqual([{ values: ["alice"], variation: 0 }]);
    expect(ld.environments.production!.targets).toEqual([{ values: ["alice"], variation: 1 }]);
  });
});
