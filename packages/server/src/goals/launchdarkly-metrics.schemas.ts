import { type Static, Type } from "typebox";
import { JsonPatchBody } from "../http/json-patch.js";
import { LimitOffset } from "../http/launchdarkly-collections.js";
import { CappingSettingsBody } from "./goals.service.js";

// The request schemas of LaunchDarkly's Metrics API (responses: goals.responses.ts).

export const ProjectKey = Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}$" });
export const MetricKey = Type.String({ pattern: "^[A-Za-z0-9._-]{1,128}$" });
export const KINDS = ["custom", "pageview", "click"] as const;
export const URL_KINDS = ["exact", "canonical", "substring", "regex"] as const;
export const EXPANDS = ["experiments", "experimentCount", "metricGroups", "metricGroupCount"] as const;

const UrlSchema = Type.Object(
  {
    kind: Type.Enum([...URL_KINDS]),
    url: Type.Optional(Type.String({ maxLength: 2048 })),
    substring: Type.Optional(Type.String({ maxLength: 2048 })),
    pattern: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: false },
);

const metricFields = {
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  kind: Type.Enum([...KINDS]),
  selector: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  urls: Type.Optional(Type.Array(UrlSchema, { maxItems: 50 })),
  isNumeric: Type.Optional(Type.Boolean()),
  unit: Type.Optional(Type.String({ maxLength: 64 })),
  eventKey: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  successCriteria: Type.Optional(Type.Enum(["HigherThanBaseline", "LowerThanBaseline"])),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 100 })),
  randomizationUnits: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 10 }),
  ),
  maintainerId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  unitAggregationType: Type.Optional(Type.Enum(["sum", "average"])),
  analysisType: Type.Optional(Type.String({ maxLength: 32 })),
  percentileValue: Type.Optional(Type.Integer()),
  eventDefault: Type.Optional(
    Type.Object(
      { disabled: Type.Optional(Type.Boolean()), value: Type.Optional(Type.Number()) },
      { additionalProperties: false },
    ),
  ),
  /** Vexil extension (LaunchDarkly metrics have no capping): see docs/statistics.md, Capping. */
  cappingSettings: Type.Optional(CappingSettingsBody),
};

export const MetricPostBody = Type.Object(
  { key: MetricKey, ...metricFields },
  { additionalProperties: false },
);

/** The fields of a metric a JSON Patch may change. */
export const PATCHABLE = [
  "/name",
  "/description",
  "/kind",
  "/selector",
  "/urls",
  "/isNumeric",
  "/unit",
  "/eventKey",
  "/successCriteria",
  "/tags",
  "/randomizationUnits",
  "/maintainerId",
  "/unitAggregationType",
  "/analysisType",
  "/eventDefault",
  "/cappingSettings",
];

export type MetricPost = Static<typeof MetricPostBody>;

export const ProjectParams = Type.Object({ projectKey: ProjectKey });
export const MetricParams = Type.Object({
  projectKey: ProjectKey,
  metricKey: Type.String({ minLength: 1, maxLength: 128 }),
});

export const MetricListQuery = Type.Object(
  {
    ...LimitOffset,
    expand: Type.Optional(Type.String({ maxLength: 200 })),
    filter: Type.Optional(Type.String({ maxLength: 2000 })),
    sort: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const MetricQuery = Type.Object(
  { expand: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

/** A JSON Patch, bare or with a comment (LaunchDarkly accepts both). */
export const MetricPatchBody = Type.Union([
  JsonPatchBody,
  Type.Object(
    { comment: Type.Optional(Type.String({ maxLength: 5000 })), patch: JsonPatchBody },
    { additionalProperties: false },
  ),
]);
