import { randomBytes } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { type Static, Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { schemaChecker } from "../flags/flags.schemas.js";
import { notFound } from "../http/api-error.js";
import { principalOf } from "../http/authentication.js";
import { type CallbackPolicy, checkCallbackUrl } from "../http/callback-target.js";
import { applyJsonPatch, type JsonPatch, JsonPatchBody } from "../http/json-patch.js";
import { methodNotAllowed } from "../http/launchdarkly-http.js";
import { actorName, assertProjectAccess } from "../http/principal.js";
import type { TypedApp } from "../http/typed-app.js";
import { emailsStore } from "./emails.store.js";
import {
  deletedWebhookResponse,
  deliveryListResponse,
  emailListResponse,
  webhookListResponse,
  webhookResponse,
} from "./notifications.responses.js";
import { checkStatements, StatementSchema } from "./webhook-statements.js";
import { type Delivery, type Webhook, type WebhookFields, webhooksStore } from "./webhooks.store.js";

const WebhookBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    secret: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    sign: Type.Optional(Type.Boolean()),
    on: Type.Optional(Type.Boolean()),
    name: Type.Optional(Type.String({ maxLength: 256 })),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 100 })),
    statements: Type.Optional(Type.Array(StatementSchema, { maxItems: 50 })),
  },
  { additionalProperties: false },
);
type WebhookInput = Static<typeof WebhookBody>;
const checkPatchedWebhook = schemaChecker(WebhookBody);

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

const link = (href: string) => ({ href, type: "application/json" });
const webhookPath = (id: number) => `/api/v2/webhooks/${id}`;

/** LaunchDarkly's Webhook representation; the secret only for admins (it signs what receivers trust). */
function webhookView(webhook: Webhook, showSecret: boolean) {
  return {
    _links: {
      self: link(webhookPath(webhook.id)),
      deliveries: link(`${webhookPath(webhook.id)}/deliveries`),
    },
    _id: String(webhook.id),
    ...(webhook.name === null ? {} : { name: webhook.name }),
    url: webhook.url,
    ...(showSecret && webhook.secret !== null ? { secret: webhook.secret } : {}),
    sign: webhook.sign,
    on: webhook.on,
    tags: webhook.tags,
    statements: webhook.statements,
  };
}

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

/** The fields stored for a body: defaults applied, a secret generated when signing without one. */
function webhookFields(input: WebhookInput): WebhookFields {
  const sign = input.sign ?? input.secret !== undefined;
  return {
    name: input.name ?? null,
    url: input.url,
    secret: input.secret ?? (sign ? randomBytes(32).toString("hex") : null),
    sign,
    on: input.on ?? true,
    tags: input.tags ?? [],
    statements: input.statements ?? [],
  };
}

/** Webhooks (LaunchDarkly's REST v2 resource) with their delivery log and the email log. */
export function notificationRoutes(app: TypedApp, context: AppContext) {
  const policy: CallbackPolicy = {
    allowPrivate: context.config.callbackAllowPrivate,
    allowedHosts: context.config.callbackAllowedHosts,
  };
  const tags = ["launchdarkly: webhooks"];

  async function existing(id: string): Promise<Webhook> {
    const webhook = /^\d{1,15}$/.test(id) ? await webhooksStore.find(context.db, Number(id)) : undefined;
    if (!webhook) throw notFound(`Webhook '${id}' not found`);
    return webhook;
  }

  async function audit(request: FastifyRequest, action: string, before?: Webhook, after?: Webhook) {
    await context.outbox.publish(
      context.db,
      {
        projectKey: null,
        actor: actorName(principalOf(request)),
        action,
        resourceType: "webhook",
        resourceId: String((after ?? before)!.id),
        ...(before ? { before: webhookView(before, false) } : {}),
        ...(after ? { after: webhookView(after, false) } : {}),
      },
      new Date(context.now()),
    );
  }

  app.get(
    "/api/v2/webhooks",
    { config: { access: "reader", scope: "global" }, schema: { tags, response: webhookListResponse } },
    async (request) => {
      const showSecret = principalOf(request).role === "admin";
      const items = (await webhooksStore.list(context.db)).map((w) => webhookView(w, showSecret));
      return { _links: { self: link("/api/v2/webhooks") }, items, totalCount: items.length };
    },
  );

  app.post(
    "/api/v2/webhooks",
    {
      config: { access: "admin", scope: "global" },
      schema: { tags, body: WebhookBody, response: webhookResponse },
    },
    async (request) => {
      const input = request.body;
      checkStatements(input.statements ?? []);
      await checkCallbackUrl(input.url, policy, "body.url");
      const webhook = await webhooksStore.insert(
        context.db,
        webhookFields(input),
        actorName(principalOf(request)),
        context.now(),
      );
      await audit(request, "webhook.create", undefined, webhook);
      return webhookView(webhook, true);
    },
  );

  app.get(
    "/api/v2/webhooks/:id",
    {
      config: { access: "reader", scope: "global" },
      schema: { tags, params: WebhookParams, response: webhookResponse },
    },
    async (request) => {
      return webhookView(await existing(request.params.id), principalOf(request).role === "admin");
    },
  );

  app.patch(
    "/api/v2/webhooks/:id",
    {
      config: { access: "admin", scope: "global" },
      schema: { tags, params: WebhookParams, body: JsonPatchBody, response: webhookResponse },
    },
    async (request) => {
      const current = await existing(request.params.id);
      const document: Record<string, unknown> = {
        url: current.url,
        sign: current.sign,
        on: current.on,
        tags: current.tags,
        statements: current.statements,
        ...(current.name === null ? {} : { name: current.name }),
        ...(current.secret === null ? {} : { secret: current.secret }),
      };
      const next = applyJsonPatch(document, request.body as JsonPatch, [
        "/url",
        "/secret",
        "/sign",
        "/on",
        "/name",
        "/tags",
        "/statements",
      ]);
      checkPatchedWebhook(next, "webhook");
      const input = next as WebhookInput;
      checkStatements(input.statements ?? [], "webhook.statements");
      if (input.url !== current.url) await checkCallbackUrl(input.url, policy, "webhook.url");
      await webhooksStore.update(
        context.db,
        current.id,
        webhookFields({ ...input, sign: input.sign ?? false }),
        context.now(),
      );
      const updated = (await webhooksStore.find(context.db, current.id))!;
      await audit(request, "webhook.update", current, updated);
      return webhookView(updated, true);
    },
  );

  app.delete(
    "/api/v2/webhooks/:id",
    {
      config: { access: "admin", scope: "global" },
      schema: { tags, params: WebhookParams, response: deletedWebhookResponse },
    },
    async (request, reply) => {
      const current = await existing(request.params.id);
      await webhooksStore.delete(context.db, current.id);
      await audit(request, "webhook.delete", current);
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
      const webhook = await existing(request.params.id);
      const { limit, offset, status } = request.query;
      const { items, total } = await webhooksStore.deliveries(context.db, webhook.id, {
        limit,
        offset,
        status,
      });
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
      return emailsStore.list(context.db, { ...request.query, projectKey });
    },
  );
}
