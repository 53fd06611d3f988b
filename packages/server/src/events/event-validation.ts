// Validation of a bulk body against the one event schema (analytics/event-schema.ts), compiled once: a valid
// event costs the compiled check plus the two checks a schema cannot make (its time against the clock, its
// goal against the project's goals), and becomes its stored form with no other object in between (the
// validated attributes object is stored as it is). Problems name each bad event's index, so an SDK can drop
// exactly those and resend the rest.

import { Compile } from "typebox/compile";
import {
  type AnalyticsEvent,
  type ConversionWire,
  ConversionWireSchema,
  type ExposureWire,
  ExposureWireSchema,
} from "../analytics/event-schema.js";

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

// Events may be a little in the future (client clocks) or up to a year old (offline queues).
const MAX_FUTURE_MS = 24 * 3600_000;
const MAX_AGE_MS = 366 * 24 * 3600_000;

const exposureCheck = Compile(ExposureWireSchema);
const conversionCheck = Compile(ConversionWireSchema);

interface SchemaIssue {
  keyword: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

/** Readable lines for a failed check: `attributes.colour is not a known attribute (use attributes.custom)`. */
function describeIssues(issues: SchemaIssue[]): string[] {
  const lines = new Set<string>();
  for (const issue of issues) {
    const field = issue.instancePath.slice(1).replaceAll("/", ".");
    if (issue.keyword === "boolean") continue; // repeats an additionalProperties issue
    if (issue.keyword === "additionalProperties" && field === "attributes") {
      for (const name of (issue.params.additionalProperties as string[] | undefined) ?? [])
        lines.add(`attributes.${name} is not a known attribute (use attributes.custom)`);
    } else if (issue.keyword === "required") {
      const names = (issue.params.requiredProperties as string[] | undefined) ?? [];
      for (const name of names) lines.add(`${field === "" ? "" : `${field}.`}${name} is required`);
    } else lines.add(`${field === "" ? "event" : field} ${issue.message}`);
  }
  return [...lines];
}

function timeProblem(time: number, now: number): string | undefined {
  return time > now + MAX_FUTURE_MS || time < now - MAX_AGE_MS
    ? "time must be within the last year and not more than a day ahead"
    : undefined;
}

function exposure(raw: ExposureWire, scope: IngestionScope): AnalyticsEvent {
  return {
    kind: "exposure",
    projectKey: scope.projectKey,
    environmentKey: scope.environmentKey,
    visitorCode: raw.visitorCode,
    visitId: raw.visitId,
    featureKey: raw.featureKey,
    flagId: raw.flagId ?? 0,
    ruleId: raw.ruleId ?? 0,
    experimentId: raw.experimentId ?? null,
    variationKey: raw.variationKey,
    time: Math.trunc(raw.time),
    attributes: raw.attributes ?? {},
  };
}

function conversion(raw: ConversionWire, goalId: number, scope: IngestionScope): AnalyticsEvent {
  return {
    kind: "conversion",
    projectKey: scope.projectKey,
    environmentKey: scope.environmentKey,
    visitorCode: raw.visitorCode,
    visitId: raw.visitId,
    goalId,
    value: raw.value ?? 1,
    time: Math.trunc(raw.time),
    attributes: raw.attributes ?? {},
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
  for (let index = 0; index < body.length; index++) {
    const raw: unknown = body[index];
    const kind = (raw as { kind?: unknown } | null)?.kind;
    if (kind === "exposure") {
      if (!exposureCheck.Check(raw)) {
        for (const message of describeIssues([...exposureCheck.Errors(raw)] as SchemaIssue[]))
          problems.push({ index, message });
        continue;
      }
      const late = timeProblem(raw.time, now);
      if (late !== undefined) problems.push({ index, message: late });
      else if (problems.length === 0) events[index] = exposure(raw, scope);
    } else if (kind === "conversion") {
      if (!conversionCheck.Check(raw)) {
        for (const message of describeIssues([...conversionCheck.Errors(raw)] as SchemaIssue[]))
          problems.push({ index, message });
        continue;
      }
      const late = timeProblem(raw.time, now);
      if (late !== undefined) problems.push({ index, message: late });
      const goalId = scope.goalId(raw.goal);
      if (goalId === undefined)
        problems.push({
          index,
          message: `goal '${raw.goal}' does not exist in project '${scope.projectKey}'`,
        });
      else if (problems.length === 0) events[index] = conversion(raw, goalId, scope);
    } else if (typeof raw !== "object" || raw === null || Array.isArray(raw))
      problems.push({ index, message: "event must be an object" });
    else problems.push({ index, message: "kind must be 'exposure' or 'conversion'" });
  }
  return { events: problems.length > 0 ? [] : events, problems };
}
