import { describe, expect, it } from "vitest";
import { LruMap } from "../src/lru.js";
import { VISIT_TIMEOUT_MS, VisitTracker } from "../src/visits.js";

describe("VisitTracker", () => {
  it("keeps a visit while events come, renews it after 30 minutes without any", () => {
    let n = 0;
    const visits = new VisitTracker(100, VISIT_TIMEOUT_MS, () => `v${++n}`);
    const t0 = 1_000_000;
    expect(visits.current("alice", t0)).toBeUndefined();
    expect(visits.touch("alice", t0).id).toBe("v1");
    expect(visits.touch("alice", t0 + 29 * 60_000).id).toBe("v1"); // extends the visit
    expect(visits.touch("alice", t0 + 58 * 60_000).id).toBe("v1"); // 29 min after the last event
    expect(visits.current("alice", t0 + 58 * 60_000 + VISIT_TIMEOUT_MS - 1)?.id).toBe("v1");
    expect(visits.current("alice", t0 + 58 * 60_000 + VISIT_TIMEOUT_MS)).toBeUndefined();
    expect(visits.touch("alice", t0 + 58 * 60_000 + VISIT_TIMEOUT_MS).id).toBe("v2");
    expect(visits.touch("bob", t0).id).toBe("v3"); // per visitor
  });

  it("current() records no activity", () => {
    const visits = new VisitTracker(100, 1000, () => "id");
    visits.touch("a", 0);
    for (let t = 0; t < 5000; t += 100) visits.current("a", t);
    expect(visits.current("a", 1000)).toBeUndefined();
  });

  it("is bounded: the least recently active visitors are forgotten", () => {
    let n = 0;
    const visits = new VisitTracker(2, VISIT_TIMEOUT_MS, () => `v${++n}`);
    visits.touch("a", 0);
    visits.touch("b", 0);
    visits.touch("a", 1);
    visits.touch("c", 2); // evicts b
    expect(visits.size).toBe(2);
    expect(visits.current("a", 3)?.id).toBe("v1");
    expect(visits.current("b", 3)).toBeUndefined();
  });
});

describe("LruMap", () => {
  it("evicts the least recently used entry", () => {
    const lru = new LruMap<string, number>(3);
    lru.set("a", 1);
    lru.set("b", 2);
    lru.set("c", 3);
    expect(lru.get("a")).toBe(1); // a is now the most recent
    lru.set("d", 4); // evicts b
    expect(lru.has("b")).toBe(false);
    expect([lru.get("a"), lru.get("c"), lru.get("d")]).toEqual([1, 3, 4]);
    expect(lru.size).toBe(3);
  });
});
