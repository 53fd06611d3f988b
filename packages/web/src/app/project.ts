import { queryOptions, useQuery } from "@tanstack/react-query";
import { useCallback, useSyncExternalStore } from "react";
import { useParams } from "react-router";
import { api, unwrap } from "../api/client.js";
import type { Project } from "../api/types.js";

/** GET /projects: every project the signed-in person may see. */
export const projectsQuery = queryOptions({
  queryKey: ["projects"],
  queryFn: async () => (await unwrap(api.GET("/projects"))).data as unknown as Project[],
  staleTime: 30_000,
});

/** Every project the signed-in person may see. */
export function useProjects() {
  return useQuery(projectsQuery);
}

/** The project of the current URL (/p/:projectKey/...) and its record once loaded. */
export function useCurrentProject() {
  const { projectKey = "" } = useParams();
  const projects = useProjects();
  const project = projects.data?.find((p) => p.key === projectKey);
  return { projectKey, project, projects };
}

const listeners = new Set<() => void>();
const storageKey = (projectKey: string) => `vexil.environment.${projectKey}`;

/** The environment picked in the header for a project (remembered per project in this browser). */
export function useEnvironment(projectKey: string, environments: { key: string }[] | undefined) {
  const stored = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => localStorage.getItem(storageKey(projectKey)),
  );
  const keys = environments?.map((e) => e.key) ?? [];
  const environmentKey = stored && keys.includes(stored) ? stored : (keys[0] ?? "");
  const setEnvironment = useCallback(
    (key: string) => {
      localStorage.setItem(storageKey(projectKey), key);
      for (const listener of listeners) listener();
    },
    [projectKey],
  );
  return [environmentKey, setEnvironment] as const;
}
