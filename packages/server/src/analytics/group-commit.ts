/**
 * Group commit for a single writer: submissions that arrive while a commit is running wait, then go
 * together in the next transaction (one fsync for many callers). Each caller's promise settles only
 * after the transaction holding its item committed or failed. Other writer tasks (retention, resets)
 * run exclusively between commits, on the same serial chain.
 */

export interface GroupCommitOptions<Item, Outcome> {
  /** Writes all items in one transaction; answers one outcome per item, in order. */
  commit: (items: Item[]) => Promise<Outcome[]>;
  /** Size of an item (e.g. its event count), to bound one transaction. */
  weight: (item: Item) => number;
  /** A group stops growing once it reaches this weight (a single heavier item still goes alone). */
  maxGroupWeight: number;
}

interface Waiting<Item, Outcome> {
  item: Item;
  resolve: (outcome: Outcome) => void;
  reject: (error: unknown) => void;
}

export class GroupCommitQueue<Item, Outcome> {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting: Waiting<Item, Outcome>[] = [];
  private commitQueued = false;

  constructor(private readonly options: GroupCommitOptions<Item, Outcome>) {}

  submit(item: Item): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.queueCommit();
    });
  }

  /** Runs `task` alone on the writer, after everything submitted before it. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Settles once everything submitted so far has been committed or failed. */
  async drain(): Promise<void> {
    await this.exclusive(async () => undefined);
  }

  private queueCommit(): void {
    if (this.commitQueued) return;
    this.commitQueued = true;
    void this.exclusive(() => this.commitNextGroup());
  }

  private async commitNextGroup(): Promise<void> {
    this.commitQueued = false;
    const group = this.takeGroup();
    if (this.waiting.length > 0) this.queueCommit();
    await this.commitGroup(group);
  }

  private takeGroup(): Waiting<Item, Outcome>[] {
    let weight = 0;
    let count = 0;
    while (count < this.waiting.length && (count === 0 || weight < this.options.maxGroupWeight)) {
      weight += this.options.weight(this.waiting[count]!.item);
      count += 1;
    }
    return this.waiting.splice(0, count);
  }

  private async commitGroup(group: Waiting<Item, Outcome>[]): Promise<void> {
    try {
      const outcomes = await this.options.commit(group.map((waiting) => waiting.item));
      group.forEach((waiting, index) => {
        waiting.resolve(outcomes[index]!);
      });
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      // One bad submission must not fail its neighbours: retry each alone, so only it is rejected.
      for (const waiting of group) await this.commitGroup([waiting]);
    }
  }
}
