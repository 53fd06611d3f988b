// The bytes of /sdk/v1/stream on the wire (sse.ts, writeEvents). A change is framed once as an HTTP/1.1
// chunk and written straight to every socket, so this reads raw sockets: an HTTP/1.1 client must get a
// valid chunked body, and an HTTP/1.0 client (no chunked encoding: the response writes plain bytes) the
// same events, byte for byte.

import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.js";

// No heartbeat during the test: both streams then receive exactly the same sequence of events.
process.env.VEXIL_SSE_HEARTBEAT_MS = "3600000";

let server: TestServer;
let sdkKey: string;

beforeAll(async () => {
  server = await startTestServer({ listen: true });
  expect((await server.request("POST", "/projects", { body: { key: "wire", name: "Wire" } })).status).toBe(
    201,
  );
  const created = await server.request("POST", "/feature-flags", {
    body: {
      siteCode: "wire",
      featureKey: "checkout",
      name: "Checkout",
      environmentConfigurations: [{ environmentKey: "production", featureEnabled: true, rolloutRules: [] }],
    },
  });
  expect(created.status).toBe(201);
  sdkKey = (await server.request("GET", "/projects/wire/environments/production")).body.serverSdkKey;
});

afterAll(async () => server?.close());

/** A stream read from a raw socket: the response head and everything after it, as received. */
function openRawStream(httpVersion: "1.0" | "1.1") {
  const { hostname, port } = new URL(server.baseUrl);
  const socket = net.connect(Number(port), hostname);
  let received = Buffer.alloc(0);
  let onData = () => {};
  socket.on("data", (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    onData();
  });
  socket.write(
    `GET /sdk/v1/stream HTTP/${httpVersion}\r\nHost: ${hostname}\r\nAuthorization: ${sdkKey}\r\n\r\n`,
  );
  const split = () => {
    const end = received.indexOf("\r\n\r\n");
    return end < 0
      ? undefined
      : { head: received.subarray(0, end).toString("latin1"), body: received.subarray(end + 4) };
  };
  return {
    socket,
    /** Resolves once the response holds `text` after its head, and the event that holds it ended. */
    until(text: string): Promise<{ head: string; body: Buffer }> {
      const ending = httpVersion === "1.1" ? "\n\n\r\n" : "\n\n";
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${JSON.stringify(text)} within 10 s`)), 10_000);
        onData = () => {
          const parts = split();
          const body = parts?.body.toString("latin1");
          if (!parts || !body?.includes(text) || !body.endsWith(ending)) return;
          clearTimeout(timer);
          resolve(parts);
        };
        onData();
      });
    },
  };
}

/** Decodes a chunked body, strictly: every chunk is `<hex size>\r\n<size bytes>\r\n`; a partial last chunk is an error. */
function decodeChunked(body: Buffer): string {
  let text = "";
  let at = 0;
  while (at < body.length) {
    const lineEnd = body.indexOf("\r\n", at);
    const sizeLine = body.subarray(at, lineEnd).toString("latin1");
    expect(sizeLine).toMatch(/^[0-9a-f]+$/);
    const size = Number.parseInt(sizeLine, 16);
    expect(size).toBeGreaterThan(0); // a zero-size chunk would end the body
    const start = lineEnd + 2;
    expect(body.length).toBeGreaterThanOrEqual(start + size + 2);
    text += body.subarray(start, start + size).toString("utf8");
    expect(body.subarray(start + size, start + size + 2).toString("latin1")).toBe("\r\n");
    at = start + size + 2;
  }
  return text;
}

describe("SSE bytes on the wire", () => {
  it("are a valid chunked body for HTTP/1.1 and the same events unframed for HTTP/1.0", async () => {
    const chunked = openRawStream("1.1");
    const plain = openRawStream("1.0");
    await chunked.until("event: put");
    await plain.until("event: put");

    const patched = await server.request("PATCH", "/feature-flags/wire/checkout/production", {
      body: { featureEnabled: false },
    });
    expect(patched.status).toBe(200);
    const eleven = await chunked.until('"enabled":false');
    const ten = await plain.until('"enabled":false');

    expect(eleven.head).toMatch(/^HTTP\/1\.1 200 /);
    expect(eleven.head.toLowerCase()).toContain("transfer-encoding: chunked");
    expect(ten.head).toMatch(/^HTTP\/1\.1 200 /); // Node answers 1.0 requests with a 1.1 status line
    expect(ten.head.toLowerCase()).not.toContain("transfer-encoding");

    const events = decodeChunked(eleven.body);
    expect(events).toMatch(/^event: put\nid: \d+\ndata: .*\n\nevent: patch\nid: \d+\ndata: .*\n\n$/);
    expect(ten.body.toString("utf8")).toBe(events);
    chunked.socket.destroy();
    plain.socket.destroy();
  });
});
