import { FREQUENCY_UNITS } from "@vexil/engine";
import { type Static, type TSchema, Type } from "typebox";
import { Compile } from "typebox/compile";
import { ApiError } from "../http/api-error.js";
import { mergePatchBody } from "../http/merge-patch.js";

// Request schemas of the Kameleoon feature-flag dialect. They are closed (additionalProperties: false) like
// Kameleoon's request schemas, carry no `default` (Fastify's Ajv would inject defaults into merge patches;
// defaults are applied by flags.document.ts instead), and accept the read-only fields of Kameleoon's own
// responses (id, status, dateModified...) so a client can send back what it read; those are ignored.

/** Project keys (siteCode). */
export const SITE_CODE_PATTERN = "^[A-Za-z0-9._-]{1,64}$";
/** Feature keys: Kameleoon allows 1-255 characters; we keep them URL- and SDK-safe. */
export const FEATURE_KEY_PATTERN = "^[A-Za-z0-9._-]{1,255}$";
/** Variation and variable keys. */
export const ITEM_KEY_PATTERN = "^[A-Za-z0-9._-]{1,255}$";

export const VARIABLE_TYPES = ["BOOLEAN", "NUMBER", "STRING", "JSON", "JS", "CSS"] as const;
export const RULE_TYPES = ["TARGETED_DELIVERY", "PROGRESSIVE_DELIVERY", "EXPERIMENTATION"] as const;
export const RULE_STATES = ["ACTIVE", "PAUSED"] as const;
export const RULE_STATUSES = ["ACTIVE", "PAUSED", "PLANNED", "OUTDATED"] as const;
export const HEALTHS = ["HEALTHY", "PERMANENT", "STALE", "SMELLY"] as const;
export const ROLLBACK_CRITERIA = ["UPLIFT", "DOWNLIFT", "CONVERSION_RATE"] as const;
export const COMPARISON_OPERATORS = ["GREATER_THAN", "LESS_THAN"] as const;
export const ROLLBACK_TARGETS = ["RULE", "ENVIRONMENT"] as const;
export const TRAFFIC_ALLOCATION_METHODS = ["MANUAL", "MULTI_ARMED_BANDIT", "CONTEXTUAL_BANDIT"] as const;
export const ROLLOUT_TYPES = ["PROGRESSIVE_EXPOSURE", "CUSTOM_RAMP_UP"] as const;
/** Kameleoon's frequency units (java.time's ChronoUnit names); what each means is in the engine. */
export { FREQUENCY_UNITS };
export const BUCKETING_KEY_TYPES = ["VISITOR_CODE", "CUSTOM_DATA"] as const;

const Id = Type.Integer({ minimum: 1 });
const Percent = Type.Number({ minimum: 0, maximum: 100 });
const DateTime = Type.String({ minLength: 1, maxLength: 40, description: "ISO 8601 date-time" });

export const VariableSchema = Type.Object(
  {
    key: Type.String({ pattern: ITEM_KEY_PATTERN }),
    type: Type.Enum([...VARIABLE_TYPES]),
    value: Type.String({ maxLength: 65_536, description: "Encoded as a string, decoded by its type" }),
    allowedValues: Type.Optional(Type.Array(Type.String({ maxLength: 65_536 }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);

/** A variation's variable: `type` may be omitted (taken from the flag-level variable of the same key). */
export const VariationVariableSchema = Type.Object(
  {
    key: Type.String({ pattern: ITEM_KEY_PATTERN }),
    type: Type.Optional(Type.Enum([...VARIABLE_TYPES])),
    value: Type.String({ maxLength: 65_536 }),
  },
  { additionalProperties: false },
);

export const VariationSchema = Type.Object(
  {
    id: Type.Optional(Type.Integer({ description: "read-only" })),
    key: Type.String({ pattern: ITEM_KEY_PATTERN }),
    name: Type.Optional(Type.String({ maxLength: 255 })),
    variables: Type.Optional(Type.Array(VariationVariableSchema, { maxItems: 200 })),
  },
  { additionalProperties: false },
);

export const ReleaseSchema = Type.Object(
  {
    releaseFrom: Type.Optional(DateTime),
    releaseTo: Type.Optional(DateTime),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "IANA time zone" })),
  },
  { additionalProperties: false },
);

/** PROGRESSIVE_EXPOSURE or CUSTOM_RAMP_UP; which fields each needs is checked by flags.validation.ts. */
export const RolloutConfigurationSchema = Type.Object(
  {
    type: Type.Enum([...ROLLOUT_TYPES]),
    percentageRange: Type.Optional(
      Type.Object({ start: Percent, stop: Percent }, { additionalProperties: false }),
    ),
    increaseBy: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
    frequency: Type.Optional(
      Type.Object(
        { unit: Type.Enum([...FREQUENCY_UNITS]), value: Type.Integer({ minimum: 1, maximum: 100_000 }) },
        { additionalProperties: false },
      ),
    ),
    releaseDateTime: Type.Optional(DateTime),
    steps: Type.Optional(
      Type.Array(Type.Object({ dateTime: DateTime, exposure: Percent }, { additionalProperties: false }), {
        minItems: 1,
        maxItems: 100,
      }),
    ),
  },
  { additionalProperties: false },
);

export const RollbackConditionSchema = Type.Object(
  {
    id: Type.Optional(Type.Integer({ description: "read-only; kept when it names a condition of the rule" })),
    criteria: Type.Optional(Type.Enum([...ROLLBACK_CRITERIA])),
    comparisonOperator: Type.Optional(Type.Enum([...COMPARISON_OPERATORS])),
    /** Older name of comparisonOperator. */
    matchType: Type.Optional(Type.Enum([...COMPARISON_OPERATORS])),
    matchValue: Percent,
    goalId: Id,
    visitors: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000 })),
    target: Type.Optional(Type.Enum([...ROLLBACK_TARGETS])),
    recipients: Type.Optional(Type.Array(Type.String({ maxLength: 254 }), { maxItems: 50 })),
  },
  { additionalProperties: false },
);

export const TrafficAllocationSchema = Type.Object(
  {
    variationKey: Type.Optional(Type.String({ pattern: ITEM_KEY_PATTERN })),
    variationId: Type.Optional(Type.Integer()),
    exposition: Percent,
  },
  { additionalProperties: false },
);

/** One rule; the fields each `type` takes are checked by flags.validation.ts (clearer errors than a oneOf). */
export const RuleSchema = Type.Object(
  {
    id: Type.Optional(
      Type.Integer({ description: "kept when it names a rule of this flag and environment" }),
    ),
    type: Type.Enum([...RULE_TYPES]),
    name: Type.Optional(Type.String({ maxLength: 100 })),
    orderIndex: Type.Optional(Type.Integer({ minimum: 0 })),
    exposition: Type.Optional(Percent),
    state: Type.Optional(Type.Enum([...RULE_STATES])),
    release: Type.Optional(ReleaseSchema),
    segmentId: Type.Optional(Id),
    rollbackConditions: Type.Optional(Type.Array(RollbackConditionSchema, { maxItems: 20 })),
    variationKey: Type.Optional(Type.String({ pattern: ITEM_KEY_PATTERN })),
    rolloutConfiguration: Type.Optional(RolloutConfigurationSchema),
    trafficAllocations: Type.Optional(Type.Array(TrafficAllocationSchema, { maxItems: 100 })),
    controlVariationKey: Type.Optional(Type.String({ pattern: ITEM_KEY_PATTERN })),
    multiArmedBandit: Type.Optional(Type.Boolean()),
    reallocation: Type.Optional(Type.Boolean()),
    trafficAllocationMethod: Type.Optional(Type.Enum([...TRAFFIC_ALLOCATION_METHODS])),
    // Read-only (computed), accepted so a rule read from the API can be sent back; ignored.
    status: Type.Optional(Type.Enum([...RULE_STATUSES])),
    currentExposition: Type.Optional(Type.Number()),
    experimentId: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);

/** Kameleoon's integration entries are stored and returned as given. */
const IntegrationEntry = Type.Object(
  {
    integrationName: Type.Optional(Type.String({ maxLength: 64 })),
    customAnalytics: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 50 })),
    customVariable: Type.Optional(Type.Integer()),
  },
  { additionalProperties: true },
);

export const IntegrationsSchema = Type.Object(
  {
    deliveryRules: Type.Optional(Type.Array(IntegrationEntry, { maxItems: 100 })),
    experimentRules: Type.Optional(Type.Array(IntegrationEntry, { maxItems: 100 })),
  },
  { additionalProperties: false },
);

/** Fields of one environment configuration (also the body of PATCH .../{environmentKey}). */
const environmentFields = {
  featureEnabled: Type.Optional(Type.Boolean()),
  defaultVariationKey: Type.Optional(Type.String({ pattern: ITEM_KEY_PATTERN })),
  integrations: Type.Optional(IntegrationsSchema),
  rolloutRules: Type.Optional(Type.Array(RuleSchema, { maxItems: 200 })),
  dateModified: Type.Optional(Type.String({ description: "read-only" })),
};

export const EnvironmentConfigurationSchema = Type.Object(
  { environmentKey: Type.String({ pattern: SITE_CODE_PATTERN }), ...environmentFields },
  { additionalProperties: false },
);

export const BucketingKeySchema = Type.Object(
  {
    bucketingKeyType: Type.Optional(Type.Enum([...BUCKETING_KEY_TYPES])),
    customDataId: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);

/** Flag-level fields shared by the create body, the flag merge patch and the environment patch. */
const flagFields = {
  featureKey: Type.String({ pattern: FEATURE_KEY_PATTERN, description: "1-255 of [A-Za-z0-9._-]" }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 100 })),
  attributionWindow: Type.Optional(Type.Integer({ minimum: 0, description: "milliseconds" })),
  bucketingKey: Type.Optional(BucketingKeySchema),
  bucketingMode: Type.Optional(
    Type.Enum(["VEXIL", "LAUNCHDARKLY"], {
      description:
        "Vexil extension: how rules draw visitors. VEXIL (default): MurmurHash3; LAUNCHDARKLY: LaunchDarkly's SHA-1 rollouts, so LaunchDarkly SDKs serve percentage rollouts and experiments (docs/launchdarkly-sdks.md). Changing it reshuffles visitors.",
    }),
  ),
  primaryGoalId: Type.Optional(Id),
  secondaryGoalIds: Type.Optional(Type.Array(Id, { maxItems: 50 })),
  variables: Type.Optional(Type.Array(VariableSchema, { maxItems: 200 })),
  variations: Type.Optional(Type.Array(VariationSchema, { minItems: 1, maxItems: 100 })),
  archived: Type.Optional(Type.Boolean()),
  /** Kameleoon's update endpoints call `archived` this. */
  isArchived: Type.Optional(Type.Boolean()),
  health: Type.Optional(
    Type.Enum([...HEALTHS], { description: "HEALTHY or PERMANENT are settable; STALE/SMELLY are computed" }),
  ),
};

/** Read-only fields of a flag as the API returns it; accepted in bodies and ignored (id must match). */
const readOnlyFlagFields = {
  id: Type.Optional(Type.Integer()),
  version: Type.Optional(Type.Integer()),
  dateCreated: Type.Optional(Type.String()),
  dateModified: Type.Optional(Type.String()),
  dateContentModified: Type.Optional(Type.String()),
  createdById: Type.Optional(Type.Integer()),
  teamId: Type.Optional(Type.Integer()),
};

/** POST /feature-flags: Kameleoon's "Create a new feature flag configuration" body. */
export const CreateFlagBody = Type.Object(
  {
    ...flagFields,
    siteCode: Type.String({ pattern: SITE_CODE_PATTERN }),
    environmentConfigurations: Type.Optional(Type.Array(EnvironmentConfigurationSchema, { maxItems: 50 })),
    ...readOnlyFlagFields,
  },
  { additionalProperties: false },
);
export type FlagInput = Static<typeof CreateFlagBody>;
export type RuleInput = Static<typeof RuleSchema>;
export type EnvironmentInput = Static<typeof EnvironmentConfigurationSchema>;
export type VariableInput = Static<typeof VariableSchema>;
export type VariationInput = Static<typeof VariationSchema>;
export type RolloutConfigurationInput = Static<typeof RolloutConfigurationSchema>;
export type RollbackConditionInput = Static<typeof RollbackConditionSchema>;

/** The environment PATCH body: one environment's fields plus (as Kameleoon allows) flag-level fields. */
export const EnvironmentPatchTarget = Type.Object(
  {
    ...flagFields,
    siteCode: Type.Optional(Type.String({ pattern: SITE_CODE_PATTERN })),
    environmentKey: Type.Optional(Type.String({ pattern: SITE_CODE_PATTERN })),
    ...environmentFields,
    ...readOnlyFlagFields,
  },
  { additionalProperties: false },
);

/** PATCH /feature-flags/{siteCode}/{featureKey}: a merge patch of the create body. */
export const FlagPatchBody = mergePatchBody(CreateFlagBody, "JSON Merge Patch (RFC 7396) of a feature flag");
/** PATCH /feature-flags/{siteCode}/{featureKey}/{environmentKey}. */
export const EnvironmentPatchBody = mergePatchBody(
  EnvironmentPatchTarget,
  "JSON Merge Patch of one environment configuration (and, as Kameleoon allows, flag fields)",
);
/** PATCH /feature-flags/rules/{ruleId}. */
export const RulePatchBody = mergePatchBody(RuleSchema, "JSON Merge Patch of one rollout rule");

export const DuplicateBody = Type.Object(
  {
    featureKey: Type.Optional(Type.String({ pattern: FEATURE_KEY_PATTERN })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const FlagParams = Type.Object({
  siteCode: Type.String({ pattern: SITE_CODE_PATTERN }),
  featureKey: Type.String({ minLength: 1, maxLength: 255 }),
});
export const EnvironmentParams = Type.Object({
  siteCode: Type.String({ pattern: SITE_CODE_PATTERN }),
  featureKey: Type.String({ minLength: 1, maxLength: 255 }),
  environmentKey: Type.String({ minLength: 1, maxLength: 64 }),
});
export const RuleParams = Type.Object({ ruleId: Type.Integer({ minimum: 1 }) });

/** One filter expression or a group of them (Kameleoon's search `filter`); checked by flags.search.ts. */
export const FilterSchema = Type.Object(
  {
    field: Type.Optional(Type.String({ maxLength: 64 })),
    operator: Type.Optional(Type.String({ maxLength: 32 })),
    parameters: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 1000 })),
    conditionalOperator: Type.Optional(Type.Enum(["AND", "OR"])),
    expressions: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 100 })),
  },
  { additionalProperties: false },
);

export const SortSchema = Type.Object(
  { field: Type.String({ maxLength: 64 }), direction: Type.Optional(Type.Enum(["ASC", "DESC"])) },
  { additionalProperties: false },
);

/** POST /feature-flags/search. */
export const SearchBody = Type.Object(
  {
    filter: Type.Optional(Type.Union([FilterSchema, Type.Array(FilterSchema, { maxItems: 100 })])),
    page: Type.Optional(Type.Integer({ minimum: 1 })),
    perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    sort: Type.Optional(Type.Array(SortSchema, { maxItems: 10 })),
  },
  { additionalProperties: false },
);

/** Query of GET /feature-flags and POST /feature-flags/search. */
export const ListQuery = Type.Object(
  {
    siteCode: Type.Optional(Type.String({ pattern: SITE_CODE_PATTERN })),
    page: Type.Optional(Type.Integer({ minimum: 1 })),
    perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    filter: Type.Optional(Type.String({ maxLength: 8192, description: "JSON filter expression(s)" })),
    sort: Type.Optional(
      Type.String({ maxLength: 1024, description: 'JSON [{"field","direction"}] or "field,-field"' }),
    ),
    tags: Type.Optional(Type.String({ maxLength: 1024, description: "comma-separated; any of them" })),
    health: Type.Optional(
      Type.String({
        maxLength: 128,
        // Comma-separated values of HEALTHS: an unknown one is a 400, not an empty list.
        pattern: `^\\s*(${HEALTHS.join("|")})\\s*(,\\s*(${HEALTHS.join("|")})\\s*)*$`,
        description: `comma-separated, any of ${HEALTHS.join(", ")}`,
      }),
    ),
    archived: Type.Optional(Type.Enum(["true", "false", "all"])),
    environmentKey: Type.Optional(
      Type.String({
        pattern: SITE_CODE_PATTERN,
        description: "the environment `enabled` and `ruleType` look at (one of siteCode's when given)",
      }),
    ),
    enabled: Type.Optional(
      Type.Enum(["true", "false"], { description: "on (or off) in environmentKey; needs environmentKey" }),
    ),
    ruleType: Type.Optional(
      Type.String({
        maxLength: 128,
        pattern: `^\\s*(${RULE_TYPES.join("|")})\\s*(,\\s*(${RULE_TYPES.join("|")})\\s*)*$`,
        description: `comma-separated, any of ${RULE_TYPES.join(", ")}: flags with such a rule in environmentKey (any environment without it)`,
      }),
    ),
    optionalFields: Type.Optional(
      Type.String({ maxLength: 1024, description: "accepted; every field is returned" }),
    ),
  },
  { additionalProperties: false },
);

interface SchemaIssue {
  keyword: string;
  instancePath: string;
  schemaPath?: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Formats schema issues like the HTTP layer does: `body.rolloutRules.0.exposition must be <= 100`. */
export function formatIssues(prefix: string, issues: SchemaIssue[]): string {
  // Branch errors of an anyOf only repeat the anyOf itself; keep the anyOf line.
  const meaningful = issues.filter(
    (issue) => !(issue.schemaPath ?? "").includes("/anyOf/") && issue.keyword !== "boolean",
  );
  const lines = meaningful.map((issue) => {
    const field = [prefix, ...issue.instancePath.split("/").filter(Boolean)].join(".");
    let extra = "";
    if (issue.keyword === "additionalProperties") {
      const names = issue.params.additionalProperties;
      extra = ` '${Array.isArray(names) ? names.join("', '") : String(names)}'`;
    } else if (issue.keyword === "enum") {
      extra = `: ${JSON.stringify(issue.params.allowedValues)}`;
    } else if (issue.keyword === "required") {
      const names = issue.params.requiredProperties ?? issue.params.missingProperty;
      const list = Array.isArray(names) ? names.map(String) : [String(names)];
      return `${field} must have required ${list.length === 1 ? "property" : "properties"} '${list.join("', '")}'`;
    }
    return `${field} ${issue.message ?? "is invalid"}${extra}`;
  });
  return [...new Set(lines)].slice(0, 20).join("; ");
}

/** A compiled check of a whole (merged) document; throws 400 naming the fields. */
export function schemaChecker(schema: TSchema) {
  const compiled = Compile(schema);
  return (value: unknown, prefix = "body"): void => {
    if (compiled.Check(value)) return;
    throw new ApiError(400, formatIssues(prefix, [...compiled.Errors(value)] as SchemaIssue[]));
  };
}

export const checkFlagDocument = schemaChecker(CreateFlagBody);
export const checkRule = schemaChecker(RuleSchema);
