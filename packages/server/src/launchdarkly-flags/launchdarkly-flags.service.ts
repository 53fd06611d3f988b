import type { ConditionTree, Segment } from "@vexil/engine";
import type { AppContext } from "../app-context.js";
import { legacyStore } from "../experiments/legacy-experiments.store.js";
import { legacyExperimentsRep } from "../experiments/legacy-flag-experiments.js";
import { compileFlag } from "../flags/compile-payload.js";
import type { FlagInput } from "../flags/flags.schemas.js";
import type { FlagsService } from "../flags/flags.service.js";
import { flagsStore } from "../flags/flags.store.js";
import { goalsStore } from "../goals/goals.store.js";
import { badRequest, conflict, notFound } from "../http/api-error.js";
import type { Actor } from "../http/write-guards.js";
import { toLaunchDarkly } from "../launchdarkly-model/ld-model.js";
import { projectsStore } from "../projects/projects.store.js";
import type { SegmentsService } from "../segments/segments.service.js";
import type { SegmentInfo } from "./clauses.js";
import {
  type LaunchDarklyFlag,
  type LdMappingContext,
  launchDarklyFlag,
  type VexilFlag,
} from "./flag-to-launchdarkly.js";
import { flagInputOf, type LdFlagDocument, sameJson } from "./launchdarkly-to-flag.js";

/** A flag read through LaunchDarkly's dialect, with what writing it back needs. */
export interface LdRead {
  view: VexilFlag;
  flag: LaunchDarklyFlag;
  context: LdMappingContext;
}

/**
 * LaunchDarkly's flags resource over Vexil's flags: reads map a flag to LaunchDarkly's model, changes map the
 * changed LaunchDarkly document back and go through FlagsService (validated, audited, versioned, published).
 */
export class LaunchDarklyFlagsService {
  private readonly flags: FlagsService;
  private readonly segments: SegmentsService;
  constructor(private readonly context: AppContext) {
    this.flags = context.services.flags;
    this.segments = context.services.segments;
  }

  /** What mapping a project's flags needs: environments, segments, project defaults. */
  async mappingContext(projectKey: string): Promise<Omit<LdMappingContext, "experiments">> {
    const project = await this.context.services.projects.get(projectKey);
    const [environments, segments] = await Promise.all([
      projectsStore.environments(this.context.db, projectKey),
      this.segments.list([projectKey]),
    ]);
    const settings = project.settings;
    return {
      environments: environments.map((e) => ({ key: e.key, name: e.name })),
      segments: new Map(segments.map((s) => [s.id, s as SegmentInfo])),
      clientSideAvailability: settings.defaultClientSideAvailability ?? {
        usingMobileKey: true,
        usingEnvironmentId: settings.includeInSnippetByDefault ?? false,
      },
    };
  }

  /** The flag's legacy experiments as LaunchDarkly's ExperimentInfoRep. */
  async experimentsOf(projectKey: string, flagId: number) {
    const legacy = await legacyStore.load(this.context.db, flagId);
    const goals = await goalsStore.findByIds(
      this.context.db,
      legacy.items.map((i) => i.goalId),
    );
    return legacyExperimentsRep(projectKey, legacy, new Map(goals.map((g) => [g.id, g])));
  }

  async read(projectKey: string, key: string, base?: Omit<LdMappingContext, "experiments">): Promise<LdRead> {
    const mapping = base ?? (await this.mappingContext(projectKey));
    const view = (await this.flags.get(projectKey, key)) as unknown as VexilFlag;
    const context = {
      ...mapping,
      experiments: await this.experimentsOf(projectKey, view.id),
      notServable: await this.notServable(projectKey, key, mapping),
    };
    return { view, flag: launchDarklyFlag(view, context), context };
  }

  /** By environment: why LaunchDarkly's SDKs get the flag as malformed (the SDK model's own verdict). */
  private async notServable(
    projectKey: string,
    key: string,
    mapping: Omit<LdMappingContext, "experiments">,
  ): Promise<Record<string, string>> {
    const record = await flagsStore.findByKey(this.context.db, projectKey, key);
    if (!record) return {};
    const segments: Record<string, Segment> = {};
    for (const [id, s] of mapping.segments) {
      segments[String(id)] = {
        id,
        condition: s.condition as Segment["condition"],
        included: s.included,
        excluded: s.excluded,
      };
    }
    const reasons: Record<string, string> = {};
    for (const { key: environmentKey } of mapping.environments) {
      const flag = compileFlag(record, environmentKey);
      if (!flag) continue;
      const payload = { version: 0, projectKey, environmentKey, flags: { [key]: flag }, segments };
      const reason = toLaunchDarkly(payload, this.context.now()).notServable[key];
      if (reason !== undefined) reasons[environmentKey] = reason;
    }
    return reasons;
  }

  /** Every flag of the project (archived ones too), as Vexil views, with the mapping context. */
  async all(projectKey: string) {
    const mapping = await this.mappingContext(projectKey);
    const { items } = await this.flags.search({
      scope: [projectKey],
      siteCode: projectKey,
      page: 1,
      perPage: Number.MAX_SAFE_INTEGER,
      archived: "all",
    });
    return { mapping, views: items as unknown as VexilFlag[] };
  }

  /** Finds a segment with exactly this condition, else creates one named `name`; answers its id. */
  private async ensureSegments(
    actor: Actor,
    projectKey: string,
    wanted: { condition: ConditionTree; name: string }[],
  ) {
    const existing = await this.segments.list([projectKey]);
    const ids = new Map<string, number>();
    for (const { condition, name } of wanted) {
      const key = JSON.stringify(condition);
      if (ids.has(key)) continue;
      const found = existing.find(
        (s) => s.included.length === 0 && s.excluded.length === 0 && sameJson(s.condition, condition),
      );
      const id =
        found?.id ??
        (await this.segments.create(actor, { siteCode: projectKey, name: name.slice(0, 100), condition })).id;
      ids.set(key, id);
    }
    return ids;
  }

  /**
   * The Vexil document of a LaunchDarkly one: a first pass collects the audiences it needs as segments, they
   * are found or created, a second pass builds the document with their ids.
   */
  private async toInput(
    actor: Actor,
    projectKey: string,
    document: LdFlagDocument,
    before: LdRead | undefined,
    segments: ReadonlyMap<number, SegmentInfo>,
  ) {
    const options = { projectKey, previous: before?.view, previousLd: before?.flag, segments };
    const wanted: { condition: ConditionTree; name: string }[] = [];
    flagInputOf(document, {
      ...options,
      segmentFor: (condition, name) => {
        wanted.push({ condition, name });
        return 0;
      },
    });
    const ids = await this.ensureSegments(actor, projectKey, wanted);
    return flagInputOf(document, {
      ...options,
      segmentFor: (condition) => ids.get(JSON.stringify(condition))!,
    });
  }

  /** POST /api/v2/flags/{projectKey}: a new flag from its LaunchDarkly document. */
  async create(actor: Actor, projectKey: string, document: LdFlagDocument): Promise<LdRead> {
    const mapping = await this.mappingContext(projectKey);
    const input = await this.toInput(actor, projectKey, document, undefined, mapping.segments);
    await this.flags.create(actor, input as FlagInput);
    return this.read(projectKey, document.key);
  }

  /**
   * Any change to a flag through LaunchDarkly's document: `change` gets the document as read and returns the
   * new one. Environments with `requireComments` need a comment. 409 when the flag changed since it was read.
   */
  async change(
    actor: Actor,
    projectKey: string,
    key: string,
    change: (document: LdFlagDocument, read: LdRead) => LdFlagDocument,
    comment: string | undefined,
  ): Promise<LdRead> {
    const before = await this.read(projectKey, key);
    const document = change(structuredClone(before.flag) as unknown as LdFlagDocument, before);
    if (!comment) await this.requireComments(projectKey, before.flag, document);
    const input = await this.toInput(actor, projectKey, document, before, before.context.segments);
    if (!sameJson(before.flag, launchDarklyFlag(input as unknown as VexilFlag, before.context))) {
      await this.flags.update(actor, before.view.id, (view) => {
        if (view.version !== before.view.version) {
          throw conflict(
            `Flag '${key}' changed while this request was applied (version ${view.version}); read it again`,
          );
        }
        return input;
      });
    }
    return this.read(projectKey, key);
  }

  private async requireComments(projectKey: string, before: LaunchDarklyFlag, after: LdFlagDocument) {
    const environments = await projectsStore.environments(this.context.db, projectKey);
    for (const environment of environments) {
      if (!environment.settings.requireComments) continue;
      if (!sameJson(before.environments[environment.key], after.environments[environment.key])) {
        throw badRequest(
          `Environment '${environment.key}' requires a comment with each change: send {comment, ...}`,
        );
      }
    }
  }

  async delete(actor: Actor, projectKey: string, key: string): Promise<void> {
    await this.flags.delete(actor, projectKey, key);
  }

  /** Checks the flag exists (404 otherwise), e.g. before a legacy experiments patch. */
  async exists(projectKey: string, key: string): Promise<void> {
    await this.flags.get(projectKey, key).catch(() => {
      throw notFound(`Flag '${key}' not found in project '${projectKey}'`);
    });
  }
}
