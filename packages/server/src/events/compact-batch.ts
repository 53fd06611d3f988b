// Format 2 of a bulk body (docs/sdk-protocol.md): events as columns, with what they share (exposure heads,
// attribute sets, the visit ids' prefix, the epoch) sent once. It is checked by the schema compiled once,
// then row by row for what a schema cannot say (indexes into the batch's lists, times against the clock,
// goals against the project's). Problems name the event's index (exposures' rows first, then conversions')
// and the field, as format 1 does, so an SDK can drop exactly those events and resend the rest.

import { Compile } from "typebox/compile";
import {
  type AnalyticsEvent,
  type CompactBatch,
  CompactBatchSchema,
  type VisitorAttributes,
} from "../analytics/event-schema.js";
import {
  describeIssues,
  type EventProblem,
  type IngestionScope,
  outsideTimeWindow,
  type SchemaIssue,
  TIME_WINDOW,
} from "./event-validation.js";

const batchCheck = Compile(CompactBatchSchema);
const NO_ATTRIBUTES: VisitorAttributes = Object.freeze({});

type Exposures = NonNullable<CompactBatch["exposures"]>;
type Conversions = NonNullable<CompactBatch["conversions"]>;

function rowsOf(columns: unknown): number {
  if (typeof columns !== "object" || columns === null) return 0;
  let rows = 0;
  for (const [name, column] of Object.entries(columns)) {
    if (name !== "heads" && Array.isArray(column) && column.length > rows) rows = column.length;
  }
  return rows;
}

/** The events of a format-2 body (its longest columns), so an oversized one is refused before it is checked. */
export function compactEventCount(body: object): number {
  const { exposures, conversions } = body as { exposures?: unknown; conversions?: unknown };
  return rowsOf(exposures) + rowsOf(conversions);
}

// The event index and readable field of a schema issue's path (`/exposures/visitor/3`: event 3,
// `exposures.visitor[3]`); issues outside the rows (heads, attribute sets, the batch) are the batch's (-1).
function locate(path: string, exposureRows: number): { index: number; field: string } {
  const parts = path.split("/").slice(1);
  const field = parts
    .map((p, i) => (i > 0 && /^\d+$/.test(p) ? `[${p}]` : `${i > 0 ? "." : ""}${p}`))
    .join("");
  const [kind, column, row] = parts;
  if ((kind === "exposures" || kind === "conversions") && column !== "heads" && row !== undefined) {
    return { index: Number(row) + (kind === "conversions" ? exposureRows : 0), field };
  }
  return { index: -1, field };
}

function schemaProblems(body: unknown): EventProblem[] {
  const visitors = (body as { exposures?: { visitor?: unknown } }).exposures?.visitor;
  const exposureRows = Array.isArray(visitors) ? visitors.length : 0;
  const problems: EventProblem[] = [];
  for (const issue of batchCheck.Errors(body) as Iterable<SchemaIssue>) {
    const { index, field } = locate(issue.instancePath, exposureRows);
    for (const message of describeIssues([{ ...issue, instancePath: `/${field}` }]))
      problems.push({ index, message });
  }
  return problems.length > 0 ? problems : [{ index: -1, message: "the batch does not match format 2" }];
}

// Columns of one kind must all have as many rows.
function lengthProblem(kind: string, columns: object | undefined): EventProblem[] {
  if (columns === undefined) return [];
  const lengths = Object.entries(columns).filter(([name]) => name !== "heads");
  const [first, ...rest] = lengths as [string, unknown[]][];
  const other = rest.find(([, column]) => column.length !== first![1].length);
  return other === undefined
    ? []
    : [
        {
          index: -1,
          message: `${kind}.${other[0]} has ${other[1].length} rows, ${kind}.${first![0]} ${first![1].length}`,
        },
      ];
}

/** Validates a format-2 body; any problem rejects the whole batch (all-or-nothing). */
export function validateCompactBatch(
  body: unknown,
  scope: IngestionScope,
  now: number,
): { events: AnalyticsEvent[]; problems: EventProblem[] } {
  if (!batchCheck.Check(body)) return { events: [], problems: schemaProblems(body) };
  const problems = [
    ...lengthProblem("exposures", body.exposures),
    ...lengthProblem("conversions", body.conversions),
  ];
  if (problems.length > 0) return { events: [], problems };
  const events: AnalyticsEvent[] = [];
  if (body.exposures !== undefined) exposures(body, body.exposures, scope, now, events, problems);
  if (body.conversions !== undefined) {
    const offset = body.exposures?.visitor.length ?? 0;
    conversions(body, body.conversions, offset, scope, now, events, problems);
  }
  return { events: problems.length > 0 ? [] : events, problems };
}

function attributesAt(batch: CompactBatch, index: number): VisitorAttributes | undefined {
  return index === -1 ? NO_ATTRIBUTES : batch.attributes[index];
}

function exposures(
  batch: CompactBatch,
  rows: Exposures,
  scope: IngestionScope,
  now: number,
  events: AnalyticsEvent[],
  problems: EventProblem[],
): void {
  const { heads, head, visit, visitor, time, attributes } = rows;
  for (let i = 0; i < visitor.length; i++) {
    const h = heads[head[i]!];
    const at = attributesAt(batch, attributes[i]!);
    const t = Math.trunc(batch.time + time[i]!);
    if (h === undefined)
      problems.push({ index: i, message: `exposures.head[${i}] names no entry of exposures.heads` });
    if (at === undefined)
      problems.push({ index: i, message: `exposures.attributes[${i}] names no attribute set` });
    if (outsideTimeWindow(t, now)) problems.push({ index: i, message: `exposures.${TIME_WINDOW}` });
    if (problems.length > 0 || h === undefined || at === undefined) continue;
    events.push({
      kind: "exposure",
      projectKey: scope.projectKey,
      environmentKey: scope.environmentKey,
      visitorCode: visitor[i]!,
      visitId: batch.visitIdPrefix + visit[i]!.toString(36),
      featureKey: h.featureKey,
      flagId: h.flagId ?? 0,
      ruleId: h.ruleId ?? 0,
      experimentId: h.experimentId ?? null,
      variationKey: h.variationKey,
      time: t,
      attributes: at,
    });
  }
}

function conversions(
  batch: CompactBatch,
  rows: Conversions,
  offset: number,
  scope: IngestionScope,
  now: number,
  events: AnalyticsEvent[],
  problems: EventProblem[],
): void {
  const { visit, visitor, goal, value, time, attributes } = rows;
  for (let i = 0; i < visitor.length; i++) {
    const index = offset + i;
    const goalId = scope.goalId(goal[i]!);
    const at = attributesAt(batch, attributes[i]!);
    const t = Math.trunc(batch.time + time[i]!);
    if (goalId === undefined)
      problems.push({ index, message: `goal '${goal[i]}' does not exist in project '${scope.projectKey}'` });
    if (at === undefined)
      problems.push({ index, message: `conversions.attributes[${i}] names no attribute set` });
    if (outsideTimeWindow(t, now)) problems.push({ index, message: `conversions.${TIME_WINDOW}` });
    if (problems.length > 0 || goalId === undefined || at === undefined) continue;
    events.push({
      kind: "conversion",
      projectKey: scope.projectKey,
      environmentKey: scope.environmentKey,
      visitorCode: visitor[i]!,
      visitId: batch.visitIdPrefix + visit[i]!.toString(36),
      goalId,
      value: value[i] ?? 1,
      time: t,
      attributes: at,
    });
  }
}
