import { createHash, createHmac } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { AppContext } from "../app-context.js";
import { type Job, type JobHandlerOptions, RetryLater } from "../jobs/job-runner.js";
import { projectsStore } from "../projects/projects.store.js";
import {
  assertDeliverableHost,
  type CallbackPolicy,
  guardedLookup,
  RefusedCallbackTarget,
} from "./callback-target.js";
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
const FIRST_RETRY_MS = 10_000;
const MAX_RETRY_MS = 3600_000;
/** While the report is not finished yet, the callback waits (it is made due at once when the report ends). */
const WAIT_FOR_REPORT_MS = 60_000;
const DELIVERY_TIMEOUT_MS = 10_000;

export const SIGNATURE_HEADER = "x-vexil-signature";
export const TIMESTAMP_HEADER = "x-vexil-timestamp";

export function callbackJobKey(dataCode: string, url: string): string {
  return `${dataCode}:${createHash("sha256").update(url).digest("hex").slice(0, 16)}`;
}

/** `sha256=<hex HMAC-SHA256 of the raw body>` with the project's callback secret. */
export function signatureOf(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export function callbackRetryDelayMs(attempt: number, error: unknown, job: Job, now: number): number | null {
  if (error instanceof RefusedCallbackTarget) return null;
  const delay = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1), MAX_RETRY_MS);
  return now + delay <= job.createdAt + CALLBACK_RETRY_WINDOW_MS ? delay : null;
}

class DeliveryFailed extends Error {
  override readonly name = "DeliveryFailed";
}

/** POSTs `body` to `url`; resolves on a 2xx answer, rejects otherwise (status, timeout, refused address). */
function post(
  url: URL,
  body: string,
  headers: Record<string, string>,
  policy: CallbackPolicy,
  signal: AbortSignal,
) {
  assertDeliverableHost(url, policy);
  const transport = url.protocol === "https:" ? https : http;
  return new Promise<number>((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          ...headers,
        },
        lookup: guardedLookup(policy),
        timeout: DELIVERY_TIMEOUT_MS,
        signal,
      },
      (response) => {
        response.resume();
        response.on("end", () => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(status);
          else reject(new DeliveryFailed(`callback answered HTTP ${status}`));
        });
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new DeliveryFailed("callback timed out")));
    request.on("error", reject);
    request.end(body);
  });
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
    const status = await post(
      new URL(url),
      body,
      {
        [SIGNATURE_HEADER]: signatureOf(secret, body),
        [TIMESTAMP_HEADER]: String(timestamp),
        "x-vexil-delivery": `${job.id}.${job.attempts}`,
        "user-agent": "Vexil-Results-Callback/1",
      },
      policy,
      ctx.signal,
    );
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
