import type { Webhook, WebhookInput } from "../api/types.js";

export type Statements = NonNullable<WebhookInput["statements"]>;
type PatchOperation = { op: "add" | "remove"; path: string; value?: unknown };

/** The JSON Patch turning `current` into the form's values (a blank secret keeps the current one). */
export function webhookPatch(current: Webhook, next: WebhookInput): PatchOperation[] {
  const ops: PatchOperation[] = [
    { op: "add", path: "/url", value: next.url },
    { op: "add", path: "/sign", value: next.sign ?? false },
    { op: "add", path: "/on", value: next.on ?? true },
    { op: "add", path: "/tags", value: next.tags ?? [] },
    { op: "add", path: "/statements", value: next.statements ?? [] },
  ];
  if (next.name) ops.push({ op: "add", path: "/name", value: next.name });
  else if (current.name !== undefined) ops.push({ op: "remove", path: "/name" });
  if (next.secret) ops.push({ op: "add", path: "/secret", value: next.secret });
  return ops;
}
