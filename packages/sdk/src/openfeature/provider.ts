// OpenFeature provider (server paradigm) over a Vexil client: local evaluation, typed variables addressed
// as "featureKey.variableKey", conversions through track(), readiness and change events. See
// docs/openfeature.md for the mapping.

import {
  ErrorCode,
  type EvaluationContext,
  GeneralError,
  type JsonValue,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderEvents,
  ProviderFatalError,
  type ResolutionDetails,
  StandardResolutionReasons,
  type TrackingEventDetails,
} from "@openfeature/server-sdk";
import { createClient, type EvaluationDetails, VexilClient, type VexilClientOptions } from "../index.js";

type ValueKind = "boolean" | "string" | "number" | "object";

/** How a flag key was read: a feature (`featureKey`) or one of its variables (`featureKey.variableKey`). */
export interface FlagAddress {
  featureKey: string;
  variableKey?: string;
}

const ERROR_CODES: Record<string, ErrorCode> = {
  FLAG_NOT_FOUND: ErrorCode.FLAG_NOT_FOUND,
  INVALID_CONTEXT: ErrorCode.INVALID_CONTEXT,
  PARSE_ERROR: ErrorCode.PARSE_ERROR,
  GENERAL: ErrorCode.GENERAL,
  PROVIDER_NOT_READY: ErrorCode.PROVIDER_NOT_READY,
};

function metadataOf(result: EvaluationDetails): Record<string, string | number> {
  const metadata: Record<string, string | number> = {};
  if (result.ruleId !== undefined) metadata.ruleId = result.ruleId;
  if (result.ruleType !== undefined) metadata.ruleType = result.ruleType;
  if (result.experimentId !== undefined) metadata.experimentId = result.experimentId;
  return metadata;
}

function failure<T>(
  value: T,
  errorCode: ErrorCode,
  errorMessage: string,
  flagMetadata = {},
): ResolutionDetails<T> {
  return { value, reason: StandardResolutionReasons.ERROR, errorCode, errorMessage, flagMetadata };
}

function attributesOf(context: EvaluationContext): Record<string, unknown> {
  const { targetingKey: _ignored, ...attributes } = context;
  return attributes;
}

// Evaluation results are frozen and shared: hand OpenFeature callers their own copy of objects.
function copyJson<T>(value: T): T {
  return typeof value === "object" && value !== null ? (JSON.parse(JSON.stringify(value)) as T) : value;
}

/** An OpenFeature provider evaluating Vexil flags locally. */
export class VexilProvider implements Provider {
  readonly metadata = { name: "vexil" } as const;
  readonly runsOn = "server" as const;
  readonly events = new OpenFeatureEventEmitter();
  /** The Vexil client this provider evaluates with. */
  readonly client: VexilClient;
  private readonly ownsClient: boolean;
  private readonly unsubscribe: (() => void)[] = [];
  private initializationFailed = false;

  /** Wraps an existing client (the caller closes it), or creates one from options (closed with the provider). */
  constructor(clientOrOptions: VexilClient | VexilClientOptions) {
    this.ownsClient = !(clientOrOptions instanceof VexilClient);
    this.client = clientOrOptions instanceof VexilClient ? clientOrOptions : createClient(clientOrOptions);
    this.unsubscribe.push(
      this.client.on("change", ({ flagKeys }) => {
        this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: flagKeys });
      }),
      // OpenFeature announces readiness itself when initialize() resolves; a client that becomes ready after
      // initialize() failed (timeout) must announce it here.
      this.client.on("ready", () => {
        if (this.initializationFailed) this.events.emit(ProviderEvents.Ready);
      }),
      this.client.on("error", (error) => {
        // Before readiness, initialize() reports it (rejecting); afterwards only an event can.
        if (error.code === "UNAUTHORIZED" && (this.client.isReady || this.initializationFailed)) {
          this.events.emit(ProviderEvents.Error, {
            message: error.message,
            errorCode: ErrorCode.PROVIDER_FATAL,
          });
        }
      }),
    );
  }

  /** Waits for the client's first payload; a refused key is fatal, a timeout a (recoverable) error. */
  async initialize(): Promise<void> {
    try {
      await this.client.ready();
    } catch (error) {
      this.initializationFailed = true;
      const message = error instanceof Error ? error.message : String(error);
      if ((error as { code?: string }).code === "UNAUTHORIZED") throw new ProviderFatalError(message);
      throw new GeneralError(message);
    }
  }

  /** Stops listening; closes the client when the provider created it. */
  async onClose(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    if (this.ownsClient) await this.client.close();
  }

  /** Boolean: a feature key answers whether it is enabled; `feature.variable` a BOOLEAN variable. */
  async resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<boolean>> {
    return this.resolve(flagKey, defaultValue, context, "boolean");
  }

  /** String: a feature key answers its variation key; `feature.variable` a STRING/JS/CSS variable. */
  async resolveStringEvaluation(
    flagKey: string,
    defaultValue: string,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<string>> {
    return this.resolve(flagKey, defaultValue, context, "string");
  }

  /** Number: `feature.variable` a NUMBER variable (a bare feature key is a TYPE_MISMATCH). */
  async resolveNumberEvaluation(
    flagKey: string,
    defaultValue: number,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<number>> {
    return this.resolve(flagKey, defaultValue, context, "number");
  }

  /** Object: a feature key answers all its variables; `feature.variable` a JSON object/array variable. */
  async resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<T>> {
    return this.resolve(flagKey, defaultValue, context, "object");
  }

  /** Records a conversion: the event name is the goal (id or key), `details.value` its value. */
  track(trackingEventName: string, context: EvaluationContext, details: TrackingEventDetails): void {
    const code = context?.targetingKey;
    if (typeof code !== "string" || code === "") return; // no visitor, nothing to attribute it to
    const { value, ...extra } = details ?? {};
    this.client.track(code, trackingEventName, typeof value === "number" ? value : undefined, {
      ...attributesOf(context),
      ...extra,
    });
  }

  /** Reads a flag key: the whole key when it is a feature, else the longest feature prefix before a dot. */
  address(flagKey: string): FlagAddress {
    if (this.client.hasFlag(flagKey)) return { featureKey: flagKey };
    for (let dot = flagKey.lastIndexOf("."); dot > 0; dot = flagKey.lastIndexOf(".", dot - 1)) {
      const featureKey = flagKey.slice(0, dot);
      if (this.client.hasFlag(featureKey)) return { featureKey, variableKey: flagKey.slice(dot + 1) };
    }
    return { featureKey: flagKey };
  }

  private resolve<T>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
    kind: ValueKind,
  ): ResolutionDetails<T> {
    if (!this.client.isReady)
      return failure(defaultValue, ErrorCode.PROVIDER_NOT_READY, "no Vexil configuration loaded yet");
    const code = context?.targetingKey;
    if (typeof code !== "string" || code === "") {
      return failure(
        defaultValue,
        ErrorCode.TARGETING_KEY_MISSING,
        "targetingKey (the visitor code) is required",
      );
    }
    const { featureKey, variableKey } = this.address(flagKey);
    const result = this.client.evaluate(featureKey, { code, attributes: attributesOf(context) });
    const flagMetadata = metadataOf(result);
    if (result.reason === "ERROR") {
      const errorCode = ERROR_CODES[result.errorCode ?? "GENERAL"] ?? ErrorCode.GENERAL;
      return failure(
        defaultValue,
        errorCode,
        `evaluation of ${featureKey} failed: ${result.errorCode ?? "GENERAL"}`,
        flagMetadata,
      );
    }
    let value: unknown;
    if (variableKey === undefined) {
      if (kind === "boolean") value = result.reason !== "DISABLED" && result.variationKey !== "off";
      else if (kind === "string") value = result.variationKey;
      else if (kind === "object") value = copyJson({ ...result.variables });
      else {
        return failure(
          defaultValue,
          ErrorCode.TYPE_MISMATCH,
          `${featureKey} is a feature; address a NUMBER variable as ${featureKey}.<variable>`,
          flagMetadata,
        );
      }
    } else {
      if (!Object.hasOwn(result.variables, variableKey)) {
        return failure(
          defaultValue,
          ErrorCode.FLAG_NOT_FOUND,
          `${featureKey} has no variable ${variableKey}`,
          flagMetadata,
        );
      }
      value = result.variables[variableKey];
      const matches = kind === "object" ? typeof value === "object" && value !== null : typeof value === kind;
      if (!matches) {
        return failure(defaultValue, ErrorCode.TYPE_MISMATCH, `${flagKey} is not a ${kind}`, flagMetadata);
      }
      value = copyJson(value);
    }
    return {
      value: value as T,
      variant: result.variationKey,
      reason: result.reason,
      flagMetadata,
    };
  }
}
