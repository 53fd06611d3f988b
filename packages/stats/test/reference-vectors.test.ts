// Runs every case of the shared reference vectors (../shared/reference/stats-vectors.json, relative to
// the repository root) through the package's public functions. The adapters below only rename outputs
// to the fixture's field names; the fixture is read in place, never copied into the project.
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  adjustedInterval,
  adjustPValues,
  betaBinomialComparison,
  bonferroniInterval,
  chiSquareTest,
  cohensH,
  confidenceSequence,
  confidenceSequenceRho,
  cupedComparison,
  cupedTheta,
  eppoMultiplier,
  eppoRho,
  evaluateRollbackCondition,
  growthbookTopTwoWeights,
  msprtBernoulli,
  normalEffectPosterior,
  normalQuantile,
  normalRisk,
  probabilityToBeBestBeta,
  proportionSummary,
  ratioMetricTest,
  relativeLiftTest,
  type Summary,
  sampleRatioMismatch,
  sampleSizeMeans,
  sampleSizeProportions,
  statsigSequential,
  summarize,
  summaryFromMeanSd,
  thompsonWeights,
  topTwoThompsonWeights,
  twoProportionZTest,
  welchTTest,
} from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../..");
const vectorsPath = resolve(repoRoot, "../shared/reference/stats-vectors.json");

// biome-ignore lint/suspicious/noExplicitAny: fixture JSON is untyped by nature
type Json = any;
interface Case {
  name: string;
  method: string;
  input: Json;
  expected: Json;
  tolerance?: { rel?: number; abs?: number; mc_abs?: number };
  notes?: string;
}

// An arm of the fixture as a Summary: {n, mean, sd}, {n, sum, sum_squares}, or conversions.
function arm(x: Json): Summary {
  if (x.conversions !== undefined)
    return proportionSummary({ n: x.n ?? x.visitors, conversions: x.conversions });
  if (x.mean !== undefined) return summaryFromMeanSd(x.n, x.mean, x.sd);
  return summarize({ n: x.n, sum: x.sum, sumSquares: x.sum_squares });
}
const counts = (x: Json) => ({ n: x.visitors ?? x.n, conversions: x.conversions });
const alternativeOf = (a: string | undefined) =>
  a === "treatment_greater" ? "greater" : a === "treatment_less" ? "less" : "two-sided";

const adapters: Record<string, (input: Json) => Json> = {
  welch_t_test(input) {
    const a = arm(input.control);
    const b = arm(input.treatment);
    const t = welchTTest(a, b, { alpha: input.alpha });
    const z = welchTTest(a, b, { alpha: input.alpha, distribution: "normal" });
    return {
      mean_control: a.mean,
      mean_treatment: b.mean,
      var_control: a.variance,
      var_treatment: b.variance,
      diff: t.estimate,
      se: t.se,
      df: t.df,
      t: t.statistic,
      p_value: t.pValue,
      ci: t.ci,
      p_value_normal: z.pValue,
      ci_normal: z.ci,
    };
  },
  relative_lift_delta_method(input) {
    const a = arm(input.control);
    const b = arm(input.treatment);
    const z = relativeLiftTest(a, b, { alpha: input.alpha, distribution: "normal" });
    const t = relativeLiftTest(a, b, { alpha: input.alpha });
    return {
      lift: z.estimate,
      se: z.se,
      ci_normal: z.ci,
      p_value_normal: z.pValue,
      ci_t_welch_df: t.ci,
      p_value_t_welch_df: t.pValue,
    };
  },
  welch_t_test_relative_lift_t_quantile(input) {
    const r = relativeLiftTest(arm(input.control), arm(input.treatment), { alpha: input.alpha });
    return {
      lift: r.estimate,
      se: r.se,
      ci: r.ci,
      p_value: r.pValue,
      df: r.df,
      growthbook_test_expected_5dp: { expected: r.estimate, ci: r.ci, stddev: r.se, p_value: r.pValue },
    };
  },
  welch_t_test_relative_lift_one_sided(input) {
    const r = relativeLiftTest(arm(input.control), arm(input.treatment), {
      alpha: input.alpha,
      alternative: alternativeOf(input.alternative),
    });
    return { lift: r.estimate, se: r.se, p_value: r.pValue, ci: r.ci };
  },
  two_proportion_z_test(input) {
    const r = twoProportionZTest(counts(input.control), counts(input.treatment), { alpha: input.alpha });
    return {
      p_control: r.pControl,
      p_treatment: r.pTreatment,
      diff: r.diff,
      z_pooled: r.pooled.z,
      p_value_pooled: r.pooled.pValue,
      se_unpooled: r.unpooled.se,
      z_unpooled: r.unpooled.statistic,
      p_value_unpooled: r.unpooled.pValue,
      ci_diff_unpooled: r.unpooled.ci,
      lift: r.relative!.estimate,
      lift_se: r.relative!.se,
      lift_ci: r.relative!.ci,
    };
  },
  chi_square_independence(input) {
    const r = chiSquareTest(input.table, { yates: input.yates === true });
    return { chi2: r.chi2, df: r.df, p_value: r.pValue };
  },
  sample_size_two_proportions(input) {
    const opts = { alpha: input.alpha, power: input.power, twoSided: input.two_sided };
    const size = (method: "pooled" | "unpooled" | "arcsine") =>
      sampleSizeProportions(input.p_control, input.p_treatment, { ...opts, method });
    return {
      n_per_arm_unpooled: size("unpooled"),
      n_per_arm_unpooled_ceil: Math.ceil(size("unpooled")),
      n_per_arm_pooled: size("pooled"),
      n_per_arm_pooled_ceil: Math.ceil(size("pooled")),
      n_per_arm_arcsine: size("arcsine"),
      n_per_arm_arcsine_ceil: Math.ceil(size("arcsine")),
      cohens_h: cohensH(input.p_control, input.p_treatment),
    };
  },
  sample_size_two_means(input) {
    const opts = { alpha: input.alpha, power: input.power, twoSided: input.two_sided };
    const normal = sampleSizeMeans(input.sigma, input.delta, opts);
    const t = sampleSizeMeans(input.sigma, input.delta, { ...opts, method: "t" });
    return {
      n_per_arm_normal: normal,
      n_per_arm_normal_ceil: Math.ceil(normal),
      n_per_arm_t: t,
      n_per_arm_t_ceil: Math.ceil(t),
    };
  },
  bayesian_beta_binomial(input) {
    const r = betaBinomialComparison(counts(input.control), counts(input.treatment), {
      prior: input.prior,
      level: input.ci_level,
    });
    return {
      prob_treatment_beats_control: r.probTreatmentBeats,
      prob_control_beats_treatment: r.probControlBeats,
      expected_loss_choose_treatment: r.expectedLoss.chooseTreatment,
      expected_loss_choose_control: r.expectedLoss.chooseControl,
      posterior_control: [r.control.alpha, r.control.beta],
      posterior_treatment: [r.treatment.alpha, r.treatment.beta],
      relative_diff_ci95: r.relativeDifference.ci,
      relative_diff_median: r.relativeDifference.median,
    };
  },
  probability_to_be_best(input) {
    const prior = input.prior;
    const arms = input.arms.map((x: Json) => ({
      alpha: prior.alpha + x.conversions,
      beta: prior.beta + x.visitors - x.conversions,
    }));
    const r = probabilityToBeBestBeta(arms, { second: true });
    return { p_best: r.pBest, p_second: r.pSecond };
  },
  bayesian_normal_effect(input) {
    const a = arm(input.control);
    const b = arm(input.treatment);
    const alpha = input.alpha ?? 0.05;
    const effect =
      input.effect === "relative"
        ? relativeLiftTest(a, b, { alpha, distribution: "normal" })
        : welchTTest(a, b, { alpha, distribution: "normal" });
    const post = normalEffectPosterior(effect.estimate, effect.se, input.prior, alpha);
    return {
      posterior_mean: post.mean,
      posterior_sd: post.sd,
      chance_to_win: post.chanceToWin,
      ci: post.ci,
      risk: post.risk,
      growthbook_test_expected_5dp: {
        expected: post.mean,
        ci: post.ci,
        stddev: post.sd,
        chanceToWin: post.chanceToWin,
        risk: post.risk,
      },
    };
  },
  bayesian_normal_risk(input) {
    const r = normalRisk(input.mu, input.sigma);
    return { risk_control: r.riskControl, risk_treatment: r.riskTreatment };
  },
  sequential_confidence_sequence_normal_mixture(input) {
    const options = { alpha: input.alpha, tuningN: input.tuning_N_star };
    if (input.estimate !== undefined) {
      const cs = confidenceSequence(input.estimate, input.se, input.N_total, options);
      return {
        halfwidth: cs.halfwidth,
        ci: cs.ci,
        multiplier_B: eppoMultiplier(input.N_total, input.alpha, input.tuning_N_star),
        eppo_rho: eppoRho(input.alpha, input.tuning_N_star),
        gb_rho: confidenceSequenceRho(input.alpha, input.tuning_N_star),
        fixed_horizon_halfwidth: normalQuantile(1 - input.alpha / 2) * input.se,
        p_value: cs.pValue,
        e_value: cs.eValue,
      };
    }
    const a = arm(input.control);
    const b = arm(input.treatment);
    const est =
      input.effect === "relative"
        ? relativeLiftTest(a, b, { distribution: "normal" })
        : welchTTest(a, b, { distribution: "normal" });
    const cs = confidenceSequence(est.estimate, est.se, a.n + b.n, options);
    return {
      lift: est.estimate,
      se: est.se,
      N: cs.n,
      rho: confidenceSequenceRho(input.alpha, input.tuning_N_star),
      halfwidth: cs.halfwidth,
      ci: cs.ci,
      p_value: cs.pValue,
      e_value: cs.eValue,
      growthbook_test_expected_5dp: { expected: est.estimate, ci: cs.ci, stddev: est.se },
    };
  },
  msprt_always_valid(input) {
    const r = msprtBernoulli(
      input.n_per_arm,
      input.conversions_control,
      input.conversions_treatment,
      input.tau2,
      {
        alpha: input.alpha,
        theta0: input.theta0,
      },
    );
    return {
      V: r.v,
      diff: r.diff,
      Lambda: r.lambda,
      p_value_always_valid: r.pValue,
      ci: r.ci,
      halfwidth: r.halfwidth,
    };
  },
  sequential_msprt_statsig(input) {
    const r = statsigSequential({
      meanTreatment: input.mean_treatment,
      meanControl: input.mean_control,
      varTreatment: input.var_treatment,
      varControl: input.var_control,
      nTreatment: input.n_treatment,
      nControl: input.n_control,
      alpha: input.alpha,
    });
    return { V: r.v, tau: r.tau, z_star: r.zStar, ci: r.ci, z: r.z, sigma: r.sigma, p_value: r.pValue };
  },
  cuped(input) {
    const stats = (x: Json) => ({
      n: x.n,
      sum: x.sum_y,
      sumSquares: x.sum_y2,
      preSum: x.sum_x,
      preSumSquares: x.sum_x2,
      crossSum: x.sum_xy,
    });
    const a = stats(input.control);
    const b = stats(input.treatment);
    const r = cupedComparison(a, b, { alpha: input.alpha });
    const gb = cupedComparison(a, b, { alpha: input.alpha, relativeGradient: "growthbook" });
    const ols = cupedComparison(a, b, { alpha: input.alpha, theta: cupedTheta([a, b], "within") });
    const armOut = (x: typeof r.control) => ({
      mean_y: x.meanY,
      mean_x: x.meanX,
      mean_adjusted: x.meanAdjusted,
      var_unit_adjusted: x.varianceUnitAdjusted,
      var_mean_adjusted: x.varianceMeanAdjusted,
      var_mean_unadjusted: x.varianceMeanUnadjusted,
    });
    return {
      theta: r.theta,
      xbar_pooled: (a.preSum + b.preSum) / (a.n + b.n),
      control: armOut(r.control),
      treatment: armOut(r.treatment),
      effect_absolute: r.absolute.estimate,
      se_absolute: r.absolute.se,
      ci_absolute_normal: r.absolute.ci,
      effect_unadjusted: r.unadjusted.estimate,
      se_unadjusted: r.unadjusted.se,
      variance_reduction: r.varianceReduction,
      lift_relative: r.relative.estimate,
      se_relative_exact_gradient: r.relative.se,
      se_relative_growthbook_gradient: gb.relative.se,
      ols_dummy_plus_centered_covariate: { effect: ols.absolute.estimate, slope: ols.theta },
    };
  },
  cuped_relative_sequential(input) {
    const stats = (x: Json) => ({
      n: x.n,
      sum: x.post_sum,
      sumSquares: x.post_sum_squares,
      preSum: x.pre_sum,
      preSumSquares: x.pre_sum_squares,
      crossSum: x.post_pre_sum_of_products,
    });
    const a = stats(input.control);
    const b = stats(input.treatment);
    const r = cupedComparison(a, b, { alpha: input.alpha, relativeGradient: "growthbook" });
    const cs = confidenceSequence(r.relative.estimate, r.relative.se, a.n + b.n, {
      alpha: input.alpha,
      tuningN: input.tuning_N_star,
    });
    return {
      theta: r.theta,
      lift: r.relative.estimate,
      se: r.relative.se,
      ci: cs.ci,
      growthbook_test_expected_5dp: {
        expected: r.relative.estimate,
        ci: cs.ci,
        stddev: r.relative.se,
        pValue: cs.pValue,
      },
    };
  },
  multiple_testing_adjusted_p_values(input) {
    return {
      bonferroni: adjustPValues(input.p_values, "bonferroni"),
      holm: adjustPValues(input.p_values, "holm"),
      benjamini_hochberg: adjustPValues(input.p_values, "bh"),
    };
  },
  multiple_testing_adjusted_ci(input) {
    if (input.m !== undefined) {
      const r = bonferroniInterval(input.lift, input.se, input.m, input.alpha);
      return { z: r.quantile, ci: r.ci };
    }
    const r = adjustedInterval(input.lift, input.ci, input.p_adjusted, input.alpha);
    return { adjusted_ci_raw: r.raw, adjusted_ci_reported: r.reported };
  },
  srm_chi_square(input) {
    const r = sampleRatioMismatch(input.users, input.weights);
    return { chi2: r.chi2, df: r.df, p_value: r.pValue };
  },
  ratio_metric_delta_method(input) {
    const stats = (x: Json) => ({
      n: x.n,
      sumNum: x.sum_num,
      sumDen: x.sum_den,
      sumNumSquares: x.sum_num2,
      sumDenSquares: x.sum_den2,
      sumNumDen: x.sum_num_den,
    });
    const r = ratioMetricTest(stats(input.control), stats(input.treatment), { alpha: input.alpha });
    const armOut = (x: typeof r.control) => ({
      ratio: x.ratio,
      var_ratio: x.variance,
      mean_num: x.meanNum,
      mean_den: x.meanDen,
      var_num: x.varNum,
      var_den: x.varDen,
      cov: x.cov,
    });
    return {
      control: armOut(r.control),
      treatment: armOut(r.treatment),
      diff: r.absolute.estimate,
      se_diff: r.absolute.se,
      ci_diff_normal: r.absolute.ci,
      p_value_normal: r.absolute.pValue,
      lift: r.relative.estimate,
      se_lift: r.relative.se,
      ci_lift_normal: r.relative.ci,
    };
  },
  bandit_allocation(input) {
    const arms = input.arms.map((x: Json) => ({
      kind: "beta" as const,
      alpha: input.prior.alpha + x.conversions,
      beta: input.prior.beta + x.visitors - x.conversions,
    }));
    const floor = input.min_weight;
    return {
      thompson_weights: thompsonWeights(arms),
      thompson_weights_with_floor: thompsonWeights(arms, { floor }),
      top_two_thompson_russo_beta05: topTwoThompsonWeights(arms, { beta: 0.5 }),
      growthbook_top_two_weights: growthbookTopTwoWeights(arms),
      growthbook_top_two_weights_with_floor: growthbookTopTwoWeights(arms, { floor }),
    };
  },
  rollback_condition(input) {
    const c = input.condition;
    return evaluateRollbackCondition(
      { kpi: c.kpi, operator: c.operator, thresholdPct: c.threshold_pct, minVisitors: c.min_visitors },
      counts(input.control),
      counts(input.treatment),
    );
  },
};

interface Tolerance {
  rel: number;
  abs: number;
}

// Walks the expected value and reports every leaf that misses: pass iff |v - e| <= max(rel |e|, abs).
function mismatches(expected: Json, actual: Json, tol: Tolerance, path: string, out: string[]): void {
  if (path.endsWith("growthbook_test_expected_5dp") && tol.abs !== 6e-6) {
    mismatches(expected, actual, { rel: 0, abs: 6e-6 }, path, out);
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      out.push(`${path}: expected an array of ${expected.length}, got ${JSON.stringify(actual)}`);
      return;
    }
    expected.forEach((e, i) => {
      mismatches(e, actual[i], tol, `${path}[${i}]`, out);
    });
    return;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object") {
      out.push(`${path}: missing`);
      return;
    }
    for (const key of Object.keys(expected))
      mismatches(expected[key], actual[key], tol, `${path}.${key}`, out);
    return;
  }
  if (typeof expected === "boolean" || expected === null) {
    if (actual !== expected) out.push(`${path}: expected ${expected}, got ${actual}`);
    return;
  }
  const e = expected === "Infinity" ? Infinity : expected === "-Infinity" ? -Infinity : Number(expected);
  if (typeof actual !== "number") {
    out.push(`${path}: expected ${e}, got ${JSON.stringify(actual)}`);
    return;
  }
  if (!Number.isFinite(e)) {
    if (actual !== e) out.push(`${path}: expected ${e}, got ${actual}`);
    return;
  }
  const bound = Math.max(tol.rel * Math.abs(e), tol.abs);
  if (!(Math.abs(actual - e) <= bound)) {
    out.push(
      `${path}: expected ${e}, got ${actual} (|diff| ${Math.abs(actual - e).toExponential(3)} > ${bound})`,
    );
  }
}

const present = existsSync(vectorsPath);
const cases: Case[] = present ? JSON.parse(readFileSync(vectorsPath, "utf8")) : [];

describe("reference-vector comparison", () => {
  it("flags values outside max(rel |e|, abs) and accepts those inside", () => {
    const tol = { rel: 1e-6, abs: 1e-10 };
    const miss: string[] = [];
    mismatches({ a: [1, "Infinity"], b: { c: 2 } }, { a: [1 + 2e-6, Infinity], b: { c: 2 } }, tol, "x", miss);
    expect(miss).toHaveLength(1);
    const ok: string[] = [];
    mismatches({ a: [1, "-Infinity"], g: true }, { a: [1 + 5e-7, -Infinity], g: true }, tol, "x", ok);
    expect(ok).toEqual([]);
  });
});

if (present) {
  describe("reference vectors (../shared/reference/stats-vectors.json)", () => {
    it("covers every method of the fixture", () => {
      const missing = [...new Set(cases.map((c) => c.method))].filter((m) => !(m in adapters));
      expect(missing).toEqual([]);
    });

    it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
      const adapter = adapters[c.method];
      expect(adapter, `no adapter for ${c.method}`).toBeDefined();
      const actual = adapter!(c.input);
      const tol = { rel: c.tolerance?.rel ?? 1e-6, abs: c.tolerance?.abs ?? 1e-10 };
      const out: string[] = [];
      mismatches(c.expected, actual, tol, c.name, out);
      expect(out).toEqual([]);
    });
  });
} else {
  describe("reference vectors", () => {
    it.skip(`skipped: ${vectorsPath} is absent (the shared reference folder is not mounted next to the repository)`, () => {});
  });
}
