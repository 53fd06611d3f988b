import { type Kysely, sql } from "kysely";
import { environmentStatesOf } from "../../flags/flags.tables.js";

/**
 * Flags get `environment_states` (on/off and rule types per environment, JSON) so that flag lists filter
 * on them server-side without reading every document. Same statements on SQLite and PostgreSQL.
 */
export async function flagEnvironmentStatesMigration(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("flags")
    .addColumn("environment_states", "text", (c) => c.notNull().defaultTo("{}"))
    .execute();
  await fillFlagEnvironmentStates(db);
}

/** Fills `environment_states` of every flag from its stored document. */
export async function fillFlagEnvironmentStates(db: Kysely<unknown>): Promise<void> {
  const rows = await sql<{ id: number; document: string }>`select id, document from flags`.execute(db);
  for (const row of rows.rows) {
    const states = JSON.stringify(environmentStatesOf(JSON.parse(row.document)));
    await sql`update flags set environment_states = ${states} where id = ${row.id}`.execute(db);
  }
}
