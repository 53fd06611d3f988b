/** LaunchDarkly's error codes; the Kameleoon dialect derives its `name` from the HTTP status instead. */
export type ErrorCode =
  | "invalid_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "precondition_failed"
  | "locked"
  | "payload_too_large"
  | "unprocessable_entity"
  | "rate_limited"
  | "service_unavailable"
  | "internal_server_error";

const codeByStatus: Record<number, ErrorCode> = {
  400: "invalid_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  412: "precondition_failed",
  413: "payload_too_large",
  415: "invalid_request",
  422: "unprocessable_entity",
  423: "locked",
  429: "rate_limited",
  503: "service_unavailable",
};

/** The error code for an HTTP status. */
export function errorCodeFor(status: number): ErrorCode {
  return codeByStatus[status] ?? (status >= 500 ? "internal_server_error" : "invalid_request");
}

/** An error meant for the client: its status and message are shown as they are, in the route's dialect. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  constructor(
    readonly statusCode: number,
    message: string,
    code?: ErrorCode,
  ) {
    super(message);
    this.code = code ?? errorCodeFor(statusCode);
  }
}

export const badRequest = (message: string) => new ApiError(400, message);
export const notFound = (message: string) => new ApiError(404, message);
export const conflict = (message: string) => new ApiError(409, message);
export const forbidden = (message: string) => new ApiError(403, message);
