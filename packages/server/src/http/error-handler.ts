import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ApiError, errorCodeFor } from "./api-error.js";
import { errorBody, errorDialectOf } from "./error-bodies.js";

interface ClientError {
  status: number;
  message: string;
  code?: ApiError["code"];
}

/** Names the offending field of a schema violation, e.g. `body.rolloutRules.0.exposition must be <= 100`. */
function validationMessage(error: FastifyError): string {
  const context = error.validationContext ?? "body";
  const parts = (error.validation ?? []).map((issue) => {
    const field = [context, ...issue.instancePath.split("/").filter(Boolean)].join(".");
    const extra =
      issue.keyword === "additionalProperties"
        ? ` '${String((issue.params as { additionalProperty?: string }).additionalProperty)}'`
        : issue.keyword === "enum"
          ? `: ${JSON.stringify((issue.params as { allowedValues?: unknown[] }).allowedValues)}`
          : "";
    return `${field} ${issue.message ?? "is invalid"}${extra}`;
  });
  return parts.join("; ") || error.message;
}

/** Maps any thrown error to what the client is told; undefined means an unexpected server fault. */
function toClientError(error: FastifyError | ApiError | Error): ClientError | undefined {
  if (error instanceof ApiError)
    return { status: error.statusCode, message: error.message, code: error.code };
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return { status: 400, message: validationMessage(fastifyError) };
  switch (fastifyError.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return { status: 413, message: "Request body is larger than the limit" };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return { status: 415, message: `Unsupported Content-Type: ${fastifyError.message}` };
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return { status: 400, message: "Request body is empty but Content-Type is JSON" };
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return { status: 400, message: `Malformed JSON body: ${fastifyError.message}` };
  }
  if (error instanceof SyntaxError) return { status: 400, message: `Malformed JSON body: ${error.message}` };
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) return { status, message: error.message };
  return undefined;
}

/** Sends an error in the dialect of the request's path. */
export function sendError(request: FastifyRequest, reply: FastifyReply, status: number, message: string) {
  const dialect = errorDialectOf(request.url);
  return reply.status(status).send(errorBody(dialect, status, errorCodeFor(status), message));
}

/**
 * Fastify's `frameworkErrors`: errors its router raises before any route or hook runs (a path that is not
 * valid percent-encoding, a path parameter over the length limit), in the dialect's body too.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const message =
    error.code === "FST_ERR_MAX_PARAM_LENGTH"
      ? "A path parameter is longer than the limit"
      : "The path is not valid percent-encoded UTF-8";
  return sendError(request, reply, status, message);
}

/** Installs the error and not-found handlers that answer in each dialect's error body. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    const clientError = toClientError(error);
    if (!clientError) {
      request.log.error({ err: error }, "unhandled error");
      return sendError(request, reply, 500, "Internal server error");
    }
    const dialect = errorDialectOf(request.url);
    const code = clientError.code ?? errorCodeFor(clientError.status);
    return reply
      .status(clientError.status)
      .send(errorBody(dialect, clientError.status, code, clientError.message));
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, 404, `No route ${request.method} ${request.url.split("?")[0]}`),
  );
}
