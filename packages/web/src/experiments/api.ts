import { keepPreviousData, type QueryClient, queryOptions, useQuery } from "@tanstack/react-query";
import { useRef } from "react";
import { api, unwrap } from "../api/client.js";
import type { ResultsEnvelope, ResultsReport, ResultsRequest } from "../api/types.js";
import { projectsQuery } from "../app/project.js";
import { flagQuery } from "../flags/queries.js";
import {
  cumulativeRequest,
  defaultOptions,
  type ExperimentSummary,
  experimentSummary,
  reportGoalIds,
  resultsRequest,
} from "./results-logic.js";

const PAGE = 1000;

/**
 * Every experiment of a project (active and archived), over its environments (LaunchDarkly's list); with
 * `units`, each one's units (expand=units: one aggregation per started experiment, on the server).
 */
export async function fetchExperiments(
  projectKey: string,
  environmentKeys: string[],
  withUnits = false,
): Promise<(ExperimentSummary & { key: string; units: number | null })[]> {
  const lists = await Promise.all(
    environmentKeys.map(async (environmentKey) => {
      const items = [];
      for (let offset = 0; ; offset += PAGE) {
        const { data } = await unwrap(
          api.GET("/api/v2/projects/{projectKey}/environments/{environmentKey}/experiments", {
            params: {
              path: { projectKey, environmentKey },
              query: {
                limit: PAGE,
                offset,
                lifecycleState: "active,archived",
                ...(withUnits ? { expand: "units" } : {}),
              },
            },
          }),
        );
        items.push(...data.items);
        if (items.length >= data.total_count || data.items.length === 0) break;
      }
      return items.map((item) => ({ ...experimentSummary(item), key: item.key, units: item.units ?? null }));
    }),
  );
  return lists.flat().sort((a, b) => b.createdAt - a.createdAt);
}

const experimentsQuery = (projectKey: string, environmentKeys: string[] | undefined, withUnits = false) =>
  queryOptions({
    queryKey: ["experiments", projectKey, environmentKeys, withUnits],
    queryFn: () => fetchExperiments(projectKey, environmentKeys ?? [], withUnits),
    // The page that mounts after the router's prefetch uses it as is.
    staleTime: 10_000,
  });

/** The project's experiments (cached per project); with `withUnits`, their units too (slower). */
export function useExperiments(projectKey: string, environmentKeys: string[] | undefined, withUnits = false) {
  return useQuery({
    ...experimentsQuery(projectKey, environmentKeys, withUnits),
    enabled: environmentKeys !== undefined,
  });
}

/**
 * Asks what the experiment page asks (projects, experiments, the experiment's flag, then its two reports
 * with the default options) as soon as the route is known, while the page's code loads: the reports'
 * computation starts without waiting for the page to render.
 */
export async function prefetchExperiment(client: QueryClient, projectKey: string, experimentId: string) {
  const projects = await client.ensureQueryData(projectsQuery);
  const environments = projects.find((p) => p.key === projectKey)?.environments.map((e) => e.key);
  if (!environments) return;
  const experiments = await client.ensureQueryData(experimentsQuery(projectKey, environments));
  const experiment = experiments.find((e) => e.id === experimentId);
  if (!experiment?.flagKey) return;
  const flag = await client.ensureQueryData(flagQuery(projectKey, experiment.flagKey));
  const body = resultsRequest(experiment, defaultOptions, reportGoalIds(flag), Date.now());
  await Promise.all([
    client.prefetchQuery(resultsRequestQuery(flag.id, body)),
    client.prefetchQuery(resultsRequestQuery(flag.id, cumulativeRequest(body))),
  ]);
}

/** The experiment's flag (its id is the results API's path parameter; its goals are the report's). */
export function useExperimentFlag(projectKey: string, flagKey: string | null) {
  return useQuery({ ...flagQuery(projectKey, flagKey ?? ""), enabled: flagKey !== null });
}

// Short: the page shows a report at most this long after it is ready (GET /results is a cheap read).
const POLL_MS = 100;

/** POST .../results: the dataCode of the report asked by the body (kept: the body names the report). */
const resultsRequestQuery = (flagId: number | undefined, body: ResultsRequest | null) =>
  queryOptions({
    queryKey: ["results-request", flagId, body],
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async () =>
      (
        await unwrap(
          api.POST("/feature-flags/{featureFlagId}/results", {
            params: { path: { featureFlagId: flagId ?? 0 } },
            body: body as ResultsRequest,
          }),
        )
      ).data.dataCode,
  });

/** Asks every report of a flag again: the server recomputes those whose data changed. */
export async function refreshResults(client: QueryClient, flagId: number) {
  await client.invalidateQueries({ queryKey: ["results-request", flagId] });
  await client.invalidateQueries({ queryKey: ["results"] });
}

/**
 * A results report through the API's asynchronous job: POST .../results answers a dataCode at once, then
 * GET /results is polled until READY or FAILED (its progress shown meanwhile). The page stays usable.
 */
export function useResultsJob(flagId: number | undefined, body: ResultsRequest | null) {
  const requested = useQuery({
    ...resultsRequestQuery(flagId, body),
    enabled: flagId !== undefined && body !== null,
    placeholderData: keepPreviousData,
  });
  const dataCode = requested.data;
  const envelope = useQuery({
    queryKey: ["results", dataCode],
    enabled: dataCode !== undefined,
    staleTime: Number.POSITIVE_INFINITY,
    // The last report stays on screen while a new one is computed.
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<ResultsEnvelope> =>
      (await unwrap(api.GET("/results", { params: { query: { dataCode: dataCode ?? "" } } }))).data,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === "READY" || status === "FAILED" ? false : POLL_MS;
    },
  });
  const current = envelope.data?.dataCode === dataCode && !requested.isPlaceholderData;
  const ready = current && envelope.data?.status === "READY" ? envelope.data.data : undefined;
  const lastReady = useRef<ResultsReport | undefined>(undefined);
  if (ready) lastReady.current = ready;
  return {
    /** A report is shown while the one for the latest request is computed. */
    updating: !ready,
    error: requested.error ?? envelope.error,
    retry: () => (requested.isError ? requested.refetch() : envelope.refetch()),
    status: current ? (envelope.data?.status ?? "PENDING") : "PENDING",
    progress: current ? (envelope.data?.progress ?? 0) : 0,
    report: ready ?? lastReady.current,
    failure:
      current && envelope.data?.status === "FAILED"
        ? (envelope.data.error ?? "The report failed")
        : undefined,
  };
}
