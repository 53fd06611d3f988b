import { type Static, Type } from "typebox";
import { KEY_PATTERN } from "./projects.service.js";

export const Key = Type.String({ pattern: KEY_PATTERN, description: "1-64 of [A-Za-z0-9._-]" });
export const ProjectParams = Type.Object({ projectKey: Key });
export const EnvironmentParams = Type.Object({ projectKey: Key, environmentKey: Key });
export const NewEnvironmentBody = Type.Object(
  {
    key: Key,
    name: Type.String({ minLength: 1, maxLength: 256 }),
    color: Type.Optional(Type.String({ maxLength: 16 })),
  },
  { additionalProperties: false },
);

const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 100 });

/** LaunchDarkly's EnvironmentPost: Vexil's fields plus LaunchDarkly's options (docs/api.md). */
export const LaunchDarklyEnvironmentBody = Type.Object(
  {
    key: Key,
    name: Type.String({ minLength: 1, maxLength: 256 }),
    color: Type.Optional(Type.String({ maxLength: 16 })),
    tags: Type.Optional(Tags),
    critical: Type.Optional(Type.Boolean()),
    requireComments: Type.Optional(
      Type.Boolean({ description: "flag changes through /api/v2/flags in this environment need a comment" }),
    ),
    confirmChanges: Type.Optional(Type.Boolean({ description: "kept and shown (a console setting)" })),
    defaultTtl: Type.Optional(Type.Integer({ minimum: 0, maximum: 525_600, description: "minutes" })),
    defaultTrackEvents: Type.Optional(Type.Boolean()),
    secureMode: Type.Optional(Type.Boolean({ description: "false only: secure mode is not supported" })),
    source: Type.Optional(
      Type.Object(
        { key: Type.Optional(Key), version: Type.Optional(Type.Integer()) },
        { additionalProperties: false, description: "not supported: 400" },
      ),
    ),
  },
  { additionalProperties: false },
);
export type LaunchDarklyEnvironmentInput = Static<typeof LaunchDarklyEnvironmentBody>;

const NAMING_CASES = ["camelCase", "upperCamelCase", "snakeCase", "kebabCase", "constantCase"] as const;

/** LaunchDarkly's ProjectPost. */
export const LaunchDarklyProjectBody = Type.Object(
  {
    key: Key,
    name: Type.String({ minLength: 1, maxLength: 256 }),
    tags: Type.Optional(Tags),
    includeInSnippetByDefault: Type.Optional(Type.Boolean()),
    defaultClientSideAvailability: Type.Optional(
      Type.Object(
        { usingEnvironmentId: Type.Boolean(), usingMobileKey: Type.Boolean() },
        { additionalProperties: false },
      ),
    ),
    namingConvention: Type.Optional(
      Type.Object(
        {
          case: Type.Optional(Type.Union(NAMING_CASES.map((c) => Type.Literal(c)))),
          prefix: Type.Optional(Type.String({ maxLength: 64 })),
        },
        { additionalProperties: false },
      ),
    ),
    environments: Type.Optional(Type.Array(LaunchDarklyEnvironmentBody, { minItems: 1, maxItems: 50 })),
  },
  { additionalProperties: false },
);
