import type { AccountsService } from "./accounts/accounts.service.js";
import type { AnalyticsStore } from "./analytics/analytics-store.js";
import type { AuditService } from "./audit/audit.service.js";
import type { TokensService } from "./auth/tokens.service.js";
import type { ChangeBus } from "./changes/change-bus.js";
import type { Outbox } from "./changes/outbox.js";
import type { ServerConfig } from "./config.js";
import type { ExperimentsService } from "./experiments/experiments.service.js";
import type { FlagsService } from "./flags/flags.service.js";
import type { GoalsService } from "./goals/goals.service.js";
import type { LaunchDarklyMetricsService } from "./goals/launchdarkly-metrics.service.js";
import type { RevocationFeed } from "./http/authentication.js";
import type { JobRunner } from "./jobs/job-runner.js";
import type { WebhooksService } from "./notifications/webhooks.service.js";
import type { ProjectsService } from "./projects/projects.service.js";
import type { PlannerService } from "./results/planner.service.js";
import type { SegmentsService } from "./segments/segments.service.js";
import type { ConfigDatabase } from "./storage/database.js";

/** The services the composition root builds once; routes, jobs and automation share them. */
export interface Services {
  projects: ProjectsService;
  flags: FlagsService;
  segments: SegmentsService;
  goals: GoalsService;
  experiments: ExperimentsService;
  launchDarklyMetrics: LaunchDarklyMetricsService;
  planner: PlannerService;
  tokens: TokensService;
  audit: AuditService;
  webhooks: WebhooksService;
}

/** What every capability's routes and services are built from; one per running server. */
export interface AppContext {
  config: ServerConfig;
  database: ConfigDatabase;
  /** Shorthand for database.db. */
  db: ConfigDatabase["db"];
  /** Console users and their sessions. */
  accounts: AccountsService;
  /** Tells every process of the database that tokens were revoked (their caches forget them). */
  revocations: RevocationFeed;
  /** Exposure and conversion events: DuckDB embedded, PostgreSQL with a database URL. */
  analytics: AnalyticsStore;
  /** Publish every committed configuration change here; SDK streams listen. */
  changes: ChangeBus;
  /** Services publish each domain change here, in its transaction: audit and notifications subscribe. */
  outbox: Outbox;
  /** The one instance of each service, built by the composition root (composition.ts). */
  services: Services;
  /** The clock; tests move it to exercise schedules without waiting. */
  now: () => number;
  /** Durable background jobs (results reports, callbacks, automation); see jobs/README.md. */
  jobs: JobRunner;
}
