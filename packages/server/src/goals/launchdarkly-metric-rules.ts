import { badRequest } from "../http/api-error.js";
import type { JsonPatch } from "../http/json-patch.js";
import { type CappingSettingsInput, cappingView } from "./goals.service.js";
import type { Goal } from "./goals.store.js";
import type { MetricSettings } from "./launchdarkly-metric-view.js";
import { KINDS, type MetricPost, PATCHABLE, URL_KINDS } from "./launchdarkly-metrics.schemas.js";

// What a LaunchDarkly metric body means for a Vexil goal, checked without storage: the document a body or a
// JSON Patch describes, what Vexil can honour of it, and the list's filter and sort.

export interface MetricDocument {
  name: string;
  description: string;
  kind: Goal["kind"];
  selector?: string | undefined;
  urls: unknown[];
  isNumeric: boolean;
  unit?: string | undefined;
  eventKey: string;
  successCriteria: Goal["successCriteria"];
  tags: string[];
  randomizationUnits: string[];
  maintainerId?: string | undefined;
  unitAggregationType: Goal["unitAggregationType"];
  analysisType: string;
  eventDefault: { disabled?: boolean; value?: number };
  percentileValue?: number | undefined;
  cappingSettings?: CappingSettingsInput | undefined;
}

/**
 * Checks what Vexil can honour; `creating` also checks what LaunchDarkly requires of a new metric (URLs for
 * pageview and click metrics, a selector for click ones).
 */
export function checkMetric(metric: MetricDocument, creating: boolean, prefix = "body"): void {
  if (!(KINDS as readonly string[]).includes(metric.kind)) {
    throw badRequest(`${prefix}.kind must be one of ${KINDS.join(", ")}`);
  }
  if (typeof metric.name !== "string" || metric.name.length === 0 || metric.name.length > 256) {
    throw badRequest(`${prefix}.name must be a non-empty string of at most 256 characters`);
  }
  if (typeof metric.isNumeric !== "boolean") throw badRequest(`${prefix}.isNumeric must be a boolean`);
  if (metric.isNumeric && metric.kind !== "custom") {
    throw badRequest(`${prefix}.isNumeric: only custom metrics can be numeric (kind is '${metric.kind}')`);
  }
  if (metric.unit !== undefined && metric.unit !== null && !metric.isNumeric) {
    throw badRequest(`${prefix}.unit applies to numeric metrics only (set isNumeric: true)`);
  }
  if (metric.kind === "custom" && (metric.selector !== undefined || metric.urls.length > 0)) {
    throw badRequest(`${prefix}.selector and ${prefix}.urls apply to click and pageview metrics only`);
  }
  if (metric.kind === "pageview" && metric.selector !== undefined) {
    throw badRequest(`${prefix}.selector applies to click metrics only`);
  }
  if (creating && metric.kind !== "custom" && metric.urls.length === 0) {
    throw badRequest(`${prefix}.urls is required for ${metric.kind} metrics`);
  }
  if (creating && metric.kind === "click" && metric.selector === undefined) {
    throw badRequest(`${prefix}.selector is required for click metrics`);
  }
  metric.urls.forEach((raw, i) => {
    const url = raw as Record<string, unknown>;
    const field = url?.kind === "substring" ? "substring" : url?.kind === "regex" ? "pattern" : "url";
    if (
      !url ||
      !(URL_KINDS as readonly string[]).includes(url.kind as string) ||
      typeof url[field] !== "string"
    ) {
      throw badRequest(
        `${prefix}.urls.${i} must be {kind: exact|canonical, url} | {kind: substring, substring} | {kind: regex, pattern}`,
      );
    }
  });
  const units = metric.randomizationUnits;
  if (!Array.isArray(units) || units.some((u) => u !== "user")) {
    throw badRequest(
      `${prefix}.randomizationUnits: Vexil randomizes by visitor code, so only ["user"] is supported`,
    );
  }
  if (metric.analysisType !== "mean") {
    throw badRequest(
      `${prefix}.analysisType '${metric.analysisType}' is not supported (only 'mean'; percentile analysis is not available)`,
    );
  }
  if (metric.percentileValue !== undefined) {
    throw badRequest(`${prefix}.percentileValue applies to percentile analysis, which is not supported`);
  }
  const eventDefault = metric.eventDefault;
  if (
    !eventDefault ||
    typeof eventDefault !== "object" ||
    (eventDefault.disabled !== undefined && eventDefault.disabled !== false) ||
    (eventDefault.value !== undefined && eventDefault.value !== 0)
  ) {
    throw badRequest(
      `${prefix}.eventDefault: units without an event always count as 0 in Vexil ({value: 0})`,
    );
  }
  if (!Array.isArray(metric.tags) || metric.tags.some((t) => typeof t !== "string" || t.length === 0)) {
    throw badRequest(`${prefix}.tags must be an array of non-empty strings`);
  }
}

export function documentOf(goal: Goal, settings: MetricSettings): MetricDocument {
  return {
    name: goal.name,
    description: goal.description,
    kind: goal.kind,
    ...(settings.selector !== null ? { selector: settings.selector } : {}),
    urls: settings.urls,
    isNumeric: goal.isNumeric,
    ...(goal.unit !== null ? { unit: goal.unit } : {}),
    eventKey: goal.eventKey,
    successCriteria: goal.successCriteria,
    tags: goal.tags,
    randomizationUnits: ["user"],
    ...(settings.maintainerId !== null ? { maintainerId: settings.maintainerId } : {}),
    unitAggregationType: goal.unitAggregationType,
    analysisType: "mean",
    eventDefault: { disabled: false, value: 0 },
    cappingSettings: cappingView(goal.capping),
  };
}

/** Splits `a equals x,b anyOf ["p","q"]` at the commas outside brackets and quotes. */
function clauses(filter: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = "";
  for (const char of filter) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === "[") depth++;
    else if (!quoted && char === "]") depth--;
    if (char === "," && depth === 0 && !quoted) {
      parts.push(current.trim());
      current = "";
    } else current += char;
  }
  if (current.trim()) parts.push(current.trim());
  return parts.filter(Boolean);
}

function filterValues(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("[") || trimmed.startsWith('"')) {
    try {
      const parsed = JSON.parse(trimmed) as unknown;
      return (Array.isArray(parsed) ? parsed : [parsed]).map(String);
    } catch {
      throw badRequest(`filter: '${text}' is not a JSON string or array`);
    }
  }
  return [trimmed];
}

export type Listed = { goal: Goal; connections: number };
const FILTERS: Record<string, { ops: string[]; test: (m: Listed, values: string[]) => boolean }> = {
  query: {
    ops: ["equals"],
    test: (m, values) =>
      values.some(
        (v) =>
          m.goal.key.toLowerCase().includes(v.toLowerCase()) ||
          m.goal.name.toLowerCase().includes(v.toLowerCase()),
      ),
  },
  eventKind: { ops: ["equals"], test: (m, values) => values.includes(m.goal.kind) },
  isNumeric: { ops: ["equals"], test: (m, values) => values.includes(String(m.goal.isNumeric)) },
  tags: { ops: ["contains"], test: (m, values) => values.every((v) => m.goal.tags.includes(v)) },
  eventKeys: { ops: ["anyOf"], test: (m, values) => values.includes(m.goal.eventKey) },
  unitAggregationType: { ops: ["equals"], test: (m, values) => values.includes(m.goal.unitAggregationType) },
  hasConnections: { ops: ["equals"], test: (m, values) => values.includes(String(m.connections > 0)) },
};

export function applyFilter(items: Listed[], filter: string | undefined): Listed[] {
  let result = items;
  for (const clause of clauses(filter ?? "")) {
    const match = /^(\w+)\s+(\w+)\s+(.+)$/.exec(clause);
    if (!match) throw badRequest(`filter: '${clause}' must read '<field> <operator> <value>'`);
    const [, field, op, value] = match as unknown as [string, string, string, string];
    const known = FILTERS[field];
    if (!known)
      throw badRequest(`filter: unknown field '${field}' (supported: ${Object.keys(FILTERS).join(", ")})`);
    if (!known.ops.includes(op))
      throw badRequest(`filter: ${field} supports ${known.ops.join(", ")}, not '${op}'`);
    const values = filterValues(value);
    result = result.filter((m) => known.test(m, values));
  }
  return result;
}

export function applySort(items: Listed[], sort: string | undefined): Listed[] {
  if (!sort) return items;
  const descending = sort.startsWith("-");
  const field = descending ? sort.slice(1) : sort;
  const key: Record<string, (m: Listed) => string | number> = {
    name: (m) => m.goal.name.toLowerCase(),
    createdAt: (m) => Date.parse(m.goal.dateCreated),
    connectionCount: (m) => m.connections,
  };
  // Own keys only: `__proto__` or `constructor` must not reach Object.prototype.
  const of = Object.hasOwn(key, field) ? key[field] : undefined;
  if (!of)
    throw badRequest(`sort: unknown field '${field}' (name, createdAt, connectionCount; '-' for descending)`);
  return [...items].sort((a, b) => {
    const x = of(a);
    const y = of(b);
    const order = x < y ? -1 : x > y ? 1 : a.goal.id - b.goal.id;
    return descending ? -order : order;
  });
}

/** The metric document of a POST body, LaunchDarkly's defaults filled in. */
export function documentOfPost(body: MetricPost): MetricDocument {
  return {
    name: body.name ?? body.key,
    description: body.description ?? "",
    kind: body.kind,
    selector: body.selector,
    urls: body.urls ?? [],
    isNumeric: body.isNumeric ?? false,
    unit: body.unit,
    eventKey: body.eventKey ?? body.key,
    successCriteria: body.successCriteria ?? "HigherThanBaseline",
    tags: body.tags ?? [],
    randomizationUnits: body.randomizationUnits ?? ["user"],
    maintainerId: body.maintainerId,
    unitAggregationType: body.unitAggregationType ?? "sum",
    analysisType: body.analysisType ?? "mean",
    eventDefault: body.eventDefault ?? { value: 0 },
    percentileValue: body.percentileValue,
    cappingSettings: body.cappingSettings,
  };
}

/** Only the patchable fields may be a JSON Patch's `path` or `from`. */
export function checkPatchPaths(patch: JsonPatch): void {
  patch.forEach((operation, i) => {
    for (const path of [operation.path, ...("from" in operation ? [operation.from] : [])]) {
      if (!PATCHABLE.some((p) => path === p || path.startsWith(`${p}/`))) {
        throw badRequest(`body.${i}.path '${path}' cannot be changed (patchable: ${PATCHABLE.join(", ")})`);
      }
    }
  });
}

/** A patched document, typed by nothing but the patch: every field checked before it becomes a goal. */
export function checkPatchedMetric(next: MetricDocument): void {
  next.urls ??= [];
  checkMetric(next, false, "patched metric");
  for (const field of ["description", "eventKey", "unit", "selector", "maintainerId"] as const) {
    const value = next[field];
    if (value !== undefined && value !== null && typeof value !== "string") {
      throw badRequest(`patched metric.${field} must be a string`);
    }
  }
  if (!["HigherThanBaseline", "LowerThanBaseline"].includes(next.successCriteria)) {
    throw badRequest("patched metric.successCriteria must be HigherThanBaseline or LowerThanBaseline");
  }
  if (!["sum", "average"].includes(next.unitAggregationType)) {
    throw badRequest("patched metric.unitAggregationType must be sum or average");
  }
}
