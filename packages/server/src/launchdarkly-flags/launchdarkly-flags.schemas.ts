import { Type } from "typebox";
import { JsonPatchBody } from "../http/json-patch.js";
import { LimitOffset } from "../http/launchdarkly-collections.js";

// Request and response schemas of LaunchDarkly's flags resource (REST API v2 "Feature flags"). Requests are
// closed: an undocumented field is a 400 naming it; documented fields Vexil cannot honour are refused by
// the routes with a 400 that says why. Responses declare every field the views emit.

const ProjectKey = Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}$" });
const FlagKey = Type.String({ pattern: "^[A-Za-z0-9._-]{1,255}$", description: "1-255 of [A-Za-z0-9._-]" });
const Link = Type.Object({ href: Type.String(), type: Type.String() });
const Links = Type.Record(Type.String(), Link);

export const ProjectParams = Type.Object({ projectKey: ProjectKey });
export const FlagParams = Type.Object({
  projectKey: ProjectKey,
  featureFlagKey: Type.String({ minLength: 1, maxLength: 255 }),
});

export const ListQuery = Type.Object(
  {
    ...LimitOffset,
    filter: Type.Optional(
      Type.String({ maxLength: 1000, description: "query, tags, archived, state, type" }),
    ),
    sort: Type.Optional(
      Type.String({ maxLength: 64, description: "key, name or creationDate; '-' descends" }),
    ),
    summary: Type.Optional(
      Type.String({ pattern: "^(0|1|true|false)$", description: "0: include rules and targets" }),
    ),
    env: Type.Optional(Type.String({ maxLength: 1000, description: "comma-separated environment keys" })),
    tag: Type.Optional(Type.String({ maxLength: 128 })),
    archived: Type.Optional(
      Type.Boolean({ description: "deprecated by LaunchDarkly: filter=archived:true" }),
    ),
  },
  { additionalProperties: false },
);
export const GetQuery = Type.Object(
  { env: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);

const Availability = Type.Object(
  { usingEnvironmentId: Type.Boolean(), usingMobileKey: Type.Boolean() },
  { additionalProperties: false },
);
const VariationInput = Type.Object(
  {
    _id: Type.Optional(Type.String({ maxLength: 64 })),
    value: Type.Unknown(),
    name: Type.Optional(Type.String({ maxLength: 255 })),
    description: Type.Optional(Type.String({ maxLength: 1000, description: "not supported: 400" })),
  },
  { additionalProperties: false },
);

/** LaunchDarkly's FeatureFlagBody. */
export const FlagPostBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    key: FlagKey,
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    includeInSnippet: Type.Optional(Type.Boolean({ description: "must equal the project's default" })),
    clientSideAvailability: Type.Optional(Availability),
    variations: Type.Optional(Type.Array(VariationInput, { minItems: 1, maxItems: 100 })),
    temporary: Type.Optional(Type.Boolean({ description: "false: Vexil health PERMANENT" })),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 100 })),
    customProperties: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: "not supported" }),
    ),
    defaults: Type.Optional(
      Type.Object(
        { onVariation: Type.Integer({ minimum: 0 }), offVariation: Type.Integer({ minimum: 0 }) },
        { additionalProperties: false },
      ),
    ),
    purpose: Type.Optional(Type.String({ maxLength: 64, description: "not supported" })),
    migrationSettings: Type.Optional(Type.Unknown({ description: "not supported" })),
    maintainerId: Type.Optional(Type.String({ maxLength: 128, description: "not supported" })),
    maintainerTeamKey: Type.Optional(Type.String({ maxLength: 128, description: "not supported" })),
    initialPrerequisites: Type.Optional(Type.Array(Type.Unknown(), { description: "not supported" })),
  },
  { additionalProperties: false },
);

const Instruction = Type.Object(
  { kind: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: true },
);
/** A JSON Patch, a commented one, or a semantic patch (Content-Type with domain-model=launchdarkly.semanticpatch). */
export const FlagPatchBody = Type.Union([
  JsonPatchBody,
  Type.Object(
    { comment: Type.Optional(Type.String({ maxLength: 5000 })), patch: JsonPatchBody },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      comment: Type.Optional(Type.String({ maxLength: 5000 })),
      environmentKey: Type.Optional(Type.String({ maxLength: 64 })),
      instructions: Type.Array(Instruction, { minItems: 1, maxItems: 100 }),
    },
    { additionalProperties: false },
  ),
]);

const CopyEnvironment = Type.Object(
  {
    key: Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}$" }),
    currentVersion: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export const COPY_ACTIONS = [
  "updateOn",
  "updatePrerequisites",
  "updateTargets",
  "updateRules",
  "updateFallthrough",
  "updateOffVariation",
] as const;
const CopyAction = Type.Union(COPY_ACTIONS.map((a) => Type.Literal(a)));
/** LaunchDarkly's FlagCopyConfigPost. */
export const CopyBody = Type.Object(
  {
    source: CopyEnvironment,
    target: CopyEnvironment,
    comment: Type.Optional(Type.String({ maxLength: 5000 })),
    includedActions: Type.Optional(Type.Array(CopyAction, { maxItems: 6 })),
    excludedActions: Type.Optional(Type.Array(CopyAction, { maxItems: 6 })),
  },
  { additionalProperties: false },
);

const Clause = Type.Object({
  _id: Type.Optional(Type.String()),
  attribute: Type.String(),
  op: Type.String(),
  values: Type.Array(Type.Unknown()),
  negate: Type.Boolean(),
  contextKind: Type.Optional(Type.String()),
});
const Rollout = Type.Object({
  variations: Type.Array(
    Type.Object({
      variation: Type.Integer(),
      weight: Type.Integer(),
      _untracked: Type.Optional(Type.Boolean()),
    }),
  ),
  bucketBy: Type.Optional(Type.String()),
  contextKind: Type.Optional(Type.String()),
  seed: Type.Optional(Type.Integer()),
});
const VariationOrRollout = Type.Object({
  variation: Type.Optional(Type.Integer()),
  rollout: Type.Optional(Rollout),
});
const Target = Type.Object({
  values: Type.Array(Type.String()),
  variation: Type.Integer(),
  contextKind: Type.Optional(Type.String()),
});
const Environment = Type.Object({
  on: Type.Boolean(),
  archived: Type.Boolean(),
  salt: Type.String(),
  sel: Type.String(),
  lastModified: Type.Integer(),
  version: Type.Integer(),
  targets: Type.Optional(Type.Array(Target)),
  contextTargets: Type.Optional(Type.Array(Target)),
  rules: Type.Optional(
    Type.Array(
      Type.Object({
        _id: Type.Optional(Type.String()),
        variation: Type.Optional(Type.Integer()),
        rollout: Type.Optional(Rollout),
        clauses: Type.Array(Clause),
        trackEvents: Type.Boolean(),
        description: Type.Optional(Type.String()),
      }),
    ),
  ),
  fallthrough: VariationOrRollout,
  offVariation: Type.Integer(),
  prerequisites: Type.Optional(Type.Array(Type.Object({ key: Type.String(), variation: Type.Integer() }))),
  _site: Link,
  _environmentName: Type.String(),
  _vexilNotServable: Type.Optional(
    Type.String({
      description:
        "Vexil extension: why LaunchDarkly's SDKs are served this flag as malformed in this environment",
    }),
  ),
  trackEvents: Type.Boolean(),
  trackEventsFallthrough: Type.Boolean(),
  _summary: Type.Object({
    variations: Type.Record(
      Type.String(),
      Type.Record(Type.String(), Type.Union([Type.Integer(), Type.Boolean()])),
    ),
    prerequisites: Type.Integer(),
  }),
});

/** LaunchDarkly's FeatureFlag. */
export const FeatureFlagSchema = Type.Object(
  {
    _links: Links,
    key: Type.String(),
    name: Type.String(),
    description: Type.String(),
    kind: Type.Union([Type.Literal("boolean"), Type.Literal("multivariate")]),
    _version: Type.Integer(),
    creationDate: Type.Integer(),
    includeInSnippet: Type.Boolean(),
    clientSideAvailability: Type.Object({
      usingEnvironmentId: Type.Boolean(),
      usingMobileKey: Type.Boolean(),
    }),
    variations: Type.Array(Type.Object({ _id: Type.String(), value: Type.Unknown(), name: Type.String() })),
    temporary: Type.Boolean(),
    tags: Type.Array(Type.String()),
    experiments: Type.Object({ baselineIdx: Type.Integer(), items: Type.Array(Type.Unknown()) }),
    customProperties: Type.Record(Type.String(), Type.Unknown()),
    archived: Type.Boolean(),
    deprecated: Type.Boolean(),
    defaults: Type.Object({ onVariation: Type.Integer(), offVariation: Type.Integer() }),
    environments: Type.Record(Type.String(), Environment),
  },
  { title: "LaunchDarklyFeatureFlag" },
);

/** LaunchDarkly's FeatureFlags collection. */
export const FeatureFlagsSchema = Type.Object(
  { items: Type.Array(FeatureFlagSchema), _links: Links, totalCount: Type.Integer() },
  { title: "LaunchDarklyFeatureFlags" },
);
