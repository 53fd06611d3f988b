/**
 * Table layouts shared by both stores, declared once so the DDL, the DuckDB appender and the PostgreSQL
 * unnest insert cannot drift apart.
 *
 * Exposures and conversions live in two tables rather than one table with a kind column: the aggregation
 * reads exposures by flag and conversions by goal + unit key, so each table is sorted/indexed for its own
 * access path, stays narrow (no columns that are always null for the other kind), and a flag's scan never
 * touches conversion rows.
 */
import {
  type AnalyticsEvent,
  type ConversionEvent,
  type ExposureEvent,
  InvalidAnalyticsEventError,
  type VisitorAttributes,
} from "./analytics-store.js";

/** Custom attributes are stored as text: filters and breakdowns compare them as strings. */
export type CustomAttributesText = Record<string, string>;

export type ColumnValue = string | number | boolean | CustomAttributesText | null;

export type ColumnKind = "text" | "bigint" | "double" | "boolean" | "custom";

export interface EventColumn<E> {
  name: string;
  kind: ColumnKind;
  nullable: boolean;
  read: (event: E) => ColumnValue;
}

export const EXPOSURES_TABLE = "analytics_exposures";
export const CONVERSIONS_TABLE = "analytics_conversions";
export const PAYLOADS_TABLE = "analytics_payloads";

function attributeColumns<E extends { attributes?: VisitorAttributes }>(): EventColumn<E>[] {
  return [
    { name: "browser", kind: "text", nullable: true, read: (e) => e.attributes?.browser ?? null },
    { name: "device_type", kind: "text", nullable: true, read: (e) => e.attributes?.deviceType ?? null },
    { name: "os", kind: "text", nullable: true, read: (e) => e.attributes?.os ?? null },
    { name: "country", kind: "text", nullable: true, read: (e) => e.attributes?.country ?? null },
    { name: "new_visitor", kind: "boolean", nullable: true, read: (e) => e.attributes?.newVisitor ?? null },
    {
      name: "custom",
      kind: "custom",
      nullable: true,
      read: (e) => customAttributesText(e.attributes?.custom),
    },
  ];
}

export const EXPOSURE_COLUMNS: EventColumn<ExposureEvent>[] = [
  { name: "project_key", kind: "text", nullable: false, read: (e) => e.projectKey },
  { name: "environment_key", kind: "text", nullable: false, read: (e) => e.environmentKey },
  { name: "feature_key", kind: "text", nullable: false, read: (e) => e.featureKey },
  { name: "flag_id", kind: "bigint", nullable: false, read: (e) => e.flagId },
  { name: "rule_id", kind: "bigint", nullable: false, read: (e) => e.ruleId },
  { name: "experiment_id", kind: "bigint", nullable: true, read: (e) => e.experimentId },
  { name: "variation_key", kind: "text", nullable: false, read: (e) => e.variationKey },
  { name: "visitor_code", kind: "text", nullable: false, read: (e) => e.visitorCode },
  { name: "visit_id", kind: "text", nullable: false, read: (e) => e.visitId },
  { name: "time", kind: "bigint", nullable: false, read: (e) => e.time },
  ...attributeColumns<ExposureEvent>(),
];

export const CONVERSION_COLUMNS: EventColumn<ConversionEvent>[] = [
  { name: "project_key", kind: "text", nullable: false, read: (e) => e.projectKey },
  { name: "environment_key", kind: "text", nullable: false, read: (e) => e.environmentKey },
  { name: "goal_id", kind: "bigint", nullable: false, read: (e) => e.goalId },
  { name: "visitor_code", kind: "text", nullable: false, read: (e) => e.visitorCode },
  { name: "visit_id", kind: "text", nullable: false, read: (e) => e.visitId },
  { name: "value", kind: "double", nullable: false, read: (e) => e.value },
  { name: "time", kind: "bigint", nullable: false, read: (e) => e.time },
  ...attributeColumns<ConversionEvent>(),
];

export function customAttributesText(
  custom: Record<string, string | number | boolean> | undefined,
): CustomAttributesText | null {
  if (custom === undefined) return null;
  const text: CustomAttributesText = {};
  for (const [key, value] of Object.entries(custom)) text[key] = String(value);
  return text;
}

/** One column's values for a batch, in event order. */
export function columnValues<E>(column: EventColumn<E>, events: readonly E[]): ColumnValue[] {
  return events.map((event) => column.read(event));
}

export interface EventsByKind {
  exposures: ExposureEvent[];
  conversions: ConversionEvent[];
}

/** Validates a whole batch first so a bad event rejects its batch before anything is written. */
export function splitValidatedEvents(events: readonly AnalyticsEvent[]): EventsByKind {
  const split: EventsByKind = { exposures: [], conversions: [] };
  events.forEach((event, index) => {
    if (event.kind === "exposure") {
      validateExposure(event, index);
      split.exposures.push(event);
    } else if (event.kind === "conversion") {
      validateConversion(event, index);
      split.conversions.push(event);
    } else {
      throw new InvalidAnalyticsEventError(`event ${index}: unknown kind`);
    }
  });
  return split;
}

function validateExposure(event: ExposureEvent, index: number): void {
  requireCommonFields(event, index);
  requireText(event.featureKey, "featureKey", index);
  requireText(event.variationKey, "variationKey", index);
  requireId(event.flagId, "flagId", index);
  requireId(event.ruleId, "ruleId", index);
  if (event.experimentId !== null) requireId(event.experimentId, "experimentId", index);
}

function validateConversion(event: ConversionEvent, index: number): void {
  requireCommonFields(event, index);
  requireId(event.goalId, "goalId", index);
  if (typeof event.value !== "number" || !Number.isFinite(event.value)) {
    throw new InvalidAnalyticsEventError(`event ${index}: value must be a finite number`);
  }
}

function requireCommonFields(event: AnalyticsEvent, index: number): void {
  requireText(event.projectKey, "projectKey", index);
  requireText(event.environmentKey, "environmentKey", index);
  requireText(event.visitorCode, "visitorCode", index);
  requireText(event.visitId, "visitId", index);
  if (!Number.isSafeInteger(event.time) || event.time < 0) {
    throw new InvalidAnalyticsEventError(`event ${index}: time must be a non-negative integer (epoch ms)`);
  }
}

function requireText(value: unknown, field: string, index: number): void {
  if (typeof value !== "string" || value.length === 0) {
    throw new InvalidAnalyticsEventError(`event ${index}: ${field} must be a non-empty string`);
  }
}

function requireId(value: unknown, field: string, index: number): void {
  if (!Number.isSafeInteger(value)) {
    throw new InvalidAnalyticsEventError(`event ${index}: ${field} must be an integer`);
  }
}
