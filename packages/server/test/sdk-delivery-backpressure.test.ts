// Back-pressure of SDK streams (docs/sdk-protocol.md): a stream whose client does not read is closed once
// more than 8 MB wait for it (sse.ts, MAX_BUFFERED_BYTES), so a stalled client cannot grow the
// server's memory without bound, while the other streams keep receiving every change. Real sockets: the slow
// client is a TCP connection that stops reading after its `put`; the changes are large flag edits (12
// variables of 60,000 characters, about 0.7 MB per patch event) until far more than the limit plus what the
// kernel buffers (send buffer up to 4 MB, tcp_wmem; the receive buffer does not grow while nothing is read)
// has been sent.

import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.js";
import { openSseStream } from "./sse-client.js";

const PATCHES = 28; // x ~0.7 MB = ~20 MB: more than 8 MB + 4 MB + the receive buffer
const VARIABLES = 12;
const VALUE_LENGTH = 60_000;

let server: TestServer;
let sdkKey: string;

beforeAll(async () => {
  server = await startTestServer({ listen: true });
  expect((await server.request("POST", "/projects", { body: { key: "slow", name: "Slow" } })).status).toBe(
    201,
  );
  const created = await server.request("POST", "/feature-flags", {
    body: {
      siteCode: "slow",
      featureKey: "big",
      name: "Big",
      variables: Array.from({ length: VARIABLES }, (_, i) => ({ key: `v${i}`, type: "STRING", value: "" })),
      environmentConfigurations: [{ environmentKey: "production", featureEnabled: true, rolloutRules: [] }],
    },
  });
  expect(created.status).toBe(201);
  sdkKey = (await server.request("GET", "/projects/slow/environments/production")).body.serverSdkKey;
});

afterAll(async () => server?.close());

/** A stream opened on a raw socket that stops reading once the `put` arrived. */
function openStalledStream(baseUrl: string, key: string) {
  const { hostname, port } = new URL(baseUrl);
  const socket = net.connect(Number(port), hostname);
  let received = "";
  const put = new Promise<void>((resolve, reject) => {
    socket.on("error", reject);
    const onData = (chunk: Buffer) => {
      received += chunk.toString("latin1");
      if (received.includes("event: put")) {
        socket.off("data", onData);
        socket.pause(); // from here on nothing is read: the kernel buffers fill, then the server's
        resolve();
      }
    };
    socket.on("data", onData);
  });
  socket.write(`GET /sdk/v1/stream HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: ${key}\r\n\r\n`);
  return { socket, put };
}

describe("a client that stops reading its stream", () => {
  it("is disconnected past the buffer limit while a reading client gets every change", async () => {
    const stalled = openStalledStream(server.baseUrl, sdkKey);
    await stalled.put;
    const reading = await openSseStream(server.baseUrl, sdkKey, { timeoutMs: 30_000 });
    expect((await reading.next((e) => e.event === "put")).event).toBe("put");

    let lastVersion = "";
    for (let n = 1; n <= PATCHES; n++) {
      const value = String(n % 10).repeat(VALUE_LENGTH);
      const patched = await server.request("PATCH", "/feature-flags/slow/big", {
        body: {
          variables: Array.from({ length: VARIABLES }, (_, i) => ({ key: `v${i}`, type: "STRING", value })),
        },
        headers: { "content-type": "application/merge-patch+json" },
      });
      expect(patched.status).toBe(200);
      // The reading client keeps up: each change reaches it.
      const event = await reading.next((e) => e.event === "patch");
      lastVersion = event.id!;
    }
    reading.close();

    // The stalled client, reading again, gets what the kernel held and then the end of the connection,
    // never the last change: the server dropped it instead of buffering ~20 MB for it.
    let tail = "";
    const ended = new Promise<void>((resolve) => {
      stalled.socket.on("data", (chunk: Buffer) => {
        tail += chunk.toString("latin1");
      });
      stalled.socket.on("close", () => resolve());
    });
    stalled.socket.resume();
    await ended;
    expect(tail.length).toBeGreaterThan(0);
    expect(tail).not.toContain(`id: ${lastVersion}\n`);
  });
});
