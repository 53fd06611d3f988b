import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { Outbox } from "../changes/outbox.js";
import { ApiError, notFound } from "../http/api-error.js";
import type { Role } from "../http/principal.js";
import { projectsStore } from "../projects/projects.store.js";
import type { Database } from "../storage/schema.js";
import { accountsStore, type UserRecord } from "./accounts.store.js";
import { ACCOUNT_LIMIT, ADDRESS_LIMIT, afterFailure, blockedFor } from "./login-throttle.js";
import {
  generatePassword,
  hashPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  UNUSABLE_HASH,
  verifyPassword,
} from "./passwords.js";

export interface SessionPolicy {
  /** A session unused for this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, used or not. */
  maxMs: number;
}

export interface ActiveSession {
  user: UserRecord;
  csrfToken: string;
  expiresAt: number;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
// A session's last-seen time is written at most this often, so reads do not each cost a write.
const TOUCH_EVERY_MS = 60_000;

const hashSessionId = (id: string) => createHash("sha256").update(id).digest("hex");

/** Emails are compared case-insensitively and stored lowercased. */
export function normaliseEmail(email: string): string {
  const normalised = email.trim().toLowerCase();
  if (normalised.length > 254 || !EMAIL.test(normalised)) {
    throw new ApiError(400, `'${email}' is not an email address`);
  }
  return normalised;
}

function checkPassword(password: string): void {
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    throw new ApiError(
      400,
      `A password has between ${PASSWORD_MIN_LENGTH} and ${PASSWORD_MAX_LENGTH} characters`,
    );
  }
}

/** Whether two secrets are equal, in constant time. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** People, their passwords and sessions; every change is audited under the acting principal. */
export class AccountsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number,
    private readonly policy: SessionPolicy,
    private readonly outbox: Outbox,
  ) {}

  /** Every user, by id. */
  async listUsers(): Promise<UserRecord[]> {
    return accountsStore.listUsers(this.db);
  }

  private async checkProject(projectKey: string | null | undefined): Promise<void> {
    if (projectKey && !(await projectsStore.find(this.db, projectKey))) {
      throw notFound(`Project '${projectKey}' not found`);
    }
  }

  /** Creates a user; without a password one is generated and returned (shown once). */
  async createUser(
    actor: string,
    input: {
      email: string;
      role: Role;
      projectKey?: string | null | undefined;
      password?: string | undefined;
    },
  ): Promise<{ user: UserRecord; password?: string }> {
    const email = normaliseEmail(input.email);
    if (input.password !== undefined) checkPassword(input.password);
    await this.checkProject(input.projectKey);
    if (await accountsStore.findByEmail(this.db, email))
      throw new ApiError(409, `A user with email '${email}' exists`);
    const password = input.password ?? generatePassword();
    const passwordHash = await hashPassword(password);
    const user = await this.db.transaction().execute(async (trx) => {
      const created = await accountsStore.insertUser(trx, {
        email,
        passwordHash,
        role: input.role,
        projectKey: input.projectKey ?? null,
        now: this.now(),
      });
      await this.audit(trx, actor, "user.create", created);
      return created;
    });
    return input.password === undefined ? { user, password } : { user };
  }

  /** Changes a user's role, project scope or disabled state; disabling ends the user's sessions. */
  async updateUser(
    actor: string,
    id: number,
    changes: { role?: Role; projectKey?: string | null; disabled?: boolean },
  ): Promise<UserRecord> {
    await this.checkProject(changes.projectKey);
    return this.db.transaction().execute(async (trx) => {
      const before = await accountsStore.findUser(trx, id);
      if (!before) throw notFound(`User ${id} not found`);
      const user = await accountsStore.updateUser(trx, id, changes, this.now());
      if (!user) throw notFound(`User ${id} not found`);
      if (user.disabled) await accountsStore.deleteSessionsOf(trx, id);
      const action = user.disabled && !before.disabled ? "user.disable" : "user.update";
      await this.audit(trx, actor, action, user, before);
      return user;
    });
  }

  /** Sets a new password (generated when none is given) and ends the user's sessions. */
  async resetPassword(actor: string, id: number, password?: string): Promise<{ password?: string }> {
    if (password !== undefined) checkPassword(password);
    const next = password ?? generatePassword();
    const passwordHash = await hashPassword(next);
    await this.db.transaction().execute(async (trx) => {
      const user = await accountsStore.updateUser(trx, id, { passwordHash }, this.now());
      if (!user) throw notFound(`User ${id} not found`);
      await accountsStore.deleteSessionsOf(trx, id);
      await this.audit(trx, actor, "user.reset-password", user);
    });
    return password === undefined ? { password: next } : {};
  }

  async findUserByEmail(email: string): Promise<UserRecord | undefined> {
    return (await accountsStore.findByEmail(this.db, normaliseEmail(email)))?.user;
  }

  /**
   * Checks an email and password and opens a session. Failures count against the account and the address;
   * either over its limit answers 429 until its block ends, whatever the password.
   */
  async signIn(
    email: string,
    password: string,
    address: string,
  ): Promise<ActiveSession & { sessionId: string }> {
    const now = this.now();
    const accountKey = `account:${email.trim().toLowerCase()}`;
    const addressKey = `address:${address}`;
    const counters = await accountsStore.readThrottle(this.db, [accountKey, addressKey]);
    const wait = Math.max(
      blockedFor(counters.get(accountKey), now),
      blockedFor(counters.get(addressKey), now),
    );
    if (wait > 0) {
      throw new ApiError(429, `Too many failed sign-ins; try again in ${Math.ceil(wait / 60_000)} minutes`);
    }
    const found = EMAIL.test(email.trim())
      ? await accountsStore.findByEmail(this.db, email.trim().toLowerCase())
      : undefined;
    // Unknown emails still cost a hash, so response time does not tell which accounts exist.
    const matches = await verifyPassword(password, found?.passwordHash ?? UNUSABLE_HASH);
    if (!found || !matches || found.user.disabled) {
      await accountsStore.writeThrottle(
        this.db,
        accountKey,
        afterFailure(counters.get(accountKey), now, ACCOUNT_LIMIT),
      );
      await accountsStore.writeThrottle(
        this.db,
        addressKey,
        afterFailure(counters.get(addressKey), now, ADDRESS_LIMIT),
      );
      throw new ApiError(401, "Wrong email or password");
    }
    await accountsStore.clearThrottle(this.db, accountKey);
    const sessionId = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(32).toString("base64url");
    const expiresAt = now + this.policy.maxMs;
    await this.db.transaction().execute(async (trx) => {
      await accountsStore.insertSession(trx, {
        id_hash: hashSessionId(sessionId),
        user_id: found.user.id,
        csrf_token: csrfToken,
        created_at: now,
        last_seen_at: now,
        expires_at: expiresAt,
      });
      await accountsStore.deleteExpiredSessions(trx, now, now - this.policy.idleMs);
      await this.audit(trx, `user:${found.user.id}:${found.user.email}`, "user.sign-in", found.user);
    });
    return { sessionId, user: found.user, csrfToken, expiresAt };
  }

  /** The live session behind a cookie value, or undefined when unknown, expired, idle or disabled. */
  async resolveSession(sessionId: string): Promise<ActiveSession | undefined> {
    const now = this.now();
    const session = await accountsStore.findSession(this.db, hashSessionId(sessionId));
    if (!session) return undefined;
    if (session.disabled || session.expiresAt <= now || session.lastSeenAt + this.policy.idleMs <= now) {
      await accountsStore.deleteSession(this.db, session.idHash);
      return undefined;
    }
    if (now - session.lastSeenAt >= TOUCH_EVERY_MS)
      await accountsStore.touchSession(this.db, session.idHash, now);
    const user = await accountsStore.findUser(this.db, session.userId);
    if (!user) return undefined;
    return { user, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
  }

  /** Ends a session server-side (its cookie no longer works anywhere). */
  async signOut(sessionId: string): Promise<void> {
    const session = await accountsStore.findSession(this.db, hashSessionId(sessionId));
    if (!session) return;
    await this.db.transaction().execute(async (trx) => {
      await accountsStore.deleteSession(trx, session.idHash);
      await this.outbox.publish(trx, {
        projectKey: null,
        actor: `user:${session.userId}:${session.email}`,
        action: "user.sign-out",
        resourceType: "user",
        resourceId: String(session.userId),
      });
    });
  }

  /** On a database without users, creates the first admin and returns its generated credentials. */
  async ensureFirstAdmin(email: string): Promise<{ email: string; password: string } | undefined> {
    if ((await accountsStore.countUsers(this.db)) > 0) return undefined;
    const { user, password } = await this.createUser("system:first-start", { email, role: "admin" });
    return password ? { email: user.email, password } : undefined;
  }

  /** Publishes a change of a user to the outbox (the audit entry) in the write's transaction. */
  private async audit(
    trx: Kysely<Database>,
    actor: string,
    action: string,
    user: UserRecord,
    before?: UserRecord,
  ): Promise<void> {
    await this.outbox.publish(trx, {
      projectKey: null,
      actor,
      action,
      resourceType: "user",
      resourceId: String(user.id),
      ...(before ? { before } : {}),
      after: user,
    });
  }
}
