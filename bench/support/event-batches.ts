import http from "node:http";
import { attributesJson } from "../../packages/sdk/src/attribute-texts.js";
import { EventRows } from "../../packages/sdk/src/event-rows.js";

/**
 * Bulk bodies of `size` events (70 % exposures, 30 % conversions, each with 3 custom attributes), serialised and
 * UTF-8 encoded once so senders spend no CPU on them: each send reuses a body and varies only its payload id (a
 * header). Format 1: an array of event objects; format 2: the same events as the SDK sends them (its own encoder,
 * packages/sdk/src/event-rows.ts: columns, heads and attribute sets once per batch).
 */
export function eventBatches(count: number, size: number, goal: string, format: 1 | 2 = 1): Buffer[] {
  const now = Date.now();
  const batches: Buffer[] = [];
  const head = (variationKey: string) => ({
    featureKey: "bench_flag",
    ruleId: 1,
    experimentId: 1,
    variationKey,
  });
  const heads = { on: head("on"), off: head("off") };
  for (let b = 0; b < count; b++) {
    const events: unknown[] = [];
    const queued = new EventRows();
    for (let i = 0; i < size; i++) {
      const visitorCode = `bench-${b}-${Math.floor(i / 2)}`;
      const time = now - 60_000 + i;
      const common = { visitorCode, visitId: `${visitorCode}-1`, time };
      // As real traffic: built-in attributes and 3 custom ones (a string, a number, a boolean) on both kinds.
      const custom = { plan: i % 3 ? "pro" : "free", cohort: 2025 + (i % 4), beta: i % 5 === 0 };
      const exposed = i % 10 < 7;
      const builtIns = exposed
        ? { browser: "Chrome", deviceType: "Desktop", os: "Linux", country: "FR", newVisitor: true }
        : { country: "FR" };
      const variationKey = i % 2 ? "on" : "off";
      const value = 10 + (i % 7);
      events.push(
        exposed
          ? { kind: "exposure", ...common, ...head(variationKey), attributes: { ...builtIns, custom } }
          : { kind: "conversion", ...common, goal, value, attributes: { ...builtIns, custom } },
      );
      const attributes = attributesJson({ ...builtIns, ...custom });
      const visit = b * size + Math.floor(i / 2);
      if (exposed) queued.push(heads[variationKey], visit, visitorCode, time, attributes);
      else queued.push(null, visit, visitorCode, time, attributes, goal, value);
    }
    batches.push(
      Buffer.from(format === 1 ? JSON.stringify(events) : queued.take(size).body("bench.").join("")),
    );
  }
  return batches;
}

// One keep-alive agent for every sender: node:http with a reused Buffer costs the client far less CPU than
// fetch (undici) re-encoding a string body, and the client shares the cores with the server it measures.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** Posts one batch; answers the HTTP status and, when the server asks to wait, how long. */
export function postBatch(
  baseUrl: string,
  sdkKey: string,
  body: Buffer,
  payloadId: string,
): Promise<{ status: number; retryAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${baseUrl}/events/v1/bulk`,
      {
        method: "POST",
        agent,
        headers: {
          authorization: sdkKey,
          "content-type": "application/json",
          "content-length": body.length,
          "x-vexil-payload-id": payloadId,
        },
      },
      (response) => {
        response.on("data", () => {});
        response.on("error", reject);
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            retryAfterMs: Number(response.headers["retry-after"] ?? 0) * 1000,
          }),
        );
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}
