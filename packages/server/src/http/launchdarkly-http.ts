import type { FastifyRequest } from "fastify";
import { principalOf } from "../auth/authentication.js";
import { actorName, type Role } from "../auth/principal.js";
import type { Actor } from "../flags/write-guards.js";
import { ApiError } from "../http/api-error.js";
import type { TypedApp } from "../http/typed-app.js";

/** LaunchDarkly's experiments resources are in beta: every call carries `LD-API-Version: beta`. */
export async function requireBetaVersion(request: FastifyRequest): Promise<void> {
  const header = request.headers["ld-api-version"];
  const value = Array.isArray(header) ? header[0] : header;
  if (value?.trim().toLowerCase() !== "beta") {
    throw new ApiError(
      403,
      value === undefined
        ? "This resource is in beta: send the header 'LD-API-Version: beta' with each call"
        : `LD-API-Version '${value}' cannot use this beta resource: send 'LD-API-Version: beta'`,
    );
  }
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
    schema: { hide: true },
    handler: async (request) => {
      throw new ApiError(
        405,
        `Method ${request.method} is not allowed on ${url.replace(/:(\w+)/g, "{$1}")} (allowed: ${allowed.join(", ")})`,
      );
    },
  });
}

export const link = (href: string) => ({ href, type: "application/json" });
