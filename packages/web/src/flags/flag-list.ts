import type { RuleType } from "../api/types.js";

export interface FlagListFilters {
  search: string;
  tag: string;
  health: string;
  archived: "false" | "true" | "all";
  /** On or off in the environment shown ("" = either). */
  enabled: "" | "on" | "off";
  /** Has a rule of this type in the environment shown ("" = any). */
  ruleType: "" | RuleType;
  sort: string;
  page: number;
  perPage: number;
}

export const defaultFilters: FlagListFilters = {
  search: "",
  tag: "",
  health: "",
  archived: "false",
  enabled: "",
  ruleType: "",
  sort: "name",
  page: 1,
  perPage: 50,
};

/** The query of GET /feature-flags: every filter, the sort and the page, all applied by the server. */
export function listQuery(projectKey: string, environmentKey: string, f: FlagListFilters) {
  const search = f.search.trim();
  const inEnvironment = environmentKey && (f.enabled || f.ruleType);
  return {
    siteCode: projectKey,
    page: f.page,
    perPage: f.perPage,
    archived: f.archived,
    sort: f.sort,
    ...(f.tag.trim() ? { tags: f.tag.trim() } : {}),
    ...(f.health ? { health: f.health } : {}),
    ...(inEnvironment ? { environmentKey } : {}),
    ...(inEnvironment && f.enabled
      ? { enabled: f.enabled === "on" ? ("true" as const) : ("false" as const) }
      : {}),
    ...(f.ruleType ? { ruleType: f.ruleType } : {}),
    ...(search
      ? {
          filter: JSON.stringify({
            conditionalOperator: "OR",
            expressions: ["featureKey", "name", "description"].map((field) => ({
              field,
              operator: "CONTAINS",
              parameters: [search],
            })),
          }),
        }
      : {}),
  };
}

/** Whether any filter narrows the list (an empty list then means "no match", not "no flags yet"). */
export function isFiltered(f: FlagListFilters): boolean {
  return Boolean(f.search || f.tag || f.health || f.enabled || f.ruleType || f.archived !== "false");
}

/** Whether switching this environment deserves a confirmation (production by key or name). */
export function isProduction(environment: { key: string; name?: string }): boolean {
  return /prod/i.test(environment.key) || /prod/i.test(environment.name ?? "");
}
