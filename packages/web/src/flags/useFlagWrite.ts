import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ApiError } from "../api/client.js";

/** What a failed flag write tells the person: who holds it, or that it changed meanwhile, or the message. */
export function describeWriteError(error: unknown): { title: string; message: string; reload: boolean } {
  if (error instanceof ApiError && error.status === 409) {
    return {
      title: "Someone else changed this flag",
      message:
        "Your change was not saved because the flag changed since you opened it. Reload to see the latest version, then make your change again.",
      reload: true,
    };
  }
  if (error instanceof ApiError && error.status === 423) {
    return {
      title: "Automation holds this flag",
      message: `${error.message}. A scheduled step (progressive rollout, bandit re-allocation or a rollback) is changing it right now; try again in a few seconds.`,
      reload: true,
    };
  }
  return {
    title: "Not saved",
    message: error instanceof Error ? error.message : String(error),
    reload: false,
  };
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
