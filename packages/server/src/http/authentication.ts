import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from "fastify";
import { ApiError } from "./api-error.js";
import type { FailedAttempts } from "./failed-attempts.js";
import { assertProjectAccess, assertRole, type Principal, type Role } from "./principal.js";
import { routeConfig } from "./route-config.js";

/** What the authentication hook needs of the token store (auth/tokens.store.ts). */
export interface TokenVerifier {
  verify(token: string): Promise<Principal | null>;
}

/**
 * Tells every process sharing the configuration database that tokens were revoked, so their caches of
 * verified tokens forget them at once (auth/token-revocations.ts). A cache trusts its entries only while
 * the feed is live.
 */
export interface RevocationFeed {
  /** Whether revocations committed anywhere are heard now; when false, every token is checked in the database. */
  readonly live: boolean;
  /** Calls `listener` after each revocation (here or elsewhere) and whenever liveness changes. */
  onRevoked(listener: () => void): void;
  /** Announces a committed revocation. */
  publish(): Promise<void>;
  stop(): Promise<void>;
}

/** Who may call a route: a management role, anyone, or SDK-key holders (checked by the route itself). */
export type Access = Role | "public" | "sdk";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Defaults to admin, so a route that forgets to say is closed rather than open. */
    access?: Access;
    /**
     * "global": the route acts on every project (creating projects, server-wide counts), so a principal
     * scoped to one project gets 403 whatever its role. Absent: the route checks project scope itself or by
     * path (`:projectKey`, `:siteCode`).
     */
    scope?: "global";
    /** A public route that checks credentials itself (POST /oauth/token): its failed attempts are limited. */
    checksCredentials?: boolean;
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

/**
 * One kind of credential (an API token, a console session): undefined when the request does not present
 * it, null when it presents one that is not valid, else the principal it stands for.
 */
export type PrincipalResolver = (request: FastifyRequest) => Promise<Principal | null | undefined>;

/**
 * Remembers verified tokens briefly so a hot route does not hash and query on every request. Entries are
 * trusted only while the revocation feed is live, and dropped at every revocation it reports.
 */
class PrincipalCache {
  private readonly entries = new Map<string, { principal: Principal | null; until: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly revocations: RevocationFeed,
  ) {
    revocations.onRevoked(() => this.entries.clear());
  }

  async resolve(token: string, verify: () => Promise<Principal | null>): Promise<Principal | null> {
    if (this.ttlMs <= 0 || !this.revocations.live) return verify();
    const now = Date.now();
    const cached = this.entries.get(token);
    if (cached && cached.until > now) return cached.principal;
    const principal = await verify();
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(token, { principal, until: now + this.ttlMs });
    return principal;
  }
}

/** The API-token resolver (Authorization header), with its cache of verified tokens. */
export function tokenResolver(
  tokens: TokenVerifier,
  cacheMs: number,
  revocations: RevocationFeed,
): PrincipalResolver {
  const cache = new PrincipalCache(cacheMs, revocations);
  return async (request) => {
    const token = presentedToken(request);
    if (!token) return undefined;
    return cache.resolve(token, () => tokens.verify(token));
  };
}

/** The authenticated principal of a management request (set by the authentication hook). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new ApiError(401, "Invalid access token");
  return request.principal;
}

/**
 * Checks the credential, role, global scope and, where the path names one, project scope of every
 * management route; the first resolver that recognises a credential decides. Every 401 (here, or from a
 * route checking SDK keys or OAuth clients) counts as a failed attempt of the client address, and an
 * address over its limit gets 429 on every route that checks credentials.
 */
export function installAuthentication(
  app: FastifyInstance,
  options: {
    resolvers: PrincipalResolver[];
    revocations: RevocationFeed;
    failures: FailedAttempts;
  },
) {
  const { resolvers, revocations, failures } = options;
  app.decorate("forgetVerifiedTokens", () => revocations.publish());
  const authenticate = async (request: FastifyRequest, access: Role, config: FastifyContextConfig) => {
    let principal: Principal | null | undefined;
    for (const resolve of resolvers) {
      principal = await resolve(request);
      if (principal !== undefined) break;
    }
    if (principal === undefined) throw new ApiError(401, "Invalid access token: no Authorization header");
    if (principal === null) throw new ApiError(401, "Invalid access token");
    request.principal = principal;
    assertRole(principal, access);
    if (config.scope === "global" && principal.projectKey !== null) {
      throw new ApiError(
        403,
        `This action spans every project; the caller is scoped to project '${principal.projectKey}'`,
      );
    }
    const params = request.params as Record<string, string | undefined>;
    const projectKey = params.projectKey ?? params.siteCode;
    if (projectKey) assertProjectAccess(principal, projectKey);
  };
  // A callback hook, not an async one: public and SDK routes (the hot ones) pass synchronously, with no
  // promise or extra microtask per request; management routes resolve their principal asynchronously.
  app.addHook("onRequest", (request, reply, done) => {
    const config = routeConfig(request);
    const access = config.access ?? "admin";
    if (access === "public" && !config.checksCredentials) return done();
    const retryAfter = failures.retryAfterSeconds(request.ip);
    if (retryAfter > 0) {
      reply.header("retry-after", String(retryAfter));
      return done(
        new ApiError(
          429,
          `Too many failed authentication attempts from this address (limit ${failures.maxPerMinute} per minute)`,
        ),
      );
    }
    if (access === "public" || access === "sdk") return done();
    authenticate(request, access, config).then(() => done(), done);
  });
  app.addHook("onResponse", (request, reply, done) => {
    if (reply.statusCode === 401) failures.record(request.ip);
    done();
  });
}

declare module "fastify" {
  interface FastifyInstance {
    /** Makes every process drop cached token verifications (after a revocation, so it takes effect at once). */
    forgetVerifiedTokens(): Promise<void>;
  }
}

/**
 * The @fastify/swagger transform that documents each operation's access in /openapi.json:
 * `x-vexil-access` (public, sdk, reader, writer or admin), `x-vexil-scope: global` for routes across every
 * project, and no security requirement on public routes. Clients and the access-matrix test read it.
 */
export function documentAccess({
  schema,
  url,
  route,
}: {
  schema: Record<string, unknown> | undefined;
  url: string;
  route: { config?: { access?: Access; scope?: "global" } };
}) {
  const access = route.config?.access ?? "admin";
  return {
    schema: {
      ...schema,
      "x-vexil-access": access,
      ...(route.config?.scope ? { "x-vexil-scope": route.config.scope } : {}),
      ...(access === "public" ? { security: [] } : {}),
    },
    url,
  };
}
