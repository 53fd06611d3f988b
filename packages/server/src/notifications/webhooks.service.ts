import { randomBytes } from "node:crypto";
import { type Static, Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { schemaChecker } from "../flags/flags.schemas.js";
import { notFound } from "../http/api-error.js";
import { checkCallbackUrl } from "../http/callback-target.js";
import { applyJsonPatch, type JsonPatch } from "../http/json-patch.js";
import { emailsStore } from "./emails.store.js";
import { checkStatements, StatementSchema } from "./webhook-statements.js";
import { type Webhook, type WebhookFields, webhooksStore } from "./webhooks.store.js";

export const WebhookBody = Type.Object(
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

export const link = (href: string) => ({ href, type: "application/json" });
export const webhookPath = (id: number) => `/api/v2/webhooks/${id}`;

/** LaunchDarkly's Webhook representation; the secret only for admins (it signs what receivers trust). */
export function webhookView(webhook: Webhook, showSecret: boolean) {
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

/** Webhooks and the notification email log: checked, stored, and audited in the same transaction. */
export class WebhooksService {
  constructor(private readonly context: AppContext) {}

  private get policy() {
    return {
      allowPrivate: this.context.config.callbackAllowPrivate,
      allowedHosts: this.context.config.callbackAllowedHosts,
    };
  }

  /** Every webhook. */
  list(): Promise<Webhook[]> {
    return webhooksStore.list(this.context.db);
  }

  /** A webhook by its id as the API writes it, or 404. */
  async get(id: string): Promise<Webhook> {
    const webhook = /^\d{1,15}$/.test(id) ? await webhooksStore.find(this.context.db, Number(id)) : undefined;
    if (!webhook) throw notFound(`Webhook '${id}' not found`);
    return webhook;
  }

  /** Creates a webhook (its URL checked against the callback policy). */
  async create(actor: string, input: WebhookInput): Promise<Webhook> {
    checkStatements(input.statements ?? []);
    await checkCallbackUrl(input.url, this.policy, "body.url");
    return this.context.db.transaction().execute(async (trx) => {
      const webhook = await webhooksStore.insert(trx, webhookFields(input), actor, this.context.now());
      await this.audit(trx, actor, "webhook.create", undefined, webhook);
      return webhook;
    });
  }

  /** Applies a JSON Patch to a webhook's fields. */
  async update(actor: string, id: string, patch: JsonPatch): Promise<Webhook> {
    const current = await this.get(id);
    const document: Record<string, unknown> = {
      url: current.url,
      sign: current.sign,
      on: current.on,
      tags: current.tags,
      statements: current.statements,
      ...(current.name === null ? {} : { name: current.name }),
      ...(current.secret === null ? {} : { secret: current.secret }),
    };
    const next = applyJsonPatch(document, patch, [
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
    if (input.url !== current.url) await checkCallbackUrl(input.url, this.policy, "webhook.url");
    return this.context.db.transaction().execute(async (trx) => {
      await webhooksStore.update(
        trx,
        current.id,
        webhookFields({ ...input, sign: input.sign ?? false }),
        this.context.now(),
      );
      const updated = (await webhooksStore.find(trx, current.id))!;
      await this.audit(trx, actor, "webhook.update", current, updated);
      return updated;
    });
  }

  /** Deletes a webhook (404 when unknown). */
  async delete(actor: string, id: string): Promise<void> {
    const current = await this.get(id);
    await this.context.db.transaction().execute(async (trx) => {
      await webhooksStore.delete(trx, current.id);
      await this.audit(trx, actor, "webhook.delete", current);
    });
  }

  /** A webhook's delivery log, newest first. */
  deliveries(webhookId: number, query: Parameters<typeof webhooksStore.deliveries>[2]) {
    return webhooksStore.deliveries(this.context.db, webhookId, query);
  }

  /** The notification email log. */
  emails(query: Parameters<typeof emailsStore.list>[1]) {
    return emailsStore.list(this.context.db, query);
  }

  private async audit(
    db: AppContext["db"],
    actor: string,
    action: string,
    before?: Webhook,
    after?: Webhook,
  ): Promise<void> {
    await this.context.outbox.publish(
      db,
      {
        projectKey: null,
        actor,
        action,
        resourceType: "webhook",
        resourceId: String((after ?? before)!.id),
        ...(before ? { before: webhookView(before, false) } : {}),
        ...(after ? { after: webhookView(after, false) } : {}),
      },
      new Date(this.context.now()),
    );
  }
}
