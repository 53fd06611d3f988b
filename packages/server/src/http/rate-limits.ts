import { createHash } from "node:crypto";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import { ApiError } from "./api-error.js";
import { presentedToken } from "./authentication.js";

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
  // Runs before the plugin's own onRoute hook, so the plugin sees each SDK route's budget.
  app.addHook("onRoute", (route) => {
    if (route.config?.access !== "sdk") return;
    route.config = {
      ...route.config,
      rateLimit:
        limits.sdkPerAddress > 0
          ? { max: limits.sdkPerAddress, timeWindow: 60_000, keyGenerator: (request) => `sdk:${request.ip}` }
          : false,
    } as typeof route.config;
  });
  if (limits.perToken <= 0 && limits.sdkPerAddress <= 0) return;
  await app.register(rateLimit, {
    global: limits.perToken > 0,
    max: limits.perToken,
    timeWindow: 60_000,
    keyGenerator: (request) => {
      const token = presentedToken(request);
      return token ? createHash("sha256").update(token).digest("base64") : request.ip;
    },
    errorResponseBuilder: (_request, limit) =>
      new ApiError(429, `Rate limit of ${limit.max} requests per ${limit.after} exceeded`),
  });
}
