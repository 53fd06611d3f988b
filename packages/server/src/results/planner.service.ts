// The sample-size planner behind POST /projects/{projectKey}/sample-size: the baseline comes from the request
// or from a goal's recent data in an environment; the plan is @vexil/stats' planSampleSize, the function
// `vexil analyze --plan` calls too.
import { type PlanInput, planSampleSize, StatsInputError } from "@vexil/stats";
import { DAY_MS } from "../analytics/analytics-store.js";
import type { AppContext } from "../app-context.js";
import type { GoalsService } from "../goals/goals.service.js";
import { ApiError, badRequest, notFound } from "../http/api-error.js";
import { projectsStore } from "../projects/projects.store.js";
import type { PlanRequest, PlanView } from "./planner.schemas.js";

const DEFAULT_GOAL_DAYS = 14;

type Baseline = PlanView["baseline"];

export class PlannerService {
  constructor(
    private readonly context: AppContext,
    private readonly goals: GoalsService,
  ) {}

  /** Plans an experiment of the project; 400 for input without an answer, 422 for goal data too thin. */
  async plan(projectKey: string, request: PlanRequest): Promise<PlanView> {
    if (!(await projectsStore.find(this.context.db, projectKey)))
      throw notFound(`Project '${projectKey}' not found`);
    const given = [
      request.baselineRate !== undefined,
      request.mean !== undefined || request.sd !== undefined || request.variance !== undefined,
      request.goal !== undefined,
    ].filter(Boolean).length;
    if (given !== 1)
      throw badRequest("body: give exactly one baseline: baselineRate, mean with sd (or variance), or goal");
    if (request.sd !== undefined && request.variance !== undefined)
      throw badRequest("body: give sd or variance, not both");
    if (request.mean !== undefined && request.sd === undefined && request.variance === undefined)
      throw badRequest("body.mean needs sd or variance");

    let baseline: Baseline;
    let dailyUnits = request.dailyUnits ?? null;
    if (request.goal) {
      const found = await this.goalBaseline(projectKey, request.goal);
      baseline = found.baseline;
      dailyUnits ??= found.dailyUnits;
    } else if (request.baselineRate !== undefined) {
      baseline = requestBaseline("rate", request.baselineRate, null, null);
    } else {
      if (request.mean === undefined) throw badRequest("body.mean is required with sd or variance");
      const sd = request.sd ?? Math.sqrt(request.variance ?? Number.NaN);
      baseline = requestBaseline("mean", null, request.mean, sd);
    }

    const input: PlanInput = {
      minimumDetectableEffect: request.minimumDetectableEffect,
      effect: request.effect ?? "relative",
      ...(baseline.metric === "rate"
        ? { baselineRate: baseline.rate ?? Number.NaN }
        : { mean: baseline.mean ?? Number.NaN, sd: baseline.sd ?? Number.NaN }),
      ...(request.variations !== undefined ? { variations: request.variations } : {}),
      ...(request.goals !== undefined ? { goals: request.goals } : {}),
      ...(request.alpha !== undefined ? { alpha: request.alpha } : {}),
      ...(request.power !== undefined ? { power: request.power } : {}),
      ...(dailyUnits !== null ? { dailyUnits } : {}),
      correction: request.correction ?? "none",
      sequential: request.sequential === true,
    };
    try {
      const plan = planSampleSize(input);
      return {
        unitsPerVariation: plan.perArm,
        totalUnits: plan.total,
        days: plan.days,
        dailyUnits,
        alphaPerComparison: plan.alphaPerComparison,
        comparisons: plan.comparisons,
        absoluteEffect: plan.absoluteEffect,
        relativeEffect: plan.relativeEffect,
        method: plan.method,
        baseline,
      };
    } catch (e) {
      if (e instanceof StatsInputError) throw badRequest(`body: ${e.message}`);
      throw e;
    }
  }

  // The goal's last N days in the environment: a rate for a conversion goal, mean and sd for a numeric one.
  private async goalBaseline(
    projectKey: string,
    goal: NonNullable<PlanRequest["goal"]>,
  ): Promise<{ baseline: Baseline; dailyUnits: number }> {
    const found = await this.goals.get(goal.goalId).catch(() => undefined);
    if (!found || found.projectKey !== projectKey)
      throw notFound(`body.goal.goalId: goal ${goal.goalId} not found in project '${projectKey}'`);
    if (!(await projectsStore.environment(this.context.db, projectKey, goal.environmentKey)))
      throw notFound(`body.goal.environmentKey: environment '${goal.environmentKey}' not found`);
    const days = goal.days ?? DEFAULT_GOAL_DAYS;
    const to = this.context.now();
    const from = to - days * DAY_MS;
    const capped = found.isNumeric && found.capping.type !== "none";
    const data = await this.context.analytics.goalBaseline({
      projectKey,
      environmentKey: goal.environmentKey,
      goalId: found.id,
      from,
      to,
      ...(capped && found.capping.type !== "none"
        ? { capping: { type: found.capping.type, value: found.capping.value } }
        : {}),
    });
    const thin = (why: string) =>
      new ApiError(422, `body.goal: ${why} in '${goal.environmentKey}' over the last ${days} days`);
    if (data.units < 2) throw thin("fewer than 2 visitors were exposed to a flag");
    const common = {
      source: "goal" as const,
      goalId: found.id,
      environmentKey: goal.environmentKey,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      units: data.units,
      cap: data.cap,
    };
    let baseline: Baseline;
    if (found.isNumeric) {
      const sd = Math.sqrt(data.m2 / (data.units - 1));
      if (!(sd > 0)) throw thin("the goal's per-visitor values do not vary");
      baseline = { ...common, metric: "mean", rate: null, mean: data.sum / data.units, sd };
    } else {
      const rate = data.convertedUnits / data.units;
      if (!(rate > 0 && rate < 1)) throw thin(`the goal's conversion rate is ${rate}`);
      baseline = { ...common, metric: "rate", rate, mean: null, sd: null };
    }
    // Distinct visitors over the window per day: the pace at which an experiment of that length gathers units.
    return { baseline, dailyUnits: data.units / days };
  }
}

function requestBaseline(
  metric: "rate" | "mean",
  rate: number | null,
  mean: number | null,
  sd: number | null,
): Baseline {
  return {
    source: "request",
    metric,
    rate,
    mean,
    sd,
    goalId: null,
    environmentKey: null,
    from: null,
    to: null,
    units: null,
    cap: null,
  };
}
