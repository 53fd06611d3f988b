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

/** An issue of a compiled TypeBox check. */
export interface SchemaIssue {
  keyword: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

/** Readable lines for a failed check: `attributes.colour is not a known attribute (use attributes.custom)`. */
export function describeIssues(issues: SchemaIssue[]): string[] {
  const lines = new Set<string>();
  for (const issue of issues) {
    const field = issue.instancePath.slice(1).replaceAll("/", ".");
    if (issue.keyword === "boolean") continue; // repeats an additionalProperties issue
    if (issue.keyword === "additionalProperties" && field === "attributes") {
      for (const name of (issue.params.additionalProperties as string[] | undefined) ?? [])
        lines.add(`attributes.${name} is not a known attribute (use attributes.custom)`);
    } else if (issue.keyword === "additionalProperties") {
      for (const name of (issue.params.additionalProperties as string[] | undefined) ?? [])
        lines.add(`${field === "" ? "" : `${field}.`}${name} is not a known field`);
    } else if (issue.keyword === "required") {
      const names = (issue.params.requiredProperties as string[] | undefined) ?? [];
      for (const name of names) lines.add(`${field === "" ? "" : `${field}.`}${name} is required`);
    } else lines.add(`${field === "" ? "event" : field} ${issue.message}`);
  }
  return [...lines];
}

const NONE: string[] = [];

// The problems of an event of a known kind: its schema's, else its time against the clock's window.
function kindProblems(
  check: { Check(value: unknown): boolean; Errors(value: unknown): Iterable<unknown> },
  raw: unknown,
  now: number,
): string[] {
  if (!check.Check(raw)) return describeIssues([...check.Errors(raw)] as SchemaIssue[]);
  return outsideTimeWindow((raw as { time: number }).time, now) ? [TIME_WINDOW] : NONE;
}

/** Why an event time outside the window is refused. */
export const TIME_WINDOW = "time must be within the last year and not more than a day ahead";

/** Whether an event time (epoch ms) is outside what ingestion accepts at `now`. */
export function outsideTimeWindow(time: number, now: number): boolean {
  return time > now + MAX_FUTURE_MS || time < now - MAX_AGE_MS;
}

// Adds an event's problems to the batch's; true when it had any.
function report(index: number, problems: EventProblem[], found: string[]): boolean {
  for (const message of found) problems.push({ index, message });
  return found.length > 0;
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
      if (report(index, problems, kindProblems(exposureCheck, raw, now))) continue;
      if (problems.length === 0) events[index] = exposure(raw as ExposureWire, scope);
    } else if (kind === "conversion") {
      if (report(index, problems, kindProblems(conversionCheck, raw, now))) continue;
      const goal = (raw as ConversionWire).goal;
      const goalId = scope.goalId(goal);
      if (goalId === undefined)
        problems.push({ index, message: `goal '${goal}' does not exist in project '${scope.projectKey}'` });
      else if (problems.length === 0) events[index] = conversion(raw as ConversionWire, goalId, scope);
    } else if (typeof raw !== "object" || raw === null || Array.isArray(raw))
      problems.push({ index, message: "event must be an object" });
    else problems.push({ index, message: "kind must be 'exposure' or 'conversion'" });
  }
  return { events: problems.length > 0 ? [] : events, problems };
}
