import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { ApiError } from "../http/api-error.js";
import { EventStream, NoContent, responses } from "../http/response-schemas.js";
import type { TypedApp } from "../http/typed-app.js";
import { sdkKeyEnvironment } from "../projects/sdk-keys.js";
import type { SdkDelivery } from "../sdk-delivery/sdk-delivery.service.js";
import { clientFlags } from "./ld-client-evaluation.js";
import { contextOfPath, visitorOfContext } from "./ld-contexts.js";
import { Accepted, inflate, type LdEventIntake, MAX_EVENTS, MAX_EVENTS_BYTES } from "./ld-ingest.js";
import type { LdStreams } from "./ld-streams.js";

// LaunchDarkly's client-side SDK protocol (docs/launchdarkly-sdks.md): what an unmodified browser or other
// client-side SDK needs with its base, stream and events URLs pointed at Vexil and an environment's
// client-side id (Vexil's client-side key) in place of LaunchDarkly's. The id is public and travels in the
// path; flags are evaluated here, by Vexil's engine, for the context the SDK identifies. Browsers call
// every route cross-origin: each answer allows any origin, and preflights allow the SDK's headers.

const MAX_CONTEXT_BYTES = 64 * 1024;
/** The headers LaunchDarkly's browser SDKs send (and LaunchDarkly's Relay Proxy allows). */
const ALLOWED_HEADERS = [
  "Accept",
  "Authorization",
  "Cache-Control",
  "Content-Type",
  "Content-Encoding",
  "X-LaunchDarkly-Event-Schema",
  "X-LaunchDarkly-Payload-ID",
  "X-LaunchDarkly-Tags",
  "X-LaunchDarkly-User-Agent",
  "X-LaunchDarkly-Wrapper",
].join(", ");

const EnvParams = Type.Object({ envId: Type.String({ minLength: 1, maxLength: 64 }) });
const ContextParams = Type.Object({
  envId: Type.String({ minLength: 1, maxLength: 64 }),
  context: Type.String({ minLength: 1, maxLength: 8192 }),
});
const EvaluationQuery = Type.Object({
  withReasons: Type.Optional(Type.Boolean({ description: "Add each evaluation's reason" })),
  h: Type.Optional(
    Type.String({ description: "Secure mode hash: ignored, as secure mode is never on in Vexil" }),
  ),
  filter: Type.Optional(Type.String({ description: "Payload filters: not supported (400)" })),
});
const ContextBody = Type.Object({}, { additionalProperties: true, description: "The context (JSON)" });
const Reason = Type.Object({
  kind: Type.String(),
  ruleIndex: Type.Optional(Type.Integer()),
  ruleId: Type.Optional(Type.String()),
  inExperiment: Type.Optional(Type.Boolean()),
  errorKind: Type.Optional(Type.String()),
});
const ClientFlag = Type.Object({
  value: Type.Unknown(),
  variation: Type.Optional(Type.Integer()),
  version: Type.Integer(),
  flagVersion: Type.Integer(),
  trackEvents: Type.Boolean(),
  trackReason: Type.Boolean(),
  reason: Type.Optional(Reason),
});
const ClientFlags = Type.Record(Type.String(), ClientFlag);

export function launchDarklyClientRoutes(
  app: TypedApp,
  context: AppContext,
  delivery: SdkDelivery,
  { streams, intake }: { streams: LdStreams; intake: LdEventIntake },
): void {
  // LaunchDarkly's SDKs send the context as the body of a REPORT when configured with useReport.
  if (!app.supportedMethods.includes("REPORT")) app.addHttpMethod("REPORT", { hasBody: true });

  /** The environment of a client-side id; 404 for an unknown one, as LaunchDarkly answers. */
  async function environmentOf(envId: string) {
    const caller = await sdkKeyEnvironment(context, envId);
    if (caller?.keyKind !== "client") {
      throw new ApiError(404, "Unknown environment: the path needs an environment's client-side id");
    }
    const feed = await delivery.feed(caller.environment.projectKey, caller.environment.key);
    return { feed, model: streams.model(feed) };
  }

  /** Every flag evaluated for a context (the parsed JSON of the path or the REPORT body). */
  async function evaluate(envId: string, rawContext: () => unknown, query: { withReasons?: boolean }) {
    const { feed, model } = await environmentOf(envId);
    const visitor = visitorOfContext(rawContext());
    const withReasons = query.withReasons === true;
    const available = await streams.availability.of(feed.projectKey);
    const flags = clientFlags(feed.evaluator, model, visitor, { available, withReasons, now: context.now() });
    return { feed, visitor, withReasons, flags };
  }

  function refuseFilter(query: { filter?: string }): void {
    if (query.filter !== undefined && query.filter !== "") {
      throw new ApiError(400, "Payload filters (filter=) are not supported: every flag is served");
    }
  }

  app.register(async (client: TypedApp) => {
    client.addHook("onRequest", (_request, reply, done) => {
      reply.header("access-control-allow-origin", "*");
      done();
    });
    // The credential is the environment's public client-side id in the path, never a header: to the
    // authentication hook these routes are public, and each handler resolves the id (404 when unknown).
    const sdk = { access: "public" } as const;
    const tags = ["launchdarkly-client-sdk"];

    for (const prefix of ["/sdk/evalx", "/sdk/goals", "/eval", "/events/bulk", "/events/diagnostic"]) {
      client.options(
        `${prefix}/*`,
        { config: { access: "public" }, schema: { hide: true } },
        (_request, reply: FastifyReply) =>
          reply
            .header("access-control-allow-methods", "GET, REPORT, POST, OPTIONS")
            .header("access-control-allow-headers", ALLOWED_HEADERS)
            .header("access-control-max-age", "86400")
            .status(204)
            .send(),
      );
    }

    for (const kind of ["contexts", "users"] as const) {
      client.get(
        `/sdk/evalx/:envId/${kind}/:context`,
        {
          config: sdk,
          schema: {
            tags,
            summary: `LaunchDarkly client-side SDK polling: every flag evaluated for a ${kind === "users" ? "user (legacy)" : "context"} (base64url JSON in the path)`,
            params: ContextParams,
            querystring: EvaluationQuery,
            response: responses("launchdarkly", { 200: ClientFlags }),
          },
        },
        async (request) => {
          refuseFilter(request.query);
          return (
            await evaluate(request.params.envId, () => contextOfPath(request.params.context), request.query)
          ).flags;
        },
      );
      client.route({
        method: "REPORT",
        url: `/sdk/evalx/:envId/${kind.slice(0, -1)}`,
        bodyLimit: MAX_CONTEXT_BYTES,
        config: sdk,
        schema: {
          tags,
          summary: `LaunchDarkly client-side SDK polling: every flag evaluated for the ${kind.slice(0, -1)} in the body`,
          params: EnvParams,
          querystring: EvaluationQuery,
          body: ContextBody,
          response: responses("launchdarkly", { 200: ClientFlags }),
        },
        handler: async (request) => {
          refuseFilter(request.query);
          return (await evaluate(request.params.envId, () => request.body, request.query)).flags;
        },
      });
    }

    const stream = async (
      request: FastifyRequest,
      reply: FastifyReply,
      envId: string,
      rawContext: () => unknown,
      query: { withReasons?: boolean; filter?: string },
    ) => {
      refuseFilter(query);
      const { feed, visitor, withReasons, flags } = await evaluate(envId, rawContext, query);
      reply.hijack();
      const response = reply.raw;
      const socket = request.raw.socket;
      // The client left meanwhile. (Not request.raw.destroyed: a REPORT's request ends, and is destroyed,
      // once its body is read.)
      if (socket.destroyed || response.destroyed) {
        response.end();
        return;
      }
      socket.setNoDelay(true);
      socket.setTimeout(0);
      socket.setKeepAlive(true, 60_000);
      response.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
        "access-control-allow-origin": "*",
      });
      streams.attachClient(feed, response, envId, { visitor, withReasons }, flags);
    };
    const streamSummary =
      "LaunchDarkly client-side SDK streaming (SSE): put of every evaluation, then patch/delete";
    client.get(
      "/eval/:envId/:context",
      {
        config: sdk,
        schema: {
          tags,
          summary: `${streamSummary} (context as base64url JSON in the path)`,
          params: ContextParams,
          querystring: EvaluationQuery,
          response: responses("launchdarkly", { 200: EventStream }),
        },
      },
      (request, reply) =>
        stream(
          request,
          reply,
          request.params.envId,
          () => contextOfPath(request.params.context),
          request.query,
        ),
    );
    client.route({
      method: "REPORT",
      url: "/eval/:envId",
      bodyLimit: MAX_CONTEXT_BYTES,
      config: sdk,
      schema: {
        tags,
        summary: `${streamSummary} (context in the body)`,
        params: EnvParams,
        querystring: EvaluationQuery,
        body: ContextBody,
        response: responses("launchdarkly", { 200: EventStream }),
      },
      handler: (request, reply) =>
        stream(request, reply, request.params.envId, () => request.body, request.query),
    });

    client.post(
      "/events/bulk/:envId",
      {
        config: sdk,
        bodyLimit: MAX_EVENTS_BYTES,
        preParsing: inflate,
        schema: {
          tags,
          summary:
            "LaunchDarkly client-side SDK analytics events (as POST /bulk: exposures, conversions, counts)",
          params: EnvParams,
          body: Type.Array(Type.Unknown(), { maxItems: MAX_EVENTS }),
          headers: Type.Object({
            "x-launchdarkly-payload-id": Type.Optional(Type.String({ maxLength: 128 })),
          }),
          response: responses("launchdarkly", { 202: Accepted }),
        },
      },
      async (request, reply) => {
        const { feed, model } = await environmentOf(request.params.envId);
        const payloadId = request.headers["x-launchdarkly-payload-id"];
        return reply.status(202).send(await intake.ingest(feed, model, request.body, payloadId));
      },
    );

    client.post(
      "/events/diagnostic/:envId",
      {
        config: sdk,
        bodyLimit: 1024 * 1024,
        preParsing: inflate,
        schema: {
          tags,
          summary: "LaunchDarkly client-side SDK diagnostic events: accepted and not stored",
          params: EnvParams,
          body: Type.Object({}, { additionalProperties: true }),
          response: responses("launchdarkly", { 202: NoContent }),
        },
      },
      async (request, reply) => {
        await environmentOf(request.params.envId);
        return reply.status(202).send();
      },
    );

    client.get(
      "/sdk/goals/:envId",
      {
        config: sdk,
        schema: {
          tags,
          summary:
            "LaunchDarkly browser SDK click and page-view goals: none (Vexil's goals are custom events)",
          params: EnvParams,
          response: responses("launchdarkly", {
            200: Type.Array(Type.Object({}, { additionalProperties: true }), { maxItems: 0 }),
          }),
        },
      },
      async (request) => {
        await environmentOf(request.params.envId);
        return [];
      },
    );
  });
}
