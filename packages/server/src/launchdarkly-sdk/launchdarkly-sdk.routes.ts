import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { validateEvents } from "../events/event-validation.js";
import { ApiError } from "../http/api-error.js";
import { EventStream, NoContent, responses } from "../http/response-schemas.js";
import type { TypedApp } from "../http/typed-app.js";
import type { LdModel } from "../launchdarkly-model/ld-model.js";
import { authenticateSdkKey } from "../projects/sdk-keys.js";
import { addEvaluations } from "../sdk-delivery/evaluations.store.js";
import type { SdkDelivery } from "../sdk-delivery/sdk-delivery.service.js";
import { readLdEvents } from "./ld-events.js";
import { LdStreams } from "./ld-streams.js";

// LaunchDarkly's server-side SDK protocol (docs/launchdarkly-sdks.md): what an unmodified LaunchDarkly
// server SDK needs with baseUri, streamUri and eventsUri pointed at Vexil and an environment's server-side
// SDK key. Every route is SDK-facing (access "sdk": the SDK rate-limit budget).

const MAX_EVENTS_BYTES = 5 * 1024 * 1024;
const MAX_EVENTS = 10_000;
const GOALS_CACHE_MS = 5000;
const SEEN_PAYLOADS = 10_000;

const Items = Type.Record(Type.String(), Type.Object({}, { additionalProperties: true }));
const ItemParams = Type.Object({ key: Type.String({ minLength: 1, maxLength: 255 }) });
const Accepted = Type.Object({
  accepted: Type.Integer(),
  ignored: Type.Integer(),
  duplicate: Type.Boolean(),
});

/** Request bodies sent gzip-encoded (LaunchDarkly's SDKs may compress events) are inflated before parsing. */
async function inflate(request: FastifyRequest, _reply: unknown, payload: Readable): Promise<Readable> {
  if (request.headers["content-encoding"] !== "gzip") return payload;
  let received = 0;
  payload.on("data", (chunk: Buffer) => {
    received += chunk.length;
  });
  const inflated = payload.pipe(createGunzip());
  inflated.on("error", (error: Error & { statusCode?: number }) => {
    error.statusCode = 400;
    error.message = `The gzip body cannot be inflated: ${error.message}`;
  });
  payload.on("error", (error) => inflated.destroy(error));
  // Fastify checks Content-Length against the bytes received, not the inflated ones.
  Object.defineProperty(inflated, "receivedEncodedLength", { get: () => received });
  return inflated;
}

export function launchDarklySdkRoutes(app: TypedApp, context: AppContext, delivery: SdkDelivery): void {
  const streams = new LdStreams(context, delivery);
  app.addHook("preClose", async () => streams.close());
  const allJson = new WeakMap<LdModel, string>();
  const goals = new Map<string, { byKey: Map<string, number>; until: number }>();
  const seenPayloads = new Set<string>();

  async function environmentOf(request: FastifyRequest) {
    const caller = await authenticateSdkKey(context, request, "server");
    const feed = await delivery.feed(caller.environment.projectKey, caller.environment.key);
    return { caller, feed, model: streams.model(feed) };
  }

  /** A custom event's key as a goal: its event key first, then its key (LaunchDarkly's metric key). */
  async function goalsOf(projectKey: string): Promise<(eventKey: string) => number | undefined> {
    let entry = goals.get(projectKey);
    if (!entry || entry.until <= Date.now()) {
      const rows = await context.db
        .selectFrom("goals")
        .select(["id", "key", "event_key"])
        .where("project_key", "=", projectKey)
        .orderBy("id")
        .execute();
      const byKey = new Map<string, number>();
      for (const row of rows) if (!byKey.has(row.key)) byKey.set(row.key, row.id);
      for (const row of rows) if (row.event_key !== "") byKey.set(row.event_key, row.id);
      entry = { byKey, until: Date.now() + GOALS_CACHE_MS };
      goals.set(projectKey, entry);
    }
    const { byKey } = entry;
    return (eventKey) => byKey.get(eventKey);
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
        json = JSON.stringify({ flags: model.flags, segments: model.segments });
        allJson.set(model, json);
      }
      // Serialized once per payload; the schema documents what the string holds.
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
      const { caller, feed, model } = await environmentOf(request);
      const payloadId = request.headers["x-launchdarkly-payload-id"];
      const { projectKey, key: environmentKey } = caller.environment;
      // Keys are [A-Za-z0-9._-]: "/" separates them unambiguously (PostgreSQL text refuses NUL).
      const seenKey = payloadId === undefined ? undefined : `${projectKey}/${environmentKey}/${payloadId}`;
      if (seenKey !== undefined && seenPayloads.has(seenKey)) {
        return reply.status(202).send({ accepted: 0, ignored: request.body.length, duplicate: true });
      }
      const read = readLdEvents(request.body, model, feed.payload.flags, await goalsOf(projectKey));
      const now = context.now();
      const { events, problems } = validateEvents(
        read.events,
        { projectKey, environmentKey, goalId: (g) => (typeof g === "number" ? g : undefined) },
        now,
      );
      if (problems.length > 0) {
        throw new ApiError(
          400,
          `Invalid event(s): ${problems
            .slice(0, 3)
            .map((p) => `#${p.index}: ${p.message}`)
            .join("; ")}`,
        );
      }
      let duplicate = false;
      if (events.length > 0) {
        const result = await context.analytics.append(events, seenKey && `ld:${seenKey}`);
        duplicate = result.duplicate;
      }
      if (!duplicate && read.evaluations.size > 0) {
        const tallies = [...read.evaluations]
          .filter(([featureKey]) => Object.hasOwn(feed.payload.flags, featureKey))
          .map(([featureKey, count]) => ({ projectKey, environmentKey, featureKey, count, at: now }));
        await addEvaluations(context.db, tallies);
      }
      if (seenKey !== undefined) {
        if (seenPayloads.size >= SEEN_PAYLOADS) seenPayloads.clear();
        seenPayloads.add(seenKey);
      }
      return reply
        .status(202)
        .send({ accepted: duplicate ? 0 : events.length, ignored: read.ignored, duplicate });
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
}
