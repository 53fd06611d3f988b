// Time-dependent parts of a rule: its status (state + release window) and the exposition a progressive
// rule has at a given instant. Both are pure functions of the rule and the clock, so a ramp advances on
// every SDK without anything being pushed.

import { epochToWallTime, isValidTimeZone, parseInstant, wallTimeToEpoch } from "./time.js";
import type { CompiledRule, RolloutConfiguration, RuleStatus } from "./types.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Mean Gregorian month, only to estimate a step index (calendar math fixes the estimate). */
const MEAN_MONTH_MS = 2_629_746_000;
const MAX_DATE_MS = 8.64e15;

/**
 * Kameleoon's `frequency.unit` values (java.time's ChronoUnit). Up to HalfDays a step is a fixed duration;
 * from Days on it is calendar arithmetic on the wall clock in the rule's time zone (a month is a calendar
 * month, the day clamped to the month's last). Eras and Forever never end: the ramp stays at its start.
 */
export const FREQUENCY_UNITS = [
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
] as const;

const FIXED_MS: Readonly<Record<string, number>> = {
  Nanos: 1e-6,
  Micros: 1e-3,
  Millis: 1,
  Seconds: 1000,
  Minutes: MINUTE_MS,
  Hours: HOUR_MS,
  HalfDays: 12 * HOUR_MS,
  // Vexil's names before Kameleoon's enumeration, still read from older payloads.
  MINUTE: MINUTE_MS,
  HOUR: HOUR_MS,
};
const CALENDAR_DAYS: Readonly<Record<string, number>> = { Days: 1, Weeks: 7, DAY: 1, WEEK: 7 };
const CALENDAR_MONTHS: Readonly<Record<string, number>> = {
  Months: 1,
  Years: 12,
  Decades: 120,
  Centuries: 1200,
  Millennia: 12_000,
};
const ENDLESS = new Set(["Eras", "Forever"]);

/** Wall-clock time `months` calendar months after `wall`, the day clamped to the target month's length. */
function addMonths(wall: number, months: number): number {
  const date = new Date(wall);
  const timeOfDay = wall - Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const first = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1);
  const target = new Date(first);
  const length = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return first + (Math.min(date.getUTCDate(), length) - 1) * DAY_MS + timeOfDay;
}

/**
 * The start instant of step k (k = 0 is the release) of a ramp stepping every `count` `unit`s, and a
 * step length close enough to estimate k from elapsed time; undefined for an unknown unit. A step past
 * the representable calendar starts at Infinity (never).
 */
export function rampSteps(
  unit: unknown,
  count: number,
  release: number,
  tz: string,
): { stepStart(k: number): number; approxStepMs: number } | undefined {
  if (typeof unit !== "string") return undefined;
  // A wall time past the calendar JavaScript can represent (Date's ±8.64e15 ms) is never reached.
  const instantOf = (wallMs: number) => {
    if (!(Math.abs(wallMs) < MAX_DATE_MS - 2 * DAY_MS)) return Infinity;
    const instant = wallTimeToEpoch(wallMs, tz);
    return Number.isNaN(instant) ? Infinity : instant;
  };
  const fixed = FIXED_MS[unit];
  if (fixed !== undefined) {
    const length = count * fixed;
    return { stepStart: (k) => release + k * length, approxStepMs: length };
  }
  if (ENDLESS.has(unit)) return { stepStart: (k) => (k === 0 ? release : Infinity), approxStepMs: Infinity };
  const days = CALENDAR_DAYS[unit];
  const months = CALENDAR_MONTHS[unit];
  if (days === undefined && months === undefined) return undefined;
  const wall = epochToWallTime(release, tz);
  if (days !== undefined) {
    // Calendar days in the rule's zone: "every day at 09:00" stays at 09:00 across DST changes.
    return {
      stepStart: (k) => (k === 0 ? release : instantOf(wall + k * count * days * DAY_MS)),
      approxStepMs: count * days * DAY_MS,
    };
  }
  const step = count * (months as number);
  return {
    stepStart: (k) => (k === 0 ? release : instantOf(addMonths(wall, k * step))),
    approxStepMs: step * MEAN_MONTH_MS,
  };
}

/** Active interval [from, to) of a rule in epoch ms (infinite ends when unset). */
export interface ReleaseInterval {
  readonly from: number;
  readonly to: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Time zone of a rule's wall-clock date-times; undefined when it names an unknown zone. */
export function ruleTimeZone(rule: CompiledRule): string | undefined {
  const tz = isRecord(rule.release) ? rule.release.timeZone : undefined;
  if (tz === undefined || tz === null || tz === "") return "UTC";
  return typeof tz === "string" && isValidTimeZone(tz) ? tz : undefined;
}

/** Release window as instants; undefined when a date or the zone is unreadable. */
export function compileReleaseInterval(rule: CompiledRule): ReleaseInterval | undefined {
  const release = rule.release;
  if (release === undefined || release === null) return { from: -Infinity, to: Infinity };
  if (!isRecord(release)) return undefined;
  const tz = ruleTimeZone(rule);
  if (tz === undefined) return undefined;
  let from = -Infinity;
  let to = Infinity;
  if (release.releaseFrom !== undefined && release.releaseFrom !== null && release.releaseFrom !== "") {
    from = parseInstant(release.releaseFrom, tz);
    if (Number.isNaN(from)) return undefined;
  }
  if (release.releaseTo !== undefined && release.releaseTo !== null && release.releaseTo !== "") {
    to = parseInstant(release.releaseTo, tz);
    if (Number.isNaN(to)) return undefined;
  }
  return { from, to };
}

/** Status of a rule at `now` (epoch ms): PAUSED, PLANNED (before releaseFrom), OUTDATED (from releaseTo), ACTIVE. */
export function ruleStatus(rule: CompiledRule, now: number = Date.now()): RuleStatus {
  if (!isRecord(rule) || rule.state !== "ACTIVE") return "PAUSED";
  const interval = compileReleaseInterval(rule);
  // An unreadable window never runs; the engine reports such a rule as a PARSE_ERROR.
  if (interval === undefined) return "PAUSED";
  if (now < interval.from) return "PLANNED";
  if (now >= interval.to) return "OUTDATED";
  return "ACTIVE";
}

/** A piecewise-constant exposition over time, with the current piece cached (ramps change rarely). */
export interface ExpositionSchedule {
  /** Exposition (0-100) in force at `now`. */
  at(now: number): number;
  /** The constant piece containing `now`: [from, to) and the exposition over it (infinite ends unbounded). */
  piece(now: number): readonly [from: number, to: number, exposition: number];
}

function isPercent(value: unknown): value is number {
  return typeof value === "number" && value >= 0 && value <= 100;
}

// Percentages are added in steps like 0.1: round to the engine's resolution (0.001 %) to stay exact.
function roundPercent(value: number): number {
  return Math.round(value * 1000) / 1000;
}

class StepSchedule implements ExpositionSchedule {
  private from = 1;
  private to = 0;
  private value = 0;

  /** `pieceAt(now)` returns [from, to, value] of the constant piece containing `now`. */
  constructor(private readonly pieceAt: (now: number) => [number, number, number]) {}

  piece(now: number): [number, number, number] {
    return this.pieceAt(now);
  }

  at(now: number): number {
    if (now >= this.from && now < this.to) return this.value;
    const [from, to, value] = this.pieceAt(now);
    this.from = from;
    this.to = to;
    this.value = value;
    return value;
  }
}

function progressiveExposure(config: Record<string, unknown>, tz: string): ExpositionSchedule | undefined {
  const range = config.percentageRange;
  const frequency = config.frequency;
  const increaseBy = config.increaseBy;
  if (!isRecord(range) || !isRecord(frequency)) return undefined;
  const start = range.start;
  const stop = range.stop;
  if (!isPercent(start) || !isPercent(stop) || start > stop) return undefined;
  if (typeof increaseBy !== "number" || !(increaseBy >= 0) || !Number.isFinite(increaseBy)) return undefined;
  const count = frequency.value;
  if (typeof count !== "number" || !Number.isInteger(count) || count <= 0) return undefined;
  const release = parseInstant(config.releaseDateTime, tz);
  if (Number.isNaN(release)) return undefined;

  // Last step index; from it on the exposition is `stop`.
  const lastStep = increaseBy > 0 ? Math.ceil(roundPercent((stop - start) / increaseBy)) : 0;
  const final = increaseBy > 0 ? stop : start;
  const valueAt = (k: number): number => (k >= lastStep ? final : roundPercent(start + k * increaseBy));

  const steps = rampSteps(frequency.unit, count, release, tz);
  if (steps === undefined) return undefined;
  const { stepStart, approxStepMs } = steps;

  return new StepSchedule((now) => {
    if (now < release) return [-Infinity, release, 0];
    let k = Math.min(lastStep, Math.floor((now - release) / approxStepMs));
    // DST moves calendar steps by at most a few hours: fix the estimate by one step either way.
    while (k < lastStep && stepStart(k + 1) <= now) k++;
    while (k > 0 && stepStart(k) > now) k--;
    return [stepStart(k), k >= lastStep ? Infinity : stepStart(k + 1), valueAt(k)];
  });
}

function customRampUp(config: Record<string, unknown>, tz: string): ExpositionSchedule | undefined {
  if (!Array.isArray(config.steps)) return undefined;
  const steps: { at: number; exposure: number }[] = [];
  for (const step of config.steps) {
    if (!isRecord(step) || !isPercent(step.exposure)) return undefined;
    const at = parseInstant(step.dateTime, tz);
    if (Number.isNaN(at)) return undefined;
    steps.push({ at, exposure: step.exposure });
  }
  // Stable sort: two steps at the same instant keep their order and the later one wins.
  steps.sort((a, b) => a.at - b.at);
  return new StepSchedule((now) => {
    let i = -1;
    while (i + 1 < steps.length && steps[i + 1]!.at <= now) i++;
    const from = i < 0 ? -Infinity : steps[i]!.at;
    const to = i + 1 < steps.length ? steps[i + 1]!.at : Infinity;
    return [from, to, i < 0 ? 0 : steps[i]!.exposure];
  });
}

/**
 * Exposition schedule of a rule: null when it has none (its static `exposition` applies), undefined when
 * the configuration is unreadable.
 */
export function compileExpositionSchedule(rule: CompiledRule): ExpositionSchedule | null | undefined {
  const config = rule.rolloutConfiguration as RolloutConfiguration | null | undefined;
  if (rule.type !== "PROGRESSIVE_DELIVERY" || config === undefined || config === null) return null;
  if (!isRecord(config)) return undefined;
  const tz = ruleTimeZone(rule);
  if (tz === undefined) return undefined;
  if (config.type === "PROGRESSIVE_EXPOSURE") return progressiveExposure(config, tz);
  if (config.type === "CUSTOM_RAMP_UP") return customRampUp(config, tz);
  return undefined;
}

/** Exposition (0-100) of a rule at `now`: its schedule's value for progressive rules, else `exposition`; 0 if unreadable. */
export function currentExposition(rule: CompiledRule, now: number = Date.now()): number {
  if (!isRecord(rule)) return 0;
  const schedule = compileExpositionSchedule(rule);
  if (schedule === undefined) return 0;
  if (schedule !== null) return schedule.at(now);
  return isPercent(rule.exposition) ? rule.exposition : 0;
}
