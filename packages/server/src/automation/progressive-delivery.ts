/**
 * Progressive delivery (docs/automation.md): on each tick, every ACTIVE PROGRESSIVE_DELIVERY rule with a
 * schedule (PROGRESSIVE_EXPOSURE or CUSTOM_RAMP_UP) gets the exposition the engine derives from the clock
 * stored as its `exposition`, through FlagsService (audited `flag.progressive-exposition`, published to SDK
 * streams like any change). The tick that stores a schedule's final value (stop, or the last ramp step)
 * also writes `flag.progressive-rollout.finished` in the same transaction.
 *
 * SDKs do not wait for the tick: the engine computes a progressive rule's exposition from its schedule and
 * the clock at every evaluation (the stored `exposition` is not what they use), and the API's
 * `currentExposition` is the engine's value at the read. The tick keeps the stored value, the audit log and
 * SDK change events in step with the schedule.
 */

import type { CompiledRule } from "@vexil/engine";
import type { AppContext } from "../app-context.js";
import type { AutomationAuditNote } from "../flags/flags.change-plan.js";
import type { FlagRecord } from "../flags/flags.document.js";
import { flagRules } from "../flags/flags.read-model.js";
import type { FlagView } from "../flags/flags.view.js";
import { clockPieces, ruleClock } from "../flags/rule-clock.js";
import { AUTOMATION_ACTOR } from "./automation-actor.js";
import type { AutomationTick } from "./automation-tasks.js";
import { describeFailure, type TickFailure } from "./tick-failure.js";

/** Audit action of a stored step. */
export const PROGRESSIVE_EXPOSITION_ACTION = "flag.progressive-exposition";
/** Audit action written when a rule's schedule reached its end. */
export const ROLLOUT_FINISHED_ACTION = "flag.progressive-rollout.finished";

/**
 * The exposition to store for a rule at `now`, or undefined when there is nothing to store: not a
 * progressive rule with a readable schedule, not ACTIVE (paused, outside its release window), or the stored
 * value is already the engine's.
 */
export function dueExposition(rule: CompiledRule, now: number): number | undefined {
  if (rule.type !== "PROGRESSIVE_DELIVERY" || !rule.rolloutConfiguration) return undefined;
  // The engine's status and exposition, reused within the rule's current step (rule-clock.ts): every tick
  // looks at every ramp, and in a non-UTC zone computing them costs ~0.1 ms per rule through Intl.
  const content = JSON.stringify([
    rule.type,
    rule.state,
    rule.exposition,
    rule.release,
    rule.rolloutConfiguration,
  ]);
  const clock = ruleClock(rule, content, now);
  if (clock.status !== "ACTIVE" || clock.exposition === rule.exposition) return undefined;
  const piece = clockPieces(rule, now).exposition;
  // A schedule constant since always and for good is one the engine cannot read (it answers 0): leave it.
  if (piece && piece[0] === -Infinity && piece[1] === Infinity) return undefined;
  return clock.exposition;
}

/** When a rule's schedule reached its final value (stop or last step), or undefined while it still moves. */
export function rolloutFinishedAt(rule: CompiledRule, now: number): number | undefined {
  const piece = clockPieces(rule, now).exposition;
  return piece && piece[0] > -Infinity && piece[1] === Infinity ? piece[0] : undefined;
}

interface RuleView extends CompiledRule {
  name?: string;
}

/** One progressive-delivery tick (AUTOMATION_TASKS `progressive`). */
export async function runProgressiveTick(
  context: AppContext,
  now: number,
  tick?: AutomationTick,
): Promise<Record<string, unknown>> {
  // One pass over the non-archived flags with a progressive rule, a page of parsed flags at a time.
  const service = context.services.flags;
  let flags = 0;
  let flagsChanged = 0;
  let rulesChanged = 0;
  let finished = 0;
  const failures: TickFailure[] = [];
  for await (const records of flagRules.flagsWithRuleType(context.db, "PROGRESSIVE_DELIVERY")) {
    flags += records.length;
    for (const record of records) {
      tick?.signal.throwIfAborted();
      if (await stepFlag(record)) flagsChanged++;
    }
  }
  return { flags, flagsChanged, rulesChanged, finished, failures };

  /** Stores the due expositions of one flag; true when it wrote. */
  async function stepFlag(record: FlagRecord): Promise<boolean> {
    const due = record.doc.environmentConfigurations.some((environment) =>
      environment.rolloutRules.some((rule) => dueExposition(rule, now) !== undefined),
    );
    if (!due) return false;
    // Recomputed on the flag as read inside the write's transaction, so a concurrent edit is respected.
    let stepped = 0;
    let notes: AutomationAuditNote[] = [];
    const transform = (view: FlagView) => {
      stepped = 0;
      notes = [];
      const environments = view.environmentConfigurations as {
        environmentKey: string;
        rolloutRules: RuleView[];
      }[];
      for (const environment of environments) {
        for (const rule of environment.rolloutRules) {
          const value = dueExposition(rule, now);
          if (value === undefined) continue;
          const previous = rule.exposition;
          rule.exposition = value;
          stepped++;
          const finishedAt = rolloutFinishedAt(rule, now);
          if (finishedAt !== undefined) {
            notes.push({
              action: ROLLOUT_FINISHED_ACTION,
              after: {
                ruleId: rule.id,
                ruleName: rule.name,
                environmentKey: environment.environmentKey,
                previousExposition: previous,
                exposition: value,
                finishedAt: new Date(finishedAt).toISOString(),
              },
            });
          }
        }
      }
      return view;
    };
    let written = false;
    try {
      await service.update(AUTOMATION_ACTOR, record.meta.id, transform, {
        action: PROGRESSIVE_EXPOSITION_ACTION,
        // Called only when the change is written, inside its transaction.
        alsoAudit: () => {
          written = true;
          return notes;
        },
      });
      if (written) {
        rulesChanged += stepped;
        finished += notes.length;
      }
    } catch (error) {
      failures.push(describeFailure(record.meta.id, record.doc.featureKey, error));
    }
    // Each write is a transaction answered synchronously on SQLite: let waiting requests run between them
    // (the first tick after a restart may step thousands of flags).
    await new Promise((resolve) => setImmediate(resolve));
    return written;
  }
}
