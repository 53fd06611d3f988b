import type { FastifyRequest } from "fastify";
import { ApiError } from "./api-error.js";
import { principalOf } from "./authentication.js";
import { actorName, type Role } from "./principal.js";
import { responses } from "./response-schemas.js";
import type { TypedApp } from "./typed-app.js";
import type { Actor } from "./write-guards.js";

/** An 8-digit `YYYYMMDD` that names a real calendar day. */
function isDatedVersion(value: string): boolean {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * `LD-API-Version`: LaunchDarkly's clients send `beta`, a dated version such as `20240415`, or nothing (the
 * current official client treats experiments as generally available and sends no header); all three read the
 * same representation here. Any other value is a client mistake: 400 naming it.
 */
export async function acceptApiVersion(request: FastifyRequest): Promise<void> {
  const header = request.headers["ld-api-version"];
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === "" || value.toLowerCase() === "beta" || isDatedVersion(value)) return;
  throw new ApiError(
    400,
    `LD-API-Version '${value}' is not a version: send 'beta', a date like 20240415, or no header`,
  );
}

/** Whether the request declares a semantic patch (`Content-Type: application/json; domain-model=...`). */
export function isSemanticPatch(request: FastifyRequest): boolean {
  const type = request.headers["content-type"] ?? "";
  return /domain-model\s*=\s*"?launchdarkly\.semanticpatch"?/i.test(type);
}

/** The caller as flag and audit writes name it. */
export function actorOf(request: FastifyRequest): Actor {
  const principal = principalOf(request);
  return { name: actorName(principal), id: principal.tokenId };
}

/** The comma-separated `expand` parameter; 400 naming a value outside `allowed`. */
export function parseExpand(value: string | undefined, allowed: readonly string[]): Set<string> {
  const fields = new Set(
    (value ?? "")
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean),
  );
  for (const field of fields) {
    if (!allowed.includes(field)) {
      throw new ApiError(400, `expand: unknown field '${field}' (supported: ${allowed.join(", ")})`);
    }
  }
  return fields;
}

/**
 * Answers 405 (LaunchDarkly's method_not_allowed) for the methods a path does not support, after the usual
 * authentication (the caller needs at least `access`).
 */
export function methodNotAllowed(app: TypedApp, url: string, allowed: string[], access: Role = "reader") {
  const all = ["GET", "POST", "PUT", "PATCH", "DELETE"];
  const others = all.filter((method) => !allowed.includes(method));
  if (others.length === 0) return;
  app.route({
    method: others as ("GET" | "POST" | "PUT" | "PATCH" | "DELETE")[],
    url,
    config: { access },
    schema: { hide: true, response: responses("launchdarkly", {}) },
    handler: async (request) => {
      throw new ApiError(
        405,
        `Method ${request.method} is not allowed on ${url.replace(/:(\w+)/g, "{$1}")} (allowed: ${allowed.join(", ")})`,
      );
    },
  });
}

export const link = (href: string) => ({ href, type: "application/json" });
