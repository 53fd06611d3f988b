import { Writable } from "node:stream";
import type { FastifyBaseLogger } from "fastify";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { lazyRequestLogger } from "./request-logger.js";

/** A pino logger at `level` whose lines are collected, parsed. */
function collectingLogger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const logger = pino({ level }, stream) as unknown as FastifyBaseLogger;
  return { logger, lines };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe("lazy request logger (Fastify's per-request child logger)", () => {
  it("writes what a pino child would: the request id bound, the level kept", async () => {
    const { logger, lines } = collectingLogger("warn");
    const log = lazyRequestLogger(logger, { reqId: "req-7" }, {});
    log.info("dropped: below warn");
    log.error({ err: new Error("boom") }, "failed");
    log.child({ part: "x" }).warn("from a child");
    await flush();
    expect(lines.map((l) => [l.level, l.reqId, l.msg])).toEqual([
      [50, "req-7", "failed"],
      [40, "req-7", "from a child"],
    ]);
    expect(lines[0]!.err).toMatchObject({ message: "boom" });
    expect(lines[1]!.part).toBe("x");
    expect(log.level).toBe("warn");
  });

  it("keeps a route's own level (SDK routes log at warn when the server logs at info)", async () => {
    const { logger, lines } = collectingLogger("info");
    const route = lazyRequestLogger(logger, { reqId: "req-8" }, { level: "warn" });
    route.info("request completed");
    route.warn("slow client");
    const other = lazyRequestLogger(logger, { reqId: "req-9" }, {});
    other.info("request completed");
    await flush();
    expect(lines.map((l) => [l.reqId, l.msg])).toEqual([
      ["req-8", "slow client"],
      ["req-9", "request completed"],
    ]);
    expect(route.level).toBe("warn");
  });
});
