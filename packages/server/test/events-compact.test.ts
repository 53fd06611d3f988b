// POST /events/v1/bulk, format 2 (docs/sdk-protocol.md): events as columns, shared parts sent once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CompactBatch } from "../src/analytics/event-schema.js";
import { setupDemo } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
let serverKey: string;
let goalId: number;
const now = Date.now();

beforeAll(async () => {
  server = await startTestServer({ listen: true });
  goalId = (await setupDemo(server)).goalIds[0] as number;
  serverKey = (await server.request("GET", "/projects/demo/environments/production")).body.serverSdkKey;
});
afterAll(async () => server?.close());

const post = (body: unknown) =>
  server.request("POST", "/events/v1/bulk", { token: null, body, headers: { authorization: serverKey } });

async function storedTotal(): Promise<number> {
  const response = await server.request("GET", "/admin/events?projectKey=demo&environmentKey=production");
  return (response.body.counts as { count: number }[]).reduce((sum, row) => sum + row.count, 0);
}

/** A valid batch: `visitors` visitors exposed to compact_flag (even: off, odd: on), every third converting. */
function batch(featureKey: string, visitors: number): CompactBatch {
  const b = {
    format: 2 as const,
    visitIdPrefix: "c0ffee.",
    time: now - 60_000,
    attributes: [
      { country: "FR", custom: { plan: "pro" } },
      { country: "DE", newVisitor: true, custom: { plan: "free" } },
    ],
    exposures: {
      heads: [
        { featureKey, ruleId: 3, experimentId: 9, variationKey: "off" },
        { featureKey, ruleId: 3, experimentId: 9, variationKey: "on" },
      ],
      head: [] as number[],
      visit: [] as number[],
      visitor: [] as string[],
      time: [] as number[],
      attributes: [] as number[],
    },
    conversions: {
      visit: [] as number[],
      visitor: [] as string[],
      goal: [] as (string | number)[],
      value: [] as (number | null)[],
      time: [] as number[],
      attributes: [] as number[],
    },
  };
  for (let i = 0; i < visitors; i++) {
    const e = b.exposures;
    e.head.push(i % 2);
    e.visit.push(i);
    e.visitor.push(`compact-${featureKey}-${i}`);
    e.time.push(i);
    e.attributes.push(i % 4 === 0 ? -1 : i % 2);
    if (i % 3 === 0) {
      const c = b.conversions;
      c.visit.push(i);
      c.visitor.push(`compact-${featureKey}-${i}`);
      c.goal.push(i % 2 ? goalId : "purchase");
      c.value.push(i % 6 === 0 ? null : 10);
      c.time.push(i + 1000);
      c.attributes.push(-1);
    }
  }
  return b;
}

describe("POST /events/v1/bulk, format 2", () => {
  it("stores each row as the event it stands for: heads, visit ids, attribute sets and times", async () => {
    const visitors = 600;
    const response = await post(batch("compact_flag", visitors));
    expect(response.status).toBe(202);
    // 600 exposures + every third visitor converts: 200 conversions.
    expect(response.body).toEqual({ accepted: 800, duplicate: false });
    const query = {
      projectKey: "demo",
      environmentKey: "production",
      featureKey: "compact_flag",
      goalId,
      conversionType: "ALL_CONVERSION" as const,
    };
    const byVisit = await server.context.analytics.aggregate({ ...query, unit: "visit" });
    const rows = Object.fromEntries(byVisit.rows.map((r) => [r.variationKey, r]));
    // Expected from batch(): even visitors see "off", odd "on"; visitors 0, 3, 6... convert, so 100 of each
    // half; values: null (counted as 1) when i % 6 === 0 (every even converter), else 10.
    expect(rows.off).toMatchObject({ units: 300, visits: 300, visitors: 300, convertedUnits: 100, sum: 100 });
    expect(rows.on).toMatchObject({ units: 300, visits: 300, visitors: 300, convertedUnits: 100, sum: 1000 });
    // Attribute sets: odd visitors carry set 1 (plan free); even ones set 0 (plan pro) unless i % 4 === 0 (none).
    const byPlan = await server.context.analytics.aggregate({
      ...query,
      unit: "visitor",
      breakdown: { type: "CUSTOM_DATUM", customKey: "plan" },
    });
    const units = Object.fromEntries(
      byPlan.rows.map((r) => [`${r.variationKey}/${r.breakdownValue}`, r.units]),
    );
    expect(units).toEqual({ "off/pro": 150, "off/null": 150, "on/free": 300 });
  });

  it("keeps texts as sent: tabs, newlines, carriage returns, backslashes and quotes", async () => {
    // Each awkward text is a visitor code and that visitor's custom attribute: stored and read back unchanged,
    // and no two of them (e.g. a tab and a backslash-t) end up as one.
    const texts = ["t\tab", "t\\tab", "n\nl", "c\r\n", 'q"\\"', "\\N", "plain"];
    const b = batch("compact_texts", 0);
    b.attributes = texts.map((text) => ({ country: text, custom: { k: text } }));
    const e = b.exposures!;
    texts.forEach((text, i) => {
      e.head.push(0);
      e.visit.push(i);
      e.visitor.push(text);
      e.time.push(i);
      e.attributes.push(i);
    });
    expect((await post(b)).status).toBe(202);
    const result = await server.context.analytics.aggregate({
      projectKey: "demo",
      environmentKey: "production",
      featureKey: "compact_texts",
      goalId,
      unit: "visitor",
      conversionType: "ALL_CONVERSION",
      breakdown: { type: "CUSTOM_DATUM", customKey: "k" },
    });
    expect(result.rows.map((r) => [r.breakdownValue, r.units]).sort()).toEqual(
      texts.map((t) => [t, 1]).sort(),
    );
  });

  it("refuses bad rows naming each event's index (exposures first) and field, and stores nothing", async () => {
    const before = await storedTotal();
    const bad = batch("compact_bad", 6); // 6 exposures (indexes 0-5), 2 conversions (6, 7)
    bad.exposures!.visitor[1] = "";
    bad.exposures!.head[2] = 7;
    bad.exposures!.time[3] = -400 * 86_400_000;
    bad.conversions!.goal[1] = "no-such-goal";
    const response = await post(bad);
    expect(response.status).toBe(400);
    const errors = response.body.errors as { index: number; message: string }[];
    expect(errors.map((e) => e.index)).toEqual([1]);
    expect(errors[0]!.message).toMatch(/^exposures\.visitor\[1\]/);

    bad.exposures!.visitor[1] = "fixed";
    const rows = await post(bad);
    expect(rows.status).toBe(400);
    expect(
      (rows.body.errors as { index: number; message: string }[]).map((e) => [e.index, e.message]),
    ).toEqual([
      [2, "exposures.head[2] names no entry of exposures.heads"],
      [3, expect.stringMatching(/time must be within the last year/)],
      [7, "goal 'no-such-goal' does not exist in project 'demo'"],
    ]);
    expect(await storedTotal()).toBe(before);
  });

  it("refuses a batch whose columns disagree or that carries fields it does not define", async () => {
    const uneven = batch("compact_uneven", 4);
    uneven.exposures!.visit.pop();
    const response = await post(uneven);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { index: -1, message: "exposures.visit has 3 rows, exposures.head 4" },
    ]);

    const extra = { ...batch("compact_extra", 2), compression: "gzip" };
    const refused = await post(extra);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]).toMatchObject({
      index: -1,
      message: "compression is not a known field",
    });

    expect((await post({ format: 3 })).status).toBe(400);
  });

  it("answers 413 past 10,000 events", async () => {
    const big = batch("compact_big", 7_000); // 7,000 exposures and 2,334 conversions
    const response = await post(big);
    expect(response.status).toBe(202);
    big.exposures!.visitor.push(...big.exposures!.visitor.slice(0, 1_001));
    expect((await post(big)).status).toBe(413);
  });
});
