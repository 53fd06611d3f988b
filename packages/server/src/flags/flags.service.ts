import type { Kysely } from "kysely";
import type { AppContext } from "../app-context.js";
import type { ConfigChange } from "../changes/change-bus.js";
import { goalsStore } from "../goals/goals.store.js";
import { ApiError, conflict, notFound } from "../http/api-error.js";
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
import {
  type AutomationAuditNote,
  archivedAlias,
  type Change,
  changesBetween,
  contentOf,
  copyInput,
  copyKey,
  copyKeyBase,
  flagWrite,
  jsonCopy,
  planEnvironmentPatch,
  planFlagPatch,
  planReplacement,
  planRulePatch,
  requestedHealth,
} from "./flags.change-plan.js";
import {
  type DraftFlag,
  type FlagRecord,
  type Health,
  type ResolveContext,
  referencedIds,
  resolveFlag,
} from "./flags.document.js";
import type { FlagInput } from "./flags.schemas.js";
import {
  type FilterNode,
  filterUses,
  matchesEnvironmentState,
  matchesFilter,
  type SortKey,
  sortSummaries,
} from "./flags.search.js";
import { flagsStore } from "./flags.store.js";
import { type FlagView, flagView } from "./flags.view.js";
import { FlagViewCache, type SerializedFlag } from "./flags.view-cache.js";

interface Written {
  view: FlagView;
  changed: boolean;
  changes: ConfigChange[];
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
  /** The environment `enabled` and `ruleTypes` look at (without it, ruleTypes look at every environment). */
  environmentKey?: string | undefined;
  enabled?: boolean | undefined;
  ruleTypes?: string[] | undefined;
}

/**
 * Feature flags: every change validated in full, then written in one transaction with its audit entry and
 * the project's configuration version, then published to SDK streams.
 */
export class FlagsService {
  private readonly views: FlagViewCache;

  constructor(private readonly context: AppContext) {
    this.views = new FlagViewCache(context.db, context.database.dialect, () => context.now());
  }

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

  /** The GET route's answer, serialised by `serialize` and reused until the flag changes (flags.view-cache.ts). */
  async getSerialized(
    projectKey: string,
    featureKey: string,
    serialize: (view: FlagView) => string,
  ): Promise<SerializedFlag> {
    const found = await this.views.read(projectKey, featureKey, serialize);
    if (!found) throw notFound(`Feature flag '${featureKey}' not found in project '${projectKey}'`);
    return found;
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
        const meta = {
          projectKey,
          health,
          archived: input2.archived ?? false,
          version: 1,
          createdById: actor.id,
          dateCreated: now,
          dateModified: now,
          dateContentModified: now,
          lockedBy: null,
          lockedUntil: null,
        };
        const id = await flagsStore.insert(
          trx,
          projectKey,
          flagWrite({ id: 0, ...meta }, draft),
          actor.id,
          now,
        );
        const record: FlagRecord = { meta: { id, ...meta }, doc: draft };
        await flagsStore.allocateIds(trx, id, projectKey, draft, now);
        await flagsStore.update(trx, id, flagWrite(record.meta, draft));
        await flagsStore.syncReferences(trx, id, draft);
        await bumpConfigVersion(trx, projectKey);
        const view = this.view(record, environmentKeys);
        await this.audit(trx, actor, record, environmentKeys, { action: "flag.create", after: view }, now);
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
        await flagsStore.update(trx, current.meta.id, flagWrite(after.meta, draft));
        await flagsStore.syncReferences(trx, current.meta.id, draft);
        await bumpConfigVersion(trx, current.meta.projectKey);
        const view = this.view(after, environmentKeys);
        await this.audit(
          trx,
          actor,
          after,
          environmentKeys,
          { action, before: currentView, after: view },
          now,
        );
        for (const note of change.alsoAudit?.() ?? []) {
          await this.audit(trx, actor, after, environmentKeys, note, now);
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
    return this.change(
      actor,
      "flag.update",
      this.byKey(projectKey, featureKey),
      `Feature flag '${featureKey}' not found in project '${projectKey}'`,
      (_current, view) => planFlagPatch(view, body),
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
    return this.change(
      actor,
      "flag.update-environment",
      this.byKey(projectKey, featureKey),
      `Feature flag '${featureKey}' not found in project '${projectKey}'`,
      (_current, view, environmentKeys) => planEnvironmentPatch(view, environmentKeys, environmentKey, body),
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
      (_current, view) => ({
        ...planRulePatch(view, environmentKey, ruleId, body),
        banditAllocations: options.banditAllocations,
        alsoAudit: options.alsoAudit,
        adjust:
          options.respoolTime === undefined
            ? undefined
            : (draft) => {
                for (const env of draft.environmentConfigurations) {
                  for (const r of env.rolloutRules) if (r.id === ruleId) r.respoolTime = options.respoolTime;
                }
              },
      }),
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
      (_current, view) => ({
        ...planReplacement(view, transform(jsonCopy(view))),
        alsoAudit: options.alsoAudit,
        adjust: options.adjust,
      }),
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
      const taken = await flagsStore.keysStartingWith(this.context.db, projectKey, copyKeyBase(featureKey));
      key = copyKey(featureKey, taken);
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
      await this.audit(trx, actor, current, environmentKeys, { action: "flag.delete", before }, now);
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
    if (criteria.environmentKey !== undefined || criteria.ruleTypes?.length)
      summaries = summaries.filter((f) => matchesEnvironmentState(f, criteria));
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

  /**
   * Publishes a change of the flag to the outbox (audit entry, webhooks) in the write's transaction, naming
   * the flag as it is after the change so subscribers need not read flag tables.
   */
  private async audit(
    trx: Kysely<Database>,
    actor: Actor,
    flag: FlagRecord,
    environmentKeys: string[],
    entry: { action: string; before?: unknown; after?: unknown },
    now: string,
  ): Promise<void> {
    await this.context.outbox.publish(
      trx,
      {
        projectKey: flag.meta.projectKey,
        actor: actor.name,
        resourceType: "feature-flag",
        resourceId: String(flag.meta.id),
        subject: { key: flag.doc.featureKey, name: flag.doc.name, environmentKeys },
        ...entry,
      },
      new Date(now),
    );
  }

  private publish(changes: ConfigChange[]) {
    for (const change of changes) this.context.changes.publish(change);
  }
}
