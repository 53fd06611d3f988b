import { type Static, Type } from "typebox";
import { DateTimeString, NoContent, responses } from "../http/response-schemas.js";
import {
  BUCKETING_KEY_TYPES,
  COMPARISON_OPERATORS,
  FREQUENCY_UNITS,
  HEALTHS,
  ROLLBACK_CRITERIA,
  ROLLBACK_TARGETS,
  ROLLOUT_TYPES,
  RULE_STATES,
  RULE_STATUSES,
  RULE_TYPES,
  TRAFFIC_ALLOCATION_METHODS,
  VARIABLE_TYPES,
} from "./flags.schemas.js";

// The answers of Kameleoon's feature-flag dialect: the flag as Kameleoon's "Get a feature flag
// configuration" documents it (field names and types), with Vexil's additions (`version`, `orderIndex`,
// `currentExposition`, `state`) documented in docs/kameleoon-feature-flags.md.

const Variable = Type.Object({
  key: Type.String(),
  type: Type.Enum([...VARIABLE_TYPES]),
  value: Type.String(),
  allowedValues: Type.Optional(Type.Array(Type.String())),
});

const Variation = Type.Object({
  id: Type.Integer(),
  key: Type.String(),
  name: Type.String(),
  variables: Type.Array(
    Type.Object({ key: Type.String(), type: Type.Enum([...VARIABLE_TYPES]), value: Type.String() }),
  ),
});

const RollbackCondition = Type.Object({
  id: Type.Integer(),
  criteria: Type.Enum([...ROLLBACK_CRITERIA]),
  comparisonOperator: Type.Enum([...COMPARISON_OPERATORS]),
  matchValue: Type.Number(),
  goalId: Type.Integer(),
  visitors: Type.Integer(),
  target: Type.Enum([...ROLLBACK_TARGETS]),
  recipients: Type.Array(Type.String()),
});

/** PROGRESSIVE_EXPOSURE (percentageRange, increaseBy, frequency, releaseDateTime) or CUSTOM_RAMP_UP (steps). */
const RolloutConfiguration = Type.Object({
  type: Type.Enum([...ROLLOUT_TYPES]),
  percentageRange: Type.Optional(Type.Object({ start: Type.Number(), stop: Type.Number() })),
  increaseBy: Type.Optional(Type.Number()),
  frequency: Type.Optional(Type.Object({ unit: Type.Enum([...FREQUENCY_UNITS]), value: Type.Integer() })),
  releaseDateTime: Type.Optional(Type.String()),
  steps: Type.Optional(Type.Array(Type.Object({ dateTime: Type.String(), exposure: Type.Number() }))),
});

export const RuleViewSchema = Type.Object({
  id: Type.Integer(),
  type: Type.Enum([...RULE_TYPES]),
  name: Type.String(),
  orderIndex: Type.Integer(),
  exposition: Type.Number(),
  currentExposition: Type.Optional(
    Type.Number({ description: "PROGRESSIVE_DELIVERY: the ramp's value now" }),
  ),
  state: Type.Enum([...RULE_STATES]),
  status: Type.Enum([...RULE_STATUSES]),
  release: Type.Optional(
    Type.Object({
      releaseFrom: Type.Optional(Type.String()),
      releaseTo: Type.Optional(Type.String()),
      timeZone: Type.Optional(Type.String()),
    }),
  ),
  segmentId: Type.Optional(Type.Integer()),
  rollbackConditions: Type.Array(RollbackCondition),
  variationKey: Type.Optional(Type.String()),
  rolloutConfiguration: Type.Optional(RolloutConfiguration),
  trafficAllocations: Type.Optional(
    Type.Array(
      Type.Object({ variationKey: Type.String(), variationId: Type.Integer(), exposition: Type.Number() }),
    ),
  ),
  controlVariationKey: Type.Optional(Type.String()),
  multiArmedBandit: Type.Optional(Type.Boolean()),
  reallocation: Type.Optional(Type.Boolean()),
  trafficAllocationMethod: Type.Optional(Type.Enum([...TRAFFIC_ALLOCATION_METHODS])),
  experimentId: Type.Optional(Type.Integer()),
});

/** Kameleoon's integration entries, returned as they were given. */
const IntegrationEntry = Type.Object(
  {
    integrationName: Type.Optional(Type.String()),
    customAnalytics: Type.Optional(Type.Array(Type.String())),
    customVariable: Type.Optional(Type.Integer()),
  },
  { additionalProperties: true },
);

export const EnvironmentViewSchema = Type.Object({
  environmentKey: Type.String(),
  featureEnabled: Type.Boolean(),
  defaultVariationKey: Type.String(),
  integrations: Type.Object({
    deliveryRules: Type.Optional(Type.Array(IntegrationEntry)),
    experimentRules: Type.Optional(Type.Array(IntegrationEntry)),
  }),
  dateModified: DateTimeString,
  rolloutRules: Type.Array(RuleViewSchema),
});

/** A feature flag (Kameleoon's FeatureFlag model). */
export const FlagViewSchema = Type.Object({
  id: Type.Integer(),
  featureKey: Type.String(),
  name: Type.String(),
  description: Type.String(),
  siteCode: Type.String(),
  tags: Type.Array(Type.String()),
  archived: Type.Boolean(),
  health: Type.Enum([...HEALTHS]),
  version: Type.Integer({ description: "increments on every change; the ETag" }),
  attributionWindow: Type.Optional(Type.Integer({ description: "milliseconds" })),
  bucketingMode: Type.Optional(Type.Enum(["VEXIL", "LAUNCHDARKLY"], { description: "Vexil extension" })),
  bucketingKey: Type.Optional(
    Type.Object({
      bucketingKeyType: Type.Optional(Type.Enum([...BUCKETING_KEY_TYPES])),
      customDataId: Type.Optional(Type.Integer()),
    }),
  ),
  primaryGoalId: Type.Optional(Type.Integer()),
  secondaryGoalIds: Type.Array(Type.Integer()),
  variables: Type.Array(Variable),
  variations: Type.Array(Variation),
  environmentConfigurations: Type.Array(EnvironmentViewSchema),
  createdById: Type.Optional(Type.Integer()),
  dateCreated: DateTimeString,
  dateModified: DateTimeString,
  dateContentModified: DateTimeString,
});
export type FlagViewBody = Static<typeof FlagViewSchema>;

/** GET /feature-flags and POST /feature-flags/search: a plain array, paging in X-Pagination-* headers. */
export const FlagListSchema = Type.Array(FlagViewSchema);

export const flagResponse = responses("kameleoon", { 200: FlagViewSchema });
export const createdFlagResponse = responses("kameleoon", { 201: FlagViewSchema });
export const flagListResponse = responses("kameleoon", { 200: FlagListSchema });
export const deletedFlagResponse = responses("kameleoon", { 204: NoContent });
