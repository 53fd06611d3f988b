import { type Kysely, sql } from "kysely";
import type { Database } from "../storage/schema.js";
import type { FlagRecord, StoredEnvironment, StoredRule } from "./flags.document.js";
import { toRecord } from "./flags.store.js";

// The queries automation asks of flags (issue 17 item 1): which rules of which flags it watches. Only flags
// knows how a flag is stored, so the filters live here, next to the writer (flags.store.ts stores the
// document as JSON.stringify output); test/flags-read-model.test.ts pins them against stored flags.

/** One rule of a non-archived flag, with where it is. */
export interface FlagRule {
  record: FlagRecord;
  environment: StoredEnvironment;
  rule: StoredRule;
}

/** The text `JSON.stringify` writes for one member, e.g. `"type":"PROGRESSIVE_DELIVERY"`. */
function member(key: string, value: unknown): string {
  return JSON.stringify({ [key]: value }).slice(1, -1);
}

/** LIKE pattern for a document containing `text`, with LIKE's wildcards escaped. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Non-archived flags whose document contains `text` (a cheap pre-filter that skips parsing the others),
 * oldest first; callers check the parsed rules.
 */
async function flagsContaining(db: Kysely<Database>, text: string): Promise<FlagRecord[]> {
  const rows = await db
    .selectFrom("flags")
    .selectAll()
    .where("archived", "=", 0)
    .where(sql<boolean>`document like ${containing(text)} escape '\\'`)
    .orderBy("id")
    .execute();
  return rows.map((row) => toRecord(row as Parameters<typeof toRecord>[0]));
}

function rulesOf(records: FlagRecord[], keep: (rule: StoredRule, environment: StoredEnvironment) => boolean) {
  const found: FlagRule[] = [];
  for (const record of records) {
    for (const environment of record.doc.environmentConfigurations) {
      for (const rule of environment.rolloutRules) {
        if (keep(rule, environment)) found.push({ record, environment, rule });
      }
    }
  }
  return found;
}

/** Reads for automation: rules by type, bandit rules, rules with rollback conditions, health. */
export const flagRules = {
  /**
   * Non-archived flags whose health automation keeps (all but PERMANENT ones), oldest first: at most `limit`
   * of them with an id above `afterId` (a page; the next starts after the last id).
   */
  async healthWatched(db: Kysely<Database>, afterId: number, limit: number): Promise<FlagRecord[]> {
    const rows = await db
      .selectFrom("flags")
      .selectAll()
      .where("archived", "=", 0)
      .where("health", "!=", "PERMANENT")
      .where("id", ">", afterId)
      .orderBy("id")
      .limit(limit)
      .execute();
    return rows.map((row) => toRecord(row as Parameters<typeof toRecord>[0]));
  },

  /** Flags with at least one rule of `type` (any state), parsed; oldest first. */
  flagsWithRuleType(db: Kysely<Database>, type: StoredRule["type"]): Promise<FlagRecord[]> {
    return flagsContaining(db, member("type", type)).then((records) =>
      records.filter((r) =>
        r.doc.environmentConfigurations.some((e) => e.rolloutRules.some((rule) => rule.type === type)),
      ),
    );
  },

  /** Every rule of a non-archived flag with multi-armed-bandit allocation on. */
  async banditRules(db: Kysely<Database>): Promise<FlagRule[]> {
    const records = await flagsContaining(db, member("multiArmedBandit", true));
    return rulesOf(records, (rule) => rule.multiArmedBandit === true);
  },

  /** Every ACTIVE rule with rollback conditions, in environments where its non-archived flag is on. */
  async watchedRules(db: Kysely<Database>): Promise<FlagRule[]> {
    const records = await flagsContaining(db, member("rollbackConditions", [{}]).slice(0, -2));
    return rulesOf(
      records,
      (rule, environment) =>
        environment.featureEnabled && rule.state === "ACTIVE" && (rule.rollbackConditions ?? []).length > 0,
    );
  },
};
