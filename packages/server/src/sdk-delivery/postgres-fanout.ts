import { randomUUID } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import pg from "pg";
import type { ChangeBus, ConfigChange } from "../changes/change-bus.js";

/** The PostgreSQL channel every Vexil process of one database shares. */
export const CHANGES_CHANNEL = "vexil_changes";

/** NOTIFY payloads must stay under 8000 bytes; a change naming too many environments is widened to all. */
const MAX_NOTIFY_BYTES = 7900;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

/** What travels in a notification: the change and the process that committed it. */
interface Notification {
  /** Process id (random per start): a process ignores its own notifications. */
  origin: string;
  change: ConfigChange;
}

export interface PostgresFanout {
  /** This process's id in notifications. */
  readonly processId: string;
  stop(): Promise<void>;
}

type Logger = Pick<FastifyBaseLogger, "warn" | "error" | "info">;

function isChange(value: unknown): value is ConfigChange {
  if (typeof value !== "object" || value === null) return false;
  const change = value as Record<string, unknown>;
  return (
    typeof change.projectKey === "string" &&
    typeof change.key === "string" &&
    (change.kind === "flag" || change.kind === "segment" || change.kind === "environment") &&
    (change.environmentKeys === undefined ||
      (Array.isArray(change.environmentKeys) && change.environmentKeys.every((k) => typeof k === "string")))
  );
}

/** Serializes a local change for NOTIFY, widening it to every environment if it would not fit. */
export function notificationText(origin: string, change: ConfigChange): string {
  const text = JSON.stringify({ origin, change } satisfies Notification);
  if (Buffer.byteLength(text) <= MAX_NOTIFY_BYTES) return text;
  const { environmentKeys: _all, ...widened } = change;
  return JSON.stringify({ origin, change: { ...widened, key: widened.key.slice(0, 1000) } });
}

/**
 * Keeps the processes of one PostgreSQL database in step: every change committed here is sent with
 * `NOTIFY vexil_changes, '<json>'` (through the pool, after the commit), and a dedicated connection
 * LISTENs and feeds the other processes' changes into the local bus (`publishRemote`, so they are not sent
 * again). When the listening connection drops, it reconnects with backoff and asks every cache to reload
 * (`publishResync`), since notifications sent meanwhile are lost.
 *
 * Resolves once LISTEN is active, so a change committed anywhere after start-up is heard here.
 */
export async function startPostgresFanout(options: {
  connectionString: string;
  /** Sends one NOTIFY (through the application's pool). */
  notify: (channel: string, payload: string) => Promise<void>;
  bus: ChangeBus;
  logger: Logger;
}): Promise<PostgresFanout> {
  const { bus, logger } = options;
  const processId = randomUUID();
  let client: pg.Client | undefined;
  let stopped = false;
  let reconnectDelay = RECONNECT_MIN_MS;
  let reconnectTimer: NodeJS.Timeout | undefined;

  const onNotification = (message: pg.Notification) => {
    if (message.channel !== CHANGES_CHANNEL || !message.payload) return;
    let parsed: Notification;
    try {
      parsed = JSON.parse(message.payload) as Notification;
    } catch {
      logger.warn({ payload: message.payload.slice(0, 200) }, "ignoring malformed change notification");
      return;
    }
    if (parsed.origin === processId) return;
    if (!isChange(parsed.change)) {
      logger.warn({ payload: message.payload.slice(0, 200) }, "ignoring malformed change notification");
      return;
    }
    try {
      bus.publishRemote(parsed.change);
    } catch (error) {
      logger.error({ err: error }, "a change subscriber failed");
    }
  };

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: options.connectionString });
    next.on("notification", onNotification);
    next.on("error", (error) => {
      // The connection is gone (server restart, network): reconnect and resynchronize.
      logger.warn({ err: error }, "change listener connection lost; reconnecting");
      scheduleReconnect(next);
    });
    next.on("end", () => scheduleReconnect(next));
    await next.connect();
    await next.query(`LISTEN ${CHANGES_CHANNEL}`);
    client = next;
  };

  const scheduleReconnect = (failed: pg.Client) => {
    if (stopped || failed !== client || reconnectTimer) return;
    client = undefined;
    failed.removeAllListeners("notification");
    failed.end().catch(() => {});
    const attempt = () => {
      reconnectTimer = undefined;
      if (stopped) return;
      connect()
        .then(() => {
          reconnectDelay = RECONNECT_MIN_MS;
          logger.info("change listener reconnected; reloading cached configuration");
          bus.publishResync();
        })
        .catch((error) => {
          logger.warn({ err: error }, "change listener reconnection failed");
          reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS);
          reconnectTimer = setTimeout(attempt, reconnectDelay);
        });
    };
    reconnectTimer = setTimeout(attempt, reconnectDelay);
  };

  await connect();

  const unsubscribe = bus.subscribeLocal((change) => {
    options.notify(CHANGES_CHANNEL, notificationText(processId, change)).catch((error) => {
      logger.error({ err: error, change }, "could not NOTIFY other processes of a change");
    });
  });

  return {
    processId,
    async stop() {
      stopped = true;
      unsubscribe();
      if (reconnectTimer) clearTimeout(reconnectTimer);
      const current = client;
      client = undefined;
      if (current) {
        current.removeAllListeners();
        current.on("error", () => {});
        await current.end().catch(() => {});
      }
    },
  };
}
