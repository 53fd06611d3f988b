import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client.js";
import type { Segment } from "../api/types.js";

/** The project's segments (for rule segment pickers and the segments list). */
export function useSegments(projectKey: string) {
  return useQuery({
    queryKey: ["segments", projectKey],
    queryFn: async () =>
      (await unwrap(api.GET("/segments", { params: { query: { siteCode: projectKey } } })))
        .data as unknown as Segment[],
    staleTime: 30_000,
  });
}

export interface Goal {
  id: number;
  name: string;
}

/** The project's goals (for rollback conditions). */
export function useGoals(projectKey: string) {
  return useQuery({
    queryKey: ["goals", projectKey],
    queryFn: async () =>
      (await unwrap(api.GET("/goals", { params: { query: { siteCode: projectKey } } })))
        .data as unknown as Goal[],
    staleTime: 30_000,
  });
}
