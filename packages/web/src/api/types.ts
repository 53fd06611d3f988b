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
