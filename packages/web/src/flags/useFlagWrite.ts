import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ApiError } from "../api/client.js";
import { explainWriteFailure, type WriteFailure } from "./write-error.js";

/** What a failed flag write tells the person: who holds it, or that it changed meanwhile, or the message. */
export function describeWriteError(error: unknown): WriteFailure {
  if (error instanceof ApiError) return explainWriteFailure(error.status, error.message);
  return explainWriteFailure(undefined, error instanceof Error ? error.message : String(error));
}

/**
 * A write to flags that refreshes every flag query after it succeeds. After a failure the page keeps what
 * the person was editing: a 409 or 423 offers the reload instead of doing it behind their back.
 */
export function useFlagWrite<V, R = unknown>(write: (variables: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: () => client.invalidateQueries({ queryKey: ["flags"] }),
    onError: (error) => {
      const { title, message } = describeWriteError(error);
      notifications.show({ color: "red", title, message });
    },
  });
}
