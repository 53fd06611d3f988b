import type { AppContext } from "../app-context.js";
import { patchLegacyExperiments } from "../experiments/legacy-flag-experiments.js";
import { badRequest, conflict, notFound } from "../http/api-error.js";
import type { JsonPatch } from "../http/json-patch.js";
import { launchDarklyCollection } from "../http/launchdarkly-collections.js";
import { acceptApiVersion, actorOf, isSemanticPatch, methodNotAllowed } from "../http/launchdarkly-http.js";
import { NoContent, responses } from "../http/response-schemas.js";
import type { TypedApp } from "../http/typed-app.js";
import { launchDarklyFlag } from "./flag-to-launchdarkly.js";
import {
  copyEnvironment,
  createDocument,
  listFlags,
  parseEnvironments,
  patchedDocument,
} from "./launchdarkly-flags.requests.js";
import {
  COPY_ACTIONS,
  CopyBody,
  FeatureFlagSchema,
  FeatureFlagsSchema,
  FlagParams,
  FlagPatchBody,
  FlagPostBody,
  GetQuery,
  ListQuery,
  ProjectParams,
} from "./launchdarkly-flags.schemas.js";
import { LaunchDarklyFlagsService } from "./launchdarkly-flags.service.js";
import { applySemanticPatch, type Instruction } from "./semantic-patch.js";

/**
 * LaunchDarkly REST API v2 "Feature flags" over Vexil's flags: list, get, create, JSON Patch and semantic
 * patch, delete, copy between environments. docs/launchdarkly-flags.md documents the mapping.
 */
export function launchDarklyFlagRoutes(app: TypedApp, context: AppContext) {
  const service = new LaunchDarklyFlagsService(context);
  const projects = context.services.projects;
  const tags = ["launchdarkly: flags"];
  const onRequest = acceptApiVersion;
  const collection = "/api/v2/flags/:projectKey";
  const one = `${collection}/:featureFlagKey`;

  app.get(
    collection,
    {
      onRequest,
      config: { access: "reader" },
      schema: {
        tags,
        params: ProjectParams,
        querystring: ListQuery,
        response: responses("launchdarkly", { 200: FeatureFlagsSchema }),
      },
    },
    async (request) => {
      const { projectKey } = request.params;
      const { mapping, views } = await service.all(projectKey);
      const query = request.query;
      const only = parseEnvironments(query.env, mapping.environments);
      const summary = query.summary === undefined ? true : query.summary === "1" || query.summary === "true";
      const selected = listFlags(views, query);
      const items = await Promise.all(
        selected.map(async (view) =>
          launchDarklyFlag(
            view,
            { ...mapping, experiments: await service.experimentsOf(projectKey, view.id) },
            { summary, only },
          ),
        ),
      );
      const params = new URLSearchParams();
      for (const name of ["filter", "sort", "summary", "env", "tag"] as const) {
        const value = query[name];
        if (value !== undefined) params.set(name, value);
      }
      return launchDarklyCollection(`/api/v2/flags/${projectKey}`, items, query, params.toString());
    },
  );

  app.get(
    one,
    {
      onRequest,
      config: { access: "reader" },
      schema: {
        tags,
        params: FlagParams,
        querystring: GetQuery,
        response: responses("launchdarkly", { 200: FeatureFlagSchema }),
      },
    },
    async (request) => {
      const { projectKey, featureFlagKey } = request.params;
      const read = await service.read(projectKey, featureFlagKey);
      const only = parseEnvironments(request.query.env, read.context.environments);
      return only ? launchDarklyFlag(read.view, read.context, { only }) : read.flag;
    },
  );

  app.post(
    collection,
    {
      onRequest,
      config: { access: "writer" },
      schema: {
        tags,
        params: ProjectParams,
        body: FlagPostBody,
        response: responses("launchdarkly", { 201: FeatureFlagSchema }),
      },
    },
    async (request, reply) => {
      const { projectKey } = request.params;
      const project = await projects.get(projectKey);
      const mapping = await service.mappingContext(projectKey);
      const document = createDocument(request.body, project, mapping);
      const read = await service.create(actorOf(request), projectKey, document);
      return reply.status(201).send(read.flag);
    },
  );

  app.patch(
    one,
    {
      onRequest,
      config: { access: "writer" },
      schema: {
        tags,
        params: FlagParams,
        body: FlagPatchBody,
        response: responses("launchdarkly", { 200: FeatureFlagSchema }),
      },
    },
    async (request) => {
      const { projectKey, featureFlagKey } = request.params;
      const body = request.body as Record<string, unknown> | JsonPatch;
      const actor = actorOf(request);
      if (isSemanticPatch(request)) {
        if (Array.isArray(body) || !Array.isArray(body.instructions)) {
          throw badRequest("A semantic patch body is {environmentKey?, instructions: [...], comment?}");
        }
        const semantic = body as { environmentKey?: string; instructions: Instruction[]; comment?: string };
        const read = await service.change(
          actor,
          projectKey,
          featureFlagKey,
          (doc) => applySemanticPatch(doc, semantic),
          semantic.comment,
        );
        return read.flag;
      }
      if (!Array.isArray(body) && Array.isArray(body.instructions)) {
        throw badRequest(
          "Instructions are a semantic patch: send 'Content-Type: application/json; domain-model=launchdarkly.semanticpatch'",
        );
      }
      const patch = (Array.isArray(body) ? body : body.patch) as JsonPatch;
      const comment = Array.isArray(body) ? undefined : (body.comment as string | undefined);
      const legacy = patch.filter((op) => op.path === "/experiments" || op.path.startsWith("/experiments/"));
      if (legacy.length > 0) {
        if (legacy.length !== patch.length) {
          throw badRequest(
            "A patch of /experiments cannot be mixed with other flag paths: send them separately",
          );
        }
        await service.exists(projectKey, featureFlagKey);
        await patchLegacyExperiments(context, actor, projectKey, featureFlagKey, body);
        return (await service.read(projectKey, featureFlagKey)).flag;
      }
      const read = await service.change(
        actor,
        projectKey,
        featureFlagKey,
        (doc) => patchedDocument(doc, patch),
        comment,
      );
      return read.flag;
    },
  );

  app.delete(
    one,
    {
      onRequest,
      config: { access: "admin" },
      schema: { tags, params: FlagParams, response: responses("launchdarkly", { 204: NoContent }) },
    },
    async (request, reply) => {
      await service.delete(actorOf(request), request.params.projectKey, request.params.featureFlagKey);
      return reply.status(204).send();
    },
  );

  app.post(
    `${one}/copy`,
    {
      onRequest,
      config: { access: "writer" },
      schema: {
        tags,
        params: FlagParams,
        body: CopyBody,
        response: responses("launchdarkly", { 201: FeatureFlagSchema }),
      },
    },
    async (request, reply) => {
      const { projectKey, featureFlagKey } = request.params;
      const { source, target, comment, includedActions, excludedActions } = request.body;
      if (includedActions && excludedActions)
        throw badRequest("Give includedActions or excludedActions, not both");
      const excluded: string[] = excludedActions ?? [];
      const actions = includedActions ?? COPY_ACTIONS.filter((a) => !excluded.includes(a));
      const read = await service.change(
        actorOf(request),
        projectKey,
        featureFlagKey,
        (doc, before) => {
          for (const side of [source, target]) {
            if (!before.context.environments.some((e) => e.key === side.key)) {
              throw notFound(`Environment '${side.key}' not found in project '${projectKey}'`);
            }
            if (side.currentVersion !== undefined && side.currentVersion !== before.view.version) {
              throw conflict(
                `${side.key}: currentVersion ${side.currentVersion} is not the flag's version ${before.view.version}`,
              );
            }
          }
          if (source.key === target.key) throw badRequest("source and target name the same environment");
          return copyEnvironment(doc, source.key, target.key, actions);
        },
        comment,
      );
      return reply.status(201).send(read.flag);
    },
  );

  methodNotAllowed(app, collection, ["GET", "POST"]);
  methodNotAllowed(app, one, ["GET", "PATCH", "DELETE"]);
  methodNotAllowed(app, `${one}/copy`, ["POST"], "writer");
}
