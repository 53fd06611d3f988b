// Progressive delivery automation (docs/automation.md): with a moved clock and simulated SDK traffic, a
// PROGRESSIVE_EXPOSURE rule ramps 10 -> 100 % on schedule, the stored value and the API follow the engine,
// each step and the end are audited, and the share of visitors an SDK exposes follows the schedule.

import { createClient, type VexilClient } from "@vexil/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLLOUT_FINISHED_ACTION } from "../src/automation/progressive-delivery.js";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import { createFlag, type J } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer, testDatabaseKind } from "./harness.js";

const HOUR = 3_600_000;
const T0 = Date.parse("2026-03-02T09:00:00.000Z");
let clock = T0;
let server: TestServer;
let sdk: VexilClient;
let flag: J;

const ruleOf = (view: J, environmentKey: string) =>
  view.environmentConfigurations.find((e: J) => e.environmentKey === environmentKey).rolloutRules[0];

async function readFlag(featureKey = "ramp") {
  const response = await server.request("GET", `/feature-flags/demo/${featureKey}`);
  expect(response.status).toBe(200);
  return response.body;
}

async function tick() {
  const outcomes = await server.automation.runDueTicks();
  for (const outcome of outcomes) expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: "READY" });
  return Object.fromEntries(outcomes.map((o) => [o.kind, o.result])) as Record<string, J>;
}

async function waitFor(condition: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the SDK");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The share (%) of 10,000 simulated visitors the SDK serves `on`, at the test clock. */
function exposedShare(): number {
  let exposed = 0;
  for (let i = 0; i < 10_000; i++) if (sdk.getVariationKey("ramp", `visitor-${i}`) === "on") exposed++;
  return exposed / 100;
}

async function auditOf(flagId: number): Promise<J[]> {
  const response = await server.request(
    "GET",
    `/audit-log?resourceType=feature-flag&resourceId=${flagId}&limit=500`,
  );
  expect(response.status).toBe(200);
  return [...response.body.items].reverse();
}

beforeAll(async () => {
  server = await startTestServer({ listen: true, now: () => clock });
  await ensureDemoProject(server.context);
  flag = await createFlag(server, {
    featureKey: "ramp",
    name: "Ramp",
    environmentConfigurations: [
      {
        environmentKey: "production",
        featureEnabled: true,
        defaultVariationKey: "off",
        rolloutRules: [
          {
            type: "PROGRESSIVE_DELIVERY",
            name: "Ramp up",
            variationKey: "on",
            rolloutConfiguration: {
              type: "PROGRESSIVE_EXPOSURE",
              percentageRange: { start: 10, stop: 100 },
              increaseBy: 30,
              frequency: { unit: "Hours", value: 1 },
              releaseDateTime: "2026-03-02T10:00:00Z",
            },
          },
        ],
      },
      {
        environmentKey: "staging",
        featureEnabled: true,
        rolloutRules: [
          {
            type: "PROGRESSIVE_DELIVERY",
            variationKey: "on",
            rolloutConfiguration: {
              type: "CUSTOM_RAMP_UP",
              steps: [
                { dateTime: "2026-03-02T10:00:00Z", exposure: 5 },
                { dateTime: "2026-03-02T11:30:00Z", exposure: 50 },
                { dateTime: "2026-03-02T13:00:00Z", exposure: 100 },
              ],
            },
          },
        ],
      },
    ],
  });
  const project = await server.request("GET", "/projects/demo");
  const production = project.body.environments.find((e: J) => e.key === "production");
  sdk = createClient({
    sdkKey: production.serverSdkKey,
    baseUrl: server.baseUrl,
    now: () => clock,
    evaluationReportIntervalMs: 3_600_000,
    eventsFlushIntervalMs: 3_600_000,
    logger: { warn: () => {}, error: () => {} },
  });
  await sdk.ready();
});

afterAll(async () => {
  await sdk?.close();
  await server?.close();
});

describe(`progressive delivery ticks (${testDatabaseKind})`, () => {
  it("stores the engine's exposition at each step and the SDK's exposed share follows the schedule", async () => {
    // The rule as created: exposition = start, nobody exposed before the release.
    expect(ruleOf(flag, "production")).toMatchObject({ exposition: 10, currentExposition: 0 });
    expect(exposedShare()).toBe(0);

    // Before the release the engine says 0: the stored value follows.
    let results = await tick();
    expect(results.progressive).toMatchObject({ flagsChanged: 1, rulesChanged: 1, finished: 0 });
    expect(ruleOf(await readFlag(), "production")).toMatchObject({ exposition: 0, currentExposition: 0 });

    const schedule: [offsetHours: number, exposition: number][] = [
      [1, 10],
      [2, 40],
      [3, 70],
      [4, 100],
    ];
    let version = (await readFlag()).version as number;
    const measured: string[] = [];
    for (const [offset, expected] of schedule) {
      clock = T0 + offset * HOUR;
      // The engine derives exposure from the clock: API and SDK follow before any tick stores it.
      expect(ruleOf(await readFlag(), "production").currentExposition).toBe(expected);
      const share = exposedShare();
      expect(Math.abs(share - expected), `share ${share}% at +${offset} h`).toBeLessThan(1.5);
      measured.push(`+${offset} h: ${expected}% scheduled, ${share}% of 10,000 visitors exposed`);

      results = await tick();
      expect(results.progressive.failures).toEqual([]);
      const view = await readFlag();
      expect(ruleOf(view, "production")).toMatchObject({ exposition: expected, currentExposition: expected });
      expect(view.version).toBeGreaterThan(version);
      version = view.version;
      // The stored step reaches the SDK's stream like any change.
      await waitFor(() => sdk.getPayload()!.flags.ramp!.rules[0]!.exposition === expected);
    }

    // Past the end: nothing more to store; a second tick in the same slot does not run again.
    clock = T0 + 5 * HOUR;
    const after = await server.automation.runDueTicks();
    const again = await server.automation.runDueTicks();
    expect(again.map((o) => o.jobId)).toEqual(after.map((o) => o.jobId));
    expect(ruleOf(await readFlag(), "production").exposition).toBe(100);
    expect(exposedShare()).toBe(100);
    console.log(`progressive: ${measured.join("; ")}`);
  });

  it("audits every step as automation, and the end of each schedule once", async () => {
    const entries = (await auditOf(flag.id)).filter((e) => e.actor === "automation");
    const steps = entries.filter((e) => e.action === "flag.progressive-exposition");
    const productionSteps = steps
      .map((e) => [ruleOf(e.before, "production").exposition, ruleOf(e.after, "production").exposition])
      .filter(([before, after]) => before !== after);
    expect(productionSteps).toEqual([
      [10, 0],
      [0, 10],
      [10, 40],
      [40, 70],
      [70, 100],
    ]);
    const finished = entries.filter((e) => e.action === ROLLOUT_FINISHED_ACTION);
    expect(finished.map((e) => e.after)).toEqual([
      expect.objectContaining({
        ruleId: ruleOf(flag, "staging").id,
        environmentKey: "staging",
        exposition: 100,
        finishedAt: "2026-03-02T13:00:00.000Z",
      }),
      expect.objectContaining({
        ruleId: ruleOf(flag, "production").id,
        ruleName: "Ramp up",
        environmentKey: "production",
        previousExposition: 70,
        exposition: 100,
        finishedAt: "2026-03-02T13:00:00.000Z",
      }),
    ]);
    // The custom ramp in staging went through its steps on the same ticks.
    const stagingSteps = steps
      .map((e) => [ruleOf(e.before, "staging").exposition, ruleOf(e.after, "staging").exposition])
      .filter(([before, after]) => before !== after);
    expect(stagingSteps).toEqual([
      [0, 5],
      [5, 50],
      [50, 100],
    ]);
  });

  it("leaves paused rules, archived flags and rules without a schedule alone", async () => {
    const rampFrom = new Date(clock + HOUR).toISOString();
    const paused = await createFlag(server, {
      featureKey: "paused-ramp",
      name: "Paused ramp",
      environmentConfigurations: [
        {
          environmentKey: "production",
          featureEnabled: true,
          rolloutRules: [
            {
              type: "PROGRESSIVE_DELIVERY",
              variationKey: "on",
              state: "PAUSED",
              rolloutConfiguration: {
                type: "PROGRESSIVE_EXPOSURE",
                percentageRange: { start: 20, stop: 80 },
                increaseBy: 20,
                frequency: { unit: "Days", value: 1 },
                releaseDateTime: rampFrom,
              },
            },
            { type: "PROGRESSIVE_DELIVERY", variationKey: "on", exposition: 35 },
          ],
        },
      ],
    });
    await createFlag(server, {
      featureKey: "archived-ramp",
      name: "Archived ramp",
      archived: true,
      environmentConfigurations: [
        {
          environmentKey: "production",
          featureEnabled: true,
          rolloutRules: [
            {
              type: "PROGRESSIVE_DELIVERY",
              variationKey: "on",
              rolloutConfiguration: {
                type: "CUSTOM_RAMP_UP",
                steps: [{ dateTime: rampFrom, exposure: 60 }],
              },
            },
          ],
        },
      ],
    });
    clock += 3 * HOUR;
    const results = await tick();
    expect(results.progressive).toMatchObject({ flags: 2, flagsChanged: 0, rulesChanged: 0 });
    const view = await readFlag("paused-ramp");
    expect(view.version).toBe(paused.version);
    const production = view.environmentConfigurations.find((e: J) => e.environmentKey === "production");
    expect(production.rolloutRules.map((r: J) => r.exposition)).toEqual([20, 35]);
    expect(ruleOf(await readFlag("archived-ramp"), "production").exposition).toBe(0);
  });
});
