import { createHash } from "node:crypto";
import type { AppContext } from "../app-context.js";
import { type CallbackPolicy, RefusedCallbackTarget } from "../http/callback-target.js";
import { type Job, type JobHandlerOptions, RetryLater } from "../jobs/job-runner.js";
import {
  postJson,
  retryDelayWithinWindow,
  SIGNATURE_HEADER,
  signatureOf,
  TIMESTAMP_HEADER,
} from "../notifications/signed-delivery.js";
import { projectsStore } from "../projects/projects.store.js";
import {
  RESULTS_REPORT_KIND,
  type ReportJobPayload,
  type ReportJobResult,
  resultsEnvelope,
} from "./report-job.js";

/** Job kind of a results callback delivery; key `<dataCode>:<hash of the URL>`. */
export const RESULTS_CALLBACK_KIND = "results.callback";

export interface CallbackJobPayload {
  dataCode: string;
  url: string;
  projectKey: string;
}

/** Deliveries are retried (exponential backoff from 10 s, at most 1 h apart) for 24 h after the request. */
export const CALLBACK_RETRY_WINDOW_MS = 24 * 3600_000;
/** While the report is not finished yet, the callback waits (it is made due at once when the report ends). */
const WAIT_FOR_REPORT_MS = 60_000;

// Signing and delivery are shared with webhooks (notifications/signed-delivery.ts).
export { SIGNATURE_HEADER, signatureOf, TIMESTAMP_HEADER };

export function callbackJobKey(dataCode: string, url: string): string {
  return `${dataCode}:${createHash("sha256").update(url).digest("hex").slice(0, 16)}`;
}

export function callbackRetryDelayMs(attempt: number, error: unknown, job: Job, now: number): number | null {
  return retryDelayWithinWindow(attempt, error, job.createdAt, now, CALLBACK_RETRY_WINDOW_MS);
}

/** The `results.callback` handler: waits for the report, then delivers it signed. */
export function callbackHandler(context: AppContext) {
  const policy: CallbackPolicy = {
    allowPrivate: context.config.callbackAllowPrivate,
    allowedHosts: context.config.callbackAllowedHosts,
  };
  return async (job: Job<CallbackJobPayload>, ctx: { signal: AbortSignal }) => {
    const { dataCode, url, projectKey } = job.payload;
    const report = await context.jobs.find<ReportJobPayload, ReportJobResult>(RESULTS_REPORT_KIND, dataCode);
    if (!report) throw new RefusedCallbackTarget(`report ${dataCode} no longer exists`);
    if (report.status === "PENDING" || report.status === "RUNNING")
      throw new RetryLater(WAIT_FOR_REPORT_MS, "waiting for the report");
    const secret = await projectsStore.callbackSecret(context.db, projectKey);
    if (!secret) throw new RefusedCallbackTarget(`project '${projectKey}' no longer exists`);
    const timestamp = context.now();
    const body = JSON.stringify({ ...resultsEnvelope(dataCode, report), timestamp });
    const status = await postJson({
      url: new URL(url),
      body,
      headers: {
        [SIGNATURE_HEADER]: signatureOf(secret, body),
        [TIMESTAMP_HEADER]: String(timestamp),
        "x-vexil-delivery": `${job.id}.${job.attempts}`,
        "user-agent": "Vexil-Results-Callback/1",
      },
      policy,
      signal: ctx.signal,
      label: "callback",
    });
    return { deliveredAt: timestamp, status, reportStatus: report.status };
  };
}

export function callbackHandlerOptions(context: AppContext): JobHandlerOptions {
  return {
    leaseMs: 30_000,
    retryDelayMs: (attempt, error, job) => callbackRetryDelayMs(attempt, error, job, context.now()),
  };
}

/** Enough attempts for 24 h of backoff; the retry policy ends it by time. */
export const CALLBACK_MAX_ATTEMPTS = 1000;
