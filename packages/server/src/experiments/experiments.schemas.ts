import { type Static, Type } from "typebox";
import { LimitOffset } from "../http/launchdarkly-collections.js";

// Request schemas of LaunchDarkly's experiments resources (Experiments (beta) in its REST API v2). They are
// closed: a field LaunchDarkly does not document answers 400 naming it. Fields LaunchDarkly documents but
// Vexil cannot honour are accepted by the schema and refused by the service with a 400 that says why.

const Key = Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}$" });
export const ExperimentKey = Type.String({
  pattern: "^[A-Za-z0-9._-]{1,256}$",
  description: "1-256 of [A-Za-z0-9._-]",
});
const MetricKey = Type.String({ minLength: 1, maxLength: 128 });
const IdLike = Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Integer()]);

export const EnvironmentParams = Type.Object({ projectKey: Key, environmentKey: Key });
/** Path keys are looser than new keys: a rule's own experiment is keyed `<featureKey>-<ruleId>`. */
const ExistingExperimentKey = Type.String({ minLength: 1, maxLength: 320 });
export const ExperimentParams = Type.Object({
  projectKey: Key,
  environmentKey: Key,
  experimentKey: ExistingExperimentKey,
});
export const ExperimentMetricParams = Type.Object({
  projectKey: Key,
  environmentKey: Key,
  experimentKey: ExistingExperimentKey,
  metricKey: MetricKey,
});

export const MetricInputSchema = Type.Object(
  {
    key: MetricKey,
    primary: Type.Optional(Type.Boolean({ description: "deprecated: use primarySingleMetricKey" })),
    isGroup: Type.Optional(Type.Boolean({ description: "metric groups are not supported (false only)" })),
  },
  { additionalProperties: false },
);

export const TreatmentParameterSchema = Type.Object(
  {
    flagKey: Type.String({ minLength: 1, maxLength: 255 }),
    variationId: Type.Union([Type.String({ minLength: 1, maxLength: 255 }), Type.Integer()], {
      description: "the flag variation's numeric id (a string or a number), or its key",
    }),
  },
  { additionalProperties: false },
);

export const TreatmentSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 256 }),
    baseline: Type.Optional(Type.Boolean()),
    allocationPercent: Type.Union([Type.String({ minLength: 1, maxLength: 32 }), Type.Number()], {
      description: "percent of the experiment audience, a decimal string like LaunchDarkly's or a number",
    }),
    parameters: Type.Array(TreatmentParameterSchema, { minItems: 1, maxItems: 10 }),
  },
  { additionalProperties: false },
);

export const FlagInputSchema = Type.Object(
  {
    ruleId: Type.Optional(
      Type.Union([Type.String({ maxLength: 128 }), Type.Integer()], {
        description: "an EXPERIMENTATION rule id of the flag, or 'fallthrough' (a new rule is created)",
      }),
    ),
    flagConfigVersion: Type.Optional(
      Type.Integer({ minimum: 0, description: "the flag version read; 409 if it changed" }),
    ),
    notInExperimentVariationId: Type.Optional(IdLike),
  },
  { additionalProperties: false },
);

export const IterationInputSchema = Type.Object(
  {
    hypothesis: Type.String({ minLength: 1, maxLength: 5000 }),
    canReshuffleTraffic: Type.Optional(Type.Boolean()),
    metrics: Type.Array(MetricInputSchema, { minItems: 1, maxItems: 50 }),
    primarySingleMetricKey: Type.Optional(MetricKey),
    primaryFunnelKey: Type.Optional(Type.String({ maxLength: 128 })),
    treatments: Type.Array(TreatmentSchema, { minItems: 2, maxItems: 50 }),
    flags: Type.Record(Type.String({ minLength: 1, maxLength: 255 }), FlagInputSchema),
    randomizationUnit: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    attributes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 20 })),
    reallocationFrequencyMillis: Type.Optional(Type.Integer()),
    covariateId: Type.Optional(Type.String({ maxLength: 128 })),
  },
  { additionalProperties: false },
);
export type IterationInput = Static<typeof IterationInputSchema>;

export const ExperimentPostSchema = Type.Object(
  {
    key: ExperimentKey,
    name: Type.String({ minLength: 1, maxLength: 256 }),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    maintainerId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    iteration: IterationInputSchema,
    holdoutId: Type.Optional(Type.String({ maxLength: 128 })),
    type: Type.Optional(Type.String({ maxLength: 32 })),
    methodology: Type.Optional(Type.String({ maxLength: 32 })),
    dataSource: Type.Optional(Type.String({ maxLength: 64 })),
    analysisConfig: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);
export type ExperimentPost = Static<typeof ExperimentPostSchema>;

/** A semantic patch: `{comment?, instructions: [{kind, ...parameters}]}`. */
export const SemanticPatchSchema = Type.Object(
  {
    comment: Type.Optional(Type.String({ maxLength: 5000 })),
    environmentKey: Type.Optional(Type.String({ maxLength: 64 })),
    instructions: Type.Array(Type.Object({ kind: Type.String({ minLength: 1, maxLength: 64 }) }), {
      minItems: 1,
      maxItems: 50,
    }),
  },
  { additionalProperties: false },
);
export type SemanticPatch = Static<typeof SemanticPatchSchema>;

export const ListQuery = Type.Object(
  {
    ...LimitOffset,
    filter: Type.Optional(Type.String({ maxLength: 1000 })),
    expand: Type.Optional(
      Type.String({
        maxLength: 200,
        description:
          "previousIterations, draftIteration, secondaryMetrics, treatments, analysisConfig; units (Vexil): each experiment's units",
      }),
    ),
    lifecycleState: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const ExpandQuery = Type.Object(
  { expand: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

export const ResultsQuery = Type.Object(
  {
    iterationId: Type.Optional(Type.String({ maxLength: 64 })),
    expand: Type.Optional(Type.String({ maxLength: 64, description: "traffic: each treatment's units" })),
  },
  { additionalProperties: false },
);

export const EXPERIMENT_EXPANDS = [
  "previousIterations",
  "draftIteration",
  "secondaryMetrics",
  "treatments",
  "analysisConfig",
] as const;
/** The list's expands: units (a Vexil extension) costs one aggregation per started experiment. */
export const EXPERIMENT_LIST_EXPANDS = [...EXPERIMENT_EXPANDS, "units"] as const;
