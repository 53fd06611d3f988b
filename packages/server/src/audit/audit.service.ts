import type { AppContext } from "../app-context.js";
import { ApiError } from "../http/api-error.js";
import { type AuditFilter, type AuditRecord, auditStore } from "./audit.store.js";

/** An ISO 8601 date-time as the stored `at` text (UTC, toISOString), or a 400 naming the parameter. */
function instant(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  // Date.parse also takes forms like "March 7"; only ISO dates (with optional time) are documented.
  const time = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(time)) throw new ApiError(400, `querystring.${name} is not an ISO 8601 date-time`);
  return new Date(time).toISOString();
}

/** Reading the audit log (entries are written by the outbox, in each change's transaction). */
export class AuditService {
  constructor(private readonly context: AppContext) {}

  /** A page of entries, newest first; `from` and `to` as the caller wrote them (ISO 8601, else 400). */
  list(query: AuditFilter): Promise<{ items: AuditRecord[]; total: number }> {
    const from = instant(query.from, "from");
    const to = instant(query.to, "to");
    if (from && to && from > to) throw new ApiError(400, "querystring.from is after querystring.to");
    return auditStore.list(this.context.db, { ...query, from, to });
  }
}
