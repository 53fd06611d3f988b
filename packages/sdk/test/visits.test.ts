import { describe, expect, it } from "vitest";
import { visitIdGenerator } from "../src/ids.js";
import { VISIT_TIMEOUT_MS, VisitTracker } from "../src/visits.js";

describe("VisitTracker", () => {
  it("keeps a visit while events come, renews it after 30 minutes without any", () => {
    let n = 0;
    const visits = new VisitTracker(100, VISIT_TIMEOUT_MS, () => `v${++n}`);
    const t0 = 1_000_000;
    expect(visits.current("alice", t0)).toBeUndefined();
    expect(visits.touch("alice", t0)).toBe("v1");
    expect(visits.touch("alice", t0 + 29 * 60_000)).toBe("v1"); // extends the visit
    expect(visits.touch("alice", t0 + 58 * 60_000)).toBe("v1"); // 29 min after the last event
    expect(visits.current("alice", t0 + 58 * 60_000 + VISIT_TIMEOUT_MS - 1)).toBe("v1");
    expect(visits.current("alice", t0 + 58 * 60_000 + VISIT_TIMEOUT_MS)).toBeUndefined();
    expect(visits.touch("alice", t0 + 58 * 60_000 + VISIT_TIMEOUT_MS)).toBe("v2");
    expect(visits.touch("bob", t0)).toBe("v3"); // per visitor
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
    expect(visits.current("a", 3)).toBe("v1");
    expect(visits.current("b", 3)).toBeUndefined();
    // Many distinct visitors never grow it past its capacity.
    for (let i = 0; i < 1000; i++) visits.touch(`x${i}`, 4);
    expect(visits.size).toBe(2);
    expect(visits.current("x999", 5)).toBe("v1003");
  });

  it("expose(): once per exposure id per visit, several per visit, again in the next visit", () => {
    let n = 0;
    const visits = new VisitTracker(10, VISIT_TIMEOUT_MS, () => `v${++n}`);
    expect(visits.expose("a", 0, 0)).toBe("v1");
    expect(visits.expose("a", 0, 10)).toBeUndefined(); // deduplicated
    expect(visits.expose("a", 1, 20)).toBe("v1"); // another experiment, same visit
    expect(visits.expose("a", 2, 30)).toBe("v1");
    for (const id of [0, 1, 2]) expect(visits.expose("a", id, 40)).toBeUndefined();
    expect(visits.expose("b", 0, 40)).toBe("v2"); // per visitor
    // A deduplicated exposure is no event: the visit still ends 30 minutes after the last queued one (30).
    expect(visits.expose("a", 2, 30 + VISIT_TIMEOUT_MS)).toBe("v3");
    expect(visits.expose("a", 0, 30 + VISIT_TIMEOUT_MS)).toBe("v3"); // the new visit had none of them
  });

  it("an exposure or event keeps the visitor among the most recent (the next ones evict others)", () => {
    let n = 0;
    const visits = new VisitTracker(3, VISIT_TIMEOUT_MS, () => `v${++n}`);
    visits.expose("a", 0, 0);
    visits.expose("b", 0, 0);
    visits.expose("c", 0, 0);
    visits.expose("a", 1, 1); // a is now the most recent
    visits.touch("d", 2); // evicts b, the least recently active
    expect([visits.current("a", 3), visits.current("b", 3), visits.current("c", 3)]).toEqual([
      "v1",
      undefined,
      "v3",
    ]);
    expect(visits.expose("a", 0, 3)).toBeUndefined(); // a kept what its visit had
    expect(visits.expose("a", 1, 3)).toBeUndefined();
  });
});

describe("visit ids", () => {
  it("are distinct within a generator and across generators", () => {
    const first = visitIdGenerator();
    const second = visitIdGenerator();
    const ids = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      ids.add(first());
      ids.add(second());
    }
    expect(ids.size).toBe(2000);
  });
});
