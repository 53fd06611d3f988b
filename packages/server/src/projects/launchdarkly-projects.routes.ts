import { Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { ApiError } from "../http/api-error.js";
import { principalOf } from "../http/authentication.js";
import { applyJsonPatch, type JsonPatch, JsonPatchBody } from "../http/json-patch.js";
import { LimitOffset, launchDarklyCollection, selfLink } from "../http/launchdarkly-collections.js";
import { actorName } from "../http/principal.js";
import type { TypedApp } from "../http/typed-app.js";
import { environmentRoutes } from "./environment.routes.js";
import {
  EnvironmentParams,
  LaunchDarklyEnvironmentBody,
  type LaunchDarklyEnvironmentInput,
  LaunchDarklyProjectBody,
  ProjectParams,
} from "./project-schemas.js";
import {
  type LaunchDarklyEnvironment,
  LaunchDarklyEnvironmentSchema,
  type LaunchDarklyProjectRep,
  ldCreatedProjectResponse,
  ldDeletedResponse,
  ldEnvironmentListResponse,
  ldEnvironmentResponse,
  ldProjectListResponse,
  ldProjectResponse,
} from "./projects.responses.js";
import type { NewEnvironment } from "./projects.service.js";
import type { Environment, Project } from "./projects.store.js";

const Expand = Type.Optional(Type.String({ description: "comma-separated: environments" }));

/** LaunchDarkly's Environment representation; `_id` and `mobileKey` carry Vexil's client-side key. */
export function launchDarklyEnvironment(environment: Environment): LaunchDarklyEnvironment {
  const path = `/api/v2/projects/${environment.projectKey}/environments/${environment.key}`;
  const settings = environment.settings;
  return {
    _links: selfLink(path),
    _id: environment.clientKey,
    key: environment.key,
    name: environment.name,
    apiKey: environment.sdkKey,
    mobileKey: environment.clientKey,
    color: environment.color,
    defaultTtl: settings.defaultTtl ?? 0,
    secureMode: false,
    defaultTrackEvents: settings.defaultTrackEvents ?? false,
    requireComments: settings.requireComments ?? false,
    confirmChanges: settings.confirmChanges ?? false,
    tags: settings.tags ?? [],
    critical: settings.critical ?? environment.key === "production",
  };
}

/** What a LaunchDarkly EnvironmentPost creates; 400 for the options Vexil cannot honour. */
function environmentInput(body: LaunchDarklyEnvironmentInput, path = "body"): NewEnvironment {
  const { key, name, color, secureMode, source, ...settings } = body;
  if (secureMode) {
    throw new ApiError(
      400,
      `${path}.secureMode: secure mode is not supported (client-side evaluation does not check a hash); send false or omit it`,
    );
  }
  if (source !== undefined) {
    throw new ApiError(
      400,
      `${path}.source: creating an environment as a copy of another is not supported; copy flags with POST /api/v2/flags/{projectKey}/{flagKey}/copy`,
    );
  }
  return { key, name, color, settings };
}

/**
 * LaunchDarkly's Project representation. `environments` is the collection `Environments` on reads (with
 * `expand=environments`) and a plain array on create, as LaunchDarkly's ProjectRep reads it.
 */
function launchDarklyProject(
  project: Project,
  environments: Environment[] | undefined,
  shape: "collection" | "array" = "collection",
) {
  const path = `/api/v2/projects/${project.key}`;
  const settings = project.settings;
  const items = environments?.map(launchDarklyEnvironment);
  return {
    _links: { ...selfLink(path), environments: { href: `${path}/environments`, type: "application/json" } },
    _id: project.key,
    key: project.key,
    name: project.name,
    tags: project.tags,
    includeInSnippetByDefault: settings.includeInSnippetByDefault ?? false,
    defaultClientSideAvailability: settings.defaultClientSideAvailability ?? {
      usingMobileKey: true,
      usingEnvironmentId: settings.includeInSnippetByDefault ?? false,
    },
    ...(items
      ? {
          environments:
            shape === "array"
              ? items
              : launchDarklyCollection(`${path}/environments`, items, { limit: 1000, offset: 0 }),
        }
      : {}),
  };
}

const expands = (expand: string | undefined) => new Set((expand ?? "").split(",").map((s) => s.trim()));

/** LaunchDarkly REST API v2: projects and environments. */
export function launchDarklyProjectRoutes(app: TypedApp, context: AppContext) {
  const service = context.services.projects;
  const tags = ["launchdarkly: projects"];

  app.get(
    "/api/v2/projects",
    {
      config: { access: "reader" },
      schema: {
        tags,
        querystring: Type.Object({ ...LimitOffset, expand: Expand, filter: Type.Optional(Type.String()) }),
        response: ldProjectListResponse,
      },
    },
    async (request) => {
      const { limit, offset, expand, filter } = request.query;
      let projects = await context.services.projects.list(principalOf(request).projectKey);
      // LaunchDarkly's project filter: `query:<text>` matches key or name, `tags:<a>+<b>` any tag.
      for (const clause of (filter ?? "").split(",").filter(Boolean)) {
        const [field, value = ""] = clause.split(":");
        if (field === "query")
          projects = projects.filter((p) => p.key.includes(value) || p.name.includes(value));
        else if (field === "tags")
          projects = projects.filter((p) => value.split("+").some((t) => p.tags.includes(t)));
        else throw new ApiError(400, `filter: unknown field '${field}' (supported: query, tags)`);
      }
      const withEnvironments = expands(expand).has("environments");
      const items = await Promise.all(
        projects.map(async (p) =>
          launchDarklyProject(
            p,
            withEnvironments ? await context.services.projects.environments(p.key) : undefined,
          ),
        ),
      );
      return launchDarklyCollection("/api/v2/projects", items, { limit, offset });
    },
  );

  app.post(
    "/api/v2/projects",
    {
      config: { access: "admin", scope: "global" },
      schema: {
        tags,
        body: LaunchDarklyProjectBody,
        response: ldCreatedProjectResponse,
      },
    },
    async (request, reply) => {
      const { key, name, tags, environments, ...settings } = request.body;
      const { project, environments: created } = await service.create(actorName(principalOf(request)), {
        key,
        name,
        tags,
        settings,
        environments: environments?.map((e, i) => environmentInput(e, `body.environments.${i}`)),
      });
      return reply.status(201).send(launchDarklyProject(project, created, "array") as LaunchDarklyProjectRep);
    },
  );

  app.get(
    "/api/v2/projects/:projectKey",
    {
      config: { access: "reader" },
      schema: {
        tags,
        params: ProjectParams,
        querystring: Type.Object({ expand: Expand }),
        response: ldProjectResponse,
      },
    },
    async (request) => {
      const project = await service.get(request.params.projectKey);
      const environments = expands(request.query.expand).has("environments")
        ? await context.services.projects.environments(project.key)
        : undefined;
      return launchDarklyProject(project, environments);
    },
  );

  app.patch(
    "/api/v2/projects/:projectKey",
    {
      config: { access: "writer" },
      schema: { tags, params: ProjectParams, body: JsonPatchBody, response: ldProjectResponse },
    },
    async (request) => {
      const patch = request.body as JsonPatch;
      const updated = await service.update(
        actorName(principalOf(request)),
        request.params.projectKey,
        (project) => {
          const availability = project.settings.defaultClientSideAvailability ?? {
            usingEnvironmentId: project.settings.includeInSnippetByDefault ?? false,
            usingMobileKey: true,
          };
          const next = applyJsonPatch(
            { name: project.name, tags: project.tags, defaultClientSideAvailability: availability },
            patch,
            ["/name", "/tags", "/defaultClientSideAvailability"],
          );
          if (typeof next.name !== "string" || next.name.length === 0)
            throw new ApiError(400, "/name must be a non-empty string");
          if (!Array.isArray(next.tags) || next.tags.some((t) => typeof t !== "string")) {
            throw new ApiError(400, "/tags must be an array of strings");
          }
          // Which flags LaunchDarkly's client-side SDKs get (docs/launchdarkly-sdks.md).
          const { usingEnvironmentId, usingMobileKey, ...extra } = next.defaultClientSideAvailability ?? {};
          if (
            typeof usingEnvironmentId !== "boolean" ||
            typeof usingMobileKey !== "boolean" ||
            Object.keys(extra).length > 0
          ) {
            throw new ApiError(
              400,
              "/defaultClientSideAvailability must be {usingEnvironmentId: boolean, usingMobileKey: boolean}",
            );
          }
          return {
            ...project,
            name: next.name,
            tags: next.tags as string[],
            settings: {
              ...project.settings,
              // LaunchDarkly's older name of usingEnvironmentId, kept equal.
              includeInSnippetByDefault: usingEnvironmentId,
              defaultClientSideAvailability: { usingEnvironmentId, usingMobileKey },
            },
          };
        },
      );
      return launchDarklyProject(updated, await context.services.projects.environments(updated.key));
    },
  );

  app.delete(
    "/api/v2/projects/:projectKey",
    { config: { access: "admin" }, schema: { tags, params: ProjectParams, response: ldDeletedResponse } },
    async (request, reply) => {
      await service.delete(actorName(principalOf(request)), request.params.projectKey);
      return reply.status(204).send();
    },
  );

  app.get(
    "/api/v2/projects/:projectKey/environments",
    {
      config: { access: "reader" },
      schema: {
        tags,
        params: ProjectParams,
        querystring: Type.Object(LimitOffset),
        response: ldEnvironmentListResponse,
      },
    },
    async (request) => {
      const { projectKey } = request.params;
      await service.get(projectKey);
      const environments = (await context.services.projects.environments(projectKey)).map(
        launchDarklyEnvironment,
      );
      return launchDarklyCollection(
        `/api/v2/projects/${projectKey}/environments`,
        environments,
        request.query,
      );
    },
  );

  environmentRoutes(app, service, {
    prefix: "/api/v2",
    tags,
    view: launchDarklyEnvironment,
    viewSchema: LaunchDarklyEnvironmentSchema,
    dialect: "launchdarkly",
    create: { body: LaunchDarklyEnvironmentBody, input: environmentInput },
  });

  // LaunchDarkly resets the server-side key at /apiKey and the mobile key at /mobileKey.
  for (const [suffix, which] of [
    ["apiKey", "server"],
    ["mobileKey", "client"],
  ] as const) {
    app.post(
      `/api/v2/projects/:projectKey/environments/:environmentKey/${suffix}`,
      {
        config: { access: "admin" },
        schema: { tags, params: EnvironmentParams, response: ldEnvironmentResponse },
      },
      async (request) => {
        const { projectKey, environmentKey } = request.params;
        const rotated = await service.rotateKeys(
          actorName(principalOf(request)),
          projectKey,
          environmentKey,
          which,
        );
        return launchDarklyEnvironment(rotated);
      },
    );
  }
}
