import { randomUUID } from "node:crypto";
import type { AppContext } from "../app-context.js";
import type { FlagRecord, StoredRule } from "../flags/flags.document.js";
import { type FlagsService, findFlagByKey, findFlagRecord } from "../flags/flags.service.js";
import { environmentsOf, type FlagView } from "../flags/flags.view.js";
import { type Goal, goalsStore } from "../goals/goals.store.js";
import { ApiError, badRequest, conflict, notFound } from "../http/api-error.js";
import { type Actor, isUniqueViolation } from "../http/write-guards.js";
import { projectsStore } from "../projects/projects.store.js";
import { type ExperimentState, experimentRep, goalIdsOf, iterationRep } from "./experiment-view.js";
import type { ExperimentPost, IterationInput, SemanticPatch } from "./experiments.schemas.js";
import {
  type ExperimentRecord,
  experimentsStore,
  type IterationRecord,
  type IterationStatus,
  iterationSet,
  type StoredMetric,
  type StoredTreatment,
} from "./experiments.store.js";
import { metricUsage } from "./metric-usage.js";

/** Rule ids that mean "the flag's default targeting": Vexil then adds an EXPERIMENTATION rule. */
const FALLTHROUGH = new Set(["", "fallthrough", "default", "defaultRule"]);
/** Built-in visitor attributes an iteration may be sliced by (plus `custom:<name>`). */
const KNOWN_ATTRIBUTES = new Set(["browser", "deviceType", "os", "country", "newVisitor"]);
const RANDOMIZATION_UNITS = new Set(["user", "visitor"]);
const MAX_RULE_NAME = 100;

export const INSTRUCTION_KINDS = [
  "updateName",
  "updateDescription",
  "startIteration",
  "stopIteration",
  "archiveExperiment",
  "restoreExperiment",
] as const;
type InstructionKind = (typeof INSTRUCTION_KINDS)[number];

/** What an iteration body resolves to against the flag and the project's metrics. */
interface ResolvedIteration {
  flag: FlagRecord;
  /** The EXPERIMENTATION rule named by `flags.{key}.ruleId`; undefined = create one ("fallthrough"). */
  rule: StoredRule | undefined;
  hypothesis: string;
  canReshuffleTraffic: boolean;
  randomizationUnit: string;
  attributes: string[];
  metrics: StoredMetric[];
  goals: Goal[];
  treatments: StoredTreatment[];
  /** Traffic allocations of the rule, by variation key. */
  allocations: { variationKey: string; exposition: number }[];
  baselineVariationKey: string;
}

const jsonCopy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function parsePercent(value: string | number, path: string): number {
  const number = typeof value === "number" ? value : Number(value.trim());
  if (typeof value === "string" && !/^\s*\d+(\.\d+)?\s*$/.test(value)) {
    throw badRequest(`${path} '${value}' is not a decimal number of percent`);
  }
  if (!Number.isFinite(number) || number < 0 || number > 100) {
    throw badRequest(`${path} must be between 0 and 100 (got ${value})`);
  }
  return Math.round(number * 1000) / 1000;
}

/** The iteration LaunchDarkly would show for a rule the LaunchDarkly API never touched. */
function ruleIteration(
  experiment: ExperimentRecord,
  flag: FlagRecord,
  rule: StoredRule,
  featureEnabled: boolean,
): IterationRecord {
  const running = rule.state === "ACTIVE" && featureEnabled && !flag.meta.archived;
  const createdAt = Date.parse(experiment.createdAt);
  const goalIds = [
    ...(flag.doc.primaryGoalId !== undefined ? [flag.doc.primaryGoalId] : []),
    ...flag.doc.secondaryGoalIds,
  ];
  const treatments: StoredTreatment[] = [];
  for (const allocation of rule.trafficAllocations ?? []) {
    const variation = flag.doc.variations.find((v) => v.key === allocation.variationKey);
    if (!variation) continue;
    treatments.push({
      _id: `variation-${variation.id}`,
      name: variation.name,
      baseline: variation.key === rule.controlVariationKey,
      allocationPercent: allocation.exposition,
      flagKey: flag.doc.featureKey,
      variationId: variation.id,
    });
  }
  return {
    id: null,
    experimentId: experiment.id,
    status: running ? "running" : "not_started",
    hypothesis: "",
    canReshuffleTraffic: true,
    randomizationUnit: "user",
    attributes: [],
    metrics: goalIds.map((goalId, i) => ({ goalId, primary: i === 0 })),
    treatments,
    ruleId: rule.id,
    flagConfigVersion: flag.meta.version,
    createdAt,
    startedAt: running ? createdAt : null,
    endedAt: null,
    winningTreatmentId: null,
    winningReason: null,
    changeJustification: null,
  };
}

/** The flag view with the goals added (primary first), as the flag's primary or secondary goals. */
function withGoals(view: FlagView, goalIds: number[]): { next: FlagView; changed: boolean } {
  const next = jsonCopy(view) as FlagView & { primaryGoalId?: number; secondaryGoalIds?: number[] };
  let changed = false;
  const secondary = [...(next.secondaryGoalIds ?? [])];
  for (const goalId of goalIds) {
    if (next.primaryGoalId === goalId || secondary.includes(goalId)) continue;
    if (next.primaryGoalId === undefined) next.primaryGoalId = goalId;
    else secondary.push(goalId);
    changed = true;
  }
  next.secondaryGoalIds = secondary;
  return { next, changed };
}

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
    // Unsupported LaunchDarkly features: a clear 400 rather than a silent ignore.
    if (input.primaryFunnelKey !== undefined) {
      throw badRequest(
        `${path}.primaryFunnelKey: metric groups (funnels) are not supported; use primarySingleMetricKey`,
      );
    }
    if (input.covariateId !== undefined) {
      throw badRequest(
        `${path}.covariateId: uploaded covariates are not supported (Vexil's CUPED uses pre-exposure conversions, Kameleoon results API)`,
      );
    }
    if (input.reallocationFrequencyMillis !== undefined) {
      throw badRequest(
        `${path}.reallocationFrequencyMillis: multi-armed bandit experiments are not supported here (set multiArmedBandit on the rule through the Kameleoon API)`,
      );
    }
    const randomizationUnit = input.randomizationUnit ?? "user";
    if (!RANDOMIZATION_UNITS.has(randomizationUnit)) {
      throw badRequest(
        `${path}.randomizationUnit '${randomizationUnit}' is not supported: Vexil randomizes by visitor code ('user')`,
      );
    }
    const attributes = input.attributes ?? [];
    attributes.forEach((attribute, i) => {
      if (!KNOWN_ATTRIBUTES.has(attribute) && !attribute.startsWith("custom:")) {
        throw badRequest(
          `${path}.attributes.${i} '${attribute}' is not a visitor attribute (${[...KNOWN_ATTRIBUTES].join(", ")} or custom:<name>)`,
        );
      }
    });

    // Metrics.
    const goals: Goal[] = [];
    const seen = new Set<string>();
    for (const [i, metric] of input.metrics.entries()) {
      if (metric.isGroup) throw badRequest(`${path}.metrics.${i}.isGroup: metric groups are not supported`);
      if (seen.has(metric.key)) throw badRequest(`${path}.metrics.${i}.key repeats metric '${metric.key}'`);
      seen.add(metric.key);
      const goal = await goalsStore.findByKey(this.context.db, projectKey, metric.key);
      if (!goal)
        throw badRequest(
          `${path}.metrics.${i}.key: metric '${metric.key}' not found in project '${projectKey}'`,
        );
      goals.push(goal);
    }
    const flagged = input.metrics.filter((m) => m.primary === true).map((m) => m.key);
    if (flagged.length > 1) throw badRequest(`${path}.metrics: more than one metric has primary: true`);
    let primaryKey = input.primarySingleMetricKey ?? flagged[0] ?? input.metrics[0]!.key;
    if (input.primarySingleMetricKey !== undefined) {
      if (!seen.has(input.primarySingleMetricKey)) {
        throw badRequest(
          `${path}.primarySingleMetricKey '${input.primarySingleMetricKey}' is not one of ${path}.metrics`,
        );
      }
      if (flagged[0] !== undefined && flagged[0] !== input.primarySingleMetricKey) {
        throw badRequest(
          `${path}.primarySingleMetricKey contradicts the metric marked primary ('${flagged[0]}')`,
        );
      }
      primaryKey = input.primarySingleMetricKey;
    }
    const ordered = [
      ...goals.filter((g) => g.key === primaryKey),
      ...goals.filter((g) => g.key !== primaryKey),
    ];
    const metrics = ordered.map((g) => ({ goalId: g.id, primary: g.key === primaryKey }));

    // The flag and its rule.
    const flagKeys = Object.keys(input.flags);
    if (flagKeys.length !== 1) {
      throw badRequest(
        `${path}.flags must name exactly one flag (got ${flagKeys.length}); multi-flag experiments are not supported`,
      );
    }
    const flagKey = flagKeys[0]!;
    const flagInput = input.flags[flagKey]!;
    const flagPath = `${path}.flags.${flagKey}`;
    const flagView = await findFlagByKey(this.context, projectKey, flagKey);
    if (!flagView) throw badRequest(`${path}.flags: flag '${flagKey}' not found in project '${projectKey}'`);
    const flag = (await findFlagRecord(this.context, flagView.id))!;
    if (experiment && experiment.experiment.flagId !== flag.meta.id) {
      throw badRequest(
        `${path}.flags: the experiment runs on flag '${experiment.flag?.doc.featureKey ?? experiment.experiment.flagId}', not '${flagKey}'`,
      );
    }
    if (flag.meta.archived) throw badRequest(`${path}.flags: flag '${flagKey}' is archived`);
    if (flagInput.flagConfigVersion !== undefined && flagInput.flagConfigVersion !== flag.meta.version) {
      throw conflict(
        `${flagPath}.flagConfigVersion is ${flagInput.flagConfigVersion} but flag '${flagKey}' is at version ${flag.meta.version}; read the flag again`,
      );
    }
    const environment = environmentsOf(flag, [environmentKey])[0]!;
    const ruleText = flagInput.ruleId === undefined ? "" : String(flagInput.ruleId).trim();
    let rule: StoredRule | undefined;
    if (!FALLTHROUGH.has(ruleText)) {
      const ruleId = /^\d+$/.test(ruleText) ? Number(ruleText) : Number.NaN;
      const found = environment.rolloutRules.find((r) => r.id === ruleId);
      if (!found) {
        throw badRequest(
          `${flagPath}.ruleId '${ruleText}' names no rule of flag '${flagKey}' in environment '${environmentKey}' (use one of its EXPERIMENTATION rule ids, or 'fallthrough' to add one)`,
        );
      }
      if (found.type !== "EXPERIMENTATION") {
        throw badRequest(
          `${flagPath}.ruleId ${ruleId} is a ${found.type} rule; an experiment runs on an EXPERIMENTATION rule (or 'fallthrough' to add one)`,
        );
      }
      rule = found;
    }
    if (experiment) {
      if (!experiment.rule) {
        throw badRequest(
          `Rule ${experiment.experiment.ruleId} of this experiment no longer exists on flag '${flagKey}' (changed through the Kameleoon API); create a new experiment`,
        );
      }
      if (rule && rule.id !== experiment.rule.id) {
        throw badRequest(
          `${flagPath}.ruleId ${rule.id} is not this experiment's rule (${experiment.rule.id})`,
        );
      }
      rule = experiment.rule;
    }
    if (flagInput.notInExperimentVariationId !== undefined) {
      const named = this.variationOf(flag, flagInput.notInExperimentVariationId);
      if (!named)
        throw badRequest(`${flagPath}.notInExperimentVariationId names no variation of flag '${flagKey}'`);
      if (named.key !== environment.defaultVariationKey) {
        throw badRequest(
          `${flagPath}.notInExperimentVariationId: visitors outside the experiment continue to the flag's next rules and then get its default variation '${environment.defaultVariationKey}' in '${environmentKey}'; change the default through the Kameleoon API`,
        );
      }
    }

    // Treatments.
    const treatments: StoredTreatment[] = [];
    const names = new Set<string>();
    const used = new Set<number>();
    input.treatments.forEach((treatment, i) => {
      const where = `${path}.treatments.${i}`;
      if (names.has(treatment.name)) throw badRequest(`${where}.name repeats treatment '${treatment.name}'`);
      names.add(treatment.name);
      if (treatment.parameters.length !== 1) {
        throw badRequest(`${where}.parameters must hold exactly one parameter (the flag's variation)`);
      }
      const parameter = treatment.parameters[0]!;
      if (parameter.flagKey !== flagKey) {
        throw badRequest(
          `${where}.parameters.0.flagKey '${parameter.flagKey}' is not the experiment's flag '${flagKey}'`,
        );
      }
      const variation = this.variationOf(flag, parameter.variationId);
      if (!variation) {
        throw badRequest(
          `${where}.parameters.0.variationId '${parameter.variationId}' names no variation of flag '${flagKey}' (ids: ${flag.doc.variations.map((v) => `${v.id} (${v.key})`).join(", ")})`,
        );
      }
      if (used.has(variation.id)) {
        throw badRequest(
          `${where}.parameters.0.variationId: variation '${variation.key}' is already another treatment's`,
        );
      }
      used.add(variation.id);
      treatments.push({
        _id: randomUUID(),
        name: treatment.name,
        baseline: treatment.baseline === true,
        allocationPercent: parsePercent(treatment.allocationPercent, `${where}.allocationPercent`),
        flagKey,
        variationId: variation.id,
      });
    });
    const baselines = treatments.filter((t) => t.baseline);
    if (baselines.length !== 1) {
      throw badRequest(
        `${path}.treatments must have exactly one baseline treatment (found ${baselines.length})`,
      );
    }
    const total = treatments.reduce((sum, t) => sum + t.allocationPercent, 0);
    if (total > 100 + 1e-9)
      throw badRequest(
        `${path}.treatments allocationPercent sum to ${Math.round(total * 1000) / 1000}, more than 100`,
      );
    if (total <= 0)
      throw badRequest(`${path}.treatments: at least one treatment needs a non-zero allocationPercent`);
    const keyOf = (t: StoredTreatment) => flag.doc.variations.find((v) => v.id === t.variationId)!.key;
    return {
      flag,
      rule,
      hypothesis: input.hypothesis,
      canReshuffleTraffic: input.canReshuffleTraffic ?? true,
      randomizationUnit: "user",
      attributes,
      metrics,
      goals: ordered,
      treatments,
      allocations: treatments.map((t) => ({ variationKey: keyOf(t), exposition: t.allocationPercent })),
      baselineVariationKey: keyOf(baselines[0]!),
    };
  }

  /** A variation by numeric id (number or digits), else by key. */
  private variationOf(flag: FlagRecord, reference: string | number) {
    const text = String(reference).trim();
    if (/^\d+$/.test(text)) {
      const byId = flag.doc.variations.find((v) => v.id === Number(text));
      if (byId) return byId;
    }
    return typeof reference === "string" ? flag.doc.variations.find((v) => v.key === text) : undefined;
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

  private newIteration(
    experimentId: number,
    resolved: ResolvedIteration,
    ruleId: number,
    flagVersion: number,
  ): Omit<IterationRecord, "id"> {
    return {
      experimentId,
      status: "not_started",
      hypothesis: resolved.hypothesis,
      canReshuffleTraffic: resolved.canReshuffleTraffic,
      randomizationUnit: resolved.randomizationUnit,
      attributes: resolved.attributes,
      metrics: resolved.metrics,
      treatments: resolved.treatments,
      ruleId,
      flagConfigVersion: flagVersion,
      createdAt: this.context.now(),
      startedAt: null,
      endedAt: null,
      winningTreatmentId: null,
      winningReason: null,
      changeJustification: null,
    };
  }

  /** POST .../experiments: links the named rule, or adds an EXPERIMENTATION rule, and records a draft iteration. */
  async create(
    actor: Actor,
    projectKey: string,
    environmentKey: string,
    body: ExperimentPost,
  ): Promise<ExperimentState> {
    await this.environmentOrThrow(projectKey, environmentKey);
    if (body.holdoutId !== undefined) throw badRequest("body.holdoutId: holdouts are not supported");
    if (body.type !== undefined && body.type !== "experiment") {
      throw badRequest(
        `body.type '${body.type}' is not supported (only 'experiment'; for a multi-armed bandit set multiArmedBandit on the rule through the Kameleoon API)`,
      );
    }
    if (body.methodology !== undefined && body.methodology !== "bayesian") {
      throw badRequest(
        `body.methodology '${body.methodology}' is not supported here: these results are Bayesian (frequentist, sequential and CUPED results come from the Kameleoon results API)`,
      );
    }
    if (body.dataSource !== undefined && body.dataSource !== "launchdarkly") {
      throw badRequest(
        `body.dataSource '${body.dataSource}' is not supported: events come from Vexil's own event store ('launchdarkly')`,
      );
    }
    if (body.analysisConfig !== undefined) {
      throw badRequest(
        "body.analysisConfig is not supported: results use 90 % credible intervals and probability to be best",
      );
    }
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
      await this.flags.update(actor, flag.meta.id, (current) => {
        const next = withGoals(
          current,
          resolved.metrics.map((m) => m.goalId),
        ).next as Record<string, unknown>;
        const environments = next.environmentConfigurations as {
          environmentKey: string;
          rolloutRules: unknown[];
        }[];
        const environment = environments.find((e) => e.environmentKey === environmentKey)!;
        environment.rolloutRules.push({
          type: "EXPERIMENTATION",
          name: body.name.slice(0, MAX_RULE_NAME),
          exposition: 100,
          state: "PAUSED",
          trafficAllocations: resolved.allocations,
          controlVariationKey: resolved.baselineVariationKey,
        });
        return next;
      });
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
          this.newIteration(experiment.id, resolved, ruleId, flag.meta.version),
        );
        await this.context.outbox.publish(
          trx,
          {
            projectKey,
            actor: actor.name,
            action: "experiment.create",
            resourceType: "experiment",
            resourceId: String(experiment.id),
            after: { ...body, environmentKey, flagKey: flag.doc.featureKey, ruleId },
          },
          new Date(now),
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
      await this.flags.update(actor, flagId, (current) => {
        const next = jsonCopy(current) as Record<string, unknown>;
        for (const environment of next.environmentConfigurations as { rolloutRules: { id?: number }[] }[]) {
          environment.rolloutRules = environment.rolloutRules.filter((r) => r.id !== ruleId);
        }
        return next;
      });
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
        this.newIteration(state.experiment.id, resolved, state.experiment.ruleId, flag.meta.version),
      );
      await experimentsStore.update(trx, state.experiment.id, { source: "launchdarkly", updatedAt: now });
      await this.context.outbox.publish(
        trx,
        {
          projectKey,
          actor: actor.name,
          action: "experiment.create-iteration",
          resourceType: "experiment",
          resourceId: String(state.experiment.id),
          after: { iterationId: id, ...input },
        },
        new Date(now),
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

  /** Checks every instruction against the experiment as it would be after the previous ones. */
  private plan(state: ExperimentState, instructions: SemanticPatch["instructions"]): void {
    let status = state.iterations.current?.status;
    let hasDraft = state.iterations.draft !== undefined && state.iterations.draft.id !== null;
    let archived = state.experiment.archivedAt !== null;
    const allowed: Record<InstructionKind, string[]> = {
      updateName: ["value"],
      updateDescription: ["value"],
      startIteration: ["changeJustification"],
      stopIteration: ["winningTreatmentId", "winningReason"],
      archiveExperiment: [],
      restoreExperiment: [],
    };
    instructions.forEach((instruction, i) => {
      const path = `body.instructions.${i}`;
      const raw = instruction as Record<string, unknown>;
      const kind = instruction.kind as InstructionKind;
      if (!(INSTRUCTION_KINDS as readonly string[]).includes(kind)) {
        throw badRequest(
          `${path}.kind '${instruction.kind}' is not supported (${INSTRUCTION_KINDS.join(", ")})`,
        );
      }
      for (const field of Object.keys(raw)) {
        if (field !== "kind" && !allowed[kind].includes(field)) {
          throw badRequest(
            `${path}.${field} is not a parameter of ${kind}${allowed[kind].length ? ` (${allowed[kind].join(", ")})` : ""}`,
          );
        }
      }
      const text = (field: string, required: boolean, max: number) => {
        const value = raw[field];
        if (value === undefined && !required) return;
        if (typeof value !== "string" || (required && value.trim() === "") || value.length > max) {
          throw badRequest(
            `${path}.${field} must be a ${required ? "non-empty " : ""}string of at most ${max} characters`,
          );
        }
      };
      switch (kind) {
        case "updateName":
          text("value", true, 256);
          break;
        case "updateDescription":
          text("value", false, 5000);
          if (raw.value === undefined) throw badRequest(`${path}.value is required`);
          break;
        case "startIteration":
          text("changeJustification", false, 5000);
          if (archived) throw badRequest(`${path}: the experiment is archived; restoreExperiment first`);
          if (!hasDraft) {
            throw badRequest(
              `${path}: no iteration to start; create one with POST .../experiments/${state.experiment.key}/iterations`,
            );
          }
          if (status === "running" && typeof raw.changeJustification !== "string") {
            throw badRequest(
              `${path}.changeJustification is required to start a new iteration while one is running`,
            );
          }
          status = "running";
          hasDraft = false;
          break;
        case "stopIteration": {
          text("winningTreatmentId", false, 128);
          text("winningReason", false, 5000);
          if (status !== "running") throw badRequest(`${path}: no running iteration to stop`);
          const winner = raw.winningTreatmentId;
          // The iteration stopped is the one running after the previous instructions.
          const running =
            i > 0 && instructions.slice(0, i).some((x) => x.kind === "startIteration")
              ? state.iterations.draft
              : state.iterations.current;
          if (winner !== undefined && !running?.treatments.some((t) => t._id === winner)) {
            throw badRequest(
              `${path}.winningTreatmentId '${String(winner)}' is not a treatment of the running iteration (${running?.treatments.map((t) => t._id).join(", ")})`,
            );
          }
          status = "stopped";
          break;
        }
        case "archiveExperiment":
          if (status === "running") throw badRequest(`${path}: stop the running iteration before archiving`);
          archived = true;
          break;
        case "restoreExperiment":
          archived = false;
          break;
      }
    });
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
    this.plan(state, body.instructions);
    for (const instruction of body.instructions) {
      const raw = instruction as Record<string, unknown>;
      switch (instruction.kind as InstructionKind) {
        case "updateName":
          await this.updateFields(
            actor,
            state,
            { name: raw.value as string },
            "experiment.update-name",
            body.comment,
          );
          break;
        case "updateDescription":
          await this.updateFields(
            actor,
            state,
            { description: raw.value as string },
            "experiment.update-description",
            body.comment,
          );
          break;
        case "archiveExperiment":
          if (state.experiment.archivedAt === null) {
            await this.updateFields(
              actor,
              state,
              { archivedAt: this.nowIso() },
              "experiment.archive",
              body.comment,
            );
          }
          break;
        case "restoreExperiment":
          if (state.experiment.archivedAt !== null) {
            await this.updateFields(actor, state, { archivedAt: null }, "experiment.restore", body.comment);
          }
          break;
        case "startIteration":
          await this.start(
            actor,
            state,
            (raw.changeJustification as string | undefined) ?? null,
            body.comment,
          );
          break;
        case "stopIteration":
          await this.stop(
            actor,
            state,
            (raw.winningTreatmentId as string | undefined) ?? null,
            (raw.winningReason as string | undefined) ?? null,
            body.comment,
          );
          break;
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
      await this.context.outbox.publish(
        trx,
        {
          projectKey: state.experiment.projectKey,
          actor: actor.name,
          action,
          resourceType: "experiment",
          resourceId: String(state.experiment.id),
          before: {
            name: state.experiment.name,
            description: state.experiment.description,
            archivedAt: state.experiment.archivedAt,
          },
          after: { ...fields, ...(comment !== undefined ? { comment } : {}) },
        },
        new Date(now),
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
    const allocations = draft.treatments.map((t) => {
      const variation = flag.doc.variations.find((v) => v.id === t.variationId);
      if (!variation) {
        throw badRequest(
          `Treatment '${t.name}' names variation ${t.variationId}, which flag '${flag.doc.featureKey}' no longer has; create a new iteration`,
        );
      }
      return { variationKey: variation.key, exposition: t.allocationPercent, baseline: t.baseline };
    });
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
      await this.context.outbox.publish(
        trx,
        {
          projectKey: experiment.projectKey,
          actor: actor.name,
          action: "experiment.start-iteration",
          resourceType: "experiment",
          resourceId: String(experiment.id),
          after: {
            iterationId: draft.id,
            startedAt: now,
            changeJustification,
            comment,
            reshuffled: reshuffle,
          },
        },
        new Date(now),
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
      await this.context.outbox.publish(
        trx,
        {
          projectKey: experiment.projectKey,
          actor: actor.name,
          action: "experiment.stop-iteration",
          resourceType: "experiment",
          resourceId: String(experiment.id),
          after: { iterationId: current.id, endedAt: now, winningTreatmentId, winningReason, comment },
        },
        new Date(now),
      );
    });
  }

  iterationView(state: ExperimentState, iterationId: number, goals: Map<number, Goal>) {
    const iteration = state.iterations.all.find((i) => i.id === iterationId);
    if (!iteration) throw new ApiError(404, `Iteration ${iterationId} not found`);
    return iterationRep(state, iteration, goals, new Set(["treatments", "secondaryMetrics"]));
  }
}
