import { Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { ApiError } from "../http/api-error.js";
import { principalOf } from "../http/authentication.js";
import { assertProjectAccess } from "../http/principal.js";
import { Nullable, responses } from "../http/response-schemas.js";
import type { TypedApp } from "../http/typed-app.js";
import { auditStore } from "./audit.store.js";

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

/** An ISO 8601 date-time as the stored `at` text (UTC, toISOString), or a 400 naming the parameter. */
function instant(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  // Date.parse also takes forms like "March 7"; only ISO dates (with optional time) are documented.
  const time = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(time)) throw new ApiError(400, `querystring.${name} is not an ISO 8601 date-time`);
  return new Date(time).toISOString();
}

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
      const from = instant(request.query.from, "from");
      const to = instant(request.query.to, "to");
      if (from && to && from > to) throw new ApiError(400, "querystring.from is after querystring.to");
      return auditStore.list(context.db, { ...request.query, projectKey, from, to });
    },
  );
}
