import http from "node:http";

/**
 * Bulk bodies of `size` events (70 % exposures, 30 % conversions, each with 3 custom attributes), serialised and UTF-8 encoded once so
 * senders spend no CPU on them: each send reuses a body and varies only its payload id (a header).
 */
export function eventBatches(count: number, size: number, goal: string): Buffer[] {
  const now = Date.now();
  const batches: Buffer[] = [];
  for (let b = 0; b < count; b++) {
    const events: unknown[] = [];
    for (let i = 0; i < size; i++) {
      const visitorCode = `bench-${b}-${Math.floor(i / 2)}`;
      const common = { visitorCode, visitId: `${visitorCode}-1`, time: now - 60_000 + i };
      // As real traffic: built-in attributes and 3 custom ones (a string, a number, a boolean) on both kinds.
      const custom = { plan: i % 3 ? "pro" : "free", cohort: 2025 + (i % 4), beta: i % 5 === 0 };
      events.push(
        i % 10 < 7
          ? {
              kind: "exposure",
              ...common,
              featureKey: "bench_flag",
              ruleId: 1,
              experimentId: 1,
              variationKey: i % 2 ? "on" : "off",
              attributes: {
                browser: "Chrome",
                deviceType: "Desktop",
                os: "Linux",
                country: "FR",
                newVisitor: true,
                custom,
              },
            }
          : {
              kind: "conversion",
              ...common,
              goal,
              value: 10 + (i % 7),
              attributes: { country: "FR", custom },
            },
      );
    }
    batches.push(Buffer.from(JSON.stringify(events)));
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
