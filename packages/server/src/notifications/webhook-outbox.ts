import type { Kysely } from "kysely";
import type { ChangeSubscriber } from "../changes/outbox.js";
import { enqueueInTransaction } from "../jobs/job-runner.js";
import type { Database } from "../storage/schema.js";
import { type AuditedFlagChange, flagChangeEvent, identityFromViews } from "./flag-change-event.js";
import { statementsAllow } from "./webhook-statements.js";
import { webhooksStore } from "./webhooks.store.js";

/** Job kind of one webhook delivery; key = the delivery id, payload { deliveryId }. */
export const WEBHOOK_DELIVERY_KIND = "notifications.webhook";

/** Enough attempts for the retry window; the retry policy ends it by time. */
export const DELIVERY_MAX_ATTEMPTS = 1000;

export interface WebhookDeliveryJob {
  deliveryId: number;
}

/**
 * Queues the webhook deliveries of a feature-flag audit entry, in the transaction that writes the entry
 * (through the outbox, queueFlagWebhooks below): one `webhook_deliveries` row (the log) and one job per enabled webhook whose
 * statements allow the change. The jobs are claimed on the worker's next poll; the notifications routes also
 * wake the worker when a flag change is published after its commit.
 */
export async function queueWebhookDeliveries(
  trx: Kysely<Database>,
  change: AuditedFlagChange,
): Promise<void> {
  const webhooks = await webhooksStore.enabled(trx);
  if (webhooks.length === 0) return;
  const identity = change.subject ?? identityFromViews(change.before, change.after);
  if (!identity) return;
  const event = flagChangeEvent(change, identity);
  const payload = JSON.stringify(event);
  const now = change.at.getTime();
  for (const webhook of webhooks) {
    if (!statementsAllow(webhook.statements, event.accesses)) continue;
    const deliveryId = await webhooksStore.insertDelivery(
      trx,
      {
        webhookId: webhook.id,
        eventId: change.eventId,
        projectKey: change.projectKey,
        featureKey: identity.featureKey,
        action: change.action,
        title: event.title,
      },
      payload,
      now,
    );
    await enqueueInTransaction<WebhookDeliveryJob>(
      trx,
      {
        kind: WEBHOOK_DELIVERY_KIND,
        key: String(deliveryId),
        payload: { deliveryId },
        runAfter: now,
        maxAttempts: DELIVERY_MAX_ATTEMPTS,
      },
      now,
    );
  }
}

/** The outbox subscriber: a feature-flag change queues its webhook deliveries in the change's transaction. */
export const queueFlagWebhooks: ChangeSubscriber = async (trx, change) => {
  if (change.resourceType !== "feature-flag" || change.projectKey === null) return;
  await queueWebhookDeliveries(trx, {
    eventId: change.eventId,
    projectKey: change.projectKey,
    actor: change.actor,
    action: change.action,
    flagId: Number(change.resourceId),
    before: change.before,
    after: change.after,
    at: change.at,
    subject: change.subject
      ? {
          featureKey: change.subject.key,
          name: change.subject.name,
          environmentKeys: change.subject.environmentKeys,
        }
      : undefined,
  });
};
