import type { AuditQuery } from "../api/types.js";

/** The next day of a yyyy-mm-dd date (calendar arithmetic in UTC, so no daylight-saving surprises). */
export function nextDay(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/** Local midnight of a yyyy-mm-dd date as an ISO instant: the day as the person sees it on the page. */
const localMidnight = (date: string) => new Date(`${date}T00:00:00`).toISOString();

/**
 * The audit-log query of the page's filters: blank filters left out, both days included ("to" becomes
 * the next day's local midnight, which the API excludes).
 */
export function auditQuery(filters: {
  projectKey?: string | undefined;
  resourceType: string | null;
  resourceId: string;
  actor: string;
  from: string;
  to: string;
  limit: number;
  offset: number;
}): AuditQuery {
  const { projectKey, resourceType, resourceId, actor, from, to, limit, offset } = filters;
  return {
    limit,
    offset,
    ...(projectKey ? { projectKey } : {}),
    ...(resourceType ? { resourceType } : {}),
    ...(resourceId.trim() ? { resourceId: resourceId.trim() } : {}),
    ...(actor.trim() ? { actor: actor.trim() } : {}),
    ...(from ? { from: localMidnight(from) } : {}),
    ...(to ? { to: localMidnight(nextDay(to)) } : {}),
  };
}
