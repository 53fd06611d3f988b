import { Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { findGoalByKey } from "../goals/goals.service.js";
import { badRequest, notFound } from "../http/api-error.js";
import { launchDarklyCollection } from "../http/launchdarkly-collections.js";
import {
  acceptApiVersion,
  actorOf,
  isSemanticPatch,
  methodNotAllowed,
  parseExpand,
} from "../http/launchdarkly-http.js";
import type { TypedApp } from "../http/typed-app.js";
import { experimentResults } from "./experiment-results.js";
import { experimentRep, iterationIdOf } from "./experiment-view.js";
import {
  createdExperimentResponse,
  createdIterationResponse,
  experimentListResponse,
  experimentResponse,
  experimentResultsResponse,
  legacyResetResponse,
  legacyResultsResponse,
} from "./experiments.responses.js";
import {
  EnvironmentParams,
  EXPERIMENT_EXPANDS,
  EXPERIMENT_LIST_EXPANDS,
  ExpandQuery,
  ExperimentMetricParams,
  ExperimentParams,
  ExperimentPostSchema,
  IterationInputSchema,
  ListQuery,
  ResultsQuery,
  SemanticPatchSchema,
} from "./experiments.schemas.js";
import type { IterationStatus } from "./experiments.store.js";
import { legacyResults, resetLegacyResults } from "./legacy-results.js";

const ALL_EXPANDED = new Set(["previousIterations", "draftIteration", "secondaryMetrics", "treatments"]);
const STATUSES: IterationStatus[] = ["not_started", "running", "stopped"];

/** `filter=flagKey:...,metricKey:...,status:...` of the experiments list. */
function parseFilter(value: string | undefined) {
  const filter: { flagKey?: string; metricKey?: string; status?: IterationStatus } = {};
  for (const clause of (value ?? "")
    .split(",")
    .map((c) => c.trim())
    .filter(Boolean)) {
    const colon = clause.indexOf(":");
    const field = colon < 0 ? clause : clause.slice(0, colon);
    const text = colon < 0 ? "" : clause.slice(colon + 1).trim();
    if (text === "") throw badRequest(`filter: '${clause}' needs a value (field:value)`);
    if (field === "flagKey") filter.flagKey = text;
    else if (field === "metricKey") filter.metricKey = text;
    else if (field === "status") {
      if (!(STATUSES as string[]).includes(text)) {
        throw badRequest(`filter: status '${text}' is not one of ${STATUSES.join(", ")}`);
      }
      filter.status = text as IterationStatus;
    } else throw badRequest(`filter: unknown field '${field}' (supported: flagKey, metricKey, status)`);
  }
  return filter;
}

function parseLifecycle(value: string | undefined) {
  const states = (value ?? "active")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const state of states) {
    if (state !== "active" && state !== "archived") {
      throw badRequest(`lifecycleState: '${state}' is not one of active, archived`);
    }
  }
  return { active: states.includes("active"), archived: states.includes("archived") };
}

/** An epoch-milliseconds query value. */
function millis(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,16}$/.test(value)) throw badRequest(`querystring.${name} must be epoch milliseconds`);
  return Number(value);
}

/**
 * LaunchDarkly REST API v2: Experiments. `LD-API-Version` may be `beta`, a dated version or absent (400 for
 * anything else), checked after the usual token check (401) and before the body is read.
 */
export function launchDarklyExperimentRoutes(app: TypedApp, context: AppContext) {
  const service = context.services.experiments;
  const tags = ["launchdarkly: experiments (beta)"];
  const version = { onRequest: acceptApiVersion };
  const base = "/api/v2/projects/:projectKey/environments/:environmentKey/experiments";

  app.get(
    base,
    {
      ...version,
      config: { access: "reader" },
      schema: { tags, params: EnvironmentParams, querystring: ListQuery, response: experimentListResponse },
    },
    async (request) => {
      const { projectKey, environmentKey } = request.params;
      const { limit, offset, filter, expand, lifecycleState } = request.query;
      const expands = parseExpand(expand, EXPERIMENT_LIST_EXPANDS);
      const states = await service.list(
        projectKey,
        environmentKey,
        parseFilter(filter),
        parseLifecycle(lifecycleState),
      );
      const goals = await service.goalsOf(states);
      const units = expands.has("units") ? await service.unitsOf(states, goals) : undefined;
      const query = new URLSearchParams();
      if (filter) query.set("filter", filter);
      if (expand) query.set("expand", expand);
      if (lifecycleState) query.set("lifecycleState", lifecycleState);
      const { totalCount, ...collection } = launchDarklyCollection(
        `/api/v2/projects/${projectKey}/environments/${environmentKey}/experiments`,
        states.map((state) => {
          const rep = experimentRep(state, goals, expands);
          const count = units?.get(state.experiment.id);
          return count === undefined ? rep : { ...rep, units: count };
        }),
        { limit, offset },
        query.toString(),
      );
      // LaunchDarkly's experiment collection says total_count (unlike its other collections).
      return { ...collection, total_count: totalCount };
    },
  );

  app.post(
    base,
    {
      ...version,
      config: { access: "writer" },
      schema: {
        tags,
        params: EnvironmentParams,
        body: ExperimentPostSchema,
        response: createdExperimentResponse,
      },
    },
    async (request, reply) => {
      const { projectKey, environmentKey } = request.params;
      const state = await service.create(actorOf(request), projectKey, environmentKey, request.body);
      return reply.status(201).send(await service.view(state, ALL_EXPANDED));
    },
  );

  app.get(
    `${base}/:experimentKey`,
    {
      ...version,
      config: { access: "reader" },
      schema: { tags, params: ExperimentParams, querystring: ExpandQuery, response: experimentResponse },
    },
    async (request) => {
      const { projectKey, environmentKey, experimentKey } = request.params;
      const expands = parseExpand(request.query.expand, EXPERIMENT_EXPANDS);
      return service.view(await service.get(projectKey, environmentKey, experimentKey), expands);
    },
  );

  app.patch(
    `${base}/:experimentKey`,
    {
      ...version,
      config: { access: "writer" },
      preValidation: async (request) => {
        if (!isSemanticPatch(request)) {
          throw badRequest(
            "Experiments are updated with a semantic patch: send 'Content-Type: application/json; domain-model=launchdarkly.semanticpatch' and {comment?, instructions: [...]}",
          );
        }
      },
      schema: { tags, params: ExperimentParams, body: SemanticPatchSchema, response: experimentResponse },
    },
    async (request) => {
      const { projectKey, environmentKey, experimentKey } = request.params;
      const state = await service.patch(
        actorOf(request),
        projectKey,
        environmentKey,
        experimentKey,
        request.body,
      );
      return service.view(state, ALL_EXPANDED);
    },
  );

  app.post(
    `${base}/:experimentKey/iterations`,
    {
      ...version,
      config: { access: "writer" },
      schema: {
        tags,
        params: ExperimentParams,
        body: IterationInputSchema,
        response: createdIterationResponse,
      },
    },
    async (request, reply) => {
      const { projectKey, environmentKey, experimentKey } = request.params;
      const { state, iterationId } = await service.createIteration(
        actorOf(request),
        projectKey,
        environmentKey,
        experimentKey,
        request.body,
      );
      const goals = await service.goalsOf([state]);
      return reply.status(201).send(service.iterationView(state, iterationId, goals));
    },
  );

  app.get(
    `${base}/:experimentKey/metrics/:metricKey/results`,
    {
      ...version,
      config: { access: "reader" },
      schema: {
        tags,
        params: ExperimentMetricParams,
        querystring: ResultsQuery,
        response: experimentResultsResponse,
      },
    },
    async (request) => {
      const { projectKey, environmentKey, experimentKey, metricKey } = request.params;
      const state = await service.get(projectKey, environmentKey, experimentKey);
      const goal = await findGoalByKey(context, projectKey, metricKey);
      if (!goal) throw notFound(`Metric '${metricKey}' not found in project '${projectKey}'`);
      const { iterationId } = request.query;
      const iteration =
        iterationId === undefined
          ? state.iterations.current
          : state.iterations.all.find((i) => iterationIdOf(i) === iterationId);
      if (!iteration) {
        throw notFound(
          iterationId === undefined
            ? `Experiment '${experimentKey}' has no iteration`
            : `Iteration '${iterationId}' not found in experiment '${experimentKey}'`,
        );
      }
      if (!iteration.metrics.some((m) => m.goalId === goal.id)) {
        throw notFound(
          `Metric '${metricKey}' is not a metric of this iteration of experiment '${experimentKey}'`,
        );
      }
      const expand = parseExpand(request.query.expand, ["traffic"]);
      return experimentResults(context, state, iteration, goal, { traffic: expand.has("traffic") });
    },
  );

  // Legacy (per-flag) experiment results and their reset, in the same beta group.
  const LegacyParams = Type.Object({
    projectKey: Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}$" }),
    featureFlagKey: Type.String({ minLength: 1, maxLength: 255 }),
    environmentKey: Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}$" }),
    metricKey: Type.String({ minLength: 1, maxLength: 128 }),
  });
  const legacyPath = "/api/v2/flags/:projectKey/:featureFlagKey/experiments/:environmentKey/:metricKey";
  app.get(
    legacyPath,
    {
      ...version,
      config: { access: "reader" },
      schema: {
        tags,
        params: LegacyParams,
        querystring: Type.Object(
          { from: Type.Optional(Type.String()), to: Type.Optional(Type.String()) },
          { additionalProperties: false },
        ),
        response: legacyResultsResponse,
      },
    },
    async (request) => {
      const { projectKey, featureFlagKey, environmentKey, metricKey } = request.params;
      return legacyResults(context, projectKey, featureFlagKey, environmentKey, metricKey, {
        from: millis(request.query.from, "from"),
        to: millis(request.query.to, "to"),
      });
    },
  );
  app.delete(
    `${legacyPath}/results`,
    {
      ...version,
      config: { access: "writer" },
      schema: { tags, params: LegacyParams, response: legacyResetResponse },
    },
    async (request, reply) => {
      const { projectKey, featureFlagKey, environmentKey, metricKey } = request.params;
      await resetLegacyResults(
        context,
        actorOf(request),
        projectKey,
        featureFlagKey,
        environmentKey,
        metricKey,
      );
      return reply.status(204).send();
    },
  );

  methodNotAllowed(app, base, ["GET", "POST"]);
  methodNotAllowed(app, `${base}/:experimentKey`, ["GET", "PATCH"]);
  methodNotAllowed(app, `${base}/:experimentKey/iterations`, ["POST"]);
  methodNotAllowed(app, `${base}/:experimentKey/metrics/:metricKey/results`, ["GET"]);
  methodNotAllowed(app, legacyPath, ["GET"]);
  methodNotAllowed(app, `${legacyPath}/results`, ["DELETE"]);
}
