import type { FastifyBaseLogger } from "fastify";
import { Type } from "typebox";
import { EventsBodySchema, MAX_EVENTS_PER_REQUEST } from "../analytics/event-schema.js";
import type { AppContext } from "../app-context.js";
import { ApiError } from "../http/api-error.js";
import { principalOf } from "../http/authentication.js";
import { errorBody, errorDialectOf } from "../http/error-bodies.js";
import { assertProjectAccess, type Principal } from "../http/principal.js";
import { type KameleoonError, KameleoonErrorSchema, responses } from "../http/response-schemas.js";
import { allowBrowsers, preflight } from "../http/sdk-http.js";
import type { TypedApp } from "../http/typed-app.js";
import { authenticateSdkKey } from "../projects/sdk-keys.js";
import { compactEventCount, validateCompactBatch } from "./compact-batch.js";
import { validateEvents } from "./event-validation.js";
import { GoalLookup } from "./goal-lookup.js";
import { IngestionGate } from "./ingestion-gate.js";

const MAX_EVENTS = MAX_EVENTS_PER_REQUEST;
const MAX_BYTES = 5 * 1024 * 1024;
const MAX_PENDING_EVENTS = 200_000;
const MAX_PAYLOAD_ID = 128;

// 400 names each bad event (`errors`); SDKs drop those and resend the rest.
const ingestionResponses = responses("kameleoon", {
  202: Type.Object({ accepted: Type.Integer(), duplicate: Type.Boolean() }),
  400: Type.Object({
    ...KameleoonErrorSchema.properties,
    errors: Type.Optional(Type.Array(Type.Object({ index: Type.Integer(), message: Type.String() }))),
  }),
});
const EventCounts = Type.Object({
  counts: Type.Array(
    Type.Object({
      kind: Type.Enum(["exposure", "conversion"]),
      projectKey: Type.String(),
      environmentKey: Type.String(),
      count: Type.Integer(),
    }),
  ),
  pendingEvents: Type.Integer(),
});

/** POST /events/v1/bulk (either SDK key) and the admin view of stored events. */
export function eventRoutes(app: TypedApp, context: AppContext) {
  const gate = new IngestionGate(MAX_PENDING_EVENTS);
  const goals = new GoalLookup(context);

  app.options(
    "/events/v1/bulk",
    { config: { access: "public" }, schema: { hide: true } },
    (_request, reply) => preflight(reply, "POST"),
  );
  app.post(
    "/events/v1/bulk",
    {
      config: { access: "sdk" },
      bodyLimit: MAX_BYTES,
      schema: { tags: ["events"], body: EventsBodySchema, response: ingestionResponses },
      // The schema documents the body; validateEvents and validateCompactBatch check it, compiled from the
      // same schemas, so a 400 names each bad event's index (SDKs drop those and resend the rest) and field,
      // and nothing is coerced.
      validatorCompiler: () => () => true,
    },
    async (request, reply) => {
      allowBrowsers(reply); // the browser SDK posts from the site's origin with the client-side key
      const caller = await authenticateSdkKey(context, request, "any");
      const body: unknown = request.body;
      const compact = !Array.isArray(body);
      if (
        compact &&
        (typeof body !== "object" || body === null || (body as { format?: unknown }).format !== 2)
      )
        throw new ApiError(400, "The body must be an array of events or a batch with format 2");
      const count = compact ? compactEventCount(body as object) : (body as unknown[]).length;
      if (count > MAX_EVENTS)
        throw new ApiError(413, `At most ${MAX_EVENTS} events per request (got ${count})`);
      const payloadId = request.headers["x-vexil-payload-id"];
      if (payloadId !== undefined && (typeof payloadId !== "string" || payloadId.length > MAX_PAYLOAD_ID)) {
        throw new ApiError(
          400,
          `X-Vexil-Payload-Id must be one string of at most ${MAX_PAYLOAD_ID} characters`,
        );
      }
      const { projectKey, key: environmentKey } = caller.environment;
      const goalId = await goals.forProject(projectKey);
      const scope = { projectKey, environmentKey, goalId };
      const { events, problems } = compact
        ? validateCompactBatch(body, scope, context.now())
        : validateEvents(body, scope, context.now());
      if (problems.length > 0) {
        const message = `${new Set(problems.map((p) => p.index)).size} invalid event(s); nothing was stored`;
        return reply.status(400).send({
          ...(errorBody(errorDialectOf(request.url), 400, "invalid_request", message) as KameleoonError),
          errors: problems,
        });
      }
      if (!gate.tryAdmit(events.length)) {
        reply.header("retry-after", "1");
        throw new ApiError(503, "Ingestion is behind; retry after the delay in Retry-After");
      }
      try {
        const result = await context.analytics.append(events, payloadId);
        return reply
          .status(202)
          .send({ accepted: result.duplicate ? 0 : result.stored, duplicate: result.duplicate });
      } finally {
        gate.release(events.length);
      }
    },
  );

  app.get(
    "/admin/events",
    {
      config: { access: "admin" },
      schema: {
        tags: ["events"],
        querystring: Type.Object(
          {
            projectKey: Type.Optional(Type.String()),
            environmentKey: Type.Optional(Type.String()),
            from: Type.Optional(Type.Integer({ description: "epoch ms, inclusive" })),
            to: Type.Optional(Type.Integer({ description: "epoch ms, exclusive" })),
          },
          { additionalProperties: false },
        ),
        response: responses("kameleoon", { 200: EventCounts }),
      },
    },
    async (request) => ({
      // A token scoped to a project sees that project's counts only.
      counts: await context.analytics.counts(scopedCountsQuery(principalOf(request), request.query)),
      pendingEvents: gate.pendingEvents,
    }),
  );
}

function scopedCountsQuery<Query extends { projectKey?: string | undefined }>(
  principal: Principal,
  query: Query,
): Query {
  if (query.projectKey !== undefined) assertProjectAccess(principal, query.projectKey);
  return principal.projectKey === null ? query : { ...query, projectKey: principal.projectKey };
}

/** Deletes raw events older than the retention period, at start and then every hour; returns a stopper. */
export function startEventRetention(
  context: AppContext,
  retentionDays: number,
  log: FastifyBaseLogger,
): () => void {
  if (retentionDays <= 0) return () => {};
  const purge = () => {
    context.analytics.deleteOlderThan(context.now() - retentionDays * 86_400_000).then(
      (deleted) => log.info({ deleted, retentionDays }, "deleted events past retention"),
      (error: unknown) => log.error({ err: error }, "event retention failed"),
    );
  };
  purge();
  const timer = setInterval(purge, 3600_000);
  timer.unref();
  return () => clearInterval(timer);
}
