import { createHash } from "node:crypto";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import { ApiError } from "./api-error.js";
import { presentedToken } from "./authentication.js";
import { routeConfig } from "./route-config.js";

/**
 * Request budgets per minute (docs/security.md, "Rate limits"):
 * - management and public routes: `perToken` requests per token (hashed, never kept in clear), or per
 *   client address for requests without one;
 * - SDK routes (config, stream, OFREP, events, evaluations): one SDK key serves every browser of a site or
 *   every pod of a service, so they never share the per-token budget; `sdkPerAddress` requests per client
 *   address instead (a ceiling for one runaway client, far above what one address of a real site sends).
 * 0 disables a budget. Failed authentication attempts have their own limit (FailedAttempts).
 */
export async function installRateLimits(
  app: FastifyInstance,
  limits: { perToken: number; sdkPerAddress: number },
): Promise<void> {
  // SDK routes are counted here, not by the plugin: they are the hot path, and a synchronous counter costs
  // a Map update where the plugin's asynchronous hook and headers cost a quarter of an OFREP request.
  // Runs before the plugin's own onRoute hook, so the plugin sees them excluded.
  app.addHook("onRoute", (route) => {
    if (route.config?.access !== "sdk") return;
    route.config = { ...route.config, rateLimit: false } as typeof route.config;
  });
  if (limits.sdkPerAddress > 0) {
    const sdk = new PerMinuteCounter(limits.sdkPerAddress);
    app.addHook("onRequest", (request, reply, done) => {
      if (routeConfig(request).access !== "sdk") return done();
      const wait = sdk.take(`sdk:${request.ip}`);
      if (wait === 0) return done();
      reply.header("retry-after", String(wait));
      done(new ApiError(429, `Rate limit of ${limits.sdkPerAddress} requests per 1 minute exceeded`));
    });
  }
  if (limits.perToken <= 0) return;
  const digests = new TokenDigests();
  await app.register(rateLimit, {
    global: true,
    max: limits.perToken,
    timeWindow: 60_000,
    keyGenerator: (request) => {
      const token = presentedToken(request);
      return token ? digests.of(token) : request.ip;
    },
    errorResponseBuilder: (_request, limit) =>
      new ApiError(429, `Rate limit of ${limit.max} requests per ${limit.after} exceeded`),
  });
}

/** Requests per key in fixed one-minute windows (the map starts empty every minute, so it stays small). */
export class PerMinuteCounter {
  private window = -1;
  private counts = new Map<string, number>();

  constructor(
    readonly max: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a request of `key`: 0 when it is within the budget, else the seconds until the next window. */
  take(key: string): number {
    const now = this.now();
    const window = Math.floor(now / 60_000);
    if (window !== this.window) {
      this.window = window;
      this.counts = new Map();
    }
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return count <= this.max ? 0 : Math.max(1, Math.ceil(((window + 1) * 60_000 - now) / 1000));
  }
}

/** Tokens longer than this are hashed every time, so a client sending huge random tokens cannot fill memory. */
const MAX_REMEMBERED_TOKEN_LENGTH = 256;
const MAX_REMEMBERED_TOKENS = 10_000;

/**
 * The limiter's key for a token: its sha256 (base64). Every management request needs it, and hashing cost a
 * few microseconds per request where a lookup costs a fraction of one, so recent tokens' digests are kept.
 * The tokens themselves are kept only in this process's memory (as the verified-token cache keeps them),
 * never in the limiter's store; the map starts over when full.
 */
export class TokenDigests {
  private readonly digests = new Map<string, string>();

  /** The sha256 of `token`, base64. */
  of(token: string): string {
    let digest = this.digests.get(token);
    if (digest === undefined) {
      digest = createHash("sha256").update(token).digest("base64");
      if (token.length <= MAX_REMEMBERED_TOKEN_LENGTH) {
        if (this.digests.size >= MAX_REMEMBERED_TOKENS) this.digests.clear();
        this.digests.set(token, digest);
      }
    }
    return digest;
  }
}
