import type { FastifyInstance, FastifyRequest } from "fastify";
import { ApiError } from "./api-error.js";
import { assertProjectAccess, assertRole, type Principal, type Role } from "./principal.js";

/** What the authentication hook needs of the token store (auth/tokens.store.ts). */
export interface TokenVerifier {
  verify(token: string): Promise<Principal | null>;
}

/** Who may call a route: a management role, anyone, or SDK-key holders (checked by the route itself). */
export type Access = Role | "public" | "sdk";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Defaults to admin, so a route that forgets to say is closed rather than open. */
    access?: Access;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** The token in `Authorization: Bearer <t>` or a bare `Authorization: <t>` (LaunchDarkly style). */
export function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization?.trim();
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return (match ? match[1] : header)?.trim() || undefined;
}

/** Remembers verified tokens briefly so a hot route does not hash and query on every request. */
class PrincipalCache {
  private readonly entries = new Map<string, { principal: Principal | null; until: number }>();
  constructor(private readonly ttlMs: number) {}

  async resolve(token: string, verify: () => Promise<Principal | null>): Promise<Principal | null> {
    const now = Date.now();
    const cached = this.entries.get(token);
    if (cached && cached.until > now) return cached.principal;
    const principal = await verify();
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(token, { principal, until: now + this.ttlMs });
    return principal;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The authenticated principal of a management request (set by the authentication hook). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new ApiError(401, "Invalid access token");
  return request.principal;
}

/** Another way to authenticate a request without a token (the console's session cookie). */
export type PrincipalResolver = (request: FastifyRequest) => Promise<Principal | undefined>;

/** Checks the token, role and, where the path names one, project scope of every management route. */
export function installAuthentication(
  app: FastifyInstance,
  tokens: TokenVerifier,
  cacheMs: number,
  session?: PrincipalResolver,
) {
  const cache = new PrincipalCache(cacheMs);
  app.decorate("forgetVerifiedTokens", () => cache.clear());
  app.addHook("onRequest", async (request) => {
    const access = request.routeOptions.config.access ?? "admin";
    if (access === "public" || access === "sdk") return;
    const token = presentedToken(request);
    const principal = token
      ? await cache.resolve(token, () => tokens.verify(token))
      : await session?.(request);
    if (!token && !principal) throw new ApiError(401, "Invalid access token: no Authorization header");
    if (!principal) throw new ApiError(401, "Invalid access token");
    request.principal = principal;
    assertRole(principal, access);
    const params = request.params as Record<string, string | undefined>;
    const projectKey = params.projectKey ?? params.siteCode;
    if (projectKey) assertProjectAccess(principal, projectKey);
  });
}

declare module "fastify" {
  interface FastifyInstance {
    /** Drops cached token verifications (after a revocation, so it takes effect at once). */
    forgetVerifiedTokens(): void;
  }
}
