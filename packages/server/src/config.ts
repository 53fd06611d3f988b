import path from "node:path";

/** Everything the server needs to start, resolved from flags and environment variables. */
export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL URL; when absent the embedded SQLite + DuckDB stores in `dataDir` are used. */
  databaseUrl: string | undefined;
  /** When set, this is the admin token (stored hashed); otherwise one is generated on first start. */
  adminToken: string | undefined;
  /** Management requests per minute and token (or client address without one) before 429; 0 disables. */
  rateLimitPerMinute: number;
  /** SDK-route requests per minute and client address before 429; 0 disables (VEXIL_SDK_RATE_LIMIT_PER_MINUTE). */
  sdkRateLimitPerMinute: number;
  /** Time to receive a whole request, headers included, in ms (VEXIL_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** Time to receive a request's headers, in ms (VEXIL_HEADERS_TIMEOUT_MS). */
  headersTimeoutMs: number;
  /** How long an idle keep-alive connection stays open, in ms (VEXIL_KEEP_ALIVE_TIMEOUT_MS). */
  keepAliveTimeoutMs: number;
  /** Lifetime of tokens issued by POST /oauth/token. */
  oauthTokenTtlSeconds: number;
  /**
   * How long a verified token is trusted without re-reading storage; revocations still take effect at once
   * on every process (docs/security.md).
   */
  tokenCacheMs: number;
  /** Failed authentication attempts (401) per client address and minute before 429; 0 disables (VEXIL_AUTH_FAILURES_PER_MINUTE). */
  authFailuresPerMinute: number;
  logLevel: string;
  /** Raw events older than this many days are deleted (hourly); 0 keeps them forever. */
  eventRetentionDays: number;
  /** Directory of the built console; served at / when it exists. */
  consoleDir: string | undefined;
  /** Results callbacks may target private, loopback and link-local addresses (VEXIL_CALLBACK_ALLOW_PRIVATE). */
  callbackAllowPrivate: boolean;
  /** Host names results callbacks may target whatever they resolve to (VEXIL_CALLBACK_ALLOWED_HOSTS, comma-separated). */
  callbackAllowedHosts: string[];
  /** How often the job worker looks for due jobs, in ms (VEXIL_JOBS_POLL_MS). */
  jobsPollMs: number;
  /** Jobs (results reports, callbacks, automation) this process runs at once; 0 = no worker (VEXIL_JOBS_CONCURRENCY). */
  jobsConcurrency: number;
  /**
   * Whether `vexil serve` also runs the job worker, automation and event retention (VEXIL_WORKERS, default
   * true; `serve --no-workers`). Off on API replicas when `vexil worker` processes run them (docs/deployment.md).
   */
  workers: boolean;
  /** Port of a `vexil worker`'s GET /healthz (VEXIL_ADMIN_PORT, `worker --admin-port`); unset = no HTTP. */
  adminPort: number | undefined;
  /** Where notification emails go, e.g. smtp://127.0.0.1:2525 or smtps://user:pass@host (VEXIL_SMTP_URL); unset = emails skipped. */
  smtpUrl: string | undefined;
  /** The From address of notification emails (VEXIL_SMTP_FROM). */
  smtpFrom: string;
  /** How long failed webhook and email deliveries are retried, in ms (VEXIL_NOTIFICATION_RETRY_HOURS, default 24). */
  notificationRetryWindowMs: number;
  /**
   * The automation scheduler (VEXIL_AUTOMATION): `on` ticks in the background, `off` runs no automation in
   * this process, `manual` ticks only when asked (`server.automation.runDueTicks()`, tests). See docs/automation.md.
   */
  automation: "on" | "off" | "manual";
  /** Tick interval of progressive delivery, flag health and rollback conditions, in ms (VEXIL_AUTOMATION_TICK_MS). */
  automationTickMs: number;
  /** Tick interval of multi-armed-bandit re-allocation, in ms (VEXIL_BANDIT_INTERVAL_MS). */
  banditIntervalMs: number;
  /** Least share of a bandit rule's traffic each arm keeps, 0 to 1 (VEXIL_BANDIT_FLOOR, default 0.05). */
  banditFloor: number;
  /** Units (visitors) every arm needs before a bandit re-allocates (VEXIL_BANDIT_MIN_UNITS, default 100). */
  banditMinUnits: number;
  /** How long the automation leader's lease lasts without renewal, in ms (VEXIL_SCHEDULER_LEASE_MS). */
  schedulerLeaseMs: number;
  /** A flag not created, edited or evaluated for this many days reads STALE (VEXIL_FLAG_STALE_DAYS). */
  flagStaleDays: number;
  /** A console session unused for this long ends, in ms (VEXIL_SESSION_IDLE_MINUTES, default 12 hours). */
  sessionIdleMs: number;
  /** A console session ends this long after sign-in, in ms (VEXIL_SESSION_MAX_HOURS, default 7 days). */
  sessionMaxMs: number;
  /** The email of the first admin user, created on first start (VEXIL_ADMIN_EMAIL). */
  adminEmail: string;
  /**
   * Memory DuckDB (embedded event store) may use for its buffers, e.g. `1GB` (VEXIL_DUCKDB_MEMORY_LIMIT,
   * default 1GB; DuckDB's own default is 80 % of the machine's memory). Queries that need more spill to disk.
   */
  duckdbMemoryLimit: string;
  /**
   * Threads DuckDB may use (VEXIL_DUCKDB_THREADS; 0, the default, leaves DuckDB's own: one per core). Fewer
   * threads cost ingestion less CPU per event and make large results queries slower (docs/deployment.md).
   */
  duckdbThreads: number;
}

export interface ConfigOverrides {
  port?: number | undefined;
  host?: string | undefined;
  dataDir?: string | undefined;
  databaseUrl?: string | undefined;
  workers?: boolean | undefined;
  adminPort?: number | undefined;
}

function integerFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative integer`);
  return parsed;
}

function positiveIntegerFrom(value: string | undefined, fallback: number, name: string): number {
  const parsed = integerFrom(value, fallback, name);
  if (parsed === 0) throw new Error(`${name} must be a positive integer`);
  return parsed;
}

function automationFrom(value: string | undefined): ServerConfig["automation"] {
  if (value === undefined || value === "" || /^(on|true|1|yes)$/i.test(value)) return "on";
  if (/^(off|false|0|no)$/i.test(value)) return "off";
  if (/^manual$/i.test(value)) return "manual";
  throw new Error("VEXIL_AUTOMATION must be on, off or manual");
}

function fractionFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!(parsed >= 0 && parsed < 1)) throw new Error(`${name} must be a number from 0 to 1 (excluded)`);
  return parsed;
}

function memorySizeFrom(value: string | undefined, fallback: string, name: string): string {
  if (value === undefined || value === "") return fallback;
  if (!/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(value.trim()))
    throw new Error(`${name} must be a size such as 512MB or 2GB`);
  return value.trim();
}

function booleanFrom(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined || value === "") return fallback;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new Error(`${name} must be true or false`);
}

/** Resolves the configuration: explicit overrides first, then VEXIL_* variables, then defaults. */
export function resolveConfig(
  overrides: ConfigOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
): ServerConfig {
  return {
    port: overrides.port ?? integerFrom(env.VEXIL_PORT, 8420, "VEXIL_PORT"),
    host: overrides.host ?? env.VEXIL_HOST ?? "127.0.0.1",
    dataDir: path.resolve(overrides.dataDir ?? env.VEXIL_DATA_DIR ?? "./data"),
    databaseUrl: overrides.databaseUrl ?? (env.VEXIL_DATABASE_URL || undefined),
    adminToken: env.VEXIL_ADMIN_TOKEN || undefined,
    rateLimitPerMinute: integerFrom(env.VEXIL_RATE_LIMIT_PER_MINUTE, 60_000, "VEXIL_RATE_LIMIT_PER_MINUTE"),
    sdkRateLimitPerMinute: integerFrom(
      env.VEXIL_SDK_RATE_LIMIT_PER_MINUTE,
      3_000_000,
      "VEXIL_SDK_RATE_LIMIT_PER_MINUTE",
    ),
    requestTimeoutMs: positiveIntegerFrom(env.VEXIL_REQUEST_TIMEOUT_MS, 30_000, "VEXIL_REQUEST_TIMEOUT_MS"),
    headersTimeoutMs: positiveIntegerFrom(env.VEXIL_HEADERS_TIMEOUT_MS, 10_000, "VEXIL_HEADERS_TIMEOUT_MS"),
    keepAliveTimeoutMs: positiveIntegerFrom(
      env.VEXIL_KEEP_ALIVE_TIMEOUT_MS,
      72_000,
      "VEXIL_KEEP_ALIVE_TIMEOUT_MS",
    ),
    oauthTokenTtlSeconds: integerFrom(
      env.VEXIL_OAUTH_TOKEN_TTL_SECONDS,
      3600,
      "VEXIL_OAUTH_TOKEN_TTL_SECONDS",
    ),
    tokenCacheMs: integerFrom(env.VEXIL_TOKEN_CACHE_MS, 5000, "VEXIL_TOKEN_CACHE_MS"),
    authFailuresPerMinute: integerFrom(
      env.VEXIL_AUTH_FAILURES_PER_MINUTE,
      60,
      "VEXIL_AUTH_FAILURES_PER_MINUTE",
    ),
    logLevel: env.VEXIL_LOG_LEVEL ?? "info",
    eventRetentionDays: integerFrom(env.VEXIL_EVENT_RETENTION_DAYS, 0, "VEXIL_EVENT_RETENTION_DAYS"),
    consoleDir: env.VEXIL_CONSOLE_DIR || undefined,
    callbackAllowPrivate: booleanFrom(
      env.VEXIL_CALLBACK_ALLOW_PRIVATE,
      false,
      "VEXIL_CALLBACK_ALLOW_PRIVATE",
    ),
    callbackAllowedHosts: (env.VEXIL_CALLBACK_ALLOWED_HOSTS ?? "")
      .split(",")
      .map((host) => host.trim().toLowerCase())
      .filter(Boolean),
    jobsPollMs: integerFrom(env.VEXIL_JOBS_POLL_MS, 1000, "VEXIL_JOBS_POLL_MS"),
    jobsConcurrency: integerFrom(env.VEXIL_JOBS_CONCURRENCY, 2, "VEXIL_JOBS_CONCURRENCY"),
    workers: overrides.workers ?? booleanFrom(env.VEXIL_WORKERS, true, "VEXIL_WORKERS"),
    adminPort:
      overrides.adminPort ??
      (env.VEXIL_ADMIN_PORT ? integerFrom(env.VEXIL_ADMIN_PORT, 0, "VEXIL_ADMIN_PORT") : undefined),
    smtpUrl: env.VEXIL_SMTP_URL || undefined,
    smtpFrom: env.VEXIL_SMTP_FROM || "Vexil <vexil@localhost>",
    notificationRetryWindowMs:
      integerFrom(env.VEXIL_NOTIFICATION_RETRY_HOURS, 24, "VEXIL_NOTIFICATION_RETRY_HOURS") * 3600_000,
    automation: automationFrom(env.VEXIL_AUTOMATION),
    automationTickMs: positiveIntegerFrom(env.VEXIL_AUTOMATION_TICK_MS, 60_000, "VEXIL_AUTOMATION_TICK_MS"),
    banditIntervalMs: positiveIntegerFrom(
      env.VEXIL_BANDIT_INTERVAL_MS,
      3_600_000,
      "VEXIL_BANDIT_INTERVAL_MS",
    ),
    banditFloor: fractionFrom(env.VEXIL_BANDIT_FLOOR, 0.05, "VEXIL_BANDIT_FLOOR"),
    banditMinUnits: integerFrom(env.VEXIL_BANDIT_MIN_UNITS, 100, "VEXIL_BANDIT_MIN_UNITS"),
    schedulerLeaseMs: positiveIntegerFrom(env.VEXIL_SCHEDULER_LEASE_MS, 15_000, "VEXIL_SCHEDULER_LEASE_MS"),
    flagStaleDays: positiveIntegerFrom(env.VEXIL_FLAG_STALE_DAYS, 15, "VEXIL_FLAG_STALE_DAYS"),
    sessionIdleMs:
      positiveIntegerFrom(env.VEXIL_SESSION_IDLE_MINUTES, 720, "VEXIL_SESSION_IDLE_MINUTES") * 60_000,
    sessionMaxMs: positiveIntegerFrom(env.VEXIL_SESSION_MAX_HOURS, 168, "VEXIL_SESSION_MAX_HOURS") * 3600_000,
    adminEmail: env.VEXIL_ADMIN_EMAIL || "admin@vexil.local",
    duckdbMemoryLimit: memorySizeFrom(env.VEXIL_DUCKDB_MEMORY_LIMIT, "1GB", "VEXIL_DUCKDB_MEMORY_LIMIT"),
    duckdbThreads: integerFrom(env.VEXIL_DUCKDB_THREADS, 0, "VEXIL_DUCKDB_THREADS"),
  };
}
