// Issue #3, end to end: examples/sdk-walkthrough.ts's steps against a real server in a child process. The API
// creates a segment and a flag (targeted delivery on the segment, then a 20/30/50 experiment); the SDK splits
// 100,000 seeded visitors as allocated, identically on every evaluation and client and as OFREP does; a paused
// rule reaches the streaming SDK; the SDK keeps serving while the server is stopped and resumes its stream
// when it is back; OpenFeature (VexilProvider) answers as the SDK does.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { OpenFeature } from "@openfeature/server-sdk";
import { createClient, type VexilClient } from "@vexil/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiOptions,
  type CreatedFlag,
  compareWithOfrep,
  connectOpenFeature,
  connectSdk,
  createFlag,
  createSegment,
  enableFlag,
  ensureProject,
  FREE_PLAN,
  formatSplit,
  measurePropagation,
  type OpenFeatureClient,
  openFeatureSplit,
  runWalkthrough,
  type Split,
  sdkKeys,
  sdkSplit,
  setRuleState,
  visitorCodes,
  waitUntil,
} from "../../../examples/sdk-walkthrough.js";
import { type ServeProcess, startServeProcess } from "../../server/test/fixtures/serve-process.js";

const PORT = 18517;
const PROJECT = "walkthrough";
const ENVIRONMENT = "production";
const FEATURE = "checkout-button";
const adminToken = `vx_walkthrough_${Math.random().toString(36).slice(2)}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vexil-walkthrough-"));
// Short reconnect delays, so the stream comes back soon after the server does.
const clientOptions = { backoff: { baseMs: 100, maxMs: 500 }, logger: quietLogger() };

let server: ServeProcess | undefined;
/** The real server on this test's port and data, with its automation running as a user's would. */
const startVexilServer = () =>
  startServeProcess({ port: PORT, dataDir, adminToken, env: { VEXIL_AUTOMATION: "on" } });
let options: ApiOptions;
let keys: { serverSdkKey: string; clientSdkKey: string };
let flag: CreatedFlag;
let sdk: VexilClient | undefined;
let openFeature: OpenFeatureClient;
let split: Split;
const visitors = visitorCodes(42, 100_000);
const probe = visitors[0]!;

function quietLogger() {
  const lines: string[] = [];
  const record = (level: string) => (message: string) => lines.push(`${level}: ${message}`);
  return { lines, debug: () => {}, info: record("info"), warn: record("warn"), error: record("error") };
}

const sdkReason = () => sdk!.evaluate(FEATURE, { code: probe, attributes: FREE_PLAN }).reason;
const openFeatureReason = async () =>
  (await openFeature.getStringDetails(FEATURE, "off", { targetingKey: probe, ...FREE_PLAN })).reason;

beforeAll(async () => {
  server = await startVexilServer();
  options = { baseUrl: server.baseUrl, token: adminToken };
});

afterAll(async () => {
  await sdk?.close();
  await OpenFeature.close();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("issue #3 walkthrough against a real server", () => {
  it("creates a segment and a flag with a targeted-delivery and a 20/30/50 experimentation rule", async () => {
    await ensureProject(options, PROJECT);
    keys = await sdkKeys(options, PROJECT, ENVIRONMENT);
    expect(keys.serverSdkKey).toMatch(/^sdk-/);
    expect(keys.clientSdkKey).toMatch(/^[0-9a-f]{24}$/);
    const segmentId = await createSegment(options, PROJECT, "Beta testers");
    flag = await createFlag(options, PROJECT, ENVIRONMENT, FEATURE, segmentId);
    await enableFlag(options, PROJECT, ENVIRONMENT, FEATURE);

    sdk = await connectSdk(server!.baseUrl, keys.serverSdkKey, clientOptions);
    openFeature = await connectOpenFeature(server!.baseUrl, keys.serverSdkKey, clientOptions);
    expect(sdk.stats().stream).toBe("open");
    const beta = sdk.evaluate(FEATURE, { code: "beta-1", attributes: { plan: "beta" } });
    expect(beta).toMatchObject({
      variationKey: "green",
      reason: "TARGETING_MATCH",
      ruleId: flag.targetedRuleId,
    });
  });

  it("splits 100,000 visitors as allocated, identically on every evaluation and client", async () => {
    split = sdkSplit(sdk!, FEATURE, visitors);
    console.log(`[walkthrough] SDK split of ${visitors.length} visitors:\n${formatSplit(split)}`);
    expect(split.notSplit).toBe(0);
    expect(split.pValue).toBeGreaterThan(0.001);
    expect(sdkSplit(sdk!, FEATURE, visitors).variations).toEqual(split.variations);
    const second = createClient({ sdkKey: keys.serverSdkKey, baseUrl: server!.baseUrl, streaming: false });
    try {
      await second.ready();
      expect(sdkSplit(second, FEATURE, visitors).variations).toEqual(split.variations);
    } finally {
      await second.close();
    }
  });

  it("answers as OFREP does for 1,000 of those visitors (client-side key)", async () => {
    const sample = 1000;
    const ofrep = await compareWithOfrep(
      server!.baseUrl,
      keys.clientSdkKey,
      FEATURE,
      visitors.slice(0, sample),
      split.variations.slice(0, sample),
    );
    expect(ofrep.checked).toBe(sample);
    expect(ofrep.mismatches).toEqual([]);
  });

  it("answers as the SDK does through OpenFeature (VexilProvider)", async () => {
    const viaOpenFeature = await openFeatureSplit(openFeature, FEATURE, visitors);
    expect(viaOpenFeature.variations).toEqual(split.variations);
    const details = await openFeature.getStringDetails(FEATURE, "off", { targetingKey: probe, ...FREE_PLAN });
    expect(details).toMatchObject({
      reason: "SPLIT",
      variant: split.variations[0],
      value: split.variations[0],
    });
    expect(details.flagMetadata).toMatchObject({
      ruleId: flag.experimentRuleId,
      experimentId: flag.experimentId,
    });
  });

  it("shows a paused rule to the streaming SDK and to OpenFeature", async () => {
    expect(sdkReason()).toBe("SPLIT");
    const latency = await measurePropagation(() => setRuleState(options, flag.experimentRuleId, "PAUSED"), {
      sdk: () => sdkReason() === "DEFAULT",
      openFeature: async () => (await openFeatureReason()) === "DEFAULT",
    });
    console.log(
      `[walkthrough] PAUSED visible after ${latency.sdk.toFixed(1)} ms (SDK), ${latency.openFeature.toFixed(1)} ms (OpenFeature)`,
    );
    expect(sdk!.evaluate(FEATURE, { code: probe, attributes: FREE_PLAN }).variationKey).toBe("off");
  });

  it("keeps serving the last payload while the server is stopped", async () => {
    await server!.stop();
    await waitUntil(() => sdk!.stats().stream !== "open", 10_000);
    expect(sdk!.evaluate(FEATURE, { code: probe, attributes: FREE_PLAN })).toMatchObject({
      variationKey: "off",
      reason: "DEFAULT",
    });
    expect(await openFeatureReason()).toBe("DEFAULT");
    const beta = sdk!.evaluate(FEATURE, { code: "beta-1", attributes: { plan: "beta" } });
    expect(beta).toMatchObject({ variationKey: "green", reason: "TARGETING_MATCH" });
  });

  it("resumes the stream when the server is started again on the same data", async () => {
    server = await startVexilServer();
    const reconnect = await waitUntil(() => sdk!.stats().stream === "open", 20_000);
    console.log(`[walkthrough] stream open again ${reconnect.toFixed(0)} ms after the restart`);
    const latency = await measurePropagation(() => setRuleState(options, flag.experimentRuleId, "ACTIVE"), {
      sdk: () => sdkReason() === "SPLIT",
      openFeature: async () => (await openFeatureReason()) === "SPLIT",
    });
    console.log(
      `[walkthrough] ACTIVE after restart visible after ${latency.sdk.toFixed(1)} ms (SDK), ${latency.openFeature.toFixed(1)} ms (OpenFeature)`,
    );
    expect(sdkSplit(sdk!, FEATURE, visitors.slice(0, 10_000)).variations).toEqual(
      split.variations.slice(0, 10_000),
    );
  });

  it("runs the example script's whole walkthrough", async () => {
    await OpenFeature.close(); // runWalkthrough sets its own OpenFeature provider
    const lines: string[] = [];
    await runWalkthrough({
      ...options,
      projectKey: PROJECT,
      environmentKey: ENVIRONMENT,
      featureKey: "walkthrough-script",
      visitors: 20_000,
      seed: 7,
      restartCheck: false,
      log: (line) => lines.push(line),
    });
    expect(lines.at(-1)).toBe("All checks passed.");
  });
});
