import { createHash } from "node:crypto";
import { parseInstant as parseEngineInstant } from "@vexil/engine";
import type { AttributeFilter, AttributeName, Breakdown } from "../analytics/analytics-store.js";
import type { FlagRecord, StoredRule } from "../flags/flags.document.js";
import { ApiError } from "../http/api-error.js";
import {
  type BreakdownInterval,
  type BreakdownType,
  type ConversionType,
  type FilterType,
  MAX_COVARIATES,
  type ResultsRequestInput,
  type VarianceReductionMethod,
} from "./results.schemas.js";

/**
 * A results request with every default filled in and every set sorted: what the report depends on. Its
 * digest is the dataCode. `callbackUrl` is not part of it (it says where to deliver, not what to compute).
 */
export interface CanonicalResultsRequest {
  featureFlagId: number;
  environmentKey: string;
  /** The EXPERIMENTATION rule reported on; null when the environment has none (every exposure counts). */
  ruleId: number | null;
  /** ISO-8601 instants (UTC, milliseconds), sorted; each [start, end). */
  dateIntervals: { start: string; end: string }[];
  conversionType: ConversionType;
  visitorData: boolean;
  allVariationsData: boolean;
  bayesian: boolean;
  sequentialTesting: boolean;
  enabledMultipleTesting: boolean;
  referenceVariationId: number;
  /** cumulative: only when true (so requests without it keep their dataCode). */
  breakdown: { type: BreakdownType; interval?: BreakdownInterval; key?: string; cumulative?: true } | null;
  goalsIds: number[];
  goalIdsCuped: number[];
  filters: { type: FilterType; key?: string; include: boolean; values: string[] }[];
  /** Vexil extension, only when asked (so requests without it keep their dataCode). */
  varianceReduction?: CanonicalVarianceReduction;
}

/** Regression on covariate goals' pre-period values, or post-stratification by a visitor attribute. */
export interface CanonicalVarianceReduction {
  method: VarianceReductionMethod;
  /** Sorted. */
  goalIds: number[];
  /** REGRESSION: in the order asked (a covariate collinear with earlier ones is the one left out). */
  covariateGoalIds?: number[];
  /** REGRESSION: numeric custom attributes, after the goals; only when asked (dataCode stability). */
  covariateAttributes?: string[];
  stratification?: { type: FilterType; key?: string };
}

/**
 * Parses an ISO-8601 date or date-time (UTC when it carries no offset); NaN when it is not one or names no
 * real day (2025-02-30): the engine's strict reader, not Date.parse, which rolls such dates over.
 */
export function parseInstant(text: string): number {
  return parseEngineInstant(text, "UTC");
}

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** The dataCode: the first 15 hex digits (60 bits) of SHA-256 of the canonical request, in decimal. */
export function dataCodeOf(request: CanonicalResultsRequest): string {
  const hex = createHash("sha256").update(canonicalJson(request)).digest("hex").slice(0, 15);
  return BigInt(`0x${hex}`).toString(10);
}

/** The goals a flag declares: primary first, then secondary, without repeats. */
export function flagGoalIds(flag: FlagRecord): number[] {
  const ids = [flag.doc.primaryGoalId, ...flag.doc.secondaryGoalIds].filter(
    (id): id is number => typeof id === "number",
  );
  return [...new Set(ids)];
}

const sortedUnique = <T>(values: T[]): T[] =>
  [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function experimentationRules(flag: FlagRecord, environmentKey: string): StoredRule[] {
  const environment = flag.doc.environmentConfigurations.find((e) => e.environmentKey === environmentKey);
  return (environment?.rolloutRules ?? []).filter((rule) => rule.type === "EXPERIMENTATION");
}

/**
 * The environment reported on: the one asked for, else the only one with an experimentation rule, else
 * `production` when it has one, else the first (in project order) that has one, else `production` or the
 * first environment.
 */
function resolveEnvironment(
  flag: FlagRecord,
  asked: string | undefined,
  projectEnvironments: string[],
): string {
  if (asked !== undefined) {
    if (!projectEnvironments.includes(asked)) {
      throw new ApiError(
        400,
        `body.environmentKey: project '${flag.meta.projectKey}' has no environment '${asked}' (it has ${projectEnvironments.join(", ")})`,
      );
    }
    return asked;
  }
  const withExperiments = projectEnvironments.filter((key) => experimentationRules(flag, key).length > 0);
  if (withExperiments.length === 1) return withExperiments[0]!;
  if (withExperiments.includes("production")) return "production";
  if (withExperiments.length > 0) return withExperiments[0]!;
  if (projectEnvironments.includes("production")) return "production";
  const first = projectEnvironments[0];
  if (first === undefined) throw new ApiError(400, `project '${flag.meta.projectKey}' has no environment`);
  return first;
}

/** The experimentation rule: the one asked for, else the first ACTIVE one, else the first; null when none. */
function resolveRule(flag: FlagRecord, environmentKey: string, asked: number | undefined): StoredRule | null {
  const rules = experimentationRules(flag, environmentKey);
  if (asked !== undefined) {
    const rule = rules.find((r) => r.id === asked);
    if (!rule) {
      throw new ApiError(
        400,
        `body.ruleId: ${asked} is not an EXPERIMENTATION rule of feature flag ${flag.meta.id} in '${environmentKey}'` +
          (rules.length > 0 ? ` (its experimentation rules: ${rules.map((r) => r.id).join(", ")})` : ""),
      );
    }
    return rule;
  }
  return rules.find((r) => r.state === "ACTIVE") ?? rules[0] ?? null;
}

/** The reference variation: the one asked for; absent, null or "0" (Kameleoon's original) = the control. */
function resolveReference(
  flag: FlagRecord,
  rule: StoredRule | null,
  asked: string | number | null | undefined,
) {
  const variations = flag.doc.variations;
  if (asked === undefined || asked === null || String(asked).trim() === "0" || String(asked).trim() === "") {
    const controlKey = rule?.controlVariationKey ?? rule?.trafficAllocations?.[0]?.variationKey;
    const control = variations.find((v) => v.key === controlKey) ?? variations[0];
    if (!control) throw new ApiError(400, `feature flag ${flag.meta.id} has no variations`);
    return control.id;
  }
  const text = String(asked).trim();
  const id = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  const variation = variations.find((v) => v.id === id);
  if (!variation) {
    throw new ApiError(
      400,
      `body.referenceVariationId: feature flag ${flag.meta.id} has no variation ${JSON.stringify(asked)} (its variations: ${variations
        .map((v) => `${v.id} (${v.key})`)
        .join(", ")})`,
    );
  }
  return variation.id;
}

function resolveDateIntervals(input: ResultsRequestInput["dateIntervals"]) {
  const intervals = input.map((interval, index) => {
    const start = parseInstant(interval.start);
    const end = parseInstant(interval.end);
    if (!Number.isFinite(start))
      throw new ApiError(400, `body.dateIntervals.${index}.start must be an ISO-8601 date-time`);
    if (!Number.isFinite(end))
      throw new ApiError(400, `body.dateIntervals.${index}.end must be an ISO-8601 date-time`);
    if (end <= start)
      throw new ApiError(
        400,
        `body.dateIntervals.${index}.end must be after body.dateIntervals.${index}.start`,
      );
    return { start, end };
  });
  intervals.sort((a, b) => a.start - b.start || a.end - b.end);
  return intervals.map((i) => ({
    start: new Date(i.start).toISOString(),
    end: new Date(i.end).toISOString(),
  }));
}

function resolveBreakdown(input: ResultsRequestInput["breakdown"]): CanonicalResultsRequest["breakdown"] {
  if (input === undefined || input === null) return null;
  if (input.type === "INTERVAL") {
    if (input.key !== undefined)
      throw new ApiError(400, "body.breakdown.key is only allowed with type CUSTOM_DATUM");
    return {
      type: "INTERVAL",
      interval: input.interval ?? "DAY",
      ...(input.cumulative ? { cumulative: true } : {}),
    };
  }
  if (input.interval !== undefined)
    throw new ApiError(400, "body.breakdown.interval is only allowed with type INTERVAL");
  if (input.cumulative !== undefined)
    throw new ApiError(400, "body.breakdown.cumulative is only allowed with type INTERVAL");
  if (input.type === "CUSTOM_DATUM") {
    if (input.key === undefined)
      throw new ApiError(400, "body.breakdown.key is required with type CUSTOM_DATUM (the custom attribute)");
    return { type: "CUSTOM_DATUM", key: input.key };
  }
  if (input.key !== undefined)
    throw new ApiError(400, "body.breakdown.key is only allowed with type CUSTOM_DATUM");
  return { type: input.type };
}

function resolveFilters(input: ResultsRequestInput["filters"]): CanonicalResultsRequest["filters"] {
  const filters = (input ?? []).map((filter, index) => {
    const field = `body.filters.${index}`;
    if (filter.type === "CUSTOM_DATUM" && filter.key === undefined)
      throw new ApiError(400, `${field}.key is required with type CUSTOM_DATUM (the custom attribute)`);
    if (filter.type !== "CUSTOM_DATUM" && filter.key !== undefined)
      throw new ApiError(400, `${field}.key is only allowed with type CUSTOM_DATUM`);
    const values = filter.values.map((value, valueIndex) => {
      if (filter.type === "NEW_VISITOR") {
        const text = String(value).toLowerCase();
        if (text !== "true" && text !== "false")
          throw new ApiError(400, `${field}.values.${valueIndex} must be true or false for NEW_VISITOR`);
        return text;
      }
      return String(value);
    });
    return {
      type: filter.type,
      ...(filter.key !== undefined ? { key: filter.key } : {}),
      include: filter.include ?? true,
      values: sortedUnique(values),
    };
  });
  return filters.sort((a, b) => {
    const x = canonicalJson(a);
    const y = canonicalJson(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

function resolveGoals(flag: FlagRecord, input: ResultsRequestInput) {
  const flagGoals = flagGoalIds(flag);
  const asked = input.goalsIds;
  let goalsIds: number[];
  if (asked === undefined || asked === null) goalsIds = sortedUnique(flagGoals);
  else {
    asked.forEach((id, index) => {
      if (!flagGoals.includes(id)) {
        throw new ApiError(
          400,
          `body.goalsIds.${index}: goal ${id} is not a goal of feature flag ${flag.meta.id} (its goals: ${flagGoals.join(", ") || "none"})`,
        );
      }
    });
    goalsIds = sortedUnique(asked);
  }
  const cuped = input.goalIdsCuped ?? [];
  cuped.forEach((id, index) => {
    if (!goalsIds.includes(id)) {
      throw new ApiError(
        400,
        `body.goalIdsCuped.${index}: goal ${id} is not among the goals of this report (${goalsIds.join(", ") || "none"})`,
      );
    }
  });
  return { goalsIds, goalIdsCuped: sortedUnique(cuped) };
}

function resolveVarianceReduction(
  input: ResultsRequestInput,
  goals: { goalsIds: number[]; goalIdsCuped: number[] },
  breakdown: CanonicalResultsRequest["breakdown"],
): CanonicalVarianceReduction | undefined {
  const vr = input.varianceReduction;
  if (vr === undefined || vr === null) return undefined;
  const field = "body.varianceReduction";
  vr.goalIds.forEach((id, index) => {
    if (!goals.goalsIds.includes(id))
      throw new ApiError(
        400,
        `${field}.goalIds.${index}: goal ${id} is not among the goals of this report (${goals.goalsIds.join(", ") || "none"})`,
      );
    if (goals.goalIdsCuped.includes(id))
      throw new ApiError(
        400,
        `${field}.goalIds.${index}: goal ${id} is also in goalIdsCuped; a goal gets one variance reduction`,
      );
  });
  // The adjustment is computed on the totals; per breakdown value it would need its own strata/regression.
  if (breakdown !== null)
    throw new ApiError(400, `${field} cannot be combined with breakdown (it adjusts the totals)`);
  if (vr.method === "REGRESSION") {
    if (vr.stratification !== undefined)
      throw new ApiError(400, `${field}.stratification is only allowed with method POST_STRATIFICATION`);
    const covariates = vr.covariateGoalIds ?? [];
    const attributes = vr.covariateAttributes ?? [];
    if (covariates.length + attributes.length === 0)
      throw new ApiError(
        400,
        `${field}.covariateGoalIds or covariateAttributes is required with method REGRESSION`,
      );
    if (covariates.length + attributes.length > MAX_COVARIATES)
      throw new ApiError(
        400,
        `${field}: at most ${MAX_COVARIATES} covariates (goals and attributes together)`,
      );
    covariates.forEach((id, index) => {
      if (covariates.indexOf(id) !== index)
        throw new ApiError(400, `${field}.covariateGoalIds.${index}: goal ${id} is listed twice`);
    });
    attributes.forEach((key, index) => {
      if (attributes.indexOf(key) !== index)
        throw new ApiError(400, `${field}.covariateAttributes.${index}: '${key}' is listed twice`);
    });
    return {
      method: "REGRESSION",
      goalIds: sortedUnique(vr.goalIds),
      covariateGoalIds: covariates,
      ...(attributes.length > 0 ? { covariateAttributes: attributes } : {}),
    };
  }
  if (vr.covariateGoalIds !== undefined)
    throw new ApiError(400, `${field}.covariateGoalIds is only allowed with method REGRESSION`);
  if (vr.covariateAttributes !== undefined)
    throw new ApiError(400, `${field}.covariateAttributes is only allowed with method REGRESSION`);
  const strat = vr.stratification;
  if (strat === undefined)
    throw new ApiError(400, `${field}.stratification is required with method POST_STRATIFICATION`);
  if (strat.type === "CUSTOM_DATUM" && strat.key === undefined)
    throw new ApiError(
      400,
      `${field}.stratification.key is required with type CUSTOM_DATUM (the custom attribute)`,
    );
  if (strat.type !== "CUSTOM_DATUM" && strat.key !== undefined)
    throw new ApiError(400, `${field}.stratification.key is only allowed with type CUSTOM_DATUM`);
  return {
    method: "POST_STRATIFICATION",
    goalIds: sortedUnique(vr.goalIds),
    stratification: { type: strat.type, ...(strat.key !== undefined ? { key: strat.key } : {}) },
  };
}

/** Checks a request against its flag and fills in every default; throws 400 naming the field. */
export function canonicalRequest(
  flag: FlagRecord,
  input: ResultsRequestInput,
  projectEnvironments: string[],
): CanonicalResultsRequest {
  const dateIntervals = resolveDateIntervals(input.dateIntervals);
  const environmentKey = resolveEnvironment(flag, input.environmentKey, projectEnvironments);
  const rule = resolveRule(flag, environmentKey, input.ruleId);
  const breakdown = resolveBreakdown(input.breakdown);
  const goals = resolveGoals(flag, input);
  const varianceReduction = resolveVarianceReduction(input, goals, breakdown);
  return {
    featureFlagId: flag.meta.id,
    environmentKey,
    ruleId: rule?.id ?? null,
    dateIntervals,
    conversionType: input.conversionType,
    visitorData: input.visitorData ?? false,
    allVariationsData: input.allVariationsData ?? false,
    bayesian: input.bayesian ?? false,
    sequentialTesting: input.sequentialTesting ?? false,
    enabledMultipleTesting: input.enabledMultipleTesting ?? false,
    referenceVariationId: resolveReference(flag, rule, input.referenceVariationId),
    breakdown,
    ...goals,
    filters: resolveFilters(input.filters),
    ...(varianceReduction ? { varianceReduction } : {}),
  };
}

const FILTER_ATTRIBUTES: Record<Exclude<FilterType, "CUSTOM_DATUM">, AttributeName> = {
  BROWSER: "browser",
  DEVICE_TYPE: "deviceType",
  OS: "os",
  COUNTRY: "country",
  NEW_VISITOR: "newVisitor",
};

/** The analytics store's filters for a canonical request. */
export function attributeFilters(request: CanonicalResultsRequest): AttributeFilter[] {
  return request.filters.map((filter) => ({
    attribute:
      filter.type === "CUSTOM_DATUM"
        ? (`custom:${filter.key}` as AttributeName)
        : FILTER_ATTRIBUTES[filter.type],
    include: filter.include,
    values: filter.values,
  }));
}

/** The analytics store's breakdown for a canonical request. */
export function analyticsBreakdown(request: CanonicalResultsRequest): Breakdown | undefined {
  const breakdown = request.breakdown;
  if (!breakdown) return undefined;
  if (breakdown.type === "INTERVAL") return { type: "INTERVAL", interval: breakdown.interval ?? "DAY" };
  if (breakdown.type === "CUSTOM_DATUM") return { type: "CUSTOM_DATUM", customKey: breakdown.key! };
  return { type: breakdown.type };
}
