import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import { automaticActionNotices } from "../src/notifications/automatic-action-notices.js";
import { createFlag, type J } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer, testDatabaseKind } from "./harness.js";

// docs/notifications.md: when automation acts on a rule (a rollback, a bandit re-allocation, a progressive
// step), the recipients the rule names (its rollback conditions' recipients) get an email, queued in the
// transaction of the change (notifications/automatic-action.ts subscribes to the outbox).

const HOUR = 3_600_000;
let clock = Date.parse("2026-03-02T09:00:00Z");
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  await ensureDemoProject(server.context);
});

afterAll(async () => {
  await server?.close();
});

describe(`automation emails (${testDatabaseKind})`, () => {
  it("emails a progressive rule's recipients when a tick moves its exposition", async () => {
    const goal = await server.request("POST", "/goals", {
      body: { siteCode: "demo", name: "Buy", key: "buy" },
    });
    const flag = await createFlag(server, {
      featureKey: "ramp-mail",
      name: "Ramp mail",
      primaryGoalId: goal.body.id,
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
              rollbackConditions: [
                {
                  criteria: "CONVERSION_RATE",
                  comparisonOperator: "LESS_THAN",
                  matchValue: 0,
                  goalId: goal.body.id,
                  visitors: 1_000_000,
                  recipients: ["owner@example.com"],
                },
              ],
            },
          ],
        },
      ],
    });
    // At the release instant the schedule starts at 10 %; an hour later it steps to 40 %.
    clock = Date.parse("2026-03-02T10:00:00Z");
    await server.automation.runDueTicks();
    clock += HOUR;
    await server.automation.runDueTicks();

    const emails = await server.request("GET", "/notification-emails?projectKey=demo");
    expect(emails.status).toBe(200);
    const progressive = emails.body.items.filter((e: J) => e.kind === "progressive" && e.flagId === flag.id);
    expect(progressive.length).toBeGreaterThan(0);
    expect(progressive[0]).toMatchObject({
      recipients: ["owner@example.com"],
      featureKey: "ramp-mail",
      environmentKey: "production",
      subject: "[Vexil] Progressive delivery on ramp-mail (demo/production)",
    });
    expect(progressive[0].body).toContain("exposition");
  });
});

describe("the emails an automation change asks for", () => {
  const base = { projectKey: "demo", actor: "automation:bandit", eventId: 1, at: new Date(0) };

  it("a bandit re-allocation: one email to the rule's recipients, with each arm's move", () => {
    const notices = automaticActionNotices({
      ...base,
      action: "flag.bandit-reallocation",
      resourceType: "feature-flag",
      resourceId: "7",
      after: {
        featureKey: "checkout",
        ruleId: 12,
        environmentKey: "production",
        recipients: ["a@example.com"],
        arms: [
          { variationKey: "off", previousExposition: 50, exposition: 20 },
          { variationKey: "on", previousExposition: 50, exposition: 80 },
        ],
      },
    });
    expect(notices).toEqual([
      {
        projectKey: "demo",
        flagId: 7,
        featureKey: "checkout",
        environmentKey: "production",
        ruleId: 12,
        kind: "bandit",
        summary: "Rule 12 in production: traffic re-allocated (off 50 % → 20 %, on 50 % → 80 %).",
        recipients: ["a@example.com"],
      },
    ]);
  });

  it("a rollback: the recipients of the condition that acted", () => {
    const [notice] = automaticActionNotices({
      ...base,
      action: "flag.rollback",
      resourceType: "feature-flag",
      resourceId: "7",
      after: {
        featureKey: "checkout",
        ruleId: 12,
        environmentKey: "production",
        summary: "Rule 12 paused.",
        condition: { recipients: ["b@example.com"] },
      },
    });
    expect(notice).toMatchObject({
      kind: "rollback",
      summary: "Rule 12 paused.",
      recipients: ["b@example.com"],
    });
  });

  it("nothing for a person's change or another resource", () => {
    const change = { ...base, resourceId: "7", after: { featureKey: "checkout" } };
    expect(
      automaticActionNotices({ ...change, action: "flag.update", resourceType: "feature-flag" }),
    ).toEqual([]);
    expect(automaticActionNotices({ ...change, action: "flag.rollback", resourceType: "segment" })).toEqual(
      [],
    );
  });
});
