import Fastify, { type FastifyInstance } from "fastify";
import { buildApp } from "./app.js";
import type { AppContext } from "./app-context.js";
import type { AutomationScheduler } from "./automation/scheduler.js";
import { openRoot, type RootOptions } from "./composition.js";
import type { ServerConfig } from "./config.js";
import { SdkDelivery } from "./sdk-delivery/sdk-delivery.service.js";

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

/**
 * `vexil serve`: the composition root with the HTTP application mounted (not yet listening). The process
 * also runs jobs and automation unless `config.workers` is false (VEXIL_WORKERS=0, `--no-workers`): then
 * `vexil worker` processes run them (docs/deployment.md).
 */
export async function openServer(config: ServerConfig, options: RootOptions = {}): Promise<OpenedServer> {
  const root = await openRoot(config, options);
  const sdkDelivery = new SdkDelivery(root.context, root.logger);
  const app = await buildApp(root.context, { logger: root.logger, sdkDelivery });
  if (config.workers) root.startWorkers();
  return {
    context: root.context,
    app,
    generatedAdminToken: root.generatedAdminToken,
    automation: root.automation,
    async close() {
      await app.close();
      await root.close();
    },
  };
}

export interface OpenedWorker {
  context: AppContext;
  automation: AutomationScheduler;
  /** GET /healthz only; listening on config.adminPort when set (`vexil worker --admin-port`). */
  admin: FastifyInstance;
  close(): Promise<void>;
}

/** `vexil worker`: the composition root running jobs and automation, with no public HTTP. */
export async function openWorker(config: ServerConfig, options: RootOptions = {}): Promise<OpenedWorker> {
  const root = await openRoot(config, options);
  root.startWorkers();
  const admin = Fastify({ loggerInstance: root.logger });
  admin.get("/healthz", async () => ({ status: "ok", role: "worker", workerId: root.context.jobs.workerId }));
  return {
    context: root.context,
    automation: root.automation,
    admin,
    async close() {
      await admin.close();
      await root.close();
    },
  };
}
