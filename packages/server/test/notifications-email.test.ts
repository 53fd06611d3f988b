import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import { type AutomaticActionNotice, notifyAutomaticAction } from "../src/notifications/automatic-action.js";
import { EMAIL_KIND } from "../src/notifications/email-delivery.js";
import { createFlag, type J } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer, testDatabaseKind } from "./harness.js";

interface Mail {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server (smtp-server): records each message; answers the queued SMTP errors first. */
class MailSink {
  readonly mails: Mail[] = [];
  /** Errors for the next DATA commands, e.g. 451 (try again later). */
  readonly dataErrors: number[] = [];
  /** Recipients refused at RCPT TO with 550. */
  readonly unknownRecipients = new Set<string>();
  port = 0;
  private readonly server = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo: (address, _session, callback) => {
      if (!this.unknownRecipients.has(address.address)) return callback();
      const error = new Error(`mailbox ${address.address} unavailable`) as Error & { responseCode: number };
      error.responseCode = 550;
      callback(error);
    },
    onData: (stream, session, callback) => {
      let raw = "";
      stream.on("data", (chunk: Buffer) => {
        raw += chunk.toString("utf8");
      });
      stream.on("end", () => {
        const code = this.dataErrors.shift();
        if (code !== undefined) {
          const error = new Error("try again later") as Error & { responseCode: number };
          error.responseCode = code;
          return callback(error);
        }
        const envelope = session.envelope;
        this.mails.push({
          from: envelope.mailFrom ? envelope.mailFrom.address : "",
          to: envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback();
      });
    },
  });

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }
  close() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The text of a (possibly quoted-printable) message, soft line breaks joined. */
function decoded(raw: string): string {
  return raw
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sink = new MailSink();
let server: TestServer;
const clock = Date.parse("2025-06-10T12:00:00Z");

beforeAll(async () => {
  await sink.start();
  server = await startTestServer({
    now: () => clock,
    env: {
      VEXIL_SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      VEXIL_SMTP_FROM: "Vexil Alerts <alerts@vexil.test>",
      VEXIL_JOBS_POLL_MS: "50",
      VEXIL_CALLBACK_ALLOW_PRIVATE: "true",
    },
  });
  await ensureDemoProject(server.context);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await sink.close();
});

const notice = (extra: Partial<AutomaticActionNotice> = {}): AutomaticActionNotice => ({
  projectKey: "demo",
  featureKey: "new_checkout",
  flagId: 100001,
  environmentKey: "production",
  ruleId: 12,
  kind: "rollback",
  summary: "Rule 12 paused: DOWNLIFT 14.2 % > 10 % on goal 3 (5,012 visitors)",
  recipients: ["ops@example.com", "pm@example.com"],
  ...extra,
});

async function emails(query = "") {
  const response = await server.request("GET", `/notification-emails${query}`);
  expect(response.status, response.text).toBe(200);
  return response.body as { items: J[]; total: number };
}

async function latestEmailWhen(status: string) {
  await waitUntil(async () => (await emails()).items[0]?.status === status, `an email ${status}`);
  return (await emails()).items[0];
}

describe(`notification emails over SMTP (${testDatabaseKind})`, () => {
  it("sends the automatic action's summary to the recipients and logs it SENT", async () => {
    const before = sink.mails.length;
    await notifyAutomaticAction(server.context, notice());
    await waitUntil(() => sink.mails.length > before, "the email");
    const mail = sink.mails[sink.mails.length - 1]!;
    expect(mail.from).toBe("alerts@vexil.test");
    expect(mail.to.sort()).toEqual(["ops@example.com", "pm@example.com"]);
    const text = decoded(mail.raw);
    expect(text).toContain("Subject: [Vexil] Rollback on new_checkout (demo/production)");
    expect(text).toContain("Rule 12 paused: DOWNLIFT 14.2 % > 10 % on goal 3 (5,012 visitors)");
    expect(text).toContain("Flag:        new_checkout (id 100001)");
    const logged = await latestEmailWhen("SENT");
    expect(logged).toMatchObject({
      kind: "rollback",
      projectKey: "demo",
      featureKey: "new_checkout",
      environmentKey: "production",
      ruleId: 12,
      recipients: ["ops@example.com", "pm@example.com"],
      attempts: 1,
      error: null,
      sentAt: clock,
    });
    expect(text).toContain(`Message-ID: ${logged.messageId}`);
  });

  it("queues nothing without recipients", async () => {
    const { total } = await emails();
    await notifyAutomaticAction(server.context, notice({ recipients: [" ", ""] }));
    expect((await emails()).total).toBe(total);
  });

  it("retries a temporary SMTP failure (451) and logs each attempt", async () => {
    sink.dataErrors.push(451);
    const before = sink.mails.length;
    await notifyAutomaticAction(
      server.context,
      notice({ kind: "bandit", summary: "Re-allocated rule 7", ruleId: 7 }),
    );
    const emailId = String((await emails()).items[0].id);
    await waitUntil(async () => {
      const job = await server.context.jobs.find(EMAIL_KIND, emailId);
      return job?.status === "PENDING" && job.attempts === 1;
    }, "the failed attempt");
    const waiting = (await emails()).items[0];
    expect(waiting).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(waiting.error).toMatch(/451/);
    expect(sink.mails).toHaveLength(before);
    // The retry waits 10 s on the server's clock: make it due now.
    await server.context.jobs.runNow(EMAIL_KIND, emailId);
    const sent = await latestEmailWhen("SENT");
    expect(sent).toMatchObject({ attempts: 2, error: null, kind: "bandit" });
    expect(decoded(sink.mails[sink.mails.length - 1]!.raw)).toContain("Re-allocated rule 7");
  });

  it("stops at once on a permanent SMTP refusal (550) and logs it FAILED", async () => {
    sink.unknownRecipients.add("nobody@example.com");
    await notifyAutomaticAction(server.context, notice({ recipients: ["nobody@example.com"] }));
    const failed = await latestEmailWhen("FAILED");
    expect(failed.attempts).toBe(1);
    expect(failed.error).toMatch(/550|nobody@example.com/);

    // Some recipients refused, others accepted: sent to those, the refusal noted.
    const before = sink.mails.length;
    await notifyAutomaticAction(
      server.context,
      notice({ recipients: ["ops@example.com", "nobody@example.com"] }),
    );
    const partly = await latestEmailWhen("SENT");
    expect(partly.error).toMatch(/rejected by the SMTP server: nobody@example.com/);
    expect(sink.mails).toHaveLength(before + 1);
    expect(sink.mails[before]!.to).toEqual(["ops@example.com"]);
  });

  it("lists a project's emails to a project-scoped reader, and refuses other projects", async () => {
    const token = await server.request("POST", "/tokens", {
      body: { name: "demo reader", role: "reader", projectKey: "demo" },
    });
    const scoped = await server.request("GET", "/notification-emails", { token: token.body.token });
    expect(scoped.status).toBe(200);
    expect(scoped.body.items.every((e: J) => e.projectKey === "demo")).toBe(true);
    const other = await server.request("GET", "/notification-emails?projectKey=other", {
      token: token.body.token,
    });
    expect(other.status).toBe(403);
    expect(other.body.message).toMatch(/scoped to project 'demo'/);
    const bad = await server.request("GET", "/notification-emails?limit=0");
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/querystring\.limit/);
  });
});

describe(`an automatic action end to end (${testDatabaseKind})`, () => {
  it("a rule paused by automation reaches the webhook (from its audit entry) and the recipients (by email)", async () => {
    const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    const receiver = http.createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        received.push({ headers: request.headers, body });
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const port = (receiver.address() as AddressInfo).port;
      const hook = await server.request("POST", "/api/v2/webhooks", {
        body: {
          url: `http://127.0.0.1:${port}/rollbacks`,
          sign: true,
          statements: [
            { effect: "allow", resources: ["proj/demo:env/production:flag/*"], actions: ["updateRules"] },
          ],
        },
      });
      expect(hook.status, hook.text).toBe(200);
      const flag = await createFlag(server, {
        featureKey: "pay_button",
        name: "Pay button",
        environmentConfigurations: [
          {
            environmentKey: "production",
            featureEnabled: true,
            rolloutRules: [
              {
                type: "TARGETED_DELIVERY",
                name: "Everyone",
                exposition: 100,
                variationKey: "on",
                state: "ACTIVE",
              },
            ],
          },
        ],
      });
      const rule = flag.environmentConfigurations.find((e: J) => e.environmentKey === "production")
        .rolloutRules[0];
      // What the rollback engineer's code does: pause the rule as automation, then notify.
      await server.context.services.flags.patchRule({ name: "automation:rollback", id: null }, rule.id, {
        state: "PAUSED",
      });
      const summary = `Rule ${rule.id} paused: DOWNLIFT 14.2 % > 10 % on goal 3 (5,012 visitors)`;
      const mailsBefore = sink.mails.length;
      await notifyAutomaticAction(server.context, {
        projectKey: "demo",
        featureKey: "pay_button",
        flagId: flag.id,
        environmentKey: "production",
        ruleId: rule.id,
        kind: "rollback",
        summary,
        recipients: ["oncall@example.com"],
      });

      await waitUntil(
        () => received.length >= 1 && sink.mails.length > mailsBefore,
        "the webhook and the email",
      );
      const event = JSON.parse(received[0]!.body);
      expect(event).toMatchObject({
        actor: "automation:rollback",
        member: { name: "automation:rollback" },
        action: "flag.update-rule",
        featureKey: "pay_button",
        environmentKeys: ["production"],
        accesses: [{ action: "updateRules", resource: "proj/demo:env/production:flag/pay_button" }],
      });
      expect(event.description).toContain("Changed the rules in `production`");
      expect(received[0]!.headers["x-ld-signature"]).toMatch(/^[0-9a-f]{64}$/);
      const mail = sink.mails[sink.mails.length - 1]!;
      expect(mail.to).toEqual(["oncall@example.com"]);
      expect(decoded(mail.raw)).toContain(summary);
      await server.request("DELETE", `/api/v2/webhooks/${hook.body._id}`);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});

describe(`without SMTP configured (${testDatabaseKind})`, () => {
  it("records the email SKIPPED, never an error", async () => {
    const plain = await startTestServer({ now: () => clock, env: { VEXIL_JOBS_POLL_MS: "50" } });
    try {
      await notifyAutomaticAction(plain.context, notice({ kind: "progressive", summary: "Rule 3 at 40 %" }));
      await waitUntil(async () => {
        const list = await plain.request("GET", "/notification-emails");
        return list.body.items[0]?.status === "SKIPPED";
      }, "SKIPPED");
      const list = await plain.request("GET", "/notification-emails");
      expect(list.body.items[0]).toMatchObject({
        status: "SKIPPED",
        attempts: 0,
        kind: "progressive",
        sentAt: null,
      });
      expect(list.body.items[0].error).toMatch(/VEXIL_SMTP_URL/);
      const job = await plain.context.jobs.find(EMAIL_KIND, String(list.body.items[0].id));
      expect(job?.status).toBe("READY");
    } finally {
      await plain.close();
    }
  });
});
