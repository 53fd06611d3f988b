import type { AppContext } from "../app-context.js";
import type { CallbackPolicy } from "../http/callback-target.js";
import type { Job, JobContext, JobHandlerOptions } from "../jobs/job-runner.js";
import {
  DeliveryFailed,
  hmacHex,
  postJson,
  retryDelayWithinWindow,
  SIGNATURE_HEADER,
  signatureOf,
  TIMESTAMP_HEADER,
} from "./signed-delivery.js";
import type { WebhookDeliveryJob } from "./webhook-outbox.js";
import { webhooksStore } from "./webhooks.store.js";

/** LaunchDarkly's signature header: the bare hex HMAC-SHA256 of the body. */
export const LD_SIGNATURE_HEADER = "x-ld-signature";
/** The delivery id, the same on every attempt: receivers drop duplicates with it (delivery is at least once). */
export const DELIVERY_HEADER = "x-vexil-delivery";

function errorText(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/**
 * The `notifications.webhook` handler: POSTs the stored event to the webhook's current URL, signed when the
 * webhook signs, and records the attempt in the delivery log. A failed attempt throws, so the runner retries it
 * with the backoff of webhookHandlerOptions; when the runner gives up, onFinished marks the delivery FAILED.
 */
export function webhookDeliveryHandler(context: AppContext) {
  const policy: CallbackPolicy = {
    allowPrivate: context.config.callbackAllowPrivate,
    allowedHosts: context.config.callbackAllowedHosts,
  };
  return async (job: Job<WebhookDeliveryJob>, ctx: JobContext) => {
    const { deliveryId } = job.payload;
    const delivery = await webhooksStore.delivery(context.db, deliveryId);
    // Gone with its webhook, or already settled by an earlier run of this job.
    if (delivery?.status !== "PENDING") return { skipped: delivery?.status ?? "deleted" };
    const webhook = await webhooksStore.find(context.db, delivery.webhookId);
    if (!webhook) return { skipped: "deleted" };
    if (!webhook.on) {
      await webhooksStore.fail(context.db, deliveryId, "the webhook was turned off before delivery");
      return { skipped: "off" };
    }
    const timestamp = context.now();
    const body = JSON.stringify({ ...JSON.parse(delivery.payload), timestamp });
    const headers: Record<string, string> = {
      [DELIVERY_HEADER]: String(deliveryId),
      [TIMESTAMP_HEADER]: String(timestamp),
      "user-agent": "Vexil-Webhook/1",
    };
    if (webhook.sign && webhook.secret) {
      headers[LD_SIGNATURE_HEADER] = hmacHex(webhook.secret, body);
      headers[SIGNATURE_HEADER] = signatureOf(webhook.secret, body);
    }
    try {
      const status = await postJson({
        url: new URL(webhook.url),
        body,
        headers,
        policy,
        signal: ctx.signal,
        label: "webhook",
      });
      await webhooksStore.recordAttempt(
        context.db,
        deliveryId,
        { status: "DELIVERED", responseStatus: status, error: null, nextAttemptAt: null },
        context.now(),
      );
      return { status };
    } catch (error) {
      // A stopping worker hands the job back: that was no attempt of the receiver's.
      if (ctx.signal.aborted) throw error;
      const now = context.now();
      const delay = webhookRetryDelayMs(context, job.attempts, error, job);
      await webhooksStore.recordAttempt(
        context.db,
        deliveryId,
        {
          status: "PENDING",
          responseStatus: error instanceof DeliveryFailed ? (error.status ?? null) : null,
          error: errorText(error),
          nextAttemptAt: delay === null ? null : now + delay,
        },
        now,
      );
      throw error;
    }
  };
}

function webhookRetryDelayMs(context: AppContext, attempt: number, error: unknown, job: Job): number | null {
  return retryDelayWithinWindow(
    attempt,
    error,
    job.createdAt,
    context.now(),
    context.config.notificationRetryWindowMs,
  );
}

export function webhookHandlerOptions(context: AppContext): JobHandlerOptions {
  return {
    leaseMs: 30_000,
    retryDelayMs: (attempt, error, job) => webhookRetryDelayMs(context, attempt, error, job),
    onFinished: async (job, status) => {
      if (status === "FAILED")
        await webhooksStore.fail(context.db, (job.payload as WebhookDeliveryJob).deliveryId, null);
    },
  };
}
