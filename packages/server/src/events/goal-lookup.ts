import type { AppContext } from "../app-context.js";

const CACHE_MS = 5000;

/** Resolves conversion goals (id or key) of a project, from a per-project map refreshed every few seconds. */
export class GoalLookup {
  private readonly byProject = new Map<
    string,
    { ids: Set<number>; byKey: Map<string, number>; until: number }
  >();

  constructor(private readonly context: AppContext) {}

  /** A synchronous resolver over the project's goals as of now. */
  async forProject(projectKey: string): Promise<(goal: number | string) => number | undefined> {
    let entry = this.byProject.get(projectKey);
    if (!entry || entry.until <= Date.now()) {
      const rows = await this.context.db
        .selectFrom("goals")
        .select(["id", "key"])
        .where("project_key", "=", projectKey)
        .execute();
      entry = {
        ids: new Set(rows.map((row) => row.id)),
        byKey: new Map(rows.map((row) => [row.key, row.id])),
        until: Date.now() + CACHE_MS,
      };
      this.byProject.set(projectKey, entry);
    }
    const { ids, byKey } = entry;
    return (goal) => (typeof goal === "number" ? (ids.has(goal) ? goal : undefined) : byKey.get(goal));
  }
}
