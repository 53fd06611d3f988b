import type { AnalyticsEvent, ExposureEvent } from "../analytics/analytics-store.js";

/** A problem with one event of a bulk request. */
export interface EventProblem {
  index: number;
  message: string;
}

/** What ingestion needs to know about the caller's environment. */
export interface IngestionScope {
  projectKey: string;
  environmentKey: string;
  /** Resolves a conversion's `goal` (numeric id or key) to the goal id of this project. */
  goalId(goal: number | string): number | undefined;
}

const MAX_STRING = 256;
const MAX_CUSTOM_ATTRIBUTES = 50;
// Events may be a little in the future (client clocks) or up to a year old (offline queues).
const MAX_FUTURE_MS = 24 * 3600_000;
const MAX_AGE_MS = 366 * 24 * 3600_000;

type Raw = Record<string, unknown>;

const KNOWN_ATTRIBUTES = new Set(["browser", "deviceType", "os", "country", "newVisitor", "custom"]);

function isObject(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function requireString(event: Raw, field: string, problems: string[]): string {
  const value = event[field];
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_STRING) {
    problems.push(`${field} must be a non-empty string of at most ${MAX_STRING} characters`);
    return "";
  }
  return value;
}

function optionalInteger(event: Raw, field: string, problems: string[]): number | null {
  const value = event[field];
  if (value === undefined || value === null) return null;
  if (!Number.isSafeInteger(value)) problems.push(`${field} must be an integer`);
  return value as number;
}

function checkTime(event: Raw, now: number, problems: string[]): number {
  const time = event.time;
  if (typeof time !== "number" || !Number.isFinite(time)) {
    problems.push("time must be epoch milliseconds");
    return 0;
  }
  if (time > now + MAX_FUTURE_MS || time < now - MAX_AGE_MS) {
    problems.push("time must be within the last year and not more than a day ahead");
  }
  return Math.trunc(time);
}

function checkAttributes(value: unknown, problems: string[]): ExposureEvent["attributes"] {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) {
    problems.push("attributes must be an object");
    return {};
  }
  const attributes: ExposureEvent["attributes"] = {};
  for (const field of ["browser", "deviceType", "os", "country"] as const) {
    const v = value[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== "string" || v.length > MAX_STRING)
      problems.push(`attributes.${field} must be a short string`);
    else attributes[field] = v;
  }
  if (value.newVisitor !== undefined && value.newVisitor !== null) {
    if (typeof value.newVisitor !== "boolean") problems.push("attributes.newVisitor must be a boolean");
    else attributes.newVisitor = value.newVisitor;
  }
  if (value.custom !== undefined && value.custom !== null) {
    if (!isObject(value.custom) || Object.keys(value.custom).length > MAX_CUSTOM_ATTRIBUTES) {
      problems.push(`attributes.custom must be an object of at most ${MAX_CUSTOM_ATTRIBUTES} entries`);
    } else {
      const custom: Record<string, string | number | boolean> = {};
      for (const [key, v] of Object.entries(value.custom)) {
        if (typeof v === "string" ? v.length > MAX_STRING : typeof v !== "number" && typeof v !== "boolean") {
          problems.push(`attributes.custom.${key} must be a short string, a number or a boolean`);
        } else custom[key] = v as string | number | boolean;
      }
      attributes.custom = custom;
    }
  }
  for (const key in value) {
    if (!KNOWN_ATTRIBUTES.has(key) && Object.hasOwn(value, key)) {
      problems.push(`attributes.${key} is not a known attribute (use attributes.custom)`);
    }
  }
  return attributes;
}

function parseExposure(raw: Raw, scope: IngestionScope, now: number, problems: string[]): AnalyticsEvent {
  const ruleId = optionalInteger(raw, "ruleId", problems);
  const flagId = optionalInteger(raw, "flagId", problems);
  return {
    kind: "exposure",
    projectKey: scope.projectKey,
    environmentKey: scope.environmentKey,
    visitorCode: requireString(raw, "visitorCode", problems),
    visitId: requireString(raw, "visitId", problems),
    featureKey: requireString(raw, "featureKey", problems),
    flagId: flagId ?? 0,
    ruleId: ruleId ?? 0,
    experimentId: optionalInteger(raw, "experimentId", problems),
    variationKey: requireString(raw, "variationKey", problems),
    time: checkTime(raw, now, problems),
    attributes: checkAttributes(raw.attributes, problems),
  };
}

function parseConversion(raw: Raw, scope: IngestionScope, now: number, problems: string[]): AnalyticsEvent {
  let goalId = 0;
  if (typeof raw.goal !== "number" && typeof raw.goal !== "string") {
    problems.push("goal must be a goal id or key");
  } else {
    const resolved = scope.goalId(raw.goal);
    if (resolved === undefined)
      problems.push(`goal '${raw.goal}' does not exist in project '${scope.projectKey}'`);
    else goalId = resolved;
  }
  let value = 1;
  if (raw.value !== undefined && raw.value !== null) {
    if (typeof raw.value !== "number" || !Number.isFinite(raw.value))
      problems.push("value must be a finite number");
    else value = raw.value;
  }
  return {
    kind: "conversion",
    projectKey: scope.projectKey,
    environmentKey: scope.environmentKey,
    visitorCode: requireString(raw, "visitorCode", problems),
    visitId: requireString(raw, "visitId", problems),
    goalId,
    value,
    time: checkTime(raw, now, problems),
    attributes: checkAttributes(raw.attributes, problems),
  };
}

/** Validates every event of a bulk body; any problem rejects the whole batch (all-or-nothing). */
export function validateEvents(
  body: unknown,
  scope: IngestionScope,
  now: number,
): { events: AnalyticsEvent[]; problems: EventProblem[] } {
  if (!Array.isArray(body))
    return { events: [], problems: [{ index: -1, message: "body must be an array of events" }] };
  const events: AnalyticsEvent[] = new Array(body.length);
  const problems: EventProblem[] = [];
  // One problem list for the whole batch (empty in the common case); each event's share is what it added.
  const eventProblems: string[] = [];
  for (let index = 0; index < body.length; index++) {
    const raw: unknown = body[index];
    if (!isObject(raw)) eventProblems.push("event must be an object");
    else if (raw.kind === "exposure") events[index] = parseExposure(raw, scope, now, eventProblems);
    else if (raw.kind === "conversion") events[index] = parseConversion(raw, scope, now, eventProblems);
    else eventProblems.push("kind must be 'exposure' or 'conversion'");
    if (eventProblems.length > 0) {
      for (const message of eventProblems) problems.push({ index, message });
      eventProblems.length = 0;
    }
  }
  return { events: problems.length > 0 ? [] : events, problems };
}
