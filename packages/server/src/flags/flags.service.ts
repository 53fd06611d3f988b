import type { Kysely } from "kysely";
import type { AppContext } from "../app-context.js";
import type { ConfigChange } from "../changes/change-bus.js";
import { goalsStore } from "../goals/goals.store.js";
import { ApiError, conflict, notFound } from "../http/api-error.js";
import { applyMergePatch } from "../http/merge-patch.js";
import {
  type Actor,
  assertIfMatch,
  assertUnlocked,
  isUniqueViolation,
  type WriteOptions,
} from "../http/write-guards.js";
import { bumpConfigVersion, projectsStore } from "../projects/projects.store.js";
import { segmentsStore } from "../segments/segments.store.js";
import type { Database } from "../storage/schema.js";
import { compileFlag } from "./compile-payload.js";
import {
  type DraftFlag,
  type FlagRecord,
  type Health,
  type ResolveContext,
  referencedIds,
  resolveFlag,
  type StoredFlag,
} from "./flags.document.js";
import {
  checkFlagDocument,
  checkRule,
  EnvironmentConfigurationSchema,
  type FlagInput,
  schemaChecker,
} from "./flags.schemas.js";
import { type FilterNode, filterUses, matchesFilter, type SortKey, sortSummaries } from "./flags.search.js";
import { type FlagWrite, flagsStore } from "./flags.store.js";
import { defaultEnvironment, type FlagView, flagView } from "./flags.view.js";

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
const jsonCopy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Kameleoon's update endpoints say `isArchived`; responses say `archived`. Both are accepted. */
function archivedAlias(body: Record<string, unknown>): Record<string, unknown> {
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

function assertFixed(body: Record<string, unknown>, view: FlagView): void {
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
function requestedHealth(current: Health, requested: Health | undefined): Health {
  if (requested === undefined || requested === current) return current;
  if (requested === "HEALTHY" || requested === "PERMANENT") return requested;
  throw new ApiError(400, `body.health ${requested} is computed by automation; set PERMANENT or HEALTHY`);
}

/** What a change resolves to, before it is written. */
interface Change {
  input: FlagInput;
  /** The health asked for (checked), or forced (automation). */
  health?: Health | undefined;
  forcedHealth?: Health | undefined;
  paths?: ResolveContext["paths"];
  /** Adjusts internal fields of the resolved draft (automation). */
  adjust?: (draft: DraftFlag) => void;
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

interface Written {
  view: FlagView;
  changed: boolean;
  changes: ConfigChange[];
}

/**
 * The part of a flag that decides evaluation (dateContentModified moves when it changes). Environments are
 * read as the project's, defaults filled in, so writing out an environment the document did not list yet
 * (any change through the API view does) is not a content change.
 */
function contentOf(doc: StoredFlag, environmentKeys: readonly string[]): string {
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

/** The changes SDK streams must hear about, comparing compiled payloads per environment. */
function changesBetween(
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
function copyInput(view: FlagView): FlagInput {
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

export interface SearchCriteria {
  /** Projects the caller may see (null = all). */
  scope: string[] | null;
  siteCode?: string | undefined;
  filter?: FilterNode | undefined;
  sort?: SortKey[] | undefined;
  page: number;
  perPage: number;
  tags?: string[] | undefined;
  health?: string[] | undefined;
  /** "false" (default unless the filter asks about `archived`), "true" or "all". */
  archived?: "true" | "false" | "all" | undefined;
}

/**
 * Feature flags: every change validated in full, then written in one transaction with its audit entry and
 * the project's configuration version, then published to SDK streams.
 */
export class FlagsService {
  constructor(private readonly context: AppContext) {}

  private nowIso(): string {
    return new Date(this.context.now()).toISOString();
  }

  /** The project's environment keys in order. */
  async environmentKeys(db: Kysely<Database>, projectKey: string): Promise<string[]> {
    return (await projectsStore.environments(db, projectKey)).map((e) => e.key);
  }

  view(record: FlagRecord, environmentKeys: readonly string[]): FlagView {
    return flagView(record, environmentKeys, this.context.now());
  }

  /** GET /feature-flags/{siteCode}/{featureKey}: one indexed query (the flag row joined to its environments). */
  async get(projectKey: string, featureKey: string): Promise<FlagView> {
    const found = await flagsStore.findForRead(
      this.context.db,
      this.context.database.dialect,
      projectKey,
      featureKey,
    );
    if (!found) throw notFound(`Feature flag '${featureKey}' not found in project '${projectKey}'`);
    return this.view(found.record, found.environmentKeys);
  }

  async getById(id: number): Promise<FlagView | undefined> {
    const record = await flagsStore.findById(this.context.db, id);
    if (!record) return undefined;
    return this.view(record, await this.environmentKeys(this.context.db, record.meta.projectKey));
  }

  /** Resolves a request document against the project (segments, goals, environments) inside `db`. */
  private async resolve(
    db: Kysely<Database>,
    input: FlagInput,
    environmentKeys: string[],
    previous: FlagRecord | undefined,
    nowIso: string,
    paths?: ResolveContext["paths"],
    banditAllocationsWritable = false,
  ): Promise<DraftFlag> {
    const projectKey = input.siteCode;
    const references = referencedIds(input);
    const [segmentIds, goalIds] = await Promise.all([
      segmentsStore.existing(db, projectKey, references.segmentIds),
      goalsStore.existing(db, projectKey, references.goalIds),
    ]);
    return resolveFlag(input, {
      environmentKeys,
      segmentIds,
      goalIds,
      projectKey,
      previous: previous?.doc,
      previousDateCreated: previous?.meta.dateCreated,
      nowIso,
      paths,
      banditAllocationsWritable,
    });
  }

  /** POST /feature-flags. */
  async create(actor: Actor, input: FlagInput): Promise<FlagView> {
    const health = requestedHealth("HEALTHY", input.health);
    const input2 = archivedAlias(input as Record<string, unknown>) as FlagInput;
    const now = this.nowIso();
    let result: { view: FlagView; changes: ConfigChange[] };
    try {
      result = await this.context.db.transaction().execute(async (trx) => {
        const projectKey = input2.siteCode;
        if (!(await projectsStore.find(trx, projectKey))) {
          throw notFound(`body.siteCode: project '${projectKey}' not found`);
        }
        const environmentKeys = await this.environmentKeys(trx, projectKey);
        if (await flagsStore.keyExists(trx, projectKey, input2.featureKey)) {
          throw conflict(
            `body.featureKey: feature flag '${input2.featureKey}' already exists in project '${projectKey}'`,
          );
        }
        const draft = await this.resolve(trx, input2, environmentKeys, undefined, now);
        const write: FlagWrite = {
          featureKey: draft.featureKey,
          name: draft.name,
          description: draft.description,
          tags: draft.tags,
          health,
          archived: input2.archived ?? false,
          version: 1,
          document: draft,
          dateModified: now,
          dateContentModified: now,
        };
        const id = await flagsStore.insert(trx, projectKey, write, actor.id, now);
        await flagsStore.allocateIds(trx, id, projectKey, draft, now);
        await flagsStore.update(trx, id, write);
        await flagsStore.syncReferences(trx, id, draft);
        await bumpConfigVersion(trx, projectKey);
        const record: FlagRecord = {
          meta: {
            id,
            projectKey,
            health,
            archived: write.archived,
            version: 1,
            createdById: actor.id,
            dateCreated: now,
            dateModified: now,
            dateContentModified: now,
            lockedBy: null,
            lockedUntil: null,
          },
          doc: draft,
        };
        const view = this.view(record, environmentKeys);
        await this.context.outbox.publish(
          trx,
          {
            projectKey,
            actor: actor.name,
            action: "flag.create",
            resourceType: "feature-flag",
            resourceId: String(id),
            after: view,
          },
          new Date(now),
        );
        return { view, changes: changesBetween(undefined, record, environmentKeys) };
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw conflict(
          `body.featureKey: feature flag '${input2.featureKey}' already exists in project '${input2.siteCode}'`,
        );
      }
      throw error;
    }
    this.publish(result.changes);
    return result.view;
  }

  /**
   * The common path of every change to an existing flag: find and lock the row, check the automation lock
   * and If-Match, compute the new request document, resolve it in full, then write row, ids, references,
   * config version and audit in the same transaction; publish after commit.
   */
  private async change(
    actor: Actor,
    action: string,
    locate: (db: Kysely<Database>) => Promise<FlagRecord | undefined>,
    notFoundMessage: string,
    compute: (current: FlagRecord, view: FlagView, environmentKeys: string[]) => Change | Promise<Change>,
    options: WriteOptions & { authorize?: ((projectKey: string) => void) | undefined },
  ): Promise<FlagView> {
    const now = this.nowIso();
    let result: Written;
    try {
      result = await this.context.db.transaction().execute(async (trx): Promise<Written> => {
        const current = await locate(trx);
        if (!current) throw notFound(notFoundMessage);
        options.authorize?.(current.meta.projectKey);
        const what = `Feature flag '${current.doc.featureKey}'`;
        assertUnlocked(current.meta, options.lockHolder, this.context.now(), what);
        assertIfMatch(current.meta.version, options.ifMatch, what.toLowerCase());
        const environmentKeys = await this.environmentKeys(trx, current.meta.projectKey);
        const currentView = this.view(current, environmentKeys);
        const change = await compute(current, currentView, environmentKeys);
        const input = change.input;
        if (input.siteCode !== current.meta.projectKey) {
          throw new ApiError(
            400,
            `body.siteCode cannot change (the flag belongs to '${current.meta.projectKey}')`,
          );
        }
        const health =
          change.forcedHealth ?? requestedHealth(current.meta.health, change.health ?? input.health);
        const archived = input.archived ?? current.meta.archived;
        const draft = await this.resolve(
          trx,
          input,
          environmentKeys,
          current,
          now,
          change.paths,
          change.banditAllocations === true,
        );
        change.adjust?.(draft);
        if (
          draft.featureKey !== current.doc.featureKey &&
          (await flagsStore.keyExists(trx, current.meta.projectKey, draft.featureKey))
        ) {
          throw conflict(
            `body.featureKey: feature flag '${draft.featureKey}' already exists in project '${current.meta.projectKey}'`,
          );
        }
        await flagsStore.allocateIds(trx, current.meta.id, current.meta.projectKey, draft, now);
        if (
          JSON.stringify(draft) === JSON.stringify(current.doc) &&
          health === current.meta.health &&
          archived === current.meta.archived
        ) {
          return { view: currentView, changed: false, changes: [] };
        }
        const contentChanged = contentOf(draft, environmentKeys) !== contentOf(current.doc, environmentKeys);
        const after: FlagRecord = {
          meta: {
            ...current.meta,
            health,
            archived,
            version: current.meta.version + 1,
            dateModified: now,
            dateContentModified: contentChanged ? now : current.meta.dateContentModified,
          },
          doc: draft,
        };
        await flagsStore.update(trx, current.meta.id, {
          featureKey: draft.featureKey,
          name: draft.name,
          description: draft.description,
          tags: draft.tags,
          health,
          archived,
          version: after.meta.version,
          document: draft,
          dateModified: now,
          dateContentModified: after.meta.dateContentModified,
        });
        await flagsStore.syncReferences(trx, current.meta.id, draft);
        await bumpConfigVersion(trx, current.meta.projectKey);
        const view = this.view(after, environmentKeys);
        await this.context.outbox.publish(
          trx,
          {
            projectKey: current.meta.projectKey,
            actor: actor.name,
            action,
            resourceType: "feature-flag",
            resourceId: String(current.meta.id),
            before: currentView,
            after: view,
          },
          new Date(now),
        );
        for (const note of change.alsoAudit?.() ?? []) {
          await this.context.outbox.publish(
            trx,
            {
              projectKey: current.meta.projectKey,
              actor: actor.name,
              action: note.action,
              resourceType: "feature-flag",
              resourceId: String(current.meta.id),
              after: note.after,
            },
            new Date(now),
          );
        }
        return { view, changed: true, changes: changesBetween(current, after, environmentKeys) };
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw conflict("body.featureKey: a feature flag with this key already exists");
      throw error;
    }
    this.publish(result.changes);
    return result.view;
  }

  private byKey(projectKey: string, featureKey: string) {
    return (db: Kysely<Database>) =>
      flagsStore.findByKey(db, projectKey, featureKey, this.context.database.dialect);
  }

  private byId(id: number) {
    return (db: Kysely<Database>) => flagsStore.findById(db, id, this.context.database.dialect);
  }

  /** PATCH /feature-flags/{siteCode}/{featureKey}: a JSON Merge Patch of the flag (arrays replaced whole). */
  async patch(
    actor: Actor,
    projectKey: string,
    featureKey: string,
    body: Record<string, unknown>,
    options: WriteOptions = {},
  ): Promise<FlagView> {
    const patch = archivedAlias(body);
    return this.change(
      actor,
      "flag.update",
      this.byKey(projectKey, featureKey),
      `Feature flag '${featureKey}' not found in project '${projectKey}'`,
      (_current, view) => {
        assertFixed(patch, view);
        const merged = applyMergePatch(jsonCopy(view), patch);
        checkFlagDocument(merged);
        return { input: merged as FlagInput, health: patch.health === null ? "HEALTHY" : undefined };
      },
      options,
    );
  }

  /**
   * PATCH /feature-flags/{siteCode}/{featureKey}/{environmentKey}: a merge patch of one environment's
   * configuration; flag-level fields in the same body (as Kameleoon allows) patch the flag.
   */
  async patchEnvironment(
    actor: Actor,
    projectKey: string,
    featureKey: string,
    environmentKey: string,
    body: Record<string, unknown>,
    options: WriteOptions = {},
  ): Promise<FlagView> {
    const patch = archivedAlias(body);
    return this.change(
      actor,
      "flag.update-environment",
      this.byKey(projectKey, featureKey),
      `Feature flag '${featureKey}' not found in project '${projectKey}'`,
      (_current, view, environmentKeys) => {
        if (!environmentKeys.includes(environmentKey)) {
          throw notFound(`Environment '${environmentKey}' not found in project '${projectKey}'`);
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
      },
      options,
    );
  }

  /**
   * PATCH /feature-flags/rules/{ruleId}: a merge patch of one rule. `orderIndex` moves the rule within its
   * environment. `authorize` is called with the flag's project before anything else is revealed.
   */
  async patchRule(
    actor: Actor,
    ruleId: number,
    body: Record<string, unknown>,
    options: WriteOptions & {
      authorize?: (projectKey: string) => void;
      /** Automation: the re-allocation time that changes the experiment's bucketing salt. */
      respoolTime?: number | null;
      /** Bandit automation: may set the trafficAllocations of a multi-armed-bandit rule (users get 400). */
      banditAllocations?: boolean;
      /** Automation: audit entries added in the change's transaction when it is written. */
      alsoAudit?: () => AutomationAuditNote[];
    } = {},
  ): Promise<FlagView> {
    let environmentKey = "";
    return this.change(
      actor,
      "flag.update-rule",
      async (db) => {
        const location = await flagsStore.ruleLocation(db, ruleId);
        if (!location) return undefined;
        environmentKey = location.environmentKey;
        return flagsStore.findById(db, location.flagId, this.context.database.dialect);
      },
      `Rule ${ruleId} not found`,
      (_current, view) => {
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
          banditAllocations: options.banditAllocations,
          alsoAudit: options.alsoAudit,
          adjust:
            options.respoolTime === undefined
              ? undefined
              : (draft) => {
                  for (const env of draft.environmentConfigurations) {
                    for (const r of env.rolloutRules)
                      if (r.id === ruleId) r.respoolTime = options.respoolTime;
                  }
                },
        };
      },
      options,
    );
  }

  /** Archives or restores a flag (archived flags leave SDK payloads and lists). */
  async setArchived(
    actor: Actor,
    projectKey: string,
    featureKey: string,
    archived: boolean,
    options: WriteOptions = {},
  ): Promise<FlagView> {
    return this.change(
      actor,
      archived ? "flag.archive" : "flag.restore",
      this.byKey(projectKey, featureKey),
      `Feature flag '${featureKey}' not found in project '${projectKey}'`,
      (_current, view) => ({ input: { ...(jsonCopy(view) as FlagInput), archived } }),
      options,
    );
  }

  /** Sets health (automation: STALE/SMELLY computed from evaluations and edits; users: PERMANENT/HEALTHY). */
  async setHealth(
    actor: Actor,
    flagId: number,
    health: Health,
    options: WriteOptions = {},
  ): Promise<FlagView> {
    return this.change(
      actor,
      "flag.health",
      this.byId(flagId),
      `Feature flag ${flagId} not found`,
      (_current, view) => ({ input: jsonCopy(view) as FlagInput, forcedHealth: health }),
      options,
    );
  }

  /**
   * Any change to a flag by id, for automation: `transform` receives the flag as the API shows it (a body
   * PATCH would merge into), read in the write's transaction, and returns the new document; it is validated
   * like a user's change. `action` names the audit entry (default `flag.update`); `alsoAudit` adds entries
   * about the flag in the same transaction, only when the change is written (called after `transform`).
   */
  async update(
    actor: Actor,
    flagId: number,
    transform: (flag: FlagView) => Record<string, unknown>,
    options: WriteOptions & {
      action?: string;
      alsoAudit?: () => AutomationAuditNote[];
      /** Sets internal fields of the resolved document (automation), as patchRule's respoolTime does. */
      adjust?: (draft: DraftFlag) => void;
    } = {},
  ): Promise<FlagView> {
    return this.change(
      actor,
      options.action ?? "flag.update",
      this.byId(flagId),
      `Feature flag ${flagId} not found`,
      (_current, view) => {
        const next = archivedAlias(transform(jsonCopy(view)));
        assertFixed(next, view);
        checkFlagDocument(next);
        return { input: next as FlagInput, alsoAudit: options.alsoAudit, adjust: options.adjust };
      },
      options,
    );
  }

  /** POST .../duplicate: a copy with new ids; key from the body, else `<key>-copy` made unique. */
  async duplicate(
    actor: Actor,
    projectKey: string,
    featureKey: string,
    body: { featureKey?: string | undefined; name?: string | undefined },
  ): Promise<FlagView> {
    const source = await this.get(projectKey, featureKey);
    const input = copyInput(source);
    let key = body.featureKey;
    if (key === undefined) {
      const base = `${featureKey.slice(0, 255 - "-copy-99999".length)}-copy`;
      const taken = await flagsStore.keysStartingWith(this.context.db, projectKey, base);
      key = base;
      for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
    }
    input.featureKey = key;
    input.name = body.name ?? `${source.name as string} (copy)`.slice(0, 100);
    input.archived = false;
    if (input.health !== "PERMANENT") input.health = "HEALTHY";
    return this.create(actor, input);
  }

  /** DELETE /feature-flags/{siteCode}/{featureKey} (admins): removes the flag, its ids and experiments. */
  async delete(
    actor: Actor,
    projectKey: string,
    featureKey: string,
    options: WriteOptions = {},
  ): Promise<void> {
    const now = this.nowIso();
    const changes = await this.context.db.transaction().execute(async (trx) => {
      const current = await this.byKey(projectKey, featureKey)(trx);
      if (!current) throw notFound(`Feature flag '${featureKey}' not found in project '${projectKey}'`);
      const what = `Feature flag '${featureKey}'`;
      assertUnlocked(current.meta, options.lockHolder, this.context.now(), what);
      assertIfMatch(current.meta.version, options.ifMatch, what.toLowerCase());
      const environmentKeys = await this.environmentKeys(trx, projectKey);
      const before = this.view(current, environmentKeys);
      await flagsStore.delete(trx, current.meta.id);
      await bumpConfigVersion(trx, projectKey);
      await this.context.outbox.publish(
        trx,
        {
          projectKey,
          actor: actor.name,
          action: "flag.delete",
          resourceType: "feature-flag",
          resourceId: String(current.meta.id),
          before,
        },
        new Date(now),
      );
      return changesBetween(current, undefined, environmentKeys);
    });
    this.publish(changes);
  }

  /** Lists flags: filter and sort over list columns, then read only the page's documents. */
  async search(criteria: SearchCriteria): Promise<{ items: FlagView[]; total: number }> {
    let projectKeys = criteria.scope;
    if (criteria.siteCode !== undefined) {
      projectKeys =
        projectKeys === null || projectKeys.includes(criteria.siteCode) ? [criteria.siteCode] : [];
    }
    const archivedMode = criteria.archived ?? (filterUses(criteria.filter, "archived") ? "all" : "false");
    const archived = archivedMode === "all" ? undefined : archivedMode === "true";
    let summaries = await flagsStore.summaries(this.context.db, projectKeys, archived);
    if (criteria.tags?.length)
      summaries = summaries.filter((f) => f.tags.some((t) => criteria.tags!.includes(t)));
    if (criteria.health?.length) summaries = summaries.filter((f) => criteria.health!.includes(f.health));
    if (criteria.filter) summaries = summaries.filter((f) => matchesFilter(f, criteria.filter!));
    summaries = sortSummaries(summaries, criteria.sort ?? []);
    const start = (criteria.page - 1) * criteria.perPage;
    const page = summaries.slice(start, start + criteria.perPage);
    const records = new Map(
      (
        await flagsStore.findByIds(
          this.context.db,
          page.map((f) => f.id),
        )
      ).map((r) => [r.meta.id, r]),
    );
    const environments = new Map<string, string[]>();
    const items: FlagView[] = [];
    for (const summary of page) {
      const record = records.get(summary.id);
      if (!record) continue;
      let keys = environments.get(record.meta.projectKey);
      if (!keys) {
        keys = await this.environmentKeys(this.context.db, record.meta.projectKey);
        environments.set(record.meta.projectKey, keys);
      }
      items.push(this.view(record, keys));
    }
    return { items, total: summaries.length };
  }

  private publish(changes: ConfigChange[]) {
    for (const change of changes) this.context.changes.publish(change);
  }
}

/** Looks a flag up by its numeric id (results, experiments, automation). */
export async function findFlagById(context: AppContext, id: number): Promise<FlagView | undefined> {
  return context.services.flags.getById(id);
}

/** Looks a flag up by project and feature key; undefined when there is none. */
export async function findFlagByKey(
  context: AppContext,
  projectKey: string,
  featureKey: string,
): Promise<FlagView | undefined> {
  const record = await flagsStore.findByKey(context.db, projectKey, featureKey);
  if (!record) return undefined;
  const service = context.services.flags;
  return service.view(record, await service.environmentKeys(context.db, projectKey));
}

/** The stored flag (document and row columns) by id, e.g. for compiling or for experiments. */
export async function findFlagRecord(context: AppContext, id: number): Promise<FlagRecord | undefined> {
  return flagsStore.findById(context.db, id);
}

/** A rule by id: its flag, environment and stored rule. */
export async function findRule(context: AppContext, ruleId: number) {
  const location = await flagsStore.ruleLocation(context.db, ruleId);
  if (!location) return undefined;
  const record = await flagsStore.findById(context.db, location.flagId);
  const rule = record?.doc.environmentConfigurations
    .find((e) => e.environmentKey === location.environmentKey)
    ?.rolloutRules.find((r) => r.id === ruleId);
  if (!record || !rule) return undefined;
  return { flag: record, environmentKey: location.environmentKey, rule };
}
