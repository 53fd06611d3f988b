import { type Kysely, sql } from "kysely";

/** Vexil's first frequency unit names and the names of Kameleoon's documented enumeration they mean. */
export const RENAMED_FREQUENCY_UNITS: Readonly<Record<string, string>> = {
  MINUTE: "Minutes",
  HOUR: "Hours",
  DAY: "Days",
  WEEK: "Weeks",
};

/** Renames the frequency units of a flag document's progressive rules; true when something changed. */
export function renameFrequencyUnits(document: {
  environmentConfigurations?: { rolloutRules?: { rolloutConfiguration?: unknown }[] }[];
}): boolean {
  let changed = false;
  for (const environment of document.environmentConfigurations ?? []) {
    for (const rule of environment.rolloutRules ?? []) {
      const frequency = (rule.rolloutConfiguration as { frequency?: { unit?: unknown } } | undefined)
        ?.frequency;
      const renamed =
        typeof frequency?.unit === "string" ? RENAMED_FREQUENCY_UNITS[frequency.unit] : undefined;
      if (frequency && renamed) {
        frequency.unit = renamed;
        changed = true;
      }
    }
  }
  return changed;
}

/**
 * Progressive rules stored with `frequency.unit` MINUTE|HOUR|DAY|WEEK take the documented Kameleoon names
 * (Minutes, Hours, Days, Weeks), the only ones the API now accepts and answers. Same statements on SQLite
 * and PostgreSQL (the document is JSON text on both); the version is left alone (the meaning is unchanged).
 */
export async function frequencyUnitsMigration(db: Kysely<unknown>): Promise<void> {
  const rows = await sql<{ id: number; document: string }>`
    select id, document from flags where document like ${'%"frequency"%'}`.execute(db);
  for (const row of rows.rows) {
    const document = JSON.parse(row.document);
    if (!renameFrequencyUnits(document)) continue;
    await sql`update flags set document = ${JSON.stringify(document)} where id = ${row.id}`.execute(db);
  }
}
