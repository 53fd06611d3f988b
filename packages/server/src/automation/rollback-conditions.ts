/**
 * Rollback conditions (docs/automation.md): on each automation tick (VEXIL_AUTOMATION_TICK_MS, default 60 s),
 * every ACTIVE rule with `rollbackConditions`, in an environment where the flag is on, of every non-archived
 * flag, has its conditions read from its outcomes (rollback-evaluation.ts says how), all rules from one
 * batched aggregation (AnalyticsStore.ruleOutcomes). The first condition met acts, under the flag's
 * automation lock (users get 423 while it is applied), through FlagsService as `automation:rollback`:
 *   - target RULE: the rule's state becomes PAUSED (audited `flag.update-rule`);
 *   - target ENVIRONMENT: the flag is turned off in the rule's environment (`flag.update-environment`);
 * with a `flag.rollback` audit entry in the same transaction (the condition, the measured value and counts,
 * and a one-line summary). The change reaches SDK streams like any edit (and webhooks, from its audit entry);
 * the condition's `recipients` are emailed, queued in the same transaction (notifications/automatic-action.ts
 * subscribes to the `flag.rollback` entry through the outbox).
 *
 * The rule (or environment) is then no longer ACTIVE (on), so the condition does not act again. Turned back
 * on with the same condition and data, it would act again at the next tick: edit the condition (or reset
 * the results) first.
 */

import type { RuleOutcome } from "../analytics/analytics-store.js";
import type { AppContext } from "../app-context.js";
import { withFlagLock } from "../flags/flag-lock.js";
import type { StoredRollbackCondition, StoredRule } from "../flags/flags.document.js";
import { flagRules } from "../flags/flags.read-model.js";
import type { FlagsService } from "../flags/flags.service.js";
import type { FlagView } from "../flags/flags.view.js";
import type { Actor } from "../http/write-guards.js";
import type { AutomationTick } from "./automation-tasks.js";
import {
  type ConditionReading,
  describeReading,
  readRollbackConditions,
  type VariationOutcome,
} from "./rollback-evaluation.js";
import { describeFailure, type TickFailure } from "./tick-failure.js";

/** Who rollbacks are made by (audit actor) and the holder of the flag lock while they are applied. */
export const ROLLBACK_ACTOR: Actor = { name: "automation:rollback", id: null };
export const ROLLBACK_LOCK_HOLDER = "automation:rollback";
/** The audit entry written with the change: what was measured and why it acted. */
export const ROLLBACK_ACTION = "flag.rollback";

interface WatchedRule {
  flagId: number;
  featureKey: string;
  projectKey: string;
  environmentKey: string;
  rule: StoredRule;
}

interface RolledBack {
  flagId: number;
  featureKey: string;
  environmentKey: string;
  ruleId: number;
  conditionId: number;
  target: StoredRollbackCondition["target"];
  summary: string;
}

/** One rollback tick (AUTOMATION_TASKS `rollback`). */
export async function runRollbackTick(
  context: AppContext,
  _now: number,
  tick?: AutomationTick,
): Promise<Record<string, unknown>> {
  const watched = await watchedRules(context);
  if (watched.length === 0) return { rules: 0, met: 0, rolledBack: [], waiting: 0, failures: [] };

  const started = performance.now();
  const outcomes = await context.analytics.ruleOutcomes(
    watched.map((w) => ({
      projectKey: w.projectKey,
      environmentKey: w.environmentKey,
      ruleId: w.rule.id,
      goalIds: [...new Set(w.rule.rollbackConditions.map((c) => c.goalId))],
      // After a rollback, only traffic since then counts (a re-activated rule is judged on new data).
      ...(w.rule.rolledBackAt !== undefined ? { from: w.rule.rolledBackAt } : {}),
    })),
  );
  const aggregationMs = performance.now() - started;
  const byRule = groupByRuleAndGoal(outcomes);

  const service = context.services.flags;
  const rolledBack: RolledBack[] = [];
  const failures: TickFailure[] = [];
  let met = 0;
  let waiting = 0;
  for (const candidate of watched) {
    tick?.signal.throwIfAborted();
    const reading = readRollbackConditions(candidate.rule, byRule.get(candidate.rule.id) ?? new Map());
    if (!reading.met) {
      if (reading.readings.some((r) => r.status === "waiting")) waiting++;
      continue;
    }
    met++;
    const condition = candidate.rule.rollbackConditions.find((c) => c.id === reading.met!.conditionId)!;
    try {
      const done = await act(context, service, candidate, condition, reading.met);
      if (done) rolledBack.push(done);
    } catch (error) {
      failures.push(describeFailure(candidate.flagId, candidate.featureKey, error));
    }
  }
  return {
    rules: watched.length,
    met,
    rolledBack,
    waiting,
    aggregationMs: Math.round(aggregationMs),
    failures,
  };
}

/** Applies the condition's action under the flag lock, then notifies; undefined when there was nothing to do. */
async function act(
  context: AppContext,
  service: FlagsService,
  candidate: WatchedRule,
  condition: StoredRollbackCondition,
  reading: ConditionReading,
): Promise<RolledBack | undefined> {
  const { rule, environmentKey } = candidate;
  const outcome =
    condition.target === "RULE" ? "the rule was paused" : `the flag was turned off in ${environmentKey}`;
  const summary = `Rollback condition ${condition.id} of rule '${rule.name}' (${rule.id}) in ${environmentKey}: ${describeReading(reading)}; ${outcome}.`;
  let written = false;
  let applied = false;
  await withFlagLock(context, candidate.flagId, ROLLBACK_LOCK_HOLDER, () =>
    service.update(
      ROLLBACK_ACTOR,
      candidate.flagId,
      // On the flag as read in the write's transaction: nothing to do if a user got there first.
      (view) => {
        applied = applyRollback(view, environmentKey, rule.id, condition);
        return view;
      },
      {
        lockHolder: ROLLBACK_LOCK_HOLDER,
        action: condition.target === "RULE" ? "flag.update-rule" : "flag.update-environment",
        adjust: (draft) => {
          if (!applied) return;
          const rolledBack = draft.environmentConfigurations
            .find((e) => e.environmentKey === environmentKey)
            ?.rolloutRules.find((r) => r.id === rule.id);
          if (rolledBack) rolledBack.rolledBackAt = context.now();
        },
        alsoAudit: () => {
          written = true;
          return [
            {
              action: ROLLBACK_ACTION,
              after: {
                featureKey: candidate.featureKey,
                ruleId: rule.id,
                ruleName: rule.name,
                environmentKey,
                target: condition.target,
                condition,
                measured: reading,
                summary,
              },
            },
          ];
        },
      },
    ),
  );
  if (!written) return undefined;
  const done: RolledBack = {
    flagId: candidate.flagId,
    featureKey: candidate.featureKey,
    environmentKey,
    ruleId: rule.id,
    conditionId: condition.id,
    target: condition.target,
    summary,
  };
  return done;
}

interface EnvironmentViewShape {
  environmentKey: string;
  featureEnabled: boolean;
  rolloutRules: { id: number; state: string; rollbackConditions?: { id: number }[] }[];
}

/** Applies the rollback to the flag view in place; false (view unchanged, no write) when it no longer applies. */
function applyRollback(
  view: FlagView,
  environmentKey: string,
  ruleId: number,
  condition: StoredRollbackCondition,
): boolean {
  const environment = (view.environmentConfigurations as EnvironmentViewShape[]).find(
    (e) => e.environmentKey === environmentKey,
  );
  const rule = environment?.rolloutRules.find((r) => r.id === ruleId);
  if (!environment || !rule || !environment.featureEnabled || rule.state !== "ACTIVE") return false;
  if (!rule.rollbackConditions?.some((c) => c.id === condition.id)) return false;
  if (condition.target === "RULE") rule.state = "PAUSED";
  else environment.featureEnabled = false;
  return true;
}

/** Every ACTIVE rule with rollback conditions, in environments where its non-archived flag is on. */
async function watchedRules(context: AppContext): Promise<WatchedRule[]> {
  // Pages of flags; only the rules are kept, not the parsed flags.
  const watched: WatchedRule[] = [];
  for await (const page of flagRules.watchedRules(context.db)) {
    for (const { record, environment, rule } of page) {
      watched.push({
        flagId: record.meta.id,
        featureKey: record.doc.featureKey,
        projectKey: record.meta.projectKey,
        environmentKey: environment.environmentKey,
        rule,
      });
    }
  }
  return watched;
}

function groupByRuleAndGoal(outcomes: RuleOutcome[]): Map<number, Map<number, VariationOutcome[]>> {
  const byRule = new Map<number, Map<number, VariationOutcome[]>>();
  for (const outcome of outcomes) {
    const byGoal = byRule.get(outcome.ruleId) ?? new Map<number, VariationOutcome[]>();
    byRule.set(outcome.ruleId, byGoal);
    const list = byGoal.get(outcome.goalId) ?? [];
    list.push(outcome);
    byGoal.set(outcome.goalId, list);
  }
  return byRule;
}
