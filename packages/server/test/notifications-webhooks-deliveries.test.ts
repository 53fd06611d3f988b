import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { generateToken } from "../src/auth/tokens.store.js";
import { resolveConfig } from "../src/config.js";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import { WEBHOOK_DELIVERY_KIND } from "../src/notifications/webhook-outbox.js";
import { type OpenedServer, openServer } from "../src/server.js";
import { createFlag, type J } from "./fixtures/flag-test-helpers.js";
import {
  clock,
  createWebhook,
  deliveries,
  receiver,
  server,
  useWebhooksServer,
  waitUntil,
} from "./fixtures/webhooks.js";
import { startTestServer, storageOutlivingServers, testDatabaseKind } from "./harness.js";

// LaunchDarkly's webhooks over Vexil's notifications, continued from notifications-webhooks.test.ts: what is
// delivered (signed bodies, retries, the deliveries list) and that deliveries survive a restart.

useWebhooksServer();

describe(`webhook deliveries (${testDatabaseKind})`, () => {
  let signed: J;

  it("POSTs every flag change, signed with the webhook's secret (X-LD-Signature and X-Vexil-Signature)", async () => {
    signed = await createWebhook({
      url: receiver.url("/signed"),
      secret: "s3cret",
      sign: true,
      statements: [{ effect: "allow", resources: ["proj/demo:env/*:flag/*"], actions: ["*"] }],
    });
    const flag = await createFlag(server, { featureKey: "signed_flag", name: "Signed flag" });
    await waitUntil(() => receiver.at("/signed").length >= 1, "the create delivery");
    const first = receiver.at("/signed")[0]!;
    const hex = createHmac("sha256", "s3cret").update(first.body).digest("hex");
    expect(first.headers["x-ld-signature"]).toBe(hex);
    expect(first.headers["x-vexil-signature"]).toBe(`sha256=${hex}`);
    expect(first.headers["content-type"]).toBe("application/json");
    const event = JSON.parse(first.body);
    expect(String(event.timestamp)).toBe(first.headers["x-vexil-timestamp"]);
    expect(event).toMatchObject({
      kind: "flag",
      name: "Signed flag",
      date: clock,
      titleVerb: "created the flag",
      projectKey: "demo",
      featureKey: "signed_flag",
      flagId: flag.id,
      action: "flag.create",
      before: null,
      after: { featureKey: "signed_flag", version: 1 },
      target: { name: "Signed flag" },
    });
    expect(event.environmentKeys.sort()).toEqual(["development", "production", "staging"]);
    expect(event.accesses).toContainEqual({
      action: "createFlag",
      resource: "proj/demo:env/production:flag/signed_flag",
    });
    expect(event.actor).toMatch(/^token:\d+:/);
    // The event id is the audit entry's.
    const audit = await server.request("GET", `/audit-log?resourceType=feature-flag&resourceId=${flag.id}`);
    expect(event._id).toBe(String(audit.body.items[0].id));

    // Turning the flag on in production: an updateOn access on that environment only.
    const toggled = await server.request("PATCH", "/feature-flags/demo/signed_flag/production", {
      body: { featureEnabled: true },
    });
    expect(toggled.status, toggled.text).toBe(200);
    await waitUntil(() => receiver.at("/signed").length >= 2, "the toggle delivery");
    const second = receiver.at("/signed")[1]!;
    expect(second.headers["x-ld-signature"]).toBe(
      createHmac("sha256", "s3cret").update(second.body).digest("hex"),
    );
    const toggle = JSON.parse(second.body);
    expect(toggle).toMatchObject({
      action: "flag.update-environment",
      titleVerb: "updated the flag",
      environmentKeys: ["production"],
      accesses: [{ action: "updateOn", resource: "proj/demo:env/production:flag/signed_flag" }],
      before: { version: 1 },
      after: { version: 2 },
    });
    expect(toggle.description).toContain("Turned the flag on in `production`");
    // A body changed in transit no longer verifies.
    const tampered = second.body.replace('"production"', '"staging"');
    expect(createHmac("sha256", "s3cret").update(tampered).digest("hex")).not.toBe(
      second.headers["x-ld-signature"],
    );

    const log = await deliveries(signed._id);
    expect(log.totalCount).toBe(2);
    expect(log.items[0]).toMatchObject({
      status: "DELIVERED",
      attempts: 1,
      responseStatus: 200,
      error: null,
      deliveredAt: clock,
      event: {
        kind: "flag",
        action: "flag.update-environment",
        projectKey: "demo",
        featureKey: "signed_flag",
      },
    });
    expect(log.items[1].event.action).toBe("flag.create");
    expect(second.headers["x-vexil-delivery"]).toBe(log.items[0]._id);
  });

  it("sends unsigned requests when sign is false; a deleted flag is a deleteFlag event", async () => {
    const plain = await createWebhook({
      url: receiver.url("/plain"),
      statements: [{ effect: "allow", resources: ["proj/demo:env/*:flag/plain_*"], actions: ["*"] }],
    });
    await createFlag(server, { featureKey: "plain_flag", name: "Plain" });
    await waitUntil(() => receiver.at("/plain").length >= 1, "the unsigned delivery");
    const delivery = receiver.at("/plain")[0]!;
    expect(delivery.headers).not.toHaveProperty("x-ld-signature");
    expect(delivery.headers).not.toHaveProperty("x-vexil-signature");
    expect(JSON.parse(delivery.body).featureKey).toBe("plain_flag");

    expect((await server.request("DELETE", "/feature-flags/demo/plain_flag")).status).toBe(204);
    await waitUntil(() => receiver.at("/plain").length >= 2, "the delete delivery");
    const deleted = JSON.parse(receiver.at("/plain")[1]!.body);
    expect(deleted).toMatchObject({
      action: "flag.delete",
      titleVerb: "deleted the flag",
      featureKey: "plain_flag",
      before: { featureKey: "plain_flag" },
      after: null,
    });
    expect(deleted.accesses).toContainEqual({
      action: "deleteFlag",
      resource: "proj/demo:env/staging:flag/plain_flag",
    });
    expect(deleted._links).not.toHaveProperty("canonical");
    await server.request("DELETE", `/api/v2/webhooks/${plain._id}`);
  });

  it("fires only for changes its statements allow: project, environment, flag and action patterns, deny wins", async () => {
    const production = await createWebhook({
      url: receiver.url("/production"),
      statements: [{ effect: "allow", resources: ["proj/demo:env/production:flag/*"], actions: ["*"] }],
    });
    const toggles = await createWebhook({
      url: receiver.url("/toggles"),
      statements: [
        { effect: "allow", resources: ["proj/*:env/*:flag/*"], actions: ["updateOn"] },
        { effect: "deny", resources: ["proj/*:env/*:flag/secret-*"], actions: ["*"] },
      ],
    });
    // Another project: neither fires.
    const created = await server.request("POST", "/feature-flags", {
      body: { siteCode: "other", featureKey: "elsewhere", name: "Elsewhere" },
    });
    expect(created.status, created.text).toBe(201);
    await server.request("PATCH", "/feature-flags/other/elsewhere/staging", {
      body: { featureEnabled: true },
    });
    // demo: a change in staging only reaches the toggles hook (updateOn in any environment).
    await createFlag(server, { featureKey: "scoped", name: "Scoped" });
    await server.request("PATCH", "/feature-flags/demo/scoped/staging", { body: { featureEnabled: true } });
    // demo production: both.
    await server.request("PATCH", "/feature-flags/demo/scoped/production", {
      body: { featureEnabled: true },
    });
    // A denied flag: only the production hook.
    await createFlag(server, { featureKey: "secret-plan", name: "Secret" });
    await server.request("PATCH", "/feature-flags/demo/secret-plan/production", {
      body: { featureEnabled: true },
    });
    // A flag-level change (the name) touches every environment: the production hook, not the toggles one.
    await server.request("PATCH", "/feature-flags/demo/scoped", { body: { name: "Scoped (renamed)" } });

    // Deliveries are queued in the change's transaction, so the log is complete when the request returns.
    const productionLog = await deliveries(production._id);
    expect(productionLog.items.map((d: J) => `${d.event.featureKey} ${d.event.action}`).reverse()).toEqual([
      "scoped flag.create",
      "scoped flag.update-environment",
      "secret-plan flag.create",
      "secret-plan flag.update-environment",
      "scoped flag.update",
    ]);
    const togglesLog = await deliveries(toggles._id);
    expect(togglesLog.items.map((d: J) => d.event.featureKey).reverse()).toEqual([
      "elsewhere",
      "scoped",
      "scoped",
    ]);
    expect(togglesLog.items.every((d: J) => d.event.action === "flag.update-environment")).toBe(true);
    await waitUntil(() => receiver.at("/toggles").length >= 3, "the toggles deliveries");
    // Deliveries run concurrently: compare without order.
    const heard = receiver.at("/toggles").map((r) => JSON.parse(r.body));
    expect(heard.map((e) => `${e.featureKey} ${e.environmentKeys.join()}`).sort()).toEqual([
      "elsewhere staging",
      "scoped production",
      "scoped staging",
    ]);
    for (const hook of [production, toggles, signed])
      await server.request("DELETE", `/api/v2/webhooks/${hook._id}`);
  });

  it("retries a receiver that fails (500, 500, then 200) with backoff; the log shows each attempt", async () => {
    const flaky = await createWebhook({ url: receiver.url("/flaky"), secret: "k" });
    receiver.answers.set("/flaky", [500, 500]);
    await createFlag(server, { featureKey: "flaky_flag", name: "Flaky" });
    const log = await deliveries(flaky._id);
    expect(log.items).toHaveLength(1);
    const id = log.items[0]._id as string;
    const jobAfter = async (attempts: number) => {
      await waitUntil(async () => {
        const job = await server.context.jobs.find(WEBHOOK_DELIVERY_KIND, id);
        return job?.status === "PENDING" && job.attempts === attempts;
      }, `attempt ${attempts} to be rescheduled`);
    };

    await jobAfter(1);
    expect((await deliveries(flaky._id)).items[0]).toMatchObject({
      status: "PENDING",
      attempts: 1,
      responseStatus: 500,
      error: "webhook answered HTTP 500",
      nextAttemptAt: clock + 10_000,
      deliveredAt: null,
    });
    // The retry waits 10 s on the server's clock: make it due now.
    expect(await server.context.jobs.runNow(WEBHOOK_DELIVERY_KIND, id)).toBe(1);
    await jobAfter(2);
    expect((await deliveries(flaky._id)).items[0]).toMatchObject({
      status: "PENDING",
      attempts: 2,
      responseStatus: 500,
      nextAttemptAt: clock + 20_000,
    });
    await server.context.jobs.runNow(WEBHOOK_DELIVERY_KIND, id);
    await waitUntil(async () => (await deliveries(flaky._id)).items[0].status === "DELIVERED", "DELIVERED");
    expect((await deliveries(flaky._id)).items[0]).toMatchObject({
      status: "DELIVERED",
      attempts: 3,
      responseStatus: 200,
      error: null,
      nextAttemptAt: null,
    });
    const attempts = receiver.at("/flaky");
    expect(attempts).toHaveLength(3);
    // The same delivery every time (receivers deduplicate on it), each attempt signed anew.
    expect(new Set(attempts.map((a) => a.headers["x-vexil-delivery"]))).toEqual(new Set([id]));
    for (const attempt of attempts) {
      expect(attempt.headers["x-ld-signature"]).toBe(
        createHmac("sha256", "k").update(attempt.body).digest("hex"),
      );
    }
    // Paging: newest first, limit/offset with links.
    await createFlag(server, { featureKey: "flaky_flag_2", name: "Flaky 2" });
    const page = await deliveries(flaky._id, "?limit=1&offset=0");
    expect(page.totalCount).toBe(2);
    expect(page.items).toHaveLength(1);
    expect(page.items[0].event.featureKey).toBe("flaky_flag_2");
    expect(page._links.next.href).toBe(`/api/v2/webhooks/${flaky._id}/deliveries?limit=1&offset=1`);
    const second = await server.request("GET", page._links.next.href);
    expect(second.body.items[0].event.featureKey).toBe("flaky_flag");
    await server.request("DELETE", `/api/v2/webhooks/${flaky._id}`);
  });

  it("gives up after the retry window and marks the delivery FAILED", async () => {
    receiver.answers.set("/down", Array(50).fill(503));
    const shortWindow = await startTestServer({
      now: () => clock,
      env: {
        VEXIL_CALLBACK_ALLOW_PRIVATE: "true",
        VEXIL_JOBS_POLL_MS: "50",
        VEXIL_NOTIFICATION_RETRY_HOURS: "0",
      },
    });
    try {
      await ensureDemoProject(shortWindow.context);
      const hook = await shortWindow.request("POST", "/api/v2/webhooks", {
        body: { url: receiver.url("/down") },
      });
      await createFlag(shortWindow, { featureKey: "down_flag", name: "Down" });
      await waitUntil(async () => {
        const log = await shortWindow.request("GET", `/api/v2/webhooks/${hook.body._id}/deliveries`);
        return log.body.items[0]?.status === "FAILED";
      }, "FAILED");
      const log = await shortWindow.request("GET", `/api/v2/webhooks/${hook.body._id}/deliveries`);
      expect(log.body.items[0]).toMatchObject({
        status: "FAILED",
        attempts: 1,
        responseStatus: 503,
        error: "webhook answered HTTP 503",
        nextAttemptAt: null,
      });
    } finally {
      await shortWindow.close();
    }
  });

  it("does not fire a disabled webhook (on: false) until it is turned on", async () => {
    const off = await createWebhook({ url: receiver.url("/off"), on: false });
    expect(off.on).toBe(false);
    await createFlag(server, { featureKey: "quiet", name: "Quiet" });
    expect((await deliveries(off._id)).totalCount).toBe(0);
    const on = await server.request("PATCH", `/api/v2/webhooks/${off._id}`, {
      body: [{ op: "replace", path: "/on", value: true }],
    });
    expect(on.body.on).toBe(true);
    await server.request("PATCH", "/feature-flags/demo/quiet", { body: { description: "now heard" } });
    await waitUntil(() => receiver.at("/off").length === 1, "the delivery once on");
    const event = JSON.parse(receiver.at("/off")[0]!.body);
    expect(event.accesses.map((a: J) => a.action)).toContain("updateDescription");
    expect((await deliveries(off._id)).totalCount).toBe(1);
    await server.request("DELETE", `/api/v2/webhooks/${off._id}`);
  });
});

describe(`webhook durability (${testDatabaseKind})`, () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });

  async function open(
    storage: { dataDir: string; databaseUrl: string | undefined },
    env: Record<string, string>,
  ) {
    const adminToken = generateToken();
    const config = resolveConfig(
      { ...storage, port: 0 },
      { VEXIL_ADMIN_TOKEN: adminToken, VEXIL_LOG_LEVEL: "error", VEXIL_JOBS_POLL_MS: "50", ...env },
    );
    const opened: OpenedServer = await openServer(config, { logger: { level: "error" }, now: () => clock });
    let closed = false;
    const close = async () => {
      if (!closed) await opened.close();
      closed = true;
    };
    cleanups.push(close);
    const request = async (method: string, url: string, body?: unknown) => {
      const response = await opened.app.inject({
        method: method as "GET",
        url,
        headers: {
          authorization: adminToken,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
    };
    return { server: opened, request, close };
  }

  it("keeps queued deliveries across a restart and delivers them once a worker runs", async () => {
    const storage = await storageOutlivingServers("vexil-webhooks-restart", cleanups);
    // No worker in the first process: nothing can be delivered before it stops.
    const first = await open(storage, { VEXIL_JOBS_CONCURRENCY: "0", VEXIL_CALLBACK_ALLOW_PRIVATE: "true" });
    await ensureDemoProject(first.server.context);
    const durable = await first.request("POST", "/api/v2/webhooks", {
      url: receiver.url("/durable"),
      secret: "d",
    });
    const switchedOff = await first.request("POST", "/api/v2/webhooks", {
      url: receiver.url("/switched-off"),
    });
    const refused = await first.request("POST", "/api/v2/webhooks", {
      url: receiver.url("/refused", "localhost"),
    });
    for (const hook of [durable, switchedOff, refused]) expect(hook.status).toBe(200);
    const created = await first.request("POST", "/feature-flags", {
      siteCode: "demo",
      featureKey: "durable_flag",
      name: "Durable",
    });
    expect(created.status).toBe(201);
    // Committed with the change: one log row and one job per webhook, waiting.
    const rows = await first.server.context.db
      .selectFrom("webhook_deliveries")
      .select(["id", "status"])
      .execute();
    expect(rows.map((r) => r.status)).toEqual(["PENDING", "PENDING", "PENDING"]);
    for (const row of rows) {
      expect((await first.server.context.jobs.find(WEBHOOK_DELIVERY_KIND, String(row.id)))?.status).toBe(
        "PENDING",
      );
    }
    const off = await first.request("PATCH", `/api/v2/webhooks/${switchedOff.body._id}`, [
      { op: "replace", path: "/on", value: false },
    ]);
    expect(off.body.on).toBe(false);
    await first.close();
    expect(receiver.at("/durable")).toHaveLength(0);

    // The next process runs a worker; it trusts 127.0.0.1 by name but not what localhost resolves to.
    const second = await open(storage, { VEXIL_CALLBACK_ALLOWED_HOSTS: "127.0.0.1" });
    const logOf = async (hook: { body: J }) =>
      (await second.request("GET", `/api/v2/webhooks/${hook.body._id}/deliveries`)).body.items[0];
    await waitUntil(async () => (await logOf(durable)).status === "DELIVERED", "the durable delivery");
    expect(receiver.at("/durable")).toHaveLength(1);
    const event = JSON.parse(receiver.at("/durable")[0]!.body);
    expect(event).toMatchObject({ featureKey: "durable_flag", action: "flag.create" });
    expect(receiver.at("/durable")[0]!.headers["x-ld-signature"]).toBe(
      createHmac("sha256", "d").update(receiver.at("/durable")[0]!.body).digest("hex"),
    );
    // Turned off before it was sent: not sent, and the log says why.
    await waitUntil(async () => (await logOf(switchedOff)).status === "FAILED", "the switched-off delivery");
    expect(await logOf(switchedOff)).toMatchObject({
      attempts: 0,
      error: "the webhook was turned off before delivery",
    });
    // A target the policy now refuses: failed at once, never retried.
    await waitUntil(async () => (await logOf(refused)).status === "FAILED", "the refused delivery");
    expect(await logOf(refused)).toMatchObject({ attempts: 1, responseStatus: null, nextAttemptAt: null });
    expect((await logOf(refused)).error).toMatch(/private, loopback or link-local/);
    expect(receiver.at("/switched-off")).toHaveLength(0);
    expect(receiver.at("/refused")).toHaveLength(0);
  });
});
