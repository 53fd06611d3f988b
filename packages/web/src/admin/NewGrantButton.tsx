import { Button, Select, TextInput } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { FormModal } from "../app/FormModal.js";
import { useSession } from "../app/session.js";
import { grantableRoles, type Role } from "./access.js";

/** What the dialog collects: its one text field (a token's name, a user's email), a role and a scope. */
export interface Grant {
  value: string;
  role: Role;
  scope: string;
}

/**
 * The "New token" / "New user" button and its dialog. The role picker offers only what the signed-in
 * person holds (a token or user never gets more than its creator); `create` calls the API and keeps the
 * secret to show once, and the list under `queryKey` is refreshed.
 */
export function NewGrantButton(props: {
  label: string;
  title: string;
  submitLabel: string;
  field: { label: string; description?: string; type?: string };
  scopes: { value: string; label: string }[];
  initialScope: string;
  queryKey: readonly unknown[];
  create: (grant: Grant) => Promise<void>;
  children?: ReactNode;
}) {
  const session = useSession();
  const [opened, { open, close }] = useDisclosure(false);
  const [value, setValue] = useState("");
  const [role, setRole] = useState<Role>("reader");
  const [scope, setScope] = useState(props.initialScope);
  const client = useQueryClient();
  const create = useMutation({
    mutationFn: () => props.create({ value, role, scope }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: props.queryKey });
      setValue("");
      close();
    },
  });
  return (
    <>
      <Button onClick={open}>{props.label}</Button>
      <FormModal
        opened={opened}
        onClose={close}
        title={props.title}
        submitLabel={props.submitLabel}
        onSubmit={() => create.mutate()}
        pending={create.isPending}
        error={create.error}
      >
        <TextInput
          label={props.field.label}
          description={props.field.description}
          type={props.field.type}
          required
          data-autofocus
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
        />
        <Select
          label="Role"
          allowDeselect={false}
          data={grantableRoles(session.data)}
          value={role}
          onChange={(picked) => picked && setRole(picked as Role)}
        />
        <Select
          label="Project scope"
          allowDeselect={false}
          data={props.scopes}
          value={scope}
          onChange={(picked) => picked && setScope(picked)}
        />
        {props.children}
      </FormModal>
    </>
  );
}
