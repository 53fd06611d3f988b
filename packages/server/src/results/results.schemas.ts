import { type Static, Type } from "typebox";

// The body of Kameleoon's "Request feature flag's results" (POST /feature-flags/{featureFlagId}/results)
// and the query of "Get results data" (GET /results?dataCode=...). Every field is documented in
// docs/kameleoon-results.md. Nullable fields use a JSON-Schema type list (not anyOf) so that Fastify's
// type coercion never turns a null into [null].

export const CONVERSION_TYPES = ["ALL_CONVERSION", "CONVERTED_VISITS"] as const;
export const BREAKDOWN_TYPES = [
  "BROWSER",
  "DEVICE_TYPE",
  "OS",
  "COUNTRY",
  "NEW_VISITOR",
  "INTERVAL",
  "CUSTOM_DATUM",
] as const;
export const BREAKDOWN_INTERVALS = ["HOUR", "DAY", "WEEK", "MONTH"] as const;
export const FILTER_TYPES = [
  "BROWSER",
  "DEVICE_TYPE",
  "OS",
  "COUNTRY",
  "NEW_VISITOR",
  "CUSTOM_DATUM",
] as const;

export type ConversionType = (typeof CONVERSION_TYPES)[number];
export type BreakdownType = (typeof BREAKDOWN_TYPES)[number];
export type BreakdownInterval = (typeof BREAKDOWN_INTERVALS)[number];
export type FilterType = (typeof FILTER_TYPES)[number];
export type VarianceReductionMethod = "REGRESSION" | "POST_STRATIFICATION";

const MAX_GOALS = 100;
const MAX_FILTER_VALUES = 500;

const DateIntervalSchema = Type.Object(
  {
    start: Type.String({ minLength: 1, maxLength: 64, description: "ISO-8601 date-time, inclusive" }),
    end: Type.String({ minLength: 1, maxLength: 64, description: "ISO-8601 date-time, exclusive" }),
  },
  { additionalProperties: false },
);

const BreakdownSchema = Type.Object(
  {
    type: Type.Enum([...BREAKDOWN_TYPES]),
    interval: Type.Optional(
      Type.Enum([...BREAKDOWN_INTERVALS], { description: "INTERVAL only; DAY by default" }),
    ),
    key: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: "CUSTOM_DATUM only: the custom attribute" }),
    ),
    // Vexil extension: the cumulative series behind a "lift over time" plot, from the same statistics.
    cumulative: Type.Optional(
      Type.Boolean({
        description: "INTERVAL only: each bucket counts every unit first exposed up to the bucket's end",
      }),
    ),
  },
  { additionalProperties: false },
);

const FilterSchema = Type.Object(
  {
    type: Type.Enum([...FILTER_TYPES]),
    include: Type.Optional(
      Type.Boolean({ description: "true (default): keep these values; false: drop them" }),
    ),
    // Numbers and booleans are accepted too and compared as their text.
    values: Type.Array(Type.Union([Type.String({ maxLength: 256 }), Type.Number(), Type.Boolean()]), {
      maxItems: MAX_FILTER_VALUES,
    }),
    key: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: "CUSTOM_DATUM only: the custom attribute" }),
    ),
  },
  { additionalProperties: false },
);

export const VARIANCE_REDUCTION_METHODS = ["REGRESSION", "POST_STRATIFICATION"] as const;
/** Covariates of one regression, goals and attributes together. */
export const MAX_COVARIATES = 10;

const VarianceReductionSchema = Type.Object(
  {
    method: Type.Enum([...VARIANCE_REDUCTION_METHODS]),
    goalIds: Type.Array(Type.Integer({ minimum: 1 }), {
      minItems: 1,
      maxItems: MAX_GOALS,
      description: "goals (among the selected ones, not in goalIdsCuped) to analyze with this adjustment",
    }),
    covariateGoalIds: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1 }), {
        maxItems: MAX_COVARIATES,
        description:
          "REGRESSION only: goals of the project whose per-unit values in the 14 days before the first exposure are covariates",
      }),
    ),
    covariateAttributes: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 128 }), {
        maxItems: MAX_COVARIATES,
        description:
          "REGRESSION only: custom data keys of the first exposure read as numbers (CUPAC: e.g. a predicted value); a unit without a numeric value counts 0",
      }),
    ),
    stratification: Type.Optional(
      Type.Object(
        {
          type: Type.Enum([...FILTER_TYPES]),
          key: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 128,
              description: "CUSTOM_DATUM only: the custom attribute",
            }),
          ),
        },
        { additionalProperties: false, description: "POST_STRATIFICATION only: the visitor attribute" },
      ),
    ),
  },
  { additionalProperties: false },
);

const nullableIdList = (description: string) =>
  Type.Unsafe<number[] | null>({
    type: ["array", "null"],
    items: { type: "integer", minimum: 1 },
    maxItems: MAX_GOALS,
    description,
  });

export const ResultsRequestBody = Type.Object(
  {
    dateIntervals: Type.Array(DateIntervalSchema, { minItems: 1, maxItems: 50 }),
    conversionType: Type.Enum([...CONVERSION_TYPES]),
    visitorData: Type.Optional(Type.Boolean({ description: "true: unit = unique visitor; false: visit" })),
    allVariationsData: Type.Optional(Type.Boolean()),
    bayesian: Type.Optional(Type.Boolean()),
    sequentialTesting: Type.Optional(Type.Boolean()),
    enabledMultipleTesting: Type.Optional(Type.Boolean()),
    referenceVariationId: Type.Optional(
      // A string in Kameleoon's API; a number stands for its text.
      Type.Unsafe<string | number | null>({
        type: ["string", "integer", "null"],
        maxLength: 32,
        minimum: 0,
        maximum: Number.MAX_SAFE_INTEGER,
      }),
    ),
    breakdown: Type.Optional(
      Type.Unsafe<Static<typeof BreakdownSchema> | null>({ ...BreakdownSchema, type: ["object", "null"] }),
    ),
    goalsIds: Type.Optional(nullableIdList("null or absent: every goal of the flag; []: none")),
    goalIdsCuped: Type.Optional(nullableIdList("goals (among the selected ones) to also analyze with CUPED")),
    // Vexil extension: variance reduction beyond CUPED (docs/kameleoon-results.md).
    varianceReduction: Type.Optional(
      Type.Unsafe<Static<typeof VarianceReductionSchema> | null>({
        ...VarianceReductionSchema,
        type: ["object", "null"],
      }),
    ),
    filters: Type.Optional(
      Type.Unsafe<Static<typeof FilterSchema>[] | null>({
        type: ["array", "null"],
        items: FilterSchema,
        maxItems: 50,
      }),
    ),
    callbackUrl: Type.Optional(
      Type.Unsafe<string | null>({ type: ["string", "null"], minLength: 1, maxLength: 2048 }),
    ),
    // Vexil extensions: which environment and experimentation rule to report on (defaults documented).
    environmentKey: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}$" })),
    ruleId: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

export type ResultsRequestInput = Static<typeof ResultsRequestBody>;
export type BreakdownInput = Static<typeof BreakdownSchema>;
export type FilterInput = Static<typeof FilterSchema>;
export type VarianceReductionInput = Static<typeof VarianceReductionSchema>;

export const FeatureFlagIdParams = Type.Object({ featureFlagId: Type.Integer({ minimum: 1 }) });

export const ResultsQuery = Type.Object(
  { dataCode: Type.String({ pattern: "^[0-9]{1,40}$", description: "from POST .../results" }) },
  { additionalProperties: false },
);
