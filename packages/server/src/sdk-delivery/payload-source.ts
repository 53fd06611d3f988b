import type { EvaluationPayload } from "@vexil/engine";
import type { AppContext } from "../app-context.js";
import { compileEnvironmentPayload } from "../flags/compile-payload.js";

/** Loads the current evaluation payload of one environment from storage. */
export type PayloadSource = (projectKey: string, environmentKey: string) => Promise<EvaluationPayload>;

/** The payload compiled from stored flags and segments (one consistent snapshot, flags/compile-payload.ts). */
export function storedPayloadSource(context: AppContext): PayloadSource {
  return (projectKey, environmentKey) => compileEnvironmentPayload(context, projectKey, environmentKey);
}
