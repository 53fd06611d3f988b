/**
 * Multi-armed bandits (docs/automation.md): on each bandit tick (hourly by default, VEXIL_BANDIT_INTERVAL_MS),
 * every ACTIVE EXPERIMENTATION rule with `multiArmedBandit: true` of every non-archived flag gets its
 * `trafficAllocations` re-computed by Thompson sampling on the flag's primary goal (bandit-allocation.ts):
 * each arm's probability of being the best, floored at VEXIL_BANDIT_FLOOR (default 0.05), once every arm has
 * VEXIL_BANDIT_MIN_UNITS visitors (default 100). The rule's allocated total is kept.
 *
 * The outcomes of all bandit rules come from one batched aggregation (AnalyticsStore.ruleOutcomes). A new
 * allocation is written through FlagsService under the flag's automation lock (users get 423 meanwhile), as
 * `flag.update-rule` by `automation:bandit`, with a `flag.bandit-reallocation` audit entry (the counts and
 * weights it came from) in the same transaction; it reaches SDK streams like any edit. `reallocation: true`
 * also sets a new respool time, which re-buckets visitors. Unchanged allocations are not written.
 */

import type { RuleOutcome } from "../analytics/analytics-store.js";
import type { AppContext } from "../app-context.js";
import { withFlagLock } from "../flags/flag-lock.js";
import type { StoredRule } from "../flags/flags.document.js";
import { findRule } from "../flags/flags.lookup.js";
import { flagRules } from "../flags/flags.read-model.js";
import type { Actor } from "../http/write-guards.js";
import { recipientsOfRule } from "../notifications/automatic-action-notices.js";
import type { AutomationTick } from "./automation-tasks.js";
import { type BanditArm, type BanditSettings, banditDecision } from "./bandit-allocation.js";
import { describeFailure, type TickFailure } from "./tick-failure.js";

/** Who bandit changes are made by (audit actor) and the holder of the flag lock while they are written. */
export const BANDIT_ACTOR: Actor = { name: "automation:bandit", id: null };
export const BANDIT_LOCK_HOLDER = "automation:bandit";
/** The audit entry written with each re-allocation: counts, weights, settings. */
export const BANDIT_REALLOCATION_ACTION = "flag.bandit-reallocation";

interface BanditRule {
  flagId: number;
  featureKey: string;
  projectKey: string;
  environmentKey: string;
  goalId: number;
  rule: StoredRule;
}

/** One bandit tick (AUTOMATION_TASKS `bandit`). */
export async function runBanditTick(
  context: AppContext,
  now: number,
  tick?: AutomationTick,
): Promise<Record<string, unknown>> {
  const settings: BanditSettings = {
    floor: context.config.banditFloor,
    minUnits: context.config.banditMinUnits,
  };
  const { rules, withoutGoal } = await banditRules(context);
  if (rules.length === 0)
    return { rules: 0, reallocated: 0, unchanged: 0, waiting: 0, withoutGoal, failures: [] };

  const started = performance.now();
  const outcomes = await context.analytics.ruleOutcomes(
    rules.map((r) => ({
      projectKey: r.projectKey,
      environmentKey: r.environmentKey,
      ruleId: r.rule.id,
      goalIds: [r.goalId],
    })),
  );
  const aggregationMs = performance.now() - started;
  const byRule = groupByRule(outcomes);

  const service = context.services.flags;
  let reallocated = 0;
  let unchanged = 0;
  let waiting = 0;
  const failures: TickFailure[] = [];
  for (const candidate of rules) {
    tick?.signal.throwIfAborted();
    const arms = armsOf(candidate.rule, byRule.get(candidate.rule.id) ?? []);
    const decision = banditDecision(arms, settings);
    if (decision.decision === "waiting") {
      waiting++;
      continue;
    }
    if (!decision.changed) {
      unchanged++;
      continue;
    }
    try {
      const written = await withFlagLock(context, candidate.flagId, BANDIT_LOCK_HOLDER, async () => {
        // Read again under the lock: a user may have changed the rule since the flags were listed.
        const current = await findRule(context, candidate.rule.id);
        if (!current || !stillSameBandit(current.rule, candidate.rule) || current.flag.meta.archived)
          return false;
        let audited = false;
        await service.patchRule(
          BANDIT_ACTOR,
          candidate.rule.id,
          { trafficAllocations: decision.allocations },
          {
            lockHolder: BANDIT_LOCK_HOLDER,
            banditAllocations: true,
            ...(candidate.rule.reallocation === true ? { respoolTime: now } : {}),
            alsoAudit: () => {
              audited = true;
              return [
                {
                  action: BANDIT_REALLOCATION_ACTION,
                  after: {
                    featureKey: candidate.featureKey,
                    ruleId: candidate.rule.id,
                    environmentKey: candidate.environmentKey,
                    goalId: candidate.goalId,
                    floor: settings.floor,
                    minUnits: settings.minUnits,
                    respooled: candidate.rule.reallocation === true,
                    // Who is emailed (the rule's rollback-condition recipients, docs/notifications.md).
                    recipients: recipientsOfRule(candidate.rule),
                    arms: arms.map((arm, i) => ({
                      variationKey: arm.variationKey,
                      units: arm.units,
                      convertedUnits: arm.convertedUnits,
                      weight: decision.weights[i],
                      previousExposition: arm.exposition,
                      exposition: decision.allocations[i]!.exposition,
                    })),
                  },
                },
              ];
            },
          },
        );
        return audited;
      });
      if (written) reallocated++;
      else unchanged++;
    } catch (error) {
      failures.push(describeFailure(candidate.flagId, candidate.featureKey, error));
    }
  }
  return {
    rules: rules.length,
    reallocated,
    unchanged,
    waiting,
    withoutGoal,
    aggregationMs: Math.round(aggregationMs),
    failures,
  };
}

/** Every ACTIVE bandit rule of every non-archived flag, with the goal it optimizes. */
async function banditRules(context: AppContext): Promise<{ rules: BanditRule[]; withoutGoal: number }> {
  const rules: BanditRule[] = [];
  let withoutGoal = 0;
  // Pages of flags; only the rules are kept, not the parsed flags.
  for await (const page of flagRules.banditRules(context.db)) {
    for (const { record, environment, rule } of page) {
      if (!isActiveBandit(rule)) continue;
      // The primary goal, else the first secondary goal.
      const goalId = record.doc.primaryGoalId ?? record.doc.secondaryGoalIds[0];
      if (goalId === undefined) {
        withoutGoal++;
        continue;
      }
      rules.push({
        flagId: record.meta.id,
        featureKey: record.doc.featureKey,
        projectKey: record.meta.projectKey,
        environmentKey: environment.environmentKey,
        goalId,
        rule,
      });
    }
  }
  return { rules, withoutGoal };
}

function isActiveBandit(rule: StoredRule): boolean {
  return (
    rule.type === "EXPERIMENTATION" &&
    rule.multiArmedBandit === true &&
    rule.state === "ACTIVE" &&
    (rule.trafficAllocations?.length ?? 0) >= 2
  );
}

/** Still an active bandit with the allocations the decision started from. */
function stillSameBandit(current: StoredRule, seen: StoredRule): boolean {
  return (
    isActiveBandit(current) &&
    JSON.stringify(current.trafficAllocations) === JSON.stringify(seen.trafficAllocations)
  );
}

function groupByRule(outcomes: RuleOutcome[]): Map<number, RuleOutcome[]> {
  const byRule = new Map<number, RuleOutcome[]>();
  for (const outcome of outcomes) {
    const list = byRule.get(outcome.ruleId) ?? [];
    list.push(outcome);
    byRule.set(outcome.ruleId, list);
  }
  return byRule;
}

/** The rule's arms in allocation order, with their outcomes on the goal (none = no visitor yet). */
function armsOf(rule: StoredRule, outcomes: RuleOutcome[]): BanditArm[] {
  const byVariation = new Map(outcomes.map((o) => [o.variationKey, o]));
  return (rule.trafficAllocations ?? []).map((allocation) => {
    const outcome = byVariation.get(allocation.variationKey);
    return {
      variationKey: allocation.variationKey,
      exposition: allocation.exposition,
      units: outcome?.units ?? 0,
      convertedUnits: outcome?.convertedUnits ?? 0,
    };
  });
}
