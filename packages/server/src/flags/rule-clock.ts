import {
  type CompiledRule,
  currentExposition,
  parseInstant,
  type RuleStatus,
  rampSteps,
  ruleStatus,
} from "@vexil/engine";

// The computed fields of a rule (`status`, `currentExposition`) are the engine's `ruleStatus` and
// `currentExposition` at the read's instant. Both are piecewise constant in time. Computing them costs
// little, except for schedules in a non-UTC zone: calendar steps convert wall clocks through Intl at every
// call (about 0.2 ms per rule). So the value computed by the engine is kept together with the interval
// [from, to) over which the engine's answer cannot change - the release window and the ramp step containing
// the instant, computed with the engine's own `parseInstant` - and reused while a read falls in it.
// Anything this module cannot bound exactly is simply not cached. flags-rule-clock.test.ts checks it
// against the engine on random schedules and instants, DST transitions included.

const MAX_ENTRIES = 100_000;

interface Piece {
  /** The rule's time-relevant content the piece was computed from. */
  content: string;
  from: number;
  to: number;
  status: RuleStatus;
  exposition: number;
}

/** One piece per rule id (a rule's later versions replace it), so memory follows the number of rules. */
const cache = new Map<number, Piece>();

type Window = [from: number, to: number];
const ALWAYS: Window = [-Infinity, Infinity];
const NEVER: Window = [Infinity, -Infinity];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const formatters = new Map<string, Intl.DateTimeFormat | null>();

/** The zone, as the engine reads it (absent = UTC); undefined for a zone the host does not know. */
function zoneOf(rule: CompiledRule): string | undefined {
  const tz = isRecord(rule.release) ? rule.release.timeZone : undefined;
  if (tz === undefined || tz === null || tz === "") return "UTC";
  if (typeof tz !== "string") return undefined;
  if (!formatters.has(tz)) {
    let formatter: Intl.DateTimeFormat | null = null;
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone: tz,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
        era: "short",
      });
    } catch {
      formatter = null;
    }
    if (formatters.size > 500) formatters.clear();
    formatters.set(tz, formatter);
  }
  return formatters.get(tz) ? tz : undefined;
}

function statusWindow(rule: CompiledRule, now: number): Window {
  if (rule.state !== "ACTIVE") return ALWAYS;
  const tz = zoneOf(rule);
  if (tz === undefined) return ALWAYS;
  const release = isRecord(rule.release) ? rule.release : {};
  const from = release.releaseFrom ? parseInstant(release.releaseFrom, tz) : -Infinity;
  const to = release.releaseTo ? parseInstant(release.releaseTo, tz) : Infinity;
  if (Number.isNaN(from) || Number.isNaN(to)) return ALWAYS;
  if (now < from) return [-Infinity, from];
  if (now >= to) return [to, Infinity];
  return [from, to];
}

const roundPercent = (value: number) => Math.round(value * 1000) / 1000;

function expositionWindow(rule: CompiledRule, now: number): Window {
  const config = rule.rolloutConfiguration;
  if (rule.type !== "PROGRESSIVE_DELIVERY" || config === undefined || config === null) return ALWAYS;
  const tz = zoneOf(rule);
  if (tz === undefined || !isRecord(config)) return ALWAYS;

  if (config.type === "CUSTOM_RAMP_UP") {
    if (!Array.isArray(config.steps)) return ALWAYS;
    const instants = config.steps.map((step) => parseInstant(isRecord(step) ? step.dateTime : undefined, tz));
    if (instants.some(Number.isNaN)) return ALWAYS;
    instants.sort((a, b) => a - b);
    let i = -1;
    while (i + 1 < instants.length && instants[i + 1]! <= now) i++;
    return [i < 0 ? -Infinity : instants[i]!, i + 1 < instants.length ? instants[i + 1]! : Infinity];
  }
  if (config.type !== "PROGRESSIVE_EXPOSURE") return ALWAYS;

  const { percentageRange: range, frequency, increaseBy } = config;
  if (!isRecord(range) || !isRecord(frequency) || typeof increaseBy !== "number") return NEVER;
  const start = range.start as number;
  const stop = range.stop as number;
  const count = frequency.value;
  if (typeof count !== "number" || !Number.isInteger(count) || count <= 0) return NEVER;
  const release = parseInstant(config.releaseDateTime, tz);
  if (Number.isNaN(release)) return ALWAYS;
  if (now < release) return [-Infinity, release];
  const lastStep = increaseBy > 0 ? Math.ceil(roundPercent((stop - start) / increaseBy)) : 0;

  const steps = rampSteps(frequency.unit, count, release, tz);
  if (steps === undefined) return ALWAYS;
  const { stepStart, approxStepMs } = steps;
  let k = Math.min(lastStep, Math.floor((now - release) / approxStepMs));
  while (k < lastStep && stepStart(k + 1) <= now) k++;
  while (k > 0 && stepStart(k) > now) k--;
  const from = stepStart(k);
  const to = k >= lastStep ? Infinity : stepStart(k + 1);
  if (Number.isNaN(from) || Number.isNaN(to)) return NEVER;
  return [from, to];
}

/**
 * The constant pieces of a rule's clock around `now`: the interval [from, to) over which its status stays
 * what it is at `now`, and the one over which its current exposition does (a ramp step). Infinite ends
 * mean "since always" / "for good"; `undefined` when this module cannot bound the piece exactly (an
 * unreadable schedule or zone). Automation reads them to tell a finished ramp (exposition piece with
 * `to = Infinity` after a first step) and how long a rule has served what it serves now.
 */
export function clockPieces(
  rule: CompiledRule,
  now: number,
): { status: [from: number, to: number] | undefined; exposition: [from: number, to: number] | undefined } {
  const bounded = ([from, to]: Window) => (from <= now && now < to ? ([from, to] as Window) : undefined);
  return { status: bounded(statusWindow(rule, now)), exposition: bounded(expositionWindow(rule, now)) };
}

/**
 * `status` and `currentExposition` of a rule at `now`, as the engine computes them. `content` identifies
 * what the answer depends on (state, exposition, release, schedule); reads of the same content at other
 * instants of the same step reuse the engine's answer. Without `content`, nothing is cached.
 */
export function ruleClock(
  rule: CompiledRule,
  content: string | undefined,
  now: number,
): { status: RuleStatus; exposition: number } {
  if (content !== undefined) {
    const hit = cache.get(rule.id);
    if (hit && hit.content === content && hit.from <= now && now < hit.to) return hit;
  }
  const status = ruleStatus(rule, now);
  const exposition = currentExposition(rule, now);
  if (content !== undefined) {
    const [statusFrom, statusTo] = statusWindow(rule, now);
    const [expositionFrom, expositionTo] = expositionWindow(rule, now);
    const from = Math.max(statusFrom, expositionFrom);
    const to = Math.min(statusTo, expositionTo);
    if (from <= now && now < to) {
      if (cache.size >= MAX_ENTRIES && !cache.has(rule.id)) cache.clear();
      cache.set(rule.id, { content, from, to, status, exposition });
    }
  }
  return { status, exposition };
}
