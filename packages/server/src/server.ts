import type { FastifyServerOptions } from "fastify";
import { buildApp } from "./app.js";
import type { AppContext } from "./app-context.js";
import { generateToken, TokenStore } from "./auth/tokens.store.js";
import type { ServerConfig } from "./config.js";
import { ChangeBus } from "./sdk-delivery/change-bus.js";
import { openConfigDatabase } from "./storage/database.js";
import { migrateToLatest } from "./storage/migrations.js";

export interface OpenedServer {
  context: AppContext;
  app: Awaited<ReturnType<typeof buildApp>>;
  /** The admin token when this start generated it (shown once), else undefined. */
  generatedAdminToken: string | undefined;
  close(): Promise<void>;
}

/** Makes sure an admin token exists: VEXIL_ADMIN_TOKEN when set, else a generated one on first start. */
async function ensureAdminToken(
  tokens: TokenStore,
  configured: string | undefined,
): Promise<string | undefined> {
  if (configured) {
    if (!(await tokens.exists(configured))) {
      await tokens.create({
        token: configured,
        name: "admin (VEXIL_ADMIN_TOKEN)",
        role: "admin",
        projectKey: null,
        kind: "api",
      });
    }
    return undefined;
  }
  if (await tokens.hasAdmin()) return undefined;
  const token = generateToken();
  await tokens.create({ token, name: "admin (first start)", role: "admin", projectKey: null, kind: "api" });
  return token;
}

/** Opens storage, migrates it, ensures an admin token and builds the application (not yet listening). */
export async function openServer(
  config: ServerConfig,
  options: { logger?: FastifyServerOptions["logger"]; now?: () => number } = {},
): Promise<OpenedServer> {
  const database = openConfigDatabase(config);
  await migrateToLatest(database.db as never, database.dialect);
  const tokens = new TokenStore(database.db);
  const generatedAdminToken = await ensureAdminToken(tokens, config.adminToken);
  const context: AppContext = {
    config,
    database,
    db: database.db,
    tokens,
    changes: new ChangeBus(),
    now: options.now ?? Date.now,
  };
  const app = await buildApp(context, options);
  return {
    context,
    app,
    generatedAdminToken,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
