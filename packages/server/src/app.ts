import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyPluginCallback,
  type FastifyPluginOptions,
} from "fastify";
import { accountRoutes } from "./accounts/accounts.routes.js";
import { sessionResolver } from "./accounts/session-auth.js";
import type { AppContext } from "./app-context.js";
import { auditRoutes } from "./audit/audit.routes.js";
import { oauthRoutes } from "./auth/oauth.routes.js";
import { tokenRoutes } from "./auth/tokens.routes.js";
import { browserSdkRoutes } from "./browser-sdk/browser-sdk.routes.js";
import { consoleRoutes, defaultConsoleDir } from "./console/console.routes.js";
import { eventRoutes } from "./events/events.routes.js";
import { launchDarklyExperimentRoutes } from "./experiments/launchdarkly-experiments.routes.js";
import { flagRoutes } from "./flags/flags.routes.js";
import { goalRoutes } from "./goals/goals.routes.js";
import { launchDarklyMetricRoutes } from "./goals/launchdarkly-metrics.routes.js";
import { documentAccess, installAuthentication, tokenResolver } from "./http/authentication.js";
import { answerFrameworkError, installErrorHandling } from "./http/error-handler.js";
import { FailedAttempts } from "./http/failed-attempts.js";
import { installRateLimits } from "./http/rate-limits.js";
import { lazyRequestLogger } from "./http/request-logger.js";
import { installRequestValidation } from "./http/request-validation.js";
import { installRouteConfig } from "./http/route-config.js";
import type { TypedApp } from "./http/typed-app.js";
import { installIfMatchGuard } from "./http/write-guards.js";
import { launchDarklyFlagRoutes } from "./launchdarkly-flags/launchdarkly-flags.routes.js";
import { launchDarklySdkRoutes } from "./launchdarkly-sdk/launchdarkly-sdk.routes.js";
import { notificationRoutes } from "./notifications/notifications.routes.js";
import { ofrepRoutes } from "./ofrep/ofrep.routes.js";
import { createMetricsRegistry, operationsRoutes } from "./operations/operations.routes.js";
import { launchDarklyProjectRoutes } from "./projects/launchdarkly-projects.routes.js";
import { projectRoutes } from "./projects/projects.routes.js";
import { plannerRoutes } from "./results/planner.routes.js";
import { resultsRoutes } from "./results/results.routes.js";
import { sdkDeliveryRoutes } from "./sdk-delivery/sdk-delivery.routes.js";
import type { SdkDelivery } from "./sdk-delivery/sdk-delivery.service.js";
import { segmentRoutes } from "./segments/segments.routes.js";

const MANAGEMENT_BODY_LIMIT = 1024 * 1024;

/** Wraps a third-party plugin so the routes it registers (docs, console assets) need no token. */
function publicRoutes<Options extends FastifyPluginOptions>(
  plugin: FastifyPluginAsync<Options> | FastifyPluginCallback<Options>,
) {
  return async (instance: FastifyInstance, options: Options) => {
    instance.addHook("onRoute", (route) => {
      route.config = { ...route.config, access: "public" };
    });
    await instance.register(plugin as FastifyPluginAsync, options);
  };
}

/**
 * SDK routes carry a site's whole traffic: an "incoming request" and a "request completed" line per
 * evaluation at the default info level would be most of the log and a good part of each request's cost. They
 * log at warn at least; their failures are still logged by their error handlers.
 */
function quietSdkRoutes(app: TypedApp, logger: FastifyBaseLogger): void {
  const levels = (logger as { levels?: { values: Record<string, number> } }).levels?.values;
  if (!levels || levels[logger.level]! >= levels.warn!) return;
  app.addHook("onRoute", (route) => {
    if (route.config?.access === "sdk" && !route.logLevel) route.logLevel = "warn";
  });
}

/** Builds the HTTP application over a composed context (composition.ts): every surface, its schemas, auth and errors. */
export async function buildApp(
  context: AppContext,
  options: {
    /** The process logger (composition.ts); Fastify logs through it. */
    logger: FastifyBaseLogger;
    /** SDK payloads and streams, shared by the SDK and OFREP routes. */
    sdkDelivery: SdkDelivery;
  },
) {
  const app: TypedApp = Fastify({
    loggerInstance: options.logger,
    // Request loggers are built when a request first logs (http/request-logger.ts).
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: MANAGEMENT_BODY_LIMIT,
    frameworkErrors: answerFrameworkError,
    // Fastify's default of 100 characters is too short for LaunchDarkly's client-side SDKs, which send the
    // whole context base64url-encoded in one path parameter. Route schemas set narrower limits.
    routerOptions: { maxParamLength: 8192 },
    // Slow or stalled clients give up their connection (docs/security.md, "Timeouts"); responses may
    // last longer (SDK streams). Node checks these every second rather than its default 30 s.
    requestTimeout: context.config.requestTimeoutMs,
    keepAliveTimeout: context.config.keepAliveTimeoutMs,
    http: {
      headersTimeout: Math.min(context.config.headersTimeoutMs, context.config.requestTimeoutMs),
      connectionsCheckingInterval: 1000,
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandling(app);
  installRouteConfig(app);
  quietSdkRoutes(app, options.logger);
  installRequestValidation(app);
  installIfMatchGuard(app);
  // JSON Merge Patch (Kameleoon) and JSON Patch (LaunchDarkly) bodies are JSON too, parsed by Fastify's
  // own JSON parser so `__proto__` and `constructor.prototype` members are refused as for application/json.
  app.addContentTypeParser(
    ["application/merge-patch+json", "application/json-patch+json"],
    { parseAs: "string" },
    app.getDefaultJsonParser("error", "error"),
  );
  await app.register(formbody);
  // No cookie-parsing hook: only a session lookup reads the cookie (session-auth.ts parses it then), so SDK and
  // token requests do not pay for a parse and a Map per request.
  await app.register(cookie, { hook: false });

  await app.register(swagger, {
    openapi: {
      info: {
        title: "Vexil",
        version: "0.1.0",
        description: "Feature management and experimentation: Kameleoon and LaunchDarkly dialects.",
      },
      components: {
        securitySchemes: { token: { type: "apiKey", in: "header", name: "Authorization" } },
      },
      security: [{ token: [] }],
    },
    transform: documentAccess as never,
  });
  await app.register(publicRoutes(swaggerUi), { routePrefix: "/docs", uiConfig: { docExpansion: "list" } });
  app.get("/openapi.json", { config: { access: "public" }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  await installRateLimits(app, {
    perToken: context.config.rateLimitPerMinute,
    sdkPerAddress: context.config.sdkRateLimitPerMinute,
  });

  installAuthentication(app, {
    resolvers: [
      tokenResolver(context.services.tokens, context.config.tokenCacheMs, context.revocations),
      sessionResolver(context.accounts),
    ],
    revocations: context.revocations,
    failures: new FailedAttempts(context.config.authFailuresPerMinute),
  });
  const metrics = createMetricsRegistry();
  operationsRoutes(app, context, metrics);
  oauthRoutes(app, context);
  tokenRoutes(app, context);
  accountRoutes(app, context.accounts);
  auditRoutes(app, context);
  projectRoutes(app, context);
  launchDarklyProjectRoutes(app, context);
  flagRoutes(app, context);
  segmentRoutes(app, context);
  goalRoutes(app, context);
  launchDarklyMetricRoutes(app, context);
  launchDarklyExperimentRoutes(app, context);
  launchDarklyFlagRoutes(app, context);
  notificationRoutes(app, context);
  sdkDeliveryRoutes(app, context, options.sdkDelivery);
  ofrepRoutes(app, context, options.sdkDelivery);
  browserSdkRoutes(app, context, options.sdkDelivery);
  launchDarklySdkRoutes(app, context, options.sdkDelivery);
  resultsRoutes(app, context);
  plannerRoutes(app, context);
  eventRoutes(app, context);

  await consoleRoutes(app, context.config.consoleDir ?? defaultConsoleDir());
  return app;
}
