import { inferenceOf, type TwoSampleOptions, welchDf } from "./frequentist.js";
import type { Inference, Summary } from "./types.js";

/** Relative lift (mB - mA) / |mA| of treatment over control. */
export function relativeLift(control: Summary, treatment: Summary): number {
  return (treatment.mean - control.mean) / Math.abs(control.mean);
}

/** Delta-method variance of the relative lift: sB^2/(nB mA^2) + mB^2 sA^2/(nA mA^4). */
export function relativeLiftVariance(control: Summary, treatment: Summary): number {
  const ma2 = control.mean * control.mean;
  return (
    treatment.variance / (treatment.n * ma2) +
    (treatment.mean * treatment.mean * control.variance) / (control.n * ma2 * ma2)
  );
}

/**
 * Test of the relative lift with delta-method SE; the t variant uses the Welch df of the absolute test
 * (GrowthBook's convention), the normal variant the z quantile.
 */
export function relativeLiftTest(
  control: Summary,
  treatment: Summary,
  options: TwoSampleOptions = {},
): Inference {
  const df = options.distribution === "normal" ? Number.POSITIVE_INFINITY : welchDf(control, treatment);
  return inferenceOf(
    relativeLift(control, treatment),
    Math.sqrt(relativeLiftVariance(control, treatment)),
    df,
    options,
  );
}
