import { createHash } from "node:crypto";
import type { EvaluationResult, Visitor } from "@vexil/engine";
import type { FastifyError } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { ApiError, errorCodeFor } from "../http/api-error.js";
import { allowBrowsers, etagMatches, preflight } from "../http/sdk-http.js";
import type { TypedApp } from "../http/typed-app.js";
import { authenticateSdkKey } from "../projects/sdk-keys.js";
import type { EnvironmentFeed } from "../sdk-delivery/environment-feed.js";
import type { SdkDelivery } from "../sdk-delivery/sdk-delivery.service.js";
import {
  bulkEvaluationResponse,
  configurationResponse,
  singleEvaluationResponse,
} from "./ofrep.responses.js";
import { ofrepValue, valueShape } from "./ofrep-values.js";

/** OpenFeature error codes an OFREP answer can carry. */
type OfrepErrorCode =
  | "PARSE_ERROR"
  | "TARGETING_KEY_MISSING"
  | "INVALID_CONTEXT"
  | "FLAG_NOT_FOUND"
  | "GENERAL";

/** A failed evaluation: its HTTP status and OFREP body. */
class OfrepError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorCode: OfrepErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 64 * 1024;

const KeyParams = Type.Object({ key: Type.String({ minLength: 1, maxLength: 1024 }) });

/** The visitor of an OFREP request body `{context: {targetingKey, ...attributes}}`. */
export function visitorOf(rawBody: unknown): Visitor {
  let body: unknown;
  if (rawBody === undefined || rawBody === "") body = {};
  else if (typeof rawBody === "string") {
    try {
      body = JSON.parse(rawBody);
    } catch (error) {
      throw new OfrepError(400, "PARSE_ERROR", `Malformed JSON body: ${(error as Error).message}`);
    }
  } else body = rawBody;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new OfrepError(400, "INVALID_CONTEXT", "The body must be a JSON object {context: {...}}");
  }
  const context = (body as { context?: unknown }).context ?? {};
  if (typeof context !== "object" || context === null || Array.isArray(context)) {
    throw new OfrepError(400, "INVALID_CONTEXT", "context must be an object");
  }
  const targetingKey = (context as { targetingKey?: unknown }).targetingKey;
  if (targetingKey === undefined || targetingKey === null || targetingKey === "") {
    throw new OfrepError(400, "TARGETING_KEY_MISSING", "context.targetingKey is required (the visitor code)");
  }
  if (typeof targetingKey !== "string") {
    throw new OfrepError(400, "INVALID_CONTEXT", "context.targetingKey must be a string");
  }
  // Every context property is an attribute (targetingKey included); conditions read them as they are.
  return { code: targetingKey, attributes: context as Record<string, unknown> };
}

/** An OFREP answer for one flag, serialized: a success or a per-flag failure, and its status when alone. */
interface Answer {
  status: number;
  json: string;
}

/**
 * Serialized successes by evaluator (one per payload version) and result. The engine answers the same
 * frozen result object for the same outcome of a flag, so each distinct answer is serialized once.
 */
const answerCache = new WeakMap<object, WeakMap<EvaluationResult, { key: string; answer: Answer }>>();

function failure(status: number, key: string, errorCode: OfrepErrorCode, errorDetails: string): Answer {
  return { status, json: JSON.stringify({ key, errorCode, errorDetails }) };
}

function evaluationAnswer(feed: EnvironmentFeed, key: string, result: EvaluationResult): Answer {
  if (result.reason === "ERROR") {
    switch (result.errorCode) {
      case "FLAG_NOT_FOUND":
        return failure(404, key, "FLAG_NOT_FOUND", `Flag '${key}' not found`);
      case "INVALID_CONTEXT":
        return failure(400, key, "INVALID_CONTEXT", "Invalid evaluation context");
      case "PARSE_ERROR":
        return failure(500, key, "PARSE_ERROR", "The flag's stored configuration is not usable");
      default:
        return failure(500, key, "GENERAL", "Evaluation failed");
    }
  }
  const evaluator = feed.evaluator;
  let answers = answerCache.get(evaluator);
  if (!answers) {
    answers = new WeakMap();
    answerCache.set(evaluator, answers);
  }
  const cached = answers.get(result);
  if (cached && cached.key === key) return cached.answer;

  const flag = feed.payload.flags[key]!;
  const metadata: Record<string, string | number | boolean> = {
    configVersion: feed.version,
    flagVersion: flag.version,
    inExperiment: result.inExperiment,
  };
  if (result.ruleId !== undefined) metadata.ruleId = result.ruleId;
  if (result.ruleType !== undefined) metadata.ruleType = result.ruleType;
  if (result.experimentId !== undefined) metadata.experimentId = result.experimentId;
  const answer: Answer = {
    status: 200,
    json: JSON.stringify({
      key,
      value: ofrepValue(valueShape(flag), result),
      reason: result.reason,
      variant: result.variationKey,
      metadata,
    }),
  };
  answers.set(result, { key, answer });
  return answer;
}

/** A quoted strong ETag of a body. */
function etagOf(body: string): string {
  return `"${createHash("sha1").update(body).digest("base64url")}"`;
}

/**
 * OpenFeature Remote Evaluation Protocol (docs/ofrep.md): single and bulk evaluation, plus the optional
 * configuration endpoint. Either SDK key. Answers come from the environment's cached evaluator: no storage
 * work per request once the environment is loaded.
 */
export function ofrepRoutes(app: TypedApp, context: AppContext, delivery: SdkDelivery) {
  app.register(async (ofrep: TypedApp) => {
    // The body is parsed here, so a malformed one is an OFREP PARSE_ERROR naming the flag.
    ofrep.removeAllContentTypeParsers();
    ofrep.addContentTypeParser(
      "*",
      { parseAs: "string", bodyLimit: MAX_BODY_BYTES },
      (_request, body, done) => done(null, body),
    );

    ofrep.setErrorHandler((error: FastifyError | ApiError | OfrepError, request, reply) => {
      allowBrowsers(reply);
      const key = (request.params as { key?: string } | undefined)?.key;
      if (error instanceof OfrepError) {
        return reply.status(error.statusCode).send({
          ...(key === undefined ? {} : { key }),
          errorCode: error.errorCode,
          errorDetails: error.message,
        });
      }
      const status = error.statusCode ?? 500;
      if (status >= 500) request.log.error({ err: error }, "OFREP evaluation failed");
      if (status === 400) {
        return reply.status(400).send({
          ...(key === undefined ? {} : { key }),
          errorCode: "PARSE_ERROR",
          errorDetails: error.message,
        });
      }
      if (status >= 500 || status === 404) {
        // A shape a provider reads as an evaluation failure (key + OpenFeature error code).
        return reply.status(500).send({
          ...(key === undefined ? {} : { key }),
          errorCode: "GENERAL",
          errorDetails: "Internal server error",
        });
      }
      // 401, 403, 413, 429 (with Retry-After set by the rate limiter): not evaluation failures.
      const code = error instanceof ApiError ? error.code : errorCodeFor(status);
      return reply.status(status).send({ errorCode: code.toUpperCase(), errorDetails: error.message });
    });

    ofrep.options(
      "/ofrep/v1/*",
      { config: { access: "public" }, schema: { hide: true } },
      (_request, reply) => preflight(reply, "GET, POST"),
    );

    ofrep.post(
      "/ofrep/v1/evaluate/flags/:key",
      {
        config: { access: "sdk" },
        schema: {
          tags: ["ofrep"],
          summary: "OFREP single flag evaluation (either SDK key)",
          params: KeyParams,
          response: singleEvaluationResponse,
        },
      },
      async (request, reply) => {
        allowBrowsers(reply);
        const { key } = request.params;
        const caller = await authenticateSdkKey(context, request, "any");
        const visitor = visitorOf(request.body);
        const { projectKey, key: environmentKey } = caller.environment;
        const feed =
          delivery.ready(projectKey, environmentKey) ?? (await delivery.feed(projectKey, environmentKey));
        const now = context.now();
        const result = feed.evaluator.evaluate(key, visitor, now);
        const answer = evaluationAnswer(feed, key, result);
        if (answer.status === 200) delivery.evaluations.record(projectKey, environmentKey, key, 1, now);
        return reply.status(answer.status).type("application/json; charset=utf-8").send(answer.json);
      },
    );

    ofrep.post(
      "/ofrep/v1/evaluate/flags",
      {
        config: { access: "sdk" },
        schema: {
          tags: ["ofrep"],
          summary: "OFREP bulk evaluation of every flag (either SDK key)",
          response: bulkEvaluationResponse,
        },
      },
      async (request, reply) => {
        allowBrowsers(reply);
        const caller = await authenticateSdkKey(context, request, "any");
        const visitor = visitorOf(request.body);
        const feed = await delivery.feed(caller.environment.projectKey, caller.environment.key);
        const results = feed.evaluator.evaluateAll(visitor, context.now());
        let body = '{"flags":[';
        let first = true;
        for (const key of Object.keys(results)) {
          body += (first ? "" : ",") + evaluationAnswer(feed, key, results[key]!).json;
          first = false;
        }
        body += "]}";
        // The answer depends on the context and the clock (progressive rollouts), not only on the
        // configuration version: the ETag is a digest of the body itself.
        const etag = etagOf(body);
        reply.header("etag", etag).header("cache-control", "private, no-cache");
        if (etagMatches(request.headers["if-none-match"], etag)) return reply.status(304).send();
        return reply.type("application/json; charset=utf-8").send(body);
      },
    );

    ofrep.get(
      "/ofrep/v1/configuration",
      {
        config: { access: "sdk" },
        schema: {
          tags: ["ofrep"],
          summary: "OFREP provider configuration (either SDK key)",
          response: configurationResponse,
        },
      },
      async (request, reply) => {
        allowBrowsers(reply);
        await authenticateSdkKey(context, request, "any");
        return reply.send({
          name: "Vexil",
          capabilities: {
            cacheInvalidation: { polling: { enabled: true, minPollingIntervalMs: 1000 } },
            flagEvaluation: { supportedTypes: ["int", "float", "string", "boolean", "object"] },
          },
        });
      },
    );
  });
}
