import { type Static, Type } from "typebox";
import { CollectionOf, DateTimeString, LinksSchema, NoContent, responses } from "../http/response-schemas.js";

// Projects and environments as each API shows them: Vexil's own /projects (docs/api.md) and LaunchDarkly's
// Project and Environment representations (field names and types of LaunchDarkly's ProjectRep and
// Environment models).

const ClientSideAvailability = Type.Object({
  usingEnvironmentId: Type.Boolean(),
  usingMobileKey: Type.Boolean(),
});

/** An environment in Vexil's own API, with both SDK keys. */
export const EnvironmentViewSchema = Type.Object({
  key: Type.String(),
  name: Type.String(),
  color: Type.String(),
  serverSdkKey: Type.String({ description: "secret: downloads the whole configuration" }),
  clientSdkKey: Type.String({ description: "public: may only ask the server to evaluate" }),
  createdAt: DateTimeString,
});
export type EnvironmentView = Static<typeof EnvironmentViewSchema>;

/** A project in Vexil's own API, with its environments. */
export const ProjectViewSchema = Type.Object({
  key: Type.String(),
  name: Type.String(),
  description: Type.String(),
  tags: Type.Array(Type.String()),
  createdAt: DateTimeString,
  settings: Type.Object({
    includeInSnippetByDefault: Type.Optional(Type.Boolean()),
    defaultClientSideAvailability: Type.Optional(ClientSideAvailability),
    namingConvention: Type.Optional(
      Type.Object({ case: Type.Optional(Type.String()), prefix: Type.Optional(Type.String()) }),
    ),
  }),
  environments: Type.Array(EnvironmentViewSchema),
});
export type ProjectView = Static<typeof ProjectViewSchema>;

export const projectResponse = responses("kameleoon", { 200: ProjectViewSchema });
export const createdProjectResponse = responses("kameleoon", { 201: ProjectViewSchema });
export const projectListResponse = responses("kameleoon", { 200: Type.Array(ProjectViewSchema) });
export const environmentListResponse = responses("kameleoon", { 200: Type.Array(EnvironmentViewSchema) });
export const environmentResponse = responses("kameleoon", { 200: EnvironmentViewSchema });
export const deletedResponse = responses("kameleoon", { 204: NoContent });

/** LaunchDarkly's Environment. */
export const LaunchDarklyEnvironmentSchema = Type.Object({
  _links: LinksSchema,
  _id: Type.String(),
  key: Type.String(),
  name: Type.String(),
  apiKey: Type.String(),
  mobileKey: Type.String(),
  color: Type.String(),
  defaultTtl: Type.Integer(),
  secureMode: Type.Boolean(),
  defaultTrackEvents: Type.Boolean(),
  requireComments: Type.Boolean(),
  confirmChanges: Type.Boolean(),
  tags: Type.Array(Type.String()),
  critical: Type.Boolean(),
});
export type LaunchDarklyEnvironment = Static<typeof LaunchDarklyEnvironmentSchema>;

const launchDarklyProjectFields = {
  _links: LinksSchema,
  _id: Type.String(),
  key: Type.String(),
  name: Type.String(),
  tags: Type.Array(Type.String()),
  includeInSnippetByDefault: Type.Boolean(),
  defaultClientSideAvailability: ClientSideAvailability,
};

/** LaunchDarkly's Project (reads): `environments` is the Environments collection, with expand=environments. */
export const LaunchDarklyProjectSchema = Type.Object({
  ...launchDarklyProjectFields,
  environments: Type.Optional(CollectionOf(LaunchDarklyEnvironmentSchema)),
});
/** LaunchDarkly's ProjectRep (create): `environments` is a plain array. */
export const LaunchDarklyProjectRepSchema = Type.Object({
  ...launchDarklyProjectFields,
  environments: Type.Optional(Type.Array(LaunchDarklyEnvironmentSchema)),
});

export type LaunchDarklyProjectRep = Static<typeof LaunchDarklyProjectRepSchema>;

export const ldProjectResponse = responses("launchdarkly", { 200: LaunchDarklyProjectSchema });
export const ldCreatedProjectResponse = responses("launchdarkly", { 201: LaunchDarklyProjectRepSchema });
export const ldProjectListResponse = responses("launchdarkly", {
  200: CollectionOf(LaunchDarklyProjectSchema),
});
export const ldEnvironmentResponse = responses("launchdarkly", { 200: LaunchDarklyEnvironmentSchema });
export const ldEnvironmentListResponse = responses("launchdarkly", {
  200: CollectionOf(LaunchDarklyEnvironmentSchema),
});
export const ldDeletedResponse = responses("launchdarkly", { 204: NoContent });
