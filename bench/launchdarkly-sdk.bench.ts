// LaunchDarkly SDK protocol: GET /sdk/latest-all for 1,000 flags and POST /bulk events/s. (Propagation to
// LaunchDarkly's Node SDK: bench/launchdarkly-propagation.bench.ts.)
//
//   npx tsx --conditions=source bench/launchdarkly-sdk.bench.ts [--duration=5] [--runs=3]
//
// `vexil serve` (sources, SQLite) runs in a child process with 1,000 flags in bucketing mode LAUNCHDARKLY.
// Baselines in the same run: a bare node:http server answering the same latest-all bytes (and reading and
// parsing the same /bulk body). Medians over runs.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runAutocannon } from "./support/autocannon.js";
import { benchOptions } from "./support/options.js";
import { median, printTable } from "./support/table.js";
import { adminRequest, type ServerProcess, startBareServer, startVexil } from "./support/vexil-process.js";

const { duration: DURATION, runs: RUNS } = benchOptions({ duration: 5, runs: 3 });
const FLAGS = 1000;
const EVENTS_PER_POST = 100;

const vexil = await startVexil();
let bare: ServerProcess | undefined;
try {
  await adminRequest(vexil, "POST", "/projects", { key: "bench", name: "Bench" });
  await adminRequest(vexil, "POST", "/goals", { siteCode: "bench", name: "Purchase", key: "purchase" });
  for (let i = 0; i < FLAGS; i++) {
    await adminRequest(vexil, "POST", "/feature-flags", {
      siteCode: "bench",
      featureKey: `flag-${i}`,
      name: `Flag ${i}`,
      bucketingMode: "LAUNCHDARKLY",
      environmentConfigurations: [
        {
          environmentKey: "production",
          featureEnabled: true,
          defaultVariationKey: "off",
          rolloutRules: [{ type: "TARGETED_DELIVERY", exposition: 30, variationKey: "on", state: "ACTIVE" }],
        },
      ],
    });
  }
  const key = (await adminRequest(vexil, "GET", "/projects/bench/environments/production"))
    .serverSdkKey as string;
  const headers = { authorization: key };
  const all = await (await fetch(`${vexil.baseUrl}/sdk/latest-all`, { headers })).text();
  process.stderr.write(`latest-all: ${FLAGS} flags, ${all.length} bytes\n`);

  const events = JSON.stringify(
    Array.from({ length: EVENTS_PER_POST }, (_, i) => ({
      kind: "custom",
      key: "purchase",
      creationDate: Date.now(),
      contextKeys: { user: `user-${i}` },
      metricValue: 1,
    })),
  );
  // The latest-all bytes are too large for startBareServer's environment variable: the bare server gets
  // them from a file, through a small entry script, in its own process like Vexil.
  const bodyFile = path.join(os.tmpdir(), `vexil-bench-latest-all-${process.pid}.json`);
  fs.writeFileSync(bodyFile, all);
  bare = await startBareServer(0, "{}", { parseJson: true, bodyFile });
  const rows: Record<string, string | number>[] = [];
  const measure = async (name: string, options: Record<string, unknown>, perRequest = 1) => {
    const runs = [];
    for (let r = 0; r < RUNS; r++)
      runs.push(await runAutocannon({ connections: 20, duration: DURATION, ...options }));
    const failures = runs.reduce((s, x) => s + x.errors + x.non2xx, 0);
    rows.push({
      target: name,
      "req/s": Math.round(median(runs.map((x) => x.requestsPerSecond))),
      "items/s": Math.round(median(runs.map((x) => x.requestsPerSecond)) * perRequest),
      "p50 ms": median(runs.map((x) => x.p50)),
      "p99 ms": median(runs.map((x) => x.p99)),
      failures,
    });
  };
  await measure("Vexil GET /sdk/latest-all (1,000 flags)", {
    url: `${vexil.baseUrl}/sdk/latest-all`,
    headers,
  });
  await measure("bare node:http, same bytes", { url: `${bare.baseUrl}/sdk/latest-all` });
  const post = { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: events };
  await measure(
    `Vexil POST /bulk (${EVENTS_PER_POST} custom events)`,
    { url: `${vexil.baseUrl}/bulk`, ...post },
    EVENTS_PER_POST,
  );
  await measure(
    "bare node:http, same body parsed",
    { url: `${bare.baseUrl}/bulk`, ...post },
    EVENTS_PER_POST,
  );
  printTable(rows);
} finally {
  await bare?.stop();
  await vexil.stop();
}
