/**
 * Group commit for a writer: submissions that arrive while commits are running wait, then go together in
 * the next transaction (one fsync for many callers). Each caller's promise settles only after the
 * transaction holding its item committed or failed.
 *
 * With `lanes` > 1, that many transactions may run at once, each on its own lane (e.g. its own database
 * connection): one lane fills its transaction while another waits for its commit's fsync (or checkpoint),
 * so the writer is not idle for a whole commit round trip between groups. Items sharing a `key` (e.g. a
 * payload id) never sit in two concurrent transactions: a retry is decided against a committed state.
 *
 * Other writer tasks (retention, resets) run exclusively: after every submission made before them has
 * been committed, with no transaction running.
 */

export interface GroupCommitOptions<Item, Outcome> {
  /** Writes all items in one transaction on `lane` (0 <= lane < lanes); answers one outcome per item, in order. */
  commit: (items: Item[], lane: number) => Promise<Outcome[]>;
  /** Size of an item (e.g. its event count), to bound one transaction. */
  weight: (item: Item) => number;
  /** A group stops growing once it reaches this weight (a single heavier item still goes alone). */
  maxGroupWeight: number;
  /** Transactions that may run at once. Default 1. */
  lanes?: number;
  /** Items with the same key are never in two transactions running at once. */
  key?: (item: Item) => string | undefined;
  /**
   * While a transaction runs, another lane starts only once this much weight waits (else the items wait
   * for the next free lane and go together): a transaction has a fixed cost, so two small ones in
   * parallel may cost more than one twice as large a little later. Default 0.
   */
  minConcurrentWeight?: number;
}

interface Waiting<Item, Outcome> {
  item: Item;
  key: string | undefined;
  sequence: number;
  resolve: (outcome: Outcome) => void;
  reject: (error: unknown) => void;
}

interface Exclusive {
  /** Runs once every submission with a lower sequence number has settled. */
  before: number;
  run: () => void;
}

export class GroupCommitQueue<Item, Outcome> {
  private waiting: Waiting<Item, Outcome>[] = [];
  private readonly idleLanes: number[];
  private running = 0;
  private readonly busyKeys = new Map<string, number>();
  private readonly exclusives: Exclusive[] = [];
  private exclusiveRunning = false;
  private sequence = 0;

  constructor(private readonly options: GroupCommitOptions<Item, Outcome>) {
    const lanes = options.lanes ?? 1;
    if (!Number.isInteger(lanes) || lanes < 1)
      throw new RangeError(`lanes must be a positive integer, got ${lanes}`);
    this.idleLanes = Array.from({ length: lanes }, (_, lane) => lanes - 1 - lane); // pop() gives lane 0 first
  }

  submit(item: Item): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      this.waiting.push({ item, key: this.options.key?.(item), sequence: this.sequence++, resolve, reject });
      this.pump();
    });
  }

  /** Runs `task` alone on the writer, after everything submitted before it. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.exclusives.push({
        before: this.sequence,
        run: () => {
          this.exclusiveRunning = true;
          Promise.resolve()
            .then(task)
            .then(resolve, reject)
            .finally(() => {
              this.exclusiveRunning = false;
              this.exclusives.shift();
              this.pump();
            });
        },
      });
      this.pump();
    });
  }

  /** Settles once everything submitted so far has been committed or failed. */
  async drain(): Promise<void> {
    await this.exclusive(async () => undefined);
  }

  /** Starts whatever may start now: an exclusive task when it is due, else groups on idle lanes. */
  private pump(): void {
    if (this.exclusiveRunning) return;
    const next = this.exclusives[0];
    // With an exclusive task pending, only submissions made before it may still start.
    const limit = next?.before ?? Number.POSITIVE_INFINITY;
    while (this.idleLanes.length > 0) {
      const group = this.takeGroup(limit, this.running > 0 ? (this.options.minConcurrentWeight ?? 0) : 0);
      if (group.length === 0) break;
      void this.commitOnLane(group, this.idleLanes.pop()!);
    }
    if (next && this.running === 0 && !this.waiting.some((waiting) => waiting.sequence < next.before))
      next.run();
  }

  /**
   * The oldest submissions (before `limit`) whose keys are not in a running transaction, up to the weight
   * bound; none when they weigh less than `minWeight`.
   */
  private takeGroup(limit: number, minWeight: number): Waiting<Item, Outcome>[] {
    const group: Waiting<Item, Outcome>[] = [];
    const rest: Waiting<Item, Outcome>[] = [];
    let weight = 0;
    for (const waiting of this.waiting) {
      const fits = group.length === 0 || weight < this.options.maxGroupWeight;
      if (
        fits &&
        waiting.sequence < limit &&
        (waiting.key === undefined || !this.busyKeys.has(waiting.key))
      ) {
        group.push(waiting);
        weight += this.options.weight(waiting.item);
      } else rest.push(waiting);
    }
    if (group.length === 0 || weight < minWeight) return [];
    this.waiting = rest;
    return group;
  }

  private async commitOnLane(group: Waiting<Item, Outcome>[], lane: number): Promise<void> {
    this.running += 1;
    for (const { key } of group)
      if (key !== undefined) this.busyKeys.set(key, (this.busyKeys.get(key) ?? 0) + 1);
    try {
      await this.commitGroup(group, lane);
    } finally {
      for (const { key } of group) {
        if (key === undefined) continue;
        const count = this.busyKeys.get(key)! - 1;
        if (count === 0) this.busyKeys.delete(key);
        else this.busyKeys.set(key, count);
      }
      this.running -= 1;
      this.idleLanes.push(lane);
      this.pump();
    }
  }

  private async commitGroup(group: Waiting<Item, Outcome>[], lane: number): Promise<void> {
    try {
      const outcomes = await this.options.commit(
        group.map((waiting) => waiting.item),
        lane,
      );
      group.forEach((waiting, index) => {
        waiting.resolve(outcomes[index]!);
      });
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      // One bad submission must not fail its neighbours: retry each alone, so only it is rejected.
      for (const waiting of group) await this.commitGroup([waiting], lane);
    }
  }
}
