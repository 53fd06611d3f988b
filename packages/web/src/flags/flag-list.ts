import type { Flag, RuleType } from "../api/types.js";

export interface FlagListFilters {
  search: string;
  tag: string;
  health: string;
  archived: "false" | "true" | "all";
  sort: string;
  page: number;
  perPage: number;
}

export const defaultFilters: FlagListFilters = {
  search: "",
  tag: "",
  health: "",
  archived: "false",
  sort: "name",
  page: 1,
  perPage: 50,
};

/** The query of GET /feature-flags for the server-side filters (search, tag, health, archived, sort, page). */
export function listQuery(projectKey: string, f: FlagListFilters) {
  const search = f.search.trim();
  return {
    siteCode: projectKey,
    page: f.page,
    perPage: f.perPage,
    archived: f.archived,
    sort: f.sort,
    ...(f.tag.trim() ? { tags: f.tag.trim() } : {}),
    ...(f.health ? { health: f.health } : {}),
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

export interface ClientFilters {
  environmentKey: string;
  enabled: "" | "on" | "off";
  ruleType: "" | RuleType;
}

/** The filters the list API has no parameter for, applied to the flags of the page shown. */
export function matchesClientFilters(flag: Flag, f: ClientFilters): boolean {
  const env = flag.environmentConfigurations?.find((e) => e.environmentKey === f.environmentKey);
  if (f.enabled && Boolean(env?.featureEnabled) !== (f.enabled === "on")) return false;
  if (f.ruleType && !(env?.rolloutRules ?? []).some((r) => r.type === f.ruleType)) return false;
  return true;
}

/** Whether switching this environment deserves a confirmation (production by key or name). */
export function isProduction(environment: { key: string; name?: string }): boolean {
  return /prod/i.test(environment.key) || /prod/i.test(environment.name ?? "");
}
