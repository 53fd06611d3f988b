import type { Generated } from "kysely";

/**
 * Webhooks (LaunchDarkly's resource), their delivery log and the log of notification emails. Times are
 * epoch milliseconds, like the jobs table, so they follow the injectable clock.
 */
export interface NotificationsTables {
  webhooks: {
    id: Generated<number>;
    name: string | null;
    url: string;
    /** Signs deliveries when `sign` is 1 (HMAC-SHA256 key). */
    secret: string | null;
    /** 0 | 1 */
    sign: number;
    /** LaunchDarkly's `on`: 0 | 1. */
    enabled: number;
    /** JSON array of strings. */
    tags: string;
    /** JSON array of policy statements; empty = every flag change (see webhook-statements.ts). */
    statements: string;
    created_by: string;
    created_at: number;
    updated_at: number;
  };
  /**
   * One row per (webhook, flag change): written in the transaction of the change's audit entry (an outbox),
   * then updated by the delivery job. It is also the delivery log the API shows.
   */
  webhook_deliveries: {
    id: Generated<number>;
    webhook_id: number;
    /** The audit_log entry the delivery describes. */
    event_id: number;
    project_key: string;
    feature_key: string;
    /** The audit action, e.g. flag.update-rule. */
    action: string;
    /** One-line summary of the change (the payload's title). */
    title: string;
    /** JSON body sent, without the per-attempt `timestamp`. */
    payload: string;
    /** PENDING | DELIVERED | FAILED */
    status: string;
    attempts: number;
    /** HTTP status of the last attempt, when the receiver answered. */
    response_status: number | null;
    /** Why the last attempt failed. */
    error: string | null;
    created_at: number;
    last_attempt_at: number | null;
    next_attempt_at: number | null;
    delivered_at: number | null;
  };
  /** Emails queued by automation (rollback, bandit, progressive) and what became of them. */
  notification_emails: {
    id: Generated<number>;
    /** rollback | bandit | progressive */
    kind: string;
    project_key: string;
    feature_key: string;
    flag_id: number;
    environment_key: string;
    rule_id: number | null;
    /** JSON array of email addresses. */
    recipients: string;
    subject: string;
    body: string;
    /** PENDING | SENT | FAILED | SKIPPED (no SMTP configured) */
    status: string;
    attempts: number;
    error: string | null;
    /** The SMTP Message-ID once sent. */
    message_id: string | null;
    created_at: number;
    updated_at: number;
    sent_at: number | null;
  };
}
