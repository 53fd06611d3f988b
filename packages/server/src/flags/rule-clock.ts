import {
  type CompiledRule,
  compileExpositionSchedule,
  compileReleaseInterval,
  currentExposition,
  type RuleStatus,
  ruleStatus,
} from "@vexil/engine";

// The computed fields of a rule (`status`, `currentExposition`) are the engine's `ruleStatus` and
// `currentExposition` at the read's instant. Both are piecewise constant in time. Computing them costs
// little, except for schedules in a non-UTC zone: calendar steps convert wall clocks through Intl at every
// call (about 0.2 ms per rule). So the value computed by the engine is kept together with the interval
// [from, to) over which the engine's answer cannot change - the release window and the ramp step containing
// the instant, both the engine's own (`compileReleaseInterval`, the schedule's `piece`) - and reused while a
// read falls in it.
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

/** The release window piece containing `now`; a rule whose window cannot be read is PAUSED for good. */
function statusWindow(rule: CompiledRule, now: number): Window {
  if (rule.state !== "ACTIVE") return ALWAYS;
  const interval = compileReleaseInterval(rule);
  if (interval === undefined) return ALWAYS;
  const { from, to } = interval;
  if (now < from) return [-Infinity, from];
  if (now >= to) return [to, Infinity];
  return [from, to];
}

/** The ramp step containing `now`: the engine's own schedule piece (not cached when unreadable). */
function expositionWindow(rule: CompiledRule, now: number): Window {
  const schedule = compileExpositionSchedule(rule);
  if (schedule === null) return ALWAYS;
  if (schedule === undefined) return NEVER;
  const [from, to] = schedule.piece(now);
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

/** A rule's computed fields at an instant and the interval [from, to) over which they hold. */
export interface RuleClockReading {
  status: RuleStatus;
  exposition: number;
  /** Empty (from = to = the instant) when the interval could not be bounded or was not asked for. */
  from: number;
  to: number;
}

/**
 * `status` and `currentExposition` of a rule at `now`, as the engine computes them. `content` identifies
 * what the answer depends on (state, exposition, release, schedule); reads of the same content at other
 * instants of the same step reuse the engine's answer. Without `content`, nothing is cached.
 */
export function ruleClock(rule: CompiledRule, content: string | undefined, now: number): RuleClockReading {
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
      const piece = { content, from, to, status, exposition };
      cache.set(rule.id, piece);
      return piece;
    }
  }
  return { status, exposition, from: now, to: now };
}
