import type { FastifyInstance } from "fastify";
import { ApiError } from "./api-error.js";
import { routeConfig } from "./route-config.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route compares If-Match with its resource's version (flags, segments); see installIfMatchGuard. */
    ifMatch?: boolean;
  }
}

/** Who makes a change: how the audit log names them, and the token id (Kameleoon's createdById). */
export interface Actor {
  name: string;
  id: number | null;
}

/** Options of every write. */
export interface WriteOptions {
  /** The request's If-Match header: the version (ETag) the client last read; stale -> 409. */
  ifMatch?: string | undefined;
  /** The holder of the flag's automation lock making this change (see withFlagLock). */
  lockHolder?: string | undefined;
}

/** The ETag of a versioned resource. */
export const etagOf = (version: number) => `"${version}"`;

/** 409 unless If-Match (one or more ETags, `W/` or quotes optional, `*` for any) names `version`. */
export function assertIfMatch(version: number, ifMatch: string | undefined, what: string): void {
  if (ifMatch === undefined || ifMatch.trim() === "") return;
  const tags = ifMatch
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);
  if (tags.includes("*")) return;
  const versions = tags.map((tag) => tag.replace(/^W\//i, "").replace(/^"(.*)"$/, "$1"));
  if (!versions.includes(String(version))) {
    throw new ApiError(
      409,
      `If-Match names version ${versions.join(", ")} but ${what} is at version ${version}; read it again and retry`,
    );
  }
}

/**
 * Refuses If-Match on writes to resources without versions: they have no ETag, so no entity tag can match
 * and RFC 9110 (13.1.1) says the condition is false, 412; only `*` (any current representation) holds.
 * Ignoring it instead would let a client that meant "only if unchanged" overwrite or delete anyway.
 */
export function installIfMatchGuard(app: FastifyInstance): void {
  // A callback hook: every request passes it, and an async hook costs a promise and a microtask each time.
  app.addHook("preHandler", (request, _reply, done) => {
    const header = request.headers["if-match"];
    if (header === undefined || request.method === "GET" || request.method === "HEAD") return done();
    if (routeConfig(request).ifMatch) return done();
    const value = Array.isArray(header) ? header.join(",") : header;
    if (value.trim() === "*" || value.trim() === "") return done();
    done(
      new ApiError(
        412,
        `If-Match: ${request.method} ${request.routeOptions.url ?? request.url} has no ETag (no versions), so no entity tag can match; send the request without If-Match`,
      ),
    );
  });
}

/** 423 while another holder's automation lock is in force. */
export function assertUnlocked(
  lock: { lockedBy: string | null; lockedUntil: string | null },
  holder: string | undefined,
  now: number,
  what: string,
): void {
  if (lock.lockedBy === null || lock.lockedUntil === null) return;
  if (Date.parse(lock.lockedUntil) <= now || lock.lockedBy === holder) return;
  throw new ApiError(
    423,
    `${what} is locked by '${lock.lockedBy}' until ${lock.lockedUntil} while it applies an automatic change; retry later`,
  );
}

/** SQLite and PostgreSQL unique-constraint violations. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === "23505" ||
    e?.code === "SQLITE_CONSTRAINT_UNIQUE" ||
    /UNIQUE constraint failed/.test(e?.message ?? "")
  );
}
