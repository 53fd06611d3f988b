import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { ApiError } from "../http/api-error.js";
import { EventStream, NoContent, responses } from "../http/response-schemas.js";
import type { TypedApp } from "../http/typed-app.js";
import type { LdModel } from "../launchdarkly-model/ld-model.js";
import { authenticateSdkKey } from "../projects/sdk-keys.js";
import type { SdkDelivery } from "../sdk-delivery/sdk-delivery.service.js";
import { launchDarklyClientRoutes } from "./launchdarkly-client.routes.js";
import { Accepted, inflate, LdEventIntake, MAX_EVENTS, MAX_EVENTS_BYTES } from "./ld-ingest.js";
import { LdStreams } from "./ld-streams.js";

// LaunchDarkly's server-side SDK protocol (docs/launchdarkly-sdks.md): what an unmodified LaunchDarkly
// server SDK needs with baseUri, streamUri and eventsUri pointed at Vexil and an environment's server-side
// SDK key. Every route is SDK-facing (access "sdk": the SDK rate-limit budget). The client-side protocol
// (environment id in the path) is in launchdarkly-client.routes.ts.

const Items = Type.Record(Type.String(), Type.Object({}, { additionalProperties: true }));
const ItemParams = Type.Object({ key: Type.String({ minLength: 1, maxLength: 255 }) });

export function launchDarklySdkRoutes(app: TypedApp, context: AppContext, delivery: SdkDelivery): void {
  const streams = new LdStreams(context, delivery);
  app.addHook("preClose", async () => streams.close());
  const intake = new LdEventIntake(context);
  const allJson = new WeakMap<LdModel, Buffer>();

  async function environmentOf(request: FastifyRequest) {
    const caller = await authenticateSdkKey(context, request, "server");
    const feed = await delivery.feed(caller.environment.projectKey, caller.environment.key);
    return { caller, feed, model: streams.model(feed) };
  }

  const sdk = { access: "sdk" } as const;
  const tags = ["launchdarkly-sdk"];

  app.get(
    "/sdk/latest-all",
    {
      config: sdk,
      schema: {
        tags,
        summary: "LaunchDarkly SDK polling: every flag and segment (server-side SDK key)",
        response: responses("launchdarkly", { 200: Type.Object({ flags: Items, segments: Items }) }),
      },
    },
    async (request, reply) => {
      const { model } = await environmentOf(request);
      let json = allJson.get(model);
      if (json === undefined) {
        // Bytes, not a string: a string would be encoded again on every response (half a megabyte at
        // 1,000 flags).
        json = Buffer.from(JSON.stringify({ flags: model.flags, segments: model.segments }));
        allJson.set(model, json);
      }
      // Serialized once per payload; the schema documents what the bytes hold.
      return reply.type("application/json; charset=utf-8").send(json as never);
    },
  );

  for (const kind of ["flags", "segments"] as const) {
    app.get(
      `/sdk/latest-${kind}`,
      {
        config: sdk,
        schema: {
          tags,
          summary: `LaunchDarkly SDK polling: every ${kind}`,
          response: responses("launchdarkly", { 200: Items }),
        },
      },
      async (request) => (await environmentOf(request)).model[kind],
    );
    app.get(
      `/sdk/latest-${kind}/:key`,
      {
        config: sdk,
        schema: {
          tags,
          summary: `LaunchDarkly SDK polling: one of the ${kind}`,
          params: ItemParams,
          response: responses("launchdarkly", { 200: Type.Object({}, { additionalProperties: true }) }),
        },
      },
      async (request) => {
        const items = (await environmentOf(request)).model[kind];
        const item = Object.hasOwn(items, request.params.key) ? items[request.params.key] : undefined;
        if (!item)
          throw new ApiError(404, `No ${kind.slice(0, -1)} '${request.params.key}' in this environment`);
        return item;
      },
    );
  }

  app.get(
    "/all",
    {
      config: sdk,
      schema: {
        tags,
        summary: "LaunchDarkly SDK streaming (SSE): put, then patch/delete (server-side SDK key)",
        response: responses("launchdarkly", { 200: EventStream }),
      },
    },
    async (request, reply) => {
      const { feed } = await environmentOf(request);
      const key = typeof request.headers.authorization === "string" ? request.headers.authorization : "";
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
      streams.attach(feed, stream, key.replace(/^bearer\s+/i, "").trim());
    },
  );

  app.post(
    "/bulk",
    {
      config: sdk,
      bodyLimit: MAX_EVENTS_BYTES,
      preParsing: inflate,
      schema: {
        tags,
        summary: "LaunchDarkly SDK analytics events (gzip accepted; X-LaunchDarkly-Payload-ID deduplicates)",
        body: Type.Array(Type.Unknown(), { maxItems: MAX_EVENTS }),
        headers: Type.Object({ "x-launchdarkly-payload-id": Type.Optional(Type.String({ maxLength: 128 })) }),
        response: responses("launchdarkly", { 202: Accepted }),
      },
    },
    async (request, reply) => {
      const { feed, model } = await environmentOf(request);
      const payloadId = request.headers["x-launchdarkly-payload-id"];
      return reply.status(202).send(await intake.ingest(feed, model, request.body, payloadId));
    },
  );

  app.post(
    "/diagnostic",
    {
      config: sdk,
      bodyLimit: 1024 * 1024,
      preParsing: inflate,
      schema: {
        tags,
        summary: "LaunchDarkly SDK diagnostic events: accepted and not stored",
        body: Type.Object({}, { additionalProperties: true }),
        response: responses("launchdarkly", { 202: NoContent }),
      },
    },
    async (request, reply) => {
      await environmentOf(request);
      return reply.status(202).send();
    },
  );

  launchDarklyClientRoutes(app, context, delivery, { streams, intake });
}
