import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountsService } from "../src/accounts/accounts.service.js";
import { runUserCommand } from "../src/accounts/users.command.js";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import { startTestServer, type TestServer } from "./harness.js";

// The server's clock, moved by tests that need sessions to expire (idle 30 min, absolute 2 h below).
let clock = Date.parse("2026-03-01T09:00:00Z");
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    now: () => clock,
    env: { VEXIL_SESSION_IDLE_MINUTES: "30", VEXIL_SESSION_MAX_HOURS: "2" },
  });
  await ensureDemoProject(server.context);
  await server.request("POST", "/projects", { body: { key: "other", name: "Other" } });
});
afterAll(async () => server?.close());

let addressCounter = 0;
/** Each sign-in comes from its own address unless told, so address throttling of one test spares others. */
async function signIn(email: string, password: string, address = `10.1.0.${++addressCounter}`) {
  const response = await server.app.inject({
    method: "POST",
    url: "/session",
    payload: { email, password },
    remoteAddress: address,
  });
  const setCookie = String(response.headers["set-cookie"] ?? "");
  const cookie = /vexil_session=([^;]+)/.exec(setCookie)?.[1];
  return { status: response.statusCode, body: response.json(), setCookie, cookie };
}

async function createUser(body: Record<string, unknown>) {
  const response = await server.request("POST", "/users", { body });
  expect(response.status, response.text).toBe(201);
  return response.body as { user: { id: number; email: string }; password?: string };
}

/** A request authenticated by a session cookie only (no token), with the CSRF header when given. */
function asSession(cookie: string, csrf?: string) {
  return (method: string, url: string, body?: unknown) =>
    server.request(method, url, {
      token: null,
      headers: { cookie: `vexil_session=${cookie}`, ...(csrf ? { "x-csrf-token": csrf } : {}) },
      ...(body === undefined ? {} : { body }),
    });
}

describe("sign-in and sessions", () => {
  it("signs in with a generated password; the cookie is HttpOnly and SameSite=Lax, not Secure over HTTP", async () => {
    const { user, password } = await createUser({ email: "Ada@Example.com", role: "writer" });
    expect(user.email).toBe("ada@example.com");
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const session = await signIn("ADA@example.com", password as string);
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({ email: "ada@example.com", role: "writer", projectKey: null });
    expect(session.setCookie).toMatch(/HttpOnly/);
    expect(session.setCookie).toMatch(/SameSite=Lax/);
    expect(session.setCookie).not.toMatch(/Secure/);
    const me = await asSession(session.cookie as string)("GET", "/session");
    expect(me.body.csrfToken).toBe(session.body.csrfToken);
  });

  it("reads with the cookie alone; writes need the CSRF header; changes are audited under the person", async () => {
    const { user } = await createUser({
      email: "writer@example.com",
      role: "writer",
      password: "correct horse",
    });
    const session = await signIn("writer@example.com", "correct horse");
    const noCsrf = asSession(session.cookie as string);
    expect((await noCsrf("GET", "/feature-flags?siteCode=demo")).status).toBe(200);
    const flag = { siteCode: "demo", featureKey: "csrf_probe", name: "Probe" };
    const refused = await noCsrf("POST", "/feature-flags", flag);
    expect(refused.status).toBe(403);
    expect(refused.text).toMatch(/x-csrf-token/);
    const wrong = await asSession(session.cookie as string, "not-the-token")("POST", "/feature-flags", flag);
    expect(wrong.status).toBe(403);
    const ok = await asSession(session.cookie as string, session.body.csrfToken)(
      "POST",
      "/feature-flags",
      flag,
    );
    expect(ok.status, ok.text).toBe(201);
    const audit = await server.request("GET", `/audit-log?projectKey=demo&resourceType=feature-flag`);
    const entry = audit.body.items.find((e: { resourceId: string }) => e.resourceId === String(ok.body.id));
    expect(entry?.actor).toBe(`user:${user.id}:writer@example.com`);
  });

  it("gives a reader and a project-scoped user exactly a token's role and scope", async () => {
    await createUser({ email: "reader@example.com", role: "reader", password: "reader pass 1" });
    const reader = await signIn("reader@example.com", "reader pass 1");
    const asReader = asSession(reader.cookie as string, reader.body.csrfToken);
    expect((await asReader("GET", "/feature-flags?siteCode=demo")).status).toBe(200);
    expect(
      (await asReader("POST", "/feature-flags", { siteCode: "demo", featureKey: "r", name: "r" })).status,
    ).toBe(403);
    expect((await asReader("GET", "/users")).status).toBe(403);

    await createUser({
      email: "scoped@example.com",
      role: "admin",
      projectKey: "other",
      password: "scoped pass 1",
    });
    const scoped = await signIn("scoped@example.com", "scoped pass 1");
    const asScoped = asSession(scoped.cookie as string, scoped.body.csrfToken);
    expect((await asScoped("GET", "/feature-flags/demo/csrf_probe")).status).toBe(403);
    expect((await asScoped("GET", "/projects/other")).status).toBe(200);
    // A project-scoped admin could otherwise create an admin of every project.
    expect((await asScoped("POST", "/users", { email: "x@example.com", role: "admin" })).status).toBe(403);
  });

  it("ends the session server-side on sign-out: the old cookie no longer works", async () => {
    await createUser({ email: "leaver@example.com", role: "reader", password: "leaver pass" });
    const session = await signIn("leaver@example.com", "leaver pass");
    const asLeaver = asSession(session.cookie as string, session.body.csrfToken);
    expect((await asSession(session.cookie as string)("DELETE", "/session")).status).toBe(403);
    const out = await asLeaver("DELETE", "/session");
    expect(out.status).toBe(204);
    expect(String(out.headers["set-cookie"])).toMatch(/vexil_session=;/);
    expect((await asLeaver("GET", "/session")).status).toBe(401);
    expect((await asLeaver("GET", "/feature-flags?siteCode=demo")).status).toBe(401);
  });

  it("keeps sessions in the database: another service over the same storage (a replica) resolves them", async () => {
    await createUser({ email: "replica@example.com", role: "reader", password: "replica pass" });
    const session = await signIn("replica@example.com", "replica pass");
    const replica = new AccountsService(
      server.context.db,
      () => clock,
      { idleMs: 60_000, maxMs: 3_600_000 },
      server.context.outbox,
    );
    expect((await replica.resolveSession(session.cookie as string))?.user.email).toBe("replica@example.com");
  });

  it("ends sessions after 30 idle minutes and 2 hours after sign-in however used", async () => {
    await createUser({ email: "clock@example.com", role: "reader", password: "clock pass 1" });
    const idle = await signIn("clock@example.com", "clock pass 1");
    const used = await signIn("clock@example.com", "clock pass 1");
    const start = clock;
    try {
      // Used every 20 minutes: the idle limit never hits, the absolute one does at 2 h.
      for (let minutes = 20; minutes < 120; minutes += 20) {
        clock = start + minutes * 60_000;
        expect((await asSession(used.cookie as string)("GET", "/session")).status).toBe(200);
      }
      expect((await asSession(idle.cookie as string)("GET", "/session")).status).toBe(401);
      clock = start + 120 * 60_000;
      expect((await asSession(used.cookie as string)("GET", "/session")).status).toBe(401);
    } finally {
      clock = start;
    }
  });
});

describe("sign-in throttling", () => {
  it("blocks an account after 5 wrong passwords, even for the right one, and answers 401 before", async () => {
    await createUser({ email: "target@example.com", role: "reader", password: "target pass" });
    for (let i = 0; i < 5; i++) {
      expect((await signIn("target@example.com", "wrong guess")).status).toBe(401);
    }
    const blocked = await signIn("target@example.com", "target pass");
    expect(blocked.status).toBe(429);
    const start = clock;
    clock = start + 15 * 60_000;
    try {
      expect((await signIn("target@example.com", "target pass")).status).toBe(200);
    } finally {
      clock = start;
    }
  });

  it("blocks an address after 20 failures spread over many accounts", async () => {
    await createUser({ email: "bystander@example.com", role: "reader", password: "bystander pass" });
    for (let i = 0; i < 20; i++) {
      expect((await signIn(`nobody${i}@example.com`, "guess", "10.9.9.9")).status).toBe(401);
    }
    expect((await signIn("bystander@example.com", "bystander pass", "10.9.9.9")).status).toBe(429);
    expect((await signIn("bystander@example.com", "bystander pass", "10.9.9.10")).status).toBe(200);
  });
});

describe("user administration", () => {
  it("disables a user: sessions end and sign-in fails; an admin cannot disable or demote itself", async () => {
    const { user } = await createUser({ email: "gone@example.com", role: "writer", password: "gone pass 1" });
    const session = await signIn("gone@example.com", "gone pass 1");
    const patched = await server.request("PATCH", `/users/${user.id}`, { body: { disabled: true } });
    expect(patched.body).toMatchObject({ disabled: true });
    expect((await asSession(session.cookie as string)("GET", "/session")).status).toBe(401);
    expect((await signIn("gone@example.com", "gone pass 1")).status).toBe(401);

    await createUser({ email: "boss@example.com", role: "admin", password: "boss pass 12" });
    const boss = await signIn("boss@example.com", "boss pass 12");
    const me = boss.body.user.id;
    const self = await asSession(boss.cookie as string, boss.body.csrfToken)("PATCH", `/users/${me}`, {
      disabled: true,
    });
    expect(self.status).toBe(400);
    // Nor lower its own role or scope (it would lose user management); keeping admin is allowed.
    const asBoss = asSession(boss.cookie as string, boss.body.csrfToken);
    expect((await asBoss("PATCH", `/users/${me}`, { role: "writer" })).status).toBe(400);
    expect((await asBoss("PATCH", `/users/${me}`, { projectKey: "demo" })).status).toBe(400);
    expect((await asBoss("PATCH", `/users/${me}`, { role: "admin" })).status).toBe(200);
    expect(
      (await server.request("GET", "/users")).body.find((u: { id: number }) => u.id === me),
    ).toMatchObject({ role: "admin", projectKey: null, disabled: false });
  });

  it("changes role and scope at once for live sessions, and resets a password", async () => {
    const { user } = await createUser({
      email: "mover@example.com",
      role: "reader",
      password: "mover pass 1",
    });
    const session = await signIn("mover@example.com", "mover pass 1");
    const asMover = asSession(session.cookie as string, session.body.csrfToken);
    const body = { siteCode: "demo", featureKey: "mover_flag", name: "M" };
    expect((await asMover("POST", "/feature-flags", body)).status).toBe(403);
    await server.request("PATCH", `/users/${user.id}`, { body: { role: "writer" } });
    expect((await asMover("POST", "/feature-flags", body)).status).toBe(201);
    await server.request("PATCH", `/users/${user.id}`, { body: { projectKey: "other" } });
    expect((await asMover("GET", "/feature-flags/demo/mover_flag")).status).toBe(403);

    const reset = await server.request("POST", `/users/${user.id}/password`, { body: {} });
    expect(reset.body.password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect((await asMover("GET", "/session")).status).toBe(401);
    expect((await signIn("mover@example.com", "mover pass 1")).status).toBe(401);
    expect((await signIn("mover@example.com", reset.body.password)).status).toBe(200);
    const audit = await server.request("GET", "/audit-log?resourceType=user");
    const actions = audit.body.items
      .filter((e: { resourceId: string }) => e.resourceId === String(user.id))
      .map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["user.create", "user.update", "user.reset-password"]));
  });

  it("answers bad input with 400/404/409 and non-admins with 403", async () => {
    expect((await server.request("POST", "/users", { body: { email: "nope", role: "reader" } })).status).toBe(
      400,
    );
    expect(
      (
        await server.request("POST", "/users", {
          body: { email: "a@b.c", role: "reader", password: "short" },
        })
      ).status,
    ).toBe(400);
    expect((await server.request("POST", "/users", { body: { email: "a@b.c", role: "owner" } })).status).toBe(
      400,
    );
    expect(
      (
        await server.request("POST", "/users", {
          body: { email: "a@b.c", role: "reader", projectKey: "missing" },
        })
      ).status,
    ).toBe(404);
    await createUser({ email: "dup@example.com", role: "reader" });
    expect(
      (await server.request("POST", "/users", { body: { email: "DUP@example.com", role: "reader" } })).status,
    ).toBe(409);
    expect((await server.request("PATCH", "/users/999999", { body: { role: "admin" } })).status).toBe(404);
    expect((await server.request("PATCH", "/users/1", { body: {} })).status).toBe(400);
    expect((await server.request("POST", "/session", { body: { email: "x@y.z" } })).status).toBe(400);
    const writerToken = await server.request("POST", "/tokens", { body: { name: "w", role: "writer" } });
    expect((await server.request("GET", "/users", { token: writerToken.body.token })).status).toBe(403);
    expect((await server.request("GET", "/users", { token: null })).status).toBe(401);
  });
});

describe("vexil user", () => {
  it("creates with a password from stdin, lists and disables", async () => {
    const out: string[] = [];
    const io = {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => out.push(text) },
      readStdin: async () => "from stdin pass\n",
    };
    const accounts = server.context.accounts;
    const args = ["--email", "cli@example.com", "--role", "writer", "--project", "demo", "--password-stdin"];
    expect(await runUserCommand("create", args, accounts, io)).toBe(0);
    expect(out.join("")).not.toMatch(/password/);
    expect((await signIn("cli@example.com", "from stdin pass")).status).toBe(200);
    expect(
      await runUserCommand("create", ["--email", "gen@example.com", "--role", "reader"], accounts, io),
    ).toBe(0);
    const generated = /password \(shown once\): (\S+)/.exec(out.join(""))?.[1] as string;
    expect((await signIn("gen@example.com", generated)).status).toBe(200);
    expect(await runUserCommand("list", [], accounts, io)).toBe(0);
    expect(out.join("")).toMatch(/cli@example\.com\twriter\tproject demo/);
    expect(await runUserCommand("disable", ["--email", "cli@example.com"], accounts, io)).toBe(0);
    expect((await signIn("cli@example.com", "from stdin pass")).status).toBe(401);
    expect(
      await runUserCommand("create", ["--email", "z@example.com", "--role", "owner"], accounts, io),
    ).toBe(2);
  });
});
