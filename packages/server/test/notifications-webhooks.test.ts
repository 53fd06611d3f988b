import { describe, expect, it } from "vitest";
import { type J, tokenWith } from "./fixtures/flag-test-helpers.js";
import {
  createWebhook,
  expectLaunchDarklyError,
  receiver,
  server,
  useWebhooksServer,
} from "./fixtures/webhooks.js";
import { startTestServer, testDatabaseKind } from "./harness.js";

// LaunchDarkly's webhooks API over Vexil's notifications: the resource (create, read, change, delete, roles)
// and its targets. Deliveries and durability: notifications-webhooks-deliveries.test.ts.

useWebhooksServer();

describe(`webhooks resource (${testDatabaseKind})`, () => {
  it("creates, lists, reads, patches and deletes a webhook as LaunchDarkly's API does", async () => {
    const created = await createWebhook({
      url: receiver.url("/crud"),
      sign: true,
      on: true,
      name: "Audit sink",
      tags: ["ops"],
      statements: [{ effect: "allow", resources: ["proj/demo:env/*:flag/*"], actions: ["*"] }],
    });
    expect(created).toMatchObject({
      _id: expect.any(String),
      name: "Audit sink",
      url: receiver.url("/crud"),
      sign: true,
      on: true,
      tags: ["ops"],
      statements: [{ effect: "allow", resources: ["proj/demo:env/*:flag/*"], actions: ["*"] }],
    });
    // sign without a secret: one is generated, and shown to admins.
    expect(created.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(created._links.self.href).toBe(`/api/v2/webhooks/${created._id}`);

    const list = await server.request("GET", "/api/v2/webhooks");
    expect(list.status).toBe(200);
    expect(list.body.totalCount).toBe(list.body.items.length);
    expect(list.body.items.map((w: J) => w._id)).toContain(created._id);
    expect(list.body._links.self.href).toBe("/api/v2/webhooks");

    const patched = await server.request("PATCH", `/api/v2/webhooks/${created._id}`, {
      body: [
        { op: "replace", path: "/name", value: "Renamed" },
        { op: "replace", path: "/on", value: false },
        { op: "add", path: "/tags/-", value: "audit" },
      ],
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ name: "Renamed", on: false, tags: ["ops", "audit"] });
    expect(patched.body.secret).toBe(created.secret);

    // Readers see webhooks but not the secret; only admins change them.
    const reader = await tokenWith(server, "reader");
    const asReader = await server.request("GET", `/api/v2/webhooks/${created._id}`, { token: reader });
    expect(asReader.status).toBe(200);
    expect(asReader.body.name).toBe("Renamed");
    expect(asReader.body).not.toHaveProperty("secret");
    const writer = await tokenWith(server, "writer");
    expectLaunchDarklyError(
      await server.request("POST", "/api/v2/webhooks", { token: writer, body: { url: receiver.url("/x") } }),
      403,
    );
    // Webhooks span projects: a project-scoped token may not touch them.
    const scoped = await tokenWith(server, "admin", "demo");
    expectLaunchDarklyError(
      await server.request("GET", "/api/v2/webhooks", { token: scoped }),
      403,
      /scoped to project 'demo'/,
    );

    const deleted = await server.request("DELETE", `/api/v2/webhooks/${created._id}`);
    expect(deleted.status).toBe(204);
    expectLaunchDarklyError(await server.request("GET", `/api/v2/webhooks/${created._id}`), 404, /not found/);
    const audit = await server.request("GET", "/audit-log?resourceType=webhook");
    expect(audit.body.items.map((e: J) => e.action)).toEqual([
      "webhook.delete",
      "webhook.update",
      "webhook.create",
    ]);
    expect(JSON.stringify(audit.body.items)).not.toContain(created.secret);
  });

  it("answers 400 naming the field for bad bodies, 404 for unknown webhooks, 405 for other methods", async () => {
    const post = (body: unknown) => server.request("POST", "/api/v2/webhooks", { body });
    expectLaunchDarklyError(
      await post({ sign: false, on: true }),
      400,
      /body must have required property 'url'/,
    );
    expectLaunchDarklyError(
      await post({ url: "not a url" }),
      400,
      /body\.url must be an absolute http\(s\) URL/,
    );
    expectLaunchDarklyError(
      await post({ url: "ftp://example.com/hook" }),
      400,
      /body\.url must use http or https/,
    );
    expectLaunchDarklyError(await post({ url: receiver.url("/x"), color: "red" }), 400, /body .*'color'/);
    expectLaunchDarklyError(await post({ url: receiver.url("/x"), sign: "maybe" }), 400, /body\.sign/);
    const statement = (extra: Record<string, unknown>) => ({
      url: receiver.url("/x"),
      statements: [{ effect: "allow", resources: ["proj/*:env/*:flag/*"], actions: ["*"], ...extra }],
    });
    expectLaunchDarklyError(await post(statement({ effect: "maybe" })), 400, /body\.statements\.0\.effect/);
    expectLaunchDarklyError(
      await post(statement({ resources: ["proj/demo"] })),
      400,
      /body\.statements\.0\.resources\.0: 'proj\/demo' names a project .*flag changes only/,
    );
    expectLaunchDarklyError(
      await post(statement({ resources: ["proj/*:env/*:segment/*"] })),
      400,
      /body\.statements\.0\.resources\.0: .* is not a flag resource/,
    );
    expectLaunchDarklyError(
      await post(statement({ resources: ["proj/*:env/production;critical:flag/*"] })),
      400,
      /tag specifiers/,
    );
    expectLaunchDarklyError(
      await post(statement({ actions: ["updateOn", "launchRockets"] })),
      400,
      /body\.statements\.0\.actions\.1: 'launchRockets' matches no supported action/,
    );
    expectLaunchDarklyError(
      await post(statement({ notResources: ["proj/demo:env/*:flag/*"] })),
      400,
      /body\.statements\.0 must have exactly one of 'resources' and 'notResources'/,
    );
    expectLaunchDarklyError(
      await post({
        url: receiver.url("/x"),
        statements: [{ effect: "allow", resources: ["proj/*:env/*:flag/*"] }],
      }),
      400,
      /exactly one of 'actions' and 'notActions'/,
    );

    for (const id of ["999999", "abc"]) {
      expectLaunchDarklyError(
        await server.request("GET", `/api/v2/webhooks/${id}`),
        404,
        /Webhook '.*' not found/,
      );
      expectLaunchDarklyError(
        await server.request("PATCH", `/api/v2/webhooks/${id}`, {
          body: [{ op: "replace", path: "/on", value: false }],
        }),
        404,
      );
      expectLaunchDarklyError(await server.request("DELETE", `/api/v2/webhooks/${id}`), 404);
      expectLaunchDarklyError(await server.request("GET", `/api/v2/webhooks/${id}/deliveries`), 404);
    }

    const hook = await createWebhook({ url: receiver.url("/x") });
    const patch = (body: unknown) => server.request("PATCH", `/api/v2/webhooks/${hook._id}`, { body });
    expectLaunchDarklyError(
      await patch([{ op: "replace", path: "/_id", value: "1" }]),
      400,
      /cannot be changed/,
    );
    expectLaunchDarklyError(
      await patch([{ op: "replace", path: "/url", value: "nope" }]),
      400,
      /webhook\.url/,
    );
    expectLaunchDarklyError(await patch([{ op: "replace", path: "/on", value: "yes" }]), 400, /webhook\.on/);
    expectLaunchDarklyError(
      await patch([
        { op: "add", path: "/statements", value: [{ effect: "allow", resources: ["x"], actions: ["*"] }] },
      ]),
      400,
      /webhook\.statements\.0\.resources\.0/,
    );
    expectLaunchDarklyError(await patch([{ op: "remove", path: "/missing" }]), 400);
    expectLaunchDarklyError(await server.request("PUT", `/api/v2/webhooks/${hook._id}`, { body: {} }), 405);
    expectLaunchDarklyError(
      await server.request("GET", `/api/v2/webhooks/${hook._id}/deliveries?limit=0`),
      400,
      /querystring\.limit/,
    );
    // Nothing above changed it.
    const after = await server.request("GET", `/api/v2/webhooks/${hook._id}`);
    expect(after.body).toMatchObject({ url: receiver.url("/x"), on: true, sign: false, statements: [] });
    expect(after.body).not.toHaveProperty("secret");
    await server.request("DELETE", `/api/v2/webhooks/${hook._id}`);
  });
});

describe(`webhook targets (${testDatabaseKind})`, () => {
  it("refuses private and loopback URLs unless configuration allows them", async () => {
    const strict = await startTestServer();
    try {
      for (const url of [
        receiver.url("/x"),
        "http://10.0.0.8/hook",
        "http://[::1]:9/hook",
        "http://localhost:9/h",
        "http://[::127.0.0.1]/h",
        "http://[64:ff9b::7f00:1]/h",
        "http://[2002:7f00:1::1]/h",
        "http://[::ffff:0:10.0.0.1]/h",
      ]) {
        const response = await strict.request("POST", "/api/v2/webhooks", { body: { url } });
        expectLaunchDarklyError(response, 400, /body\.url: .*private, loopback or link-local/);
      }
    } finally {
      await strict.close();
    }
    const named = await startTestServer({ env: { VEXIL_CALLBACK_ALLOWED_HOSTS: "localhost" } });
    try {
      const response = await named.request("POST", "/api/v2/webhooks", {
        body: { url: receiver.url("/named", "localhost") },
      });
      expect(response.status, response.text).toBe(200);
      // The allowed host's URL may not be changed to a private one.
      const patched = await named.request("PATCH", `/api/v2/webhooks/${response.body._id}`, {
        body: [{ op: "replace", path: "/url", value: "http://192.168.1.20/hook" }],
      });
      expectLaunchDarklyError(patched, 400, /webhook\.url: .*private/);
    } finally {
      await named.close();
    }
  });
});
