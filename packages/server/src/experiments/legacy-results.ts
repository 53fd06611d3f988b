import {
  analyzeMetric,
  conversionChiSquare,
  fisherExactTest,
  type Moments,
  mergeMoments,
  normalQuantile,
} from "@vexil/stats";
import type { AppContext } from "../app-context.js";
import type { FlagRecord } from "../flags/flags.document.js";
import { flagSubject } from "../flags/flags.lookup.js";
import { type Goal, goalsStore } from "../goals/goals.store.js";
import { badRequest, notFound } from "../http/api-error.js";
import { link } from "../http/launchdarkly-http.js";
import type { Actor } from "../http/write-guards.js";
import { projectsStore } from "../projects/projects.store.js";
import { aggregateMetric, type MetricCell, metricCapping, metricSeen } from "./experiment-results.js";
import { legacyStore } from "./legacy-experiments.store.js";
import { isAttached, legacyFlag } from "./legacy-flag-experiments.js";

/** Legacy results are frequentist, at 95 %. */
const ALPHA = 0.05;
const Z = normalQuantile(1 - ALPHA / 2);

interface Interval {
  lower: number;
  upper: number;
}

/**
 * Mean per unit and its normal interval; a proportion's interval stays within [0, 1]. The variance of a
 * numeric metric comes from the centred sum of squares `m2` (sum of squares minus squared sum / n loses every
 * digit when the mean is large against the spread).
 */
function estimate(units: number, sum: number, m2: number, proportion: boolean) {
  if (units <= 0) return { rate: 0, interval: { lower: 0, upper: 0 } as Interval };
  const mean = sum / units;
  const variance = proportion ? mean * (1 - mean) : Math.max(0, m2 / units);
  const half = Z * Math.sqrt(variance / units);
  const interval = proportion
    ? { lower: Math.max(0, mean - half), upper: Math.min(1, mean + half) }
    : { lower: mean - half, upper: mean + half };
  return { rate: mean, interval };
}

async function resolve(
  context: AppContext,
  projectKey: string,
  flagKey: string,
  environmentKey: string,
  metricKey: string,
): Promise<{ flag: FlagRecord; goal: Goal }> {
  const flag = await legacyFlag(context, projectKey, flagKey);
  if (!(await projectsStore.environment(context.db, projectKey, environmentKey))) {
    throw notFound(`Environment '${environmentKey}' not found in project '${projectKey}'`);
  }
  const goal = await goalsStore.findByKey(context.db, projectKey, metricKey);
  if (!goal) throw notFound(`Metric '${metricKey}' not found in project '${projectKey}'`);
  return { flag, goal };
}

/**
 * GET /api/v2/flags/{projectKey}/{flagKey}/experiments/{environmentKey}/{metricKey}: every exposure of the
 * flag in the environment (optionally from..to), per variation in the flag's order: totals, a daily series
 * (by the day units were first exposed, cumulated), and the K x 2 chi-square over converted units.
 */
export async function legacyResults(
  context: AppContext,
  projectKey: string,
  flagKey: string,
  environmentKey: string,
  metricKey: string,
  range: { from?: number | undefined; to?: number | undefined },
) {
  const { flag, goal } = await resolve(context, projectKey, flagKey, environmentKey, metricKey);
  if (range.from !== undefined && range.to !== undefined && range.from >= range.to) {
    throw badRequest(`querystring.from (${range.from}) must be before querystring.to (${range.to})`);
  }
  if (!(await isAttached(context, flag, goal, environmentKey))) {
    throw notFound(
      `Metric '${metricKey}' is not attached to flag '${flagKey}' in environment '${environmentKey}': add it with PATCH /api/v2/flags/${projectKey}/${flagKey} (/experiments/items) or as a goal of the flag`,
    );
  }
  const legacy = await legacyStore.load(context.db, flag.meta.id);
  // After a reset, the results start at the reset.
  const resetAt = await resetTime(context, flag.meta.id, environmentKey, goal.id);
  const from =
    resetAt === undefined ? range.from : range.from === undefined ? resetAt : Math.max(range.from, resetAt);
  const variations = flag.doc.variations;
  const baselineIdx = legacy.baselineIdx < variations.length ? legacy.baselineIdx : 0;
  const aggregation = await aggregateMetric(
    context,
    {
      projectKey,
      environmentKey,
      featureKey: flag.doc.featureKey,
      ...(from !== undefined ? { from } : {}),
      ...(range.to !== undefined ? { to: range.to } : {}),
    },
    goal,
    flag,
  );
  const proportion = !goal.isNumeric;
  const lowerIsBetter = goal.successCriteria === "LowerThanBaseline";
  const empty: MetricCell = {
    units: 0,
    conversions: 0,
    convertedUnits: 0,
    sum: 0,
    sumSquares: 0,
    m2: 0,
    valueSum: 0,
  };
  const cells = variations.map((v) => aggregation.cells.get(v.key) ?? empty);
  const analysis = analyzeMetric(
    {
      key: goal.key,
      isProportion: proportion,
      lowerIsBetter,
      variations: variations.map((v, i) => ({
        key: v.key,
        n: cells[i]!.units,
        sum: cells[i]!.sum,
        sumSquares: cells[i]!.sumSquares,
        ...(proportion ? {} : { m2: cells[i]!.m2 }),
        ...(proportion ? { conversions: cells[i]!.sum } : {}),
      })),
    },
    { engine: "frequentist", alpha: ALPHA, reference: variations[baselineIdx]!.key },
  );

  const totals = variations.map((_, i) => {
    const cell = cells[i]!;
    const { rate, interval } = estimate(cell.units, cell.sum, cell.m2, proportion);
    const comparison = analysis.variations[i]?.comparison;
    const total: Record<string, unknown> = {
      cumulativeValue: proportion ? cell.convertedUnits : cell.valueSum,
      cumulativeCount: proportion ? cell.convertedUnits : cell.conversions,
      cumulativeImpressionCount: cell.units,
      cumulativeConversionRate: rate,
      cumulativeConfidenceInterval: interval,
    };
    if (comparison?.pValue !== null && comparison?.pValue !== undefined) total.pValue = comparison.pValue;
    if (comparison?.improvementRate !== null && comparison?.improvementRate !== undefined) {
      total.improvement = comparison.improvementRate;
    }
    if (comparison?.sampleSize) total.minSampleSize = comparison.sampleSize.perArm;
    return total;
  });

  // Daily series, cumulated over days: counts add up, the centred sums of squares merge (Chan et al.).
  const days = [...new Set(aggregation.series.map((p) => p.day))].sort();
  const running = variations.map(() => ({
    units: 0,
    conversions: 0,
    convertedUnits: 0,
    sum: 0,
    m2: 0,
  }));
  const moments = (c: { units: number; sum: number; m2: number }): Moments => ({
    n: c.units,
    mean: c.units > 0 ? c.sum / c.units : 0,
    m2: c.m2,
  });
  // LaunchDarkly's ExperimentTimeSeriesSlice capitalises these two names.
  const series = days.map((day) => ({
    Time: Date.parse(`${day}T00:00:00Z`),
    VariationData: variations.map((variation, i) => {
      const points = aggregation.series.filter((p) => p.day === day && p.variationKey === variation.key);
      const daily = { units: 0, conversions: 0, convertedUnits: 0, sum: 0, m2: 0 };
      for (const p of points) {
        // A proportion's variance is p(1 - p): its m2 is not read.
        daily.m2 = proportion
          ? 0
          : mergeMoments(moments(daily), { n: p.units, mean: p.units > 0 ? p.sum / p.units : 0, m2: p.m2 })
              .m2;
        daily.units += p.units;
        daily.conversions += p.conversions;
        daily.convertedUnits += p.convertedUnits;
        daily.sum += proportion ? p.convertedUnits : p.sum;
      }
      const total = running[i]!;
      if (!proportion) total.m2 = mergeMoments(moments(total), moments(daily)).m2;
      for (const field of ["units", "conversions", "convertedUnits", "sum"] as const) {
        total[field] += daily[field];
      }
      const today = estimate(daily.units, daily.sum, daily.m2, proportion);
      const cumulative = estimate(total.units, total.sum, total.m2, proportion);
      return {
        value: proportion ? daily.convertedUnits : daily.sum,
        count: proportion ? daily.convertedUnits : daily.conversions,
        cumulativeValue: proportion ? total.convertedUnits : total.sum,
        cumulativeCount: proportion ? total.convertedUnits : total.conversions,
        conversionRate: today.rate,
        cumulativeConversionRate: cumulative.rate,
        confidenceInterval: today.interval,
        cumulativeConfidenceInterval: cumulative.interval,
      };
    }),
  }));

  const stats: Record<string, unknown> = {};
  const arms = cells.filter((c) => c.units > 0).map((c) => ({ n: c.units, conversions: c.convertedUnits }));
  const converted = arms.reduce((s, a) => s + a.conversions, 0);
  const units = arms.reduce((s, a) => s + a.n, 0);
  if (arms.length >= 2 && converted > 0 && converted < units) {
    const chi = conversionChiSquare(arms);
    // With an expected count below 5 the chi-square's p-value does not hold; two arms get Fisher's exact.
    const thin = Math.min(...chi.expected.flat()) < 5;
    stats.pValue = thin && arms.length === 2 ? fisherExactTest(arms[0]!, arms[1]!).pValue : chi.pValue;
    stats.chi2 = chi.chi2;
  }
  let leader = -1;
  cells.forEach((cell, i) => {
    if (cell.units === 0) return;
    const rate = cell.sum / cell.units;
    const best = leader < 0 ? undefined : cells[leader]!.sum / cells[leader]!.units;
    if (best === undefined || (lowerIsBetter ? rate < best : rate > best)) leader = i;
  });
  if (leader >= 0) stats.winningVariationIdx = leader;
  const sizes = analysis.variations
    .map((v) => v.comparison?.sampleSize)
    .filter((s) => s !== null && s !== undefined);
  stats.minSampleSizeMet = sizes.length > 0 && sizes.every((s) => s.met);

  return {
    _links: {
      self: link(`/api/v2/flags/${projectKey}/${flagKey}/experiments/${environmentKey}/${metricKey}`),
    },
    metadata: variations.map((v) => ({ key: v.key, _id: String(v.id), name: v.name })),
    totals,
    series,
    stats,
    granularity: "daily",
    metricSeen: metricSeen(aggregation),
    baselineIdx,
    ...(goal.capping.type !== "none" ? { capping: metricCapping(goal, aggregation) } : {}),
  };
}

/** When the legacy experiment (flag + metric in an environment) was last reset, if ever. */
async function resetTime(
  context: AppContext,
  flagId: number,
  environmentKey: string,
  goalId: number,
): Promise<number | undefined> {
  const row = await context.db
    .selectFrom("legacy_results_resets")
    .select("reset_at")
    .where("flag_id", "=", flagId)
    .where("environment_key", "=", environmentKey)
    .where("goal_id", "=", goalId)
    .executeTakeFirst();
  return row ? Number(row.reset_at) : undefined;
}

/**
 * DELETE .../experiments/{environmentKey}/{metricKey}/results: resets one legacy experiment (this flag and
 * this metric in this environment, as LaunchDarkly scopes it): its results count only exposures from now on.
 * Events stay in the store, so the flag's other metrics, its experiments and the Kameleoon results keep
 * theirs.
 */
export async function resetLegacyResults(
  context: AppContext,
  actor: Actor,
  projectKey: string,
  flagKey: string,
  environmentKey: string,
  metricKey: string,
): Promise<void> {
  const { flag, goal } = await resolve(context, projectKey, flagKey, environmentKey, metricKey);
  const resetAt = context.now();
  await context.db.transaction().execute(async (trx) => {
    const key = { flag_id: flag.meta.id, environment_key: environmentKey, goal_id: goal.id };
    await trx
      .deleteFrom("legacy_results_resets")
      .where("flag_id", "=", key.flag_id)
      .where("environment_key", "=", environmentKey)
      .where("goal_id", "=", goal.id)
      .execute();
    await trx
      .insertInto("legacy_results_resets")
      .values({ ...key, reset_at: resetAt })
      .execute();
    await context.outbox.publish(trx, {
      projectKey,
      actor: actor.name,
      action: "experiment.reset-results",
      resourceType: "feature-flag",
      resourceId: String(flag.meta.id),
      after: { environmentKey, metricKey, resetAt },
      subject: await flagSubject(trx, flag),
    });
  });
}
