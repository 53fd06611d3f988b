import { isValidTimeZone, parseInstant, type RolloutConfiguration } from "@vexil/engine";
import { ApiError } from "../http/api-error.js";
import type {
  ResolveContext,
  RuleType,
  StoredRollbackCondition,
  StoredRule,
  StoredVariation,
} from "./flags.document.js";
import type { RollbackConditionInput, RolloutConfigurationInput, RuleInput } from "./flags.schemas.js";

// How one rule of a request becomes a stored rule: defaults, kept ids, and every semantic check of its
// type (allocations, schedules, release windows, rollback conditions). flags.document.ts calls it per rule.

const RULE_NAMES: Record<RuleType, string> = {
  TARGETED_DELIVERY: "Targeted delivery",
  PROGRESSIVE_DELIVERY: "Progressive delivery",
  EXPERIMENTATION: "Experiment",
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether a field carries something (an empty list, false or "" do not ask for anything). */
export function meaningful(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** Even split of 100 % over n variations, at the engine's 0.001 % resolution. */
function evenSplit(keys: string[]): { variationKey: string; exposition: number }[] {
  const base = Math.floor(100_000 / keys.length);
  const remainder = 100_000 - base * keys.length;
  return keys.map((variationKey, i) => ({
    variationKey,
    exposition: (base + (i < remainder ? 1 : 0)) / 1000,
  }));
}

export class Problems {
  readonly list: string[] = [];
  add(path: string, message: string) {
    if (this.list.length < 25) this.list.push(`${path} ${message}`);
  }
  throwIfAny() {
    if (this.list.length > 0) throw new ApiError(400, this.list.join("; "));
  }
}

export interface RuleScope {
  context: ResolveContext;
  variations: StoredVariation[];
  variationKeys: Set<string>;
  problems: Problems;
}

export function resolveRule(
  input: RuleInput,
  previous: StoredRule | undefined,
  path: string,
  scope: RuleScope,
): StoredRule {
  const { context, variationKeys, problems } = scope;
  const checkVariation = (field: string, key: string | undefined) => {
    if (key !== undefined && !variationKeys.has(key)) {
      problems.add(`${path}.${field}`, `names variation '${key}', which the flag does not have`);
    }
  };
  const forbid = (fields: (keyof RuleInput)[]) => {
    for (const field of fields) {
      if (meaningful(input[field])) problems.add(`${path}.${field}`, `does not apply to ${input.type} rules`);
    }
  };

  // Release window.
  let timeZone = "UTC";
  if (input.release?.timeZone !== undefined) {
    if (isValidTimeZone(input.release.timeZone)) timeZone = input.release.timeZone;
    else problems.add(`${path}.release.timeZone`, `'${input.release.timeZone}' is not an IANA time zone`);
  }
  if (input.release) {
    const from =
      input.release.releaseFrom === undefined ? -Infinity : parseInstant(input.release.releaseFrom, timeZone);
    const to =
      input.release.releaseTo === undefined ? Infinity : parseInstant(input.release.releaseTo, timeZone);
    if (Number.isNaN(from)) problems.add(`${path}.release.releaseFrom`, "is not an ISO 8601 date-time");
    if (Number.isNaN(to)) problems.add(`${path}.release.releaseTo`, "is not an ISO 8601 date-time");
    if (!Number.isNaN(from) && !Number.isNaN(to) && from >= to) {
      problems.add(`${path}.release`, "releaseFrom must be before releaseTo");
    }
  }

  if (input.segmentId !== undefined && !context.segmentIds.has(input.segmentId)) {
    problems.add(
      `${path}.segmentId`,
      `names segment ${input.segmentId}, which does not exist in project '${context.projectKey}'`,
    );
  }

  const rule: StoredRule = {
    id: previous?.id ?? 0,
    type: input.type,
    name: input.name ?? RULE_NAMES[input.type],
    exposition: input.exposition ?? 100,
    state: input.state ?? "ACTIVE",
    rollbackConditions: resolveRollbackConditions(
      input.rollbackConditions ?? [],
      previous,
      `${path}.rollbackConditions`,
      scope,
      input.type,
    ),
  };
  if (input.release !== undefined) rule.release = input.release;
  if (input.segmentId !== undefined) rule.segmentId = input.segmentId;

  switch (input.type) {
    case "TARGETED_DELIVERY":
    case "PROGRESSIVE_DELIVERY": {
      forbid([
        "trafficAllocations",
        "controlVariationKey",
        "multiArmedBandit",
        "reallocation",
        "trafficAllocationMethod",
      ]);
      if (input.type === "TARGETED_DELIVERY") forbid(["rolloutConfiguration"]);
      if (input.variationKey === undefined)
        problems.add(`${path}.variationKey`, `is required for a ${input.type} rule`);
      checkVariation("variationKey", input.variationKey);
      if (input.variationKey !== undefined) rule.variationKey = input.variationKey;
      if (input.type === "PROGRESSIVE_DELIVERY" && input.rolloutConfiguration) {
        rule.rolloutConfiguration = resolveRollout(
          input.rolloutConfiguration,
          timeZone,
          `${path}.rolloutConfiguration`,
          problems,
        );
        if (input.exposition === undefined) {
          rule.exposition =
            input.rolloutConfiguration.type === "PROGRESSIVE_EXPOSURE"
              ? (input.rolloutConfiguration.percentageRange?.start ?? 0)
              : 0;
        }
      }
      break;
    }
    case "EXPERIMENTATION": {
      forbid(["variationKey", "rolloutConfiguration"]);
      const variationById = new Map(scope.variations.filter((v) => v.id > 0).map((v) => [v.id, v.key]));
      const seen = new Set<string>();
      const requested: { variationKey?: string; variationId?: number; exposition: number }[] =
        input.trafficAllocations ?? evenSplit([...variationKeys]);
      const allocations = requested.map((allocation, i) => {
        let key = allocation.variationKey;
        if (key === undefined) {
          const byId =
            allocation.variationId === undefined ? undefined : variationById.get(allocation.variationId);
          if (byId === undefined) {
            problems.add(
              `${path}.trafficAllocations.${i}`,
              "needs a variationKey (or the variationId of a variation of this flag)",
            );
          }
          key = byId ?? "";
        } else checkVariation(`trafficAllocations.${i}.variationKey`, key);
        if (seen.has(key))
          problems.add(`${path}.trafficAllocations.${i}.variationKey`, `repeats variation '${key}'`);
        seen.add(key);
        return { variationKey: key, exposition: allocation.exposition };
      });
      const sum = allocations.reduce((total, a) => total + a.exposition, 0);
      if (sum > 100 + 1e-9) {
        problems.add(
          `${path}.trafficAllocations`,
          `expositions sum to ${Math.round(sum * 1000) / 1000}, must be <= 100`,
        );
      }
      rule.trafficAllocations = allocations;
      const control =
        input.controlVariationKey ??
        (allocations.some((a) => a.variationKey === "off") ? "off" : allocations[0]?.variationKey);
      checkVariation("controlVariationKey", control);
      if (control !== undefined) rule.controlVariationKey = control;
      if (input.trafficAllocationMethod === "CONTEXTUAL_BANDIT") {
        problems.add(
          `${path}.trafficAllocationMethod`,
          "CONTEXTUAL_BANDIT is not supported (MANUAL or MULTI_ARMED_BANDIT)",
        );
      }
      const bandit =
        input.multiArmedBandit ?? (input.trafficAllocationMethod === "MULTI_ARMED_BANDIT" ? true : undefined);
      if (
        input.multiArmedBandit !== undefined &&
        input.trafficAllocationMethod !== undefined &&
        input.trafficAllocationMethod !== "CONTEXTUAL_BANDIT" &&
        input.multiArmedBandit !== (input.trafficAllocationMethod === "MULTI_ARMED_BANDIT")
      ) {
        problems.add(
          `${path}.multiArmedBandit`,
          `contradicts trafficAllocationMethod ${input.trafficAllocationMethod}`,
        );
      }
      rule.multiArmedBandit = bandit ?? false;
      if (rule.multiArmedBandit && allocations.length < 2) {
        problems.add(
          `${path}.multiArmedBandit`,
          "needs at least two variations in trafficAllocations to choose between",
        );
      }
      rule.trafficAllocationMethod = rule.multiArmedBandit ? "MULTI_ARMED_BANDIT" : "MANUAL";
      if (
        rule.multiArmedBandit &&
        previous?.type === "EXPERIMENTATION" &&
        previous.multiArmedBandit === true &&
        !context.banditAllocationsWritable &&
        JSON.stringify(allocations) !== JSON.stringify(previous.trafficAllocations ?? [])
      ) {
        problems.add(
          `${path}.trafficAllocations`,
          "is set by the multi-armed bandit of this rule and cannot be edited; set multiArmedBandit to false to allocate traffic by hand",
        );
      }
      rule.reallocation = input.reallocation ?? false;
      if (previous?.experimentId !== undefined) rule.experimentId = previous.experimentId;
      if (previous?.respoolTime !== undefined && previous.type === "EXPERIMENTATION") {
        rule.respoolTime = previous.respoolTime;
      }
      break;
    }
  }
  if (previous?.rolledBackAt !== undefined) rule.rolledBackAt = previous.rolledBackAt;
  return rule;
}

function resolveRollbackConditions(
  input: RollbackConditionInput[],
  previous: StoredRule | undefined,
  path: string,
  scope: RuleScope,
  ruleType: StoredRule["type"],
): StoredRollbackCondition[] {
  const { context, problems } = scope;
  const previousIds = new Set(previous?.rollbackConditions.map((c) => c.id) ?? []);
  const kept = new Set<number>();
  const resolved = input.map((condition, i) => {
    if (!context.goalIds.has(condition.goalId)) {
      problems.add(
        `${path}.${i}.goalId`,
        `names goal ${condition.goalId}, which does not exist in project '${context.projectKey}'`,
      );
    }
    if (
      condition.matchType !== undefined &&
      condition.comparisonOperator !== undefined &&
      condition.matchType !== condition.comparisonOperator
    ) {
      problems.add(`${path}.${i}.matchType`, "contradicts comparisonOperator");
    }
    const criteria = condition.criteria ?? "DOWNLIFT";
    if (criteria !== "CONVERSION_RATE" && ruleType !== "EXPERIMENTATION") {
      // UPLIFT/DOWNLIFT compare variations with a control; a delivery rule serves one variation, so the
      // condition would never be evaluated.
      problems.add(
        `${path}.${i}.criteria`,
        `${criteria}${condition.criteria === undefined ? " (the default)" : ""} compares variations with the control of an EXPERIMENTATION rule; a ${ruleType} rule serves one variation: use CONVERSION_RATE`,
      );
    }
    (condition.recipients ?? []).forEach((recipient, j) => {
      if (!EMAIL.test(recipient)) problems.add(`${path}.${i}.recipients.${j}`, "must be an email address");
    });
    let id = 0;
    if (condition.id !== undefined && previousIds.has(condition.id) && !kept.has(condition.id)) {
      id = condition.id;
      kept.add(id);
    }
    return {
      id,
      criteria,
      comparisonOperator: condition.comparisonOperator ?? condition.matchType ?? "GREATER_THAN",
      matchValue: condition.matchValue,
      goalId: condition.goalId,
      visitors: condition.visitors ?? 1000,
      target: condition.target ?? "RULE",
      recipients: condition.recipients ?? [],
    } satisfies StoredRollbackCondition;
  });
  // New conditions get ids unique within the rule.
  let next = Math.max(0, ...previousIds, ...kept) + 1;
  for (const condition of resolved) if (condition.id === 0) condition.id = next++;
  return resolved;
}

function resolveRollout(
  input: RolloutConfigurationInput,
  timeZone: string,
  path: string,
  problems: Problems,
): RolloutConfiguration {
  if (input.type === "PROGRESSIVE_EXPOSURE") {
    if (meaningful(input.steps)) problems.add(`${path}.steps`, "does not apply to PROGRESSIVE_EXPOSURE");
    if (!input.percentageRange)
      problems.add(`${path}.percentageRange`, "is required for PROGRESSIVE_EXPOSURE");
    else if (input.percentageRange.start > input.percentageRange.stop) {
      problems.add(`${path}.percentageRange`, "start must be <= stop");
    }
    if (input.increaseBy === undefined)
      problems.add(`${path}.increaseBy`, "is required for PROGRESSIVE_EXPOSURE");
    if (!input.frequency) problems.add(`${path}.frequency`, "is required for PROGRESSIVE_EXPOSURE");
    if (input.releaseDateTime === undefined) {
      problems.add(`${path}.releaseDateTime`, "is required for PROGRESSIVE_EXPOSURE");
    } else if (Number.isNaN(parseInstant(input.releaseDateTime, timeZone))) {
      problems.add(`${path}.releaseDateTime`, "is not an ISO 8601 date-time");
    }
    return {
      type: "PROGRESSIVE_EXPOSURE",
      percentageRange: input.percentageRange ?? { start: 0, stop: 0 },
      increaseBy: input.increaseBy ?? 0,
      frequency: input.frequency ?? { unit: "Days", value: 1 },
      releaseDateTime: input.releaseDateTime ?? "",
    };
  }
  for (const field of ["percentageRange", "increaseBy", "frequency", "releaseDateTime"] as const) {
    if (meaningful(input[field])) problems.add(`${path}.${field}`, "does not apply to CUSTOM_RAMP_UP");
  }
  const steps = input.steps ?? [];
  if (steps.length === 0) problems.add(`${path}.steps`, "is required for CUSTOM_RAMP_UP (at least one step)");
  let last = -Infinity;
  steps.forEach((step, i) => {
    const at = parseInstant(step.dateTime, timeZone);
    if (Number.isNaN(at)) problems.add(`${path}.steps.${i}.dateTime`, "is not an ISO 8601 date-time");
    else if (at <= last) problems.add(`${path}.steps.${i}.dateTime`, "must be after the previous step's");
    else last = at;
  });
  return {
    type: "CUSTOM_RAMP_UP",
    steps: steps.map((s) => ({ dateTime: s.dateTime, exposure: s.exposure })),
  };
}
