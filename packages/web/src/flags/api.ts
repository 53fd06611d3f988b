import { api, request, unwrap } from "../api/client.js";
import type { EnvironmentConfiguration, Flag, FlagDocument } from "../api/types.js";

/** The flag's version as an If-Match value: a write on a stale copy answers 409 instead of overwriting. */
export const ifMatch = (flag: { version: number }) => ({ "if-match": `"${flag.version}"` });

export async function fetchFlag(projectKey: string, featureKey: string): Promise<Flag> {
  const { data } = await unwrap(
    api.GET("/feature-flags/{siteCode}/{featureKey}", {
      params: { path: { siteCode: projectKey, featureKey } },
    }),
  );
  return data as unknown as Flag;
}

/** Merge-patches one environment of a flag (kill switch, default variation, rules) and the flag's goals. */
export async function patchEnvironment(
  flag: Flag,
  environmentKey: string,
  patch: Partial<EnvironmentConfiguration> & { primaryGoalId?: number | null; secondaryGoalIds?: number[] },
): Promise<Flag> {
  const url = `/feature-flags/${encodeURIComponent(flag.siteCode)}/${encodeURIComponent(flag.featureKey)}/${encodeURIComponent(environmentKey)}`;
  return (await request<Flag>("PATCH", url, patch, ifMatch(flag))).data;
}

/** Merge-patches the flag itself (name, description, tags, variations, variables). */
export async function patchFlag(flag: Flag, patch: Partial<FlagDocument>): Promise<Flag> {
  const url = `/feature-flags/${encodeURIComponent(flag.siteCode)}/${encodeURIComponent(flag.featureKey)}`;
  return (await request<Flag>("PATCH", url, patch, ifMatch(flag))).data;
}

export async function createFlag(document: FlagDocument): Promise<Flag> {
  return (await unwrap(api.POST("/feature-flags", { body: document }))).data as unknown as Flag;
}

/** POST .../archive, .../restore or .../duplicate. */
export async function flagAction(flag: Flag, action: "archive" | "restore" | "duplicate", body?: unknown) {
  const url = `/feature-flags/${encodeURIComponent(flag.siteCode)}/${encodeURIComponent(flag.featureKey)}/${action}`;
  return (await request<Flag>("POST", url, body)).data;
}
