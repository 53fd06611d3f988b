import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { ApiError } from "../http/api-error.js";
import { presentedToken } from "../http/authentication.js";
import { EventStream, responses } from "../http/response-schemas.js";
import { allowBrowsers, etagMatches, preflight } from "../http/sdk-http.js";
import type { TypedApp } from "../http/typed-app.js";
import { authenticateSdkKey } from "../projects/sdk-keys.js";
import type { SdkDelivery } from "../sdk-delivery/sdk-delivery.service.js";
import { visitorResults } from "./visitor-results.js";
import { VisitorStreams } from "./visitor-streams.js";

/** Where `npm run build` writes the browser bundle (packages/sdk/build-browser.mjs). */
export function defaultBrowserBundle(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../sdk/dist/browser/vexil.min.js");
}

const VisitorBody = Type.Object(
  {
    visitor: Type.Object({
      code: Type.String({ minLength: 1, maxLength: 255, description: "the visitor code (bucketing)" }),
      attributes: Type.Optional(
        Type.Record(Type.String(), Type.Unknown(), {
          maxProperties: 200,
          description: "what segment conditions read (country, plan...)",
        }),
      ),
    }),
  },
  { description: "The visitor to evaluate every flag for" },
);

const ResultSchema = Type.Object({
  variationKey: Type.String(),
  variables: Type.Record(Type.String(), Type.Unknown()),
  reason: Type.String({ description: "TARGETING_MATCH, SPLIT, DEFAULT, DISABLED or ERROR" }),
  errorCode: Type.Optional(Type.String()),
  ruleId: Type.Optional(Type.Number()),
  ruleType: Type.Optional(Type.String()),
  experimentId: Type.Optional(Type.Number()),
  inExperiment: Type.Boolean({ description: "an experiment allocated the visitor: report an exposure" }),
});

const VisitorResults = Type.Object({
  version: Type.Integer({ description: "the configuration version evaluated" }),
  flags: Type.Record(Type.String(), ResultSchema, { description: "every flag's answer, by feature key" }),
});

const NotModified = Type.Unsafe<void>({ type: "null", description: "no body" });

/**
 * The browser SDK's surface: its bundle (`GET /sdk/js/vexil.min.js`) and per-visitor evaluation for
 * either SDK key (`POST /sdk/v1/evaluate`, `POST /sdk/v1/evaluate/stream`). A client-side key gets the
 * answers for the visitor it names, never rules or segments (docs/sdk.md, "In the browser").
 */
export function browserSdkRoutes(app: TypedApp, context: AppContext, delivery: SdkDelivery): void {
  const bundlePath = defaultBrowserBundle();
  const streams = new VisitorStreams(context, delivery);
  app.addHook("preClose", async () => streams.close());
  let bundle: { code: Buffer; etag: string } | undefined;

  app.get(
    "/sdk/js/vexil.min.js",
    { config: { access: "public" }, schema: { hide: true } },
    async (request, reply) => {
      if (bundle === undefined) {
        // Read on first use (and again while missing), so a build made after the start is picked up.
        if (!fs.existsSync(bundlePath))
          throw new ApiError(404, "The browser SDK is not built: run `npm run build`");
        const code = fs.readFileSync(bundlePath);
        bundle = { code, etag: `"${createHash("sha1").update(code).digest("base64url")}"` };
      }
      reply
        .header("access-control-allow-origin", "*")
        .header("cache-control", "public, max-age=300")
        .header("etag", bundle.etag)
        .header("x-content-type-options", "nosniff");
      if (etagMatches(request.headers["if-none-match"], bundle.etag)) return reply.status(304).send();
      return reply.type("text/javascript; charset=utf-8").send(bundle.code);
    },
  );

  for (const url of ["/sdk/v1/evaluate", "/sdk/v1/evaluate/stream"]) {
    app.options(url, { config: { access: "public" }, schema: { hide: true } }, (_request, reply) =>
      preflight(reply, "POST"),
    );
  }

  app.post(
    "/sdk/v1/evaluate",
    {
      config: { access: "sdk" },
      bodyLimit: 64 * 1024,
      schema: {
        tags: ["sdk"],
        summary: "Every flag evaluated for one visitor (either SDK key; the browser SDK)",
        body: VisitorBody,
        headers: Type.Object({ "if-none-match": Type.Optional(Type.String()) }),
        response: responses("kameleoon", { 200: VisitorResults, 304: NotModified }),
      },
    },
    async (request, reply) => {
      allowBrowsers(reply);
      const caller = await authenticateSdkKey(context, request, "any");
      const feed = await delivery.feed(caller.environment.projectKey, caller.environment.key);
      const json = visitorResults(feed, request.body.visitor, context.now());
      // Answers also move with the clock (ramps, windows): the tag is of the answers, not of the version.
      const etag = `"${createHash("sha1").update(json).digest("base64url")}"`;
      reply.header("etag", etag).header("cache-control", "private, no-cache");
      if (etagMatches(request.headers["if-none-match"], etag)) return reply.status(304).send();
      return reply.type("application/json; charset=utf-8").send(json);
    },
  );

  app.post(
    "/sdk/v1/evaluate/stream",
    {
      config: { access: "sdk" },
      bodyLimit: 64 * 1024,
      schema: {
        tags: ["sdk"],
        summary: "Server-Sent Events: a put of every flag's answer for one visitor, again on each change",
        body: VisitorBody,
        response: responses("kameleoon", { 200: EventStream }),
      },
    },
    async (request, reply) => {
      allowBrowsers(reply); // a refused key must reach the page as a 401, not as a CORS failure
      const caller = await authenticateSdkKey(context, request, "any");
      const feed = await delivery.feed(caller.environment.projectKey, caller.environment.key);
      reply.hijack();
      const stream = reply.raw;
      // The request is consumed (a POST body), so its own `destroyed` is set: ask the socket instead.
      if (request.raw.socket.destroyed) {
        stream.end();
        return;
      }
      request.raw.socket.setNoDelay(true);
      request.raw.socket.setTimeout(0);
      stream.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        "access-control-allow-origin": "*",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      stream.flushHeaders();
      streams.attach(feed, stream, request.body.visitor, presentedToken(request) ?? "");
    },
  );
}
