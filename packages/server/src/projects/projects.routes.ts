import { Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { principalOf } from "../http/authentication.js";
import { actorName } from "../http/principal.js";
import type { TypedApp } from "../http/typed-app.js";
import { environmentRoutes } from "./environment.routes.js";
import { EnvironmentParams, Key, NewEnvironmentBody, ProjectParams } from "./project-schemas.js";
import {
  createdProjectResponse,
  deletedResponse,
  type EnvironmentView,
  EnvironmentViewSchema,
  environmentListResponse,
  environmentResponse,
  type ProjectView,
  projectListResponse,
  projectResponse,
} from "./projects.responses.js";
import type { Environment, Project } from "./projects.store.js";

const NewProjectBody = Type.Object(
  {
    key: Key,
    name: Type.String({ minLength: 1, maxLength: 256 }),
    description: Type.Optional(Type.String({ maxLength: 4096 })),
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 100 })),
    environments: Type.Optional(Type.Array(NewEnvironmentBody, { minItems: 1, maxItems: 50 })),
  },
  { additionalProperties: false },
);
const ProjectPatchBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    description: Type.Optional(Type.String({ maxLength: 4096 })),
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
const RotateQuery = Type.Object(
  {
    keys: Type.Union([Type.Literal("server"), Type.Literal("client"), Type.Literal("both")], {
      default: "both",
    }),
  },
  { additionalProperties: false },
);

/**
 * An environment in Vexil's own API: both SDK keys are shown to every role of the project, readers included
 * (as LaunchDarkly's readers see them): a server key reads what a reader reads and can send events.
 */
function environmentView(environment: Environment): EnvironmentView {
  return {
    key: environment.key,
    name: environment.name,
    color: environment.color,
    serverSdkKey: environment.sdkKey,
    clientSdkKey: environment.clientKey,
    createdAt: environment.createdAt,
  };
}

const projectView = (project: Project, environments: Environment[]): ProjectView => ({
  ...project,
  environments: environments.map(environmentView),
});

/** Vexil's own project and environment API under /projects. */
export function projectRoutes(app: TypedApp, context: AppContext) {
  const service = context.services.projects;
  const tags = ["projects"];

  app.get(
    "/projects",
    { config: { access: "reader" }, schema: { tags, response: projectListResponse } },
    async (request) => {
      const projects = await context.services.projects.list(principalOf(request).projectKey);
      return Promise.all(
        projects.map(async (p) => projectView(p, await context.services.projects.environments(p.key))),
      );
    },
  );

  app.post(
    "/projects",
    {
      config: { access: "admin", scope: "global" },
      schema: { tags, body: NewProjectBody, response: createdProjectResponse },
    },
    async (request, reply) => {
      const { project, environments } = await service.create(actorName(principalOf(request)), request.body);
      return reply.status(201).send(projectView(project, environments));
    },
  );

  app.get(
    "/projects/:projectKey",
    { config: { access: "reader" }, schema: { tags, params: ProjectParams, response: projectResponse } },
    async (request) => {
      const project = await service.get(request.params.projectKey);
      return projectView(project, await context.services.projects.environments(project.key));
    },
  );

  app.patch(
    "/projects/:projectKey",
    {
      config: { access: "writer" },
      schema: { tags, params: ProjectParams, body: ProjectPatchBody, response: projectResponse },
    },
    async (request) => {
      const project = await service.update(
        actorName(principalOf(request)),
        request.params.projectKey,
        (p) => ({
          ...p,
          ...request.body,
        }),
      );
      // The same view as GET: its response schema includes the environments.
      return projectView(project, await context.services.projects.environments(project.key));
    },
  );

  app.delete(
    "/projects/:projectKey",
    { config: { access: "admin" }, schema: { tags, params: ProjectParams, response: deletedResponse } },
    async (request, reply) => {
      await service.delete(actorName(principalOf(request)), request.params.projectKey);
      return reply.status(204).send();
    },
  );

  app.get(
    "/projects/:projectKey/environments",
    {
      config: { access: "reader" },
      schema: { tags, params: ProjectParams, response: environmentListResponse },
    },
    async (request) => {
      await service.get(request.params.projectKey);
      return (await context.services.projects.environments(request.params.projectKey)).map(environmentView);
    },
  );

  environmentRoutes(app, service, {
    prefix: "",
    tags,
    view: environmentView,
    viewSchema: EnvironmentViewSchema,
    dialect: "kameleoon",
  });

  app.post(
    "/projects/:projectKey/environments/:environmentKey/rotate-keys",
    {
      config: { access: "admin" },
      schema: { tags, params: EnvironmentParams, querystring: RotateQuery, response: environmentResponse },
    },
    async (request) => {
      const { projectKey, environmentKey } = request.params;
      const environment = await service.rotateKeys(
        actorName(principalOf(request)),
        projectKey,
        environmentKey,
        request.query.keys,
      );
      return environmentView(environment);
    },
  );
}
