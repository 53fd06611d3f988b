import type { ConditionTree } from "@vexil/engine";
import type { Kysely } from "kysely";
import type { AppContext } from "../app-context.js";
import { ApiError, conflict, notFound } from "../http/api-error.js";
import { applyMergePatch } from "../http/merge-patch.js";
import { type Actor, assertIfMatch, type WriteOptions } from "../http/write-guards.js";
import { bumpConfigVersion, projectsStore } from "../projects/projects.store.js";
import type { Database } from "../storage/schema.js";
import { inSegmentReferences } from "./segment-references.js";
import { checkCondition, checkVisitorCodes, findCycle } from "./segment-validation.js";
import type { SegmentView } from "./segments.responses.js";
import { type SegmentRecord, segmentsStore } from "./segments.store.js";

export interface SegmentInput {
  siteCode: string;
  name: string;
  description?: string | undefined;
  tags?: string[] | undefined;
  condition?: unknown;
  included?: string[] | undefined;
  excluded?: string[] | undefined;
}

/** A segment as the API shows it. */
export function segmentView(segment: SegmentRecord): SegmentView {
  return {
    id: segment.id,
    siteCode: segment.projectKey,
    name: segment.name,
    description: segment.description,
    tags: segment.tags,
    condition: segment.condition,
    included: segment.included,
    excluded: segment.excluded,
    version: segment.version,
    dateCreated: segment.dateCreated,
    dateModified: segment.dateModified,
  };
}

/** Fields a segment PATCH may change (read-only ones are accepted when unchanged). */
const READ_ONLY = ["id", "siteCode", "version", "dateCreated", "dateModified"] as const;

/** Creating, changing and deleting segments: validated, audited, versioned and published. */
/** One flag's use of a segment, as a 409 names it. */
export interface FlagUse {
  featureKey: string;
  archived: boolean;
  detail: string;
}

/** Who uses a segment, asked of flags (wired in composition.ts). */
export interface SegmentUsage {
  /** Flags whose rules target the segment directly, read in `db`. */
  flagsUsing(db: Kysely<Database>, segmentId: number): Promise<FlagUse[]>;
  /** Segment ids the project's flags target directly. */
  segmentsUsedByFlags(db: Kysely<Database>, projectKey: string): Promise<number[]>;
}

export class SegmentsService {
  constructor(
    private readonly context: AppContext,
    private readonly usage: SegmentUsage,
  ) {}

  /** The segment, or 404. */
  async get(id: number, db: Kysely<Database> = this.context.db): Promise<SegmentRecord> {
    const segment = await segmentsStore.find(db, id);
    if (!segment) throw notFound(`Segment ${id} not found`);
    return segment;
  }

  async list(projectKeys: string[] | null): Promise<SegmentRecord[]> {
    return segmentsStore.listIn(this.context.db, projectKeys);
  }

  /** Validates a whole segment (condition, codes, references, cycles) against the project's segments. */
  private async validate(
    db: Kysely<Database>,
    projectKey: string,
    selfId: number | undefined,
    input: { condition?: unknown; included?: string[] | undefined; excluded?: string[] | undefined },
  ): Promise<ConditionTree | null> {
    checkVisitorCodes(input.included ?? [], "body.included");
    checkVisitorCodes(input.excluded ?? [], "body.excluded");
    if (input.condition === undefined || input.condition === null) return null;
    const all = new Map((await segmentsStore.list(db, projectKey)).map((s) => [s.id, s]));
    const { condition, references } = checkCondition(input.condition, "body.condition", (id) => all.has(id));
    if (selfId !== undefined) {
      if (references.has(selfId))
        throw new ApiError(400, `body.condition refers to segment ${selfId} itself (inSegment)`);
      const cycle = findCycle(selfId, (id) =>
        id === selfId ? references : inSegmentReferences(all.get(id)?.condition ?? null),
      );
      if (cycle) throw new ApiError(400, `body.condition makes an inSegment cycle: ${cycle.join(" -> ")}`);
    }
    return condition;
  }

  async create(actor: Actor, input: SegmentInput): Promise<SegmentView> {
    const now = new Date(this.context.now()).toISOString();
    const { segment, affected } = await this.context.db.transaction().execute(async (trx) => {
      if (!(await projectsStore.find(trx, input.siteCode)))
        throw notFound(`Project '${input.siteCode}' not found`);
      const condition = await this.validate(trx, input.siteCode, undefined, input);
      const record: Omit<SegmentRecord, "id"> = {
        projectKey: input.siteCode,
        name: input.name,
        description: input.description ?? "",
        tags: [...new Set(input.tags ?? [])],
        condition,
        included: input.included ?? [],
        excluded: input.excluded ?? [],
        version: 1,
        dateCreated: now,
        dateModified: now,
      };
      const id = await segmentsStore.insert(trx, record);
      const segment = { ...record, id };
      await bumpConfigVersion(trx, segment.projectKey);
      await this.context.outbox.publish(
        trx,
        {
          projectKey: segment.projectKey,
          actor: actor.name,
          action: "segment.create",
          resourceType: "segment",
          resourceId: String(id),
          after: segmentView(segment),
        },
        new Date(now),
      );
      return { segment, affected: false };
    });
    this.publish(segment, affected);
    return segmentView(segment);
  }

  /** Applies a JSON Merge Patch (the condition tree is replaced whole, not merged). */
  async update(actor: Actor, id: number, patch: Record<string, unknown>, options: WriteOptions = {}) {
    const now = new Date(this.context.now()).toISOString();
    const result = await this.context.db.transaction().execute(async (trx) => {
      const before = await segmentsStore.find(trx, id, this.context.database.dialect);
      if (!before) throw notFound(`Segment ${id} not found`);
      assertIfMatch(before.version, options.ifMatch, `segment ${id}`);
      const current = segmentView(before);
      for (const field of READ_ONLY) {
        if (patch[field] !== undefined && patch[field] !== null && patch[field] !== current[field]) {
          throw new ApiError(400, `body.${field} is read-only`);
        }
      }
      const { condition: conditionPatch, ...rest } = patch;
      const merged = applyMergePatch(current, rest) as Record<string, unknown>;
      if (conditionPatch !== undefined) merged.condition = conditionPatch;
      if (typeof merged.name !== "string" || merged.name.length === 0)
        throw new ApiError(400, "body.name is required");
      const input = {
        condition: merged.condition,
        included: (merged.included as string[] | undefined) ?? [],
        excluded: (merged.excluded as string[] | undefined) ?? [],
      };
      const condition = await this.validate(trx, before.projectKey, id, input);
      const after: SegmentRecord = {
        ...before,
        name: merged.name,
        description: (merged.description as string | undefined) ?? "",
        tags: [...new Set((merged.tags as string[] | undefined) ?? [])],
        condition,
        included: input.included,
        excluded: input.excluded,
      };
      const same =
        JSON.stringify({ ...segmentView(after), version: 0, dateModified: "" }) ===
        JSON.stringify({ ...current, version: 0, dateModified: "" });
      if (same) return { segment: before, changed: false, affected: false };
      after.version = before.version + 1;
      after.dateModified = now;
      await segmentsStore.update(trx, after);
      await bumpConfigVersion(trx, after.projectKey);
      await this.context.outbox.publish(
        trx,
        {
          projectKey: after.projectKey,
          actor: actor.name,
          action: "segment.update",
          resourceType: "segment",
          resourceId: String(id),
          before: current,
          after: segmentView(after),
        },
        new Date(now),
      );
      return { segment: after, changed: true, affected: await this.usedByFlags(trx, after.projectKey, id) };
    });
    if (result.changed) this.publish(result.segment, result.affected);
    return segmentView(result.segment);
  }

  /** Where a segment is used: rules of flags, and other segments through inSegment. */
  async usedBy(
    segment: SegmentRecord,
    db: Kysely<Database> = this.context.db,
  ): Promise<{
    flags: { featureKey: string; archived: boolean; detail: string }[];
    segments: { id: number; name: string }[];
  }> {
    const flags = (await this.usage.flagsUsing(db, segment.id)).map(({ featureKey, archived, detail }) => ({
      featureKey,
      archived,
      detail,
    }));
    const segments = (await segmentsStore.list(db, segment.projectKey))
      .filter((other) => other.id !== segment.id && inSegmentReferences(other.condition).has(segment.id))
      .map((other) => ({ id: other.id, name: other.name }));
    return { flags, segments };
  }

  /** Deletes a segment unless a flag rule or another segment uses it (409 naming them). */
  async delete(actor: Actor, id: number, options: WriteOptions = {}): Promise<void> {
    const now = new Date(this.context.now()).toISOString();
    const segment = await this.context.db.transaction().execute(async (trx) => {
      const before = await segmentsStore.find(trx, id, this.context.database.dialect);
      if (!before) throw notFound(`Segment ${id} not found`);
      assertIfMatch(before.version, options.ifMatch, `segment ${id}`);
      const usage = await this.usedBy(before, trx);
      const users = [
        ...usage.flags.map(
          (use) => `feature flag '${use.featureKey}'${use.archived ? " (archived)" : ""} ${use.detail}`,
        ),
        ...usage.segments.map((other) => `segment ${other.id} '${other.name}' (inSegment)`),
      ];
      if (users.length > 0) throw conflict(`Segment ${id} is in use by ${users.join("; ")}`);
      await segmentsStore.delete(trx, id);
      await bumpConfigVersion(trx, before.projectKey);
      await this.context.outbox.publish(
        trx,
        {
          projectKey: before.projectKey,
          actor: actor.name,
          action: "segment.delete",
          resourceType: "segment",
          resourceId: String(id),
          before: segmentView(before),
        },
        new Date(now),
      );
      return before;
    });
    this.context.changes.publish({
      projectKey: segment.projectKey,
      environmentKeys: [],
      kind: "segment",
      key: String(id),
      version: segment.version + 1,
      deleted: true,
    });
  }

  /** Whether a flag of the project uses the segment, directly or through inSegment. */
  private async usedByFlags(db: Kysely<Database>, projectKey: string, segmentId: number): Promise<boolean> {
    const direct = await this.usage.segmentsUsedByFlags(db, projectKey);
    const all = new Map((await segmentsStore.list(db, projectKey)).map((s) => [s.id, s]));
    const seen = new Set<number>();
    const pending = [...direct];
    while (pending.length > 0) {
      const id = pending.pop()!;
      if (id === segmentId) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      pending.push(...inSegmentReferences(all.get(id)?.condition ?? null));
    }
    return false;
  }

  /** After commit: SDKs of every environment re-read when a flag uses the segment. */
  private publish(segment: SegmentRecord, affected: boolean) {
    this.context.changes.publish({
      projectKey: segment.projectKey,
      environmentKeys: affected ? undefined : [],
      kind: "segment",
      key: String(segment.id),
      version: segment.version,
    });
  }
}
