// Request and response of the sample-size planner (POST /projects/{projectKey}/sample-size, docs/statistics.md).
import { type Static, Type } from "typebox";
import { Nullable } from "../http/response-schemas.js";
import { Key } from "../projects/project-schemas.js";

const Fraction = (description: string) =>
  Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description });

export const PlanRequestBody = Type.Object(
  {
    minimumDetectableEffect: Type.Number({
      description: "relative (0.05 = +5 %, negative for a decrease) unless effect is absolute; not 0",
    }),
    effect: Type.Optional(
      Type.Enum(["relative", "absolute"], {
        description: "relative (default): a fraction of the baseline; absolute: in the metric's units",
      }),
    ),
    baselineRate: Type.Optional(Fraction("conversion metric: the reference's rate")),
    mean: Type.Optional(Type.Number({ description: "numeric metric: the reference's per-unit mean" })),
    sd: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "per-unit standard deviation" })),
    variance: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "per-unit variance (or sd)" })),
    goal: Type.Optional(
      Type.Object(
        {
          goalId: Type.Integer({ minimum: 1 }),
          environmentKey: Key,
          days: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 90, description: "the last N days of data (default 14)" }),
          ),
        },
        {
          additionalProperties: false,
          description:
            "estimate the baseline from the goal's recent data: a rate for a conversion goal, mean and sd for a numeric one",
        },
      ),
    ),
    dailyUnits: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: "units a day over all variations; with goal, estimated from its data when absent",
      }),
    ),
    variations: Type.Optional(
      Type.Integer({
        minimum: 2,
        maximum: 100,
        description: "variations including the reference (default 2)",
      }),
    ),
    correction: Type.Optional(
      Type.Enum(["none", "bonferroni", "holm", "bh"], {
        description: "multiple-testing correction over (variations - 1) x goals comparisons (default none)",
      }),
    ),
    goals: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1000,
        description: "goals analysed under the correction (default 1)",
      }),
    ),
    sequential: Type.Optional(
      Type.Boolean({ description: "always-valid sequential testing (default false)" }),
    ),
    alpha: Type.Optional(Fraction("significance level (default 0.05)")),
    power: Type.Optional(Fraction("power (default 0.8)")),
  },
  { additionalProperties: false },
);
export type PlanRequest = Static<typeof PlanRequestBody>;

const BaselineSchema = Type.Object({
  source: Type.Enum(["request", "goal"]),
  metric: Type.Enum(["rate", "mean"]),
  rate: Nullable(Type.Number()),
  mean: Nullable(Type.Number()),
  sd: Nullable(Type.Number()),
  goalId: Nullable(Type.Integer()),
  environmentKey: Nullable(Type.String()),
  from: Nullable(Type.String({ format: "date-time" })),
  to: Nullable(Type.String({ format: "date-time" })),
  units: Nullable(Type.Number({ description: "units in the goal's data" })),
  cap: Nullable(Type.Number({ description: "the goal's cap applied to the per-unit values" })),
});

export const PlanSchema = Type.Object(
  {
    unitsPerVariation: Type.Integer(),
    totalUnits: Type.Integer(),
    days: Nullable(Type.Integer({ description: "at dailyUnits (null without it)" })),
    dailyUnits: Nullable(Type.Number()),
    alphaPerComparison: Type.Number(),
    comparisons: Type.Integer(),
    absoluteEffect: Type.Number(),
    relativeEffect: Nullable(Type.Number()),
    method: Type.Enum(["fleiss-pooled", "normal", "confidence-sequence"]),
    baseline: BaselineSchema,
  },
  { title: "SampleSizePlan" },
);
export type PlanView = Static<typeof PlanSchema>;
