import type { CappingSettings } from "@vexil/stats";
import type { Kysely } from "kysely";
import { type Static, Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { ApiError, conflict, notFound } from "../http/api-error.js";
import { applyMergePatch } from "../http/merge-patch.js";
import { type Actor, isUniqueViolation } from "../http/write-guards.js";
import { projectsStore } from "../projects/projects.store.js";
import type { Database } from "../storage/schema.js";
import type { GoalView } from "./goals.responses.js";
import { type Goal, type GoalKind, goalsStore } from "./goals.store.js";

/** Kameleoon's goal types that map to a Vexil goal kind. */
export const KAMELEOON_TYPES: Record<GoalKind, "CUSTOM" | "PAGE_URL" | "CLICK"> = {
  custom: "CUSTOM",
  pageview: "PAGE_URL",
  click: "CLICK",
};
const KIND_OF_TYPE: Record<string, GoalKind> = { CUSTOM: "custom", PAGE_URL: "pageview", CLICK: "click" };

/** Request body of a goal's capping, both dialects (documented in docs/statistics.md, Capping). */
export const CappingSettingsBody = Type.Object(
  {
    type: Type.Enum(["none", "absolute", "percentile"]),
    value: Type.Optional(
      Type.Union([Type.Number(), Type.Null()], {
        description: "absolute: the cap (> 0); percentile: a fraction between 0 and 1 (0.99 = P99)",
      }),
    ),
  },
  { additionalProperties: false },
);
export type CappingSettingsInput = Static<typeof CappingSettingsBody>;

/** The capping a request asks for, checked: 400 unless usable and on a numeric goal. */
export function cappingOf(
  input: CappingSettingsInput | undefined | null,
  isNumeric: boolean,
  path = "body.cappingSettings",
): CappingSettings {
  if (input === undefined || input === null) return { type: "none" };
  const extra =
    typeof input === "object" ? Object.keys(input).filter((k) => k !== "type" && k !== "value") : [];
  if (
    typeof input !== "object" ||
    !["none", "absolute", "percentile"].includes(input.type) ||
    extra.length > 0
  )
    throw new ApiError(400, `${path} must be {type: none | absolute | percentile, value}`);
  if (input.type === "none") return { type: "none" };
  const value = input.value;
  if (!isNumeric) throw new ApiError(400, `${path} applies to numeric goals only (set isNumeric: true)`);
  if (input.type === "absolute" && !(typeof value === "number" && Number.isFinite(value) && value > 0))
    throw new ApiError(400, `${path}.value: an absolute cap is a number above 0, got ${value}`);
  if (input.type === "percentile" && !(typeof value === "number" && value > 0 && value < 1))
    throw new ApiError(
      400,
      `${path}.value: a percentile cap is a fraction between 0 and 1 (0.99 = P99), got ${value}`,
    );
  return { type: input.type, value: value as number };
}

/** A goal's capping as both dialects show it. */
export function cappingView(capping: CappingSettings) {
  return { type: capping.type, value: capping.type === "none" ? null : capping.value };
}

/**
 * A goal's capping as an analysis applied it: `cap` is what the aggregation reported (undefined: nothing
 * was capped; null: a percentile cap at 0, not applied); `notApplicable` says why capping does not apply.
 */
export function cappingApplied(
  capping: CappingSettings,
  cap: number | null | undefined,
  notApplicable?: string,
) {
  const view = cappingView(capping);
  const skipped = (reason: string | null) => ({ ...view, cap: null, applied: false, reason });
  if (capping.type === "none") return skipped(null);
  if (notApplicable) return skipped(notApplicable);
  if (cap === undefined) return skipped("no conversion to cap");
  if (cap === null)
    return skipped(
      `the P${Number((capping.value * 100).toPrecision(12))} of the pooled per-unit values is 0 (most units have no value): not applied`,
    );
  return { ...view, cap, applied: true, reason: null };
}

export interface GoalInput {
  siteCode: string;
  name: string;
  key?: string | undefined;
  description?: string | undefined;
  kind?: GoalKind | undefined;
  type?: "CUSTOM" | "PAGE_URL" | "CLICK" | undefined;
  eventKey?: string | undefined;
  isNumeric?: boolean | undefined;
  unit?: string | undefined;
  successCriteria?: Goal["successCriteria"] | undefined;
  unitAggregationType?: Goal["unitAggregationType"] | undefined;
  hasMultipleConversions?: boolean | undefined;
  tags?: string[] | undefined;
  cappingSettings?: CappingSettingsInput | undefined;
}

/** A goal as the API shows it: Vexil's fields plus Kameleoon's `type` and `siteCode`. */
export function goalView(goal: Goal): GoalView {
  return {
    id: goal.id,
    key: goal.key,
    name: goal.name,
    description: goal.description,
    siteCode: goal.projectKey,
    kind: goal.kind,
    type: KAMELEOON_TYPES[goal.kind],
    eventKey: goal.eventKey,
    isNumeric: goal.isNumeric,
    unit: goal.unit,
    successCriteria: goal.successCriteria,
    unitAggregationType: goal.unitAggregationType,
    hasMultipleConversions: goal.hasMultipleConversions,
    tags: goal.tags,
    cappingSettings: cappingView(goal.capping),
    dateCreated: goal.dateCreated,
    dateModified: goal.dateModified,
  };
}

/** A key made from a name: lower case, [a-z0-9._-], at most 100 characters. */
function slug(name: string): string {
  const base = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 100);
  return base || "goal";
}

function kindOf(kind: GoalKind | undefined, type: string | undefined, path = "body"): GoalKind | undefined {
  const fromType = type === undefined ? undefined : KIND_OF_TYPE[type];
  if (kind !== undefined && fromType !== undefined && kind !== fromType) {
    throw new ApiError(400, `${path}.type ${type} contradicts kind '${kind}'`);
  }
  return kind ?? fromType;
}

/** Who uses a goal, asked of the capabilities that reference goals (wired in composition.ts). */
export interface GoalUsage {
  /** Flags that use the goal (primary/secondary goal, rollback condition), read in `db`. */
  flagsUsing(db: Kysely<Database>, goalId: number): Promise<FlagUse[]>;
}

/** One flag's use of a goal or segment, as a 409 names it. */
export interface FlagUse {
  featureKey: string;
  archived: boolean;
  detail: string;
}

/** A write another API keeps beside a goal (LaunchDarkly's metric settings), in the goal's transaction. */
export type AlsoWrite = (trx: Kysely<Database>, goal: Goal) => Promise<void>;

/** Goals (Kameleoon goalId / LaunchDarkly metricKey): created, changed, deleted unless in use. */
export class GoalsService {
  constructor(
    private readonly context: AppContext,
    private readonly usage: GoalUsage,
  ) {}

  async get(id: number): Promise<Goal> {
    const goal = await goalsStore.findById(this.context.db, id);
    if (!goal) throw notFound(`Goal ${id} not found`);
    return goal;
  }

  /** The goals of the projects in `scope` (null = every project). */
  async list(scope: string[] | null): Promise<Goal[]> {
    return goalsStore.list(this.context.db, scope);
  }

  /** Creates a goal; `alsoWrite` writes what another API keeps beside it, in the same transaction. */
  async create(actor: Actor, input: GoalInput, alsoWrite?: AlsoWrite): Promise<Goal> {
    const now = new Date(this.context.now()).toISOString();
    try {
      return await this.context.db.transaction().execute(async (trx) => {
        if (!(await projectsStore.find(trx, input.siteCode)))
          throw notFound(`Project '${input.siteCode}' not found`);
        const keys = await goalsStore.keys(trx, input.siteCode);
        let key = input.key;
        if (key !== undefined) {
          if (keys.has(key))
            throw conflict(`body.key: goal '${key}' already exists in project '${input.siteCode}'`);
        } else {
          const base = slug(input.name);
          key = base;
          for (let n = 2; keys.has(key); n++) key = `${base}-${n}`;
        }
        const goal: Omit<Goal, "id"> = {
          projectKey: input.siteCode,
          key,
          name: input.name,
          description: input.description ?? "",
          kind: kindOf(input.kind, input.type) ?? "custom",
          eventKey: input.eventKey ?? key,
          isNumeric: input.isNumeric ?? false,
          unit: input.unit ?? null,
          successCriteria: input.successCriteria ?? "HigherThanBaseline",
          unitAggregationType: input.unitAggregationType ?? "sum",
          hasMultipleConversions: input.hasMultipleConversions ?? true,
          tags: [...new Set(input.tags ?? [])],
          capping: cappingOf(input.cappingSettings, input.isNumeric ?? false),
          dateCreated: now,
          dateModified: now,
        };
        const id = await goalsStore.insert(trx, goal);
        const created = { ...goal, id };
        await alsoWrite?.(trx, created);
        await this.context.outbox.publish(
          trx,
          {
            projectKey: goal.projectKey,
            actor: actor.name,
            action: "goal.create",
            resourceType: "goal",
            resourceId: String(id),
            after: goalView(created),
          },
          new Date(now),
        );
        return created;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`body.key: goal '${input.key}' already exists`);
      throw error;
    }
  }

  /** JSON Merge Patch of a goal; `alsoWrite` as in create (called even when the goal itself is unchanged). */
  async update(
    actor: Actor,
    id: number,
    patch: Record<string, unknown>,
    alsoWrite?: AlsoWrite,
  ): Promise<Goal> {
    const now = new Date(this.context.now()).toISOString();
    try {
      return await this.context.db.transaction().execute(async (trx) => {
        const before = await goalsStore.findById(trx, id, this.context.database.dialect);
        if (!before) throw notFound(`Goal ${id} not found`);
        const current = goalView(before);
        for (const field of ["id", "siteCode", "dateCreated", "dateModified"] as const) {
          if (patch[field] !== undefined && patch[field] !== null && patch[field] !== current[field]) {
            throw new ApiError(400, `body.${field} is read-only`);
          }
        }
        const { type, kind, ...rest } = patch;
        const merged = applyMergePatch(current, rest) as ReturnType<typeof goalView>;
        const newKind =
          kindOf(kind as GoalKind | undefined, type as string | undefined) ??
          (type === null || kind === null ? "custom" : before.kind);
        if (typeof merged.name !== "string" || merged.name.length === 0)
          throw new ApiError(400, "body.name is required");
        if (typeof merged.key !== "string" || merged.key.length === 0)
          throw new ApiError(400, "body.key is required");
        if (merged.key !== before.key && (await goalsStore.findByKey(trx, before.projectKey, merged.key))) {
          throw conflict(`body.key: goal '${merged.key}' already exists in project '${before.projectKey}'`);
        }
        const after: Goal = {
          ...before,
          key: merged.key,
          name: merged.name,
          description: merged.description ?? "",
          kind: newKind,
          eventKey: merged.eventKey ?? merged.key,
          isNumeric: merged.isNumeric ?? false,
          unit: merged.unit ?? null,
          successCriteria: merged.successCriteria ?? "HigherThanBaseline",
          unitAggregationType: merged.unitAggregationType ?? "sum",
          hasMultipleConversions: merged.hasMultipleConversions ?? true,
          tags: [...new Set(merged.tags ?? [])],
          capping: cappingOf(merged.cappingSettings, merged.isNumeric ?? false),
          dateModified: now,
        };
        await alsoWrite?.(trx, after);
        if (
          JSON.stringify({ ...goalView(after), dateModified: "" }) ===
          JSON.stringify({ ...current, dateModified: "" })
        ) {
          return before;
        }
        await goalsStore.update(trx, after);
        await this.context.outbox.publish(
          trx,
          {
            projectKey: after.projectKey,
            actor: actor.name,
            action: "goal.update",
            resourceType: "goal",
            resourceId: String(id),
            before: current,
            after: goalView(after),
          },
          new Date(now),
        );
        return after;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`body.key: goal key already exists`);
      throw error;
    }
  }

  /** Deletes a goal unless a flag uses it (primary/secondary goal, rollback condition): 409 naming them. */
  async delete(actor: Actor, id: number): Promise<void> {
    const now = new Date(this.context.now()).toISOString();
    await this.context.db.transaction().execute(async (trx) => {
      const before = await goalsStore.findById(trx, id, this.context.database.dialect);
      if (!before) throw notFound(`Goal ${id} not found`);
      const users = (await this.usage.flagsUsing(trx, id)).map(
        (use) => `feature flag '${use.featureKey}'${use.archived ? " (archived)" : ""} ${use.detail}`,
      );
      if (users.length > 0) throw conflict(`Goal ${id} is in use by ${users.join("; ")}`);
      await goalsStore.delete(trx, id);
      await this.context.outbox.publish(
        trx,
        {
          projectKey: before.projectKey,
          actor: actor.name,
          action: "goal.delete",
          resourceType: "goal",
          resourceId: String(id),
          before: goalView(before),
        },
        new Date(now),
      );
    });
  }
}

/** Looks a goal up by its numeric id (Kameleoon goalId). */
export async function findGoalById(context: AppContext, id: number): Promise<Goal | undefined> {
  return goalsStore.findById(context.db, id);
}

/** Looks a goal up by its key in a project (LaunchDarkly metricKey). */
export async function findGoalByKey(
  context: AppContext,
  projectKey: string,
  key: string,
): Promise<Goal | undefined> {
  return goalsStore.findByKey(context.db, projectKey, key);
}

/** The goals of a project, by id. */
export async function listGoals(context: AppContext, projectKey: string): Promise<Goal[]> {
  return goalsStore.list(context.db, [projectKey]);
}
