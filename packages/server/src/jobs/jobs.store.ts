import { type Kysely, type Selectable, sql } from "kysely";
import type { SqlDialect } from "../storage/database.js";
import type { Database } from "../storage/schema.js";

export type JobStatus = "PENDING" | "RUNNING" | "READY" | "FAILED";

/** A job as the runner and its handlers see it: payload and result parsed from JSON. */
export interface Job<Payload = unknown, Result = unknown> {
  id: number;
  kind: string;
  key: string | null;
  status: JobStatus;
  progress: number;
  payload: Payload;
  result: Result | null;
  error: string | null;
  attempts: number;
  maxAttempts: number;
  runAfter: number;
  leaseOwner: string | null;
  leaseUntil: number | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

type JobRow = Selectable<Database["jobs"]>;

const num = (value: unknown): number => Number(value);
const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

export function toJob<Payload, Result>(row: JobRow): Job<Payload, Result> {
  return {
    id: num(row.id),
    kind: row.kind,
    key: row.key,
    status: row.status as JobStatus,
    progress: num(row.progress),
    payload: JSON.parse(row.payload) as Payload,
    result: row.result === null ? null : (JSON.parse(row.result) as Result),
    error: row.error,
    attempts: num(row.attempts),
    maxAttempts: num(row.max_attempts),
    runAfter: num(row.run_after),
    leaseOwner: row.lease_owner,
    leaseUntil: numOrNull(row.lease_until),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
    startedAt: numOrNull(row.started_at),
    finishedAt: numOrNull(row.finished_at),
  };
}

export interface NewJob {
  kind: string;
  key: string | null;
  payload: string;
  maxAttempts: number;
  runAfter: number;
  now: number;
}

/** Inserts a PENDING job; `db` may be a transaction (see enqueueInTransaction in job-runner.ts). */
export async function insertJob(db: Kysely<Database>, job: NewJob): Promise<JobRow> {
  return db
    .insertInto("jobs")
    .values({
      kind: job.kind,
      key: job.key,
      status: "PENDING",
      progress: 0,
      payload: job.payload,
      result: null,
      error: null,
      attempts: 0,
      max_attempts: job.maxAttempts,
      run_after: job.runAfter,
      lease_owner: null,
      lease_until: null,
      created_at: job.now,
      updated_at: job.now,
      started_at: null,
      finished_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Applies `change` to a job only while `owner` still holds its lease; a late worker writes nothing. */
async function updateWhileHeld(
  db: Kysely<Database>,
  id: number,
  owner: string,
  change: (update: ReturnType<typeof heldJob>) => ReturnType<typeof heldJob>,
): Promise<boolean> {
  const result = await change(heldJob(db, id, owner)).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

function heldJob(db: Kysely<Database>, id: number, owner: string) {
  return db
    .updateTable("jobs")
    .where("id", "=", id)
    .where("lease_owner", "=", owner)
    .where("status", "=", "RUNNING");
}

/** Every statement on the `jobs` table. Writes by a worker name it as lease owner, so a lost lease is a no-op. */
export const jobsStore = {
  async insert(db: Kysely<Database>, job: NewJob): Promise<JobRow> {
    return insertJob(db, job);
  },

  async byId(db: Kysely<Database>, id: number): Promise<JobRow | undefined> {
    return db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
  },

  async byKey(db: Kysely<Database>, kind: string, key: string): Promise<JobRow | undefined> {
    return db
      .selectFrom("jobs")
      .selectAll()
      .where("kind", "=", kind)
      .where("key", "=", key)
      .executeTakeFirst();
  },

  /** Puts a finished (READY/FAILED) job back to PENDING with a new payload; false when it was not finished. */
  async rerunFinished(db: Kysely<Database>, id: number, job: NewJob): Promise<boolean> {
    const result = await db
      .updateTable("jobs")
      .set({
        status: "PENDING",
        progress: 0,
        payload: job.payload,
        result: null,
        error: null,
        attempts: 0,
        max_attempts: job.maxAttempts,
        run_after: job.runAfter,
        lease_owner: null,
        lease_until: null,
        updated_at: job.now,
        started_at: null,
        finished_at: null,
      })
      .where("id", "=", id)
      .where("status", "in", ["READY", "FAILED"])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  /**
   * Claims the next due job of the given kinds: a PENDING job whose run_after has come, or a RUNNING job
   * whose lease expired (its worker died). One statement: on PostgreSQL the candidate row is locked with
   * FOR UPDATE SKIP LOCKED so concurrent workers (replicas) each get a different job; on SQLite the
   * UPDATE ... WHERE id = (SELECT ...) runs in one write transaction, which SQLite serializes.
   */
  async claim(
    db: Kysely<Database>,
    dialect: SqlDialect,
    kinds: string[],
    owner: string,
    now: number,
    leaseUntil: (kind: string) => number,
  ) {
    if (kinds.length === 0) return undefined;
    const due = sql`((status = 'PENDING' AND run_after <= ${now}) OR (status = 'RUNNING' AND lease_until <= ${now}))`;
    const kindList = sql.join(kinds);
    const lock = dialect === "postgres" ? sql` FOR UPDATE SKIP LOCKED` : sql``;
    // lease_until depends on the kind (each handler has its own lease); a CASE keeps it one statement.
    const leaseCase = sql`CASE ${sql.join(
      kinds.map((kind) => sql`WHEN kind = ${kind} THEN CAST(${leaseUntil(kind)} AS BIGINT)`),
      sql` `,
    )} ELSE CAST(${now} AS BIGINT) END`;
    const result = await sql<JobRow>`
      UPDATE jobs
      SET status = 'RUNNING', lease_owner = ${owner}, lease_until = ${leaseCase},
        attempts = attempts + 1, started_at = ${now}, updated_at = ${now}
      WHERE id = (
        SELECT id FROM jobs
        WHERE kind IN (${kindList}) AND ${due}
        ORDER BY run_after, id
        LIMIT 1${lock}
      ) AND ${due}
      RETURNING *`.execute(db);
    return result.rows[0];
  },

  /** Extends the lease (and records progress); false when this worker no longer holds it. */
  async renew(
    db: Kysely<Database>,
    id: number,
    owner: string,
    leaseUntil: number,
    now: number,
    progress?: number,
  ): Promise<boolean> {
    return updateWhileHeld(db, id, owner, (update) =>
      update.set({
        lease_until: leaseUntil,
        updated_at: now,
        ...(progress === undefined ? {} : { progress }),
      }),
    );
  },

  async complete(
    db: Kysely<Database>,
    id: number,
    owner: string,
    result: string,
    now: number,
  ): Promise<boolean> {
    return updateWhileHeld(db, id, owner, (update) =>
      update.set({
        status: "READY",
        progress: 100,
        result,
        error: null,
        lease_owner: null,
        lease_until: null,
        updated_at: now,
        finished_at: now,
      }),
    );
  },

  async fail(db: Kysely<Database>, id: number, owner: string, error: string, now: number): Promise<boolean> {
    return updateWhileHeld(db, id, owner, (update) =>
      update.set({
        status: "FAILED",
        error,
        lease_owner: null,
        lease_until: null,
        updated_at: now,
        finished_at: now,
      }),
    );
  },

  /** Back to PENDING until `runAfter`; `giveBackAttempt` when the run should not count (deferral, shutdown). */
  async reschedule(
    db: Kysely<Database>,
    id: number,
    owner: string,
    runAfter: number,
    error: string | null,
    giveBackAttempt: boolean,
    now: number,
  ): Promise<boolean> {
    return updateWhileHeld(db, id, owner, (update) =>
      update.set((eb) => ({
        status: "PENDING",
        run_after: runAfter,
        error,
        lease_owner: null,
        lease_until: null,
        updated_at: now,
        ...(giveBackAttempt ? { attempts: eb("attempts", "-", 1) } : {}),
      })),
    );
  },

  /** Makes PENDING jobs of a kind (whose key starts with `keyPrefix`) due now. */
  async makeDue(
    db: Kysely<Database>,
    kind: string,
    keyPrefix: string | undefined,
    now: number,
  ): Promise<number> {
    let query = db
      .updateTable("jobs")
      .set({ run_after: now, updated_at: now })
      .where("kind", "=", kind)
      .where("status", "=", "PENDING")
      .where("run_after", ">", now);
    if (keyPrefix !== undefined) query = query.where("key", "like", `${escapeLike(keyPrefix)}%`);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  },

  /** Retention: deletes READY and FAILED jobs finished before `before`. */
  async purgeFinished(db: Kysely<Database>, before: number): Promise<number> {
    const result = await db
      .deleteFrom("jobs")
      .where("status", "in", ["READY", "FAILED"])
      .where("finished_at", "<", before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  },
};

/** LIKE without wildcards in the prefix (keys are dataCodes and hashes; this is only belt and braces). */
function escapeLike(value: string): string {
  if (/[%_\\]/.test(value)) throw new Error("job key prefixes may not contain %, _ or \\");
  return value;
}
