import { Type } from "typebox";
import { LinksSchema, NoContent, Nullable, responses } from "../http/response-schemas.js";
import { StatementSchema } from "./webhook-statements.js";

// Webhooks as LaunchDarkly's Webhook model shows them, their delivery log and the notification email log
// (docs/notifications.md).

/** LaunchDarkly's Webhook; `secret` only for admins. */
export const WebhookViewSchema = Type.Object({
  _links: LinksSchema,
  _id: Type.String(),
  name: Type.Optional(Type.String()),
  url: Type.String(),
  secret: Type.Optional(Type.String()),
  sign: Type.Boolean(),
  on: Type.Boolean(),
  tags: Type.Array(Type.String()),
  statements: Type.Array(StatementSchema),
});

const NullableInt = Nullable(Type.Integer());

export const DeliveryViewSchema = Type.Object({
  _id: Type.String(),
  status: Type.Enum(["PENDING", "DELIVERED", "FAILED"]),
  attempts: Type.Integer(),
  responseStatus: NullableInt,
  error: Nullable(Type.String()),
  createdAt: Type.Integer(),
  lastAttemptAt: NullableInt,
  nextAttemptAt: NullableInt,
  deliveredAt: NullableInt,
  event: Type.Object({
    _id: Type.String(),
    kind: Type.String(),
    title: Type.String(),
    action: Type.String(),
    projectKey: Type.String(),
    featureKey: Type.String(),
  }),
});

const Collection = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ _links: LinksSchema, items: Type.Array(item), totalCount: Type.Integer() });

export const webhookResponse = responses("launchdarkly", { 200: WebhookViewSchema });
export const webhookListResponse = responses("launchdarkly", { 200: Collection(WebhookViewSchema) });
export const deliveryListResponse = responses("launchdarkly", { 200: Collection(DeliveryViewSchema) });
export const deletedWebhookResponse = responses("launchdarkly", { 204: NoContent });

export const emailListResponse = responses("kameleoon", {
  200: Type.Object({
    items: Type.Array(
      Type.Object({
        id: Type.Integer(),
        kind: Type.String(),
        projectKey: Type.String(),
        featureKey: Type.String(),
        flagId: Type.Integer(),
        environmentKey: Type.String(),
        ruleId: NullableInt,
        recipients: Type.Array(Type.String()),
        subject: Type.String(),
        body: Type.String(),
        status: Type.Enum(["PENDING", "SENT", "FAILED", "SKIPPED"]),
        attempts: Type.Integer(),
        error: Nullable(Type.String()),
        messageId: Nullable(Type.String()),
        sentAt: NullableInt,
        createdAt: Type.Integer(),
        updatedAt: Type.Integer(),
      }),
    ),
    total: Type.Integer(),
  }),
});
