import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { Principal, Role } from "../http/principal.js";
import type { Database } from "../storage/schema.js";

/** SHA-256 of a token, hex: the only form in which tokens are stored. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new random token with a recognisable prefix. */
export function generateToken(prefix = "vx"): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

export interface TokenRecord {
  id: number;
  name: string;
  role: Role;
  projectKey: string | null;
  kind: "api" | "oauth";
  createdAt: string;
  expiresAt: string | null;
}

function recordOf(row: Selectable<Database["access_tokens"]>): TokenRecord {
  return {
    id: Number(row.id),
    name: row.name,
    role: row.role as Role,
    projectKey: row.project_key,
    kind: row.kind as "api" | "oauth",
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

/** Access tokens: created, looked up by hash, revoked. */
export const tokensStore = {
  /** Stores a token's hash; returns its record. */
  async create(
    db: Kysely<Database>,
    input: {
      token: string;
      name: string;
      role: Role;
      projectKey: string | null;
      kind: "api" | "oauth";
      expiresAt?: string | null;
      /** For an OAuth access token: the API token it was minted from. */
      parentId?: number | null;
    },
  ): Promise<TokenRecord> {
    const createdAt = new Date().toISOString();
    const row = await db
      .insertInto("access_tokens")
      .values({
        name: input.name,
        token_hash: hashToken(input.token),
        role: input.role,
        project_key: input.projectKey,
        kind: input.kind,
        created_at: createdAt,
        expires_at: input.expiresAt ?? null,
        parent_id: input.parentId ?? null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return {
      id: row.id,
      name: input.name,
      role: input.role,
      projectKey: input.projectKey,
      kind: input.kind,
      createdAt,
      expiresAt: input.expiresAt ?? null,
    };
  },

  /** The principal a presented token stands for, or null when unknown, revoked or expired. */
  async verify(
    db: Kysely<Database>,
    token: string,
    now = Date.now(),
  ): Promise<(Principal & { kind: string }) | null> {
    const hash = hashToken(token);
    // An OAuth access token lives only while the API token it was minted from does (a revocation racing
    // a mint leaves the new token's parent revoked; the join catches it).
    const row = await db
      .selectFrom("access_tokens")
      .leftJoin("access_tokens as parent", "parent.id", "access_tokens.parent_id")
      .selectAll("access_tokens")
      .select("parent.revoked as parent_revoked")
      .where("access_tokens.token_hash", "=", hash)
      .executeTakeFirst();
    if (!row || row.revoked || row.parent_revoked) return null;
    // The index lookup found the row; still compare the digests in constant time before trusting it.
    if (!timingSafeEqual(Buffer.from(row.token_hash, "hex"), Buffer.from(hash, "hex"))) return null;
    if (row.expires_at && Date.parse(row.expires_at) <= now) return null;
    return {
      tokenId: Number(row.id),
      name: row.name,
      role: row.role as Role,
      projectKey: row.project_key,
      kind: row.kind,
    };
  },

  /** Lists live long-lived tokens (never their secrets), of one project only when `projectKey` is given. */
  async list(db: Kysely<Database>, projectKey: string | null = null): Promise<TokenRecord[]> {
    let query = db.selectFrom("access_tokens").selectAll().where("kind", "=", "api").where("revoked", "=", 0);
    if (projectKey !== null) query = query.where("project_key", "=", projectKey);
    const rows = await query.orderBy("id").execute();
    return rows.map(recordOf);
  },

  /** A live API token's record by id, or undefined. */
  async find(db: Kysely<Database>, id: number): Promise<TokenRecord | undefined> {
    const row = await db
      .selectFrom("access_tokens")
      .selectAll()
      .where("id", "=", id)
      .where("kind", "=", "api")
      .where("revoked", "=", 0)
      .executeTakeFirst();
    return row && recordOf(row);
  },

  /** Revokes a token and the OAuth access tokens minted from it; false when there was none. */
  async revoke(db: Kysely<Database>, id: number): Promise<boolean> {
    const result = await db
      .updateTable("access_tokens")
      .set({ revoked: 1 })
      .where((eb) => eb.or([eb("id", "=", id), eb("parent_id", "=", id)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  /** Whether a token with this exact hash is stored (used to keep VEXIL_ADMIN_TOKEN idempotent). */
  async exists(db: Kysely<Database>, token: string): Promise<boolean> {
    const row = await db
      .selectFrom("access_tokens")
      .select("id")
      .where("token_hash", "=", hashToken(token))
      .executeTakeFirst();
    return row !== undefined;
  },

  /** Whether any admin token exists (first start generates one when none does). */
  async hasAdmin(db: Kysely<Database>): Promise<boolean> {
    const row = await db
      .selectFrom("access_tokens")
      .select("id")
      .where("role", "=", "admin")
      .where("kind", "=", "api")
      .where("revoked", "=", 0)
      .executeTakeFirst();
    return row !== undefined;
  },

  /** Drops issued OAuth tokens that have expired. */
  async deleteExpired(db: Kysely<Database>, now = Date.now()): Promise<void> {
    await db
      .deleteFrom("access_tokens")
      .where("kind", "=", "oauth")
      .where("expires_at", "<", new Date(now).toISOString())
      .execute();
  },
};
