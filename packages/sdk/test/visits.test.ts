import { describe, expect, it } from "vitest";
import { CodeIndex, codeHash } from "../src/code-index.js";
import { visitIdPrefix } from "../src/ids.js";
import { VISIT_TIMEOUT_MS, VisitTracker } from "../src/visits.js";

describe("VisitTracker", () => {
  it("keeps a visit while events come, renews it after 30 minutes without any", () => {
    const visits = new VisitTracker(100, VISIT_TIMEOUT_MS, "v");
    const t0 = 1_000_000;
    expect(visits.current("alice", t0)).toBeUndefined();
    expect(visits.touch("alice", t0)).toBe("v0");
    expect(visits.touch("alice", t0 + 29 * 60_000)).toBe("v0"); // extends the visit
    expect(visits.touch("alice", t0 + 58 * 60_000)).toBe("v0"); // 29 min after the last event
    expect(visits.current("alice", t0 + 58 * 60_000 + VISIT_TIMEOUT_MS - 1)).toBe("v0");
    expect(visits.current("alice", t0 + 58 * 60_000 + VISIT_TIMEOUT_MS)).toBeUndefined();
    expect(visits.touch("alice", t0 + 58 * 60_000 + VISIT_TIMEOUT_MS)).toBe("v1");
    expect(visits.touch("bob", t0)).toBe("v2"); // per visitor
  });

  it("current() records no activity", () => {
    const visits = new VisitTracker(100, 1000, "id");
    visits.touch("a", 0);
    for (let t = 0; t < 5000; t += 100) visits.current("a", t);
    expect(visits.current("a", 1000)).toBeUndefined();
  });

  it("is bounded: the least recently active visitors are forgotten", () => {
    const visits = new VisitTracker(2, VISIT_TIMEOUT_MS, "v");
    visits.touch("a", 0);
    visits.touch("b", 0);
    visits.touch("a", 1);
    visits.touch("c", 2); // evicts b
    expect(visits.size).toBe(2);
    expect(visits.current("a", 3)).toBe("v0");
    expect(visits.current("b", 3)).toBeUndefined();
    // Many distinct visitors never grow it past its capacity.
    for (let i = 0; i < 1000; i++) visits.touch(`x${i}`, 4);
    expect(visits.size).toBe(2);
    expect(visits.current("x999", 5)).toBe(`v${(1002).toString(36)}`);
  });

  it("expose(): the visit number once per exposure id per visit (-1 after), several per visit, again in the next visit", () => {
    const visits = new VisitTracker(10, VISIT_TIMEOUT_MS, "v");
    expect(visits.expose("a", 0, 0)).toBe(0);
    expect(visits.expose("a", 0, 10)).toBe(-1); // deduplicated
    expect(visits.expose("a", 1, 20)).toBe(0); // another experiment, same visit
    expect(visits.expose("a", 2, 30)).toBe(0);
    for (const id of [0, 1, 2]) expect(visits.expose("a", id, 40)).toBe(-1);
    expect(visits.expose("b", 0, 40)).toBe(1); // per visitor
    // A deduplicated exposure is no event: the visit still ends 30 minutes after the last queued one (30).
    expect(visits.expose("a", 2, 30 + VISIT_TIMEOUT_MS)).toBe(2);
    expect(visits.expose("a", 0, 30 + VISIT_TIMEOUT_MS)).toBe(2); // the new visit had none of them
  });

  it("an exposure or event keeps the visitor among the most recent (the next ones evict others)", () => {
    const visits = new VisitTracker(3, VISIT_TIMEOUT_MS, "v");
    visits.expose("a", 0, 0);
    visits.expose("b", 0, 0);
    visits.expose("c", 0, 0);
    visits.expose("a", 1, 1); // a is now the most recent
    visits.touch("d", 2); // evicts b, the least recently active
    expect([visits.current("a", 3), visits.current("b", 3), visits.current("c", 3)]).toEqual([
      "v0",
      undefined,
      "v2",
    ]);
    expect(visits.expose("a", 0, 3)).toBe(-1); // a kept what its visit had
    expect(visits.expose("a", 1, 3)).toBe(-1);
  });
});

describe("visit ids", () => {
  it("are distinct within a tracker and across trackers (each draws its own random prefix)", () => {
    const first = new VisitTracker(10);
    const second = new VisitTracker(10);
    expect(first.idPrefix).not.toBe(second.idPrefix);
    expect(visitIdPrefix()).toMatch(/^[0-9a-f]{24}\.$/);
    const ids = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      ids.add(first.touch(`visitor-${i}`, 0));
      ids.add(second.touch(`visitor-${i}`, 0));
    }
    expect(ids.size).toBe(2000);
  });
});

// A seeded generator: the random operations below are the same on every run.
function seeded(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 4294967296) * n);
  };
}

describe("CodeIndex (the visit ring's code-to-slot table)", () => {
  it("answers as a Map would through random adds and removes, colliding hashes included", () => {
    const random = seeded(7);
    const capacity = 64;
    const codes: (string | undefined)[] = new Array(capacity).fill(undefined);
    const index = new CodeIndex(codes, capacity);
    const reference = new Map<string, number>();
    // Hashes from a range of 16 values: long probe chains, wrapping around the table's end.
    const hashOf = (code: string) => (codeHash(code) & 15) * 8 + 120;
    for (let step = 0; step < 20_000; step++) {
      const code = `c${random(200)}`;
      const slot = random(capacity);
      const held = reference.get(code);
      expect(index.find(code, hashOf(code))).toBe(held ?? -1);
      if (held === undefined && codes[slot] === undefined) {
        codes[slot] = code;
        index.add(slot, hashOf(code));
        reference.set(code, slot);
      } else if (held !== undefined) {
        index.remove(held);
        codes[held] = undefined;
        reference.delete(code);
      }
    }
    for (let i = 0; i < 200; i++)
      expect(index.find(`c${i}`, hashOf(`c${i}`))).toBe(reference.get(`c${i}`) ?? -1);
  });
});

describe("VisitTracker against a plain model", () => {
  it("gives the same visit numbers, deduplication and evictions through random events", () => {
    const capacity = 8;
    const visits = new VisitTracker(capacity, 1000, "v");
    // The model: visits by code, and the ring as an array from least to most recently active. An event
    // puts its visitor last: the first position goes (its visitor is forgotten) and the position the
    // visitor held becomes a hole (null). An active visit already last stays; one first just moves.
    const model = new Map<string, { visit: number; last: number; exposures: Set<number> }>();
    const ring: (string | null)[] = new Array(capacity).fill(null);
    let nextVisit = 0;
    const active = (code: string, now: number) => {
      const v = model.get(code);
      return v !== undefined && now - v.last < 1000 ? v : undefined;
    };
    const event = (code: string, now: number) => {
      let v = active(code, now);
      const at = ring.indexOf(code);
      if (v === undefined || at !== capacity - 1) {
        if (at > 0) ring[at] = null;
        const first = ring.shift()!;
        if (first !== null && first !== code) model.delete(first);
        ring.push(code);
      }
      if (v === undefined) {
        v = { visit: nextVisit++, last: now, exposures: new Set() };
        model.set(code, v);
      }
      v.last = Math.max(v.last, now);
      return v;
    };
    const random = seeded(11);
    let now = 0;
    for (let step = 0; step < 20_000; step++) {
      now += random(4) === 0 ? random(1500) : random(20);
      const code = `visitor-${random(24)}`;
      const op = random(4);
      if (op === 0) expect(visits.touchNumber(code, now)).toBe(event(code, now).visit);
      else if (op === 1) {
        const v = active(code, now);
        expect(visits.current(code, now)).toBe(v && `v${v.visit.toString(36)}`);
      } else {
        const id = random(3);
        if (active(code, now)?.exposures.has(id)) expect(visits.expose(code, id, now)).toBe(-1);
        else {
          const v = event(code, now);
          v.exposures.add(id);
          expect(visits.expose(code, id, now)).toBe(v.visit);
        }
      }
      expect(visits.size).toBe(ring.filter((c) => c !== null).length);
    }
  });
});
