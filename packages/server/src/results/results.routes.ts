import type { AppContext } from "../app-context.js";
import { findFlagRecord } from "../flags/flags.lookup.js";
import { ApiError } from "../http/api-error.js";
import { principalOf } from "../http/authentication.js";
import { checkCallbackUrl } from "../http/callback-target.js";
import { assertProjectAccess, type Principal } from "../http/principal.js";
import { responses } from "../http/response-schemas.js";
import type { TypedApp } from "../http/typed-app.js";
import {
  CALLBACK_MAX_ATTEMPTS,
  type CallbackJobPayload,
  callbackJobKey,
  RESULTS_CALLBACK_KIND,
} from "./callback.js";
import { DataCodeSchema, ResultsEnvelopeSchema } from "./report.schemas.js";
import {
  dataWatermark,
  loadReportInputs,
  RESULTS_REPORT_KIND,
  type ReportJobPayload,
  type ReportJobResult,
  resultsEnvelope,
} from "./report-job.js";
import {
  FeatureFlagIdParams,
  ResultsQuery,
  ResultsRequestBody,
  type ResultsRequestInput,
} from "./results.schemas.js";
import { canonicalRequest, dataCodeOf } from "./results-request.js";

/** Requests a report: validates, answers its dataCode, and makes sure one up-to-date computation exists. */
export async function requestResults(
  context: AppContext,
  principal: Principal,
  featureFlagId: number,
  body: ResultsRequestInput,
): Promise<{ dataCode: string }> {
  const flag = await findFlagRecord(context, featureFlagId);
  if (!flag) throw new ApiError(404, `Feature flag ${featureFlagId} not found`);
  const projectKey = flag.meta.projectKey;
  assertProjectAccess(principal, projectKey);
  const environments = (await context.services.projects.environments(projectKey)).map((e) => e.key);
  const request = canonicalRequest(flag, body, environments);
  await checkCovariateGoals(context, projectKey, request.varianceReduction?.covariateGoalIds ?? []);
  const callbackUrl =
    body.callbackUrl === undefined || body.callbackUrl === null
      ? undefined
      : await checkCallbackUrl(body.callbackUrl, {
          allowPrivate: context.config.callbackAllowPrivate,
          allowedHosts: context.config.callbackAllowedHosts,
        });
  const dataCode = dataCodeOf(request);
  const payload: ReportJobPayload = { dataCode, projectKey, request };

  const existing = await context.jobs.find<ReportJobPayload, ReportJobResult>(RESULTS_REPORT_KIND, dataCode);
  let rerun = existing?.status === "FAILED";
  if (existing?.status === "READY") {
    // Reuse the report while the data it was computed from has not changed.
    const inputs = await loadReportInputs(context, payload);
    const watermark = await dataWatermark(
      context,
      projectKey,
      request.environmentKey,
      inputs.flag,
      inputs.goals,
    );
    rerun = existing.result?.meta.watermark !== watermark;
  }
  if (!existing || rerun) {
    await context.jobs.enqueue(
      { kind: RESULTS_REPORT_KIND, key: dataCode, payload, maxAttempts: 3 },
      { whenFinished: rerun ? "rerun" : "keep" },
    );
  }
  if (callbackUrl) {
    const callback: CallbackJobPayload = { dataCode, url: callbackUrl.toString(), projectKey };
    await context.jobs.enqueue(
      {
        kind: RESULTS_CALLBACK_KIND,
        key: callbackJobKey(dataCode, callback.url),
        payload: callback,
        maxAttempts: CALLBACK_MAX_ATTEMPTS,
      },
      { whenFinished: "rerun" },
    );
  }
  return { dataCode };
}

/** Regression covariates may be any goal of the flag's project (a goal the flag does not report on too). */
async function checkCovariateGoals(context: AppContext, projectKey: string, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  const known = new Set((await context.services.goals.list([projectKey])).map((g) => g.id));
  ids.forEach((id, index) => {
    if (!known.has(id))
      throw new ApiError(
        400,
        `body.varianceReduction.covariateGoalIds.${index}: project '${projectKey}' has no goal ${id}`,
      );
  });
}

/** GET /results: the report's status, progress, and data once READY (or the error once FAILED). */
export async function pollResults(context: AppContext, principal: Principal, dataCode: string) {
  const job = await context.jobs.find<ReportJobPayload, ReportJobResult>(RESULTS_REPORT_KIND, dataCode);
  if (!job) throw new ApiError(404, `No results for dataCode ${dataCode}`);
  assertProjectAccess(principal, job.payload.projectKey);
  return resultsEnvelope(dataCode, job);
}

/** Kameleoon's feature-flag results: POST /feature-flags/{featureFlagId}/results and GET /results. */
export function resultsRoutes(app: TypedApp, context: AppContext) {
  const tags = ["results"];

  // Reader is enough: requesting a report changes no configuration.
  app.post(
    "/feature-flags/:featureFlagId/results",
    {
      config: { access: "reader" },
      schema: {
        tags,
        params: FeatureFlagIdParams,
        body: ResultsRequestBody,
        response: responses("kameleoon", { 200: DataCodeSchema }),
      },
    },
    async (request) =>
      requestResults(context, principalOf(request), request.params.featureFlagId, request.body),
  );

  app.get(
    "/results",
    {
      config: { access: "reader" },
      schema: {
        tags,
        querystring: ResultsQuery,
        response: responses("kameleoon", { 200: ResultsEnvelopeSchema }),
      },
    },
    async (request) => pollResults(context, principalOf(request), request.query.dataCode),
  );
}
