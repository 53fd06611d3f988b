// Kameleoon's `rolloutConfiguration.frequency.unit` (issue 12 item 1): every value of the documented
// enumeration (java.time's ChronoUnit names) is accepted and means what the engine's schedule says; the
// older Vexil names are refused with the list; flags stored with them are renamed by migration 0009, on
// SQLite and PostgreSQL alike.

import { currentExposition, FREQUENCY_UNITS } from "@vexil/engine";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import { frequencyUnitsMigration } from "../src/storage/migrations/0009-frequency-units.js";
import { createFlag, expectKameleoonError, type J } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer } from "./harness.js";

// Kameleoon's documented enumeration, written out here (not imported) so a change to the engine's list shows.
const DOCUMENTED = [
  "Nanos",
  "Micros",
  "Millis",
  "Seconds",
  "Minutes",
  "Hours",
  "HalfDays",
  "Days",
  "Weeks",
  "Months",
  "Years",
  "Decades",
  "Centuries",
  "Millennia",
  "Eras",
  "Forever",
];

const T0 = Date.parse("2026-01-31T08:00:00.000Z");
let clock = T0;
let server: TestServer;

const ramp = (unit: string) => ({
  type: "PROGRESSIVE_DELIVERY",
  name: `every ${unit}`,
  state: "ACTIVE",
  variationKey: "on",
  release: { timeZone: "Europe/Paris" },
  rolloutConfiguration: {
    type: "PROGRESSIVE_EXPOSURE",
    percentageRange: { start: 10, stop: 100 },
    increaseBy: 10,
    frequency: { unit, value: 1 },
    releaseDateTime: "2026-01-31T09:00:00",
  },
});

const flagBody = (featureKey: string, units: string[]) => ({
  featureKey,
  name: featureKey,
  environmentConfigurations: [
    {
      environmentKey: "production",
      featureEnabled: true,
      defaultVariationKey: "off",
      rolloutRules: units.map(ramp),
    },
  ],
});

const rulesOf = (view: J) =>
  view.environmentConfigurations.find((e: J) => e.environmentKey === "production").rolloutRules as J[];

beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  await ensureDemoProject(server.context);
});
afterAll(async () => server?.close());

describe("frequency units", () => {
  it("accepts every documented unit and answers the engine's exposition for it", async () => {
    expect([...FREQUENCY_UNITS]).toEqual(DOCUMENTED);
    const flag = await createFlag(server, flagBody("all_units", DOCUMENTED));
    expect(rulesOf(flag).map((r) => r.rolloutConfiguration.frequency.unit)).toEqual(DOCUMENTED);
    // 28 February 09:00 Paris: a calendar month after 31 January is 28 February (day clamped), so Months
    // has stepped once (20 %); Days 28 times (capped at 100 %); Forever and Eras never (10 %).
    clock = Date.parse("2026-02-28T08:00:00.000Z");
    const read = await server.request("GET", "/feature-flags/demo/all_units");
    const byUnit = Object.fromEntries(
      rulesOf(read.body).map((r) => [r.rolloutConfiguration.frequency.unit, r.currentExposition]),
    );
    expect(byUnit).toMatchObject({
      Months: 20,
      Years: 10,
      Days: 100,
      Weeks: 50,
      Forever: 10,
      Eras: 10,
      Nanos: 100,
    });
    for (const rule of rulesOf(read.body))
      expect(rule.currentExposition).toBe(currentExposition(rule, clock));
    clock = Date.parse("2026-02-28T07:59:59.999Z");
    const before = await server.request("GET", "/feature-flags/demo/all_units");
    expect(rulesOf(before.body).find((r) => r.name === "every Months").currentExposition).toBe(10);
    clock = T0;
  });

  it("refuses the older names and anything else with the documented list", async () => {
    for (const unit of ["DAY", "MONTH", "days"]) {
      const response = await server.request("POST", "/feature-flags", {
        body: { siteCode: "demo", ...flagBody(`bad_${unit}`, [unit]) },
      });
      expectKameleoonError(response, 400, /rolloutConfiguration\.frequency\.unit.*"Millennia"/);
    }
  });
});

describe("migration 0009-frequency-units", () => {
  it("renames MINUTE, HOUR, DAY and WEEK in stored flags to the documented names", async () => {
    const created = await createFlag(
      server,
      flagBody("old_units", ["Minutes", "Hours", "Days", "Weeks", "Months"]),
    );
    // A flag as an earlier Vexil stored it: the same document with the old names.
    const row = await sql<{ document: string }>`select document from flags where id = ${created.id}`.execute(
      server.context.db,
    );
    const old = row.rows[0]!.document.replace(
      /"unit":"(Minutes|Hours|Days|Weeks)"/g,
      (_m, unit: string) => `"unit":"${unit.slice(0, -1).toUpperCase()}"`,
    );
    expect(old).toContain('"unit":"WEEK"');
    await sql`update flags set document = ${old} where id = ${created.id}`.execute(server.context.db);
    // Run the migration itself on the old document (later migrations were already applied, so the
    // migrator would refuse to re-run an earlier one).
    await frequencyUnitsMigration(server.context.db as never);
    const after = await server.request("GET", "/feature-flags/demo/old_units");
    expect(after.status).toBe(200);
    expect(rulesOf(after.body).map((r) => r.rolloutConfiguration.frequency.unit)).toEqual([
      "Minutes",
      "Hours",
      "Days",
      "Weeks",
      "Months",
    ]);
    // The meaning is unchanged, so the version is too.
    expect(after.body.version).toBe(created.version);
  });
});
