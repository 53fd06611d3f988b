import { Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { principalOf } from "../http/authentication.js";
import { dropNullMembers, mergePatchBody, normalizePatchNulls } from "../http/merge-patch.js";
import { actorName, assertProjectAccess } from "../http/principal.js";
import type { TypedApp } from "../http/typed-app.js";
import { etagOf } from "../http/write-guards.js";
import {
  createdSegmentResponse,
  deletedSegmentResponse,
  segmentListResponse,
  segmentResponse,
  segmentUsageResponse,
} from "./segments.responses.js";
import { segmentView } from "./segments.service.js";

const SiteCode = Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}$" });
const VisitorCodes = Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 10_000 });
const Condition = Type.Unknown({
  description:
    "{all:[...]} | {any:[...]} | {not:{...}} | {attribute, operator, values[], negate?}; operators: equals, in, startsWith, endsWith, contains, matches, lt, lte, gt, gte, before, after, semverEq, semverLt, semverLte, semverGt, semverGte, exists, inCidr, inSegment",
});

const segmentFields = {
  name: Type.String({ minLength: 1, maxLength: 256 }),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 100 })),
  condition: Type.Optional(Condition),
  included: Type.Optional(VisitorCodes),
  excluded: Type.Optional(VisitorCodes),
};
const readOnly = {
  id: Type.Optional(Type.Integer()),
  version: Type.Optional(Type.Integer()),
  dateCreated: Type.Optional(Type.String()),
  dateModified: Type.Optional(Type.String()),
};

const CreateSegmentBody = Type.Object(
  { siteCode: SiteCode, ...segmentFields, ...readOnly },
  { additionalProperties: false },
);
const SegmentPatchBody = mergePatchBody(CreateSegmentBody, "JSON Merge Patch; `condition` is replaced whole");
const SegmentParams = Type.Object({ segmentId: Type.Integer({ minimum: 1 }) });
const ListQuery = Type.Object({ siteCode: Type.Optional(SiteCode) }, { additionalProperties: false });

/** Kameleoon-dialect segments under /segments. */
export function segmentRoutes(app: TypedApp, context: AppContext) {
  const service = context.services.segments;
  const tags = ["segments"];
  const actorOf = (request: Parameters<typeof principalOf>[0]) => {
    const principal = principalOf(request);
    return { name: actorName(principal), id: principal.tokenId };
  };

  app.get(
    "/segments",
    { config: { access: "reader" }, schema: { tags, querystring: ListQuery, response: segmentListResponse } },
    async (request) => {
      const principal = principalOf(request);
      const siteCode = request.query.siteCode;
      if (siteCode) assertProjectAccess(principal, siteCode);
      const scope = siteCode ? [siteCode] : principal.projectKey === null ? null : [principal.projectKey];
      return (await service.list(scope)).map(segmentView);
    },
  );

  app.post(
    "/segments",
    {
      config: { access: "writer" },
      preValidation: dropNullMembers,
      schema: { tags, body: CreateSegmentBody, response: createdSegmentResponse },
    },
    async (request, reply) => {
      assertProjectAccess(principalOf(request), request.body.siteCode);
      const segment = await service.create(actorOf(request), request.body);
      return reply.status(201).header("etag", etagOf(segment.version)).send(segment);
    },
  );

  app.get(
    "/segments/:segmentId",
    { config: { access: "reader" }, schema: { tags, params: SegmentParams, response: segmentResponse } },
    async (request, reply) => {
      const segment = await service.get(request.params.segmentId);
      assertProjectAccess(principalOf(request), segment.projectKey);
      return reply.header("etag", etagOf(segment.version)).send(segmentView(segment));
    },
  );

  app.get(
    "/segments/:segmentId/usage",
    {
      config: { access: "reader" },
      schema: {
        tags,
        params: SegmentParams,
        response: segmentUsageResponse,
      },
    },
    async (request) => {
      const segment = await service.get(request.params.segmentId);
      assertProjectAccess(principalOf(request), segment.projectKey);
      return service.usedBy(segment);
    },
  );

  app.patch(
    "/segments/:segmentId",
    {
      config: { access: "writer", ifMatch: true },
      preValidation: normalizePatchNulls,
      schema: { tags, params: SegmentParams, body: SegmentPatchBody, response: segmentResponse },
    },
    async (request, reply) => {
      const existing = await service.get(request.params.segmentId);
      assertProjectAccess(principalOf(request), existing.projectKey);
      const segment = await service.update(actorOf(request), request.params.segmentId, request.body, {
        ifMatch: request.headers["if-match"],
      });
      return reply.header("etag", etagOf(segment.version)).send(segment);
    },
  );

  app.delete(
    "/segments/:segmentId",
    {
      config: { access: "writer", ifMatch: true },
      schema: { tags, params: SegmentParams, response: deletedSegmentResponse },
    },
    async (request, reply) => {
      const existing = await service.get(request.params.segmentId);
      assertProjectAccess(principalOf(request), existing.projectKey);
      await service.delete(actorOf(request), request.params.segmentId, {
        ifMatch: request.headers["if-match"],
      });
      return reply.status(204).send();
    },
  );
}
