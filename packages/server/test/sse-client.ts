import { SseParser } from "@vexil/sdk";

// The SDK's own parser (the one SDKs run) reads the server's streams in tests: one parser, not two.

/** One dispatched event, or a comment line (`: heartbeat`). */
export type SseMessage =
  | { type: "event"; event: string; id: string | undefined; data: string }
  | { type: "comment"; text: string };

export type SseEvent = SseMessage & { type: "event" };

export interface SseClient {
  status: number;
  headers: Headers;
  /** The next event matching `accept` (any event by default); earlier ones are dropped. */
  next(accept?: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** The next comment (a heartbeat); earlier messages are dropped. */
  nextComment(timeoutMs?: number): Promise<SseMessage>;
  /** Every event received within `ms` (and not taken yet). */
  drain(ms: number): Promise<SseEvent[]>;
  close(): void;
}

/**
 * Opens `${baseUrl}/sdk/v1/stream` (or `path`, POSTing `body` as JSON when given) with fetch and parses its
 * messages as they arrive.
 */
export async function openSseStream(
  baseUrl: string,
  key: string,
  options: { lastEventId?: number | string; timeoutMs?: number; path?: string; body?: unknown } = {},
): Promise<SseClient> {
  const defaultTimeoutMs = options.timeoutMs ?? 5000;
  const controller = new AbortController();
  const headers: Record<string, string> = { authorization: key };
  if (options.lastEventId !== undefined) headers["last-event-id"] = String(options.lastEventId);
  const init: RequestInit = { headers, signal: controller.signal };
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    init.method = "POST";
    init.body = JSON.stringify(options.body);
  }
  const response = await fetch(`${baseUrl}${options.path ?? "/sdk/v1/stream"}`, init);
  const messages: SseMessage[] = [];
  let wake: (() => void) | undefined;
  if (response.body) {
    const parser = new SseParser({
      onEvent: (event) =>
        messages.push({
          type: "event",
          event: event.type,
          id: event.lastEventId === "" ? undefined : event.lastEventId,
          data: event.data,
        }),
      onComment: (text) => messages.push({ type: "comment", text: text.trim() }),
    });
    (async () => {
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          parser.pushBytes(chunk);
          wake?.();
        }
      } catch {
        // aborted
      }
    })();
  }
  const take = async (accept: (m: SseMessage) => boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = messages.findIndex(accept);
      if (index >= 0) return messages.splice(0, index + 1).pop()!;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching SSE message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, left);
      });
    }
  };
  const isEvent = (m: SseMessage): m is SseEvent => m.type === "event";
  return {
    status: response.status,
    headers: response.headers,
    next: (accept = () => true, timeoutMs = defaultTimeoutMs) =>
      take((m) => isEvent(m) && accept(m), timeoutMs) as Promise<SseEvent>,
    nextComment: (timeoutMs = defaultTimeoutMs) => take((m) => m.type === "comment", timeoutMs),
    async drain(ms) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      const events = messages.filter(isEvent);
      messages.length = 0;
      return events;
    },
    close: () => controller.abort(),
  };
}
