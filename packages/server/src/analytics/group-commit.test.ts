import { describe, expect, it } from "vitest";
import { GroupCommitQueue } from "./group-commit.js";

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A queue whose commits record their groups and wait for `gate` when one is set. */
function recordingQueue(options: { maxGroupWeight?: number; failOn?: string } = {}) {
  const groups: string[][] = [];
  let gate: Deferred | null = null;
  const queue = new GroupCommitQueue<string, string>({
    commit: async (items) => {
      groups.push(items);
      if (gate) await gate.promise;
      if (options.failOn && items.includes(options.failOn)) throw new Error(`cannot store ${options.failOn}`);
      return items.map((item) => `stored ${item}`);
    },
    weight: (item) => item.length,
    maxGroupWeight: options.maxGroupWeight ?? 1000,
  });
  return {
    queue,
    groups,
    hold() {
      gate = deferred();
      return gate;
    },
  };
}

describe("GroupCommitQueue", () => {
  it("coalesces submissions that arrive while a commit runs into the next transaction", async () => {
    const { queue, groups, hold } = recordingQueue();
    const gate = hold();
    const first = queue.submit("a");
    await Promise.resolve();
    const later = ["b", "c", "d"].map((item) => queue.submit(item));
    let laterSettled = false;
    void Promise.all(later).then(() => {
      laterSettled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(groups).toEqual([["a"]]);
    expect(laterSettled).toBe(false);
    gate.resolve();
    expect(await first).toBe("stored a");
    expect(await Promise.all(later)).toEqual(["stored b", "stored c", "stored d"]);
    expect(groups).toEqual([["a"], ["b", "c", "d"]]);
  });

  it("bounds a transaction by weight", async () => {
    const { queue, groups, hold } = recordingQueue({ maxGroupWeight: 4 });
    const gate = hold();
    const all = [queue.submit("x")];
    await Promise.resolve();
    all.push(...["aa", "bb", "cc", "dddddd", "e"].map((item) => queue.submit(item)));
    gate.resolve();
    await Promise.all(all);
    expect(groups).toEqual([["x"], ["aa", "bb"], ["cc", "dddddd"], ["e"]]);
  });

  it("rejects only the failing submission of a group; its neighbours commit on their own", async () => {
    const { queue, groups, hold } = recordingQueue({ failOn: "bad" });
    const gate = hold();
    const first = queue.submit("first");
    await Promise.resolve();
    const results = Promise.allSettled(["ok1", "bad", "ok2"].map((item) => queue.submit(item)));
    gate.resolve();
    await first;
    expect((await results).map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(groups).toEqual([["first"], ["ok1", "bad", "ok2"], ["ok1"], ["bad"], ["ok2"]]);
  });

  it("runs exclusive tasks alone, after the submissions made before them", async () => {
    const log: string[] = [];
    const queue = new GroupCommitQueue<string, string>({
      commit: async (items) => {
        log.push(`begin ${items.join(",")}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push("commit");
        return items;
      },
      weight: () => 1,
      maxGroupWeight: 100,
    });
    const first = queue.submit("a");
    const task = queue.exclusive(async () => {
      log.push("task");
      return 42;
    });
    const second = queue.submit("b");
    expect(await task).toBe(42);
    await Promise.all([first, second, queue.drain()]);
    // "b" may join the commit already queued before the task; the task never overlaps a transaction.
    expect(log.indexOf("task")).toBeGreaterThan(log.indexOf("commit"));
    expect(
      log.filter((entry) => entry === "task" || entry.startsWith("begin") || entry === "commit"),
    ).toEqual(
      log.includes("begin a,b")
        ? ["begin a,b", "commit", "task"]
        : ["begin a", "commit", "task", "begin b", "commit"],
    );
  });

  describe("with several lanes", () => {
    /** A two-lane queue keyed by the item's first letter; commits wait for their gate. */
    function laneQueue() {
      const log: string[] = [];
      const gates = new Map<string, Deferred>();
      let running = 0;
      let maxRunning = 0;
      const queue = new GroupCommitQueue<string, string>({
        commit: async (items, lane) => {
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          log.push(`begin ${lane} ${items.join(",")}`);
          const gate = deferred();
          gates.set(items.join(","), gate);
          await gate.promise;
          log.push(`commit ${items.join(",")}`);
          running -= 1;
          return items;
        },
        weight: () => 1,
        maxGroupWeight: 100,
        lanes: 2,
        key: (item) => item[0],
      });
      const release = async (group: string) => {
        while (!gates.has(group)) await new Promise((resolve) => setTimeout(resolve, 1));
        gates.get(group)!.resolve();
      };
      return { queue, log, release, maxRunning: () => maxRunning };
    }

    it("runs a transaction per idle lane at once; later submissions wait for a free lane", async () => {
      const { queue, log, release, maxRunning } = laneQueue();
      const all = ["a1", "b1", "c1", "d1"].map((item) => queue.submit(item));
      await release("a1");
      await release("b1");
      await release("c1,d1");
      expect(await Promise.all(all)).toEqual(["a1", "b1", "c1", "d1"]);
      expect(log.slice(0, 2)).toEqual(["begin 0 a1", "begin 1 b1"]);
      expect(log).toContain("begin 0 c1,d1");
      expect(maxRunning()).toBe(2);
    });

    it("never runs two transactions holding the same key at once", async () => {
      const { queue, log, release } = laneQueue();
      const first = queue.submit("a1");
      const second = queue.submit("a2"); // same key: waits although lane 1 is idle
      const other = queue.submit("b1");
      await release("b1");
      await other;
      expect(log).not.toContain("begin 1 a2");
      await release("a1");
      await first;
      await release("a2");
      await second;
      const began = (item: string) =>
        Math.max(log.indexOf(`begin 0 ${item}`), log.indexOf(`begin 1 ${item}`));
      expect(began("a2")).toBeGreaterThan(log.indexOf("commit a1"));
    });

    it("runs exclusive tasks only once every lane is idle", async () => {
      const { queue, log, release } = laneQueue();
      const commits = [queue.submit("a1"), queue.submit("b1")];
      const task = queue.exclusive(async () => {
        log.push("task");
      });
      const later = queue.submit("c1");
      await release("b1");
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(log).not.toContain("task");
      await release("a1");
      await task;
      await release("c1");
      await Promise.all([...commits, later]);
      expect(log.indexOf("task")).toBeGreaterThan(log.indexOf("commit a1"));
      expect(Math.max(log.indexOf("begin 0 c1"), log.indexOf("begin 1 c1"))).toBeGreaterThan(
        log.indexOf("task"),
      );
    });
  });
});
