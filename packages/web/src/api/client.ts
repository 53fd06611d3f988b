import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./openapi.generated.js";

/** An API answer other than 2xx, with the server's message (either dialect's error body). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;
/** Remembers the session's CSRF token (from sign-in or GET /session) for every later write. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (csrfToken && !["GET", "HEAD", "OPTIONS"].includes(request.method)) {
      request.headers.set("x-csrf-token", csrfToken);
    }
    return request;
  },
};

/** The typed client of the management API (types generated from the server's OpenAPI document). */
export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(csrf);

function messageOf(status: number, body: unknown): string {
  if (body && typeof body === "object") {
    const b = body as { message?: unknown; errors?: unknown };
    if (typeof b.message === "string") return b.message;
  }
  return `Request failed with status ${status}`;
}

/** Unwraps an openapi-fetch result: the data, or an ApiError with the server's message. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<{ data: T; response: Response }> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, messageOf(response.status, error), error);
  return { data: data as T, response };
}

/** The same for routes whose answers have no schema yet: the parsed JSON as T. */
export async function request<T>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(csrfToken && method !== "GET" ? { "x-csrf-token": csrfToken } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new ApiError(response.status, messageOf(response.status, parsed), parsed);
  return { data: parsed as T, response };
}
