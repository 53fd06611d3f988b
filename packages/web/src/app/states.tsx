import { Alert, Button, Center, Loader, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";

/** A centred spinner with a label for screen readers (the space it takes avoids layout jumps). */
export function Loading({ label = "Loading" }: { label?: string }) {
  return (
    <Center mih={200} role="status" aria-label={label}>
      <Loader size="sm" />
    </Center>
  );
}

/** An error with the server's message and a retry. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <Alert color="red" title="Something went wrong" role="alert">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{error instanceof Error ? error.message : String(error)}</Text>
        {onRetry ? (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            Retry
          </Button>
        ) : null}
      </Stack>
    </Alert>
  );
}

/** What an empty list shows: what it is and the next step. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Stack align="center" gap="sm" py="xl">
      <Title order={3}>{title}</Title>
      {children}
    </Stack>
  );
}
