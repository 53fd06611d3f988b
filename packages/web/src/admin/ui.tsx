import { Alert, Button, CopyButton, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { modals } from "@mantine/modals";
import type { ReactNode } from "react";

/** Why the page shows no edit controls: the role it takes. */
export function ReadOnlyNotice({ children }: { children: ReactNode }) {
  return (
    <Alert color="gray" title="Read only" role="note">
      {children}
    </Alert>
  );
}

/** A button that copies `value`; its accessible name says what it copies. */
export function CopyValue({ value, label }: { value: string; label: string }) {
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Button
          variant="default"
          size="compact-xs"
          aria-label={copied ? `Copied ${label}` : `Copy ${label}`}
          onClick={copy}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      )}
    </CopyButton>
  );
}

/** Asks before a destructive action; `confirm` names the button that does it. */
export function confirmAction(options: {
  title: string;
  message: ReactNode;
  confirm: string;
  onConfirm: () => void;
}) {
  modals.openConfirmModal({
    title: options.title,
    children: <Text size="sm">{options.message}</Text>,
    labels: { confirm: options.confirm, cancel: "Cancel" },
    confirmProps: { color: "red" },
    onConfirm: options.onConfirm,
  });
}

/** A secret the server shows this once (a new token, a generated password), with a copy button. */
export function SecretOnce({
  title,
  label,
  secret,
  onClose,
  children,
}: {
  title: string;
  label: string;
  secret: string | undefined;
  onClose: () => void;
  children?: ReactNode;
}) {
  return (
    <Modal opened={secret !== undefined} onClose={onClose} title={title}>
      <Stack>
        {children}
        <Text size="sm">Copy it now: it is shown only this once.</Text>
        <Group wrap="nowrap" gap="xs" align="flex-end">
          <TextInput label={label} readOnly value={secret ?? ""} style={{ flex: 1 }} ff="monospace" />
          <CopyValue value={secret ?? ""} label={label} />
        </Group>
        <Group justify="flex-end">
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
