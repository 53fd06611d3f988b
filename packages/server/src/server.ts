import path from "node:path";
import type { FastifyServerOptions } from "fastify";
import { sql } from "kysely";
import { AccountsService } from "./accounts/accounts.service.js";
import { openDuckDbAnalyticsStore } from "./analytics/duckdb-store.js";
import { openPostgresAnalyticsStore } from "./analytics/postgres-store.js";
import { buildApp } from "./app.js";
import type { AppContext } from "./app-context.js";
import { localRevocationFeed, startPostgresRevocationFeed } from "./auth/token-revocations.js";
import { generateToken, TokenStore } from "./auth/tokens.store.js";
import type { AutomationTask } from "./automation/automation-tasks.js";
import { AutomationScheduler } from "./automation/scheduler.js";
import { ChangeBus } from "./changes/change-bus.js";
import type { ServerConfig } from "./config.js";
import { JobRunner } from "./jobs/job-runner.js";
import { startPostgresFanout } from "./sdk-delivery/postgres-fanout.js";
import { openConfigDatabase } from "./storage/database.js";
import { migrateToLatest } from "./storage/migrations.js";

export interface OpenedServer {
  context: AppContext;
  app: Awaited<ReturnType<typeof buildApp>>;
  /** The admin token when this start generated it (shown once), else undefined. */
  generatedAdminToken: string | undefined;
  /**
   * The automation scheduler (docs/automation.md). Tests run VEXIL_AUTOMATION=manual, move the clock and
   * call `automation.runDueTicks()` to run the ticks due at that instant and wait for them.
   */
  automation: AutomationScheduler;
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
  options: {
    logger?: FastifyServerOptions["logger"];
    now?: () => number;
    /** The automation tasks (default AUTOMATION_TASKS); tests add probes. */
    automationTasks?: readonly AutomationTask[];
  } = {},
): Promise<OpenedServer> {
  const database = openConfigDatabase(config);
  await migrateToLatest(database.db as never, database.dialect);
  const tokens = new TokenStore(database.db);
  const generatedAdminToken = await ensureAdminToken(tokens, config.adminToken);
  const now = options.now ?? Date.now;
  const accounts = new AccountsService(database.db, now, {
    idleMs: config.sessionIdleMs,
    maxMs: config.sessionMaxMs,
  });
  const analytics = config.databaseUrl
    ? await openPostgresAnalyticsStore({ connectionString: config.databaseUrl })
    : await openDuckDbAnalyticsStore({ path: path.join(config.dataDir, "events.duckdb") });
  const jobs = new JobRunner({
    db: database.db,
    dialect: database.dialect,
    now,
    pollMs: config.jobsPollMs,
    concurrency: config.jobsConcurrency,
  });
  const revocations =
    database.dialect === "postgres" && config.databaseUrl
      ? await startPostgresRevocationFeed({
          connectionString: config.databaseUrl,
          notify: async (channel, payload) => {
            await sql`select pg_notify(${channel}, ${payload})`.execute(database.db);
          },
          logger: console,
        })
      : localRevocationFeed();
  const context: AppContext = {
    config,
    database,
    db: database.db,
    tokens,
    accounts,
    revocations,
    analytics,
    changes: new ChangeBus(),
    now,
    jobs,
  };
  const app = await buildApp(context, options);
  // On PostgreSQL, changes committed by other processes reach this one's SDK streams (LISTEN/NOTIFY).
  const fanout =
    database.dialect === "postgres" && config.databaseUrl
      ? await startPostgresFanout({
          connectionString: config.databaseUrl,
          notify: async (channel, payload) => {
            await sql`select pg_notify(${channel}, ${payload})`.execute(database.db);
          },
          bus: context.changes,
          logger: app.log,
        })
      : undefined;
  // Handlers are registered by buildApp's routes and the scheduler; the worker claims only kinds it has a
  // handler for.
  const automation = new AutomationScheduler(context, {
    logger: app.log,
    ...(options.automationTasks ? { tasks: options.automationTasks } : {}),
  });
  jobs.start(app.log);
  automation.start();
  return {
    context,
    app,
    generatedAdminToken,
    automation,
    async close() {
      await automation.stop();
      await jobs.stop();
      await fanout?.stop();
      await revocations.stop();
      await app.close();
      await analytics.close();
      await database.close();
    },
  };
}
