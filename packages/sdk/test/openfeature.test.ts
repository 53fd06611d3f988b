// The OpenFeature provider through the real OpenFeature server SDK.

import { ErrorCode, OpenFeature, ProviderEvents, ProviderStatus } from "@openfeature/server-sdk";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createClient, type VexilClient } from "../src/index.js";
import { silentLogger } from "../src/logger.js";
import { VexilProvider } from "../src/openfeature/index.js";
import { experimentFlag, samplePayload, targetedFlag } from "./fixtures.js";
import { delay, eventsIn, type Peer, SDK_KEY, startPeer, waitFor } from "./peer-server.js";

let domainCounter = 0;
const peers: Peer[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});
afterAll(async () => {
  await OpenFeature.close();
});

function bootstrapped(): VexilClient {
  const payload = samplePayload(1);
  // Flag keys may contain dots: "checkout.v2" is a flag, not variable "v2" of "checkout".
  payload.flags["checkout.v2"] = experimentFlag({ key: "checkout.v2", rules: [] });
  return createClient({ sdkKey: "", offline: true, bootstrap: payload, logger: silentLogger });
}

async function ofClient(provider: VexilProvider) {
  const domain = `d${++domainCounter}`;
  await OpenFeature.setProviderAndWait(domain, provider);
  return OpenFeature.getClient(domain);
}

const fr = { targetingKey: "v1", country: "FR" };

describe("VexilProvider", () => {
  it("resolves features: boolean = enabled, string = variation key, object = variables", async () => {
    const of = await ofClient(new VexilProvider(bootstrapped()));
    expect(await of.getBooleanDetails("banner", false, fr)).toMatchObject({
      value: true,
      variant: "on",
      reason: "TARGETING_MATCH",
      flagMetadata: { ruleId: 21, ruleType: "TARGETED_DELIVERY" },
    });
    expect(await of.getBooleanDetails("banner", true, { targetingKey: "v1", country: "DE" })).toMatchObject({
      value: false,
      variant: "off",
      reason: "DEFAULT",
    });
    expect(await of.getBooleanDetails("legacy", true, fr)).toMatchObject({
      value: false,
      variant: "on",
      reason: "DISABLED",
    });
    const split = await of.getStringDetails("checkout", "none", fr);
    expect(split).toMatchObject({
      reason: "SPLIT",
      flagMetadata: { ruleId: 11, ruleType: "EXPERIMENTATION", experimentId: 501 },
    });
    expect(["a", "b"]).toContain(split.value);
    expect(split.variant).toBe(split.value);
    const all = await of.getObjectDetails("checkout", {}, fr);
    expect(all.value).toMatchObject({ color: expect.any(String), layout: { columns: expect.any(Number) } });
    expect(await of.getNumberDetails("checkout", 0, fr)).toMatchObject({
      value: 0,
      errorCode: ErrorCode.TYPE_MISMATCH,
      reason: "ERROR",
    });
  });

  it("resolves typed variables as featureKey.variableKey", async () => {
    const provider = new VexilProvider(bootstrapped());
    const of = await ofClient(provider);
    const variation = (await of.getStringValue("checkout", "", fr)) as "a" | "b";
    const expected = {
      a: { color: "blue", discount: 10, express: false, layout: { columns: 1 } },
      b: { color: "green", discount: 0, express: true, layout: { columns: 2 } },
    }[variation];
    expect(await of.getStringValue("checkout.color", "", fr)).toBe(expected.color);
    expect(await of.getNumberValue("checkout.discount", -1, fr)).toBe(expected.discount);
    expect(await of.getBooleanValue("checkout.express", !expected.express, fr)).toBe(expected.express);
    expect(await of.getObjectValue("checkout.layout", {}, fr)).toEqual(expected.layout);
    expect(await of.getStringDetails("banner.text", "", fr)).toMatchObject({
      value: "Bonjour",
      variant: "on",
      reason: "TARGETING_MATCH",
    });
    // Type mismatch and missing variable.
    expect(await of.getNumberDetails("checkout.color", 5, fr)).toMatchObject({
      value: 5,
      errorCode: ErrorCode.TYPE_MISMATCH,
    });
    expect(await of.getObjectDetails("checkout.color", { x: 1 }, fr)).toMatchObject({
      value: { x: 1 },
      errorCode: ErrorCode.TYPE_MISMATCH,
    });
    expect(await of.getStringDetails("checkout.nope", "d", fr)).toMatchObject({
      value: "d",
      errorCode: ErrorCode.FLAG_NOT_FOUND,
    });
    // A whole key that is a flag wins over a variable path.
    expect(provider.address("checkout.v2")).toEqual({ featureKey: "checkout.v2" });
    expect(provider.address("checkout.v2.color")).toEqual({
      featureKey: "checkout.v2",
      variableKey: "color",
    });
    expect(provider.address("checkout.color")).toEqual({ featureKey: "checkout", variableKey: "color" });
    expect(await of.getStringValue("checkout.v2.color", "", fr)).toBe("grey");
    // Objects handed out are copies: mutating one does not change the next answer.
    const layout = (await of.getObjectValue("checkout.layout", {}, fr)) as { columns: number };
    layout.columns = 99;
    expect(await of.getObjectValue("checkout.layout", {}, fr)).toEqual(expected.layout);
  });

  it("maps errors to OpenFeature error codes", async () => {
    const of = await ofClient(new VexilProvider(bootstrapped()));
    expect(await of.getBooleanDetails("nope", true, fr)).toMatchObject({
      value: true,
      reason: "ERROR",
      errorCode: ErrorCode.FLAG_NOT_FOUND,
    });
    expect(await of.getBooleanDetails("banner", true, { country: "FR" })).toMatchObject({
      value: true,
      errorCode: ErrorCode.TARGETING_KEY_MISSING,
    });
    const broken = samplePayload(1);
    broken.flags.banner = targetedFlag({
      rules: [{ id: 9, type: "TARGETED_DELIVERY", exposition: 100, state: "ACTIVE", variationKey: "ghost" }],
    });
    const of2 = await ofClient(
      new VexilProvider(createClient({ sdkKey: "", offline: true, bootstrap: broken, logger: silentLogger })),
    );
    expect(await of2.getBooleanDetails("banner", true, fr)).toMatchObject({
      value: true,
      errorCode: ErrorCode.PARSE_ERROR,
      flagMetadata: { ruleId: 9 },
    });
  });

  it("is not ready without a payload: initialize fails, evaluations answer PROVIDER_NOT_READY", async () => {
    const provider = new VexilProvider({ sdkKey: "", offline: true, logger: silentLogger });
    await expect(provider.initialize()).rejects.toThrow(/offline/);
    expect(await provider.resolveBooleanEvaluation("banner", true, fr)).toMatchObject({
      value: true,
      errorCode: ErrorCode.PROVIDER_NOT_READY,
    });
    await provider.onClose();
  });

  it("a refused SDK key makes the provider FATAL", async () => {
    const p = await startPeer(samplePayload(1));
    peers.push(p);
    const domain = `d${++domainCounter}`;
    const provider = new VexilProvider({ sdkKey: "sdk-wrong", baseUrl: p.url, logger: silentLogger });
    await expect(OpenFeature.setProviderAndWait(domain, provider)).rejects.toThrow(/refused/);
    expect(OpenFeature.getClient(domain).providerStatus).toBe(ProviderStatus.FATAL);
    expect(await OpenFeature.getClient(domain).getBooleanDetails("banner", true, fr)).toMatchObject({
      value: true,
      errorCode: ErrorCode.PROVIDER_FATAL,
    });
  });

  it("emits PROVIDER_READY and PROVIDER_CONFIGURATION_CHANGED with flagsChanged; tracks conversions", async () => {
    const p = await startPeer(samplePayload(1));
    peers.push(p);
    let ready = false;
    p.handlers.stream = () => (ready ? undefined : { status: 503 });
    p.handlers.config = () => (ready ? undefined : { status: 503 });
    const provider = new VexilProvider({
      sdkKey: SDK_KEY,
      baseUrl: p.url,
      initTimeoutMs: 100,
      backoff: { baseMs: 20, maxMs: 50 },
      pollIntervalMs: 20,
      logger: silentLogger,
    });
    const domain = `d${++domainCounter}`;
    const seen: { type: string; flagsChanged?: string[] }[] = [];
    const of = OpenFeature.getClient(domain);
    for (const type of [ProviderEvents.Ready, ProviderEvents.Error, ProviderEvents.ConfigurationChanged]) {
      of.addHandler(type, (details) =>
        seen.push({
          type,
          ...(details?.flagsChanged ? { flagsChanged: details.flagsChanged as string[] } : {}),
        }),
      );
    }
    // The server is down at first: initialization times out (PROVIDER_ERROR), then recovers (PROVIDER_READY).
    await expect(OpenFeature.setProviderAndWait(domain, provider)).rejects.toThrow();
    expect(of.providerStatus).toBe(ProviderStatus.ERROR);
    ready = true;
    await waitFor(() => seen.some((e) => e.type === ProviderEvents.Ready), 3000, "PROVIDER_READY");
    expect(of.providerStatus).toBe(ProviderStatus.READY);
    await waitFor(() => p.streams.size === 1, 3000, "stream");
    p.send(
      "patch",
      { kind: "flag", key: "banner", version: 2, flag: targetedFlag({ enabled: false }), segments: {} },
      2,
    );
    await waitFor(() => seen.some((e) => e.type === ProviderEvents.ConfigurationChanged), 3000, "change");
    expect(seen.map((e) => e.type)).toEqual([
      ProviderEvents.Error,
      ProviderEvents.Ready,
      ProviderEvents.ConfigurationChanged,
    ]);
    expect(seen[2]!.flagsChanged).toEqual(["banner"]);
    expect(await of.getBooleanDetails("banner", true, fr)).toMatchObject({
      value: false,
      reason: "DISABLED",
    });

    of.track("purchase", { targetingKey: "v1", country: "FR" }, { value: 12, currency: "EUR" });
    of.track("no-visitor", {}, {});
    await OpenFeature.clearProviders(); // closes the provider, which owns (and so closes, flushing) its client
    await delay(10);
    const events = p.requestsTo("/events/v1/bulk").flatMap((r) => eventsIn(r.body));
    expect(events).toEqual([
      expect.objectContaining({
        kind: "conversion",
        visitorCode: "v1",
        goal: "purchase",
        value: 12,
        attributes: { country: "FR", custom: { currency: "EUR" } },
      }),
    ]);
  });
});
