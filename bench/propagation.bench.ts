// Change propagation: from a flag PATCH to a streaming SDK client observing the new version.
//
//   npx tsx --conditions=source bench/propagation.bench.ts [--changes=200] [--postgres=postgres://…/postgres]
//
// The server (`vexil serve` from the sources) runs in a child process on SQLite. With --postgres, two
// servers share a fresh PostgreSQL database: the PATCH goes to one and the stream is read from the other,
// so each change crosses LISTEN/NOTIFY. The bench sends `--changes` PATCHes one after another (toggling
// featureEnabled in production), each after the previous one was seen, and times when the stream
// (node:http, parsed as it arrives) delivers the `patch` event whose version is the new one. Reported:
// from sending the PATCH, and from receiving its response (negative when the event arrived first), p50,
// p99 and max. Goal: p99 < 50 ms from the PATCH response, on loopback.

import http from "node:http";
import os from "node:os";
import { SseParser } from "@vexil/sdk";
import { benchOptions } from "./support/options.js";
import { createDatabase } from "./support/postgres.js";
import { percentile, printTable } from "./support/table.js";
import { adminRequest, createBenchFlag, startVexil } from "./support/vexil-process.js";

const { changes: CHANGES, postgres: POSTGRES } = benchOptions({ changes: 200 }, ["postgres"]);

const now = () => performance.now();

/** Reads /sdk/v1/stream and resolves waiters for the patch of a given version. */
function openStream(baseUrl: string, key: string) {
  const seen = new Map<number, number>();
  const waiters = new Map<number, (at: number, version: number) => void>();
  let onPut: () => void = () => {};
  const put = new Promise<void>((resolve) => (onPut = resolve));
  let at = 0;
  const parser = new SseParser({
    onEvent: (event) => {
      if (event.type === "put") onPut();
      if (event.type !== "patch") return;
      const version = Number(event.lastEventId);
      seen.set(version, at);
      for (const [wanted, wake] of waiters) if (version >= wanted) wake(at, version);
    },
  });
  const request = http.get(
    `${baseUrl}/sdk/v1/stream`,
    { headers: { authorization: key }, agent: false },
    (res) => {
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        at = now();
        parser.push(chunk);
      });
    },
  );
  return {
    put,
    /** Resolves with the arrival time and version of the first patch of version `version` or later. */
    patchFrom(version: number): Promise<{ at: number; version: number }> {
      for (const [v, at] of seen) if (v >= version) return Promise.resolve({ at, version: v });
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no patch ${version} within 10 s`)), 10_000);
        waiters.set(version, (at, seenVersion) => {
          clearTimeout(timer);
          waiters.delete(version);
          resolve({ at, version: seenVersion });
        });
      });
    },
    close: () => request.destroy(),
  };
}

async function main() {
  const database = POSTGRES ? await createDatabase(POSTGRES) : undefined;
  const env: Record<string, string> = database ? { VEXIL_DATABASE_URL: database.url } : {};
  const writer = await startVexil({ env });
  const reader = database ? await startVexil({ env, adminToken: writer.adminToken }) : writer;
  let stream: ReturnType<typeof openStream> | undefined;
  try {
    const key = await createBenchFlag(writer, {
      featureKey: "checkout",
      name: "Checkout",
      environmentConfigurations: [
        { environmentKey: "production", featureEnabled: true, defaultVariationKey: "off", rolloutRules: [] },
      ],
    });
    stream = openStream(reader.baseUrl, key);
    await stream.put;
    let version = (
      await (await fetch(`${reader.baseUrl}/sdk/v1/config`, { headers: { authorization: key } })).json()
    ).version as number;

    const fromRequest: number[] = [];
    const fromResponse: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const sent = now();
      await adminRequest(writer, "PATCH", "/feature-flags/bench/checkout/production", {
        featureEnabled: i % 2 === 1,
      });
      const answered = now();
      const delivered = await stream.patchFrom(version + 1);
      version = delivered.version;
      fromRequest.push(delivered.at - sent);
      fromResponse.push(delivered.at - answered);
    }

    const setup = database
      ? "2 servers on one PostgreSQL database (PATCH to one, stream from the other)"
      : "1 server, SQLite";
    console.log(
      `\nPATCH -> SSE patch observed, ${CHANGES} sequential changes, ${setup}, load average ${os.loadavg()[1]!.toFixed(1)} over 5 min\n`,
    );
    printTable(
      Object.entries({ "PATCH sent": fromRequest, "PATCH response received": fromResponse }).map(
        ([label, values]) => {
          const sorted = [...values].sort((a, b) => a - b);
          return {
            "measured from": label,
            "p50 ms": percentile(sorted, 0.5).toFixed(2),
            "p99 ms": percentile(sorted, 0.99).toFixed(2),
            "max ms": sorted[sorted.length - 1]!.toFixed(2),
          };
        },
      ),
      { markdown: true },
    );
    const p99 = percentile(
      [...fromResponse].sort((a, b) => a - b),
      0.99,
    );
    console.log(`\ngoal: p99 < 50 ms from the PATCH response (${p99 < 50 ? "met" : "NOT met"})`);
  } finally {
    stream?.close();
    if (reader !== writer) await reader.stop();
    await writer.stop();
    await database?.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
