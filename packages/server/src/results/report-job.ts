import { createHash } from "node:crypto";
import type { EventCount } from "../analytics/analytics-store.js";
import type { AppContext } from "../app-context.js";
import type { FlagRecord, StoredRule } from "../flags/flags.document.js";
import { findFlagRecord } from "../flags/flags.lookup.js";
import type { Goal } from "../goals/goals.store.js";
import { goalsStore } from "../goals/goals.store.js";
import { type Job, type JobContext, type JobHandlerOptions, JsonResult } from "../jobs/job-runner.js";
import {
  aggregate,
  analyze,
  buildReport,
  type PhaseTimings,
  type ReportInputs,
  type ResultsReport,
} from "./report.js";
import type { CanonicalResultsRequest } from "./results-request.js";

/** Job kind of a results report; key = its dataCode. */
export const RESULTS_REPORT_KIND = "results.report";

export interface ReportJobPayload {
  dataCode: string;
  projectKey: string;
  request: CanonicalResultsRequest;
}

export interface ReportJobMeta {
  /** The data the report was computed from (see dataWatermark); a request finding another one recomputes. */
  watermark: string;
  timings: PhaseTimings & { totalMs: number };
  queries: number;
  computedAt: string;
}

export interface ReportJobResult {
  meta: ReportJobMeta;
  data: ResultsReport;
}

/** A report that cannot be computed as asked (flag, rule or goal gone): FAILED at once, no retry. */
export class ReportInputError extends Error {
  override readonly name = "ReportInputError";
}

/**
 * What a report depends on besides its request: the flag's version (rules, allocations, variations), the
 * goals' definitions, and the event counts of the flag's project and environment. Equal watermarks mean
 * the report would come out the same, so a repeated request reuses it.
 */
export async function dataWatermark(
  context: AppContext,
  projectKey: string,
  environmentKey: string,
  flag: FlagRecord,
  goals: Goal[],
): Promise<string> {
  const counts: EventCount[] = await context.analytics.counts({ projectKey, environmentKey });
  const exposures = counts.filter((c) => c.kind === "exposure").reduce((s, c) => s + c.count, 0);
  const conversions = counts.filter((c) => c.kind === "conversion").reduce((s, c) => s + c.count, 0);
  const goalText = goals.map((g) => `${g.id}:${g.isNumeric}:${g.successCriteria}`).join(",");
  const goalHash = createHash("sha256").update(goalText).digest("hex").slice(0, 12);
  return `v${flag.meta.version}.e${exposures}.c${conversions}.g${goalHash}`;
}

/** The flag, rule and goals of a canonical request, as they are now. */
export async function loadReportInputs(
  context: AppContext,
  payload: ReportJobPayload,
): Promise<Omit<ReportInputs, "dataCode" | "projectKey"> & { flag: FlagRecord }> {
  const { request } = payload;
  const flag = await findFlagRecord(context, request.featureFlagId);
  if (!flag) throw new ReportInputError(`feature flag ${request.featureFlagId} no longer exists`);
  let rule: StoredRule | null = null;
  if (request.ruleId !== null) {
    const environment = flag.doc.environmentConfigurations.find(
      (e) => e.environmentKey === request.environmentKey,
    );
    rule = environment?.rolloutRules.find((r) => r.id === request.ruleId) ?? null;
    if (!rule)
      throw new ReportInputError(`rule ${request.ruleId} no longer exists in '${request.environmentKey}'`);
  }
  const found = await goalsStore.findByIds(context.db, request.goalsIds);
  const byId = new Map(found.map((g) => [g.id, g]));
  const goals = request.goalsIds.map((id) => {
    const goal = byId.get(id);
    if (!goal) throw new ReportInputError(`goal ${id} no longer exists`);
    return goal;
  });
  return { request, flag, rule, goals };
}

/** The `results.report` handler: aggregation, statistics, serialisation, each timed. */
export function reportHandler(context: AppContext) {
  return async (job: Job<ReportJobPayload>, ctx: JobContext): Promise<JsonResult> => {
    const started = performance.now();
    const payload = job.payload;
    const loaded = await loadReportInputs(context, payload);
    const inputs: ReportInputs = {
      ...loaded,
      dataCode: payload.dataCode,
      projectKey: payload.projectKey,
    };
    // Read before aggregating: events arriving meanwhile move the watermark, so the next request recomputes.
    const watermark = await dataWatermark(
      context,
      payload.projectKey,
      payload.request.environmentKey,
      loaded.flag,
      loaded.goals,
    );
    ctx.progress(5);
    const aggregationStart = performance.now();
    const aggregated = await aggregate(
      context.analytics,
      inputs,
      (fraction) => ctx.progress(5 + 80 * fraction),
      ctx.signal,
    );
    const statisticsStart = performance.now();
    ctx.progress(85);
    const analyzed = analyze(inputs, aggregated);
    ctx.progress(95);
    const serializationStart = performance.now();
    const data = buildReport(inputs, aggregated, analyzed, context.now());
    const dataJson = JSON.stringify(data);
    const finished = performance.now();
    const meta: ReportJobMeta = {
      watermark,
      timings: {
        aggregationMs: statisticsStart - aggregationStart,
        statisticsMs: serializationStart - statisticsStart,
        serializationMs: finished - serializationStart,
        totalMs: finished - started,
      },
      queries: aggregated.queries,
      computedAt: new Date(context.now()).toISOString(),
    };
    return new JsonResult(`{"meta":${JSON.stringify(meta)},"data":${dataJson}}`);
  };
}

export function reportHandlerOptions(context: AppContext): JobHandlerOptions {
  return {
    leaseMs: 60_000,
    retryDelayMs: (attempt, error, job) =>
      error instanceof ReportInputError || attempt >= job.maxAttempts
        ? null
        : Math.min(2000 * 2 ** (attempt - 1), 60_000),
    // Callbacks waiting for this report are made due now rather than at their next check.
    onFinished: async (job) => {
      if (job.key) await context.jobs.runNow("results.callback", `${job.key}:`);
    },
  };
}

/** The GET /results body (also the body of callbacks): status, progress, and the data or the error. */
export function resultsEnvelope(dataCode: string, job: Job<unknown, ReportJobResult>) {
  return {
    dataCode,
    status: job.status,
    progress: job.progress,
    ...(job.status === "READY" && job.result ? { data: job.result.data } : {}),
    ...(job.status === "FAILED" ? { error: job.error ?? "failed" } : {}),
  };
}
