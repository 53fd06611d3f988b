import { badRequest } from "../http/api-error.js";
import type { LdClause } from "./clauses.js";
import type { LdEnvironment, LdRollout, LdRule } from "./flag-to-launchdarkly.js";
import type { LdFlagDocument } from "./launchdarkly-to-flag.js";

// LaunchDarkly's semantic patch of a flag, applied to its LaunchDarkly document (pure). Each instruction
// names its parameters as LaunchDarkly documents them; variations are named by their `_id`, rules by theirs.

export const SEMANTIC_INSTRUCTIONS = [
  "turnFlagOn",
  "turnFlagOff",
  "updateName",
  "updateDescription",
  "addTags",
  "removeTags",
  "addRule",
  "removeRule",
  "reorderRules",
  "updateRuleVariationOrRollout",
  "updateFallthroughVariationOrRollout",
  "updateOffVariation",
  "addTargets",
  "removeTargets",
  "archiveFlag",
  "restoreFlag",
] as const;
type Kind = (typeof SEMANTIC_INSTRUCTIONS)[number];
const FLAG_LEVEL = new Set<Kind>([
  "updateName",
  "updateDescription",
  "addTags",
  "removeTags",
  "archiveFlag",
  "restoreFlag",
]);

export type Instruction = { kind: string } & Record<string, unknown>;

const strings = (value: unknown, where: string): string[] => {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw badRequest(`${where} must be an array of strings`);
  }
  return value as string[];
};
const text = (value: unknown, where: string): string => {
  if (typeof value !== "string") throw badRequest(`${where} must be a string`);
  return value;
};

/** Applies the instructions in order to a copy of `document`; 400 naming the instruction that cannot apply. */
export function applySemanticPatch(
  document: LdFlagDocument,
  body: { environmentKey?: string; instructions: Instruction[] },
): LdFlagDocument {
  const doc = structuredClone(document);
  const indexOfVariation = (id: unknown, where: string) => {
    const index = doc.variations.findIndex((v) => v._id === String(id));
    if (index < 0) throw badRequest(`${where}: variation '${String(id)}' does not exist`);
    return index;
  };
  const serving = (instruction: Instruction, where: string): { variation?: number; rollout?: LdRollout } => {
    if (instruction.variationId !== undefined)
      return { variation: indexOfVariation(instruction.variationId, `${where}.variationId`) };
    const weights = instruction.rolloutWeights;
    if (weights === null || typeof weights !== "object" || Array.isArray(weights)) {
      throw badRequest(`${where}: give variationId or rolloutWeights {variationId: weight}`);
    }
    const rollout: LdRollout = {
      variations: Object.entries(weights as Record<string, unknown>).map(([id, weight]) => {
        if (typeof weight !== "number" || !Number.isInteger(weight) || weight < 0) {
          throw badRequest(`${where}.rolloutWeights.${id} must be a non-negative integer`);
        }
        return { variation: indexOfVariation(id, `${where}.rolloutWeights`), weight };
      }),
    };
    if (instruction.rolloutBucketBy !== undefined)
      rollout.bucketBy = text(instruction.rolloutBucketBy, `${where}.rolloutBucketBy`);
    if (instruction.rolloutContextKind !== undefined) {
      rollout.contextKind = text(instruction.rolloutContextKind, `${where}.rolloutContextKind`);
    }
    return { rollout };
  };

  body.instructions.forEach((instruction, i) => {
    const where = `instructions.${i}`;
    const kind = instruction.kind as Kind;
    if (!(SEMANTIC_INSTRUCTIONS as readonly string[]).includes(kind)) {
      throw badRequest(
        `${where}.kind '${instruction.kind}' is not supported (supported: ${SEMANTIC_INSTRUCTIONS.join(", ")})`,
      );
    }
    let env: Partial<LdEnvironment> | undefined;
    if (!FLAG_LEVEL.has(kind)) {
      if (body.environmentKey === undefined)
        throw badRequest(`${where}: ${kind} needs the body's environmentKey`);
      env = doc.environments[body.environmentKey];
      if (!env)
        throw badRequest(`environmentKey '${body.environmentKey}' is not an environment of the project`);
    }
    const rules = (): LdRule[] => (env!.rules ??= []);
    const ruleIndex = (id: unknown, at: string) => {
      const index = rules().findIndex((r) => r._id === String(id));
      if (index < 0)
        throw badRequest(`${at}: rule '${String(id)}' does not exist in '${body.environmentKey}'`);
      return index;
    };
    switch (kind) {
      case "turnFlagOn":
      case "turnFlagOff":
        env!.on = kind === "turnFlagOn";
        break;
      case "updateName":
        doc.name = text(instruction.value, `${where}.value`);
        break;
      case "updateDescription":
        doc.description = text(instruction.value, `${where}.value`);
        break;
      case "addTags":
        doc.tags = [...new Set([...(doc.tags ?? []), ...strings(instruction.values, `${where}.values`)])];
        break;
      case "removeTags": {
        const removed = new Set(strings(instruction.values, `${where}.values`));
        doc.tags = (doc.tags ?? []).filter((t) => !removed.has(t));
        break;
      }
      case "archiveFlag":
      case "restoreFlag":
        doc.archived = kind === "archiveFlag";
        break;
      case "addRule": {
        if (!Array.isArray(instruction.clauses))
          throw badRequest(`${where}.clauses must be an array of clauses`);
        const rule: LdRule = {
          clauses: instruction.clauses as LdClause[],
          trackEvents: false,
          ...serving(instruction, where),
          ...(instruction.description !== undefined
            ? { description: text(instruction.description, `${where}.description`) }
            : {}),
        };
        const before =
          instruction.beforeRuleId === undefined
            ? rules().length
            : ruleIndex(instruction.beforeRuleId, `${where}.beforeRuleId`);
        rules().splice(before, 0, rule);
        break;
      }
      case "removeRule":
        rules().splice(ruleIndex(instruction.ruleId, `${where}.ruleId`), 1);
        break;
      case "reorderRules": {
        const ids = strings(instruction.ruleIds, `${where}.ruleIds`);
        const current = rules().map((r) => r._id);
        if (ids.length !== current.length || !current.every((id) => id !== undefined && ids.includes(id))) {
          throw badRequest(
            `${where}.ruleIds must list every rule of '${body.environmentKey}' once: ${current.join(", ")}`,
          );
        }
        env!.rules = ids.map((id) => rules()[ruleIndex(id, `${where}.ruleIds`)]!);
        break;
      }
      case "updateRuleVariationOrRollout": {
        const index = ruleIndex(instruction.ruleId, `${where}.ruleId`);
        const { variation: _v, rollout: _r, ...rest } = rules()[index]!;
        rules()[index] = { ...rest, ...serving(instruction, where) };
        break;
      }
      case "updateFallthroughVariationOrRollout":
        env!.fallthrough = serving(instruction, where);
        break;
      case "updateOffVariation":
        env!.offVariation = indexOfVariation(instruction.variationId, `${where}.variationId`);
        break;
      case "addTargets":
      case "removeTargets": {
        const variation = indexOfVariation(instruction.variationId, `${where}.variationId`);
        const values = strings(instruction.values, `${where}.values`);
        if (instruction.contextKind !== undefined && instruction.contextKind !== "user") {
          throw badRequest(
            `${where}.contextKind '${String(instruction.contextKind)}': only user targets are supported`,
          );
        }
        env!.targets ??= [];
        const targets = env!.targets;
        let target = targets.find((t) => t.variation === variation);
        if (!target) {
          target = { values: [], variation };
          targets.push(target);
        }
        if (kind === "addTargets") {
          // A key is targeted to one variation: adding it here takes it off the others.
          for (const other of targets)
            if (other !== target) other.values = other.values.filter((v) => !values.includes(v));
          target.values = [...new Set([...target.values, ...values])];
        } else target.values = target.values.filter((v) => !values.includes(v));
        env!.targets = targets.filter((t) => t.values.length > 0);
        break;
      }
    }
  });
  return doc;
}
