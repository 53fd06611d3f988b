// The HTTP side shared by config polling, the stream, events and evaluation reports: URL building, the
// Authorization header, per-request timeouts. Any `fetch` works (Node 20, browsers, or an injected one).

import { VexilError } from "./errors.js";

/** The subset of `fetch` the SDK uses. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** A fully read response. */
export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** Options of one request. */
export interface RequestOptions {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Aborts the request (and the body read) after this many ms; 0 = never. */
  timeoutMs?: number;
  /** Aborts the request when this signal aborts (client closed). */
  signal?: AbortSignal;
}

/** Sends authenticated requests to one Vexil server. */
export class HttpClient {
  private readonly base: string;

  constructor(
    baseUrl: string,
    private readonly sdkKey: string,
    private readonly fetchImpl: FetchLike,
    private readonly defaultTimeoutMs: number,
  ) {
    this.base = baseUrl.replace(/\/+$/, "");
  }

  /** Absolute URL of an API path. */
  url(path: string): string {
    return this.base + path;
  }

  /** Headers every request carries. */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { Authorization: this.sdkKey, ...extra };
  }

  /** Starts a request and answers once headers arrived; the caller owns the body. Throws NETWORK errors. */
  async open(path: string, options: RequestOptions = {}): Promise<Response> {
    try {
      const init: RequestInit = { method: options.method ?? "GET", headers: this.headers(options.headers) };
      if (options.body !== undefined) init.body = options.body;
      if (options.signal !== undefined) init.signal = options.signal;
      return await this.fetchImpl(this.url(path), init);
    } catch (error) {
      throw new VexilError(
        "NETWORK",
        `${options.method ?? "GET"} ${path} failed: ${describe(error)}`,
        undefined,
        {
          cause: error,
        },
      );
    }
  }

  /** Sends a request and reads the whole body, within the timeout. Throws NETWORK errors, never on a status. */
  async request(path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const controller = new AbortController();
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const timer = timeoutMs > 0 ? setTimeout(() => controller.abort(), timeoutMs) : undefined;
    const outer = options.signal;
    const onAbort = (): void => controller.abort();
    if (outer?.aborted) controller.abort();
    else outer?.addEventListener("abort", onAbort, { once: true });
    try {
      const response = await this.open(path, { ...options, signal: controller.signal });
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw new VexilError("NETWORK", `reading ${path} failed: ${describe(error)}`, undefined, {
          cause: error,
        });
      }
      return { status: response.status, headers: response.headers, text };
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      outer?.removeEventListener("abort", onAbort);
    }
  }
}

/** A short description of a thrown value for log lines. */
export function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    // undici hides the useful part ("ECONNREFUSED") in the cause of "fetch failed".
    if (cause instanceof Error && cause.message !== error.message)
      return `${error.message} (${cause.message})`;
    return error.message;
  }
  return String(error);
}
