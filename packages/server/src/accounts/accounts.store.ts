import type { Kysely } from "kysely";
import type { Role } from "../http/principal.js";
import type { Database } from "../storage/schema.js";
import type { ThrottleState } from "./login-throttle.js";

export interface UserRecord {
  id: number;
  email: string;
  role: Role;
  /** null = every project. */
  projectKey: string | null;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

type UserRow = Database["users"] & { id: number; disabled: number };

function toRecord(row: UserRow): UserRecord {
  return {
    id: Number(row.id),
    email: row.email,
    role: row.role as Role,
    projectKey: row.project_key,
    disabled: Number(row.disabled) === 1,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}

/** Users, sessions and throttle counters in the configuration database. */
export const accountsStore = {
  async insertUser(
    db: Kysely<Database>,
    input: {
      email: string;
      passwordHash: string;
      role: Role;
      projectKey: string | null;
      now: number;
    },
  ): Promise<UserRecord> {
    const row = await db
      .insertInto("users")
      .values({
        email: input.email,
        password_hash: input.passwordHash,
        role: input.role,
        project_key: input.projectKey,
        created_at: input.now,
        updated_at: input.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row as UserRow);
  },

  async findUser(db: Kysely<Database>, id: number): Promise<UserRecord | undefined> {
    const row = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toRecord(row as UserRow) : undefined;
  },

  /** The user with this (normalised) email and its password hash. */
  async findByEmail(
    db: Kysely<Database>,
    email: string,
  ): Promise<{ user: UserRecord; passwordHash: string } | undefined> {
    const row = await db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
    return row ? { user: toRecord(row as UserRow), passwordHash: row.password_hash } : undefined;
  },

  async listUsers(db: Kysely<Database>): Promise<UserRecord[]> {
    const rows = await db.selectFrom("users").selectAll().orderBy("id").execute();
    return rows.map((row) => toRecord(row as UserRow));
  },

  async countUsers(db: Kysely<Database>): Promise<number> {
    const row = await db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async updateUser(
    db: Kysely<Database>,
    id: number,
    changes: { role?: Role; projectKey?: string | null; disabled?: boolean; passwordHash?: string },
    now: number,
  ): Promise<UserRecord | undefined> {
    const row = await db
      .updateTable("users")
      .set({
        ...(changes.role === undefined ? {} : { role: changes.role }),
        ...(changes.projectKey === undefined ? {} : { project_key: changes.projectKey }),
        ...(changes.disabled === undefined ? {} : { disabled: changes.disabled ? 1 : 0 }),
        ...(changes.passwordHash === undefined ? {} : { password_hash: changes.passwordHash }),
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row as UserRow) : undefined;
  },

  async insertSession(db: Kysely<Database>, session: Database["sessions"]): Promise<void> {
    await db.insertInto("sessions").values(session).execute();
  },

  /** A session with its user, by the hash of the cookie's value. */
  async findSession(db: Kysely<Database>, idHash: string) {
    const row = await db
      .selectFrom("sessions")
      .innerJoin("users", "users.id", "sessions.user_id")
      .selectAll("sessions")
      .select(["users.email", "users.role", "users.project_key", "users.disabled"])
      .where("sessions.id_hash", "=", idHash)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      idHash: row.id_hash,
      userId: Number(row.user_id),
      csrfToken: row.csrf_token,
      createdAt: Number(row.created_at),
      lastSeenAt: Number(row.last_seen_at),
      expiresAt: Number(row.expires_at),
      email: row.email,
      role: row.role as Role,
      projectKey: row.project_key,
      disabled: Number(row.disabled) === 1,
    };
  },

  async touchSession(db: Kysely<Database>, idHash: string, now: number): Promise<void> {
    await db.updateTable("sessions").set({ last_seen_at: now }).where("id_hash", "=", idHash).execute();
  },

  async deleteSession(db: Kysely<Database>, idHash: string): Promise<void> {
    await db.deleteFrom("sessions").where("id_hash", "=", idHash).execute();
  },

  async deleteSessionsOf(db: Kysely<Database>, userId: number): Promise<void> {
    await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
  },

  /** Drops sessions past their absolute expiry or idle since before `idleBefore`. */
  async deleteExpiredSessions(db: Kysely<Database>, now: number, idleBefore: number): Promise<void> {
    await db
      .deleteFrom("sessions")
      .where((eb) => eb.or([eb("expires_at", "<=", now), eb("last_seen_at", "<", idleBefore)]))
      .execute();
  },

  async readThrottle(db: Kysely<Database>, keys: string[]): Promise<Map<string, ThrottleState>> {
    const rows = await db.selectFrom("login_throttle").selectAll().where("key", "in", keys).execute();
    return new Map(
      rows.map((row) => [
        row.key,
        {
          failures: Number(row.failures),
          windowStart: Number(row.window_start),
          blockedUntil: row.blocked_until === null ? null : Number(row.blocked_until),
        },
      ]),
    );
  },

  async writeThrottle(db: Kysely<Database>, key: string, state: ThrottleState): Promise<void> {
    const values = {
      failures: state.failures,
      window_start: state.windowStart,
      blocked_until: state.blockedUntil,
    };
    await db
      .insertInto("login_throttle")
      .values({ key, ...values })
      .onConflict((oc) => oc.column("key").doUpdateSet(values))
      .execute();
  },

  async clearThrottle(db: Kysely<Database>, key: string): Promise<void> {
    await db.deleteFrom("login_throttle").where("key", "=", key).execute();
  },
};
