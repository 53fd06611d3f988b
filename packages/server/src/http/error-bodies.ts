import { STATUS_CODES } from "node:http";
import type { ErrorCode } from "./api-error.js";

/** Which error body a path answers with: a vendor's, or OAuth's (RFC 6749) on the token endpoint. */
export type ErrorDialect = "kameleoon" | "launchdarkly" | "ofrep" | "oauth";

/** LaunchDarkly's SDK protocol paths (launchdarkly-sdk/): their errors are LaunchDarkly's too. */
function isLaunchDarklySdkPath(url: string): boolean {
  const path = url.split("?", 1)[0]!;
  return (
    path.startsWith("/sdk/latest-") ||
    path === "/all" ||
    path === "/bulk" ||
    path === "/diagnostic" ||
    // Client-side SDKs (the environment id in the path).
    path.startsWith("/sdk/evalx/") ||
    path.startsWith("/sdk/goals/") ||
    path.startsWith("/eval/") ||
    path.startsWith("/events/bulk/") ||
    path.startsWith("/events/diagnostic/")
  );
}

/** The dialect of a request path: LaunchDarkly under /api/v2, OFREP under /ofrep, Kameleoon elsewhere. */
export function errorDialectOf(url: string): ErrorDialect {
  if (url.split("?", 1)[0] === "/oauth/token") return "oauth";
  if (url.startsWith("/api/v2") || isLaunchDarklySdkPath(url)) return "launchdarkly";
  if (url.startsWith("/ofrep")) return "ofrep";
  return "kameleoon";
}

/**
 * Builds the error body a client of the dialect expects. Kameleoon documents `code` as a string, `time` as
 * int64 epoch milliseconds and `timestamp` as a date-time string; strictly typed clients parse them so.
 */
export function errorBody(dialect: ErrorDialect, status: number, code: ErrorCode, message: string): object {
  if (dialect === "launchdarkly") return { code, message };
  if (dialect === "ofrep") return { errorCode: code.toUpperCase(), errorDetails: message };
  if (dialect === "oauth") return { error: oauthErrorOf(status), error_description: message };
  const now = new Date();
  return {
    code: String(status),
    message,
    name: (STATUS_CODES[status] ?? "Error").toUpperCase().replace(/[^A-Z0-9]+/g, "_"),
    status: "ERROR",
    time: now.getTime(),
    timestamp: now.toISOString(),
  };
}

/**
 * RFC 6749 section 5.2's error code for a status: a client that failed to authenticate is
 * `invalid_client` (401); every other refusal of the request itself (schema, size, media type, rate) is
 * `invalid_request`. The grant's own checks (oauth.routes.ts) choose finer codes.
 */
function oauthErrorOf(status: number): string {
  if (status === 401) return "invalid_client";
  if (status >= 500) return "server_error";
  return "invalid_request";
}
