// Multi-armed bandits (docs/automation.md): with a moved clock and traffic simulated through the real engine
// on the rule's current allocations between ticks, a bandit rule moves its traffic to the arm that converts
// best, keeps the floor, waits for enough visitors, audits each change with its weights, reaches SDKs, and
// refuses manual allocation edits; `reallocation: true` re-buckets visitors.

import { createEvaluator, type EvaluationPayload } from "@vexil/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BANDIT_REALLOCATION_ACTION, runBanditTick } from "../src/automation/bandit-reallocation.js";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import { compileEnvironmentPayload } from "../src/flags/compile-payload.js";
import {
  createExperiment,
  type ExperimentSetup,
  simulateInto,
} from "../src/results/results-simulation.test-support.js";
import type { J } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer, testDatabaseKind } from "./harness.js";

const HOUR = 3_600_000;
let clock = Date.parse("2026-04-06T08:00:00.000Z");
let server: TestServer;
let serverKey = "";
/** off / on / v2; `on` converts three times as often. reallocation: false. */
let main: ExperimentSetup;
/** off / on; `on` converts twice as often. reallocation: true. */
let respooled: ExperimentSetup;
let seed = 1;

const RATES = {
  main: { off: 0.04, on: 0.12, v2: 0.04 },
  respooled: { off: 0.05, on: 0.1 },
};

async function ruleOf(featureKey: string): Promise<J> {
  const response = await server.request("GET", `/feature-flags/demo/${featureKey}`);
  expect(response.status).toBe(200);
  return response.body.environmentConfigurations.find((e: J) => e.environmentKey === "production")
    .rolloutRules[0];
}

async function allocationsOf(featureKey: string): Promise<Record<string, number>> {
  const rule = await ruleOf(featureKey);
  return Object.fromEntries(rule.trafficAllocations.map((a: J) => [a.variationKey, a.exposition]));
}

/** `visitors` new visitors through the engine on the current configuration. */
async function traffic(setup: ExperimentSetup, rates: Record<string, number>, visitors: number) {
  await simulateInto(server.context, {
    featureKey: setup.featureKey,
    visitors,
    seed: seed++,
    days: 1,
    goals: [{ goalId: setup.goalIds[0]!, rates }],
  });
}

async function banditTick(): Promise<J> {
  clock += HOUR;
  return runBanditTick(server.context, clock);
}

async function auditOf(flagId: number): Promise<J[]> {
  const response = await server.request(
    "GET",
    `/audit-log?resourceType=feature-flag&resourceId=${flagId}&limit=500`,
  );
  expect(response.status).toBe(200);
  return [...response.body.items].reverse();
}

async function sdkConfig(): Promise<J> {
  const response = await server.request("GET", "/sdk/v1/config", { token: serverKey });
  expect(response.status).toBe(200);
  return response.body;
}

async function enableBandit(setup: ExperimentSetup, reallocation: boolean) {
  const response = await server.request("PATCH", `/feature-flags/rules/${setup.ruleId}`, {
    body: { multiArmedBandit: true, trafficAllocationMethod: "MULTI_ARMED_BANDIT", reallocation },
  });
  expect(response.status, response.text).toBe(200);
  expect(await ruleOf(setup.featureKey)).toMatchObject({
    multiArmedBandit: true,
    trafficAllocationMethod: "MULTI_ARMED_BANDIT",
    reallocation,
  });
}

beforeAll(async () => {
  server = await startTestServer({
    now: () => clock,
    env: { VEXIL_BANDIT_FLOOR: "0.05", VEXIL_BANDIT_MIN_UNITS: "100" },
  });
  await ensureDemoProject(server.context);
  main = await createExperiment(server, {
    featureKey: "bandit-main",
    variations: ["off", "on", "v2"],
    allocations: { off: 33.334, on: 33.333, v2: 33.333 },
    goals: [{ name: "Purchase" }],
  });
  respooled = await createExperiment(server, { featureKey: "bandit-respool", goals: [{ name: "Signup" }] });
  await enableBandit(main, false);
  await enableBandit(respooled, true);
  const project = await server.request("GET", "/projects/demo");
  serverKey = project.body.environments.find((e: J) => e.key === "production").serverSdkKey;
}, 120_000);

afterAll(async () => {
  await server?.close();
});

describe(`multi-armed bandit ticks (${testDatabaseKind})`, () => {
  it("changes nothing until every arm has the minimum number of visitors", async () => {
    const before = await allocationsOf("bandit-main");
    expect(before).toEqual({ off: 33.334, on: 33.333, v2: 33.333 });
    // ~50 visitors per arm, under VEXIL_BANDIT_MIN_UNITS = 100.
    await traffic(main, RATES.main, 150);
    const summary = await banditTick();
    expect(summary).toMatchObject({ rules: 2, reallocated: 0, waiting: 2 });
    expect(await allocationsOf("bandit-main")).toEqual(before);
    const audit = await auditOf(main.flagId);
    expect(audit.some((entry) => entry.actor === "automation:bandit")).toBe(false);
  });

  it("ends with most of the traffic on the arm that converts best, each arm keeping the floor", async () => {
    const history: Record<string, number>[] = [];
    for (let round = 0; round < 4; round++) {
      await traffic(main, RATES.main, 3000);
      const summary = await banditTick();
      expect(summary.failures).toEqual([]);
      history.push(await allocationsOf("bandit-main"));
    }
    const last = history.at(-1)!;
    expect(last.on).toBeGreaterThan(80);
    // The floor: 5 % of the rule's traffic for every arm, and the total kept.
    for (const allocation of history) {
      for (const value of Object.values(allocation)) expect(value).toBeGreaterThanOrEqual(5);
      const total = Object.values(allocation).reduce((sum, value) => sum + value, 0);
      expect(Math.round(total * 1000)).toBe(100_000);
    }
    // The engine serves what the rule says: most new visitors now get `on`.
    const payload = await compileEnvironmentPayload(server.context, "demo", "production");
    const evaluator = createEvaluator(payload);
    let on = 0;
    for (let i = 0; i < 2000; i++) {
      if (
        evaluator.evaluate("bandit-main", { code: `probe-${i}`, attributes: {} }, clock).variationKey === "on"
      )
        on++;
    }
    expect(on / 2000).toBeGreaterThan(0.75);
  });

  it("audits each re-allocation with its new weights, as the bandit automation", async () => {
    const audit = await auditOf(main.flagId);
    const changes = audit.filter(
      (entry) => entry.actor === "automation:bandit" && entry.action === "flag.update-rule",
    );
    const notes = audit.filter((entry) => entry.action === BANDIT_REALLOCATION_ACTION);
    expect(changes.length).toBeGreaterThanOrEqual(1);
    expect(notes.length).toBe(changes.length);
    const lastChange = changes.at(-1)!;
    const ruleAfter = lastChange.after.environmentConfigurations.find(
      (e: J) => e.environmentKey === "production",
    ).rolloutRules[0];
    const current = await allocationsOf("bandit-main");
    expect(
      Object.fromEntries(ruleAfter.trafficAllocations.map((a: J) => [a.variationKey, a.exposition])),
    ).toEqual(current);
    const note = notes.at(-1)!.after;
    expect(note).toMatchObject({
      ruleId: main.ruleId,
      environmentKey: "production",
      goalId: main.goalIds[0],
      floor: 0.05,
    });
    expect(note.arms.map((arm: J) => arm.variationKey)).toEqual(["off", "on", "v2"]);
    for (const arm of note.arms) {
      expect(arm.exposition).toBe(current[arm.variationKey]);
      expect(arm.units).toBeGreaterThanOrEqual(100);
      expect(arm.weight).toBeGreaterThanOrEqual(0.05);
    }
    expect(note.arms.reduce((sum: number, arm: J) => sum + arm.weight, 0)).toBeCloseTo(1, 9);
  });

  it("delivers the new weights to SDKs", async () => {
    const payload = await sdkConfig();
    const rule = payload.flags["bandit-main"].rules[0];
    expect(Object.fromEntries(rule.trafficAllocations.map((a: J) => [a.variationKey, a.exposition]))).toEqual(
      await allocationsOf("bandit-main"),
    );
    // reallocation: false keeps the bucketing salt.
    expect(rule.respoolTime ?? null).toBeNull();
  });

  it("refuses manual edits of a bandit rule's allocations, whatever the route, and lets other edits through", async () => {
    const current = await allocationsOf("bandit-main");
    const edited = [
      { variationKey: "off", exposition: 50 },
      { variationKey: "on", exposition: 25 },
      { variationKey: "v2", exposition: 25 },
    ];
    const byRule = await server.request("PATCH", `/feature-flags/rules/${main.ruleId}`, {
      body: { trafficAllocations: edited },
    });
    expect(byRule.status, byRule.text).toBe(400);
    expect(byRule.body.message).toMatch(/body\.trafficAllocations .*multi-armed bandit/);

    const rule = await ruleOf("bandit-main");
    const byEnvironment = await server.request("PATCH", "/feature-flags/demo/bandit-main/production", {
      body: { rolloutRules: [{ ...rule, trafficAllocations: edited }] },
    });
    expect(byEnvironment.status, byEnvironment.text).toBe(400);
    expect(byEnvironment.body.message).toMatch(/trafficAllocations/);

    const flag = (await server.request("GET", "/feature-flags/demo/bandit-main")).body;
    const production = flag.environmentConfigurations.find((e: J) => e.environmentKey === "production");
    production.rolloutRules[0].trafficAllocations = edited;
    const byFlag = await server.request("PATCH", "/feature-flags/demo/bandit-main", {
      body: { environmentConfigurations: flag.environmentConfigurations },
    });
    expect(byFlag.status, byFlag.text).toBe(400);
    expect(byFlag.body.message).toMatch(
      /environmentConfigurations\.\d+\.rolloutRules\.0\.trafficAllocations/,
    );
    expect(await allocationsOf("bandit-main")).toEqual(current);

    // Other fields of the rule, and the allocations sent back unchanged, pass.
    const renamed = await server.request("PATCH", `/feature-flags/rules/${main.ruleId}`, {
      body: { name: "Bandit", trafficAllocations: rule.trafficAllocations },
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect(await allocationsOf("bandit-main")).toEqual(current);
  });

  it("re-buckets visitors when reallocation is true, and keeps their buckets when it is false", async () => {
    const evaluate = (payload: EvaluationPayload, featureKey: string) => {
      const evaluator = createEvaluator(payload);
      return Array.from(
        { length: 3000 },
        (_, i) => evaluator.evaluate(featureKey, { code: `bucket-${i}`, attributes: {} }, clock).variationKey,
      );
    };
    const before = await compileEnvironmentPayload(server.context, "demo", "production");
    const mainBefore = evaluate(before, "bandit-main");
    const respooledBefore = evaluate(before, "bandit-respool");

    await traffic(respooled, RATES.respooled, 3000);
    await traffic(main, RATES.main, 3000);
    const summary = await banditTick();
    expect(summary.failures).toEqual([]);
    const allocations = await allocationsOf("bandit-respool");
    expect(allocations.on).toBeGreaterThan(50);

    const after = await compileEnvironmentPayload(server.context, "demo", "production");
    const respooledRule = after.flags["bandit-respool"]!.rules[0]!;
    expect(respooledRule.respoolTime).toBe(clock);
    // `on` grew: without a new salt every visitor who had `on` would keep it; with one, some move.
    const respooledAfter = evaluate(after, "bandit-respool");
    const movedOff = respooledBefore.filter((v, i) => v === "on" && respooledAfter[i] === "off").length;
    expect(movedOff).toBeGreaterThan(0);

    // reallocation: false: same salt, so a visitor moves only where the arm boundaries moved.
    expect(after.flags["bandit-main"]!.rules[0]!.respoolTime ?? null).toBeNull();
    const mainAfter = evaluate(after, "bandit-main");
    const boundaries = (payload: EvaluationPayload) => {
      let cumulative = 0;
      return payload.flags["bandit-main"]!.rules[0]!.trafficAllocations!.map((a) => {
        cumulative += a.exposition;
        return cumulative;
      });
    };
    const [b0, b1] = [boundaries(before), boundaries(after)];
    const moved = mainBefore.filter((v, i) => v !== mainAfter[i]).length;
    // Only visitors whose bucket lies between an old and a new boundary can move.
    const movable = b0.reduce((sum, boundary, i) => sum + Math.abs(boundary - b1[i]!), 0);
    expect(moved / 3000).toBeLessThanOrEqual(movable / 100 + 0.03);
  });
});
