import { queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "../api/client.js";
import type { Flag } from "../api/types.js";
import { fetchFlag } from "./api.js";
import type { listQuery } from "./flag-list.js";

// The flags pages' queries, shared with the router, which starts them with the page's chunk
// (main.tsx: the data does not wait for the code). Fresh for a few seconds, so the page that mounts after
// the router's prefetch does not ask again; writes invalidate them at once (useFlagWrite).
const FRESH_MS = 3_000;

export const flagKey = (projectKey: string, featureKey: string) => ["flags", "one", projectKey, featureKey];

/** A flag by project and key (GET /feature-flags/{siteCode}/{featureKey}). */
export const flagQuery = (projectKey: string, featureKey: string) =>
  queryOptions({
    queryKey: flagKey(projectKey, featureKey),
    staleTime: FRESH_MS,
    queryFn: () => fetchFlag(projectKey, featureKey),
  });

/** One page of the flags list with the count of every flag the filters keep. */
export const flagListQuery = (query: ReturnType<typeof listQuery>) =>
  queryOptions({
    queryKey: ["flags", "list", query],
    staleTime: FRESH_MS,
    queryFn: async () => {
      const { data, response } = await unwrap(api.GET("/feature-flags", { params: { query } }));
      return {
        items: data as unknown as Flag[],
        total: Number(response.headers.get("x-pagination-total-count")),
      };
    },
  });
