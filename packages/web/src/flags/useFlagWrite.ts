import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ApiError } from "../api/client.js";
import { explainWriteFailure, type WriteFailure } from "./write-error.js";

/**
 * What a failed flag write tells the person: who holds it, or that it changed meanwhile (versioned writes,
 * sent with If-Match), or the server's message.
 */
export function describeWriteError(error: unknown, versioned = true): WriteFailure {
  if (error instanceof ApiError) return explainWriteFailure(error.status, error.message, { versioned });
  return explainWriteFailure(undefined, error instanceof Error ? error.message : String(error));
}

/**
 * A write to flags that refreshes every flag query after it succeeds; `versioned: false` for writes sent
 * without If-Match (create, duplicate, archive), whose 409 is not a concurrent change; `inline: true` when
 * the caller shows the failure itself (otherwise a notification does). After a failure the page keeps what
 * the person was editing: a 409 or 423 offers the reload instead of doing it behind their back.
 */
export function useFlagWrite<V, R = unknown>(
  write: (variables: V) => Promise<R>,
  options: { versioned?: boolean; inline?: boolean } = {},
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: () => client.invalidateQueries({ queryKey: ["flags"] }),
    onError: (error) => {
      // A form that shows the failure beside itself needs no second, toasted copy of it.
      if (options.inline) return;
      const { title, message } = describeWriteError(error, options.versioned ?? true);
      notifications.show({ color: "red", title, message });
    },
  });
}
