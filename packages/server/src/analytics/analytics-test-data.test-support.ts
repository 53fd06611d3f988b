/**
 * Test support for the analytics store suite (not a test file itself): a seeded generator of raw events
 * and a reference model that computes every expected statistic from those raw events in plain TypeScript,
 * independently of the SQL (no shared code with aggregation-sql.ts beyond the public types).
 */

import type {
  AggregationQuery,
  AnalyticsEvent,
  ConversionEvent,
  ExposureEvent,
  SeriesPoint,
  VariationStats,
  VisitorAttributes,
} from "./analytics-store.js";
import { seededRandom } from "./seeded-random.js";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** A Wednesday; three weeks of traffic cross a month boundary and several ISO weeks. */
export const TRAFFIC_START = Date.UTC(2025, 0, 22, 9, 30);
export const TRAFFIC_DAYS = 21;

export const PROJECT = "shop";
export const ENVIRONMENT = "production";
export const FEATURE = "checkout";
export const REVENUE_GOAL = 1;
export const CLICK_GOAL = 2;
export const MAIN_EXPERIMENT = { ruleId: 10, experimentId: 100 };
export const SIDE_EXPERIMENT = { ruleId: 11, experimentId: 101 };
export const VARIATIONS = ["off", "on", "v2"] as const;
/** A custom attribute key that would break naive SQL quoting. */
export const AWKWARD_CUSTOM_KEY = `it's "odd"`;

type Random = () => number;

function pick<T>(random: Random, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]!;
}

function between(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low));
}

interface VisitorPlan {
  code: string;
  visits: { id: string; start: number }[];
  experiment: { ruleId: number; experimentId: number };
  variation: string;
  baseAttributes: VisitorAttributes;
}

/** Visitor codes with quotes and non-ASCII now and then, to exercise the appender and unnest paths. */
function visitorCode(index: number): string {
  return index % 397 === 0 ? `v'${index}"é` : `v${index}`;
}

function planVisitor(random: Random, index: number): VisitorPlan {
  const code = visitorCode(index);
  const visitCount = between(random, 1, 5);
  let start = TRAFFIC_START + Math.floor(random() * TRAFFIC_DAYS * DAY);
  const visits = [];
  for (let k = 0; k < visitCount; k++) {
    visits.push({ id: `${code}-s${k}`, start });
    start += between(random, HOUR, 3 * DAY);
  }
  return {
    code,
    visits,
    experiment: random() < 0.85 ? MAIN_EXPERIMENT : SIDE_EXPERIMENT,
    variation: pick(random, VARIATIONS),
    baseAttributes: randomAttributes(random),
  };
}

function randomAttributes(random: Random): VisitorAttributes {
  const attributes: VisitorAttributes = {};
  const browser = pick(random, ["chrome", "chrome", "firefox", "safari", undefined]);
  if (browser) attributes.browser = browser;
  if (random() < 0.9) attributes.deviceType = pick(random, ["desktop", "mobile", "tablet"]);
  if (random() < 0.9) attributes.os = pick(random, ["linux", "mac", "windows", "ios", "android"]);
  const country = pick(random, ["FR", "US", "DE", "BR", undefined]);
  if (country) attributes.country = country;
  if (random() < 0.9) {
    const custom: Record<string, string | number | boolean> = { plan: pick(random, ["free", "pro", "team"]) };
    if (random() < 0.7) custom.age = between(random, 18, 25);
    if (random() < 0.5) custom.beta = random() < 0.5;
    if (random() < 0.3) custom[AWKWARD_CUSTOM_KEY] = pick(random, ["a'b", "plain"]);
    attributes.custom = custom;
  }
  return attributes;
}

/** Later visits sometimes change browser; newVisitor is true on the first visit only. */
function visitAttributes(random: Random, plan: VisitorPlan, visitIndex: number): VisitorAttributes {
  const attributes: VisitorAttributes = { ...plan.baseAttributes, newVisitor: visitIndex === 0 };
  if (visitIndex > 0 && random() < 0.15) attributes.browser = pick(random, ["edge", "firefox"]);
  if (random() < 0.05) delete attributes.newVisitor;
  return attributes;
}

function exposure(
  plan: VisitorPlan,
  visitId: string,
  time: number,
  variationKey: string,
  attributes: VisitorAttributes,
  overrides: Partial<ExposureEvent> = {},
): ExposureEvent {
  return {
    kind: "exposure",
    projectKey: PROJECT,
    environmentKey: ENVIRONMENT,
    visitorCode: plan.code,
    visitId,
    featureKey: FEATURE,
    flagId: 1,
    ruleId: plan.experiment.ruleId,
    experimentId: plan.experiment.experimentId,
    variationKey,
    time,
    attributes,
    ...overrides,
  };
}

/**
 * Repeat exposures within visits; ~6% of visitors see a second variation later (the first one counts);
 * ~2% send their first exposure twice (an SDK retry). Exposures of one unit never share a millisecond
 * across variations: the stores do not promise the same tie-break (DuckDB takes an arbitrary one).
 */
function exposuresOf(random: Random, plan: VisitorPlan): ExposureEvent[] {
  const events: ExposureEvent[] = [];
  const switchesAtVisit = random() < 0.06 ? between(random, 0, plan.visits.length) : -1;
  const switchedVariation =
    VARIATIONS[(VARIATIONS.indexOf(plan.variation as never) + 1) % VARIATIONS.length]!;
  plan.visits.forEach((visit, visitIndex) => {
    const attributes = visitAttributes(random, plan, visitIndex);
    let time = visit.start;
    const repeats = between(random, 1, 4);
    for (let j = 0; j < repeats; j++) {
      const variation =
        visitIndex >= switchesAtVisit && switchesAtVisit >= 0 && j > 0 ? switchedVariation : plan.variation;
      events.push(exposure(plan, visit.id, time, variation, attributes));
      time += between(random, 1, 10 * MINUTE);
    }
  });
  if (random() < 0.02) events.push({ ...events[0]! });
  return events;
}

/** Other flags, environments and projects: must never leak into the checkout flag's numbers. */
function noiseExposures(random: Random, plan: VisitorPlan): ExposureEvent[] {
  const visit = plan.visits[0]!;
  const events: ExposureEvent[] = [];
  if (random() < 0.3)
    events.push(
      exposure(plan, visit.id, visit.start + 5, "on", {}, { featureKey: "banner", flagId: 2, ruleId: 20 }),
    );
  if (random() < 0.05)
    events.push(exposure(plan, visit.id, visit.start + 7, "off", {}, { environmentKey: "staging" }));
  if (random() < 0.03)
    events.push(exposure(plan, visit.id, visit.start + 9, "off", {}, { projectKey: "other-shop" }));
  return events;
}

function conversion(
  code: string,
  visitId: string,
  goalId: number,
  value: number,
  time: number,
  overrides: Partial<ConversionEvent> = {},
): ConversionEvent {
  return {
    kind: "conversion",
    projectKey: PROJECT,
    environmentKey: ENVIRONMENT,
    visitorCode: code,
    visitId,
    goalId,
    value,
    time,
    ...overrides,
  };
}

/** Offsets around the first exposure: before it, inside the 7-day window, after it, and on both edges. */
function conversionOffset(random: Random): number {
  const roll = random();
  if (roll < 0.02) return 0;
  if (roll < 0.04) return 7 * DAY;
  if (roll < 0.06) return 7 * DAY - 1;
  if (roll < 0.25) return -between(random, 1, 20 * DAY);
  if (roll < 0.8) return between(random, 1, 7 * DAY);
  return between(random, 7 * DAY, 15 * DAY);
}

function conversionsOf(random: Random, plan: VisitorPlan, firstExposure: number): ConversionEvent[] {
  const events: ConversionEvent[] = [];
  const visitIdFor = (n: number) => (random() < 0.7 ? pick(random, plan.visits).id : `${plan.code}-c${n}`);
  if (random() < 0.45) {
    const count = between(random, 1, 5);
    for (let n = 0; n < count; n++) {
      const value = Math.round(random() * 30_000) / 100;
      events.push(
        conversion(plan.code, visitIdFor(n), REVENUE_GOAL, value, firstExposure + conversionOffset(random)),
      );
    }
  }
  if (random() < 0.3)
    events.push(
      conversion(plan.code, visitIdFor(9), CLICK_GOAL, 1, firstExposure + conversionOffset(random)),
    );
  if (random() < 0.03) {
    events.push(
      conversion(plan.code, plan.visits[0]!.id, REVENUE_GOAL, 50, firstExposure + HOUR, {
        environmentKey: "staging",
      }),
    );
  }
  return events;
}

export interface GeneratedEvents {
  events: AnalyticsEvent[];
  visitorCount: number;
}

/** A few thousand visitors' raw events, shuffled (arrival order is not time order). */
export function generateEvents(seed: number, visitorCount: number): GeneratedEvents {
  const random = seededRandom(seed);
  const events: AnalyticsEvent[] = [];
  for (let index = 0; index < visitorCount; index++) {
    const plan = planVisitor(random, index);
    const exposures = exposuresOf(random, plan);
    events.push(...exposures, ...noiseExposures(random, plan));
    events.push(...conversionsOf(random, plan, exposures[0]!.time));
  }
  // Conversions of visitors who were never exposed.
  for (let index = 0; index < visitorCount / 20; index++) {
    const time = TRAFFIC_START + Math.floor(random() * TRAFFIC_DAYS * DAY);
    events.push(conversion(`ghost${index}`, `ghost${index}-s0`, REVENUE_GOAL, 10, time));
  }
  shuffle(random, events);
  return { events, visitorCount };
}

function shuffle<T>(random: Random, values: T[]): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
}

// ---------------------------------------------------------------------------------------------------
// Reference model
// ---------------------------------------------------------------------------------------------------

interface Range {
  from: number;
  to: number;
}

function rangesOf(query: AggregationQuery): Range[] | null {
  if (query.dateIntervals && query.dateIntervals.length > 0) return query.dateIntervals;
  if (query.from === undefined && query.to === undefined) return null;
  return [{ from: query.from ?? Number.NEGATIVE_INFINITY, to: query.to ?? Number.POSITIVE_INFINITY }];
}

function inRanges(ranges: Range[] | null, time: number): boolean {
  return ranges === null || ranges.some((range) => time >= range.from && time < range.to);
}

function attributeValue(event: ExposureEvent, attribute: string): string | null {
  const attributes = event.attributes;
  switch (attribute) {
    case "browser":
      return attributes.browser ?? null;
    case "deviceType":
      return attributes.deviceType ?? null;
    case "os":
      return attributes.os ?? null;
    case "country":
      return attributes.country ?? null;
    case "newVisitor":
      return attributes.newVisitor === undefined ? null : String(attributes.newVisitor);
    default: {
      const value = attributes.custom?.[attribute.slice("custom:".length)];
      return value === undefined ? null : String(value);
    }
  }
}

function bucketIso(time: number, interval: string): string {
  const date = new Date(time);
  const [year, month, day, hour] = [
    date.getUTCFullYear(),
    date.getUTCMonth(),
    date.getUTCDate(),
    date.getUTCHours(),
  ];
  switch (interval) {
    case "HOUR":
      return new Date(Date.UTC(year, month, day, hour)).toISOString();
    case "WEEK": {
      const daysSinceMonday = (date.getUTCDay() + 6) % 7;
      return new Date(Date.UTC(year, month, day - daysSinceMonday)).toISOString();
    }
    case "MONTH":
      return new Date(Date.UTC(year, month, 1)).toISOString();
    default:
      return new Date(Date.UTC(year, month, day)).toISOString();
  }
}

const BREAKDOWN_ATTRIBUTE: Record<string, string> = {
  BROWSER: "browser",
  DEVICE_TYPE: "deviceType",
  OS: "os",
  COUNTRY: "country",
  NEW_VISITOR: "newVisitor",
};

function breakdownValue(query: AggregationQuery, first: ExposureEvent): string | null {
  const breakdown = query.breakdown;
  if (!breakdown) return null;
  if (breakdown.type === "INTERVAL") return bucketIso(first.time, breakdown.interval ?? "DAY");
  if (breakdown.type === "CUSTOM_DATUM") return attributeValue(first, `custom:${breakdown.customKey}`);
  return attributeValue(first, BREAKDOWN_ATTRIBUTE[breakdown.type]!);
}

function passesFilters(query: AggregationQuery, first: ExposureEvent): boolean {
  return (query.filters ?? []).every((filter) => {
    const value = attributeValue(first, filter.attribute);
    const listed = value !== null && filter.values.includes(value);
    return filter.include ? listed : !listed;
  });
}

interface ReferenceUnit {
  first: ExposureEvent;
  exposures: ExposureEvent[];
}

function referenceUnits(events: AnalyticsEvent[], query: AggregationQuery): Map<string, ReferenceUnit> {
  const ranges = rangesOf(query);
  const units = new Map<string, ReferenceUnit>();
  for (const event of events) {
    if (event.kind !== "exposure") continue;
    if (event.projectKey !== query.projectKey || event.environmentKey !== query.environmentKey) continue;
    if (event.featureKey !== query.featureKey) continue;
    if (query.experimentId !== undefined && event.experimentId !== query.experimentId) continue;
    if (query.ruleId !== undefined && event.ruleId !== query.ruleId) continue;
    if (!inRanges(ranges, event.time)) continue;
    const key = query.unit === "visitor" ? event.visitorCode : event.visitId;
    const unit = units.get(key);
    if (!unit) {
      units.set(key, { first: event, exposures: [event] });
      continue;
    }
    unit.exposures.push(event);
    if (event.time < unit.first.time) unit.first = event;
  }
  return units;
}

function conversionsByUnit(
  events: AnalyticsEvent[],
  query: AggregationQuery,
): Map<string, ConversionEvent[]> {
  const byUnit = new Map<string, ConversionEvent[]>();
  for (const event of events) {
    if (event.kind !== "conversion" || event.goalId !== query.goalId) continue;
    if (event.projectKey !== query.projectKey || event.environmentKey !== query.environmentKey) continue;
    const key = query.unit === "visitor" ? event.visitorCode : event.visitId;
    byUnit.set(key, [...(byUnit.get(key) ?? []), event]);
  }
  return byUnit;
}

interface GroupAccumulator {
  stats: VariationStats;
  visitors: Set<string>;
  /** Each unit's analysed (post) value and covariate, for the centred moments by two passes. */
  values: { post: number; pre: number }[];
}

interface UnitOutcome {
  postCount: number;
  postValue: number;
  preValue: number;
}

function unitOutcome(
  query: AggregationQuery,
  first: ExposureEvent,
  conversions: ConversionEvent[],
): UnitOutcome {
  const ranges = rangesOf(query);
  const window = query.attributionWindowMs ?? 7 * DAY;
  const preWindow = query.cupedPreWindowMs ?? 14 * DAY;
  const post = conversions.filter(
    (c) => c.time >= first.time && c.time < first.time + window && inRanges(ranges, c.time),
  );
  const pre = conversions.filter((c) => c.time >= first.time - preWindow && c.time < first.time);
  const all = query.conversionType === "ALL_CONVERSION";
  const total = (list: ConversionEvent[]) => list.reduce((sum, c) => sum + c.value, 0);
  return {
    postCount: post.length,
    postValue: all ? total(post) : post.length > 0 ? 1 : 0,
    preValue: all ? total(pre) : pre.length > 0 ? 1 : 0,
  };
}

function emptyStats(variationKey: string, breakdown: string | null, cuped: boolean): VariationStats {
  const stats: VariationStats = {
    variationKey,
    breakdownValue: breakdown,
    units: 0,
    exposures: 0,
    conversions: 0,
    convertedUnits: 0,
    sum: 0,
    sumSquares: 0,
    m2: 0,
    visits: 0,
    visitors: 0,
  };
  if (cuped) Object.assign(stats, { preSum: 0, preSumSquares: 0, crossSum: 0, preM2: 0, crossM2: 0 });
  return stats;
}

export function referenceAggregation(events: AnalyticsEvent[], query: AggregationQuery): VariationStats[] {
  const cuped = query.cuped ?? query.cupedPreWindowMs !== undefined;
  const conversions = conversionsByUnit(events, query);
  const groups = new Map<string, GroupAccumulator>();
  for (const [key, unit] of referenceUnits(events, query)) {
    if (!passesFilters(query, unit.first)) continue;
    const breakdown = breakdownValue(query, unit.first);
    const groupKey = JSON.stringify([unit.first.variationKey, breakdown]);
    let group = groups.get(groupKey);
    if (!group) {
      group = {
        stats: emptyStats(unit.first.variationKey, breakdown, cuped),
        visitors: new Set(),
        values: [],
      };
      groups.set(groupKey, group);
    }
    addUnit(group, query, unit, unitOutcome(query, unit.first, conversions.get(key) ?? []), cuped);
  }
  return [...groups.values()]
    .map((group) => ({
      ...group.stats,
      ...centredMoments(group.values, cuped),
      visitors: group.visitors.size,
    }))
    .sort(compareStats);
}

// Two-pass centred moments (the textbook-accurate way) of the units' values.
function centredMoments(values: { post: number; pre: number }[], cuped: boolean) {
  const n = values.length;
  const meanY = values.reduce((s, v) => s + v.post, 0) / n;
  const meanX = values.reduce((s, v) => s + v.pre, 0) / n;
  const m2 = values.reduce((s, v) => s + (v.post - meanY) ** 2, 0);
  if (!cuped) return { m2 };
  return {
    m2,
    preM2: values.reduce((s, v) => s + (v.pre - meanX) ** 2, 0),
    crossM2: values.reduce((s, v) => s + (v.pre - meanX) * (v.post - meanY), 0),
  };
}

function addUnit(
  group: GroupAccumulator,
  query: AggregationQuery,
  unit: ReferenceUnit,
  outcome: UnitOutcome,
  cuped: boolean,
): void {
  const stats = group.stats;
  stats.units += 1;
  stats.exposures += unit.exposures.length;
  stats.visits += new Set(unit.exposures.map((e) => e.visitId)).size;
  for (const e of unit.exposures) group.visitors.add(e.visitorCode);
  stats.conversions +=
    query.conversionType === "ALL_CONVERSION" ? outcome.postCount : outcome.postCount > 0 ? 1 : 0;
  stats.convertedUnits += outcome.postCount > 0 ? 1 : 0;
  group.values.push({ post: outcome.postValue, pre: outcome.preValue });
  stats.sum += outcome.postValue;
  stats.sumSquares += outcome.postValue * outcome.postValue;
  if (cuped) {
    stats.preSum! += outcome.preValue;
    stats.preSumSquares! += outcome.preValue * outcome.preValue;
    stats.crossSum! += outcome.preValue * outcome.postValue;
  }
}

function compareStats(a: VariationStats, b: VariationStats): number {
  if (a.variationKey !== b.variationKey) return a.variationKey < b.variationKey ? -1 : 1;
  if (a.breakdownValue === b.breakdownValue) return 0;
  if (a.breakdownValue === null) return -1;
  if (b.breakdownValue === null) return 1;
  return a.breakdownValue < b.breakdownValue ? -1 : 1;
}

export function referenceSeries(events: AnalyticsEvent[], query: AggregationQuery): SeriesPoint[] {
  const byDay = referenceAggregation(events, {
    ...query,
    breakdown: { type: "INTERVAL", interval: "DAY" },
    cuped: false,
    cupedPreWindowMs: undefined,
  });
  return byDay
    .map((row) => ({
      day: row.breakdownValue!.slice(0, 10),
      variationKey: row.variationKey,
      units: row.units,
      conversions: row.conversions,
      convertedUnits: row.convertedUnits,
      sum: row.sum,
      sumSquares: row.sumSquares,
      m2: row.m2,
    }))
    .sort((a, b) => (a.day === b.day ? (a.variationKey < b.variationKey ? -1 : 1) : a.day < b.day ? -1 : 1));
}
