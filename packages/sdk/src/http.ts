// The HTTP side shared by config polling, the stream, events and evaluation reports: URL building, the
// Authorization header, per-request timeouts. Any `fetch` works (Node 20, browsers, or an injected one); the
// server client sends whole-body requests through node:http instead (node-http.ts) unless given a fetch.

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
  /** A string, or parts sent one after the other. */
  body?: string | readonly string[];
  /** Aborts the request (and the body read) after this many ms; 0 = never. */
  timeoutMs?: number;
  /** Aborts the request when this signal aborts (client closed). */
  signal?: AbortSignal;
}

/** Sends a whole request and reads the whole answer (rejects on network errors, never on a status). */
export interface Transport {
  send(url: string, options: RequestOptions): Promise<HttpResponse>;
  /** Ends its connections. */
  close(): void;
}

/** Sends authenticated requests to one Vexil server. */
export class HttpClient {
  private readonly base: string;

  constructor(
    baseUrl: string,
    private readonly sdkKey: string,
    private readonly fetchImpl: FetchLike,
    private readonly defaultTimeoutMs: number,
    /** Carries request() instead of fetchImpl when given. */
    private readonly transport?: Transport,
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
      const body = options.body;
      if (body !== undefined) init.body = typeof body === "string" ? body : body.join("");
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
      if (this.transport !== undefined)
        return await this.send(this.transport, path, options, controller.signal);
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

  /** Ends the transport's connections. */
  close(): void {
    this.transport?.close();
  }

  private async send(
    transport: Transport,
    path: string,
    options: RequestOptions,
    signal: AbortSignal,
  ): Promise<HttpResponse> {
    try {
      return await transport.send(this.url(path), {
        method: options.method ?? "GET",
        headers: this.headers(options.headers),
        ...(options.body !== undefined ? { body: options.body } : {}),
        signal,
      });
    } catch (error) {
      const method = options.method ?? "GET";
      throw new VexilError("NETWORK", `${method} ${path} failed: ${describe(error)}`, undefined, {
        cause: error,
      });
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
