import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";

/**
 * A dialog holding one form: its fields, the server's refusal (role alert), Cancel and the submit button.
 * Enter submits; the dialog stays open until the caller closes it (on success), so an error stays visible.
 */
export function FormModal(props: {
  opened: boolean;
  onClose: () => void;
  title: string;
  /** The submit button's name, e.g. "Create token". */
  submitLabel: string;
  onSubmit: () => void;
  pending: boolean;
  error: Error | null;
  /** "red" for a destructive action. */
  submitColor?: string;
  size?: string;
  children: ReactNode;
}) {
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title} size={props.size ?? "md"}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit();
        }}
      >
        <Stack>
          {props.children}
          {props.error ? (
            <Text c="red" size="sm" role="alert">
              {props.error.message}
            </Text>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button
              type="submit"
              loading={props.pending}
              {...(props.submitColor ? { color: props.submitColor } : {})}
            >
              {props.submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
