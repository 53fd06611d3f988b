import type { PublishedChange } from "../changes/outbox.js";
import type { AutomaticActionNotice } from "./automatic-action.js";

// Which emails an automation change asks for: a pure reading of the change automation publishes (its audit
// entry). A rule names recipients through its rollback conditions (docs/notifications.md); a rollback emails
// the recipients of the condition that acted, a bandit re-allocation and a progressive step those of every
// condition of the rule.

interface RuleShape {
  id: number;
  name?: string;
  exposition?: number;
  rollbackConditions?: { recipients?: string[] }[];
}

interface FlagShape {
  featureKey: string;
  environmentConfigurations?: { environmentKey: string; rolloutRules?: RuleShape[] }[];
}

/** Every recipient the rule's rollback conditions name. */
export function recipientsOfRule(rule: { rollbackConditions?: { recipients?: string[] }[] }): string[] {
  return [...new Set((rule.rollbackConditions ?? []).flatMap((c) => c.recipients ?? []))];
}

const percent = (value: number | undefined) => `${Math.round((value ?? 0) * 100) / 100} %`;

/** The rules whose exposition a progressive tick moved, with their environment. */
function steppedRules(before: FlagShape | undefined, after: FlagShape) {
  const previous = new Map<number, RuleShape>();
  for (const environment of before?.environmentConfigurations ?? []) {
    for (const rule of environment.rolloutRules ?? []) previous.set(rule.id, rule);
  }
  return (after.environmentConfigurations ?? []).flatMap((environment) =>
    (environment.rolloutRules ?? [])
      .filter((rule) => previous.get(rule.id)?.exposition !== rule.exposition)
      .map((rule) => ({ environmentKey: environment.environmentKey, rule, from: previous.get(rule.id) })),
  );
}

/** The emails one published change asks for (none for changes automation did not make). */
export function automaticActionNotices(change: PublishedChange): AutomaticActionNotice[] {
  if (change.resourceType !== "feature-flag" || change.projectKey === null) return [];
  const projectKey = change.projectKey;
  const flagId = Number(change.resourceId);
  const after = change.after as Record<string, unknown> | undefined;
  if (!after) return [];
  // Rollback and bandit entries name the rule and its environment the same way.
  const onRule = () => ({
    projectKey,
    flagId,
    featureKey: String(after.featureKey),
    environmentKey: String(after.environmentKey),
    ruleId: Number(after.ruleId),
  });
  switch (change.action) {
    case "flag.rollback": {
      const condition = after.condition as { recipients?: string[] } | undefined;
      return [
        {
          ...onRule(),
          kind: "rollback",
          summary: String(after.summary),
          recipients: condition?.recipients ?? [],
        },
      ];
    }
    case "flag.bandit-reallocation": {
      const arms = (after.arms ?? []) as {
        variationKey: string;
        previousExposition: number;
        exposition: number;
      }[];
      const moves = arms.map(
        (a) => `${a.variationKey} ${percent(a.previousExposition)} → ${percent(a.exposition)}`,
      );
      return [
        {
          ...onRule(),
          kind: "bandit",
          summary: `Rule ${after.ruleId} in ${after.environmentKey}: traffic re-allocated (${moves.join(", ")}).`,
          recipients: (after.recipients ?? []) as string[],
        },
      ];
    }
    case "flag.progressive-exposition": {
      const flag = after as unknown as FlagShape;
      return steppedRules(change.before as FlagShape | undefined, flag).map(
        ({ environmentKey, rule, from }) => ({
          projectKey,
          flagId,
          featureKey: flag.featureKey,
          environmentKey,
          ruleId: rule.id,
          kind: "progressive",
          summary: `Rule '${rule.name ?? rule.id}' (${rule.id}) in ${environmentKey}: exposition ${percent(from?.exposition)} → ${percent(rule.exposition)}.`,
          recipients: recipientsOfRule(rule),
        }),
      );
    }
    default:
      return [];
  }
}
