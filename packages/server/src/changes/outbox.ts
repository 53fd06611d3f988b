import type { Kysely } from "kysely";
import type { Database } from "../storage/schema.js";

/** One change a service commits: who did what to which resource, with the resource before and after. */
export interface DomainChange {
  projectKey: string | null;
  actor: string;
  action: string;
  resourceType: string;
  resourceId: string;
  before?: unknown;
  after?: unknown;
  /**
   * What subscribers need to name the resource (its key, name and environments) without reading another
   * capability's tables; not journaled.
   */
  subject?: ChangeSubject;
}

/** The resource a change is about, as subscribers name it. */
export interface ChangeSubject {
  key: string;
  name: string;
  environmentKeys: string[];
}

/** A change as subscribers see it: its journal id (the audit entry's id) and its instant. */
export interface PublishedChange extends DomainChange {
  eventId: number;
  at: Date;
}

/** Writes the change's durable record (the audit log) in the transaction; returns its id. */
export type ChangeJournal = (trx: Kysely<Database>, change: DomainChange, at: Date) => Promise<number>;

/** Reacts to a change inside the transaction that made it (queue a webhook, an email). */
export type ChangeSubscriber = (trx: Kysely<Database>, change: PublishedChange) => Promise<void>;

/**
 * The explicit outbox: a service publishes each change in the transaction that makes it; the journal writes
 * the audit entry and every subscriber queues its work (jobs) in that same transaction, so the change, its
 * audit entry and its notifications commit together or not at all. Subscribers are wired in one place
 * (composition.ts); no store has side effects of its own.
 */
export class Outbox {
  private readonly subscribers: ChangeSubscriber[] = [];

  constructor(private readonly journal: ChangeJournal) {}

  /** Adds a subscriber; it runs for every change published afterwards, in publishing order. */
  subscribe(subscriber: ChangeSubscriber): void {
    this.subscribers.push(subscriber);
  }

  /** Publishes a change in `db`'s transaction (one is opened when `db` is not a transaction). */
  async publish(db: Kysely<Database>, change: DomainChange, at = new Date()): Promise<void> {
    if (!db.isTransaction) {
      await db.transaction().execute((trx) => this.publish(trx, change, at));
      return;
    }
    const eventId = await this.journal(db, change, at);
    for (const subscriber of this.subscribers) await subscriber(db, { ...change, eventId, at });
  }
}
