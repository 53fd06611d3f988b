// Rollback conditions (docs/automation.md): with a moved clock and traffic simulated through the real engine,
// a DOWNLIFT GREATER_THAN 10 condition on a degraded variation does nothing below its visitor threshold and
// pauses the rule once it is reached; the change is audited with what was measured, a streaming SDK stops
// serving the rule, the recipients get an email (real SMTP server) and a webhook fires; users get 423 while
// the action is applied; ENVIRONMENT turns the flag off; the first condition met wins; UPLIFT and
// CONVERSION_RATE LESS_THAN act too.

import http from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, type VexilClient } from "@vexil/sdk";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ROLLBACK_ACTION,
  ROLLBACK_LOCK_HOLDER,
  runRollbackTick,
} from "../src/automation/rollback-conditions.js";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import { withFlagLock } from "../src/flags/flag-lock.js";
import {
  createExperiment,
  type ExperimentSetup,
  simulateInto,
} from "../src/results/results-simulation.test-support.js";
import { createFlag, type J } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer, testDatabaseKind } from "./harness.js";

const MINUTE = 60_000;
const DAY = 86_400_000;
let clock = Date.parse("2026-05-04T08:00:00.000Z");
let server: TestServer;
let serverKey = "";
let seed = 1;

interface Mail {
  to: string[];
  text: string;
}
const mails: Mail[] = [];
let smtp: SMTPServer;
const hooks: J[] = [];
let hookServer: http.Server;
const sdks: VexilClient[] = [];

async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function traffic(featureKey: string, goalId: number, rates: Record<string, number>, visitors: number) {
  await simulateInto(server.context, {
    featureKey,
    visitors,
    seed: seed++,
    days: 1,
    goals: [{ goalId, rates }],
  });
}

/** One rollback tick a minute later (the default VEXIL_AUTOMATION_TICK_MS). */
async function rollbackTick(): Promise<J> {
  clock += MINUTE;
  const summary = (await runRollbackTick(server.context, clock)) as J;
  expect(summary.failures).toEqual([]);
  return summary;
}

const rolledBackOf = (summary: J, flagId: number) => summary.rolledBack.filter((r: J) => r.flagId === flagId);

async function readFlag(featureKey: string): Promise<J> {
  const response = await server.request("GET", `/feature-flags/demo/${featureKey}`);
  expect(response.status).toBe(200);
  return response.body;
}

const productionOf = (flag: J) =>
  flag.environmentConfigurations.find((e: J) => e.environmentKey === "production");

async function auditOf(flagId: number): Promise<J[]> {
  const response = await server.request(
    "GET",
    `/audit-log?resourceType=feature-flag&resourceId=${flagId}&limit=500`,
  );
  expect(response.status).toBe(200);
  return [...response.body.items].reverse();
}

async function setConditions(ruleId: number, rollbackConditions: J[]) {
  const response = await server.request("PATCH", `/feature-flags/rules/${ruleId}`, {
    body: { rollbackConditions },
  });
  expect(response.status, response.text).toBe(200);
}

async function experiment(
  featureKey: string,
  rollbackConditions: (goalId: number) => J[],
): Promise<ExperimentSetup> {
  const setup = await createExperiment(server, { featureKey, goals: [{ name: `${featureKey} goal` }] });
  await setConditions(setup.ruleId, rollbackConditions(setup.goalIds[0]!));
  return setup;
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          text: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  hookServer = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      hooks.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => hookServer.listen(0, "127.0.0.1", resolve));
  const hookPort = (hookServer.address() as AddressInfo).port;

  server = await startTestServer({
    listen: true,
    now: () => clock,
    env: {
      VEXIL_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      VEXIL_CALLBACK_ALLOW_PRIVATE: "true",
      VEXIL_JOBS_POLL_MS: "50",
    },
  });
  await ensureDemoProject(server.context);
  const webhook = await server.request("POST", "/api/v2/webhooks", {
    body: { url: `http://127.0.0.1:${hookPort}/hook`, sign: false, name: "rollbacks" },
  });
  expect(webhook.status, webhook.text).toBeLessThan(300);
  const project = await server.request("GET", "/projects/demo");
  serverKey = project.body.environments.find((e: J) => e.key === "production").serverSdkKey;
}, 120_000);

afterAll(async () => {
  await Promise.all(sdks.map((sdk) => sdk.close()));
  await server?.close();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  await new Promise<void>((resolve) => hookServer?.close(() => resolve()));
});

describe(`rollback conditions (${testDatabaseKind})`, () => {
  let degraded: ExperimentSetup;
  const DEGRADED_RATES = { off: 0.1, on: 0.07 };

  it("does nothing below the visitor threshold, even with the downlift already there", async () => {
    degraded = await experiment("rollback-rule", (goalId) => [
      {
        criteria: "DOWNLIFT",
        comparisonOperator: "GREATER_THAN",
        matchValue: 10,
        goalId,
        visitors: 2000,
        target: "RULE",
        recipients: ["ops@example.com", "lead@example.com"],
      },
    ]);
    await traffic("rollback-rule", degraded.goalIds[0]!, DEGRADED_RATES, 1500);
    const [off, on] = await server.context.analytics.ruleOutcomes([
      {
        projectKey: "demo",
        environmentKey: "production",
        ruleId: degraded.ruleId,
        goalIds: [degraded.goalIds[0]!],
      },
    ]);
    expect(off!.units + on!.units).toBeLessThan(2000);
    const downlift = (1 - on!.convertedUnits / on!.units / (off!.convertedUnits / off!.units)) * 100;
    expect(downlift).toBeGreaterThan(10);

    const summary = await rollbackTick();
    expect(rolledBackOf(summary, degraded.flagId)).toEqual([]);
    expect(productionOf(await readFlag("rollback-rule")).rolloutRules[0].state).toBe("ACTIVE");
    expect((await auditOf(degraded.flagId)).some((e) => e.action === ROLLBACK_ACTION)).toBe(false);
  });

  it("pauses the rule once the threshold is reached: audited, streamed to SDKs, emailed, webhooked", async () => {
    const sdk = createClient({
      sdkKey: serverKey,
      baseUrl: server.baseUrl,
      now: () => clock,
      evaluationReportIntervalMs: 3_600_000,
      eventsFlushIntervalMs: 3_600_000,
      logger: { warn: () => {}, error: () => {} },
    });
    sdks.push(sdk);
    await sdk.ready();
    const visitors = Array.from({ length: 200 }, (_, i) => `sdk-visitor-${i}`);
    expect(visitors.some((code) => sdk.evaluate("rollback-rule", code).ruleId === degraded.ruleId)).toBe(
      true,
    );
    const changed: string[][] = [];
    sdk.on("change", (event) => changed.push(event.flagKeys));

    await traffic("rollback-rule", degraded.goalIds[0]!, DEGRADED_RATES, 1500);
    const tickStarted = performance.now();
    const summary = await rollbackTick();
    expect(rolledBackOf(summary, degraded.flagId)).toEqual([
      expect.objectContaining({ ruleId: degraded.ruleId, target: "RULE", environmentKey: "production" }),
    ]);

    // The SDK hears it over its stream and stops serving the rule.
    await waitFor(() => changed.some((keys) => keys.includes("rollback-rule")), "the SDK change");
    console.info(
      `[rollback] SDK saw the paused rule ${Math.round(performance.now() - tickStarted)} ms after the tick started`,
    );
    for (const code of visitors) expect(sdk.evaluate("rollback-rule", code).ruleId).toBeUndefined();

    const rule = productionOf(await readFlag("rollback-rule")).rolloutRules[0];
    expect(rule).toMatchObject({ state: "PAUSED", status: "PAUSED" });
    const payload = await server.request("GET", "/sdk/v1/config", { token: serverKey });
    expect(payload.body.flags["rollback-rule"].rules[0].state).toBe("PAUSED");

    // Audited: the change itself, by the rollback automation, and what it measured, in one transaction.
    const audit = await auditOf(degraded.flagId);
    const change = audit.find((e) => e.actor === "automation:rollback" && e.action === "flag.update-rule");
    expect(productionOf(change.before).rolloutRules[0].state).toBe("ACTIVE");
    expect(productionOf(change.after).rolloutRules[0].state).toBe("PAUSED");
    const note = audit.find((e) => e.action === ROLLBACK_ACTION);
    expect(note.actor).toBe("automation:rollback");
    expect(note.after).toMatchObject({
      ruleId: degraded.ruleId,
      environmentKey: "production",
      target: "RULE",
      condition: { criteria: "DOWNLIFT", comparisonOperator: "GREATER_THAN", matchValue: 10, visitors: 2000 },
      measured: { status: "met", variationKey: "on", controlVariationKey: "off" },
    });
    expect(note.after.measured.ruleVisitors).toBeGreaterThanOrEqual(2000);
    expect(note.after.measured.value).toBeGreaterThan(10);
    expect(note.after.summary).toMatch(/DOWNLIFT of variation 'on' against 'off'.*the rule was paused/);

    // The recipients' email, through the real SMTP server, and the webhook of the change.
    await waitFor(() => mails.length > 0, "the email");
    expect(mails[0]!.to.sort()).toEqual(["lead@example.com", "ops@example.com"]);
    expect(mails[0]!.text).toMatch(/rollback-rule/);
    expect(mails[0]!.text).toMatch(/DOWNLIFT/);
    await waitFor(
      () =>
        hooks.some(
          (hook) =>
            hook.featureKey === "rollback-rule" &&
            hook.action === "flag.update-rule" &&
            hook.actor === "automation:rollback",
        ),
      "the webhook",
    );
    expect(
      hooks.find((hook) => hook.featureKey === "rollback-rule" && hook.actor === "automation:rollback"),
    ).toMatchObject({ action: "flag.update-rule", flagId: degraded.flagId });

    // Paused, the rule is not read again: no second action.
    await traffic("rollback-rule", degraded.goalIds[0]!, DEGRADED_RATES, 500);
    expect(rolledBackOf(await rollbackTick(), degraded.flagId)).toEqual([]);
    expect((await auditOf(degraded.flagId)).filter((e) => e.action === ROLLBACK_ACTION)).toHaveLength(1);
  });

  it("judges a re-activated rule on the traffic after its rollback only", async () => {
    const reactivated = await server.request("PATCH", `/feature-flags/rules/${degraded.ruleId}`, {
      body: { state: "ACTIVE" },
    });
    expect(reactivated.status, reactivated.text).toBe(200);
    // The degraded traffic that triggered the rollback no longer counts.
    expect(rolledBackOf(await rollbackTick(), degraded.flagId)).toEqual([]);
    expect(productionOf(await readFlag("rollback-rule")).rolloutRules[0].state).toBe("ACTIVE");

    // New degraded traffic past the threshold acts again (the simulator's traffic ends two days before now).
    clock += 5 * DAY;
    await traffic("rollback-rule", degraded.goalIds[0]!, DEGRADED_RATES, 3000);
    expect(rolledBackOf(await rollbackTick(), degraded.flagId)).toEqual([
      expect.objectContaining({ ruleId: degraded.ruleId, target: "RULE" }),
    ]);
    const notes = (await auditOf(degraded.flagId)).filter((e) => e.action === ROLLBACK_ACTION);
    expect(notes).toHaveLength(2);
    expect(notes[1].after.measured.ruleVisitors).toBeLessThan(3500);
  });

  it("locks the flag while the action is applied: users get 423, the rollback goes through", async () => {
    const setup = await experiment("rollback-locked", (goalId) => [
      { criteria: "DOWNLIFT", comparisonOperator: "GREATER_THAN", matchValue: 10, goalId, visitors: 1000 },
    ]);
    await traffic("rollback-locked", setup.goalIds[0]!, DEGRADED_RATES, 3000);
    // Hold the flag's lock the way the tick does (same holder, so the tick re-enters it).
    await withFlagLock(server.context, setup.flagId, ROLLBACK_LOCK_HOLDER, async () => {
      const user = await server.request("PATCH", "/feature-flags/demo/rollback-locked/production", {
        body: { featureEnabled: false },
      });
      expect(user.status, user.text).toBe(423);
      expect(user.body.message).toMatch(/locked by 'automation:rollback'/);
      expect(rolledBackOf(await rollbackTick(), setup.flagId)).toHaveLength(1);
    });
    expect(productionOf(await readFlag("rollback-locked")).rolloutRules[0].state).toBe("PAUSED");
    const after = await server.request("PATCH", "/feature-flags/demo/rollback-locked/production", {
      body: { featureEnabled: false },
    });
    expect(after.status, after.text).toBe(200);
  });

  it("turns the flag off in the environment for target ENVIRONMENT", async () => {
    const setup = await experiment("rollback-environment", (goalId) => [
      {
        criteria: "DOWNLIFT",
        comparisonOperator: "GREATER_THAN",
        matchValue: 10,
        goalId,
        visitors: 1000,
        target: "ENVIRONMENT",
      },
    ]);
    const enabled = await server.request("PATCH", "/feature-flags/demo/rollback-environment/staging", {
      body: { featureEnabled: true },
    });
    expect(enabled.status, enabled.text).toBe(200);
    await traffic("rollback-environment", setup.goalIds[0]!, DEGRADED_RATES, 3000);
    const summary = await rollbackTick();
    expect(rolledBackOf(summary, setup.flagId)).toEqual([expect.objectContaining({ target: "ENVIRONMENT" })]);
    const flag = await readFlag("rollback-environment");
    expect(productionOf(flag).featureEnabled).toBe(false);
    expect(productionOf(flag).rolloutRules[0].state).toBe("ACTIVE");
    expect(flag.environmentConfigurations.find((e: J) => e.environmentKey === "staging").featureEnabled).toBe(
      true,
    );
    const audit = await auditOf(setup.flagId);
    expect(audit.filter((e) => e.actor === "automation:rollback").map((e) => e.action)).toEqual([
      "flag.update-environment",
      ROLLBACK_ACTION,
    ]);
    expect(audit.find((e) => e.action === ROLLBACK_ACTION).after.summary).toMatch(
      /the flag was turned off in production/,
    );
    // No SMTP recipients on this condition: no email.
    expect(mails.filter((mail) => mail.text.includes("rollback-environment"))).toEqual([]);
  });

  it("acts on the first condition met, in order", async () => {
    const setup = await experiment("rollback-first", (goalId) => [
      {
        criteria: "CONVERSION_RATE",
        comparisonOperator: "GREATER_THAN",
        matchValue: 50,
        goalId,
        visitors: 100,
      },
      {
        criteria: "UPLIFT",
        comparisonOperator: "GREATER_THAN",
        matchValue: 5,
        goalId,
        visitors: 100,
        target: "ENVIRONMENT",
      },
      { criteria: "DOWNLIFT", comparisonOperator: "GREATER_THAN", matchValue: 10, goalId, visitors: 100 },
      {
        criteria: "CONVERSION_RATE",
        comparisonOperator: "LESS_THAN",
        matchValue: 50,
        goalId,
        visitors: 100,
        target: "ENVIRONMENT",
      },
    ]);
    await traffic("rollback-first", setup.goalIds[0]!, DEGRADED_RATES, 3000);
    const [done] = rolledBackOf(await rollbackTick(), setup.flagId);
    const conditions = productionOf(await readFlag("rollback-first")).rolloutRules[0].rollbackConditions;
    expect(done).toMatchObject({ target: "RULE", conditionId: conditions[2].id });
    const flag = await readFlag("rollback-first");
    expect(productionOf(flag)).toMatchObject({ featureEnabled: true });
    expect(productionOf(flag).rolloutRules[0].state).toBe("PAUSED");
  });

  it("acts on an UPLIFT condition (variation better than the control)", async () => {
    const setup = await experiment("rollback-uplift", (goalId) => [
      { criteria: "UPLIFT", comparisonOperator: "GREATER_THAN", matchValue: 20, goalId, visitors: 1000 },
    ]);
    await traffic("rollback-uplift", setup.goalIds[0]!, { off: 0.05, on: 0.09 }, 3000);
    // Through the scheduler this time: the `rollback` task registered in AUTOMATION_TASKS.
    clock += MINUTE;
    const outcomes = await server.automation.runDueTicks();
    const rollback = outcomes.find((outcome) => outcome.kind === "rollback");
    expect(rollback, JSON.stringify(outcomes)).toMatchObject({ status: "READY" });
    expect(rolledBackOf(rollback!.result, setup.flagId)).toEqual([
      expect.objectContaining({ target: "RULE", summary: expect.stringMatching(/UPLIFT of variation 'on'/) }),
    ]);
    expect(productionOf(await readFlag("rollback-uplift")).rolloutRules[0].state).toBe("PAUSED");
  });

  // UPLIFT/DOWNLIFT on a single-variation rule are refused when the flag is saved (security-input.test.ts).
  it("reads CONVERSION_RATE LESS_THAN on a single-variation rule", async () => {
    const goal = await server.request("POST", "/goals", {
      body: { siteCode: "demo", name: "Targeted goal", key: "targeted-goal" },
    });
    expect(goal.status).toBe(201);
    const goalId = goal.body.id as number;
    const flag = await createFlag(server, {
      featureKey: "rollback-targeted",
      name: "Rollback targeted",
      primaryGoalId: goalId,
      environmentConfigurations: [
        {
          environmentKey: "production",
          featureEnabled: true,
          defaultVariationKey: "off",
          rolloutRules: [
            {
              type: "TARGETED_DELIVERY",
              variationKey: "on",
              exposition: 50,
              rollbackConditions: [
                {
                  criteria: "CONVERSION_RATE",
                  comparisonOperator: "LESS_THAN",
                  matchValue: 5,
                  goalId,
                  visitors: 1000,
                },
              ],
            },
          ],
        },
      ],
    });
    // 2 % of the exposed visitors convert.
    await traffic("rollback-targeted", goalId, { off: 0.02, on: 0.02 }, 1000);
    expect(rolledBackOf(await rollbackTick(), flag.id)).toEqual([]);
    await traffic("rollback-targeted", goalId, { off: 0.02, on: 0.02 }, 2000);
    const [done] = rolledBackOf(await rollbackTick(), flag.id);
    const conditions = productionOf(await readFlag("rollback-targeted")).rolloutRules[0].rollbackConditions;
    expect(done).toMatchObject({ target: "RULE", conditionId: conditions[0].id });
    const note = (await auditOf(flag.id)).find((e) => e.action === ROLLBACK_ACTION).after;
    expect(note.measured).toMatchObject({ criteria: "CONVERSION_RATE", status: "met" });
    expect(note.measured.value).toBeGreaterThan(1);
    expect(note.measured.value).toBeLessThan(3);
    expect(note.measured.ruleVisitors).toBeGreaterThanOrEqual(1000);
    expect(productionOf(await readFlag("rollback-targeted")).rolloutRules[0].state).toBe("PAUSED");
  });
});
