import type { AppContext } from "../app-context.js";
import type { JsonPatch } from "../http/json-patch.js";
import { launchDarklyCollection } from "../http/launchdarkly-collections.js";
import { actorOf, methodNotAllowed, parseExpand } from "../http/launchdarkly-http.js";
import type { TypedApp } from "../http/typed-app.js";
import {
  createdMetricResponse,
  deletedMetricResponse,
  metricListResponse,
  metricResponse,
} from "./goals.responses.js";
import {
  EXPANDS,
  MetricListQuery,
  MetricParams,
  MetricPatchBody,
  MetricPostBody,
  MetricQuery,
  ProjectParams,
} from "./launchdarkly-metrics.schemas.js";

/** LaunchDarkly REST API v2: Metrics (LaunchDarklyMetricsService over Vexil goals). */
export function launchDarklyMetricRoutes(app: TypedApp, context: AppContext) {
  const metrics = context.services.launchDarklyMetrics;
  const tags = ["launchdarkly: metrics"];

  app.get(
    "/api/v2/metrics/:projectKey",
    {
      config: { access: "reader" },
      schema: { tags, params: ProjectParams, querystring: MetricListQuery, response: metricListResponse },
    },
    async (request) => {
      const { projectKey } = request.params;
      const { limit, offset, expand, filter, sort } = request.query;
      const items = await metrics.list(projectKey, { filter, sort, expand: parseExpand(expand, EXPANDS) });
      const query = new URLSearchParams();
      if (expand) query.set("expand", expand);
      if (filter) query.set("filter", filter);
      if (sort) query.set("sort", sort);
      return launchDarklyCollection(
        `/api/v2/metrics/${projectKey}`,
        items,
        { limit, offset },
        query.toString(),
      );
    },
  );

  app.post(
    "/api/v2/metrics/:projectKey",
    {
      config: { access: "writer" },
      schema: { tags, params: ProjectParams, body: MetricPostBody, response: createdMetricResponse },
    },
    async (request, reply) => {
      const created = await metrics.create(actorOf(request), request.params.projectKey, request.body);
      return reply.status(201).send(created);
    },
  );

  app.get(
    "/api/v2/metrics/:projectKey/:metricKey",
    {
      config: { access: "reader" },
      schema: { tags, params: MetricParams, querystring: MetricQuery, response: metricResponse },
    },
    async (request) => {
      const expand = parseExpand(request.query.expand, EXPANDS);
      return metrics.get(request.params.projectKey, request.params.metricKey, expand);
    },
  );

  app.patch(
    "/api/v2/metrics/:projectKey/:metricKey",
    {
      config: { access: "writer" },
      schema: { tags, params: MetricParams, body: MetricPatchBody, response: metricResponse },
    },
    async (request) => {
      const body = request.body as JsonPatch | { patch: JsonPatch };
      const patch = Array.isArray(body) ? body : body.patch;
      return metrics.patch(actorOf(request), request.params.projectKey, request.params.metricKey, patch);
    },
  );

  app.delete(
    "/api/v2/metrics/:projectKey/:metricKey",
    { config: { access: "writer" }, schema: { tags, params: MetricParams, response: deletedMetricResponse } },
    async (request, reply) => {
      await metrics.delete(actorOf(request), request.params.projectKey, request.params.metricKey);
      return reply.status(204).send();
    },
  );

  methodNotAllowed(app, "/api/v2/metrics/:projectKey", ["GET", "POST"]);
  methodNotAllowed(app, "/api/v2/metrics/:projectKey/:metricKey", ["GET", "PATCH", "DELETE"]);
}
