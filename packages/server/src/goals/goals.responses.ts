import { type Static, Type } from "typebox";
import {
  CollectionOf,
  DateTimeString,
  LinksSchema,
  NoContent,
  Nullable,
  responses,
} from "../http/response-schemas.js";

// Goals as both dialects show them: the Kameleoon dialect's goal (GET /goals) and LaunchDarkly's metric
// representations (MetricRep, MetricV2Rep), field names and types as LaunchDarkly's model documents them.

const SUCCESS_CRITERIA = ["HigherThanBaseline", "LowerThanBaseline"] as const;
const GOAL_KINDS = ["custom", "pageview", "click"] as const;

/**
 * Capping (winsorisation) of a numeric goal's per-unit values in its analyses (Vexil's field in both
 * dialects, named as GrowthBook names it): `value` is the absolute cap, or the percentile as a fraction
 * (0.99 = P99) of the per-unit values pooled over every arm of the analysis; null when `type` is none.
 */
export const CappingSettingsViewSchema = Type.Object({
  type: Type.Enum(["none", "absolute", "percentile"]),
  value: Nullable(Type.Number()),
});

/** A goal's capping as one analysis applied it (results of both dialects, `vexil analyze`). */
export const CappingAppliedSchema = Type.Object(
  {
    type: Type.Enum(["none", "absolute", "percentile"]),
    value: Nullable(Type.Number({ description: "the goal's setting: absolute cap or percentile" })),
    cap: Nullable(Type.Number({ description: "the cap applied to each unit's value in this analysis" })),
    applied: Type.Boolean(),
    reason: Nullable(Type.String({ description: "why no cap was applied" })),
  },
  { description: "winsorisation of the goal's per-unit values (docs/statistics.md, Capping)" },
);

/** A goal (Kameleoon dialect): Vexil's fields plus Kameleoon's `type` and `siteCode`. */
export const GoalViewSchema = Type.Object({
  id: Type.Integer(),
  key: Type.String(),
  name: Type.String(),
  description: Type.String(),
  siteCode: Type.String(),
  kind: Type.Enum([...GOAL_KINDS]),
  type: Type.Enum(["CUSTOM", "PAGE_URL", "CLICK"]),
  eventKey: Type.String(),
  isNumeric: Type.Boolean(),
  unit: Nullable(Type.String()),
  successCriteria: Type.Enum([...SUCCESS_CRITERIA]),
  unitAggregationType: Type.Enum(["sum", "average"]),
  hasMultipleConversions: Type.Boolean(),
  tags: Type.Array(Type.String()),
  cappingSettings: CappingSettingsViewSchema,
  dateCreated: DateTimeString,
  dateModified: DateTimeString,
});
export type GoalView = Static<typeof GoalViewSchema>;

export const goalResponse = responses("kameleoon", { 200: GoalViewSchema });
export const createdGoalResponse = responses("kameleoon", { 201: GoalViewSchema });
export const goalListResponse = responses("kameleoon", { 200: Type.Array(GoalViewSchema) });
export const deletedGoalResponse = responses("kameleoon", { 204: NoContent });

/** LaunchDarkly's MetricV2Rep: the short metric experiments embed. */
export const MetricV2RepSchema = Type.Object({
  key: Type.String(),
  _versionId: Type.Optional(Type.String()),
  name: Type.String(),
  kind: Type.String(),
  isNumeric: Type.Optional(Type.Boolean()),
  unitAggregationType: Type.Optional(Type.String()),
  _links: LinksSchema,
});

const Named = Type.Object({ key: Type.String(), name: Type.String() });

/** LaunchDarkly's MetricRep. */
export const MetricRepSchema = Type.Object({
  _id: Type.String(),
  _versionId: Type.String(),
  key: Type.String(),
  name: Type.String(),
  description: Type.String(),
  kind: Type.Enum([...GOAL_KINDS]),
  _attachedFlagCount: Type.Integer(),
  _links: LinksSchema,
  tags: Type.Array(Type.String()),
  _creationDate: Type.Integer({ description: "epoch milliseconds" }),
  lastModified: Type.Object({ date: Type.String() }),
  isNumeric: Type.Boolean(),
  successCriteria: Type.Enum([...SUCCESS_CRITERIA]),
  eventKey: Type.String(),
  randomizationUnits: Type.Array(Type.String()),
  unitAggregationType: Type.String(),
  analysisType: Type.String(),
  eventDefault: Type.Object({ disabled: Type.Boolean(), value: Type.Number() }),
  urls: Type.Array(Type.Unknown()),
  isActive: Type.Boolean(),
  _attachedFeatures: Type.Array(Named),
  cappingSettings: CappingSettingsViewSchema,
  unit: Type.Optional(Type.String()),
  maintainerId: Type.Optional(Type.String()),
  selector: Type.Optional(Type.String()),
  experimentCount: Type.Optional(Type.Integer()),
  metricGroupCount: Type.Optional(Type.Integer()),
  metricGroups: Type.Optional(Type.Array(Type.Unknown())),
  experiments: Type.Optional(
    Type.Array(
      Type.Object({
        key: Type.String(),
        name: Type.String(),
        environmentKey: Type.String(),
        creationDate: Type.Integer(),
        _links: LinksSchema,
      }),
    ),
  ),
});

export const metricResponse = responses("launchdarkly", { 200: MetricRepSchema });
export const createdMetricResponse = responses("launchdarkly", { 201: MetricRepSchema });
export const metricListResponse = responses("launchdarkly", { 200: CollectionOf(MetricRepSchema) });
export const deletedMetricResponse = responses("launchdarkly", { 204: NoContent });
