// A walkthrough of Vexil's feature flags from a Node script, using only what docs/ describes:
//
//   1. the management API (Kameleoon dialect, plain fetch): a segment, then a flag whose production rules are
//      a TARGETED_DELIVERY on that segment followed by an EXPERIMENTATION split 20/30/50, enabled;
//   2. the SDK (`@vexil/sdk`) with the environment's server-side key: 100,000 visitors evaluated locally, the
//      split checked with a chi-square test (`@vexil/stats`), twice and with a second client (same answers);
//   3. OFREP with the client-side key: 1,000 of those visitors evaluated remotely, compared with the SDK;
//   4. a PATCH that pauses the experimentation rule, and how long the streaming SDK takes to see it;
//   5. the same evaluation through OpenFeature (`@vexil/sdk/openfeature`).
//
// Run it against a server (`npm start`, or `npx vexil serve`) with an admin token (a writer token works too
// when the project already exists):
//
//   npx tsx --conditions=source examples/sdk-walkthrough.ts --url http://127.0.0.1:8420 --token <admin token>
//
// Options: --project (default demo, created if missing), --environment (default production), --flag (default
// a new key per run), --visitors (default 100000), --seed (default 1), --restart-check (wait while you stop
// and restart the server, and check the SDK keeps answering and then resumes its stream).
// The steps are exported so packages/sdk/test/walkthrough.test.ts can drive them against a real server.

import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import { OpenFeature } from "@openfeature/server-sdk";
import { createClient, type VexilClient, type VexilClientOptions } from "@vexil/sdk";
import { VexilProvider } from "@vexil/sdk/openfeature";
import { sampleRatioMismatch } from "@vexil/stats";

/** Where the management API is and who calls it. */
export interface ApiOptions {
  baseUrl: string;
  /** An API token (`Authorization: Bearer <token>`): admin to create the project, writer otherwise. */
  token: string;
}

/** The experiment's variations and their traffic allocation (percent). */
export const ALLOCATION = { off: 20, blue: 30, green: 50 } as const;
export type VariationKey = keyof typeof ALLOCATION;
export const VARIATIONS = Object.keys(ALLOCATION) as VariationKey[];

/** A JSON request to the management API; throws with the server's message on any non-2xx answer. */
export async function api<T = unknown>(
  options: ApiOptions,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${options.baseUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${options.token}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

interface Environment {
  key: string;
  serverSdkKey: string;
  clientSdkKey: string;
}

/** Creates the project (admin token) unless it exists; a new project has development, staging, production. */
export async function ensureProject(options: ApiOptions, projectKey: string): Promise<void> {
  const response = await fetch(`${options.baseUrl}/projects/${projectKey}`, {
    headers: { Authorization: `Bearer ${options.token}` },
  });
  if (response.ok) return;
  if (response.status !== 404) throw new Error(`GET /projects/${projectKey} answered ${response.status}`);
  await api(options, "POST", "/projects", { key: projectKey, name: projectKey });
}

/** The environment's two SDK keys: `serverSdkKey` (secret, for the SDK) and `clientSdkKey` (public, OFREP). */
export async function sdkKeys(
  options: ApiOptions,
  projectKey: string,
  environmentKey: string,
): Promise<{ serverSdkKey: string; clientSdkKey: string }> {
  const environment = await api<Environment>(
    options,
    "GET",
    `/projects/${projectKey}/environments/${environmentKey}`,
  );
  return { serverSdkKey: environment.serverSdkKey, clientSdkKey: environment.clientSdkKey };
}

/** The segment of the targeted-delivery rule: visitors whose `plan` attribute is `beta`. */
export async function createSegment(options: ApiOptions, projectKey: string, name: string): Promise<number> {
  const segment = await api<{ id: number }>(options, "POST", "/segments", {
    siteCode: projectKey,
    name,
    condition: { attribute: "plan", operator: "equals", values: ["beta"] },
  });
  return segment.id;
}

interface Rule {
  id: number;
  type: string;
  experimentId?: number;
}
interface Flag {
  id: number;
  environmentConfigurations: { environmentKey: string; featureEnabled: boolean; rolloutRules: Rule[] }[];
}

export interface CreatedFlag {
  featureKey: string;
  targetedRuleId: number;
  experimentRuleId: number;
  experimentId: number;
}

/**
 * Creates the flag (disabled everywhere), its production rules in order: beta testers get `green`
 * (TARGETED_DELIVERY), everyone else is split off/blue/green 20/30/50 (EXPERIMENTATION). Answers the rule ids.
 */
export async function createFlag(
  options: ApiOptions,
  projectKey: string,
  environmentKey: string,
  featureKey: string,
  segmentId: number,
): Promise<CreatedFlag> {
  const flag = await api<Flag>(options, "POST", "/feature-flags", {
    siteCode: projectKey,
    featureKey,
    name: "Checkout button (walkthrough)",
    variables: [{ key: "color", type: "STRING", value: "grey" }],
    variations: [
      { key: "off", name: "Off (control)" },
      { key: "blue", name: "Blue", variables: [{ key: "color", value: "blue" }] },
      { key: "green", name: "Green", variables: [{ key: "color", value: "green" }] },
    ],
    environmentConfigurations: [
      {
        environmentKey,
        featureEnabled: false,
        defaultVariationKey: "off",
        rolloutRules: [
          {
            type: "TARGETED_DELIVERY",
            name: "Beta testers",
            segmentId,
            variationKey: "green",
            exposition: 100,
          },
          {
            type: "EXPERIMENTATION",
            name: "Button color",
            trafficAllocations: VARIATIONS.map((key) => ({ variationKey: key, exposition: ALLOCATION[key] })),
          },
        ],
      },
    ],
  });
  const rules = flag.environmentConfigurations.find((e) => e.environmentKey === environmentKey)!.rolloutRules;
  const targeted = rules.find((r) => r.type === "TARGETED_DELIVERY")!;
  const experiment = rules.find((r) => r.type === "EXPERIMENTATION")!;
  return {
    featureKey,
    targetedRuleId: targeted.id,
    experimentRuleId: experiment.id,
    experimentId: experiment.experimentId!,
  };
}

/** Turns the flag on in one environment (merge patch of that environment's configuration). */
export async function enableFlag(
  options: ApiOptions,
  projectKey: string,
  environmentKey: string,
  featureKey: string,
): Promise<void> {
  await api(options, "PATCH", `/feature-flags/${projectKey}/${featureKey}/${environmentKey}`, {
    featureEnabled: true,
  });
}

/** Pauses (`PAUSED`) or resumes (`ACTIVE`) one rule: a merge patch of the rule, by id. */
export async function setRuleState(
  options: ApiOptions,
  ruleId: number,
  state: "ACTIVE" | "PAUSED",
): Promise<void> {
  await api(options, "PATCH", `/feature-flags/rules/${ruleId}`, { state });
}

/** A streaming SDK client (the default), ready to evaluate. */
export async function connectSdk(
  baseUrl: string,
  serverSdkKey: string,
  extra: Partial<VexilClientOptions> = {},
): Promise<VexilClient> {
  const client = createClient({ sdkKey: serverSdkKey, baseUrl, ...extra });
  await client.ready();
  return client;
}

/** `count` visitor codes derived from `seed`: the same seed gives the same visitors on every run. */
export function visitorCodes(seed: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `visitor-${seed}-${i}`);
}

/** Visitors outside the segment (`plan: free`); a beta tester is `plan: beta`. */
export const FREE_PLAN = { plan: "free" } as const;

export interface Split {
  counts: Record<VariationKey, number>;
  /** Answers that were not the experiment's (reason other than SPLIT): must be 0. */
  notSplit: number;
  /** Pearson chi-square against 20/30/50 (df 2) and its p-value. */
  chi2: number;
  pValue: number;
  /** SHA-256 of every visitor's variation, in order: equal digests mean identical assignments. */
  digest: string;
  variations: string[];
}

/** Evaluates every visitor locally with `evaluate` and tests the split against the allocation. */
export function evaluateSplit(
  evaluate: (visitorCode: string) => { variationKey: string; reason: string },
  visitors: string[],
): Split {
  const counts: Record<VariationKey, number> = { off: 0, blue: 0, green: 0 };
  const variations: string[] = [];
  let notSplit = 0;
  for (const code of visitors) {
    const answer = evaluate(code);
    variations.push(answer.variationKey);
    if (answer.reason !== "SPLIT") notSplit++;
    else if (answer.variationKey in counts) counts[answer.variationKey as VariationKey]++;
  }
  const srm = sampleRatioMismatch(
    VARIATIONS.map((key) => counts[key]),
    VARIATIONS.map((key) => ALLOCATION[key]),
  );
  const digest = createHash("sha256").update(variations.join("\n")).digest("hex").slice(0, 16);
  return { counts, notSplit, chi2: srm.chi2, pValue: srm.pValue, digest, variations };
}

/** The SDK's answers for the walkthrough visitors (not in the segment). */
export function sdkSplit(client: VexilClient, featureKey: string, visitors: string[]): Split {
  return evaluateSplit((code) => client.evaluate(featureKey, { code, attributes: FREE_PLAN }), visitors);
}

export interface OfrepComparison {
  checked: number;
  mismatches: { visitorCode: string; sdk: string; ofrep: string }[];
}

/** Evaluates `visitors` through OFREP (client-side key) and compares each variant with `expected[i]`. */
export async function compareWithOfrep(
  baseUrl: string,
  clientSdkKey: string,
  featureKey: string,
  visitors: string[],
  expected: string[],
  concurrency = 16,
): Promise<OfrepComparison> {
  const mismatches: OfrepComparison["mismatches"] = [];
  let next = 0;
  const worker = async () => {
    while (next < visitors.length) {
      const i = next++;
      const response = await fetch(`${baseUrl}/ofrep/v1/evaluate/flags/${featureKey}`, {
        method: "POST",
        headers: { Authorization: clientSdkKey, "Content-Type": "application/json" },
        body: JSON.stringify({ context: { targetingKey: visitors[i], ...FREE_PLAN } }),
      });
      const answer = (await response.json()) as { variant?: string; errorCode?: string };
      const ofrep = answer.variant ?? `error ${response.status} ${answer.errorCode}`;
      if (ofrep !== expected[i]) mismatches.push({ visitorCode: visitors[i]!, sdk: expected[i]!, ofrep });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { checked: visitors.length, mismatches };
}

/** Resolves with the milliseconds until `check()` holds, checked every millisecond; rejects after timeoutMs. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  since = performance.now(),
  cancelled = () => false,
): Promise<number> {
  while (!(await check())) {
    if (cancelled()) throw new Error("cancelled");
    if (performance.now() - since > timeoutMs) throw new Error(`not observed within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return performance.now() - since;
}

/**
 * Applies a change (e.g. a PATCH) and measures, for each observer, the milliseconds from sending the change
 * until the observer sees it (its `check()` holds).
 */
export async function measurePropagation<K extends string>(
  change: () => Promise<void>,
  observers: Record<K, () => boolean | Promise<boolean>>,
  timeoutMs = 10_000,
): Promise<Record<K, number>> {
  const start = performance.now();
  let failed = false;
  const waits = Object.entries(observers).map(async ([name, check]) => {
    const ms = await waitUntil(check as () => boolean | Promise<boolean>, timeoutMs, start, () => failed);
    return [name, ms] as const;
  });
  try {
    await change();
  } catch (error) {
    failed = true;
    await Promise.allSettled(waits);
    throw error;
  }
  return Object.fromEntries(await Promise.all(waits)) as Record<K, number>;
}

/** An OpenFeature client backed by a VexilProvider (which creates, and on OpenFeature.close() closes, its client). */
export async function connectOpenFeature(
  baseUrl: string,
  serverSdkKey: string,
  extra: Partial<VexilClientOptions> = {},
) {
  await OpenFeature.setProviderAndWait(new VexilProvider({ sdkKey: serverSdkKey, baseUrl, ...extra }));
  return OpenFeature.getClient();
}

export type OpenFeatureClient = Awaited<ReturnType<typeof connectOpenFeature>>;

/** The OpenFeature answers for the walkthrough visitors: the variant (variation key) and reason of each. */
export async function openFeatureSplit(
  client: OpenFeatureClient,
  featureKey: string,
  visitors: string[],
): Promise<Split> {
  const answers: { variationKey: string; reason: string }[] = [];
  for (const targetingKey of visitors) {
    const details = await client.getStringDetails(featureKey, "off", { targetingKey, ...FREE_PLAN });
    answers.push({ variationKey: details.variant ?? details.value, reason: details.reason ?? "UNKNOWN" });
  }
  let i = 0;
  return evaluateSplit(() => answers[i++]!, visitors);
}

/** Formats a split as one line per variation: count, observed share, allocation. */
export function formatSplit(split: Split): string {
  const total = VARIATIONS.reduce((sum, key) => sum + split.counts[key], 0);
  const lines = VARIATIONS.map(
    (key) =>
      `    ${key.padEnd(6)} ${String(split.counts[key]).padStart(7)}  ${((100 * split.counts[key]) / total).toFixed(2).padStart(6)} %  (allocated ${ALLOCATION[key]} %)`,
  );
  lines.push(
    `    chi-square ${split.chi2.toFixed(3)} (df 2), p = ${split.pValue.toFixed(4)}; not in the experiment: ${split.notSplit}`,
  );
  return lines.join("\n");
}

export interface WalkthroughOptions extends ApiOptions {
  projectKey: string;
  environmentKey: string;
  featureKey: string;
  visitors: number;
  seed: number;
  /** Wait while the user stops and restarts the server, then check the SDK resumed its stream. */
  restartCheck: boolean;
  log: (line: string) => void;
}

/** The whole walkthrough, printing each step; throws when a check fails. */
export async function runWalkthrough(options: WalkthroughOptions): Promise<void> {
  const { baseUrl, projectKey, environmentKey, featureKey, log } = options;
  log(`Vexil walkthrough against ${baseUrl}, project ${projectKey}, environment ${environmentKey}`);

  await ensureProject(options, projectKey);
  const keys = await sdkKeys(options, projectKey, environmentKey);
  log(
    `1. SDK keys: server-side ${keys.serverSdkKey.slice(0, 8)}... (secret), client-side ${keys.clientSdkKey}`,
  );
  const segmentId = await createSegment(options, projectKey, `Beta testers (${featureKey})`);
  const flag = await createFlag(options, projectKey, environmentKey, featureKey, segmentId);
  await enableFlag(options, projectKey, environmentKey, featureKey);
  log(
    `   segment ${segmentId}; flag ${featureKey}: rule ${flag.targetedRuleId} TARGETED_DELIVERY -> green, ` +
      `rule ${flag.experimentRuleId} EXPERIMENTATION 20/30/50 (experiment ${flag.experimentId}); enabled`,
  );

  const sdk = await connectSdk(baseUrl, keys.serverSdkKey);
  const openFeature = await connectOpenFeature(baseUrl, keys.serverSdkKey);
  try {
    const beta = sdk.evaluate(featureKey, { code: "beta-tester-1", attributes: { plan: "beta" } });
    log(`2. SDK ready (payload version ${sdk.stats().payloadVersion}, stream ${sdk.stats().stream})`);
    log(`   a beta tester gets ${beta.variationKey} (${beta.reason}, rule ${beta.ruleId})`);

    const visitors = visitorCodes(options.seed, options.visitors);
    let started = performance.now();
    const split = sdkSplit(sdk, featureKey, visitors);
    const elapsed = performance.now() - started;
    log(`   ${visitors.length} visitors evaluated locally in ${elapsed.toFixed(0)} ms:`);
    log(formatSplit(split));
    const again = sdkSplit(sdk, featureKey, visitors);
    const other = createClient({ sdkKey: keys.serverSdkKey, baseUrl, streaming: false });
    await other.ready();
    const fresh = sdkSplit(other, featureKey, visitors);
    await other.close();
    const identical = again.digest === split.digest && fresh.digest === split.digest;
    log(`   assignments digest ${split.digest}; again: ${again.digest}; a second client: ${fresh.digest}`);
    check(split.notSplit === 0, "every visitor outside the segment is in the experiment");
    check(split.pValue > 0.001, `the split matches 20/30/50 (p = ${split.pValue.toFixed(4)} > 0.001)`);
    check(identical, "the assignments are identical on every evaluation and client");

    const sample = Math.min(1000, visitors.length);
    started = performance.now();
    const ofrep = await compareWithOfrep(
      baseUrl,
      keys.clientSdkKey,
      featureKey,
      visitors.slice(0, sample),
      split.variations.slice(0, sample),
    );
    log(
      `3. OFREP (client-side key): ${ofrep.checked} visitors in ${(performance.now() - started).toFixed(0)} ms, ` +
        `${ofrep.mismatches.length} mismatches`,
    );
    for (const m of ofrep.mismatches.slice(0, 5)) log(`   ${m.visitorCode}: SDK ${m.sdk}, OFREP ${m.ofrep}`);
    check(ofrep.mismatches.length === 0, "OFREP answers as the SDK does");

    const probe = { targetingKey: visitors[0]!, ...FREE_PLAN };
    const latency = await measurePropagation(() => setRuleState(options, flag.experimentRuleId, "PAUSED"), {
      sdk: () =>
        sdk.evaluate(featureKey, { code: probe.targetingKey, attributes: FREE_PLAN }).reason === "DEFAULT",
      openFeature: async () =>
        (await openFeature.getStringDetails(featureKey, "off", probe)).reason === "DEFAULT",
    });
    log(
      `4. PATCH rule ${flag.experimentRuleId} {"state":"PAUSED"}: streaming SDK saw it after ` +
        `${latency.sdk.toFixed(1)} ms, OpenFeature after ${latency.openFeature.toFixed(1)} ms ` +
        `(every visitor outside the segment now gets the default variation, off)`,
    );

    await setRuleState(options, flag.experimentRuleId, "ACTIVE");
    await waitUntil(
      () => sdk.evaluate(featureKey, { code: probe.targetingKey, attributes: FREE_PLAN }).reason === "SPLIT",
    );
    await waitUntil(
      async () => (await openFeature.getStringDetails(featureKey, "off", probe)).reason === "SPLIT",
    );
    started = performance.now();
    const viaOpenFeature = await openFeatureSplit(openFeature, featureKey, visitors);
    log(
      `5. OpenFeature (VexilProvider), rule active again: ${visitors.length} visitors in ` +
        `${(performance.now() - started).toFixed(0)} ms, digest ${viaOpenFeature.digest}:`,
    );
    log(formatSplit(viaOpenFeature));
    check(viaOpenFeature.digest === split.digest, "OpenFeature gives every visitor the SDK's variant");

    if (options.restartCheck)
      await restartCheck(options, sdk, featureKey, flag.experimentRuleId, probe.targetingKey);
    log("All checks passed.");
  } finally {
    await sdk.close();
    await OpenFeature.close();
  }
}

/** Waits while the user stops the server and starts it again, then checks the stream resumed. */
async function restartCheck(
  options: WalkthroughOptions,
  sdk: VexilClient,
  featureKey: string,
  ruleId: number,
  visitorCode: string,
): Promise<void> {
  const { log } = options;
  const before = sdk.evaluate(featureKey, { code: visitorCode, attributes: FREE_PLAN }).variationKey;
  log("6. Stop the server now (Ctrl-C or SIGTERM), then start it again on the same port and data directory.");
  await waitUntil(() => sdk.stats().stream !== "open", 300_000);
  const during = sdk.evaluate(featureKey, { code: visitorCode, attributes: FREE_PLAN });
  log(`   stream ${sdk.stats().stream}; the SDK still answers ${during.variationKey} (${during.reason})`);
  check(during.variationKey === before, "the SDK keeps serving its last payload while the server is away");
  await waitUntil(() => sdk.stats().stream === "open", 300_000);
  const latency = await measurePropagation(() => setRuleState(options, ruleId, "PAUSED"), {
    sdk: () => sdk.evaluate(featureKey, { code: visitorCode, attributes: FREE_PLAN }).reason === "DEFAULT",
  });
  log(`   stream open again; a new PAUSE reached the SDK after ${latency.sdk.toFixed(1)} ms`);
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`check failed: ${what}`);
}

function parseArguments(argv: string[]): WalkthroughOptions {
  const value = (name: string, fallback?: string): string => {
    const i = argv.indexOf(`--${name}`);
    const found = i >= 0 ? argv[i + 1] : fallback;
    if (found === undefined) throw new Error(`missing --${name}`);
    return found;
  };
  return {
    baseUrl: value("url", "http://127.0.0.1:8420").replace(/\/$/, ""),
    token: value("token", process.env.VEXIL_TOKEN),
    projectKey: value("project", "demo"),
    environmentKey: value("environment", "production"),
    featureKey: value("flag", `walkthrough-${Date.now().toString(36)}`),
    visitors: Number(value("visitors", "100000")),
    seed: Number(value("seed", "1")),
    restartCheck: argv.includes("--restart-check"),
    log: (line) => console.log(line),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runWalkthrough(parseArguments(process.argv.slice(2))).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
