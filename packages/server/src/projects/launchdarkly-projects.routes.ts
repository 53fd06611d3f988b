import { Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { ApiError } from "../http/api-error.js";
import { principalOf } from "../http/authentication.js";
import { applyJsonPatch, type JsonPatch, JsonPatchBody } from "../http/json-patch.js";
import { LimitOffset, launchDarklyCollection, selfLink } from "../http/launchdarkly-collections.js";
import { actorName } from "../http/principal.js";
import type { TypedApp } from "../http/typed-app.js";
import { environmentRoutes } from "./environment.routes.js";
import { EnvironmentParams, Key, NewEnvironmentBody, ProjectParams } from "./project-schemas.js";
import { ProjectsService } from "./projects.service.js";
import { type Environment, type Project, projectsStore } from "./projects.store.js";

const Expand = Type.Optional(Type.String({ description: "comma-separated: environments" }));

/** LaunchDarkly's Environment representation; `_id` and `mobileKey` carry Vexil's client-side key. */
export function launchDarklyEnvironment(environment: Environment) {
  const path = `/api/v2/projects/${environment.projectKey}/environments/${environment.key}`;
  return {
    _links: selfLink(path),
    _id: environment.clientKey,
    key: environment.key,
    name: environment.name,
    apiKey: environment.sdkKey,
    mobileKey: environment.clientKey,
    color: environment.color,
    defaultTtl: 0,
    secureMode: false,
    defaultTrackEvents: false,
    requireComments: false,
    confirmChanges: false,
    tags: [] as string[],
    critical: environment.key === "production",
  };
}

function launchDarklyProject(project: Project, environments: Environment[] | undefined) {
  const path = `/api/v2/projects/${project.key}`;
  return {
    _links: { ...selfLink(path), environments: { href: `${path}/environments`, type: "application/json" } },
    _id: project.key,
    key: project.key,
    name: project.name,
    tags: project.tags,
    includeInSnippetByDefault: false,
    defaultClientSideAvailability: { usingMobileKey: true, usingEnvironmentId: true },
    ...(environments
      ? {
          environments: launchDarklyCollection(
            `${path}/environments`,
            environments.map(launchDarklyEnvironment),
            { limit: 1000, offset: 0 },
          ),
        }
      : {}),
  };
}

const expands = (expand: string | undefined) => new Set((expand ?? "").split(",").map((s) => s.trim()));

/** LaunchDarkly REST API v2: projects and environments. */
export function launchDarklyProjectRoutes(app: TypedApp, context: AppContext) {
  const service = new ProjectsService(context);
  const tags = ["launchdarkly: projects"];

  app.get(
    "/api/v2/projects",
    {
      config: { access: "reader" },
      schema: {
        tags,
        querystring: Type.Object({ ...LimitOffset, expand: Expand, filter: Type.Optional(Type.String()) }),
      },
    },
    async (request) => {
      const { limit, offset, expand, filter } = request.query;
      let projects = await projectsStore.list(context.db, principalOf(request).projectKey);
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
            withEnvironments ? await projectsStore.environments(context.db, p.key) : undefined,
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
        body: Type.Object(
          {
            key: Key,
            name: Type.String({ minLength: 1, maxLength: 256 }),
            tags: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 100 })),
            environments: Type.Optional(Type.Array(NewEnvironmentBody, { minItems: 1, maxItems: 50 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { project, environments } = await service.create(actorName(principalOf(request)), request.body);
      return reply.status(201).send(launchDarklyProject(project, environments));
    },
  );

  app.get(
    "/api/v2/projects/:projectKey",
    {
      config: { access: "reader" },
      schema: { tags, params: ProjectParams, querystring: Type.Object({ expand: Expand }) },
    },
    async (request) => {
      const project = await service.get(request.params.projectKey);
      const environments = expands(request.query.expand).has("environments")
        ? await projectsStore.environments(context.db, project.key)
        : undefined;
      return launchDarklyProject(project, environments);
    },
  );

  app.patch(
    "/api/v2/projects/:projectKey",
    { config: { access: "writer" }, schema: { tags, params: ProjectParams, body: JsonPatchBody } },
    async (request) => {
      const patch = request.body as JsonPatch;
      const updated = await service.update(
        actorName(principalOf(request)),
        request.params.projectKey,
        (project) => {
          const next = applyJsonPatch({ name: project.name, tags: project.tags }, patch, ["/name", "/tags"]);
          if (typeof next.name !== "string" || next.name.length === 0)
            throw new ApiError(400, "/name must be a non-empty string");
          if (!Array.isArray(next.tags) || next.tags.some((t) => typeof t !== "string")) {
            throw new ApiError(400, "/tags must be an array of strings");
          }
          return { ...project, name: next.name, tags: next.tags as string[] };
        },
      );
      return launchDarklyProject(updated, await projectsStore.environments(context.db, updated.key));
    },
  );

  app.delete(
    "/api/v2/projects/:projectKey",
    { config: { access: "admin" }, schema: { tags, params: ProjectParams } },
    async (request, reply) => {
      await service.delete(actorName(principalOf(request)), request.params.projectKey);
      return reply.status(204).send();
    },
  );

  app.get(
    "/api/v2/projects/:projectKey/environments",
    {
      config: { access: "reader" },
      schema: { tags, params: ProjectParams, querystring: Type.Object(LimitOffset) },
    },
    async (request) => {
      const { projectKey } = request.params;
      await service.get(projectKey);
      const environments = (await projectsStore.environments(context.db, projectKey)).map(
        launchDarklyEnvironment,
      );
      return launchDarklyCollection(
        `/api/v2/projects/${projectKey}/environments`,
        environments,
        request.query,
      );
    },
  );

  environmentRoutes(app, service, { prefix: "/api/v2", tags, view: launchDarklyEnvironment });

  // LaunchDarkly resets the server-side key at /apiKey and the mobile key at /mobileKey.
  for (const [suffix, which] of [
    ["apiKey", "server"],
    ["mobileKey", "client"],
  ] as const) {
    app.post(
      `/api/v2/projects/:projectKey/environments/:environmentKey/${suffix}`,
      { config: { access: "admin" }, schema: { tags, params: EnvironmentParams } },
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
