import { sql } from "kysely";
import client from "prom-client";
import { type TSchema, Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { responses } from "../http/response-schemas.js";
import { routeConfig } from "../http/route-config.js";
import type { TypedApp } from "../http/typed-app.js";

/** Prometheus metrics of one server: default process metrics and an HTTP latency histogram. */
export function createMetricsRegistry() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "vexil_" });
  const httpDuration = new client.Histogram({
    name: "vexil_http_request_duration_seconds",
    help: "HTTP request duration by route and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return { registry, httpDuration };
}

export type MetricsRegistry = ReturnType<typeof createMetricsRegistry>;

/** /healthz (alive), /readyz (storage answers) and /metrics (Prometheus text, admin only). */
export function operationsRoutes(app: TypedApp, context: AppContext, metrics: MetricsRegistry) {
  // One labelled child per method x route x status, looked up by a string key: prom-client would otherwise
  // hash the label object on every request. A callback hook: no promise per request.
  const children = new Map<string, client.Histogram.Internal<"method" | "route" | "status">>();
  app.addHook("onResponse", (request, reply, done) => {
    const route = routeConfig(request).url ?? "unmatched";
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let child = children.get(key);
    if (child === undefined) {
      child = metrics.httpDuration.labels(request.method, route, String(reply.statusCode));
      children.set(key, child);
    }
    child.observe(reply.elapsedTime / 1000);
    done();
  });

  const tags = ["operations"];
  const Health = Type.Object({ status: Type.String(), reason: Type.Optional(Type.String()) });
  app.get(
    "/healthz",
    { config: { access: "public" }, schema: { tags, response: responses("kameleoon", { 200: Health }) } },
    async () => ({ status: "ok" }),
  );

  const readiness = responses("kameleoon", { 200: Health, 503: Health });
  app.get(
    "/readyz",
    { config: { access: "public" }, schema: { tags, response: readiness } },
    async (_request, reply) => {
      try {
        await sql`select 1`.execute(context.db);
        return { status: "ready" };
      } catch (error) {
        return reply.status(503).send({ status: "unavailable", reason: String(error) });
      }
    },
  );

  app.get(
    "/metrics",
    {
      config: { access: "admin", scope: "global" },
      schema: {
        tags,
        response: responses("kameleoon", {
          200: {
            description: "Prometheus text exposition format",
            content: { "text/plain": { schema: Type.String() } },
          } as unknown as TSchema,
        }),
      },
    },
    async (_request, reply) => {
      reply.header("content-type", metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
}
