// Errors the SDK reports through `ready()`, the `error` event and the logger.

/** What went wrong, in a form code can switch on. */
export type VexilErrorCode =
  /** The SDK key was refused (401) or is of the wrong kind (403); all network activity stopped. */
  | "UNAUTHORIZED"
  /** No payload arrived within `initTimeoutMs`. */
  | "INIT_TIMEOUT"
  /** The server could not be reached (connection refused, reset, timeout). */
  | "NETWORK"
  /** The server answered an unexpected status. */
  | "HTTP"
  /** The server sent a payload or event the SDK cannot read. */
  | "INVALID_PAYLOAD"
  /** Offline mode without a bootstrap payload: nothing will ever be loaded. */
  | "OFFLINE"
  /** The client was closed. */
  | "CLOSED";

/** An SDK error with a machine-readable `code` (and the HTTP `status` when there was one). */
export class VexilError extends Error {
  override readonly name = "VexilError";

  constructor(
    readonly code: VexilErrorCode,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Whether an HTTP status means the key is refused: retrying can never help. */
export function isAuthFailure(status: number): boolean {
  return status === 401 || status === 403;
}

/** Whether a failed request is worth retrying (overload and server errors; other 4xx will fail again). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
