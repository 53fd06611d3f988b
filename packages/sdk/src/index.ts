// Public surface of @vexil/sdk. The OpenFeature provider lives in the "@vexil/sdk/openfeature" subpath so
// this entry point never imports @openfeature.

export type {
  CompiledFlag,
  EvaluationErrorCode,
  EvaluationPayload,
  EvaluationReason,
  RuleType,
  Segment,
  Visitor,
} from "@vexil/engine";
export {
  type ChangeEvent,
  type ClientEvents,
  type ClientStats,
  createClient,
  type EvaluationDetails,
  type EvaluationDetailsErrorCode,
  VexilClient,
  type VexilClientOptions,
  type VisitorInput,
} from "./client.js";
export { VexilError, type VexilErrorCode } from "./errors.js";
export type { PipelineOptions } from "./event-pipeline.js";
export type { ConversionEvent, EventAttributes, ExposureEvent, VexilEvent } from "./events.js";
export type { FetchLike } from "./http.js";
export type { Logger } from "./logger.js";
export { type SseEvent, type SseHandlers, SseLimitError, SseParser } from "./sse-parser.js";
export { VISIT_TIMEOUT_MS } from "./visits.js";
