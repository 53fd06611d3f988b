import type { AppContext } from "../app-context.js";
import { buildServices } from "../composition.js";
import { simulateDirect } from "../events/simulate.command.js";
import { projectsStore } from "../projects/projects.store.js";

export const DEMO_PROJECT_KEY = "demo";
const DEMO_FLAG = "new_checkout";
const DEMO_VISITORS = 20_000;
const DEMO_DAYS = 14;

/** Creates the `demo` project (development, staging, production) unless it exists. */
export async function ensureDemoProject(context: AppContext): Promise<boolean> {
  if (await projectsStore.find(context.db, DEMO_PROJECT_KEY)) return false;
  await context.services.projects.create("system:demo", {
    key: DEMO_PROJECT_KEY,
    name: "Demo",
    description: "A project to try Vexil with.",
  });
  return true;
}

/**
 * On the demo project's first start: a `purchase` goal, a `new_checkout` flag running an A/B experiment in
 * production, and simulated traffic (off converts at 10 %, on at 12 %) so results are not empty.
 */
export async function ensureDemoData(context: AppContext): Promise<{ created: boolean; events: number }> {
  if (!(await ensureDemoProject(context))) return { created: false, events: 0 };
  const actor = { name: "system:demo", id: null };
  // The goal, flag and experiment date from the start of the simulated traffic, so every results view
  // (Kameleoon's, the experiment's iteration from its start, LaunchDarkly's legacy one) counts all of it.
  const trafficStart = context.now() - DEMO_DAYS * 86_400_000;
  const then = buildServices({ ...context, now: () => trafficStart });
  const goal = await then.goals.create(actor, {
    siteCode: DEMO_PROJECT_KEY,
    name: "Purchase",
    key: "purchase",
    isNumeric: true,
    unit: "EUR",
  });
  await then.flags.create(actor, {
    siteCode: DEMO_PROJECT_KEY,
    featureKey: DEMO_FLAG,
    name: "New checkout",
    description: "One-page checkout, tested against the current one.",
    primaryGoalId: goal.id,
    variations: [
      { key: "off", name: "Current checkout" },
      { key: "on", name: "One-page checkout" },
    ],
    environmentConfigurations: [
      {
        environmentKey: "production",
        featureEnabled: true,
        defaultVariationKey: "off",
        rolloutRules: [
          {
            type: "EXPERIMENTATION",
            name: "One-page checkout A/B test",
            exposition: 100,
            state: "ACTIVE",
            controlVariationKey: "off",
            trafficAllocations: [
              { variationKey: "off", exposition: 50 },
              { variationKey: "on", exposition: 50 },
            ],
          },
        ],
      },
    ],
  });
  const { events } = await simulateDirect(
    context,
    {
      project: DEMO_PROJECT_KEY,
      environment: "production",
      flag: DEMO_FLAG,
      visitors: DEMO_VISITORS,
      goal: String(goal.id),
      rates: { off: 0.1, on: 0.12 },
      values: { mean: 60, sd: 20 },
      days: DEMO_DAYS,
      seed: 1,
      direct: true,
      url: "",
      token: undefined,
      dataDir: undefined,
      databaseUrl: undefined,
    },
    { quiet: true },
  );
  return { created: true, events };
}
