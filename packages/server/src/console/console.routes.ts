import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";

/** Where the built console lives when the server runs from the repository. */
export function defaultConsoleDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../web/dist");
}

// The console loads only its own scripts and talks only to this origin; Mantine sets inline styles, so
// style-src allows them (scripts stay strict). Nobody may frame it (clickjacking).
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Security headers of every console response. */
export function setConsoleSecurityHeaders(reply: FastifyReply): void {
  reply.header("content-security-policy", CONTENT_SECURITY_POLICY);
  reply.header("x-content-type-options", "nosniff");
  reply.header("x-frame-options", "DENY");
  reply.header("referrer-policy", "same-origin");
}

/** The app's own paths (client-side routes), answered with index.html on a reload or a shared link. */
export const CONSOLE_PATHS = ["/sign-in", "/p/*"];

/**
 * Serves the built console at `/`: content-hashed files under /assets/ cached for a year (immutable),
 * index.html never cached so a deploy is picked up at once, and index.html for the app's own paths.
 */
export async function consoleRoutes(app: FastifyInstance, consoleDir: string): Promise<boolean> {
  const indexPath = path.join(consoleDir, "index.html");
  if (!fs.existsSync(indexPath)) return false;
  await app.register(async (instance) => {
    instance.addHook("onRoute", (route) => {
      route.config = { ...route.config, access: "public" };
    });
    await instance.register(fastifyStatic, {
      root: consoleDir,
      wildcard: false,
      index: "index.html",
      cacheControl: false,
      setHeaders: (res, filePath) => {
        const immutable = filePath.startsWith(path.join(consoleDir, "assets") + path.sep);
        res.header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
      },
    });
    instance.addHook("onSend", async (_request, reply) => setConsoleSecurityHeaders(reply));
    for (const url of CONSOLE_PATHS) {
      instance.get(url, { schema: { hide: true } }, (_request, reply) =>
        reply.header("cache-control", "no-cache").type("text/html").sendFile("index.html"),
      );
    }
  });
  return true;
}
