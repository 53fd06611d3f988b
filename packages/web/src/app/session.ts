import { queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, api, setCsrfToken, unwrap } from "../api/client.js";
import type { Session } from "../api/types.js";

export const sessionKey = ["session"] as const;

/** GET /session: the signed-in person (null when signed out); keeps the CSRF token for writes. */
export const sessionQuery = queryOptions({
  queryKey: sessionKey,
  queryFn: async (): Promise<Session | null> => {
    try {
      const { data } = await unwrap(api.GET("/session"));
      setCsrfToken(data.csrfToken);
      return data;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  staleTime: 60_000,
});

/** The signed-in person (null when signed out). */
export function useSession() {
  return useQuery(sessionQuery);
}

/** Signs out server-side and forgets every cached answer. */
export function useSignOut() {
  const client = useQueryClient();
  return async () => {
    await unwrap(api.DELETE("/session"));
    setCsrfToken(undefined);
    client.clear();
    client.setQueryData(sessionKey, null);
  };
}

const rank = { reader: 0, writer: 1, admin: 2 } as const;
/** Whether the signed-in person may write in a project (role at least writer, scope allows it). */
export function canWrite(session: Session | null | undefined, projectKey: string): boolean {
  if (!session) return false;
  const { role, projectKey: scope } = session.user;
  return rank[role] >= rank.writer && (scope === null || scope === projectKey);
}
