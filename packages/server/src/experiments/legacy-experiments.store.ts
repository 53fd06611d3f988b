import type { Kysely } from "kysely";
import type { Database } from "../storage/schema.js";

// LaunchDarkly's legacy (per-flag) experiments as stored beside the flag (flag_legacy_experiments and
// flag_legacy_experiment_settings); legacy-flag-experiments.ts reads and changes them.

export interface EnabledPeriod {
  startDate: number;
  stopDate?: number;
}

export interface EnvironmentSetting {
  startDate: number;
  stopDate?: number;
  enabledPeriods: EnabledPeriod[];
}

export interface LegacyItem {
  goalId: number;
  environments: string[];
  environmentSettings: Record<string, EnvironmentSetting>;
}

export interface LegacyExperiments {
  baselineIdx: number;
  items: LegacyItem[];
}

export const legacyStore = {
  async load(db: Kysely<Database>, flagId: number): Promise<LegacyExperiments> {
    const [rows, settings] = await Promise.all([
      db
        .selectFrom("flag_legacy_experiments")
        .selectAll()
        .where("flag_id", "=", flagId)
        .orderBy("position")
        .execute(),
      db
        .selectFrom("flag_legacy_experiment_settings")
        .select("baseline_idx")
        .where("flag_id", "=", flagId)
        .executeTakeFirst(),
    ]);
    return {
      baselineIdx: settings ? Number(settings.baseline_idx) : 0,
      items: rows.map((row) => ({
        goalId: Number(row.goal_id),
        environments: JSON.parse(row.environments) as string[],
        environmentSettings: JSON.parse(row.environment_settings) as Record<string, EnvironmentSetting>,
      })),
    };
  },

  async save(db: Kysely<Database>, flagId: number, value: LegacyExperiments): Promise<void> {
    await db.deleteFrom("flag_legacy_experiments").where("flag_id", "=", flagId).execute();
    await db.deleteFrom("flag_legacy_experiment_settings").where("flag_id", "=", flagId).execute();
    await db
      .insertInto("flag_legacy_experiment_settings")
      .values({ flag_id: flagId, baseline_idx: value.baselineIdx })
      .execute();
    if (value.items.length > 0) {
      await db
        .insertInto("flag_legacy_experiments")
        .values(
          value.items.map((item, position) => ({
            flag_id: flagId,
            goal_id: item.goalId,
            position,
            environments: JSON.stringify(item.environments),
            environment_settings: JSON.stringify(item.environmentSettings),
          })),
        )
        .execute();
    }
  },

  /** Flags that attach a goal (the metric delete check). */
  async flagsUsing(db: Kysely<Database>, goalId: number): Promise<{ flagId: number; featureKey: string }[]> {
    const rows = await db
      .selectFrom("flag_legacy_experiments")
      .innerJoin("flags", "flags.id", "flag_legacy_experiments.flag_id")
      .select(["flags.id as flagId", "flags.feature_key as featureKey"])
      .where("flag_legacy_experiments.goal_id", "=", goalId)
      .execute();
    return rows.map((r) => ({ flagId: Number(r.flagId), featureKey: r.featureKey }));
  },
};
