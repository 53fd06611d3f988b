import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.js";

// A console build as Vite lays it out: index.html plus content-hashed files under assets/.
const consoleDir = fs.mkdtempSync(path.join(os.tmpdir(), "vexil-console-"));
fs.mkdirSync(path.join(consoleDir, "assets"));
fs.writeFileSync(path.join(consoleDir, "index.html"), "<!doctype html><title>Vexil</title>");
fs.writeFileSync(path.join(consoleDir, "assets", "index-3f9a1c.js"), "console.log(1)");

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { VEXIL_CONSOLE_DIR: consoleDir } });
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(consoleDir, { recursive: true, force: true });
});

const page = (url: string) => server.request("GET", url, { token: null, headers: { accept: "text/html" } });

describe("serving the console", () => {
  it("serves index.html uncached and hashed assets immutable, without a token", async () => {
    const index = await page("/");
    expect(index.status).toBe(200);
    expect(index.headers["cache-control"]).toBe("no-cache");
    const asset = await server.request("GET", "/assets/index-3f9a1c.js", { token: null });
    expect(asset.status).toBe(200);
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  });

  it("answers the app's own paths with index.html (history fallback) and unknown paths with 404", async () => {
    for (const url of ["/sign-in", "/p/demo/flags", "/p/demo/flags/new_checkout"]) {
      const response = await page(url);
      expect(response.status, url).toBe(200);
      expect(response.text).toContain("<title>Vexil</title>");
    }
    expect((await server.request("GET", "/no-such-page", { headers: { accept: "text/html" } })).status).toBe(
      404,
    );
    // API routes keep answering JSON.
    expect((await server.request("GET", "/feature-flags", { token: null })).status).toBe(401);
  });

  it("sends CSP with frame-ancestors 'none', nosniff and a Referrer-Policy on console responses", async () => {
    for (const response of [
      await page("/"),
      await page("/p/x/flags"),
      await server.request("GET", "/assets/index-3f9a1c.js", { token: null }),
    ]) {
      expect(response.headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
      expect(response.headers["content-security-policy"]).toMatch(/script-src 'self'(;|$)/);
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
      expect(response.headers["referrer-policy"]).toBe("same-origin");
    }
  });
});
