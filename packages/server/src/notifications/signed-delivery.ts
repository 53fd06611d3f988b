import { createHmac } from "node:crypto";
import http from "node:http";
import https from "node:https";
import {
  assertDeliverableHost,
  type CallbackPolicy,
  guardConnectedSocket,
  guardedLookup,
  RefusedCallbackTarget,
} from "../http/callback-target.js";

/**
 * What results callbacks and webhooks share: a JSON POST to a URL a user gave (checked against the callback
 * policy when it connects), its HMAC signature, and the retry backoff of a failed delivery.
 */

export const SIGNATURE_HEADER = "x-vexil-signature";
export const TIMESTAMP_HEADER = "x-vexil-timestamp";

/** `sha256=<hex HMAC-SHA256 of the raw body>`. */
export function signatureOf(secret: string, body: string): string {
  return `sha256=${hmacHex(secret, body)}`;
}

/** The hex HMAC-SHA256 of the raw body (LaunchDarkly's X-LD-Signature carries it bare). */
export function hmacHex(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

const FIRST_RETRY_MS = 10_000;
const MAX_RETRY_MS = 3600_000;
const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * Delay before the next attempt: exponential from 10 s, at most 1 h apart, while the next attempt stays
 * within `windowMs` of the delivery's creation; null (give up) after that, and at once for a refused target.
 */
export function retryDelayWithinWindow(
  attempt: number,
  error: unknown,
  createdAt: number,
  now: number,
  windowMs: number,
): number | null {
  if (error instanceof RefusedCallbackTarget) return null;
  const delay = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1), MAX_RETRY_MS);
  return now + delay <= createdAt + windowMs ? delay : null;
}

/** A delivery the receiver did not accept; `status` when it answered. */
export class DeliveryFailed extends Error {
  override readonly name = "DeliveryFailed";
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface JsonPost {
  url: URL;
  body: string;
  headers: Record<string, string>;
  policy: CallbackPolicy;
  signal: AbortSignal;
  /** Names the sender in errors: "callback answered HTTP 500". */
  label: string;
}

/** POSTs the body; resolves with the status of a 2xx answer, rejects otherwise (status, timeout, refused address). */
export function postJson({ url, body, headers, policy, signal, label }: JsonPost): Promise<number> {
  const transport = url.protocol === "https:" ? https : http;
  return new Promise<number>((resolve, reject) => {
    assertDeliverableHost(url, policy);
    const request = transport.request(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          ...headers,
        },
        lookup: guardedLookup(policy),
        timeout: DELIVERY_TIMEOUT_MS,
        signal,
      },
      (response) => {
        response.resume();
        response.on("end", () => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(status);
          else reject(new DeliveryFailed(`${label} answered HTTP ${status}`, status));
        });
        response.on("error", reject);
      },
    );
    request.on("socket", (socket) => guardConnectedSocket(socket, url, policy));
    request.on("timeout", () => request.destroy(new DeliveryFailed(`${label} timed out`)));
    request.on("error", reject);
    request.end(body);
  });
}
