import { Type } from "typebox";
import { NoContent, OfrepErrorSchema, responses } from "../http/response-schemas.js";

// OFREP's answers (OpenFeature Remote Evaluation Protocol, docs/ofrep.md). Evaluations are sent as
// pre-serialised JSON text; these schemas document them.

/** One flag's evaluation success. */
export const OfrepEvaluationSchema = Type.Object({
  key: Type.String(),
  value: Type.Unknown({ description: "boolean, number, string or object, by the flag's variables" }),
  reason: Type.String(),
  variant: Type.String(),
  metadata: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
});

export const singleEvaluationResponse = responses("ofrep", { 200: OfrepEvaluationSchema });
export const bulkEvaluationResponse = responses("ofrep", {
  200: Type.Object({ flags: Type.Array(Type.Union([OfrepEvaluationSchema, OfrepErrorSchema])) }),
  304: NoContent,
});
export const configurationResponse = responses("ofrep", {
  200: Type.Object({
    name: Type.String(),
    capabilities: Type.Object({
      cacheInvalidation: Type.Object({
        polling: Type.Object({ enabled: Type.Boolean(), minPollingIntervalMs: Type.Integer() }),
      }),
      flagEvaluation: Type.Object({ supportedTypes: Type.Array(Type.String()) }),
    }),
  }),
});
