import { Type } from "typebox";
import { CappingAppliedSchema, MetricV2RepSchema } from "../goals/goals.responses.js";
import { LinksSchema, NoContent, responses } from "../http/response-schemas.js";

// LaunchDarkly's experiment answers (Experiment, IterationRep, MetricResults / TreatmentResult, the legacy
// per-flag ExperimentResults and the flag's `experiments`), field names and types as LaunchDarkly's models
// document them (docs/launchdarkly-experiments.md).

const Interval = Type.Object({ lower: Type.Number(), upper: Type.Number() });

const DependentMetric = Type.Object({ ...MetricV2RepSchema.properties, isGroup: Type.Boolean() });

/** LaunchDarkly's IterationRep. */
export const IterationRepSchema = Type.Object({
  _id: Type.String(),
  hypothesis: Type.String(),
  status: Type.String({ description: "not_started | running | stopped" }),
  createdAt: Type.Integer(),
  startedAt: Type.Optional(Type.Integer()),
  endedAt: Type.Optional(Type.Integer()),
  winningTreatmentId: Type.Optional(Type.String()),
  winningReason: Type.Optional(Type.String()),
  canReshuffleTraffic: Type.Boolean(),
  flags: Type.Record(
    Type.String(),
    Type.Object({
      targetingRule: Type.String(),
      targetingRuleDescription: Type.Optional(Type.String()),
      flagConfigVersion: Type.Integer(),
      notInExperimentVariationId: Type.Optional(Type.String()),
      _links: LinksSchema,
    }),
  ),
  primaryMetric: Type.Optional(DependentMetric),
  primarySingleMetric: Type.Optional(MetricV2RepSchema),
  randomizationUnit: Type.String(),
  attributes: Type.Optional(Type.Array(Type.String())),
  treatments: Type.Optional(
    Type.Array(
      Type.Object({
        _id: Type.String(),
        name: Type.String(),
        allocationPercent: Type.String(),
        baseline: Type.Boolean(),
        parameters: Type.Array(Type.Object({ flagKey: Type.String(), variationId: Type.String() })),
      }),
    ),
  ),
  secondaryMetrics: Type.Optional(Type.Array(MetricV2RepSchema)),
  metrics: Type.Optional(Type.Array(DependentMetric)),
});

/** LaunchDarkly's Experiment. */
export const ExperimentRepSchema = Type.Object({
  _id: Type.String(),
  key: Type.String(),
  name: Type.String(),
  description: Type.String(),
  _maintainerId: Type.String(),
  _creationDate: Type.Integer(),
  environmentKey: Type.String(),
  _links: LinksSchema,
  archivedDate: Type.Optional(Type.Integer()),
  currentIteration: Type.Optional(IterationRepSchema),
  draftIteration: Type.Optional(IterationRepSchema),
  previousIterations: Type.Optional(Type.Array(IterationRepSchema)),
  units: Type.Optional(
    Type.Integer({
      description:
        "List with expand=units (a Vexil extension): units of the current iteration, as its primary metric's results count them",
    }),
  ),
});

/** LaunchDarkly's experiment collection says `total_count`, unlike its other collections. */
const ExperimentCollection = Type.Object({
  items: Type.Array(ExperimentRepSchema),
  total_count: Type.Integer(),
  _links: LinksSchema,
});

const MetricSeen = Type.Object({ ever: Type.Boolean(), timestamp: Type.Optional(Type.Integer()) });

/** LaunchDarkly's MetricResults of an experiment iteration. */
export const ExperimentResultsSchema = Type.Object({
  _links: LinksSchema,
  metric: MetricV2RepSchema,
  treatmentResults: Type.Array(
    Type.Object({
      treatmentId: Type.String(),
      treatmentName: Type.String(),
      mean: Type.Optional(Type.Number()),
      credibleInterval: Type.Optional(Interval),
      pBest: Type.Optional(Type.Number()),
      relativeDifferences: Type.Array(
        Type.Object({ fromTreatmentId: Type.String(), lower: Type.Number(), upper: Type.Number() }),
      ),
      units: Type.Integer(),
      traffic: Type.Optional(Type.Integer()),
    }),
  ),
  metricSeen: MetricSeen,
  iterationId: Type.String(),
  sampleRatioMismatch: Type.Optional(Type.Object({ pValue: Type.Number(), flagged: Type.Boolean() })),
  /** Vexil extension: the metric's capping as applied (only for metrics with capping). */
  capping: Type.Optional(CappingAppliedSchema),
});

/** LaunchDarkly's legacy ExperimentResults (per flag and metric). */
export const LegacyResultsSchema = Type.Object({
  _links: LinksSchema,
  metadata: Type.Array(Type.Object({ key: Type.String(), _id: Type.String(), name: Type.String() })),
  totals: Type.Array(
    Type.Object({
      cumulativeValue: Type.Number(),
      cumulativeCount: Type.Number(),
      cumulativeImpressionCount: Type.Integer(),
      cumulativeConversionRate: Type.Number(),
      cumulativeConfidenceInterval: Interval,
      pValue: Type.Optional(Type.Number()),
      improvement: Type.Optional(Type.Number()),
      minSampleSize: Type.Optional(Type.Number()),
    }),
  ),
  series: Type.Array(
    Type.Object({
      Time: Type.Integer(),
      VariationData: Type.Array(
        Type.Object({
          value: Type.Number(),
          count: Type.Number(),
          cumulativeValue: Type.Number(),
          cumulativeCount: Type.Number(),
          conversionRate: Type.Number(),
          cumulativeConversionRate: Type.Number(),
          confidenceInterval: Interval,
          cumulativeConfidenceInterval: Interval,
        }),
      ),
    }),
  ),
  stats: Type.Object({
    pValue: Type.Optional(Type.Number()),
    chi2: Type.Optional(Type.Number()),
    winningVariationIdx: Type.Optional(Type.Integer()),
    minSampleSizeMet: Type.Boolean(),
  }),
  granularity: Type.String(),
  metricSeen: MetricSeen,
  baselineIdx: Type.Integer(),
  /** Vexil extension: the metric's capping as applied (only for metrics with capping). */
  capping: Type.Optional(CappingAppliedSchema),
});

export const experimentListResponse = responses("launchdarkly", { 200: ExperimentCollection });
export const experimentResponse = responses("launchdarkly", { 200: ExperimentRepSchema });
export const createdExperimentResponse = responses("launchdarkly", { 201: ExperimentRepSchema });
export const createdIterationResponse = responses("launchdarkly", { 201: IterationRepSchema });
export const experimentResultsResponse = responses("launchdarkly", { 200: ExperimentResultsSchema });
export const legacyResultsResponse = responses("launchdarkly", { 200: LegacyResultsSchema });
export const legacyResetResponse = responses("launchdarkly", { 204: NoContent });
