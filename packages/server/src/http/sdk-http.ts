import type { FastifyReply } from "fastify";

// HTTP conventions shared by the SDK-facing routes (sdk-delivery, OFREP).

/** True when `If-None-Match` lists the current ETag (weak comparison, `*` included). */
export function etagMatches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(",") : header;
  for (const candidate of value.split(",")) {
    const tag = candidate.trim();
    if (tag === "*" || tag === etag || tag === `W/${etag}`) return true;
  }
  return false;
}

/** CORS for the routes browsers call with the client-side key (OFREP, the browser SDK, events, counts). */
export function allowBrowsers(reply: FastifyReply): FastifyReply {
  return reply
    .header("access-control-allow-origin", "*")
    .header("access-control-expose-headers", "ETag, Retry-After");
}

/** Answers a CORS preflight. */
export function preflight(reply: FastifyReply, methods: string): FastifyReply {
  return allowBrowsers(reply)
    .header("access-control-allow-methods", methods)
    .header(
      "access-control-allow-headers",
      "Authorization, Content-Type, If-None-Match, Last-Event-ID, Cache-Control, X-Vexil-Payload-Id",
    )
    .header("access-control-max-age", "86400")
    .status(204)
    .send();
}
