import type { ConfigChange } from "../changes/change-bus.js";
import { ApiError, notFound } from "../http/api-error.js";
import { applyMergePatch } from "../http/merge-patch.js";
import { compileFlag } from "./compile-payload.js";
import type {
  DraftFlag,
  FlagMeta,
  FlagRecord,
  Health,
  ResolveContext,
  StoredFlag,
} from "./flags.document.js";
import {
  checkFlagDocument,
  checkRule,
  EnvironmentConfigurationSchema,
  type FlagInput,
  schemaChecker,
} from "./flags.schemas.js";
import type { FlagWrite } from "./flags.store.js";
import { defaultEnvironment, type FlagView } from "./flags.view.js";

// Pure planning of flag changes: what a request body means against the flag as the API shows it (merge
// patches of the flag, one environment or one rule; copies), and what a written change means for SDK
// streams. FlagsService reads, locks and writes; these functions decide.

const checkEnvironment = schemaChecker(EnvironmentConfigurationSchema);

/** The fields of one environment configuration in the environment PATCH body; the others are flag fields. */
const ENVIRONMENT_FIELDS = new Set([
  "featureEnabled",
  "defaultVariationKey",
  "integrations",
  "rolloutRules",
  "dateModified",
]);

/** The read-only fields of a flag that must not change when sent back. */
const FIXED_FIELDS = ["id", "siteCode"] as const;

/** A JSON copy (drops undefined members, so schema checks see what a client would send). */
export const jsonCopy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** What a change resolves to, before it is written. */
export interface Change {
  input: FlagInput;
  /** The health asked for (checked), or forced (automation). */
  health?: Health | undefined;
  forcedHealth?: Health | undefined;
  paths?: ResolveContext["paths"];
  /** Adjusts internal fields of the resolved draft (automation). */
  adjust?: ((draft: DraftFlag) => void) | undefined;
  /** Further audit entries about the flag, written in the change's transaction when it is written. */
  alsoAudit?: (() => AutomationAuditNote[]) | undefined;
  /** The bandit automation's re-allocation: it may set a multi-armed-bandit rule's trafficAllocations. */
  banditAllocations?: boolean | undefined;
}

/** An audit entry automation adds to a change (same flag, actor and transaction), e.g. "rollout finished". */
export interface AutomationAuditNote {
  action: string;
  after: unknown;
}

/** Kameleoon's update endpoints say `isArchived`; responses say `archived`. Both are accepted. */
export function archivedAlias(body: Record<string, unknown>): Record<string, unknown> {
  if (!("isArchived" in body)) return body;
  const { isArchived, ...rest } = body;
  if (
    rest.archived !== undefined &&
    rest.archived !== null &&
    isArchived !== null &&
    rest.archived !== isArchived
  ) {
    throw new ApiError(400, "body.isArchived contradicts body.archived");
  }
  return { ...rest, archived: rest.archived ?? isArchived };
}

export function assertFixed(body: Record<string, unknown>, view: FlagView): void {
  for (const field of FIXED_FIELDS) {
    const value = body[field];
    if (value !== undefined && value !== null && value !== view[field]) {
      throw new ApiError(
        400,
        field === "siteCode"
          ? `body.siteCode is '${String(value)}' but the flag belongs to '${view.siteCode}'; a flag cannot move to another project`
          : `body.${field} is read-only (${view[field]})`,
      );
    }
  }
}

/** The health a change asks for: HEALTHY and PERMANENT are the user's; STALE and SMELLY are computed. */
export function requestedHealth(current: Health, requested: Health | undefined): Health {
  if (requested === undefined || requested === current) return current;
  if (requested === "HEALTHY" || requested === "PERMANENT") return requested;
  throw new ApiError(400, `body.health ${requested} is computed by automation; set PERMANENT or HEALTHY`);
}

/** PATCH of the flag: a JSON Merge Patch of the flag as shown (arrays replaced whole). */
export function planFlagPatch(view: FlagView, body: Record<string, unknown>): Change {
  const patch = archivedAlias(body);
  assertFixed(patch, view);
  const merged = applyMergePatch(jsonCopy(view), patch);
  checkFlagDocument(merged);
  return { input: merged as FlagInput, health: patch.health === null ? "HEALTHY" : undefined };
}

/**
 * PATCH of one environment's configuration; flag-level fields in the same body (as Kameleoon allows) patch
 * the flag.
 */
export function planEnvironmentPatch(
  view: FlagView,
  environmentKeys: readonly string[],
  environmentKey: string,
  body: Record<string, unknown>,
): Change {
  const patch = archivedAlias(body);
  if (!environmentKeys.includes(environmentKey)) {
    throw notFound(`Environment '${environmentKey}' not found in project '${view.siteCode}'`);
  }
  if (
    patch.environmentKey !== undefined &&
    patch.environmentKey !== null &&
    patch.environmentKey !== environmentKey
  ) {
    throw new ApiError(
      400,
      `body.environmentKey is '${String(patch.environmentKey)}' but the path names '${environmentKey}'`,
    );
  }
  assertFixed(patch, view);
  const environmentPatch: Record<string, unknown> = {};
  const flagPatch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === "environmentKey") continue;
    (ENVIRONMENT_FIELDS.has(key) ? environmentPatch : flagPatch)[key] = value;
  }
  const merged = applyMergePatch(jsonCopy(view), flagPatch) as Record<string, unknown>;
  const environments = merged.environmentConfigurations as Record<string, unknown>[];
  const index = environments.findIndex((e) => e.environmentKey === environmentKey);
  const environment = applyMergePatch(environments[index], environmentPatch) as Record<string, unknown>;
  environment.environmentKey = environmentKey;
  checkEnvironment(environment, "body");
  environments[index] = environment;
  checkFlagDocument(merged);
  return {
    input: merged as FlagInput,
    health: patch.health === null ? "HEALTHY" : undefined,
    paths: { environment: (_i, key) => (key === environmentKey ? "body" : undefined) },
  };
}

/** PATCH of one rule: a merge patch of the rule; `orderIndex` moves it within its environment. */
export function planRulePatch(
  view: FlagView,
  environmentKey: string,
  ruleId: number,
  body: Record<string, unknown>,
): Change {
  const merged = jsonCopy(view) as Record<string, unknown>;
  const environments = merged.environmentConfigurations as {
    environmentKey: string;
    rolloutRules: Record<string, unknown>[];
  }[];
  const environment = environments.find((e) => e.environmentKey === environmentKey);
  const index = environment?.rolloutRules.findIndex((r) => r.id === ruleId) ?? -1;
  if (!environment || index < 0) throw notFound(`Rule ${ruleId} not found`);
  if (body.id !== undefined && body.id !== null && body.id !== ruleId) {
    throw new ApiError(400, `body.id is read-only (${ruleId})`);
  }
  const rule = applyMergePatch(environment.rolloutRules[index], body) as Record<string, unknown>;
  checkRule(rule, "body");
  const rules = [...environment.rolloutRules];
  rules.splice(index, 1);
  const target = typeof body.orderIndex === "number" ? Math.min(body.orderIndex, rules.length) : index;
  rules.splice(target, 0, rule);
  environment.rolloutRules = rules;
  return {
    input: merged as FlagInput,
    paths: { rule: (_path, _i, inputId) => (inputId === ruleId ? "body" : undefined) },
  };
}

/** A whole new document from automation's transform of the flag as shown, checked like a user's body. */
export function planReplacement(view: FlagView, next: Record<string, unknown>): Change {
  const body = archivedAlias(next);
  assertFixed(body, view);
  checkFlagDocument(body);
  return { input: body as FlagInput };
}

/**
 * The part of a flag that decides evaluation (dateContentModified moves when it changes). Environments are
 * read as the project's, defaults filled in, so writing out an environment the document did not list yet
 * (any change through the API view does) is not a content change.
 */
export function contentOf(doc: StoredFlag, environmentKeys: readonly string[]): string {
  const byKey = new Map(doc.environmentConfigurations.map((e) => [e.environmentKey, e]));
  return JSON.stringify({
    featureKey: doc.featureKey,
    variables: doc.variables,
    variations: doc.variations,
    environments: environmentKeys.map((key) => ({
      ...(byKey.get(key) ?? defaultEnvironment(doc, key, "")),
      dateModified: undefined,
    })),
  });
}

/** The row columns of a flag: its list fields copied out of the document, beside the document itself. */
export function flagWrite(meta: FlagMeta, draft: DraftFlag): FlagWrite {
  return {
    featureKey: draft.featureKey,
    name: draft.name,
    description: draft.description,
    tags: draft.tags,
    health: meta.health,
    archived: meta.archived,
    version: meta.version,
    document: draft,
    dateModified: meta.dateModified,
    dateContentModified: meta.dateContentModified,
  };
}

/** The changes SDK streams must hear about, comparing compiled payloads per environment. */
export function changesBetween(
  before: FlagRecord | undefined,
  after: FlagRecord | undefined,
  environmentKeys: readonly string[],
): ConfigChange[] {
  const compiled = (record: FlagRecord | undefined, env: string) => {
    if (!record) return undefined;
    const flag = compileFlag(record, env);
    return flag === undefined ? undefined : JSON.stringify({ ...flag, version: 0 });
  };
  const projectKey = (after ?? before)!.meta.projectKey;
  const result: ConfigChange[] = [];
  const renamed = before && after && before.doc.featureKey !== after.doc.featureKey;
  if (before && (!after || renamed)) {
    result.push({
      projectKey,
      environmentKeys: environmentKeys.filter((env) => compiled(before, env) !== undefined),
      kind: "flag",
      key: before.doc.featureKey,
      version: after ? after.meta.version : before.meta.version + 1,
      deleted: true,
    });
  }
  if (after) {
    const changed = environmentKeys.filter((env) =>
      renamed ? compiled(after, env) !== undefined : compiled(before, env) !== compiled(after, env),
    );
    result.push({
      projectKey,
      environmentKeys: changed,
      kind: "flag",
      key: after.doc.featureKey,
      version: after.meta.version,
    });
  }
  return result;
}

/** A flag document without its ids and computed fields: the body that creates a copy of it. */
export function copyInput(view: FlagView): FlagInput {
  const copy = jsonCopy(view) as Record<string, unknown>;
  for (const field of [
    "id",
    "version",
    "dateCreated",
    "dateModified",
    "dateContentModified",
    "createdById",
  ]) {
    delete copy[field];
  }
  for (const variation of (copy.variations as Record<string, unknown>[]) ?? []) delete variation.id;
  for (const environment of (copy.environmentConfigurations as Record<string, unknown>[]) ?? []) {
    delete environment.dateModified;
    for (const rule of (environment.rolloutRules as Record<string, unknown>[]) ?? []) {
      for (const field of ["id", "experimentId", "status", "currentExposition", "orderIndex"])
        delete rule[field];
      for (const allocation of (rule.trafficAllocations as Record<string, unknown>[]) ?? [])
        delete allocation.variationId;
      for (const condition of (rule.rollbackConditions as Record<string, unknown>[]) ?? [])
        delete condition.id;
    }
  }
  return copy as FlagInput;
}

/** The key of a copy: `<key>-copy`, then `<key>-copy-2`, ... past the keys already taken. */
export function copyKey(featureKey: string, taken: ReadonlySet<string>): string {
  const base = copyKeyBase(featureKey);
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  return key;
}

/** The prefix every copy key of `featureKey` starts with (room kept for a `-99999` suffix). */
export function copyKeyBase(featureKey: string): string {
  return `${featureKey.slice(0, 255 - "-copy-99999".length)}-copy`;
}
