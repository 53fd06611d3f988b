import { parseInstant } from "@vexil/engine";
import type { RolloutConfiguration, Rule } from "../api/types.js";

type Step = NonNullable<RolloutConfiguration["steps"]>[number];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// Wall-clock date-times as the editor's inputs write them ("2027-04-01T09:00:00", no offset).
const wallClock = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 19);

/**
 * The schedule switched to another type with only the fields that type takes (the API refuses a regular
 * ramp's fields on custom steps and the reverse), carrying over what translates: the regular ramp's start
 * time and stop % become the first custom step, the first custom step's time the regular ramp's start.
 */
export function withScheduleType(
  config: RolloutConfiguration | undefined,
  type: RolloutConfiguration["type"],
  now = Date.now(),
): RolloutConfiguration {
  if (config?.type === type) return config;
  if (type === "CUSTOM_RAMP_UP") {
    const first: Step = {
      dateTime: config?.releaseDateTime ?? wallClock(Math.ceil(now / HOUR) * HOUR),
      exposure: config?.percentageRange?.stop ?? 100,
    };
    return { type, steps: [first] };
  }
  return {
    type,
    releaseDateTime: config?.steps?.[0]?.dateTime ?? wallClock(Math.ceil(now / HOUR) * HOUR),
    percentageRange: { start: 10, stop: 100 },
    increaseBy: 10,
    frequency: { unit: "Days", value: 1 },
  };
}

/** The step "Add step" appends: a day after the last step (the API wants increasing times), at 100 %. */
export function nextCustomStep(steps: readonly Step[] | undefined, now = Date.now()): Step {
  const last = steps?.[steps.length - 1];
  const lastAt = last ? parseInstant(last.dateTime, "UTC") : Number.NaN;
  const at = Number.isFinite(lastAt) ? lastAt + DAY : Math.ceil(now / HOUR) * HOUR;
  return { dateTime: wallClock(at), exposure: 100 };
}

/**
 * A rule as it is saved: custom ramp steps in time order (the API refuses them otherwise, and the preview
 * already shows them in that order), whatever order the person typed them in.
 */
export function ruleToSave(rule: Rule): Rule {
  const config = rule.rolloutConfiguration;
  if (config?.type !== "CUSTOM_RAMP_UP" || !config.steps) return rule;
  const zone = rule.release?.timeZone ?? "UTC";
  const steps = config.steps
    .map((step, i) => ({ step, i, at: parseInstant(step.dateTime, zone) }))
    // Unreadable times keep their place at the end; the server names them.
    .sort(
      (a, b) =>
        (Number.isFinite(a.at) ? a.at : Infinity) - (Number.isFinite(b.at) ? b.at : Infinity) || a.i - b.i,
    )
    .map((s) => s.step);
  return { ...rule, rolloutConfiguration: { ...config, steps } };
}
