// Local flag evaluation throughput, offline and with exposure tracking on: Vexil's engine and SDK against
// GrowthBook, LaunchDarkly's node server SDK and Unleash evaluating the same feature in process - a 2-condition
// audience (country in [FR, DE, US] and age >= 18) and a 3-way split.
//
//   npx tsx --conditions=source bench/engine-evaluation.bench.ts [--visitors=1000000] [--peerVisitors=200000]
//     [--runs=5] [--repeated=5000] [--audience=all]
//
// Every engine sees distinct visitors, pre-built in its own context shape, so a run measures evaluation (and
// tracking) only. A run evaluates in chunks of 1,000 and yields to the event loop between chunks (as a server
// does between requests), then waits for its events to be delivered: tracking rows include building,
// batching and sending events to a local HTTP sink (127.0.0.1, in a child process), which counts what
// arrives. Each run reports its wall rate and the CPU time this process spent per evaluation
// (process.cpuUsage, all its threads: garbage collection included, the sink excluded); on a shared machine
// the CPU figures are the steady ones, and the summary lines compare both. Tracking as each vendor offers it: Vexil's exposure events (one per visitor x experiment x variation
// per visit), GrowthBook's trackingCallback and Unleash's impression events (each queued and POSTed as JSON
// batches of 5,000 like Vexil's default eventsBatchSize, as an application forwarding them would), LaunchDarkly's own event processor (an
// "experiment" rollout: a feature event per evaluation, plus its index and summary events). "Repeated
// visitors" cycle through a pool that fits the SDK's visit cache (exposures deduplicated), compared with the
// same SDK offline on the same pool. Any other network connection is refused and counted.

import net from "node:net";
import os from "node:os";
import { GrowthBook, GrowthBookClient } from "@growthbook/growthbook";
import { basicLogger, init as initLaunchDarkly } from "@launchdarkly/node-server-sdk";
import { createEvaluator, type EvaluationPayload, evaluateFlag, type Visitor } from "@vexil/engine";
import { createClient, type VexilClient } from "@vexil/sdk";
import { InMemStorageProvider, Unleash } from "unleash-client";
import { startEventSink } from "./support/event-sink.js";
import { benchOptions } from "./support/options.js";
import { median } from "./support/table.js";

const options = benchOptions({ visitors: 1_000_000, peerVisitors: 200_000, runs: 5, repeated: 5_000 }, [
  "audience",
  "only",
]);
const VISITORS = options.visitors;
const PEER_VISITORS = Math.min(options.peerVisitors, VISITORS);
const RUNS = options.runs;
const REPEATED = Math.min(options.repeated, VISITORS);
// --audience=all: every visitor matches the segment, so every evaluation hashes twice (the worst case).
const AUDIENCE_ALL = options.audience === "all";
const TRACKING_UNLEASH = true; // impression events are emitted only when a listener tracks them
const CHUNK = 1_000;
const BATCH = 5_000; // the forwarding queues' batches: Vexil's default eventsBatchSize

// --- the feature, four times ----------------------------------------------------------------------------
const COUNTRIES = ["FR", "DE", "US"];
const payload: EvaluationPayload = {
  version: 1,
  projectKey: "bench",
  environmentKey: "production",
  segments: {
    "7": {
      id: 7,
      condition: {
        all: [
          { attribute: "country", operator: "in", values: COUNTRIES },
          { attribute: "age", operator: "gte", values: [18] },
        ],
      },
    },
  },
  flags: {
    checkout: {
      id: 1,
      key: "checkout",
      version: 1,
      enabled: true,
      defaultVariationKey: "off",
      variables: [],
      variations: [
        { key: "off", variables: [] },
        { key: "a", variables: [] },
        { key: "b", variables: [] },
      ],
      rules: [
        {
          id: 11,
          type: "EXPERIMENTATION",
          exposition: 100,
          state: "ACTIVE",
          segmentId: 7,
          experimentId: 501,
          trafficAllocations: [
            { variationKey: "off", exposition: 33.333 },
            { variationKey: "a", exposition: 33.333 },
            { variationKey: "b", exposition: 33.334 },
          ],
        },
      ],
    },
  },
};

const growthbookFeatures = {
  checkout: {
    defaultValue: "off",
    rules: [
      {
        key: "exp-501",
        condition: { country: { $in: COUNTRIES }, age: { $gte: 18 } },
        variations: ["off", "a", "b"],
        weights: [0.33333, 0.33333, 0.33334],
        coverage: 1,
        hashAttribute: "id",
      },
    ],
  },
};

const unleashToggle = {
  name: "checkout",
  type: "experiment",
  enabled: true,
  project: "default",
  stale: false,
  impressionData: TRACKING_UNLEASH,
  variants: [],
  strategies: [
    {
      name: "flexibleRollout",
      parameters: { rollout: "100", stickiness: "userId", groupId: "checkout" },
      constraints: [
        {
          contextName: "country",
          operator: "IN",
          values: COUNTRIES,
          inverted: false,
          caseInsensitive: false,
        },
        { contextName: "age", operator: "NUM_GTE", value: "18", inverted: false, caseInsensitive: false },
      ],
      variants: ["off", "a", "b"].map((name) => ({
        name,
        weight: 333,
        stickiness: "userId",
        weightType: "variable",
      })),
    },
  ],
};

const launchDarklyFlag = {
  key: "checkout",
  version: 1,
  on: true,
  salt: "checkout",
  variations: ["off", "a", "b"],
  offVariation: 0,
  fallthrough: { variation: 0 },
  targets: [],
  contextTargets: [],
  prerequisites: [],
  rules: [
    {
      id: "rule-11",
      clauses: [
        { contextKind: "user", attribute: "country", op: "in", values: COUNTRIES, negate: false },
        { contextKind: "user", attribute: "age", op: "greaterThanOrEqual", values: [18], negate: false },
      ],
      // An experiment rollout: LaunchDarkly records a full feature event for every evaluation it serves.
      rollout: {
        kind: "experiment",
        seed: 501,
        variations: [
          { variation: 0, weight: 33333 },
          { variation: 1, weight: 33333 },
          { variation: 2, weight: 33334 },
        ],
      },
      trackEvents: false,
    },
  ],
  trackEvents: false,
  trackEventsFallthrough: false,
  deleted: false,
};

// --- visitors ---------------------------------------------------------------------------------------------
const ALL_COUNTRIES = AUDIENCE_ALL ? COUNTRIES : ["FR", "DE", "US", "IT", "ES", "JP"];
const vexilVisitors: Visitor[] = [];
const gbContexts: { attributes: Record<string, unknown> }[] = [];
const ldContexts: { kind: "user"; key: string; country: string; age: number }[] = [];
const unleashContexts: { userId: string; properties: Record<string, string> }[] = [];
let seed = 42;
const random = (): number => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 4294967296;
};
for (let i = 0; i < VISITORS; i++) {
  const code = `visitor-${i.toString(36)}-${Math.floor(random() * 1e9).toString(36)}`;
  const country = ALL_COUNTRIES[Math.floor(random() * ALL_COUNTRIES.length)]!;
  const age = (AUDIENCE_ALL ? 18 : 10) + Math.floor(random() * 60);
  vexilVisitors.push({ code, attributes: { country, age } });
  if (i >= PEER_VISITORS) continue;
  gbContexts.push({ attributes: { id: code, country, age } });
  ldContexts.push({ kind: "user", key: code, country, age });
  unleashContexts.push({ userId: code, properties: { country, age: String(age) } });
}

// --- network: the sink only --------------------------------------------------------------------------------
const realFetch = globalThis.fetch;
const sink = await startEventSink({
  "/sdk/v1/config": payload,
  "/sdk/latest-all": { flags: { checkout: launchDarklyFlag }, segments: {} },
});
let networkAttempts = 0;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const target = (Array.isArray(args[0]) ? args[0][0] : args[0]) as { port?: unknown; host?: unknown };
  const port = Number(target?.port);
  if (port !== sink.port || !["127.0.0.1", "localhost", undefined].includes(target?.host as string)) {
    networkAttempts++;
    throw new Error("network disabled in this benchmark (only the local event sink)");
  }
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

/** Events an application forwards from a vendor callback: JSON batches POSTed to the sink. */
class ForwardingQueue {
  private items: unknown[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  push(item: unknown): void {
    this.items.push(item);
    if (this.items.length >= BATCH) this.send();
  }
  async flush(): Promise<void> {
    if (this.items.length > 0) this.send();
    await Promise.all(this.inFlight);
  }
  private send(): void {
    const body = JSON.stringify(this.items);
    this.items = [];
    const request = realFetch(`${sink.url}/events`, { method: "POST", body }).then((r) => r.arrayBuffer());
    this.inFlight.add(request);
    void request.finally(() => this.inFlight.delete(request));
  }
}

// --- engines ----------------------------------------------------------------------------------------------
const evaluator = createEvaluator(payload);
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const vexilOffline = createClient({ sdkKey: "", offline: true, bootstrap: payload, logger: silent });
const vexilTracking = (): VexilClient =>
  createClient({
    sdkKey: "sdk-bench",
    baseUrl: sink.url,
    bootstrap: payload,
    streaming: false,
    pollIntervalMs: 3_600_000,
    logger: silent,
  });
const vexilDistinct = vexilTracking();
const vexilRepeated = vexilTracking();

const gbClient = new GrowthBookClient().initSync({ payload: { features: growthbookFeatures } });
const gbClassic = new GrowthBook({ features: growthbookFeatures, attributes: {} });
const gbForward = new ForwardingQueue();
const gbTracking = new GrowthBookClient({
  trackingCallback: (experiment, result, user) =>
    gbForward.push({
      visitorCode: user.attributes?.id,
      experiment: experiment.key,
      variation: result.key,
      time: Date.now(),
      attributes: user.attributes,
    }),
}).initSync({ payload: { features: growthbookFeatures } });

const launchDarkly = async (sendEvents: boolean) => {
  const client = initLaunchDarkly("sdk-bench", {
    baseUri: sink.url,
    streamUri: sink.url,
    eventsUri: sink.url,
    stream: false,
    pollInterval: 3600,
    sendEvents,
    capacity: PEER_VISITORS * 3, // room for a whole run: nothing dropped before the flush
    flushInterval: 3600,
    diagnosticOptOut: true,
    logger: basicLogger({ level: "none" }),
  });
  await client.waitForInitialization({ timeout: 30 });
  return client;
};
const ldOffline = await launchDarkly(false);
const ldEvents = await launchDarkly(true);

const unleash = new Unleash({
  appName: "vexil-bench",
  url: "http://127.0.0.1:9/api/", // never contacted: refreshInterval 0 disables polling
  refreshInterval: 0,
  metricsInterval: 0,
  disableMetrics: true,
  storageProvider: new InMemStorageProvider(),
  bootstrap: { data: [unleashToggle] as never },
  skipInstanceCountWarning: true,
});
unleash.on("error", () => {});
unleash.on("warn", () => {});
await new Promise<void>((resolve) => unleash.once("ready", () => resolve()));
const unleashForward = new ForwardingQueue();
let unleashTracking = false;
unleash.on("impression", (event) => {
  if (unleashTracking) unleashForward.push(event);
});

type Answer = string | Promise<string>;
interface Engine {
  name: string;
  visitors: number;
  tracking?: boolean;
  evaluate: (i: number) => Answer;
  /** Waits until the run's events are delivered. */
  flush?: () => Promise<void>;
  before?: () => void;
  after?: () => void;
  /** The row this one is compared with in the "÷ offline" column. */
  offline?: string;
  /** Events the SDK dropped so far (its bounded queue overflowed). */
  dropped?: () => number;
}
const engines: Engine[] = [
  {
    name: "vexil createEvaluator().evaluate",
    visitors: VISITORS,
    evaluate: (i) => evaluator.evaluate("checkout", vexilVisitors[i]!).variationKey,
  },
  {
    name: "vexil evaluateFlag (compiles per call)",
    visitors: Math.max(1, Math.floor(VISITORS / 10)),
    evaluate: (i) => evaluateFlag(payload, "checkout", vexilVisitors[i]!).variationKey,
  },
  {
    name: "vexil SDK offline",
    visitors: VISITORS,
    evaluate: (i) => vexilOffline.evaluate("checkout", vexilVisitors[i]!).variationKey,
  },
  {
    name: "vexil SDK, tracking on",
    visitors: VISITORS,
    tracking: true,
    evaluate: (i) => vexilDistinct.evaluate("checkout", vexilVisitors[i]!).variationKey,
    flush: () => vexilDistinct.flush(),
    offline: "vexil SDK offline",
    dropped: () => vexilDistinct.stats().droppedEvents,
  },
  {
    name: `vexil SDK offline, ${REPEATED} repeated visitors`,
    visitors: VISITORS,
    evaluate: (i) => vexilOffline.evaluate("checkout", vexilVisitors[i % REPEATED]!).variationKey,
  },
  {
    name: `vexil SDK, tracking on, ${REPEATED} repeated visitors`,
    visitors: VISITORS,
    tracking: true,
    evaluate: (i) => vexilRepeated.evaluate("checkout", vexilVisitors[i % REPEATED]!).variationKey,
    flush: () => vexilRepeated.flush(),
    offline: `vexil SDK offline, ${REPEATED} repeated visitors`,
    dropped: () => vexilRepeated.stats().droppedEvents,
  },
  {
    name: "growthbook GrowthBookClient.evalFeature",
    visitors: PEER_VISITORS,
    evaluate: (i) => gbClient.evalFeature("checkout", gbContexts[i]!).value as string,
  },
  {
    name: "growthbook GrowthBookClient, trackingCallback",
    visitors: PEER_VISITORS,
    tracking: true,
    evaluate: (i) => gbTracking.evalFeature("checkout", gbContexts[i]!).value as string,
    flush: () => gbForward.flush(),
    offline: "growthbook GrowthBookClient.evalFeature",
  },
  {
    name: "growthbook GrowthBook setAttributes+evalFeature",
    visitors: Math.max(1, Math.floor(PEER_VISITORS / 10)),
    evaluate: (i) => {
      void gbClassic.setAttributes(gbContexts[i]!.attributes);
      return gbClassic.evalFeature("checkout").value as string;
    },
  },
  {
    name: "launchdarkly node-server-sdk variation, events off",
    visitors: PEER_VISITORS,
    evaluate: (i) => ldOffline.variation("checkout", ldContexts[i]!, "off") as Promise<string>,
  },
  {
    name: "launchdarkly node-server-sdk variation, events on",
    visitors: PEER_VISITORS,
    tracking: true,
    evaluate: (i) => ldEvents.variation("checkout", ldContexts[i]!, "off") as Promise<string>,
    flush: () => ldEvents.flush(),
    offline: "launchdarkly node-server-sdk variation, events off",
  },
  {
    name: "unleash-client getVariant",
    visitors: PEER_VISITORS,
    evaluate: (i) => unleash.getVariant("checkout", unleashContexts[i]!).name,
  },
  {
    name: "unleash-client getVariant, impression data",
    visitors: PEER_VISITORS,
    tracking: true,
    evaluate: (i) => unleash.getVariant("checkout", unleashContexts[i]!).name,
    flush: () => unleashForward.flush(),
    before: () => {
      unleashTracking = true;
    },
    after: () => {
      unleashTracking = false;
    },
    offline: "unleash-client getVariant",
  },
];

// --- measure ----------------------------------------------------------------------------------------------
interface Row {
  engine: Engine;
  median: number;
  /** Median CPU nanoseconds of this process per evaluation. */
  cpuNs: number;
  min: number;
  max: number;
  shares: string;
  sinkRequests: number;
  sinkMB: number;
  /** Events dropped by the SDK per run (queue overflow), when it says. */
  dropped: number | undefined;
}
let sink_ = 0; // keeps the evaluations observable so nothing is optimized away
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One pass over the engine's visitors: wall seconds and CPU seconds of this process. */
async function pass(engine: Engine, counts?: Map<string, number>): Promise<{ wall: number; cpu: number }> {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (let from = 0; from < engine.visitors; from += CHUNK) {
    const to = Math.min(engine.visitors, from + CHUNK);
    for (let i = from; i < to; i++) {
      const answer = engine.evaluate(i);
      const v = typeof answer === "string" ? answer : await answer;
      sink_ += v.length;
      if (counts !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    await yieldToLoop();
  }
  await engine.flush?.();
  const cpu = process.cpuUsage(cpuStart);
  return { wall: Number(process.hrtime.bigint() - start) / 1e9, cpu: (cpu.user + cpu.system) / 1e6 };
}

const rows: Row[] = [];
// --only=TEXT: only the rows whose name contains TEXT (for profiling one; the summary lines need them all).
for (const engine of engines.filter((e) => options.only === undefined || e.name.includes(options.only))) {
  engine.before?.();
  await pass(engine); // warm-up (JIT, and the repeated visitors' visits), not counted
  const before = await sink.counters();
  const droppedBefore = engine.dropped?.() ?? 0;
  const rates: number[] = [];
  const cpuNs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const { wall, cpu } = await pass(engine);
    rates.push(engine.visitors / wall);
    cpuNs.push((cpu * 1e9) / engine.visitors);
  }
  const after = await sink.counters();
  const dropped = engine.dropped === undefined ? undefined : (engine.dropped() - droppedBefore) / RUNS;
  // A last pass counts the variation shares: the setups are the same feature.
  const counts = new Map<string, number>();
  await pass(engine, counts);
  engine.after?.();
  const shares = [...counts.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([k, n]) => `${k}:${((100 * n) / engine.visitors).toFixed(1)}%`)
    .join(" ");
  rows.push({
    engine,
    median: median(rates),
    cpuNs: median(cpuNs),
    min: Math.min(...rates),
    max: Math.max(...rates),
    shares,
    sinkRequests: (after.requests - before.requests) / RUNS,
    sinkMB: (after.bytes - before.bytes) / RUNS / 1e6,
    dropped,
  });
}

const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
const droppedText = (r: Row): string => (r.dropped === undefined ? "" : `, ${fmt(r.dropped)} dropped`);
const loadText = `load average ${os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(" ")} (${os.cpus().length} CPUs)`;
const byName = (name: string | undefined) => rows.find((r) => r.engine.name === name);
const vexil = rows[0]!;
if (options.only !== undefined) {
  for (const r of rows) {
    const sent = r.engine.tracking
      ? `; to the sink per run: ${fmt(r.sinkRequests)} requests, ${r.sinkMB.toFixed(1)} MB${droppedText(r)}`
      : "";
    console.log(`${r.engine.name}: ${fmt(r.median)} eval/s, ${fmt(r.cpuNs)} ns CPU/eval${sent}`);
  }
  console.log(loadText);
  process.exit(0);
}
console.log(
  `\nLocal evaluation, 2-condition segment + 3-way split, ${AUDIENCE_ALL ? "every visitor in the audience" : "mixed audience"}, ` +
    `${RUNS} runs (median), Node ${process.version}\n`,
);
console.log(
  "| engine | visitors/run | median eval/s | min | max | ns/eval | CPU ns/eval | ÷ offline (wall) | ÷ offline (CPU) | events to sink per run (requests, MB) | variation shares |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
for (const r of rows) {
  const offline = byName(r.engine.offline);
  const slowdown = offline === undefined ? "" : `${(offline.median / r.median).toFixed(2)}x slower`;
  const cpuSlowdown = offline === undefined ? "" : `${(r.cpuNs / offline.cpuNs).toFixed(2)}x the CPU`;
  const sent = r.engine.tracking ? `${fmt(r.sinkRequests)}, ${r.sinkMB.toFixed(1)} MB${droppedText(r)}` : "";
  console.log(
    `| ${r.engine.name} | ${fmt(r.engine.visitors)} | ${fmt(r.median)} | ${fmt(r.min)} | ${fmt(r.max)} | ${(1e9 / r.median).toFixed(0)} | ${fmt(r.cpuNs)} | ${slowdown} | ${cpuSlowdown} | ${sent} | ${r.shares} |`,
  );
}
const fastest = (list: Row[]) => list.reduce((a, b) => (b.median > a.median ? b : a));
const peers = rows.filter((r) => !r.engine.name.startsWith("vexil"));
const fastestPeer = fastest(peers.filter((r) => !r.engine.tracking));
const ratio = vexil.median / fastestPeer.median;
console.log(
  `\noffline: vexil engine ${fmt(vexil.median)} eval/s vs fastest peer (${fastestPeer.engine.name}) ${fmt(fastestPeer.median)}: ` +
    `${ratio.toFixed(2)}x (goal >= 3x: ${ratio >= 3 ? "met" : "NOT met"}); goal >= 3,000,000 eval/s: ${vexil.median >= 3e6 ? "met" : "NOT met"}`,
);
const tracked = byName("vexil SDK, tracking on")!;
const fastestTrackingPeer = fastest(peers.filter((r) => r.engine.tracking));
const trackingRatio = tracked.median / fastestTrackingPeer.median;
console.log(
  `tracking on: vexil SDK ${fmt(tracked.median)} eval/s vs fastest peer (${fastestTrackingPeer.engine.name}) ` +
    `${fmt(fastestTrackingPeer.median)}: ${trackingRatio.toFixed(2)}x (goal >= 10x: ${trackingRatio >= 10 ? "met" : "NOT met"}); ` +
    `goal >= 2,000,000 eval/s: ${tracked.median >= 2e6 ? "met" : "NOT met"}`,
);
const leanestTrackingPeer = peers
  .filter((r) => r.engine.tracking)
  .reduce((a, b) => (b.cpuNs < a.cpuNs ? b : a));
const trackingCpuRatio = leanestTrackingPeer.cpuNs / tracked.cpuNs;
console.log(
  `tracking on, CPU: vexil SDK ${fmt(tracked.cpuNs)} ns/eval vs leanest peer (${leanestTrackingPeer.engine.name}) ` +
    `${fmt(leanestTrackingPeer.cpuNs)} ns/eval: ${trackingCpuRatio.toFixed(2)}x less (goal >= 10x: ${trackingCpuRatio >= 10 ? "met" : "NOT met"}); ` +
    `goal <= 500 ns CPU/eval (2,000,000 eval/s per core): ${tracked.cpuNs <= 500 ? "met" : "NOT met"}`,
);
const repeated = byName(`vexil SDK, tracking on, ${REPEATED} repeated visitors`)!;
const repeatedOffline = byName(repeated.engine.offline)!;
const repeatedRatio = repeatedOffline.median / repeated.median;
console.log(
  `repeated visitors: tracking on ${fmt(repeated.median)} vs offline ${fmt(repeatedOffline.median)} eval/s: ` +
    `${repeatedRatio.toFixed(2)}x slower (goal within 1.5x: ${repeatedRatio <= 1.5 ? "met" : "NOT met"}); CPU ` +
    `${fmt(repeated.cpuNs)} vs ${fmt(repeatedOffline.cpuNs)} ns/eval: ${(repeated.cpuNs / repeatedOffline.cpuNs).toFixed(2)}x`,
);
console.log(
  `network attempts other than the local sink: ${networkAttempts} (sink ${sink_ % 7}); ${loadText}`,
);
console.log('(Unleash answers "disabled" where the others answer the default variation "off".)');
await Promise.all([vexilDistinct.close(), vexilRepeated.close(), vexilOffline.close()]);
ldOffline.close();
ldEvents.close();
unleash.destroy();
await sink.close();
