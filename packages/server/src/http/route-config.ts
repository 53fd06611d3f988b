import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from "fastify";

// `request.routeOptions` builds a fresh object of a dozen fields on every read, and the hooks every request
// passes (rate limits, authentication, metrics) each need the route's config: it is read once per request.

const CONFIG = Symbol("vexil.routeConfig");

type RouteConfig = FastifyContextConfig & { url?: string };

/** Declares the per-request slot, so every request object has it from construction (one shape for V8). */
export function installRouteConfig(app: FastifyInstance): void {
  app.decorateRequest(CONFIG, null);
}

/** The matched route's config (`access`, `scope`, ...; `url` is the route's path, undefined when unmatched). */
export function routeConfig(request: FastifyRequest): RouteConfig {
  const holder = request as unknown as { [CONFIG]?: RouteConfig | null };
  let config = holder[CONFIG];
  if (!config) {
    config = request.routeOptions.config as RouteConfig;
    holder[CONFIG] = config;
  }
  return config;
}
