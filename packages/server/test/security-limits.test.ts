import net from "node:net";
import { describe, expect, it } from "vitest";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import { startTestServer } from "./harness.js";

// Issue 13 finding 9 and issue 16: the budgets of docs/security.md ("Rate limits", "Timeouts").

describe("rate limits", () => {
  it("SDK routes never spend the per-token budget; they have their own per-address ceiling", async () => {
    const server = await startTestServer({
      env: { VEXIL_RATE_LIMIT_PER_MINUTE: "5", VEXIL_SDK_RATE_LIMIT_PER_MINUTE: "20" },
    });
    try {
      await ensureDemoProject(server.context);
      const environment = await server.request("GET", "/projects/demo/environments/production");
      const clientKey = environment.body.clientSdkKey as string;
      const ofrep = (remoteAddress: string) =>
        server.app.inject({
          method: "POST",
          url: "/ofrep/v1/evaluate/flags",
          remoteAddress,
          headers: { authorization: clientKey, "content-type": "application/json" },
          payload: { context: { targetingKey: "visitor" } },
        });
      // Twenty evaluations with one client key from one address: four times the per-token budget.
      const statuses = [];
      for (let i = 0; i < 20; i++) statuses.push((await ofrep("198.51.100.1")).statusCode);
      expect(statuses.every((s) => s === 200)).toBe(true);
      // The 21st from that address is over its ceiling; another address sharing the key is not.
      expect((await ofrep("198.51.100.1")).statusCode).toBe(429);
      expect((await ofrep("198.51.100.2")).statusCode).toBe(200);
      // Management requests still have the per-token budget (1 spent above reading the environment).
      const management = [];
      for (let i = 0; i < 5; i++) management.push((await server.request("GET", "/projects")).status);
      expect(management).toEqual([200, 200, 200, 200, 429]);
    } finally {
      await server.close();
    }
  });
});

describe("timeouts", () => {
  it("closes a connection whose request headers never finish (VEXIL_HEADERS_TIMEOUT_MS)", async () => {
    const server = await startTestServer({
      listen: true,
      env: { VEXIL_HEADERS_TIMEOUT_MS: "300", VEXIL_REQUEST_TIMEOUT_MS: "600" },
    });
    try {
      const { port } = new URL(server.baseUrl);
      const socket = net.connect({ host: "127.0.0.1", port: Number(port) });
      let received = "";
      socket.on("data", (chunk) => {
        received += chunk;
      });
      socket.write("GET /healthz HTTP/1.1\r\nhost: x\r\n");
      // No blank line ever: the server must end the connection by itself (408), not wait forever.
      await new Promise((resolve) => socket.on("close", resolve));
      expect(received).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      await server.close();
    }
  });
});
