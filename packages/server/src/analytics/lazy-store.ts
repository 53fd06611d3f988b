import type { AnalyticsStore } from "./analytics-store.js";

/**
 * The embedded event store, opened on first use (docs/deployment.md, "Memory"): loading DuckDB's library and
 * opening its file costs ~45 MB of resident memory, which a server used for feature flags only (no events,
 * no experiments) never needs. The first ingestion, results query or automation over events opens it; a
 * failed open is retried by the next use.
 */
export class LazyAnalyticsStore implements AnalyticsStore {
  private opened: Promise<AnalyticsStore> | undefined;

  constructor(private readonly open: () => Promise<AnalyticsStore>) {}

  private store(): Promise<AnalyticsStore> {
    this.opened ??= this.open().catch((error: unknown) => {
      this.opened = undefined;
      throw error;
    });
    return this.opened;
  }

  async append(...args: Parameters<AnalyticsStore["append"]>) {
    return (await this.store()).append(...args);
  }
  async aggregate(...args: Parameters<AnalyticsStore["aggregate"]>) {
    return (await this.store()).aggregate(...args);
  }
  async ruleOutcomes(...args: Parameters<AnalyticsStore["ruleOutcomes"]>) {
    return (await this.store()).ruleOutcomes(...args);
  }
  async aggregateGoals(...args: Parameters<AnalyticsStore["aggregateGoals"]>) {
    return (await this.store()).aggregateGoals(...args);
  }
  async aggregateRegression(...args: Parameters<AnalyticsStore["aggregateRegression"]>) {
    return (await this.store()).aggregateRegression(...args);
  }
  async counts(...args: Parameters<AnalyticsStore["counts"]>) {
    return (await this.store()).counts(...args);
  }
  async goalBaseline(...args: Parameters<AnalyticsStore["goalBaseline"]>) {
    return (await this.store()).goalBaseline(...args);
  }
  async deleteOlderThan(...args: Parameters<AnalyticsStore["deleteOlderThan"]>) {
    return (await this.store()).deleteOlderThan(...args);
  }
  async deleteExperimentData(...args: Parameters<AnalyticsStore["deleteExperimentData"]>) {
    return (await this.store()).deleteExperimentData(...args);
  }

  async close(): Promise<void> {
    const opening = this.opened;
    this.opened = undefined;
    const store = await opening?.catch(() => undefined);
    await store?.close();
  }
}
