import type { Kysely } from "kysely";
import type { SqlDialect } from "../database.js";

/**
 * OAuth access tokens remember the API token they were minted from, so revoking that token revokes them
 * too (issue 13, finding 4). Tokens minted before this have no parent; they expire within the OAuth TTL.
 */
export async function tokenParentsMigration(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  await db.schema
    .alterTable("access_tokens")
    .addColumn("parent_id", dialect === "postgres" ? "bigint" : "integer")
    .execute();
  await db.schema.createIndex("access_tokens_parent").on("access_tokens").column("parent_id").execute();
}
