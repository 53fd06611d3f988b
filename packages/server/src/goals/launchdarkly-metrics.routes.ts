import { Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { badRequest, conflict, notFound } from "../http/api-error.js";
import { applyJsonPatch, type JsonPatch, JsonPatchBody } from "../http/json-patch.js";
import { LimitOffset, launchDarklyCollection } from "../http/launchdarkly-collections.js";
import { actorOf, methodNotAllowed, parseExpand } from "../http/launchdarkly-http.js";
import type { TypedApp } from "../http/typed-app.js";
import { projectsStore } from "../projects/projects.store.js";
import {
  createdMetricResponse,
  deletedMetricResponse,
  metricListResponse,
  metricResponse,
} from "./goals.responses.js";
import { type Goal, goalsStore } from "./goals.store.js";
import {
  emptyMetricSettings,
  type MetricSettings,
  metricRep,
  metricSettingsStore,
} from "./launchdarkly-metric-view.js";

// LaunchDarkly's Metrics API over Vexil goals: a metric IS a goal (metricKey = goal key), so a metric created
// here is a goal under /goals and a goal created there is a metric here.

const ProjectKey = Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}$" });
const MetricKey = Type.String({ pattern: "^[A-Za-z0-9._-]{1,128}$" });
const KINDS = ["custom", "pageview", "click"] as const;
const URL_KINDS = ["exact", "canonical", "substring", "regex"] as const;
const EXPANDS = ["experiments", "experimentCount", "metricGroups", "metricGroupCount"] as const;

const UrlSchema = Type.Object(
  {
    kind: Type.Enum([...URL_KINDS]),
    url: Type.Optional(Type.String({ maxLength: 2048 })),
    substring: Type.Optional(Type.String({ maxLength: 2048 })),
    pattern: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: false },
);

const metricFields = {
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  kind: Type.Enum([...KINDS]),
  selector: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  urls: Type.Optional(Type.Array(UrlSchema, { maxItems: 50 })),
  isNumeric: Type.Optional(Type.Boolean()),
  unit: Type.Optional(Type.String({ maxLength: 64 })),
  eventKey: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  successCriteria: Type.Optional(Type.Enum(["HigherThanBaseline", "LowerThanBaseline"])),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 100 })),
  randomizationUnits: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 10 }),
  ),
  maintainerId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  unitAggregationType: Type.Optional(Type.Enum(["sum", "average"])),
  analysisType: Type.Optional(Type.String({ maxLength: 32 })),
  percentileValue: Type.Optional(Type.Integer()),
  eventDefault: Type.Optional(
    Type.Object(
      { disabled: Type.Optional(Type.Boolean()), value: Type.Optional(Type.Number()) },
      { additionalProperties: false },
    ),
  ),
};

const MetricPostBody = Type.Object({ key: MetricKey, ...metricFields }, { additionalProperties: false });

/** The fields of a metric a JSON Patch may change. */
const PATCHABLE = [
  "/name",
  "/description",
  "/kind",
  "/selector",
  "/urls",
  "/isNumeric",
  "/unit",
  "/eventKey",
  "/successCriteria",
  "/tags",
  "/randomizationUnits",
  "/maintainerId",
  "/unitAggregationType",
  "/analysisType",
  "/eventDefault",
];

interface MetricDocument {
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
}

/**
 * Checks what Vexil can honour; `creating` also checks what LaunchDarkly requires of a new metric (URLs for
 * pageview and click metrics, a selector for click ones).
 */
function checkMetric(metric: MetricDocument, creating: boolean, prefix = "body"): void {
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

function documentOf(goal: Goal, settings: MetricSettings): MetricDocument {
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

type Listed = { goal: Goal; connections: number };
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

function applyFilter(items: Listed[], filter: string | undefined): Listed[] {
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

function applySort(items: Listed[], sort: string | undefined): Listed[] {
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

/** LaunchDarkly REST API v2: Metrics. */
export function launchDarklyMetricRoutes(app: TypedApp, context: AppContext) {
  const goals = context.services.goals;
  const tags = ["launchdarkly: metrics"];
  const ProjectParams = Type.Object({ projectKey: ProjectKey });
  const MetricParams = Type.Object({
    projectKey: ProjectKey,
    metricKey: Type.String({ minLength: 1, maxLength: 128 }),
  });

  const projectOrThrow = async (projectKey: string) => {
    if (!(await projectsStore.find(context.db, projectKey)))
      throw notFound(`Project '${projectKey}' not found`);
  };
  const metricOrThrow = async (projectKey: string, metricKey: string) => {
    await projectOrThrow(projectKey);
    const goal = await goalsStore.findByKey(context.db, projectKey, metricKey);
    if (!goal) throw notFound(`Metric '${metricKey}' not found in project '${projectKey}'`);
    return goal;
  };
  const represent = async (goal: Goal, expand: ReadonlySet<string>) => {
    const [settings, usage] = await Promise.all([
      metricSettingsStore.get(context.db, [goal.id]),
      context.services.experiments.metricUsage(goal.projectKey, [goal.id]),
    ]);
    return metricRep(goal, settings.get(goal.id) ?? emptyMetricSettings(), usage.get(goal.id)!, expand);
  };

  app.get(
    "/api/v2/metrics/:projectKey",
    {
      config: { access: "reader" },
      schema: {
        tags,
        params: ProjectParams,
        querystring: Type.Object(
          {
            ...LimitOffset,
            expand: Type.Optional(Type.String({ maxLength: 200 })),
            filter: Type.Optional(Type.String({ maxLength: 2000 })),
            sort: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: metricListResponse,
      },
    },
    async (request) => {
      const { projectKey } = request.params;
      const { limit, offset, expand, filter, sort } = request.query;
      const expands = parseExpand(expand, EXPANDS);
      await projectOrThrow(projectKey);
      const all = await goalsStore.list(context.db, [projectKey]);
      const ids = all.map((g) => g.id);
      const [settings, usage] = await Promise.all([
        metricSettingsStore.get(context.db, ids),
        context.services.experiments.metricUsage(projectKey, ids),
      ]);
      const connections = (g: Goal) => usage.get(g.id)!.flags.length + usage.get(g.id)!.experiments.length;
      const listed = applySort(
        applyFilter(
          all.map((goal) => ({ goal, connections: connections(goal) })),
          filter,
        ),
        sort,
      );
      const query = new URLSearchParams();
      if (expand) query.set("expand", expand);
      if (filter) query.set("filter", filter);
      if (sort) query.set("sort", sort);
      return launchDarklyCollection(
        `/api/v2/metrics/${projectKey}`,
        listed.map(({ goal }) =>
          metricRep(goal, settings.get(goal.id) ?? emptyMetricSettings(), usage.get(goal.id)!, expands),
        ),
        { limit, offset },
        query.toString(),
      );
    },
  );

  app.post(
    "/api/v2/metrics/:projectKey",
    {
      config: { access: "writer" },
      schema: { tags, params: ProjectParams, body: MetricPostBody, response: createdMetricResponse },
    },
    async (request, reply) => {
      const { projectKey } = request.params;
      const body = request.body;
      await projectOrThrow(projectKey);
      const document: MetricDocument = {
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
      };
      checkMetric(document, true);
      const goal = await goals.create(actorOf(request), {
        siteCode: projectKey,
        key: body.key,
        name: document.name,
        description: document.description,
        kind: document.kind,
        eventKey: document.eventKey,
        isNumeric: document.isNumeric,
        unit: document.unit,
        successCriteria: document.successCriteria,
        unitAggregationType: document.unitAggregationType,
        tags: document.tags,
      });
      await metricSettingsStore.put(context.db, goal.id, {
        maintainerId: document.maintainerId ?? null,
        selector: document.selector ?? null,
        urls: document.urls,
      });
      return reply.status(201).send(await represent(goal, new Set()));
    },
  );

  app.get(
    "/api/v2/metrics/:projectKey/:metricKey",
    {
      config: { access: "reader" },
      schema: {
        tags,
        params: MetricParams,
        querystring: Type.Object(
          { expand: Type.Optional(Type.String({ maxLength: 200 })) },
          { additionalProperties: false },
        ),
        response: metricResponse,
      },
    },
    async (request) => {
      const expands = parseExpand(request.query.expand, EXPANDS);
      const goal = await metricOrThrow(request.params.projectKey, request.params.metricKey);
      return represent(goal, expands);
    },
  );

  app.patch(
    "/api/v2/metrics/:projectKey/:metricKey",
    {
      config: { access: "writer" },
      schema: {
        tags,
        params: MetricParams,
        body: Type.Union([
          JsonPatchBody,
          Type.Object(
            { comment: Type.Optional(Type.String({ maxLength: 5000 })), patch: JsonPatchBody },
            { additionalProperties: false },
          ),
        ]),
        response: metricResponse,
      },
    },
    async (request) => {
      const goal = await metricOrThrow(request.params.projectKey, request.params.metricKey);
      const body = request.body as JsonPatch | { patch: JsonPatch };
      const patch = Array.isArray(body) ? body : body.patch;
      patch.forEach((operation, i) => {
        for (const path of [operation.path, ...("from" in operation ? [operation.from] : [])]) {
          if (!PATCHABLE.some((p) => path === p || path.startsWith(`${p}/`))) {
            throw badRequest(
              `body.${i}.path '${path}' cannot be changed (patchable: ${PATCHABLE.join(", ")})`,
            );
          }
        }
      });
      const settings =
        (await metricSettingsStore.get(context.db, [goal.id])).get(goal.id) ?? emptyMetricSettings();
      const next = applyJsonPatch(documentOf(goal, settings), patch, PATCHABLE);
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
      const updated = await goals.update(actorOf(request), goal.id, {
        name: next.name,
        description: next.description ?? "",
        kind: next.kind,
        eventKey: next.eventKey ?? goal.key,
        isNumeric: next.isNumeric,
        unit: next.unit ?? null,
        successCriteria: next.successCriteria,
        unitAggregationType: next.unitAggregationType,
        tags: next.tags,
      });
      await metricSettingsStore.put(context.db, goal.id, {
        maintainerId: next.maintainerId ?? null,
        selector: next.selector ?? null,
        urls: next.urls,
      });
      return represent(updated, new Set());
    },
  );

  app.delete(
    "/api/v2/metrics/:projectKey/:metricKey",
    { config: { access: "writer" }, schema: { tags, params: MetricParams, response: deletedMetricResponse } },
    async (request, reply) => {
      const goal = await metricOrThrow(request.params.projectKey, request.params.metricKey);
      const usage = (await context.services.experiments.metricUsage(goal.projectKey, [goal.id])).get(
        goal.id,
      )!;
      const users = [
        ...usage.experiments.map((e) => `experiment '${e.key}' (${e.environmentKey})`),
        ...usage.flags.map((f) => `flag '${f.key}'`),
      ];
      if (users.length > 0) throw conflict(`Metric '${goal.key}' is in use by ${users.join(", ")}`);
      await goals.delete(actorOf(request), goal.id);
      return reply.status(204).send();
    },
  );

  methodNotAllowed(app, "/api/v2/metrics/:projectKey", ["GET", "POST"]);
  methodNotAllowed(app, "/api/v2/metrics/:projectKey/:metricKey", ["GET", "PATCH", "DELETE"]);
}
