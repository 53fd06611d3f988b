import { type Static, type TProperties, Type } from "typebox";
import { CappingAppliedSchema } from "../goals/goals.responses.js";
import { DateTimeString, Nullable } from "../http/response-schemas.js";
import { BREAKDOWN_INTERVALS, BREAKDOWN_TYPES, CONVERSION_TYPES, FILTER_TYPES } from "./results.schemas.js";

// The answers of Kameleoon's results API: POST /feature-flags/{featureFlagId}/results and GET /results.
// The report (GET /results `data`) is built by report.ts; every field it emits is declared here, since the
// response serialiser drops undeclared ones. Fields are documented in docs/kameleoon-results.md.

const Num = Nullable(Type.Number());

/** `{lower, upper}` of an interval, in %. */
/** A regression covariate: a goal's pre-period value, or a numeric custom attribute. */
const CovariateSchema = <P extends TProperties>(properties: P) =>
  Type.Object({ goalId: Nullable(Type.Integer()), attribute: Nullable(Type.String()), ...properties });

export const IntervalSchema = Type.Object({ lower: Num, upper: Num });

/** An effect with its own p-value and intervals (absolute: metric units; relative: %). */
export const EffectSchema = Type.Object({
  estimate: Num,
  pValue: Num,
  interval: Nullable(IntervalSchema),
  pValueAdjusted: Num,
  intervalAdjusted: Nullable(IntervalSchema),
  fixedHorizon: Nullable(Type.Object({ pValue: Num, interval: Nullable(IntervalSchema) })),
});

/** One goal's numbers for one variation (and breakdown value). */
export const GoalDataSchema = Type.Object({
  conversionCount: Type.Integer(),
  convertedVisitCount: Type.Integer(),
  revenueCount: Type.Number(),
  averageCart: Num,
  conversionRate: Num,
  improvementRate: Type.Optional(Num),
  reliability: Type.Optional(Num),
  significant: Type.Optional(Nullable(Type.Boolean())),
  pValue: Type.Optional(Num),
  improvementInterval: Type.Optional(Nullable(IntervalSchema)),
  pValueAdjusted: Type.Optional(Num),
  improvementIntervalAdjusted: Type.Optional(Nullable(IntervalSchema)),
  test: Type.Optional(
    Nullable(
      Type.Enum(["WELCH", "CUPED_Z", "REGRESSION_Z", "POST_STRATIFIED_Z", "POOLED_Z", "FISHER_EXACT"], {
        description: "the one test behind pValue, both effects' intervals and the frequentist verdict",
      }),
    ),
  ),
  thinData: Type.Optional(
    Type.Boolean({ description: "an expected count below 5: Fisher's exact test at fixed horizon" }),
  ),
  absoluteEffect: Type.Optional(Nullable(EffectSchema)),
  relativeEffect: Type.Optional(Nullable(EffectSchema)),
  fixedHorizon: Type.Optional(Type.Object({ pValue: Num, improvementInterval: Nullable(IntervalSchema) })),
  sequential: Type.Optional(
    Type.Object({
      pValue: Num,
      improvementInterval: Nullable(IntervalSchema),
      tuningN: Num,
      units: Num,
    }),
  ),
  bayesian: Type.Optional(
    Type.Object({
      chanceToBeatReference: Num,
      chanceToBeBest: Num,
      expectedLoss: Num,
      improvementCredibleInterval: Nullable(IntervalSchema),
      model: Nullable(Type.String()),
    }),
  ),
  varianceReduction: Type.Optional(
    Type.Object(
      {
        method: Type.Enum(["REGRESSION", "POST_STRATIFICATION"]),
        applied: Type.Boolean(),
        reason: Nullable(Type.String()),
        adjustedMean: Num,
        varianceReduction: Num,
        covariates: Nullable(
          Type.Array(CovariateSchema({ coefficient: Num }), {
            description:
              "REGRESSION: the covariates used (a goal or an attribute) and their slopes, pooled over the variations",
          }),
        ),
        droppedCovariates: Nullable(Type.Array(CovariateSchema({ reason: Type.String() }))),
        strata: Nullable(
          Type.Array(Type.Object({ value: Type.String(), weight: Type.Number() }), {
            description: "POST_STRATIFICATION: the strata and their weights, pooled over the variations",
          }),
        ),
        mergedStrata: Nullable(Type.Array(Type.String(), { description: "small strata merged into one" })),
      },
      {
        description:
          "the variance reduction asked for this goal (Vexil extension): when applied, the headline numbers above are the adjusted ones",
      },
    ),
  ),
  cuped: Type.Optional(
    Type.Object({
      applied: Type.Boolean(),
      reason: Nullable(Type.String()),
      conversionRate: Num,
      improvementRate: Num,
      reliability: Num,
      pValue: Num,
      improvementInterval: Nullable(IntervalSchema),
      varianceReduction: Num,
      theta: Num,
    }),
  ),
  warnings: Type.Optional(Type.Array(Type.String())),
});

export const GeneralDataSchema = Type.Object({
  visitCount: Type.Integer(),
  visitorCount: Type.Integer(),
  goalsData: Type.Record(Type.String(), GoalDataSchema, { description: "by goal id" }),
});

export const VariationReportSchema = Type.Object({
  variationId: Nullable(Type.Integer()),
  variationKey: Nullable(Type.String()),
  variationName: Type.String(),
  reference: Type.Boolean(),
  allocation: Num,
  generalData: GeneralDataSchema,
  breakdownData: Type.Record(Type.String(), Type.Object({ generalData: GeneralDataSchema }), {
    description: 'by breakdown value; "0" without breakdown',
  }),
});

/** The report: GET /results `data` once READY (and the callback body's `data`). */
export const ResultsReportSchema = Type.Object({
  dataCode: Type.String(),
  featureFlagId: Type.Integer(),
  featureKey: Type.String(),
  siteCode: Type.String(),
  environmentKey: Type.String(),
  ruleId: Nullable(Type.Integer()),
  experimentId: Nullable(Type.Integer()),
  generatedAt: DateTimeString,
  dateIntervals: Type.Array(Type.Object({ start: Type.String(), end: Type.String() })),
  conversionType: Type.Enum([...CONVERSION_TYPES]),
  unit: Type.Enum(["VISITOR", "VISIT"]),
  referenceVariationId: Type.String(),
  breakdown: Nullable(
    Type.Object({
      type: Type.Enum([...BREAKDOWN_TYPES]),
      interval: Type.Optional(Type.Enum([...BREAKDOWN_INTERVALS])),
      key: Type.Optional(Type.String()),
      cumulative: Type.Optional(Type.Boolean()),
    }),
  ),
  filters: Type.Array(
    Type.Object({
      type: Type.Enum([...FILTER_TYPES]),
      key: Type.Optional(Type.String()),
      include: Type.Boolean(),
      values: Type.Array(Type.String()),
    }),
  ),
  statistics: Type.Object({
    alpha: Type.Number(),
    engine: Type.Enum(["BAYESIAN", "FREQUENTIST"]),
    sequentialTesting: Type.Boolean(),
    multipleTestingCorrection: Nullable(Type.String()),
  }),
  goals: Type.Array(
    Type.Object({
      goalId: Type.Integer(),
      goalKey: Type.String(),
      name: Type.String(),
      isNumeric: Type.Boolean(),
      lowerIsBetter: Type.Boolean(),
      analyzedMetric: Type.String(),
      cuped: Type.Boolean(),
      varianceReduction: Nullable(Type.Enum(["REGRESSION", "POST_STRATIFICATION"])),
      capping: CappingAppliedSchema,
    }),
  ),
  sampleRatioCheck: Nullable(
    Type.Object({
      chi2: Num,
      degreesOfFreedom: Type.Integer(),
      pValue: Num,
      threshold: Type.Number(),
      flagged: Type.Boolean(),
      variations: Type.Record(
        Type.String(),
        Type.Object({ allocation: Type.Number(), observed: Type.Integer(), expected: Num }),
      ),
    }),
  ),
  variationData: Type.Record(Type.String(), VariationReportSchema, {
    description: 'by variation id; "all" with allVariationsData',
  }),
  warnings: Type.Array(Type.String()),
});
export type ResultsReportView = Static<typeof ResultsReportSchema>;

/** GET /results: the report's status and progress, its data once READY, the error once FAILED. */
export const ResultsEnvelopeSchema = Type.Object({
  dataCode: Type.String(),
  status: Type.Enum(["PENDING", "RUNNING", "READY", "FAILED"]),
  progress: Type.Number({ description: "0-100" }),
  data: Type.Optional(ResultsReportSchema),
  error: Type.Optional(Type.String()),
});

/** POST /feature-flags/{featureFlagId}/results. */
export const DataCodeSchema = Type.Object({ dataCode: Type.String() });
