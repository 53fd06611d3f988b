import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { principalOf } from "../http/authentication.js";
import { type JsonPatch, JsonPatchBody } from "../http/json-patch.js";
import { methodNotAllowed } from "../http/launchdarkly-http.js";
import { actorName, assertProjectAccess } from "../http/principal.js";
import type { TypedApp } from "../http/typed-app.js";
import {
  deletedWebhookResponse,
  deliveryListResponse,
  emailListResponse,
  webhookListResponse,
  webhookResponse,
} from "./notifications.responses.js";
import { link, WebhookBody, webhookPath, webhookView } from "./webhooks.service.js";
import type { Delivery } from "./webhooks.store.js";

const WebhookParams = Type.Object({ id: Type.String({ maxLength: 32 }) });
const DELIVERY_STATUSES = ["PENDING", "DELIVERED", "FAILED"] as const;
const DeliveriesQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 20 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
    status: Type.Optional(Type.Union(DELIVERY_STATUSES.map((s) => Type.Literal(s)))),
  },
  { additionalProperties: false },
);
const EmailsQuery = Type.Object(
  {
    projectKey: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);

function deliveryView(delivery: Delivery) {
  return {
    _id: String(delivery.id),
    status: delivery.status,
    attempts: delivery.attempts,
    responseStatus: delivery.responseStatus,
    error: delivery.error,
    createdAt: delivery.createdAt,
    lastAttemptAt: delivery.lastAttemptAt,
    nextAttemptAt: delivery.nextAttemptAt,
    deliveredAt: delivery.deliveredAt,
    event: {
      _id: String(delivery.eventId),
      kind: "flag",
      title: delivery.title,
      action: delivery.action,
      projectKey: delivery.projectKey,
      featureKey: delivery.featureKey,
    },
  };
}

/** Webhooks (LaunchDarkly's REST v2 resource) with their delivery log and the email log. */
export function notificationRoutes(app: TypedApp, context: AppContext) {
  const service = context.services.webhooks;
  const tags = ["launchdarkly: webhooks"];
  const actorOf = (request: FastifyRequest) => actorName(principalOf(request));

  app.get(
    "/api/v2/webhooks",
    { config: { access: "reader", scope: "global" }, schema: { tags, response: webhookListResponse } },
    async (request) => {
      const showSecret = principalOf(request).role === "admin";
      const items = (await service.list()).map((w) => webhookView(w, showSecret));
      return { _links: { self: link("/api/v2/webhooks") }, items, totalCount: items.length };
    },
  );

  app.post(
    "/api/v2/webhooks",
    {
      config: { access: "admin", scope: "global" },
      schema: { tags, body: WebhookBody, response: webhookResponse },
    },
    async (request) => webhookView(await service.create(actorOf(request), request.body), true),
  );

  app.get(
    "/api/v2/webhooks/:id",
    {
      config: { access: "reader", scope: "global" },
      schema: { tags, params: WebhookParams, response: webhookResponse },
    },
    async (request) => {
      return webhookView(await service.get(request.params.id), principalOf(request).role === "admin");
    },
  );

  app.patch(
    "/api/v2/webhooks/:id",
    {
      config: { access: "admin", scope: "global" },
      schema: { tags, params: WebhookParams, body: JsonPatchBody, response: webhookResponse },
    },
    async (request) =>
      webhookView(await service.update(actorOf(request), request.params.id, request.body as JsonPatch), true),
  );

  app.delete(
    "/api/v2/webhooks/:id",
    {
      config: { access: "admin", scope: "global" },
      schema: { tags, params: WebhookParams, response: deletedWebhookResponse },
    },
    async (request, reply) => {
      await service.delete(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    "/api/v2/webhooks/:id/deliveries",
    {
      config: { access: "reader", scope: "global" },
      schema: {
        tags,
        description: "Vexil extension: the webhook's delivery log, newest first.",
        params: WebhookParams,
        querystring: DeliveriesQuery,
        response: deliveryListResponse,
      },
    },
    async (request) => {
      const webhook = await service.get(request.params.id);
      const { limit, offset, status } = request.query;
      const { items, total } = await service.deliveries(webhook.id, { limit, offset, status });
      const base = `${webhookPath(webhook.id)}/deliveries`;
      const href = (at: number) => `${base}?${status ? `status=${status}&` : ""}limit=${limit}&offset=${at}`;
      const links: Record<string, { href: string; type: string }> = {
        self: link(href(offset)),
        parent: link(webhookPath(webhook.id)),
        first: link(href(0)),
      };
      if (offset + limit < total) links.next = link(href(offset + limit));
      if (offset > 0) links.prev = link(href(Math.max(0, offset - limit)));
      return { _links: links, items: items.map(deliveryView), totalCount: total };
    },
  );

  methodNotAllowed(app, "/api/v2/webhooks", ["GET", "POST"]);
  methodNotAllowed(app, "/api/v2/webhooks/:id", ["GET", "PATCH", "DELETE"]);
  methodNotAllowed(app, "/api/v2/webhooks/:id/deliveries", ["GET"]);

  app.get(
    "/notification-emails",
    {
      config: { access: "reader" },
      schema: { tags: ["notifications"], querystring: EmailsQuery, response: emailListResponse },
    },
    async (request) => {
      const principal = principalOf(request);
      const projectKey = request.query.projectKey ?? principal.projectKey ?? undefined;
      if (projectKey) assertProjectAccess(principal, projectKey);
      return service.emails({ ...request.query, projectKey });
    },
  );
}
