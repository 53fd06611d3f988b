import { describe, expect, it } from "vitest";
import { diffFlags, PayloadStore, parsePayload, parseStreamMessage } from "../src/payload-store.js";
import { experimentFlag, samplePayload, targetedFlag } from "./fixtures.js";

function storeAt(version: number): PayloadStore {
  const store = new PayloadStore();
  store.apply({ kind: "put", payload: samplePayload(version) });
  return store;
}

describe("PayloadStore versions and tombstones", () => {
  it("ignores patches before any payload", () => {
    const store = new PayloadStore();
    expect(
      store.apply({
        kind: "patch-flag",
        key: "x",
        version: 5,
        flag: experimentFlag({ key: "x" }),
        segments: {},
      }).applied,
    ).toBe(false);
    expect(store.payload).toBeNull();
  });

  it("applies a newer flag patch, ignores one not newer than the payload or the key", () => {
    const store = storeAt(10);
    const edited = experimentFlag({ version: 2, enabled: false });
    expect(
      store.apply({ kind: "patch-flag", key: "checkout", version: 10, flag: edited, segments: {} }).applied,
    ).toBe(false);
    const applied = store.apply({
      kind: "patch-flag",
      key: "checkout",
      version: 12,
      flag: edited,
      segments: {},
    });
    expect(applied).toEqual({ applied: true, changedFlags: ["checkout"] });
    expect(store.payload!.flags.checkout!.enabled).toBe(false);
    expect(store.payload!.version).toBe(12);
    expect(store.heldVersion("flag", "checkout")).toBe(12);
    // A late patch older than what the key holds is ignored, even if newer than the payload's base version.
    const late = experimentFlag({ version: 1 });
    expect(
      store.apply({ kind: "patch-flag", key: "checkout", version: 11, flag: late, segments: {} }).applied,
    ).toBe(false);
    expect(store.payload!.flags.checkout!.enabled).toBe(false);
    // Other keys still compare against the payload's base version.
    expect(store.heldVersion("flag", "banner")).toBe(10);
    expect(
      store.apply({
        kind: "patch-flag",
        key: "banner",
        version: 11,
        flag: targetedFlag({ enabled: false }),
        segments: {},
      }).applied,
    ).toBe(true);
  });

  it("keeps a tombstone: an older patch arriving after a delete does not resurrect the flag", () => {
    const store = storeAt(10);
    expect(store.apply({ kind: "delete", target: "flag", key: "checkout", version: 13 })).toEqual({
      applied: true,
      changedFlags: ["checkout"],
    });
    expect(store.payload!.flags.checkout).toBeUndefined();
    expect(
      store.apply({ kind: "patch-flag", key: "checkout", version: 12, flag: experimentFlag(), segments: {} })
        .applied,
    ).toBe(false);
    expect(store.apply({ kind: "delete", target: "flag", key: "checkout", version: 13 }).applied).toBe(false);
    expect(store.payload!.flags.checkout).toBeUndefined();
    // A newer patch (unarchived) brings it back.
    expect(
      store.apply({ kind: "patch-flag", key: "checkout", version: 14, flag: experimentFlag(), segments: {} })
        .applied,
    ).toBe(true);
    expect(store.payload!.flags.checkout).toBeDefined();
  });

  it("a full payload resets versions and tombstones", () => {
    const store = storeAt(10);
    store.apply({ kind: "delete", target: "flag", key: "checkout", version: 20 });
    store.apply({ kind: "put", payload: samplePayload(21) });
    expect(store.heldVersion("flag", "checkout")).toBe(21);
    expect(
      store.apply({ kind: "patch-flag", key: "checkout", version: 21, flag: experimentFlag(), segments: {} })
        .applied,
    ).toBe(false);
    expect(
      store.apply({ kind: "patch-flag", key: "checkout", version: 22, flag: experimentFlag(), segments: {} })
        .applied,
    ).toBe(true);
  });

  it("segment patches change the flags using them (directly or through inSegment), with their own versions", () => {
    const base = samplePayload(10);
    base.segments["8"] = { id: 8, condition: { attribute: "plan", operator: "inSegment", values: [7] } };
    base.flags.pro = targetedFlag({
      key: "pro",
      rules: [
        {
          id: 31,
          type: "TARGETED_DELIVERY",
          exposition: 100,
          state: "ACTIVE",
          segmentId: 8,
          variationKey: "on",
        },
      ],
    });
    const store = new PayloadStore();
    store.apply({ kind: "put", payload: base });
    const segment = {
      id: 7,
      condition: { attribute: "country", operator: "equals" as const, values: ["DE"] },
    };
    const result = store.apply({ kind: "patch-segment", key: "7", version: 11, segment });
    expect(result.applied).toBe(true);
    expect(result.changedFlags.sort()).toEqual(["banner", "pro"]);
    expect(store.apply({ kind: "patch-segment", key: "7", version: 11, segment }).applied).toBe(false);
    // The same content again at a newer version: applied, but nothing changed.
    expect(store.apply({ kind: "patch-segment", key: "7", version: 12, segment })).toEqual({
      applied: true,
      changedFlags: [],
    });
    // A flag patch's segments obey their own versions: segment 7 is held at 12, this copy (13) applies,
    // the next flag patch's copy (14 > banner's 13, but segment 7 is then held at 15) does not.
    const italy = { id: 7, condition: { attribute: "country", operator: "equals" as const, values: ["IT"] } };
    store.apply({
      kind: "patch-flag",
      key: "banner",
      version: 13,
      flag: targetedFlag({ version: 2 }),
      segments: { "7": italy },
    });
    expect(JSON.stringify(store.payload!.segments["7"])).toContain("IT");
    store.apply({ kind: "patch-segment", key: "7", version: 15, segment });
    const flagPatch = store.apply({
      kind: "patch-flag",
      key: "banner",
      version: 14,
      flag: targetedFlag({ version: 3 }),
      segments: { "7": italy },
    });
    expect(flagPatch.applied).toBe(true);
    expect(JSON.stringify(store.payload!.segments["7"])).toContain("DE");
    expect(store.apply({ kind: "delete", target: "segment", key: "7", version: 15 }).applied).toBe(false);
    store.apply({ kind: "delete", target: "segment", key: "7", version: 16 });
    expect(store.payload!.segments["7"]).toBeUndefined();
    expect(store.apply({ kind: "patch-segment", key: "7", version: 16, segment }).applied).toBe(false);
  });

  it("never mutates a payload it handed out", () => {
    const store = storeAt(1);
    const before = store.payload!;
    const snapshot = JSON.stringify(before);
    store.apply({
      kind: "patch-flag",
      key: "checkout",
      version: 2,
      flag: experimentFlag({ enabled: false }),
      segments: {},
    });
    store.apply({ kind: "delete", target: "flag", key: "banner", version: 3 });
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(store.payload).not.toBe(before);
  });

  it("treats a __proto__ key as a plain key", () => {
    const store = storeAt(1);
    store.apply({
      kind: "patch-flag",
      key: "__proto__",
      version: 2,
      flag: experimentFlag({ key: "__proto__" }),
      segments: {},
    });
    expect(Object.hasOwn(store.payload!.flags, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(store.payload!.flags)).toBe(Object.prototype);
  });
});

describe("diffFlags", () => {
  it("lists added, removed, edited flags and the users of an edited segment", () => {
    const a = samplePayload(1);
    const b = samplePayload(2);
    delete b.flags.legacy;
    b.flags.fresh = targetedFlag({ key: "fresh", rules: [] });
    b.flags.checkout = experimentFlag({ enabled: false });
    b.segments["7"] = { id: 7, condition: null };
    expect(diffFlags(a, b).sort()).toEqual(["banner", "checkout", "fresh", "legacy"]);
    expect(diffFlags(a, samplePayload(3))).toEqual([]);
  });
});

describe("message parsing", () => {
  it("reads put, patch and delete; refuses malformed ones", () => {
    expect(parseStreamMessage("put", JSON.stringify(samplePayload(3)))).toMatchObject({ kind: "put" });
    expect(
      parseStreamMessage(
        "patch",
        JSON.stringify({ kind: "flag", key: "checkout", version: 4, flag: experimentFlag(), segments: {} }),
      ),
    ).toMatchObject({ kind: "patch-flag", key: "checkout", version: 4 });
    expect(
      parseStreamMessage(
        "patch",
        JSON.stringify({ kind: "segment", key: 7, version: 4, segment: { id: 7, condition: null } }),
      ),
    ).toMatchObject({
      kind: "patch-segment",
      key: "7",
    });
    expect(parseStreamMessage("delete", '{"kind":"flag","key":"x","version":5}')).toEqual({
      kind: "delete",
      target: "flag",
      key: "x",
      version: 5,
    });
    expect(() => parseStreamMessage("put", "{not json")).toThrow();
    expect(() => parseStreamMessage("put", '{"version":"1","flags":{}}')).toThrow(/version/);
    expect(() => parseStreamMessage("patch", '{"kind":"flag","key":"x","version":5}')).toThrow(
      /flag missing/,
    );
    expect(() => parseStreamMessage("delete", '{"kind":"rule","key":"x","version":5}')).toThrow(/kind/);
    expect(parsePayload({ version: 1, flags: {} }).segments).toEqual({});
  });
});
