import type { Kysely } from "kysely";
import type { Database } from "../storage/schema.js";

/** The name of automation's lease row. */
export const SCHEDULER_LEASE = "automation";

/** The lease row: take, renew, release, read. Times are epoch ms on the injectable clock. */
export const schedulerLeaseStore = {
  /** Takes the lease or renews it until `now + leaseMs`; true when `holder` holds it afterwards. */
  async acquire(
    db: Kysely<Database>,
    holder: string,
    now: number,
    leaseMs: number,
    name = SCHEDULER_LEASE,
  ): Promise<boolean> {
    const until = now + leaseMs;
    const renewed = await db
      .updateTable("scheduler_leases")
      .set({ holder, lease_until: until })
      .where("name", "=", name)
      .where((eb) => eb.or([eb("holder", "=", holder), eb("lease_until", "<=", now)]))
      .executeTakeFirst();
    if (Number(renewed.numUpdatedRows) > 0) return true;
    const inserted = await db
      .insertInto("scheduler_leases")
      .values({ name, holder, lease_until: until })
      .onConflict((oc) => oc.column("name").doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  },

  /** Gives the lease up (when `holder` has it), so another replica takes over at its next poll. */
  async release(db: Kysely<Database>, holder: string, name = SCHEDULER_LEASE): Promise<void> {
    await db
      .updateTable("scheduler_leases")
      .set({ lease_until: 0 })
      .where("name", "=", name)
      .where("holder", "=", holder)
      .execute();
  },

  async read(
    db: Kysely<Database>,
    name = SCHEDULER_LEASE,
  ): Promise<{ holder: string; leaseUntil: number } | undefined> {
    const row = await db
      .selectFrom("scheduler_leases")
      .select(["holder", "lease_until"])
      .where("name", "=", name)
      .executeTakeFirst();
    return row && { holder: row.holder, leaseUntil: Number(row.lease_until) };
  },
};
