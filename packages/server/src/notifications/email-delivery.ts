import nodemailer from "nodemailer";
import type { AppContext } from "../app-context.js";
import type { Job, JobHandlerOptions, JobLogger } from "../jobs/job-runner.js";
import { emailsStore } from "./emails.store.js";
import { retryDelayWithinWindow } from "./signed-delivery.js";

/** Job kind of one notification email; key = the email id, payload { emailId }. */
export const EMAIL_KIND = "notifications.email";
/** Enough attempts for the retry window; the retry policy ends it by time. */
export const EMAIL_MAX_ATTEMPTS = 1000;

export interface EmailJob {
  emailId: number;
}

/** An SMTP error nodemailer reports: 5xx answers (unknown mailbox, refused login) will not succeed by retrying. */
function isPermanentSmtpError(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/**
 * The `notifications.email` handler: sends the queued email through VEXIL_SMTP_URL and records the outcome;
 * without SMTP configured, records it SKIPPED with a warning (not an error). A failed send throws, so the runner
 * retries it (backoff within VEXIL_NOTIFICATION_RETRY_HOURS); when it gives up, the email ends FAILED.
 */
export function emailDelivery(context: AppContext, logger: JobLogger) {
  const { smtpUrl, smtpFrom } = context.config;
  const transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : undefined;

  const handler = async (job: Job<EmailJob>) => {
    const email = await emailsStore.find(context.db, job.payload.emailId);
    if (email?.status !== "PENDING") return { skipped: email?.status ?? "deleted" };
    if (!transport) {
      logger.warn(
        { emailId: email.id, kind: email.kind, recipients: email.recipients },
        "notification email skipped: no SMTP server configured (VEXIL_SMTP_URL)",
      );
      await emailsStore.settle(
        context.db,
        email.id,
        { status: "SKIPPED", error: "no SMTP server configured (VEXIL_SMTP_URL)", attempted: false },
        context.now(),
      );
      return { skipped: "no SMTP" };
    }
    try {
      const info = await transport.sendMail({
        from: smtpFrom,
        to: email.recipients,
        subject: email.subject,
        text: email.body,
      });
      const rejected = info.rejected.map(String);
      await emailsStore.settle(
        context.db,
        email.id,
        {
          status: "SENT",
          error: rejected.length > 0 ? `rejected by the SMTP server: ${rejected.join(", ")}` : null,
          messageId: info.messageId,
          attempted: true,
        },
        context.now(),
      );
      return { messageId: info.messageId };
    } catch (error) {
      await emailsStore.settle(
        context.db,
        email.id,
        { status: "PENDING", error: errorText(error), attempted: true },
        context.now(),
      );
      throw error;
    }
  };

  const options: JobHandlerOptions = {
    leaseMs: 60_000,
    retryDelayMs: (attempt, error, job) =>
      isPermanentSmtpError(error)
        ? null
        : retryDelayWithinWindow(
            attempt,
            error,
            job.createdAt,
            context.now(),
            context.config.notificationRetryWindowMs,
          ),
    onFinished: async (job, status) => {
      if (status !== "FAILED") return;
      const { emailId } = job.payload as EmailJob;
      const email = await emailsStore.find(context.db, emailId);
      await emailsStore.settle(
        context.db,
        emailId,
        { status: "FAILED", error: email?.error ?? "gave up", attempted: false },
        context.now(),
      );
    },
  };

  return { handler, options, close: () => transport?.close() };
}
