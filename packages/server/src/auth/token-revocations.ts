import type { FastifyBaseLogger } from "fastify";
import pg from "pg";
import type { RevocationFeed } from "../http/authentication.js";

// Revoking a token must reach every process's cache of verified tokens at once (issue 13, finding 4).

/** The feed of a single process (embedded storage): revocations happen here or nowhere. */
export function localRevocationFeed(): RevocationFeed {
  const listeners: (() => void)[] = [];
  return {
    live: true,
    onRevoked: (listener) => void listeners.push(listener),
    publish: async () => {
      for (const listener of listeners) listener();
    },
    stop: async () => {},
  };
}

export const REVOCATIONS_CHANNEL = "vexil_token_revocations";
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

/** The feed of processes sharing one PostgreSQL database (LISTEN/NOTIFY on `vexil_token_revocations`). */
export async function startPostgresRevocationFeed(options: {
  connectionString: string;
  /** Sends one NOTIFY through the application's pool, after the revocation committed. */
  notify: (channel: string, payload: string) => Promise<void>;
  logger: Pick<FastifyBaseLogger, "warn" | "info">;
}): Promise<RevocationFeed> {
  const listeners: (() => void)[] = [];
  const tell = () => {
    for (const listener of listeners) listener();
  };
  let client: pg.Client | undefined;
  let stopped = false;
  let delay = RECONNECT_MIN_MS;
  let timer: NodeJS.Timeout | undefined;

  const lost = (failed: pg.Client) => {
    if (stopped || failed !== client) return;
    client = undefined;
    tell();
    failed.removeAllListeners("notification");
    failed.end().catch(() => {});
    options.logger.warn("token revocation listener lost; checking every token in the database meanwhile");
    timer = setTimeout(reconnect, delay);
  };
  const connect = async () => {
    const next = new pg.Client({ connectionString: options.connectionString });
    next.on("notification", (message) => {
      if (message.channel === REVOCATIONS_CHANNEL) tell();
    });
    next.on("error", () => lost(next));
    next.on("end", () => lost(next));
    await next.connect();
    await next.query(`LISTEN ${REVOCATIONS_CHANNEL}`);
    client = next;
    tell();
  };
  const reconnect = () => {
    timer = undefined;
    if (stopped) return;
    connect().then(
      () => {
        delay = RECONNECT_MIN_MS;
        options.logger.info("token revocation listener reconnected");
      },
      () => {
        delay = Math.min(delay * 2, RECONNECT_MAX_MS);
        timer = setTimeout(reconnect, delay);
      },
    );
  };
  await connect();

  return {
    get live() {
      return client !== undefined;
    },
    onRevoked: (listener) => void listeners.push(listener),
    async publish() {
      tell();
      await options.notify(REVOCATIONS_CHANNEL, "");
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
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
