// Local flag evaluation throughput: Vexil's engine against GrowthBook and Unleash evaluating the same
// feature in process - a 2-condition audience (country in [FR, DE, US] and age >= 18) and a 3-way split.
//
//   npx tsx --conditions=source bench/engine-evaluation.bench.ts [--visitors=1000000] [--runs=5] [--audience=all]
//
// Every engine sees the same distinct visitors, pre-built in its own context shape so the loop measures
// evaluation only. Peers run from static data (GrowthBook initSync payload, Unleash bootstrap with polling
// and metrics off); TCP connects and fetch are stubbed to fail and counted, and the count is printed.

import net from "node:net";
import { GrowthBook, GrowthBookClient } from "@growthbook/growthbook";
import { createEvaluator, type EvaluationPayload, evaluateFlag, type Visitor } from "@vexil/engine";
import { InMemStorageProvider, Unleash } from "unleash-client";

// --- no network: any socket or fetch is a bug in the setup --------------------------------------------
let networkAttempts = 0;
net.Socket.prototype.connect = function blockedConnect(): never {
  networkAttempts++;
  throw new Error("network disabled in this benchmark");
};
globalThis.fetch = (async () => {
  networkAttempts++;
  throw new Error("network disabled in this benchmark");
}) as typeof fetch;

function arg(name: string, fallback: number): number {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit === undefined ? fallback : Number(hit.slice(name.length + 3));
}
const VISITORS = arg("visitors", 1_000_000);
const RUNS = arg("runs", 5);
// --audience=all: every visitor matches the segment, so every evaluation hashes twice (the worst case).
const AUDIENCE_ALL = process.argv.includes("--audience=all");

// --- the feature, three times ----------------------------------------------------------------------------
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
  impressionData: false,
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

// --- visitors ---------------------------------------------------------------------------------------------
const ALL_COUNTRIES = AUDIENCE_ALL ? COUNTRIES : ["FR", "DE", "US", "IT", "ES", "JP"];
const vexilVisitors: Visitor[] = [];
const gbContexts: { attributes: Record<string, unknown> }[] = [];
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
  gbContexts.push({ attributes: { id: code, country, age } });
  unleashContexts.push({ userId: code, properties: { country, age: String(age) } });
}

// --- engines ----------------------------------------------------------------------------------------------
const evaluator = createEvaluator(payload);
const gbClient = new GrowthBookClient().initSync({ payload: { features: growthbookFeatures } });
const gbClassic = new GrowthBook({ features: growthbookFeatures, attributes: {} });

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

type Engine = { name: string; visitors: number; evaluate: (i: number) => string };
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
    name: "growthbook GrowthBookClient.evalFeature",
    visitors: VISITORS,
    evaluate: (i) => gbClient.evalFeature("checkout", gbContexts[i]!).value as string,
  },
  {
    name: "growthbook GrowthBook setAttributes+evalFeature",
    visitors: Math.max(1, Math.floor(VISITORS / 10)),
    evaluate: (i) => {
      void gbClassic.setAttributes(gbContexts[i]!.attributes);
      return gbClassic.evalFeature("checkout").value as string;
    },
  },
  {
    name: "unleash-client getVariant",
    visitors: Math.max(1, Math.floor(VISITORS / 2)),
    evaluate: (i) => unleash.getVariant("checkout", unleashContexts[i]!).name,
  },
];

// --- measure ----------------------------------------------------------------------------------------------
interface Row {
  name: string;
  median: number;
  min: number;
  max: number;
  shares: string;
}
const rows: Row[] = [];
let sink = 0; // keeps the evaluations observable so nothing is optimized away
for (const engine of engines) {
  const run = (): number => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < engine.visitors; i++) sink += engine.evaluate(i).length;
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  run(); // warm-up (JIT), not counted
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) rates.push(engine.visitors / run());
  rates.sort((a, b) => a - b);
  // Untimed pass: the variation shares show the three setups are the same feature.
  const counts = new Map<string, number>();
  for (let i = 0; i < engine.visitors; i++) {
    const v = engine.evaluate(i);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const shares = [...counts.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([k, n]) => `${k}:${((100 * n) / engine.visitors).toFixed(1)}%`)
    .join(" ");
  rows.push({
    name: engine.name,
    median: rates[Math.floor(rates.length / 2)]!,
    min: rates[0]!,
    max: rates.at(-1)!,
    shares,
  });
}

const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
const vexil = rows[0]!;
const peers = rows.filter((r) => !r.name.startsWith("vexil"));
const fastestPeer = peers.reduce((a, b) => (b.median > a.median ? b : a));
console.log(
  `\nLocal evaluation, 2-condition segment + 3-way split, ${AUDIENCE_ALL ? "every visitor in the audience" : "mixed audience"}, ` +
    `${RUNS} runs (median), Node ${process.version}\n`,
);
console.log(
  "| engine | visitors/run | median eval/s | min | max | ns/eval | vexil ÷ this | variation shares |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---|");
for (const [i, r] of rows.entries()) {
  console.log(
    `| ${r.name} | ${fmt(engines[i]!.visitors)} | ${fmt(r.median)} | ${fmt(r.min)} | ${fmt(r.max)} | ${(1e9 / r.median).toFixed(0)} | ${(vexil.median / r.median).toFixed(2)}x | ${r.shares} |`,
  );
}
const ratio = vexil.median / fastestPeer.median;
console.log(
  `\nvexil ${fmt(vexil.median)} eval/s vs fastest peer (${fastestPeer.name}) ${fmt(fastestPeer.median)} eval/s: ` +
    `${ratio.toFixed(2)}x (goal >= 3x: ${ratio >= 3 ? "met" : "NOT met"}); goal >= 3,000,000 eval/s: ${vexil.median >= 3e6 ? "met" : "NOT met"}`,
);
console.log(`network attempts during the benchmark: ${networkAttempts} (sink ${sink % 7})`);
console.log('(Unleash answers "disabled" where the others answer the default variation "off".)');
unleash.destroy();
