// The browser SDK's server side: per-visitor answers for either SDK key (POST /sdk/v1/evaluate and its
// stream). Expected answers come from the engine itself, evaluating the payload the server-side key
// downloads, so the browser gets exactly what a local-evaluation SDK computes.

import { createEvaluator } from "@vexil/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.js";
import { openSseStream } from "./sse-client.js";

let server: TestServer;
let serverKey = "";
let clientKey = "";
let segmentId = 0;

const variations = [
  { key: "off", name: "Off", variables: [] },
  { key: "on", name: "On", variables: [{ key: "color", value: "blue" }] },
];

function flag(featureKey: string, rules: Record<string, unknown>[]) {
  return {
    siteCode: "web",
    featureKey,
    name: featureKey,
    variables: [{ key: "color", type: "STRING", value: "grey" }],
    variations,
    environmentConfigurations: [
      { environmentKey: "production", featureEnabled: true, defaultVariationKey: "off", rolloutRules: rules },
    ],
  };
}

async function create(body: unknown): Promise<void> {
  const created = await server.request("POST", "/feature-flags", { body });
  expect(created.status, created.text).toBe(201);
}

function evaluate(body: unknown, key: string | null = clientKey, headers: Record<string, string> = {}) {
  return server.request("POST", "/sdk/v1/evaluate", {
    token: null,
    body,
    headers: { ...(key === null ? {} : { authorization: key }), ...headers },
  });
}

beforeAll(async () => {
  server = await startTestServer({ listen: true });
  expect((await server.request("POST", "/projects", { body: { key: "web", name: "Web" } })).status).toBe(201);
  const environments = await server.request("GET", "/projects/web/environments");
  const production = environments.body.find((e: { key: string }) => e.key === "production");
  serverKey = production.serverSdkKey;
  clientKey = production.clientSdkKey;
  const segment = await server.request("POST", "/segments", {
    body: {
      siteCode: "web",
      name: "France",
      condition: { attribute: "country", operator: "equals", values: ["FR"] },
    },
  });
  expect(segment.status, segment.text).toBe(201);
  segmentId = segment.body.id;
  await create(
    flag("banner", [
      { type: "TARGETED_DELIVERY", state: "ACTIVE", exposition: 100, variationKey: "on", segmentId },
    ]),
  );
  await create(
    flag("pricing", [
      {
        type: "EXPERIMENTATION",
        state: "ACTIVE",
        exposition: 100,
        trafficAllocations: [
          { variationKey: "off", exposition: 50 },
          { variationKey: "on", exposition: 50 },
        ],
      },
    ]),
  );
});

afterAll(async () => {
  await server?.close();
});

describe("POST /sdk/v1/evaluate", () => {
  it("answers every flag for the visitor as the engine does on the server-side payload", async () => {
    const config = await server.request("GET", "/sdk/v1/config", {
      token: null,
      headers: { authorization: serverKey },
    });
    const engine = createEvaluator(config.body);
    for (const visitor of [
      { code: "visitor-1", attributes: { country: "FR" } },
      { code: "visitor-2", attributes: { country: "DE" } },
      { code: "visitor-3" },
    ]) {
      const answer = await evaluate({ visitor });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.headers["access-control-allow-origin"]).toBe("*");
      expect(answer.body).toEqual({
        version: config.body.version,
        flags: JSON.parse(JSON.stringify(engine.evaluateAll(visitor))),
      });
    }
    // Rules and segments never appear: only answers.
    const text = (await evaluate({ visitor: { code: "v" } })).text;
    expect(text).not.toContain("rolloutRules");
    expect(text).not.toContain("condition");
  });

  it("answers 304 when the visitor's answers did not change", async () => {
    const first = await evaluate({ visitor: { code: "visitor-1" } });
    const etag = first.headers.etag as string;
    expect(
      (await evaluate({ visitor: { code: "visitor-1" } }, clientKey, { "if-none-match": etag })).status,
    ).toBe(304);
    // Another visitor's answers differ (the experiment split), so the tag does not match them.
    const others = await Promise.all(
      ["a", "b", "c", "d", "e", "f"].map((code) =>
        evaluate({ visitor: { code } }, clientKey, { "if-none-match": etag }),
      ),
    );
    expect(others.some((r) => r.status === 200)).toBe(true);
  });

  it("refuses bad bodies with 400 and bad keys with 401", async () => {
    expect((await evaluate({})).status).toBe(400);
    expect((await evaluate({ visitor: { code: "" } })).status).toBe(400);
    expect((await evaluate({ visitor: { code: "v", attributes: [] } })).status).toBe(400);
    expect((await evaluate({ visitor: { code: "v" } }, null)).status).toBe(401);
    expect((await evaluate({ visitor: { code: "v" } }, "0".repeat(24))).status).toBe(401);
    expect((await evaluate({ visitor: { code: "v" } }, serverKey)).status).toBe(200); // either key
  });
});

describe("POST /sdk/v1/evaluate/stream", () => {
  it("puts the visitor's answers, again when a change alters them, and nothing for other changes", async () => {
    const stream = await openSseStream(server.baseUrl, clientKey, {
      path: "/sdk/v1/evaluate/stream",
      body: { visitor: { code: "visitor-de", attributes: { country: "DE" } } },
    });
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers.get("access-control-allow-origin")).toBe("*");
      const first = await stream.next((e) => e.event === "put");
      expect(JSON.parse(first.data).flags.banner).toMatchObject({ variationKey: "off", reason: "DEFAULT" });

      // Widening the segment to Germany changes this visitor's banner.
      const widened = await server.request("PATCH", `/segments/${segmentId}`, {
        body: { condition: { attribute: "country", operator: "in", values: ["FR", "DE"] } },
        headers: { "content-type": "application/merge-patch+json" },
      });
      expect(widened.status, widened.text).toBe(200);
      const second = await stream.next((e) => e.event === "put");
      expect(JSON.parse(second.data).flags.banner).toMatchObject({
        variationKey: "on",
        reason: "TARGETING_MATCH",
      });
      expect(Number(second.id)).toBeGreaterThan(Number(first.id));

      // A change in another environment leaves this visitor's answers as they are: no event.
      const staging = await server.request("PATCH", "/feature-flags/web/banner/staging", {
        body: { featureEnabled: true },
        headers: { "content-type": "application/merge-patch+json" },
      });
      expect(staging.status, staging.text).toBe(200);
      const marker = await server.request("PATCH", "/feature-flags/web/pricing/production", {
        body: { featureEnabled: false },
        headers: { "content-type": "application/merge-patch+json" },
      });
      expect(marker.status, marker.text).toBe(200);
      const third = await stream.next((e) => e.event === "put");
      // The next put is the production change, with banner as before.
      expect(JSON.parse(third.data).flags).toMatchObject({
        banner: { variationKey: "on" },
        pricing: { reason: "DISABLED" },
      });
    } finally {
      stream.close();
    }
  });

  it("puts new answers when a release window opens, with no change made", async () => {
    const opens = new Date(Date.now() + 1500).toISOString();
    await create(
      flag("launch", [
        {
          type: "TARGETED_DELIVERY",
          state: "ACTIVE",
          exposition: 100,
          variationKey: "on",
          release: { releaseFrom: opens, timeZone: "UTC" },
        },
      ]),
    );
    const stream = await openSseStream(server.baseUrl, clientKey, {
      path: "/sdk/v1/evaluate/stream",
      body: { visitor: { code: "visitor-9" } },
    });
    try {
      const before = JSON.parse((await stream.next((e) => e.event === "put")).data);
      if (Date.now() < Date.parse(opens)) expect(before.flags.launch.variationKey).toBe("off");
      const after = await stream.next(
        (e) => e.event === "put" && JSON.parse(e.data).flags.launch.variationKey === "on",
        10_000,
      );
      expect(JSON.parse(after.data).version).toBe(before.version); // the clock moved, not the configuration
    } finally {
      stream.close();
    }
  });

  it("refuses an unknown key with 401", async () => {
    const stream = await openSseStream(server.baseUrl, "0".repeat(24), {
      path: "/sdk/v1/evaluate/stream",
      body: { visitor: { code: "v" } },
    });
    expect(stream.status).toBe(401);
    expect(stream.headers.get("access-control-allow-origin")).toBe("*");
    stream.close();
  });
});
