import { Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { principalOf } from "../http/authentication.js";
import { dropNullMembers, mergePatchBody, normalizePatchNulls } from "../http/merge-patch.js";
import { actorName, assertProjectAccess } from "../http/principal.js";
import type { TypedApp } from "../http/typed-app.js";
import {
  createdGoalResponse,
  deletedGoalResponse,
  goalListResponse,
  goalResponse,
} from "./goals.responses.js";
import { CappingSettingsBody, goalView } from "./goals.service.js";

const SiteCode = Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}$" });
const GoalKey = Type.String({
  pattern: "^[A-Za-z0-9._-]{1,128}$",
  description: "unique in the project (metricKey)",
});

const goalFields = {
  key: Type.Optional(GoalKey),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  kind: Type.Optional(Type.Enum(["custom", "pageview", "click"])),
  type: Type.Optional(
    Type.Enum(["CUSTOM", "PAGE_URL", "CLICK"], { description: "Kameleoon's name of `kind`" }),
  ),
  eventKey: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  isNumeric: Type.Optional(Type.Boolean()),
  unit: Type.Optional(Type.String({ maxLength: 64 })),
  successCriteria: Type.Optional(Type.Enum(["HigherThanBaseline", "LowerThanBaseline"])),
  unitAggregationType: Type.Optional(Type.Enum(["sum", "average"])),
  hasMultipleConversions: Type.Optional(Type.Boolean()),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 100 })),
  cappingSettings: Type.Optional(CappingSettingsBody),
  id: Type.Optional(Type.Integer({ description: "read-only" })),
  dateCreated: Type.Optional(Type.String()),
  dateModified: Type.Optional(Type.String()),
};

const CreateGoalBody = Type.Object(
  { siteCode: SiteCode, name: Type.String({ minLength: 1, maxLength: 256 }), ...goalFields },
  { additionalProperties: false },
);

const GoalPatchBody = mergePatchBody(CreateGoalBody, "JSON Merge Patch of a goal");

const GoalParams = Type.Object({ goalId: Type.Integer({ minimum: 1 }) });
const ListQuery = Type.Object({ siteCode: Type.Optional(SiteCode) }, { additionalProperties: false });

/** Goals (metrics) under /goals. */
export function goalRoutes(app: TypedApp, context: AppContext) {
  const service = context.services.goals;
  const tags = ["goals"];
  const actorOf = (request: Parameters<typeof principalOf>[0]) => {
    const principal = principalOf(request);
    return { name: actorName(principal), id: principal.tokenId };
  };

  app.get(
    "/goals",
    { config: { access: "reader" }, schema: { tags, querystring: ListQuery, response: goalListResponse } },
    async (request) => {
      const principal = principalOf(request);
      const siteCode = request.query.siteCode;
      if (siteCode) assertProjectAccess(principal, siteCode);
      const scope = siteCode ? [siteCode] : principal.projectKey === null ? null : [principal.projectKey];
      return (await service.list(scope)).map(goalView);
    },
  );

  app.post(
    "/goals",
    {
      config: { access: "writer" },
      preValidation: dropNullMembers,
      schema: { tags, body: CreateGoalBody, response: createdGoalResponse },
    },
    async (request, reply) => {
      assertProjectAccess(principalOf(request), request.body.siteCode);
      const goal = await service.create(actorOf(request), request.body);
      return reply.status(201).send(goalView(goal));
    },
  );

  app.get(
    "/goals/:goalId",
    { config: { access: "reader" }, schema: { tags, params: GoalParams, response: goalResponse } },
    async (request) => {
      const goal = await service.get(request.params.goalId);
      assertProjectAccess(principalOf(request), goal.projectKey);
      return goalView(goal);
    },
  );

  app.patch(
    "/goals/:goalId",
    {
      config: { access: "writer" },
      preValidation: normalizePatchNulls,
      schema: { tags, params: GoalParams, body: GoalPatchBody, response: goalResponse },
    },
    async (request) => {
      const existing = await service.get(request.params.goalId);
      assertProjectAccess(principalOf(request), existing.projectKey);
      return goalView(await service.update(actorOf(request), request.params.goalId, request.body));
    },
  );

  app.delete(
    "/goals/:goalId",
    { config: { access: "writer" }, schema: { tags, params: GoalParams, response: deletedGoalResponse } },
    async (request, reply) => {
      const existing = await service.get(request.params.goalId);
      assertProjectAccess(principalOf(request), existing.projectKey);
      await service.delete(actorOf(request), request.params.goalId);
      return reply.status(204).send();
    },
  );
}
