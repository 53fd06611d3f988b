import path from "node:path";
import type { FastifyBaseLogger, FastifyServerOptions } from "fastify";
import { sql } from "kysely";
import { pino } from "pino";
import { AccountsService } from "./accounts/accounts.service.js";
import { LazyAnalyticsStore } from "./analytics/lazy-store.js";
import { openPostgresAnalyticsStore } from "./analytics/postgres-store.js";
import type { AppContext, Services } from "./app-context.js";
import { AuditService } from "./audit/audit.service.js";
import { auditStore } from "./audit/audit.store.js";
import { localRevocationFeed, startPostgresRevocationFeed } from "./auth/token-revocations.js";
import { TokensService } from "./auth/tokens.service.js";
import { generateToken, tokensStore } from "./auth/tokens.store.js";
import type { AutomationTask } from "./automation/automation-tasks.js";
import { AutomationScheduler } from "./automation/scheduler.js";
import { ChangeBus } from "./changes/change-bus.js";
import { Outbox } from "./changes/outbox.js";
import type { ServerConfig } from "./config.js";
import { startEventRetention } from "./events/events.routes.js";
import { ExperimentsService } from "./experiments/experiments.service.js";
import { FlagsService } from "./flags/flags.service.js";
import { flagsStore } from "./flags/flags.store.js";
import { GoalsService } from "./goals/goals.service.js";
import { LaunchDarklyMetricsService } from "./goals/launchdarkly-metrics.service.js";
import { JobRunner } from "./jobs/job-runner.js";
import { queueAutomaticActionEmails } from "./notifications/automatic-action.js";
import { EMAIL_KIND, emailDelivery } from "./notifications/email-delivery.js";
import { webhookDeliveryHandler, webhookHandlerOptions } from "./notifications/webhook-delivery.js";
import { queueFlagWebhooks, WEBHOOK_DELIVERY_KIND } from "./notifications/webhook-outbox.js";
import { WebhooksService } from "./notifications/webhooks.service.js";
import { ProjectsService } from "./projects/projects.service.js";
import { callbackHandler, callbackHandlerOptions, RESULTS_CALLBACK_KIND } from "./results/callback.js";
import { PlannerService } from "./results/planner.service.js";
import { RESULTS_REPORT_KIND, reportHandler, reportHandlerOptions } from "./results/report-job.js";
import { startPostgresFanout } from "./sdk-delivery/postgres-fanout.js";
import { SegmentsService } from "./segments/segments.service.js";
import { openConfigDatabase } from "./storage/database.js";
import { migrateToLatest } from "./storage/migrations.js";

// The composition root: the one place that builds storage, the outbox and its subscribers, the services,
// the job handlers and the automation scheduler. `vexil serve` mounts the HTTP routes on it (server.ts);
// `vexil worker` runs only its background work. See docs/architecture.md.

export interface RootOptions {
  /** Fastify-style logger options (`false` = silent); default `{ level: config.logLevel }`. */
  logger?: FastifyServerOptions["logger"];
  now?: () => number;
  /** The automation tasks (default AUTOMATION_TASKS); tests add probes. */
  automationTasks?: readonly AutomationTask[];
}

/** Everything a process of this server is built from; HTTP routes and background work share it. */
export interface Root {
  context: AppContext;
  logger: FastifyBaseLogger;
  /** The admin token when this start generated it (shown once), else undefined. */
  generatedAdminToken: string | undefined;
  /**
   * The automation scheduler (docs/automation.md). Tests run VEXIL_AUTOMATION=manual, move the clock and
   * call `automation.runDueTicks()` to run the ticks due at that instant and wait for them.
   */
  automation: AutomationScheduler;
  /** Starts this process's background work: the job worker, automation and event retention. */
  startWorkers(): void;
  close(): Promise<void>;
}

/** The process logger: the same pino instance Fastify logs through, so worker and API log alike. */
function processLogger(config: ServerConfig, option: RootOptions["logger"]): FastifyBaseLogger {
  if (option === false) return pino({ enabled: false });
  if (option === undefined || option === true) return pino({ level: config.logLevel });
  return pino(option as object) as FastifyBaseLogger;
}

/** Makes sure an admin token exists: VEXIL_ADMIN_TOKEN when set, else a generated one on first start. */
async function ensureAdminToken(
  db: AppContext["db"],
  configured: string | undefined,
): Promise<string | undefined> {
  if (configured) {
    if (!(await tokensStore.exists(db, configured))) {
      await tokensStore.create(db, {
        token: configured,
        name: "admin (VEXIL_ADMIN_TOKEN)",
        role: "admin",
        projectKey: null,
        kind: "api",
      });
    }
    return undefined;
  }
  if (await tokensStore.hasAdmin(db)) return undefined;
  const token = generateToken();
  await tokensStore.create(db, {
    token,
    name: "admin (first start)",
    role: "admin",
    projectKey: null,
    kind: "api",
  });
  return token;
}

/**
 * One instance of each service; the ports a lower capability asks of a higher one are wired here. (The demo
 * builds a second set on a clock set back to the start of its simulated traffic.)
 */
export function buildServices(context: AppContext): Services {
  const flags = new FlagsService(context);
  const goals = new GoalsService(context, {
    flagsUsing: (db, goalId) => flagsStore.usersOf(db, "goal", goalId),
  });
  const experiments = new ExperimentsService(context, flags);
  return {
    projects: new ProjectsService(context),
    flags,
    segments: new SegmentsService(context, {
      flagsUsing: (db, segmentId) => flagsStore.usersOf(db, "segment", segmentId),
      segmentsUsedByFlags: (db, projectKey) => flagsStore.referencedIds(db, projectKey, "segment"),
    }),
    goals,
    experiments,
    launchDarklyMetrics: new LaunchDarklyMetricsService(context, goals, (projectKey, goalIds) =>
      experiments.metricUsage(projectKey, goalIds),
    ),
    planner: new PlannerService(context, goals),
    tokens: new TokensService(context),
    audit: new AuditService(context),
    webhooks: new WebhooksService(context),
  };
}

/** Opens storage (migrated), builds the context, services, job handlers and scheduler; starts nothing. */
export async function openRoot(config: ServerConfig, options: RootOptions = {}): Promise<Root> {
  const logger = processLogger(config, options.logger);
  const database = openConfigDatabase(config);
  await migrateToLatest(database.db as never, database.dialect);
  const generatedAdminToken = await ensureAdminToken(database.db, config.adminToken);
  const now = options.now ?? Date.now;
  const analytics = config.databaseUrl
    ? await openPostgresAnalyticsStore({ connectionString: config.databaseUrl })
    : // Loaded and opened on first use (analytics/lazy-store.ts): a flags-only server never pays for DuckDB.
      new LazyAnalyticsStore(async () =>
        (await import("./analytics/duckdb-store.js")).openDuckDbAnalyticsStore({
          path: path.join(config.dataDir, "events.duckdb"),
          config: {
            memory_limit: config.duckdbMemoryLimit,
            ...(config.duckdbThreads > 0 ? { threads: String(config.duckdbThreads) } : {}),
          },
        }),
      );
  const jobs = new JobRunner({
    db: database.db,
    dialect: database.dialect,
    now,
    pollMs: config.jobsPollMs,
    concurrency: config.jobsConcurrency,
  });
  // On PostgreSQL, processes of one database signal each other through LISTEN/NOTIFY.
  const listenUrl = database.dialect === "postgres" ? config.databaseUrl : undefined;
  const notify = async (channel: string, payload: string) => {
    await sql`select pg_notify(${channel}, ${payload})`.execute(database.db);
  };
  // Every process of the database hears token revocations (their verified-token caches forget them).
  const revocations = listenUrl
    ? await startPostgresRevocationFeed({ connectionString: listenUrl, notify, logger })
    : localRevocationFeed();
  // The audit log is the outbox's journal; notifications subscribe (webhooks of flag changes, emails of
  // automation's actions), in the transaction of each change.
  const outbox = new Outbox(auditStore.insert);
  outbox.subscribe(queueFlagWebhooks);
  outbox.subscribe(queueAutomaticActionEmails);
  const context: AppContext = {
    config,
    database,
    db: database.db,
    accounts: new AccountsService(
      database.db,
      now,
      { idleMs: config.sessionIdleMs, maxMs: config.sessionMaxMs },
      outbox,
    ),
    revocations,
    analytics,
    changes: new ChangeBus(),
    outbox,
    // Assigned below: services are built from the context they belong to.
    services: undefined as unknown as Services,
    now,
    jobs,
  };
  context.services = buildServices(context);

  // Job handlers: every process registers them all; only a process that starts its worker claims jobs.
  jobs.register(WEBHOOK_DELIVERY_KIND, webhookDeliveryHandler(context), webhookHandlerOptions(context));
  const email = emailDelivery(context, logger);
  jobs.register(EMAIL_KIND, email.handler, email.options);
  jobs.register(RESULTS_REPORT_KIND, reportHandler(context), reportHandlerOptions(context));
  jobs.register(RESULTS_CALLBACK_KIND, callbackHandler(context), callbackHandlerOptions(context));
  const automation = new AutomationScheduler(context, {
    logger,
    ...(options.automationTasks ? { tasks: options.automationTasks } : {}),
  });

  // On PostgreSQL, changes committed by other processes reach this one's subscribers (LISTEN/NOTIFY).
  const fanout = listenUrl
    ? await startPostgresFanout({ connectionString: listenUrl, notify, bus: context.changes, logger })
    : undefined;

  const stops: (() => void)[] = [];
  let working = false;
  return {
    context,
    logger,
    generatedAdminToken,
    automation,
    startWorkers() {
      if (working) return;
      working = true;
      // A committed change may have queued deliveries: look at once instead of at the next poll.
      stops.push(context.changes.subscribe(() => jobs.wake()));
      stops.push(startEventRetention(context, config.eventRetentionDays, logger));
      jobs.start(logger);
      automation.start();
    },
    async close() {
      await automation.stop();
      await jobs.stop();
      for (const stop of stops) stop();
      email.close();
      await fanout?.stop();
      await revocations.stop();
      await analytics.close();
      await database.close();
    },
  };
}
