import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../app-context.js";
import { ApiError } from "../http/api-error.js";
import { principalOf } from "../http/authentication.js";
import { dropNullMembers, normalizePatchNulls } from "../http/merge-patch.js";
import { actorName, assertProjectAccess } from "../http/principal.js";
import type { TypedApp } from "../http/typed-app.js";
import { etagOf } from "../http/write-guards.js";
import {
  createdFlagResponse,
  deletedFlagResponse,
  flagListResponse,
  flagResponse,
} from "./flags.responses.js";
import {
  CreateFlagBody,
  DuplicateBody,
  EnvironmentParams,
  EnvironmentPatchBody,
  FlagParams,
  FlagPatchBody,
  ListQuery,
  RuleParams,
  RulePatchBody,
  SearchBody,
} from "./flags.schemas.js";
import { type FilterNode, parseFilter, parseSort, type SortKey } from "./flags.search.js";
import type { SearchCriteria } from "./flags.service.js";

const DEFAULT_PER_PAGE = 200;

function actorOf(request: FastifyRequest) {
  const principal = principalOf(request);
  return { name: actorName(principal), id: principal.tokenId };
}

function ifMatch(request: FastifyRequest): string | undefined {
  const header = request.headers["if-match"];
  return Array.isArray(header) ? header.join(",") : header;
}

/** Sends a flag with its version as ETag (send it back in If-Match for optimistic concurrency). */
function sendFlag(reply: FastifyReply, flag: { version: number }, status = 200) {
  return reply.status(status).header("etag", etagOf(flag.version)).send(flag);
}

/** Kameleoon-style paging headers; the body stays a plain array like Kameleoon's. */
function sendPage(reply: FastifyReply, items: unknown[], total: number, page: number, perPage: number) {
  return reply
    .header("x-pagination-total-count", String(total))
    .header("x-pagination-page-count", String(Math.max(1, Math.ceil(total / perPage))))
    .header("x-pagination-current-page", String(page))
    .header("x-pagination-per-page", String(perPage))
    .send(items);
}

type ListQueryValue = {
  siteCode?: string | undefined;
  page?: number | undefined;
  perPage?: number | undefined;
  filter?: string | undefined;
  sort?: string | undefined;
  tags?: string | undefined;
  health?: string | undefined;
  archived?: "true" | "false" | "all" | undefined;
  environmentKey?: string | undefined;
  enabled?: "true" | "false" | undefined;
  ruleType?: string | undefined;
};

const splitList = (value: string | undefined) =>
  value
    ?.split(",")
    .map((v) => v.trim())
    .filter(Boolean);

/** The caller's project scope and the common list criteria; 400 for an environment filter it cannot honour. */
async function criteriaOf(
  request: FastifyRequest,
  query: ListQueryValue,
  context: AppContext,
): Promise<Omit<SearchCriteria, "page" | "perPage">> {
  const principal = principalOf(request);
  if (query.siteCode) assertProjectAccess(principal, query.siteCode);
  if (query.enabled !== undefined && query.environmentKey === undefined) {
    throw new ApiError(
      400,
      "querystring.enabled needs querystring.environmentKey (the environment to look at)",
    );
  }
  if (query.environmentKey !== undefined && query.siteCode) {
    const keys = await context.services.flags.environmentKeys(context.db, query.siteCode);
    if (!keys.includes(query.environmentKey)) {
      throw new ApiError(
        400,
        `querystring.environmentKey '${query.environmentKey}' is not an environment of project '${query.siteCode}'`,
      );
    }
  }
  return {
    scope: principal.projectKey === null ? null : [principal.projectKey],
    siteCode: query.siteCode,
    tags: splitList(query.tags),
    health: splitList(query.health),
    archived: query.archived,
    environmentKey: query.environmentKey,
    enabled: query.enabled === undefined ? undefined : query.enabled === "true",
    ruleTypes: splitList(query.ruleType),
  };
}

/** Kameleoon's feature-flag dialect: /feature-flags... */
export function flagRoutes(app: TypedApp, context: AppContext) {
  const service = context.services.flags;
  const tags = ["feature-flags"];

  app.get(
    "/feature-flags",
    { config: { access: "reader" }, schema: { tags, querystring: ListQuery, response: flagListResponse } },
    async (request, reply) => {
      const query = request.query;
      let filter: FilterNode | undefined;
      if (query.filter !== undefined) {
        let raw: unknown;
        try {
          raw = JSON.parse(query.filter);
        } catch {
          throw new ApiError(400, "querystring.filter is not valid JSON");
        }
        filter = parseFilter(raw, "querystring.filter");
      }
      const sort: SortKey[] | undefined =
        query.sort === undefined ? undefined : parseSort(query.sort, "querystring.sort");
      const page = query.page ?? 1;
      const perPage = query.perPage ?? DEFAULT_PER_PAGE;
      const { items, total } = await service.search({
        ...(await criteriaOf(request, query, context)),
        filter,
        sort,
        page,
        perPage,
      });
      return sendPage(reply, items, total, page, perPage);
    },
  );

  app.post(
    "/feature-flags/search",
    {
      config: { access: "reader" },
      schema: { tags, querystring: ListQuery, body: SearchBody, response: flagListResponse },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      const query = request.query;
      const filter = body.filter === undefined ? undefined : parseFilter(body.filter, "body.filter");
      const sort = body.sort === undefined ? undefined : parseSort(body.sort, "body.sort");
      const page = body.page ?? query.page ?? 1;
      const perPage = body.perPage ?? query.perPage ?? DEFAULT_PER_PAGE;
      const { items, total } = await service.search({
        ...(await criteriaOf(request, query, context)),
        filter,
        sort,
        page,
        perPage,
      });
      return sendPage(reply, items, total, page, perPage);
    },
  );

  app.post(
    "/feature-flags",
    {
      config: { access: "writer" },
      preValidation: dropNullMembers,
      schema: { tags, body: CreateFlagBody, response: createdFlagResponse },
    },
    async (request, reply) => {
      assertProjectAccess(principalOf(request), request.body.siteCode);
      const flag = await service.create(actorOf(request), request.body);
      return sendFlag(reply, flag, 201);
    },
  );

  app.get(
    "/feature-flags/:siteCode/:featureKey",
    { config: { access: "reader" }, schema: { tags, params: FlagParams, response: flagResponse } },
    async (request, reply) => {
      // The body is serialised once per flag version by this route's response schema, then reused.
      const serialize = reply.getSerializationFunction("200") as (view: unknown) => string;
      const flag = await service.getSerialized(request.params.siteCode, request.params.featureKey, serialize);
      return reply
        .header("etag", etagOf(flag.version))
        .type("application/json; charset=utf-8")
        .send(flag.json);
    },
  );

  app.patch(
    "/feature-flags/:siteCode/:featureKey",
    {
      config: { access: "writer", ifMatch: true },
      preValidation: normalizePatchNulls,
      schema: { tags, params: FlagParams, body: FlagPatchBody, response: flagResponse },
    },
    async (request, reply) => {
      const { siteCode, featureKey } = request.params;
      const flag = await service.patch(actorOf(request), siteCode, featureKey, request.body, {
        ifMatch: ifMatch(request),
      });
      return sendFlag(reply, flag);
    },
  );

  app.patch(
    "/feature-flags/rules/:ruleId",
    {
      config: { access: "writer", ifMatch: true },
      preValidation: normalizePatchNulls,
      schema: { tags, params: RuleParams, body: RulePatchBody, response: flagResponse },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const flag = await service.patchRule(actorOf(request), request.params.ruleId, request.body, {
        ifMatch: ifMatch(request),
        authorize: (projectKey) => assertProjectAccess(principal, projectKey),
      });
      return sendFlag(reply, flag);
    },
  );

  app.patch(
    "/feature-flags/:siteCode/:featureKey/:environmentKey",
    {
      config: { access: "writer", ifMatch: true },
      preValidation: normalizePatchNulls,
      schema: { tags, params: EnvironmentParams, body: EnvironmentPatchBody, response: flagResponse },
    },
    async (request, reply) => {
      const { siteCode, featureKey, environmentKey } = request.params;
      const flag = await service.patchEnvironment(
        actorOf(request),
        siteCode,
        featureKey,
        environmentKey,
        request.body,
        {
          ifMatch: ifMatch(request),
        },
      );
      return sendFlag(reply, flag);
    },
  );

  // Kameleoon documents the duplicate call without a body; most HTTP clients still send
  // `Content-Type: application/json` with it, so here an empty JSON body means no body.
  app.register(async (scope: TypedApp) => {
    const parseJson = scope.getDefaultJsonParser("error", "error");
    scope.removeContentTypeParser("application/json");
    scope.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) =>
      body.length === 0 ? done(null, undefined) : parseJson(request, String(body), done),
    );
    scope.post(
      "/feature-flags/:siteCode/:featureKey/duplicate",
      {
        config: { access: "writer" },
        preValidation: async (request) => {
          request.body ??= {};
          await dropNullMembers(request);
        },
        schema: { tags, params: FlagParams, body: DuplicateBody, response: createdFlagResponse },
      },
      async (request, reply) => {
        const { siteCode, featureKey } = request.params;
        const flag = await service.duplicate(actorOf(request), siteCode, featureKey, request.body ?? {});
        return sendFlag(reply, flag, 201);
      },
    );
  });

  for (const [action, archived] of [
    ["archive", true],
    ["restore", false],
  ] as const) {
    app.post(
      `/feature-flags/:siteCode/:featureKey/${action}`,
      {
        config: { access: "writer", ifMatch: true },
        schema: { tags, params: FlagParams, response: flagResponse },
      },
      async (request, reply) => {
        const { siteCode, featureKey } = request.params;
        const flag = await service.setArchived(actorOf(request), siteCode, featureKey, archived, {
          ifMatch: ifMatch(request),
        });
        return sendFlag(reply, flag);
      },
    );
  }

  app.delete(
    "/feature-flags/:siteCode/:featureKey",
    {
      config: { access: "admin", ifMatch: true },
      schema: { tags, params: FlagParams, response: deletedFlagResponse },
    },
    async (request, reply) => {
      const { siteCode, featureKey } = request.params;
      await service.delete(actorOf(request), siteCode, featureKey, { ifMatch: ifMatch(request) });
      return reply.status(204).send();
    },
  );
}
