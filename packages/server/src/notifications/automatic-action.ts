import type { Kysely } from "kysely";
import type { AppContext } from "../app-context.js";
import type { ChangeSubscriber } from "../changes/outbox.js";
import { enqueueInTransaction } from "../jobs/job-runner.js";
import type { Database } from "../storage/schema.js";
import { automaticActionNotices } from "./automatic-action-notices.js";
import { EMAIL_KIND, EMAIL_MAX_ATTEMPTS, type EmailJob } from "./email-delivery.js";
import { emailsStore } from "./emails.store.js";

export interface AutomaticActionNotice {
  projectKey: string;
  featureKey: string;
  flagId: number;
  environmentKey: string;
  ruleId: number | null;
  /** What automation did. */
  kind: "rollback" | "bandit" | "progressive";
  /** One line, e.g. "Rule 12 paused: DOWNLIFT 14.2 % > 10 % on goal 3 (5,012 visitors)". */
  summary: string;
  /** Email addresses; may be empty. */
  recipients: string[];
}

const KIND_LABELS: Record<AutomaticActionNotice["kind"], string> = {
  rollback: "Rollback",
  bandit: "Bandit re-allocation",
  progressive: "Progressive delivery",
};

/** The subject and plain-text body of the email telling recipients what automation did. */
export function automaticActionEmail(notice: AutomaticActionNotice, at: number) {
  const where = `${notice.projectKey}/${notice.environmentKey}`;
  const subject = `[Vexil] ${KIND_LABELS[notice.kind]} on ${notice.featureKey} (${where})`;
  const lines = [
    `Vexil's automation acted on feature flag "${notice.featureKey}" (project ${notice.projectKey}, environment ${notice.environmentKey}).`,
    "",
    notice.summary,
    "",
    `What:        ${notice.kind}`,
    `Flag:        ${notice.featureKey} (id ${notice.flagId})`,
    ...(notice.ruleId === null ? [] : [`Rule:        ${notice.ruleId}`]),
    `Environment: ${notice.environmentKey}`,
    `When:        ${new Date(at).toISOString()}`,
    "",
    `The change is in the audit log: GET /audit-log?resourceType=feature-flag&resourceId=${notice.flagId}`,
  ];
  return { subject, body: `${lines.join("\n")}\n` };
}

/**
 * Writes the email row (the log) and its delivery job in `trx`: the job sends it through VEXIL_SMTP_URL with
 * retries, or records it SKIPPED (with a logged warning) when no SMTP server is configured. Nothing is
 * queued when there are no recipients.
 */
async function queueEmail(trx: Kysely<Database>, notice: AutomaticActionNotice, now: number): Promise<void> {
  const recipients = [...new Set(notice.recipients.map((address) => address.trim()).filter(Boolean))];
  if (recipients.length === 0) return;
  const { subject, body } = automaticActionEmail(notice, now);
  const emailId = await emailsStore.insert(
    trx,
    {
      kind: notice.kind,
      projectKey: notice.projectKey,
      featureKey: notice.featureKey,
      flagId: notice.flagId,
      environmentKey: notice.environmentKey,
      ruleId: notice.ruleId,
      recipients,
      subject,
      body,
    },
    now,
  );
  await enqueueInTransaction<EmailJob>(
    trx,
    { kind: EMAIL_KIND, key: String(emailId), payload: { emailId }, maxAttempts: EMAIL_MAX_ATTEMPTS },
    now,
  );
}

/** Durably queues the email of one automatic action, in its own transaction (tests, one-off notices). */
export async function notifyAutomaticAction(
  context: AppContext,
  notice: AutomaticActionNotice,
): Promise<void> {
  const now = context.now();
  await context.db.transaction().execute((trx) => queueEmail(trx, notice, now));
  context.jobs.wake();
}

/**
 * The outbox subscriber: when automation acts on a rule (its audit entries `flag.rollback`,
 * `flag.bandit-reallocation`, `flag.progressive-exposition`), the recipients the rule names are emailed,
 * queued in the transaction of the change, so the change and its email commit together.
 */
export const queueAutomaticActionEmails: ChangeSubscriber = async (trx, change) => {
  for (const notice of automaticActionNotices(change)) await queueEmail(trx, notice, change.at.getTime());
};
