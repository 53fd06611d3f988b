import type { GoalInput } from "../api/types.js";

/** The capping a goal's request carries (docs/statistics.md, Capping). */
export type CappingSettings = NonNullable<GoalInput["cappingSettings"]>;
export type CappingType = CappingSettings["type"];

/** The capping form's fields: a percentile as people say it (99 for P99), an absolute cap in the goal's unit. */
export interface CappingFields {
  type: CappingType;
  value: number | null;
}

/** The fields showing a goal's stored capping (0.99 -> 99). */
export function cappingFields(
  settings: { type: CappingType; value?: number | null } | undefined,
): CappingFields {
  if (!settings || settings.type === "none" || settings.value === null || settings.value === undefined)
    return { type: settings?.type === "none" || !settings ? "none" : settings.type, value: null };
  const value =
    settings.type === "percentile" ? Number((settings.value * 100).toPrecision(12)) : settings.value;
  return { type: settings.type, value };
}

/**
 * What to send: none for a goal that is not numeric (the server refuses capping there), else the fields
 * (99 -> 0.99), or the reason the value cannot be sent.
 */
export function cappingRequest(
  fields: CappingFields,
  isNumeric: boolean,
): CappingSettings | { problem: string } {
  if (!isNumeric || fields.type === "none") return { type: "none" };
  const value = fields.value;
  if (fields.type === "absolute") {
    if (value === null || !(value > 0)) return { problem: "An absolute cap is a number above 0." };
    return { type: "absolute", value };
  }
  if (value === null || !(value > 0 && value < 100))
    return { problem: "A percentile cap lies between 0 and 100, e.g. 99 for P99." };
  return { type: "percentile", value: Number((value / 100).toPrecision(12)) };
}
