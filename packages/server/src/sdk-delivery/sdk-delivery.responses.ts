import { Type } from "typebox";
import { EventStream, NoContent, responses } from "../http/response-schemas.js";

// The SDK surface (docs/sdk-protocol.md). The payload is sent as pre-serialised JSON text, so these schemas
// document it (OpenAPI) without re-serialising it.

/** The engine's EvaluationPayload: compiled flags by key and the segments they use, by id. */
export const EvaluationPayloadSchema = Type.Object({
  version: Type.Integer({ description: "increases with every change" }),
  projectKey: Type.String(),
  environmentKey: Type.String(),
  flags: Type.Record(Type.String(), Type.Unknown({ description: "CompiledFlag (docs/sdk-protocol.md)" })),
  segments: Type.Record(Type.String(), Type.Unknown({ description: "Segment (docs/sdk-protocol.md)" })),
});

export const configResponse = responses("kameleoon", { 200: EvaluationPayloadSchema, 304: NoContent });
export const streamResponse = responses("kameleoon", { 200: EventStream });
export const evaluationsResponse = responses("kameleoon", {
  202: Type.Object({
    accepted: Type.Integer({ description: "flags whose counts were recorded" }),
    ignored: Type.Integer({ description: "entries naming no flag of the environment" }),
  }),
});
