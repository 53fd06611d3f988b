import type { AppContext } from "../app-context.js";
import type { FlagRecord } from "../flags/flags.document.js";
import { findFlagByKey, findFlagRecord } from "../flags/flags.lookup.js";
import type { FlagsService } from "../flags/flags.service.js";
import { environmentsOf } from "../flags/flags.view.js";
import { type Goal, goalsStore } from "../goals/goals.store.js";
import { ApiError, badRequest, conflict, notFound } from "../http/api-error.js";
import { type Actor, isUniqueViolation } from "../http/write-guards.js";
import { projectsStore } from "../projects/projects.store.js";
import { currentIterationUnits } from "./experiment-results.js";
import { type ExperimentState, experimentRep, goalIdsOf, iterationRep } from "./experiment-view.js";
import type { ExperimentPost, IterationInput, SemanticPatch } from "./experiments.schemas.js";
import {
  type ExperimentRecord,
  experimentsStore,
  type IterationRecord,
  type IterationStatus,
  iterationSet,
} from "./experiments.store.js";
import { fieldUpdate, planInstructions } from "./instruction-plan.js";
import {
  checkExperimentPost,
  checkIterationFields,
  draftIteration,
  orderMetrics,
  type ResolvedIteration,
  resolveRule,
  resolveTreatments,
  ruleIteration,
  startAllocations,
  withExperimentRule,
  withGoals,
  withoutRule,
} from "./iteration-plan.js";
import { metricUsage } from "./metric-usage.js";

/**
 * LaunchDarkly experiments over Vexil's model: an experiment is a row of `experiments`, tied to one
 * EXPERIMENTATION rule of a flag in one environment (the rule's experimentId); its iterations record what
 * was run when. Flag changes (a new rule, starting and stopping it, enabling the flag, attaching goals) go
 * through FlagsService, so they are validated, audited, versioned and reach SDKs like any other.
 */
export class ExperimentsService {
  constructor(
    private readonly context: AppContext,
    private readonly flags: FlagsService,
  ) {}

  /** Where each goal is used: flags that measure it and experiments whose iterations have it as a metric. */
  metricUsage(projectKey: string, goalIds: number[]) {
    return metricUsage(this.context, projectKey, goalIds);
  }

  private nowIso(): string {
    return new Date(this.context.now()).toISOString();
  }

  async environmentOrThrow(projectKey: string, environmentKey: string): Promise<void> {
    if (!(await projectsStore.find(this.context.db, projectKey))) {
      throw notFound(`Project '${projectKey}' not found`);
    }
    if (!(await projectsStore.environment(this.context.db, projectKey, environmentKey))) {
      throw notFound(`Environment '${environmentKey}' not found in project '${projectKey}'`);
    }
  }

  /** The state of one experiment: its flag, rule and iterations (read from the rule when none is stored). */
  async stateOf(
    experiment: ExperimentRecord,
    flags?: Map<number, FlagRecord | undefined>,
    preloaded?: IterationRecord[],
  ): Promise<ExperimentState> {
    let flag = flags?.get(experiment.flagId);
    if (!flags?.has(experiment.flagId)) {
      flag = await findFlagRecord(this.context, experiment.flagId);
      flags?.set(experiment.flagId, flag);
    }
    const environment = flag ? environmentsOf(flag, [experiment.environmentKey])[0] : undefined;
    const found = environment?.rolloutRules.find((r) => r.id === experiment.ruleId);
    const rule = found?.type === "EXPERIMENTATION" ? found : undefined;
    const stored = preloaded ?? (await experimentsStore.iterations(this.context.db, [experiment.id]));
    const iterations =
      stored.length === 0 && flag && rule
        ? [ruleIteration(experiment, flag, rule, environment?.featureEnabled ?? false)]
        : stored;
    return { experiment, flag, rule, environment, iterations: iterationSet(iterations) };
  }

  async get(projectKey: string, environmentKey: string, key: string): Promise<ExperimentState> {
    await this.environmentOrThrow(projectKey, environmentKey);
    const experiment = await experimentsStore.find(this.context.db, projectKey, environmentKey, key);
    if (!experiment) {
      throw notFound(
        `Experiment '${key}' not found in environment '${environmentKey}' of project '${projectKey}'`,
      );
    }
    return this.stateOf(experiment);
  }

  async goalsOf(states: ExperimentState[]): Promise<Map<number, Goal>> {
    const goals = await goalsStore.findByIds(this.context.db, goalIdsOf(states));
    return new Map(goals.map((g) => [g.id, g]));
  }

  /** Units of each experiment's current iteration (by experiment id; none before it started). */
  async unitsOf(states: ExperimentState[], goals: Map<number, Goal>): Promise<Map<number, number>> {
    const units = new Map<number, number>();
    for (const state of states) {
      const count = await currentIterationUnits(this.context, state, goals);
      if (count !== undefined) units.set(state.experiment.id, count);
    }
    return units;
  }

  async view(state: ExperimentState, expand: ReadonlySet<string>) {
    return experimentRep(state, await this.goalsOf([state]), expand);
  }

  /** Every experiment of the environment, with the list's filters applied. */
  async list(
    projectKey: string,
    environmentKey: string,
    filter: { flagKey?: string; metricKey?: string; status?: IterationStatus },
    lifecycle: { active: boolean; archived: boolean },
  ): Promise<ExperimentState[]> {
    await this.environmentOrThrow(projectKey, environmentKey);
    const flags = new Map<number, FlagRecord | undefined>();
    const states: ExperimentState[] = [];
    const experiments = (
      await experimentsStore.inEnvironment(this.context.db, projectKey, environmentKey)
    ).filter((experiment) => (experiment.archivedAt !== null ? lifecycle.archived : lifecycle.active));
    // One query for every experiment's iterations.
    const iterations = await experimentsStore.iterations(
      this.context.db,
      experiments.map((e) => e.id),
    );
    for (const experiment of experiments) {
      const own = iterations.filter((i) => i.experimentId === experiment.id);
      states.push(await this.stateOf(experiment, flags, own));
    }
    let result = states;
    if (filter.flagKey !== undefined)
      result = result.filter((s) => s.flag?.doc.featureKey === filter.flagKey);
    if (filter.status !== undefined)
      result = result.filter((s) => s.iterations.current?.status === filter.status);
    if (filter.metricKey !== undefined) {
      const goal = await goalsStore.findByKey(this.context.db, projectKey, filter.metricKey);
      result = goal
        ? result.filter((s) => s.iterations.all.some((i) => i.metrics.some((m) => m.goalId === goal.id)))
        : [];
    }
    return result;
  }

  /**
   * Checks an iteration body against the project: metrics, the flag and its rule, treatments and their
   * variations. `experiment` is set for a new iteration of an existing experiment (its flag and rule).
   */
  private async resolveIteration(
    projectKey: string,
    environmentKey: string,
    input: IterationInput,
    path: string,
    experiment?: ExperimentState,
  ): Promise<ResolvedIteration> {
    checkIterationFields(input, path);
    const goals: Goal[] = [];
    for (const [i, metric] of input.metrics.entries()) {
      const goal = await goalsStore.findByKey(this.context.db, projectKey, metric.key);
      if (!goal)
        throw badRequest(
          `${path}.metrics.${i}.key: metric '${metric.key}' not found in project '${projectKey}'`,
        );
      goals.push(goal);
    }
    const ordered = orderMetrics(input, goals, path);
    const flagKey = Object.keys(input.flags)[0]!;
    const flagView = await findFlagByKey(this.context, projectKey, flagKey);
    if (!flagView) throw badRequest(`${path}.flags: flag '${flagKey}' not found in project '${projectKey}'`);
    const flag = (await findFlagRecord(this.context, flagView.id))!;
    const rule = resolveRule(flag, environmentKey, input, path, experiment);
    return {
      flag,
      rule,
      hypothesis: input.hypothesis,
      canReshuffleTraffic: input.canReshuffleTraffic ?? true,
      randomizationUnit: "user",
      attributes: input.attributes ?? [],
      ...ordered,
      ...resolveTreatments(flag, input, path),
    };
  }

  /** Makes the metrics goals of the flag (audited flag change) so they stay protected and reported. */
  private async attachGoals(actor: Actor, flag: FlagRecord, goalIds: number[]): Promise<FlagRecord> {
    const view = this.flags.view(
      flag,
      await this.flags.environmentKeys(this.context.db, flag.meta.projectKey),
    );
    if (!withGoals(view, goalIds).changed) return flag;
    await this.flags.update(actor, flag.meta.id, (current) => withGoals(current, goalIds).next);
    return (await findFlagRecord(this.context, flag.meta.id))!;
  }

  /** POST .../experiments: links the named rule, or adds an EXPERIMENTATION rule, and records a draft iteration. */
  async create(
    actor: Actor,
    projectKey: string,
    environmentKey: string,
    body: ExperimentPost,
  ): Promise<ExperimentState> {
    await this.environmentOrThrow(projectKey, environmentKey);
    checkExperimentPost(body);
    const resolved = await this.resolveIteration(
      projectKey,
      environmentKey,
      body.iteration,
      "body.iteration",
    );
    const maintainerId = body.maintainerId ?? `token-${actor.id ?? "system"}`;
    let flag = resolved.flag;
    let experiment: ExperimentRecord | undefined;
    let createdRuleId: number | undefined;
    const taken = await experimentsStore.keyTaken(this.context.db, projectKey, environmentKey, body.key);
    const keyConflict = () =>
      conflict(`body.key: experiment '${body.key}' already exists in environment '${environmentKey}'`);

    if (resolved.rule) {
      experiment = await experimentsStore.findByRule(this.context.db, resolved.rule.id);
      if (!experiment)
        throw badRequest(
          `Rule ${resolved.rule.id} has no experiment record; save the flag once through the Kameleoon API`,
        );
      const stored = await experimentsStore.iterations(this.context.db, [experiment.id]);
      // The rule's own experiment may keep its key; any other experiment's key is taken.
      if (taken !== undefined && taken !== experiment.id) throw keyConflict();
      if (experiment.source === "launchdarkly" || stored.length > 0) {
        throw conflict(
          `body.iteration.flags: rule ${resolved.rule.id} already runs experiment '${experiment.key}'`,
        );
      }
      flag = await this.attachGoals(
        actor,
        flag,
        resolved.metrics.map((m) => m.goalId),
      );
    } else {
      if (taken !== undefined) throw keyConflict();
      // A new EXPERIMENTATION rule at the end of the environment's rules (LaunchDarkly's "fallthrough"),
      // paused until an iteration starts; the flag's goals gain the metrics in the same change.
      const before = new Set(environmentsOf(flag, [environmentKey])[0]!.rolloutRules.map((r) => r.id));
      await this.flags.update(actor, flag.meta.id, (current) =>
        withExperimentRule(current, environmentKey, body.name, resolved),
      );
      flag = (await findFlagRecord(this.context, flag.meta.id))!;
      const created = environmentsOf(flag, [environmentKey])[0]!.rolloutRules.find((r) => !before.has(r.id));
      createdRuleId = created?.id;
      experiment = created ? await experimentsStore.findByRule(this.context.db, created.id) : undefined;
      if (!created || !experiment) throw new Error("the new EXPERIMENTATION rule has no experiment record");
    }

    const ruleId = experiment.ruleId;
    const now = this.nowIso();
    // An adopted rule that is running keeps its run as the experiment's first (current) iteration.
    const environment = environmentsOf(flag, [environmentKey])[0]!;
    const adoptedRule = resolved.rule && environment.rolloutRules.find((r) => r.id === resolved.rule!.id);
    const running = adoptedRule
      ? ruleIteration(experiment, flag, adoptedRule, environment.featureEnabled)
      : undefined;
    try {
      await this.context.db.transaction().execute(async (trx) => {
        if (running?.status === "running") await experimentsStore.insertIteration(trx, { ...running });
        await experimentsStore.update(trx, experiment.id, {
          key: body.key,
          name: body.name,
          description: body.description ?? "",
          maintainerId,
          source: "launchdarkly",
          updatedAt: now,
        });
        await experimentsStore.insertIteration(
          trx,
          draftIteration(experiment.id, resolved, ruleId, flag.meta.version, this.context.now()),
        );
        await this.audit(
          trx,
          actor,
          experiment,
          {
            action: "experiment.create",
            after: { ...body, environmentKey, flagKey: flag.doc.featureKey, ruleId },
          },
          now,
        );
      });
    } catch (error) {
      if (createdRuleId !== undefined) await this.removeRule(actor, flag.meta.id, createdRuleId);
      if (isUniqueViolation(error)) {
        throw conflict(
          `body.key: experiment '${body.key}' already exists in environment '${environmentKey}'`,
        );
      }
      throw error;
    }
    return this.get(projectKey, environmentKey, body.key);
  }

  /** Undoes the rule a failed create added. */
  private async removeRule(actor: Actor, flagId: number, ruleId: number): Promise<void> {
    try {
      await this.flags.update(actor, flagId, (current) => withoutRule(current, ruleId));
    } catch {
      // The create already failed; its error is the one to report.
    }
  }

  /** POST .../iterations: a new draft iteration (replacing an unstarted one). */
  async createIteration(
    actor: Actor,
    projectKey: string,
    environmentKey: string,
    key: string,
    input: IterationInput,
  ): Promise<{ state: ExperimentState; iterationId: number }> {
    const state = await this.get(projectKey, environmentKey, key);
    if (state.experiment.archivedAt !== null) {
      throw badRequest(
        `Experiment '${key}' is archived; restore it (restoreExperiment) before adding iterations`,
      );
    }
    if (!state.flag) throw badRequest(`The flag of experiment '${key}' was deleted`);
    const resolved = await this.resolveIteration(projectKey, environmentKey, input, "body", state);
    const flag = await this.attachGoals(
      actor,
      resolved.flag,
      resolved.metrics.map((m) => m.goalId),
    );
    const now = this.nowIso();
    const iterationId = await this.context.db.transaction().execute(async (trx) => {
      await this.materialize(trx, state);
      const stored = await experimentsStore.iterations(trx, [state.experiment.id]);
      for (const draft of stored.filter((i) => i.status === "not_started")) {
        await experimentsStore.deleteIteration(trx, draft.id!);
      }
      const id = await experimentsStore.insertIteration(
        trx,
        draftIteration(
          state.experiment.id,
          resolved,
          state.experiment.ruleId,
          flag.meta.version,
          this.context.now(),
        ),
      );
      await experimentsStore.update(trx, state.experiment.id, { source: "launchdarkly", updatedAt: now });
      await this.audit(
        trx,
        actor,
        state.experiment,
        { action: "experiment.create-iteration", after: { iterationId: id, ...input } },
        now,
      );
      return id;
    });
    return { state: await this.get(projectKey, environmentKey, key), iterationId };
  }

  /** Stores the iteration read from a running rule, so later iterations keep it as a previous one. */
  private async materialize(trx: AppContext["db"], state: ExperimentState): Promise<void> {
    const synthesized = state.iterations.all.find((i) => i.id === null);
    if (synthesized && synthesized.status === "running") {
      await experimentsStore.insertIteration(trx, { ...synthesized });
    }
  }

  /** PATCH (semantic patch): instructions checked together first, then applied in order. */
  async patch(
    actor: Actor,
    projectKey: string,
    environmentKey: string,
    key: string,
    body: SemanticPatch,
  ): Promise<ExperimentState> {
    if (body.environmentKey !== undefined && body.environmentKey !== environmentKey) {
      throw badRequest(`body.environmentKey '${body.environmentKey}' is not the path's '${environmentKey}'`);
    }
    let state = await this.get(projectKey, environmentKey, key);
    planInstructions(state, body.instructions);
    for (const instruction of body.instructions) {
      const raw = instruction as Record<string, unknown>;
      const update = fieldUpdate(raw, state.experiment, this.nowIso());
      if (update) {
        await this.updateFields(actor, state, update.fields, update.action, body.comment);
      } else if (instruction.kind === "startIteration") {
        await this.start(actor, state, (raw.changeJustification as string | undefined) ?? null, body.comment);
      } else if (instruction.kind === "stopIteration") {
        await this.stop(
          actor,
          state,
          (raw.winningTreatmentId as string | undefined) ?? null,
          (raw.winningReason as string | undefined) ?? null,
          body.comment,
        );
      }
      state = await this.get(projectKey, environmentKey, key);
    }
    return state;
  }

  private async updateFields(
    actor: Actor,
    state: ExperimentState,
    fields: { name?: string; description?: string; archivedAt?: string | null },
    action: string,
    comment: string | undefined,
  ): Promise<void> {
    const now = this.nowIso();
    await this.context.db.transaction().execute(async (trx) => {
      await experimentsStore.update(trx, state.experiment.id, { ...fields, updatedAt: now });
      await this.audit(
        trx,
        actor,
        state.experiment,
        {
          action,
          before: {
            name: state.experiment.name,
            description: state.experiment.description,
            archivedAt: state.experiment.archivedAt,
          },
          after: { ...fields, ...(comment !== undefined ? { comment } : {}) },
        },
        now,
      );
    });
  }

  /**
   * startIteration: the rule becomes ACTIVE with the draft's allocations (a new bucketing salt when the
   * iteration may reshuffle traffic and an earlier one ran), the flag is switched on in the environment,
   * then the draft becomes the running iteration (a running one stops).
   */
  private async start(
    actor: Actor,
    state: ExperimentState,
    changeJustification: string | null,
    comment: string | undefined,
  ): Promise<void> {
    const { experiment, flag, rule, environment } = state;
    const draft = state.iterations.draft;
    if (!draft || draft.id === null) throw badRequest("No iteration to start");
    if (!flag) throw badRequest(`The flag of experiment '${experiment.key}' was deleted`);
    if (flag.meta.archived) throw badRequest(`Flag '${flag.doc.featureKey}' is archived; restore it first`);
    if (!rule) {
      throw badRequest(
        `Rule ${experiment.ruleId} of experiment '${experiment.key}' no longer exists or is no longer an EXPERIMENTATION rule (changed through the Kameleoon API)`,
      );
    }
    const allocations = startAllocations(draft, flag);
    const ranBefore = state.iterations.all.some((i) => i.status !== "not_started");
    const reshuffle = draft.canReshuffleTraffic && ranBefore;
    const now = this.context.now();
    await this.flags.patchRule(
      actor,
      rule.id,
      {
        state: "ACTIVE",
        trafficAllocations: allocations.map(({ variationKey, exposition }) => ({ variationKey, exposition })),
        controlVariationKey: allocations.find((a) => a.baseline)!.variationKey,
      },
      { ...(reshuffle ? { respoolTime: now } : {}) },
    );
    if (!environment?.featureEnabled) {
      await this.flags.patchEnvironment(
        actor,
        experiment.projectKey,
        flag.doc.featureKey,
        experiment.environmentKey,
        {
          featureEnabled: true,
        },
      );
    }
    await this.context.db.transaction().execute(async (trx) => {
      await this.materialize(trx, state);
      const stored = await experimentsStore.iterations(trx, [experiment.id]);
      for (const running of stored.filter((i) => i.status === "running")) {
        await experimentsStore.transition(trx, running.id!, "running", "stopped", { endedAt: now });
      }
      const started = await experimentsStore.transition(trx, draft.id!, "not_started", "running", {
        startedAt: now,
        changeJustification,
      });
      if (!started)
        throw conflict(
          "The iteration was started or replaced by a concurrent request; read the experiment again",
        );
      await this.audit(
        trx,
        actor,
        experiment,
        {
          action: "experiment.start-iteration",
          after: {
            iterationId: draft.id,
            startedAt: now,
            changeJustification,
            comment,
            reshuffled: reshuffle,
          },
        },
        now,
      );
    });
  }

  /**
   * stopIteration: the rule is paused (SDKs stop putting visitors in the experiment, so no new exposures are
   * recorded) and the running iteration records its end, winner and reason.
   */
  private async stop(
    actor: Actor,
    state: ExperimentState,
    winningTreatmentId: string | null,
    winningReason: string | null,
    comment: string | undefined,
  ): Promise<void> {
    const { experiment, rule } = state;
    const current = state.iterations.current;
    if (current?.status !== "running") throw badRequest("No running iteration to stop");
    if (rule && rule.state === "ACTIVE") {
      await this.flags.patchRule(actor, rule.id, { state: "PAUSED" });
    }
    const now = this.context.now();
    await this.context.db.transaction().execute(async (trx) => {
      const fields = { endedAt: now, winningTreatmentId, winningReason };
      if (current.id === null) {
        await experimentsStore.insertIteration(trx, { ...current, status: "stopped", ...fields });
      } else if (!(await experimentsStore.transition(trx, current.id, "running", "stopped", fields))) {
        throw conflict("The iteration was stopped by a concurrent request; read the experiment again");
      }
      await this.audit(
        trx,
        actor,
        experiment,
        {
          action: "experiment.stop-iteration",
          after: { iterationId: current.id, endedAt: now, winningTreatmentId, winningReason, comment },
        },
        now,
      );
    });
  }

  /** Publishes a change of the experiment to the outbox (audit entry, webhooks) in the write's transaction. */
  private async audit(
    trx: AppContext["db"],
    actor: Actor,
    experiment: ExperimentRecord,
    entry: { action: string; before?: unknown; after?: unknown },
    at: string | number,
  ): Promise<void> {
    await this.context.outbox.publish(
      trx,
      {
        projectKey: experiment.projectKey,
        actor: actor.name,
        resourceType: "experiment",
        resourceId: String(experiment.id),
        ...entry,
      },
      new Date(at),
    );
  }

  iterationView(state: ExperimentState, iterationId: number, goals: Map<number, Goal>) {
    const iteration = state.iterations.all.find((i) => i.id === iterationId);
    if (!iteration) throw new ApiError(404, `Iteration ${iterationId} not found`);
    return iterationRep(state, iteration, goals, new Set(["treatments", "secondaryMetrics"]));
  }
}
