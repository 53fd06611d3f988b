import { Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { principalOf } from "../http/authentication.js";
import { assertProjectAccess } from "../http/principal.js";
import { Nullable, responses } from "../http/response-schemas.js";
import type { TypedApp } from "../http/typed-app.js";

const AuditQuery = Type.Object(
  {
    projectKey: Type.Optional(Type.String()),
    resourceType: Type.Optional(Type.String()),
    resourceId: Type.Optional(Type.String()),
    actor: Type.Optional(
      Type.String({ minLength: 1, maxLength: 320, description: "part of the actor's name, any case" }),
    ),
    from: Type.Optional(Type.String({ maxLength: 64, description: "ISO 8601 date-time, inclusive" })),
    to: Type.Optional(Type.String({ maxLength: 64, description: "ISO 8601 date-time, exclusive" })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);

/** A page of the audit log, newest first; `before`/`after` are the resource as its API showed it. */
const AuditPage = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      projectKey: Nullable(Type.String()),
      actor: Type.String(),
      action: Type.String(),
      resourceType: Type.String(),
      resourceId: Type.String(),
      before: Type.Unknown(),
      after: Type.Unknown(),
      at: Type.String(),
    }),
  ),
  total: Type.Integer(),
});

/**
 * GET /audit-log: every change, who made it, before and after; readable by readers. Filters by project,
 * resource, actor and time.
 */
export function auditRoutes(app: TypedApp, context: AppContext) {
  app.get(
    "/audit-log",
    {
      config: { access: "reader" },
      schema: {
        tags: ["audit"],
        querystring: AuditQuery,
        response: responses("kameleoon", { 200: AuditPage }),
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const projectKey = request.query.projectKey ?? principal.projectKey ?? undefined;
      if (projectKey) assertProjectAccess(principal, projectKey);
      return context.services.audit.list({ ...request.query, projectKey });
    },
  );
}
