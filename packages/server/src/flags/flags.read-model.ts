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

/** Flags parsed per page by automation: a tick holds a few hundred documents at a time, not every flag. */
export const FLAG_PAGE = 500;

/**
 * Pages (FLAG_PAGE flags, oldest first) of the non-archived flags whose document contains `text`: a cheap
 * pre-filter that skips parsing the others; callers check the parsed rules. Between pages the event loop
 * runs (SQLite answers synchronously, so a tick over 10,000 flags would otherwise hold requests waiting).
 */
async function* flagsContaining(
  db: Kysely<Database>,
  text: string,
  pageSize: number,
): AsyncGenerator<FlagRecord[]> {
  for (let afterId = 0; ; ) {
    if (afterId > 0) await new Promise((resolve) => setImmediate(resolve));
    const rows = await db
      .selectFrom("flags")
      .selectAll()
      .where("archived", "=", 0)
      .where("id", ">", afterId)
      .where(sql<boolean>`document like ${containing(text)} escape '\\'`)
      .orderBy("id")
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    afterId = Number(rows[rows.length - 1]!.id);
    yield rows.map((row) => toRecord(row as Parameters<typeof toRecord>[0]));
  }
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

  /** Flags with at least one rule of `type` (any state), parsed, in pages (see flagsContaining); oldest first. */
  async *flagsWithRuleType(
    db: Kysely<Database>,
    type: StoredRule["type"],
    pageSize = FLAG_PAGE,
  ): AsyncGenerator<FlagRecord[]> {
    for await (const records of flagsContaining(db, member("type", type), pageSize)) {
      yield records.filter((r) =>
        r.doc.environmentConfigurations.some((e) => e.rolloutRules.some((rule) => rule.type === type)),
      );
    }
  },

  /** Every rule of a non-archived flag with multi-armed-bandit allocation on, in pages of flags. */
  async *banditRules(db: Kysely<Database>, pageSize = FLAG_PAGE): AsyncGenerator<FlagRule[]> {
    for await (const records of flagsContaining(db, member("multiArmedBandit", true), pageSize)) {
      yield rulesOf(records, (rule) => rule.multiArmedBandit === true);
    }
  },

  /**
   * Every ACTIVE rule with rollback conditions, in environments where its non-archived flag is on, in pages
   * of flags.
   */
  async *watchedRules(db: Kysely<Database>, pageSize = FLAG_PAGE): AsyncGenerator<FlagRule[]> {
    const text = member("rollbackConditions", [{}]).slice(0, -2);
    for await (const records of flagsContaining(db, text, pageSize)) {
      yield rulesOf(
        records,
        (rule, environment) =>
          environment.featureEnabled && rule.state === "ACTIVE" && (rule.rollbackConditions ?? []).length > 0,
      );
    }
  },
};
