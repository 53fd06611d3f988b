// Change propagation to LaunchDarkly's Node server SDK, by the method of bench/propagation.bench.ts.
//
//   npx tsx --conditions=source bench/launchdarkly-propagation.bench.ts [--changes=200] [--postgres=postgres://…/postgres]
//
// The server (`vexil serve` from the sources) runs in a child process on SQLite; with --postgres, two servers
// share a fresh PostgreSQL database, the PATCH goes to one and both clients read the other (LISTEN/NOTIFY).
// Two clients follow the same flag at once: LaunchDarkly's Node SDK (streaming from /all, timed at its
// `update:checkout` event) and, as the baseline measured in the same run, a raw reader of Vexil's own stream
// (/sdk/v1/stream, node:http, timed when its `patch` arrives). Each PATCH toggles featureEnabled in
// production once the previous change reached both. Reported: from the PATCH response (negative when the
// event came first), p50, p99 and max, and the SDK's p99 over the baseline's.

import http from "node:http";
import os from "node:os";
import { basicLogger, init } from "@launchdarkly/node-server-sdk";
import { SseParser } from "@vexil/sdk";
import { benchOptions } from "./support/options.js";
import { createDatabase } from "./support/postgres.js";
import { percentile, printTable } from "./support/table.js";
import { adminRequest, createBenchFlag, startVexil } from "./support/vexil-process.js";

const { changes: CHANGES, postgres: POSTGRES } = benchOptions({ changes: 200 }, ["postgres"]);
const WAIT_MS = 10_000;
const now = () => performance.now();

/** A one-shot signal: `next()` resolves at the following `fire()` with its time (or rejects after 10 s). */
function signal() {
  let wake: ((at: number) => void) | undefined;
  return {
    fire(at: number) {
      wake?.(at);
      wake = undefined;
    },
    next(): Promise<number> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no change within ${WAIT_MS} ms`)), WAIT_MS);
        wake = (at) => {
          clearTimeout(timer);
          resolve(at);
        };
      });
    },
  };
}

async function main() {
  const database = POSTGRES ? await createDatabase(POSTGRES) : undefined;
  const env: Record<string, string> = database ? { VEXIL_DATABASE_URL: database.url } : {};
  const writer = await startVexil({ env });
  const reader = database ? await startVexil({ env, adminToken: writer.adminToken }) : writer;
  let raw: http.ClientRequest | undefined;
  let ld: ReturnType<typeof init> | undefined;
  try {
    const key = await createBenchFlag(writer, {
      featureKey: "checkout",
      name: "Checkout",
      bucketingMode: "LAUNCHDARKLY",
      environmentConfigurations: [
        { environmentKey: "production", featureEnabled: true, defaultVariationKey: "off", rolloutRules: [] },
      ],
    });

    const rawPatch = signal();
    let rawPut: () => void = () => {};
    const rawReady = new Promise<void>((resolve) => (rawPut = resolve));
    let at = 0;
    const parser = new SseParser({
      onEvent: (event) => {
        if (event.type === "put") rawPut();
        if (event.type === "patch") rawPatch.fire(at);
      },
    });
    raw = http.get(
      `${reader.baseUrl}/sdk/v1/stream`,
      { headers: { authorization: key }, agent: false },
      (res) => {
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          at = now();
          parser.push(chunk);
        });
      },
    );
    await rawReady;

    const ldUpdate = signal();
    ld = init(key, {
      baseUri: reader.baseUrl,
      streamUri: reader.baseUrl,
      eventsUri: reader.baseUrl,
      sendEvents: false,
      diagnosticOptOut: true,
      logger: basicLogger({ level: "warn" }),
    });
    await ld.waitForInitialization({ timeout: 10 });
    ld.on("update:checkout", () => ldUpdate.fire(now()));

    const times = { sdk: [] as number[], raw: [] as number[] };
    for (let i = 0; i < CHANGES; i++) {
      const sdkSeen = ldUpdate.next();
      const rawSeen = rawPatch.next();
      await adminRequest(writer, "PATCH", "/feature-flags/bench/checkout/production", {
        featureEnabled: i % 2 === 1,
      });
      const answered = now();
      const [sdkAt, rawAt] = await Promise.all([sdkSeen, rawSeen]);
      times.sdk.push(sdkAt - answered);
      times.raw.push(rawAt - answered);
    }

    const setup = database
      ? "2 servers on one PostgreSQL database (PATCH to one, streams from the other)"
      : "1 server, SQLite";
    console.log(
      `\nPATCH response -> change observed, ${CHANGES} sequential changes, ${setup}, load average ${os.loadavg()[1]!.toFixed(1)} over 5 min\n`,
    );
    const sorted = {
      sdk: [...times.sdk].sort((a, b) => a - b),
      raw: [...times.raw].sort((a, b) => a - b),
    };
    printTable(
      [
        ["LaunchDarkly Node SDK (GET /all), update event", sorted.sdk],
        ["baseline: Vexil stream (/sdk/v1/stream) read raw", sorted.raw],
      ].map(([label, values]) => ({
        client: label as string,
        "p50 ms": percentile(values as number[], 0.5).toFixed(2),
        "p99 ms": percentile(values as number[], 0.99).toFixed(2),
        "max ms": (values as number[])[(values as number[]).length - 1]!.toFixed(2),
      })),
      { markdown: true },
    );
    const ratio = percentile(sorted.sdk, 0.99) / Math.max(0.01, percentile(sorted.raw, 0.99));
    console.log(`\nLaunchDarkly SDK p99 / baseline p99: ${ratio.toFixed(2)}`);
  } finally {
    ld?.close();
    raw?.destroy();
    if (reader !== writer) await reader.stop();
    await writer.stop();
    await database?.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
