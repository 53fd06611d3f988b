// What both clients (local evaluation and the browser's server-evaluated answers) share in reading an
// answer: the not-ready answer, `isEnabled`, and the kind check of typed variable getters.

import type { EvaluationResult } from "@vexil/engine";

/** The answer before any payload (or visitor's answers) is loaded. */
export const NOT_READY = Object.freeze({
  variationKey: "",
  variables: Object.freeze({}),
  reason: "ERROR" as const,
  errorCode: "PROVIDER_NOT_READY" as const,
  inExperiment: false,
});

/** isEnabled: true unless an error, a disabled flag or the `off` variation. */
export function enabled(result: Pick<EvaluationResult, "reason" | "variationKey">): boolean {
  return result.reason !== "ERROR" && result.reason !== "DISABLED" && result.variationKey !== "off";
}

/** Whether a variable value is of the default's kind (a null or undefined default accepts anything). */
export function sameKind(value: unknown, fallback: unknown): boolean {
  if (fallback === undefined || fallback === null) return true;
  if (typeof value !== typeof fallback) return false;
  if (typeof fallback === "object") return value !== null && Array.isArray(value) === Array.isArray(fallback);
  return true;
}
