import { ApiError } from "../http/api-error.js";

/**
 * A flag a tick could not change; the tick goes on with the others and reports these in its result. A 423
 * (another automation holds the flag's lock) or 409 (the flag changed since it was read) is retried by the
 * next tick.
 */
export interface TickFailure {
  flagId: number;
  featureKey: string;
  /** The HTTP status of an ApiError (409, 423, 400...), else 500. */
  status: number;
  message: string;
}

export function describeFailure(flagId: number, featureKey: string, error: unknown): TickFailure {
  const status = error instanceof ApiError ? error.statusCode : 500;
  const message = error instanceof Error ? error.message : String(error);
  return { flagId, featureKey, status, message };
}
