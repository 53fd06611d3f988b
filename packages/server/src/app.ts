import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
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
import { hashToken } from "./auth/tokens.store.js";
import { eventRoutes } from "./events/events.routes.js";
import { launchDarklyExperimentRoutes } from "./experiments/launchdarkly-experiments.routes.js";
import { flagRoutes } from "./flags/flags.routes.js";
import { goalRoutes } from "./goals/goals.routes.js";
import { launchDarklyMetricRoutes } from "./goals/launchdarkly-metrics.routes.js";
import { ApiError } from "./http/api-error.js";
import { installAuthentication, presentedToken, tokenResolver } from "./http/authentication.js";
import { installErrorHandling } from "./http/error-handler.js";
import { FailedAttempts } from "./http/failed-attempts.js";
import type { TypedApp } from "./http/typed-app.js";
import { launchDarklySdkRoutes } from "./launchdarkly-sdk/launchdarkly-sdk.routes.js";
import { notificationRoutes } from "./notifications/notifications.routes.js";
import { ofrepRoutes } from "./ofrep/ofrep.routes.js";
import { createMetricsRegistry, operationsRoutes } from "./operations/operations.routes.js";
import { launchDarklyProjectRoutes } from "./projects/launchdarkly-projects.routes.js";
import { projectRoutes } from "./projects/projects.routes.js";
import { resultsRoutes } from "./results/results.routes.js";
import { sdkDeliveryRoutes } from "./sdk-delivery/sdk-delivery.routes.js";
import type { SdkDelivery } from "./sdk-delivery/sdk-delivery.service.js";
import { segmentRoutes } from "./segments/segments.routes.js";

const MANAGEMENT_BODY_LIMIT = 1024 * 1024;

/** Where the built console lives when the server runs from the repository. */
function defaultConsoleDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../web/dist");
}

function parseJsonBody(
  _request: unknown,
  body: string,
  done: (error: Error | null, value?: unknown) => void,
) {
  try {
    done(null, body.length === 0 ? undefined : JSON.parse(body));
  } catch (error) {
    done(error as Error);
  }
}

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
    bodyLimit: MANAGEMENT_BODY_LIMIT,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: "array", useDefaults: true, allErrors: true },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandling(app);
  // JSON Merge Patch (Kameleoon) and JSON Patch (LaunchDarkly) bodies are JSON too.
  app.addContentTypeParser(
    ["application/merge-patch+json", "application/json-patch+json"],
    { parseAs: "string" },
    parseJsonBody,
  );
  await app.register(formbody);
  await app.register(cookie);

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
  });
  await app.register(publicRoutes(swaggerUi), { routePrefix: "/docs", uiConfig: { docExpansion: "list" } });
  app.get("/openapi.json", { config: { access: "public" }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  if (context.config.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      max: context.config.rateLimitPerMinute,
      timeWindow: 60_000,
      // One bucket per token (hashed, never kept in clear), else per client address.
      keyGenerator: (request) => {
        const token = presentedToken(request) ?? (request.headers["x-vexil-sdk-key"] as string | undefined);
        return token ? hashToken(token) : request.ip;
      },
      errorResponseBuilder: (_request, limit) =>
        new ApiError(429, `Rate limit of ${limit.max} requests per ${limit.after} exceeded`),
    });
  }

  installAuthentication(app, {
    resolvers: [
      tokenResolver(context.tokens, context.config.tokenCacheMs, context.revocations),
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
  notificationRoutes(app, context);
  sdkDeliveryRoutes(app, context, options.sdkDelivery);
  ofrepRoutes(app, context, options.sdkDelivery);
  launchDarklySdkRoutes(app, context, options.sdkDelivery);
  resultsRoutes(app, context);
  eventRoutes(app, context);

  const consoleDir = context.config.consoleDir ?? defaultConsoleDir();
  if (fs.existsSync(path.join(consoleDir, "index.html"))) {
    await app.register(publicRoutes(fastifyStatic), {
      root: consoleDir,
      wildcard: false,
      index: "index.html",
    });
  }
  return app;
}
