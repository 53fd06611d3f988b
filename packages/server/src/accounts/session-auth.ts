import type { FastifyReply, FastifyRequest } from "fastify";
import { ApiError } from "../http/api-error.js";
import type { Principal } from "../http/principal.js";
import { type AccountsService, type ActiveSession, sameSecret } from "./accounts.service.js";

export const SESSION_COOKIE = "vexil_session";
/** The header carrying the session's CSRF token on every cookie-authenticated write. */
export const CSRF_HEADER = "x-csrf-token";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The principal of a signed-in person: the user's role and project scope, exactly as a token's. */
export function sessionPrincipal(session: ActiveSession): Principal {
  const { user } = session;
  return {
    tokenId: 0,
    name: user.email,
    role: user.role,
    projectKey: user.projectKey,
    user: { id: user.id, email: user.email },
  };
}

/** Rejects a write whose CSRF header does not match the session's token (synchronizer token pattern). */
export function assertCsrf(request: FastifyRequest, session: ActiveSession): void {
  if (SAFE_METHODS.has(request.method)) return;
  const header = request.headers[CSRF_HEADER];
  if (typeof header !== "string" || !sameSecret(header, session.csrfToken)) {
    throw new ApiError(403, `Missing or wrong ${CSRF_HEADER} header (send the csrfToken of GET /session)`);
  }
}

/** The session behind the request's cookie, if any. */
export async function sessionOf(
  request: FastifyRequest,
  accounts: AccountsService,
): Promise<{ id: string; session: ActiveSession } | undefined> {
  // Parsed here rather than by a hook on every request (app.ts registers @fastify/cookie without one).
  request.cookies ??= request.server.parseCookie(request.headers.cookie ?? "");
  const id = request.cookies[SESSION_COOKIE];
  if (!id) return undefined;
  const session = await accounts.resolveSession(id);
  return session ? { id, session } : undefined;
}

/** Resolves a management request's principal from its session cookie (when it has no token). */
export function sessionResolver(accounts: AccountsService) {
  return async (request: FastifyRequest): Promise<Principal | undefined> => {
    const found = await sessionOf(request, accounts);
    if (!found) return undefined;
    assertCsrf(request, found.session);
    return sessionPrincipal(found.session);
  };
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure when served over HTTPS. */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  expiresAt: number,
) {
  reply.setCookie(SESSION_COOKIE, id, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: request.protocol === "https",
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: request.protocol === "https",
  });
}
