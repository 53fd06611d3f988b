/**
 * Table layouts shared by both stores, declared once so the DDL, the DuckDB inserts (duckdb-vectors.ts) and
 * the PostgreSQL COPY (postgres-copy.ts) cannot drift apart.
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
  /** A key hash column: the text column it hashes (tables made before it existed are backfilled from it). */
  hashOf?: string;
}

/** Day partitions are named YYYYMMDD: four-digit years only. */
const YEAR_10000_MS = Date.UTC(10000, 0, 1);

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
  // Lets the aggregation tell one-visit units from the others by reading integers (see aggregation-sql.ts).
  {
    name: "visit_hash",
    kind: "bigint",
    nullable: false,
    read: (e) => keyHash(e.visitId),
    hashOf: "visit_id",
  },
  { name: "time", kind: "bigint", nullable: false, read: (e) => e.time },
  ...attributeColumns<ExposureEvent>(),
  visitorHashColumn<ExposureEvent>(),
];

/**
 * The aggregation groups and joins units on integer hashes of their keys rather than on the text: a
 * 10M-unit GROUP BY and join on BIGINT costs about half of the same on compressed VARCHAR. Added after
 * the first release, so last in the table (tables made before get it with ADD COLUMN and a backfill).
 */
function visitorHashColumn<E extends { visitorCode: string }>(): EventColumn<E> {
  return {
    name: "visitor_hash",
    kind: "bigint",
    nullable: false,
    read: (e) => keyHash(e.visitorCode),
    hashOf: "visitor_code",
  };
}

export const CONVERSION_COLUMNS: EventColumn<ConversionEvent>[] = [
  { name: "project_key", kind: "text", nullable: false, read: (e) => e.projectKey },
  { name: "environment_key", kind: "text", nullable: false, read: (e) => e.environmentKey },
  { name: "goal_id", kind: "bigint", nullable: false, read: (e) => e.goalId },
  { name: "visitor_code", kind: "text", nullable: false, read: (e) => e.visitorCode },
  { name: "visit_id", kind: "text", nullable: false, read: (e) => e.visitId },
  { name: "value", kind: "double", nullable: false, read: (e) => e.value },
  { name: "time", kind: "bigint", nullable: false, read: (e) => e.time },
  ...attributeColumns<ConversionEvent>(),
  visitorHashColumn<ConversionEvent>(),
  {
    name: "visit_hash",
    kind: "bigint",
    nullable: false,
    read: (e) => keyHash(e.visitId),
    hashOf: "visit_id",
  },
];

/**
 * 53-bit hash of a visitor code or visit id (two 32-bit multiply-xorshift lanes, the "cyrb53"
 * construction): fits a JS safe integer and a BIGINT, stable across processes and versions because it is
 * computed here. Two keys of 10 million share a hash with probability ~0.5 % (n^2 / 2^54); such a pair would
 * count as one unit.
 */
export function keyHash(key: string): number {
  let high = 0xdeadbeef;
  let low = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    high = Math.imul(high ^ code, 2654435761);
    low = Math.imul(low ^ code, 1597334677);
  }
  high = Math.imul(high ^ (high >>> 16), 2246822507) ^ Math.imul(low ^ (low >>> 13), 3266489909);
  low = Math.imul(low ^ (low >>> 16), 2246822507) ^ Math.imul(high ^ (high >>> 13), 3266489909);
  return 4294967296 * (0x1fffff & low) + (high >>> 0);
}

// The events of a format-2 batch share their attribute sets (compact-batch.ts): each set's text form is made
// once, and being one object, the stores' writers can reuse what they derive from it (postgres-copy.ts).
const customTexts = new WeakMap<object, CustomAttributesText>();

/** The text form of custom attributes; one object per attribute set, which must not change once appended. */
export function customAttributesText(
  custom: Record<string, string | number | boolean> | undefined,
): CustomAttributesText | null {
  if (custom === undefined) return null;
  let text = customTexts.get(custom);
  if (text === undefined) {
    text = {};
    for (const [key, value] of Object.entries(custom)) text[key] = String(value);
    customTexts.set(custom, text);
  }
  return text;
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
  if (!Number.isSafeInteger(event.time) || event.time < 0 || event.time >= YEAR_10000_MS) {
    throw new InvalidAnalyticsEventError(
      `event ${index}: time must be an integer epoch ms in years 1970-9999`,
    );
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

/** Maintenance inputs (retention cutoff, experiment id) are bound as BIGINT: refuse anything else early. */
export function requireSafeInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be an integer, got ${value}`);
}
