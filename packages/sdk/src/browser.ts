// Public surface of @vexil/sdk/browser: the client of a web page, with the environment's client-side key
// and answers the server evaluates for the page's visitor. No engine inside: this entry is what the server
// serves as /sdk/js/vexil.min.js (global `Vexil`).

export type { EvaluationReason, RuleType, Visitor } from "@vexil/engine";
export {
  type BrowserClientEvents,
  type BrowserClientOptions,
  type BrowserClientStats,
  createBrowserClient,
  EVALUATE_PATH,
  VexilBrowserClient,
} from "./browser-client.js";
export type { ChangeEvent, EvaluationDetails, EvaluationDetailsErrorCode, VisitorInput } from "./client.js";
export { VexilError, type VexilErrorCode } from "./errors.js";
export type { PipelineOptions } from "./event-pipeline.js";
export type { FetchLike } from "./http.js";
export type { Logger } from "./logger.js";
