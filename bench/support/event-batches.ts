/** Bulk bodies of `size` events (70 % exposures, 30 % conversions), pre-serialised so senders spend no CPU. */
export function eventBatches(count: number, size: number, goal: string): string[] {
  const now = Date.now();
  const batches: string[] = [];
  for (let b = 0; b < count; b++) {
    const events: unknown[] = [];
    for (let i = 0; i < size; i++) {
      const visitorCode = `bench-${b}-${Math.floor(i / 2)}`;
      const common = { visitorCode, visitId: `${visitorCode}-1`, time: now - 60_000 + i };
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
              },
            }
          : { kind: "conversion", ...common, goal, value: 10 + (i % 7) },
      );
    }
    batches.push(JSON.stringify(events));
  }
  return batches;
}

/** Posts one batch; answers the HTTP status and, when the server asks to wait, how long. */
export async function postBatch(
  baseUrl: string,
  sdkKey: string,
  body: string,
  payloadId: string,
): Promise<{ status: number; retryAfterMs: number }> {
  const response = await fetch(`${baseUrl}/events/v1/bulk`, {
    method: "POST",
    headers: { authorization: sdkKey, "content-type": "application/json", "x-vexil-payload-id": payloadId },
    body,
  });
  await response.arrayBuffer();
  return { status: response.status, retryAfterMs: Number(response.headers.get("retry-after") ?? 0) * 1000 };
}
