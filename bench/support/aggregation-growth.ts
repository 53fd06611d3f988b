// The 1 % growth of the aggregation bench's data (analytics-aggregation.bench.ts), and the comparison of two
// answers on it.
import type { AnalyticsEvent, VariationStats } from "../../packages/server/src/analytics/analytics-store.js";

/** The bench's data: visitors first exposed over [start, start + spanMs), conversions of one goal. */
export interface GrowthShape {
  visitors: number;
  conversions: number;
  start: number;
  spanMs: number;
  project: string;
  environment: string;
  feature: string;
  goal: number;
}

/**
 * 1 % more of the same data, as it arrives on a later day: new visitors (exposed and some converting),
 * returning known visitors (a new visit), and conversions of known visitors.
 */
export function growthEvents(shape: GrowthShape, round: number): AnalyticsEvent[] {
  const { visitors: PG_VISITORS, conversions: PG_CONVERSIONS, start: START, spanMs: SPAN_MS } = shape;
  const newVisitors = Math.ceil(PG_VISITORS / 100);
  const day = START + SPAN_MS + round * 86_400_000;
  const code = (v: number) => `visitor-${String(v).padStart(8, "0")}`;
  const exposure = (v: number, visit: string, time: number): AnalyticsEvent => ({
    kind: "exposure",
    projectKey: shape.project,
    environmentKey: shape.environment,
    featureKey: shape.feature,
    flagId: 1,
    ruleId: 10,
    experimentId: 100,
    variationKey: ["off", "on", "v2"][v % 3]!,
    visitorCode: code(v),
    visitId: `${code(v)}-${visit}`,
    time,
    attributes: { browser: ["chrome", "firefox", "safari", "edge"][v % 4]!, newVisitor: visit === "0" },
  });
  const conversion = (v: number, j: number, time: number): AnalyticsEvent => ({
    kind: "conversion",
    projectKey: shape.project,
    environmentKey: shape.environment,
    goalId: shape.goal,
    visitorCode: code(v),
    visitId: `${code(v)}-0`,
    value: 1 + (j % 100) + (j % 7) / 10,
    time,
  });
  const events: AnalyticsEvent[] = [];
  const first = PG_VISITORS + (round - 1) * newVisitors;
  for (let i = 0; i < newVisitors; i++) {
    const time = day + Math.floor((i * 86_400_000) / newVisitors);
    events.push(exposure(first + i, "0", time));
    if (i % 5 === 0) events.push(exposure((i * 7919 + round) % PG_VISITORS, `r${round}`, time));
  }
  for (let j = 0; j < Math.ceil(PG_CONVERSIONS / 100); j++) {
    const time = day + Math.floor((j * 86_400_000) / Math.ceil(PG_CONVERSIONS / 100)) + 1;
    // Half to the day's new visitors, half to visitors first exposed in the last 6 days (inside the window).
    const known = PG_VISITORS - 1 - ((j * 104_729) % Math.ceil(PG_VISITORS / 3));
    events.push(conversion(j % 2 === 0 ? first + (j % newVisitors) : known, j, time));
  }
  return events;
}

/** Same rows: counts equal, sums of doubles to 1e-9 relative (summation order differs). */
export function sameStats(a: VariationStats[], b: VariationStats[]): boolean {
  const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y));
  return (
    a.length === b.length &&
    a.every((row, i) => {
      const other = b[i]!;
      return (
        row.variationKey === other.variationKey &&
        row.units === other.units &&
        row.exposures === other.exposures &&
        row.visits === other.visits &&
        row.conversions === other.conversions &&
        row.convertedUnits === other.convertedUnits &&
        close(row.sum, other.sum) &&
        close(row.sumSquares, other.sumSquares) &&
        close(row.m2, other.m2)
      );
    })
  );
}
