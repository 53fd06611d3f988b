import type { Kysely } from "kysely";
import type { Database } from "../storage/schema.js";
import type { MetricSettings } from "./launchdarkly-metric-view.js";

/** Reads and writes the LaunchDarkly-only attributes of metrics. */
export const metricSettingsStore = {
  async get(db: Kysely<Database>, goalIds: number[]): Promise<Map<number, MetricSettings>> {
    if (goalIds.length === 0) return new Map();
    const rows = await db
      .selectFrom("launchdarkly_metric_settings")
      .selectAll()
      .where("goal_id", "in", goalIds)
      .execute();
    return new Map(
      rows.map((row) => [
        Number(row.goal_id),
        { maintainerId: row.maintainer_id, selector: row.selector, urls: JSON.parse(row.urls) as unknown[] },
      ]),
    );
  },

  async put(db: Kysely<Database>, goalId: number, settings: MetricSettings): Promise<void> {
    await db.deleteFrom("launchdarkly_metric_settings").where("goal_id", "=", goalId).execute();
    await db
      .insertInto("launchdarkly_metric_settings")
      .values({
        goal_id: goalId,
        maintainer_id: settings.maintainerId,
        selector: settings.selector,
        urls: JSON.stringify(settings.urls),
      })
      .execute();
  },
};
