import type { paths } from "./openapi.generated.js";

type Json<T> = T extends { content: { "application/json": infer B } } ? B : never;
type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: infer R }
  ? Json<NonNullable<R>>
  : never;
type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: { 200: infer R } }
  ? Json<R>
  : never;

// Flags and segments are typed by the request schemas the server validates (their response schemas are
// the same documents plus read-only fields, which the server also accepts back).
export type FlagDocument = Body<"/feature-flags", "post">;
export type Flag = FlagDocument & {
  id: number;
  version: number;
  siteCode: string;
  health: "HEALTHY" | "PERMANENT" | "STALE" | "SMELLY";
  archived: boolean;
  dateModified: string;
};
export type EnvironmentConfiguration = NonNullable<FlagDocument["environmentConfigurations"]>[number] & {
  environmentKey: string;
};
export type Rule = NonNullable<EnvironmentConfiguration["rolloutRules"]>[number];
export type RuleType = Rule["type"];
export type RolloutConfiguration = NonNullable<Rule["rolloutConfiguration"]>;
export type TrafficAllocation = NonNullable<Rule["trafficAllocations"]>[number];
export type Variation = NonNullable<FlagDocument["variations"]>[number];
export type Variable = NonNullable<FlagDocument["variables"]>[number];
export type SegmentInput = Body<"/segments", "post">;
export type Segment = SegmentInput & { id: number; version: number; siteCode: string };
export type Session = Ok<"/session", "get">;
export type User = Session["user"];
type ProjectInput = Body<"/projects", "post">;
export type Project = Omit<ProjectInput, "environments"> & {
  environments: (NonNullable<ProjectInput["environments"]>[number] & {
    serverSdkKey: string;
    clientSdkKey: string;
  })[];
};

// Administration and configuration screens (src/admin, src/goals).
type Created<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 201: infer R };
}
  ? Json<R>
  : never;
export type EnvironmentView = Ok<"/projects/{projectKey}/environments", "get">[number];
export type NewEnvironment = Body<"/projects/{projectKey}/environments", "post">;
export type ApiToken = Ok<"/tokens", "get">[number];
export type NewApiToken = Body<"/tokens", "post">;
export type CreatedApiToken = Created<"/tokens", "post">;
export type Webhook = Ok<"/api/v2/webhooks", "get">["items"][number];
export type WebhookInput = Body<"/api/v2/webhooks", "post">;
export type WebhookDelivery = Ok<"/api/v2/webhooks/{id}/deliveries", "get">["items"][number];
export type AccountUser = Ok<"/users", "get">[number];
export type NewAccountUser = Body<"/users", "post">;
export type AccountUserChanges = Body<"/users/{userId}", "patch">;
export type AuditEntry = Ok<"/audit-log", "get">["items"][number];
export type AuditQuery = NonNullable<paths["/audit-log"]["get"]["parameters"]["query"]>;
export type Goal = Ok<"/goals", "get">[number];
export type GoalInput = Body<"/goals", "post">;
export type LaunchDarklyMetric = Ok<"/api/v2/metrics/{projectKey}", "get">["items"][number];

// Experiments and results (src/experiments).
export type ResultsRequest = Body<"/feature-flags/{featureFlagId}/results", "post">;
export type ResultsEnvelope = Ok<"/results", "get">;
export type ResultsReport = NonNullable<ResultsEnvelope["data"]>;
export type Experiment = Ok<
  "/api/v2/projects/{projectKey}/environments/{environmentKey}/experiments",
  "get"
>["items"][number];
