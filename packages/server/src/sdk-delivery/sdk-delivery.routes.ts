import { Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { ApiError } from "../http/api-error.js";
import { allowBrowsers, etagMatches, preflight } from "../http/sdk-http.js";
import type { TypedApp } from "../http/typed-app.js";
import { authenticateSdkKey } from "../projects/sdk-keys.js";
import type { EvaluationTally } from "./evaluations.store.js";
import { configResponse, evaluationsResponse, streamResponse } from "./sdk-delivery.responses.js";
import type { SdkDelivery } from "./sdk-delivery.service.js";
import { parseLastEventId } from "./sse.js";

declare module "fastify" {
  interface FastifyInstance {
    /** The SDK delivery state of this server: payload cache, streams (read by tests and benches). */
    sdkDelivery: SdkDelivery;
  }
}

const MAX_COUNTS = 10_000;

const EvaluationsBody = Type.Object(
  {
    counts: Type.Array(
      Type.Object({
        featureKey: Type.String({ minLength: 1, maxLength: 255 }),
        variationKey: Type.Optional(Type.String({ maxLength: 255 })),
        // Bounded so sums of many reports stay within a PostgreSQL bigint.
        count: Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 }),
      }),
      { maxItems: MAX_COUNTS },
    ),
    from: Type.Optional(Type.Integer({ minimum: 0, description: "epoch ms" })),
    to: Type.Optional(Type.Integer({ minimum: 0, description: "epoch ms" })),
  },
  { description: "Per-flag evaluation counts of one SDK over [from, to]" },
);

/**
 * GET /sdk/v1/config, GET /sdk/v1/stream (SSE) and POST /sdk/v1/evaluations (docs/sdk-protocol.md).
 * The delivery state (built by the composition root) is shared with OFREP.
 */
export function sdkDeliveryRoutes(app: TypedApp, context: AppContext, delivery: SdkDelivery): void {
  app.decorate("sdkDelivery", delivery);
  app.addHook("preClose", async () => delivery.close());

  app.get(
    "/sdk/v1/config",
    {
      config: { access: "sdk" },
      schema: {
        tags: ["sdk"],
        summary: "The environment's evaluation payload (server-side SDK key)",
        headers: Type.Object({ "if-none-match": Type.Optional(Type.String()) }),
        response: configResponse,
      },
    },
    async (request, reply) => {
      const caller = await authenticateSdkKey(context, request, "server");
      const feed = await delivery.feed(caller.environment.projectKey, caller.environment.key);
      reply
        .header("etag", feed.etag)
        .header("cache-control", "private, no-cache")
        .header("vary", "Authorization");
      if (etagMatches(request.headers["if-none-match"], feed.etag)) return reply.status(304).send();
      return reply.type("application/json; charset=utf-8").send(feed.json);
    },
  );

  app.get(
    "/sdk/v1/stream",
    {
      config: { access: "sdk" },
      schema: {
        tags: ["sdk"],
        summary: "Server-Sent Events: put, then patch/delete on each change (server-side SDK key)",
        headers: Type.Object({ "last-event-id": Type.Optional(Type.String()) }),
        response: streamResponse,
      },
    },
    async (request, reply) => {
      const caller = await authenticateSdkKey(context, request, "server");
      const feed = await delivery.feed(caller.environment.projectKey, caller.environment.key);
      const lastEventId = parseLastEventId(request.headers["last-event-id"]);
      // A client ahead of this process (it was connected to another replica): read storage before answering.
      if (lastEventId !== undefined && lastEventId > feed.version) await delivery.refresh(feed);
      reply.hijack();
      const stream = reply.raw;
      if (request.raw.destroyed) {
        stream.end();
        return;
      }
      const socket = request.raw.socket;
      socket.setNoDelay(true);
      socket.setTimeout(0);
      socket.setKeepAlive(true, 60_000);
      stream.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      stream.flushHeaders();
      // No await between reading what to send first and attaching: no change can fall in between.
      delivery.attach(feed, stream, feed.catchUp(lastEventId).bytes);
    },
  );

  app.options(
    "/sdk/v1/evaluations",
    { config: { access: "public" }, schema: { hide: true } },
    (_request, reply) => preflight(reply, "POST"),
  );
  app.post(
    "/sdk/v1/evaluations",
    {
      config: { access: "sdk" },
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags: ["sdk"],
        summary: "Per-flag evaluation counts (either SDK key)",
        body: EvaluationsBody,
        response: evaluationsResponse,
      },
    },
    async (request, reply) => {
      allowBrowsers(reply);
      const caller = await authenticateSdkKey(context, request, "any");
      const { counts, from, to } = request.body;
      if (from !== undefined && to !== undefined && to < from)
        throw new ApiError(400, "body.to must be >= body.from");
      const { projectKey, key: environmentKey } = caller.environment;
      // Only the environment's flags are kept, so a public client key cannot fill the table with junk keys.
      const flags = (await delivery.feed(projectKey, environmentKey)).payload.flags;
      const now = context.now();
      const at = Math.min(to ?? now, now);
      const byFlag = new Map<string, EvaluationTally>();
      let ignored = 0;
      for (const { featureKey, count } of counts) {
        if (!Object.hasOwn(flags, featureKey)) {
          ignored++;
          continue;
        }
        if (count === 0) continue;
        const tally = byFlag.get(featureKey);
        if (tally) tally.count += count;
        else byFlag.set(featureKey, { projectKey, environmentKey, featureKey, count, at });
      }
      await delivery.recordEvaluations([...byFlag.values()]);
      return reply.status(202).send({ accepted: byFlag.size, ignored });
    },
  );
}
