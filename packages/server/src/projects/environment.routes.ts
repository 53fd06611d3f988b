import type { TObject, TSchema } from "typebox";
import { principalOf } from "../http/authentication.js";
import type { ErrorDialect } from "../http/error-bodies.js";
import { actorName } from "../http/principal.js";
import { NoContent, responses } from "../http/response-schemas.js";
import type { TypedApp } from "../http/typed-app.js";
import { EnvironmentParams, NewEnvironmentBody, ProjectParams } from "./project-schemas.js";
import type { NewEnvironment, ProjectsService } from "./projects.service.js";
import type { Environment } from "./projects.store.js";

/**
 * Create, read and delete of one environment under `<prefix>/projects/:projectKey/environments`; both API
 * dialects share them and differ only in how an environment is shown.
 */
export function environmentRoutes(
  app: TypedApp,
  service: ProjectsService,
  options: {
    prefix: string;
    tags: string[];
    view: (environment: Environment) => object;
    /** The response schema of `view`, and the dialect of the error bodies. */
    viewSchema: TSchema;
    dialect: ErrorDialect;
    /** The dialect's create body and how it reads (default: Vexil's NewEnvironmentBody as it is). */
    create?: { body: TObject; input: (body: never) => NewEnvironment };
  },
) {
  const { prefix, tags, view, viewSchema, dialect } = options;
  const create = options.create ?? { body: NewEnvironmentBody, input: (body: NewEnvironment) => body };
  const collection = `${prefix}/projects/:projectKey/environments`;

  app.post(
    collection,
    {
      config: { access: "admin" },
      schema: {
        tags,
        params: ProjectParams,
        body: create.body,
        response: responses(dialect, { 201: viewSchema }),
      },
    },
    async (request, reply) => {
      const environment = await service.createEnvironment(
        actorName(principalOf(request)),
        request.params.projectKey,
        create.input(request.body as never),
      );
      return reply.status(201).send(view(environment));
    },
  );

  app.get(
    `${collection}/:environmentKey`,
    {
      config: { access: "reader" },
      schema: { tags, params: EnvironmentParams, response: responses(dialect, { 200: viewSchema }) },
    },
    async (request) =>
      view(await service.environment(request.params.projectKey, request.params.environmentKey)),
  );

  app.delete(
    `${collection}/:environmentKey`,
    {
      config: { access: "admin" },
      schema: { tags, params: EnvironmentParams, response: responses(dialect, { 204: NoContent }) },
    },
    async (request, reply) => {
      const { projectKey, environmentKey } = request.params;
      await service.deleteEnvironment(actorName(principalOf(request)), projectKey, environmentKey);
      return reply.status(204).send();
    },
  );
}
