// The browser bundle (esbuild, platform browser, as bench/sdk-bundle-size.ts builds it) run in a bare V8
// context holding only web platform globals - no process, require, Buffer or Node timers - against the
// local stand-in server. Not a real browser (none is installed here), but it proves the bundle needs
// nothing from Node and that streaming works over the standard fetch/ReadableStream APIs alone.

import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { samplePayload, targetedFlag } from "./fixtures.js";
import { type Peer, SDK_KEY, startPeer, waitFor } from "./peer-server.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
let peer: Peer;
let bundle: string;

beforeAll(async () => {
  peer = await startPeer(samplePayload(1));
  const result = await build({
    stdin: { contents: `export * from "@vexil/sdk";`, resolveDir: root, loader: "ts" },
    bundle: true,
    write: false,
    format: "iife",
    globalName: "Vexil",
    minify: true,
    platform: "browser",
    conditions: ["source"],
    logLevel: "error",
  });
  bundle = result.outputFiles[0]!.text;
});

afterAll(async () => {
  await peer.close();
});

/** Browser-like timers: numeric handles, no unref. */
function browserTimers() {
  const handles = new Map<number, ReturnType<typeof setTimeout>>();
  let next = 1;
  return {
    setTimeout: (fn: () => void, ms?: number) => {
      const id = next++;
      handles.set(
        id,
        setTimeout(() => {
          handles.delete(id);
          fn();
        }, ms),
      );
      return id;
    },
    clearTimeout: (id: number) => {
      clearTimeout(handles.get(id));
      handles.delete(id);
    },
    setInterval: (fn: () => void, ms?: number) => {
      const id = next++;
      handles.set(id, setInterval(fn, ms));
      return id;
    },
    clearInterval: (id: number) => {
      clearInterval(handles.get(id));
      handles.delete(id);
    },
  };
}

describe("browser bundle", () => {
  it("loads, streams and sends events with web APIs only", async () => {
    const context = vm.createContext({
      fetch,
      Headers,
      Request,
      Response,
      ReadableStream,
      TextDecoder,
      TextEncoder,
      AbortController,
      AbortSignal,
      URL,
      crypto: { getRandomValues: (a: Uint8Array) => crypto.getRandomValues(a) }, // no randomUUID (insecure origin)
      queueMicrotask,
      console,
      ...browserTimers(),
    });
    vm.runInContext(bundle, context);
    expect(vm.runInContext("typeof process + typeof require + typeof Buffer", context)).toBe(
      "undefinedundefinedundefined",
    );
    context.options = { sdkKey: SDK_KEY, baseUrl: peer.url, logger: {}, eventsBatchSize: 1 };
    const client = vm.runInContext("globalThis.client = Vexil.createClient(options)", context);
    await client.ready();
    expect(client.evaluate("banner", { code: "v", attributes: { country: "FR" } }).variationKey).toBe("on");
    expect(client.stats().stream).toBe("open");
    peer.send(
      "patch",
      { kind: "flag", key: "banner", version: 2, flag: targetedFlag({ enabled: false }), segments: {} },
      2,
    );
    await waitFor(() => client.evaluate("banner", "v").reason === "DISABLED", 3000, "patch over the stream");
    client.evaluate("checkout", "v");
    await waitFor(() => client.stats().sentEvents === 1, 3000, "exposure sent");
    const [batch] = peer.requestsTo("/events/v1/bulk");
    expect(batch!.headers["x-vexil-payload-id"]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    await client.close();
  });
});
