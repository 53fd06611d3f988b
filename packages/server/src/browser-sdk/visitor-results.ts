import type { EvaluationPayload } from "@vexil/engine";
import { clockPieces } from "../flags/rule-clock.js";
import type { EnvironmentFeed } from "../sdk-delivery/environment-feed.js";

/** A visitor as the browser SDK sends it. */
export interface BrowserVisitor {
  code: string;
  attributes?: Record<string, unknown>;
}

/**
 * Every flag of the environment evaluated for one visitor at `now`, as JSON: `{version, flags}` with the
 * engine's results by feature key. This is all a client-side key ever receives: answers, never rules.
 */
export function visitorResults(feed: EnvironmentFeed, visitor: BrowserVisitor, now: number): string {
  const flags = feed.evaluator.evaluateAll(visitor, now);
  return JSON.stringify({ version: feed.version, flags });
}

const nextChanges = new WeakMap<EvaluationPayload, { from: number; next: number }>();

/**
 * The first instant after `now` at which a rule of the payload changes status (release window) or
 * exposition (ramp step): answers computed at `now` may differ from then on. Infinity when none will.
 */
export function nextScheduleChange(payload: EvaluationPayload, now: number): number {
  const cached = nextChanges.get(payload);
  if (cached && cached.from <= now && now < cached.next) return cached.next;
  let next = Number.POSITIVE_INFINITY;
  for (const flag of Object.values(payload.flags)) {
    for (const rule of flag.rules ?? []) {
      const { status, exposition } = clockPieces(rule, now);
      if (status !== undefined) next = Math.min(next, status[1]);
      if (exposition !== undefined) next = Math.min(next, exposition[1]);
    }
  }
  nextChanges.set(payload, { from: now, next });
  return next;
}
