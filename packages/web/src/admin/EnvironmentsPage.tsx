import {
  Button,
  Code,
  ColorSwatch,
  Group,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../api/client.js";
import type { EnvironmentView } from "../api/types.js";
import { FormModal } from "../app/FormModal.js";
import { useCurrentProject } from "../app/project.js";
import { useSession } from "../app/session.js";
import { EmptyState, ErrorState, Loading } from "../app/states.js";
import { keyFromName } from "../flags/NewFlagModal.js";
import { holds } from "./access.js";
import { CopyValue, ReadOnlyNotice } from "./ui.js";

type Rotation = "server" | "client" | "both";

function useEnvironments(projectKey: string) {
  return useQuery({
    queryKey: ["environments", projectKey],
    queryFn: async () =>
      (await unwrap(api.GET("/projects/{projectKey}/environments", { params: { path: { projectKey } } })))
        .data,
  });
}

// Colours are stored as LaunchDarkly sends them: hex without the "#".
const cssColor = (color: string) => (/^[0-9a-f]{3,8}$/i.test(color) ? `#${color}` : color);

/** The server key is a secret (it downloads the whole configuration): shown masked, copied whole. */
const masked = (key: string) => `${key.slice(0, 6)}…${key.slice(-4)}`;

function NewEnvironmentButton({ projectKey }: { projectKey: string }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [name, setName] = useState("");
  const [key, setKey] = useState<string | undefined>(undefined);
  const [color, setColor] = useState("");
  const client = useQueryClient();
  const environmentKey = key ?? keyFromName(name).replace(/_/g, "-");
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        api.POST("/projects/{projectKey}/environments", {
          params: { path: { projectKey } },
          body: { key: environmentKey, name, ...(color ? { color } : {}) },
        }),
      ),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ["environments", projectKey] });
      await client.invalidateQueries({ queryKey: ["projects"] });
      notifications.show({ message: `Environment ${name} created` });
      setName("");
      setKey(undefined);
      setColor("");
      close();
    },
  });
  return (
    <>
      <Button onClick={open}>New environment</Button>
      <FormModal
        opened={opened}
        onClose={close}
        title="New environment"
        submitLabel="Create environment"
        onSubmit={() => create.mutate()}
        pending={create.isPending}
        error={create.error}
      >
        <TextInput
          label="Name"
          required
          data-autofocus
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <TextInput
          label="Key"
          description="What SDKs and the API call it: letters, digits, . _ -"
          required
          value={environmentKey}
          onChange={(e) => setKey(e.currentTarget.value)}
        />
        <TextInput
          label="Color"
          description="Optional, e.g. #2f9e44"
          value={color}
          onChange={(e) => setColor(e.currentTarget.value)}
        />
      </FormModal>
    </>
  );
}

/** Rotating a key breaks every SDK still using it, so the dialog says which and asks first. */
function RotateKeysButton({ projectKey, environment }: { projectKey: string; environment: EnvironmentView }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [which, setWhich] = useState<Rotation>("server");
  const client = useQueryClient();
  const rotate = useMutation({
    mutationFn: async () =>
      unwrap(
        api.POST("/projects/{projectKey}/environments/{environmentKey}/rotate-keys", {
          params: { path: { projectKey, environmentKey: environment.key }, query: { keys: which } },
        }),
      ),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ["environments", projectKey] });
      await client.invalidateQueries({ queryKey: ["projects"] });
      notifications.show({
        message: `${environment.name}: new ${which === "both" ? "keys" : `${which} key`}`,
      });
      close();
    },
  });
  return (
    <>
      <Button variant="default" size="xs" onClick={open} aria-label={`Rotate keys of ${environment.name}`}>
        Rotate keys
      </Button>
      <FormModal
        opened={opened}
        onClose={close}
        title={`Rotate keys of ${environment.name}`}
        submitLabel="Rotate"
        submitColor="red"
        onSubmit={() => rotate.mutate()}
        pending={rotate.isPending}
        error={rotate.error}
      >
        <SegmentedControl
          aria-label="Keys to rotate"
          value={which}
          onChange={(value) => setWhich(value as Rotation)}
          data={[
            { value: "server", label: "Server key" },
            { value: "client", label: "Client key" },
            { value: "both", label: "Both" },
          ]}
        />
        <Text size="sm">
          The old {which === "both" ? "keys stop" : "key stops"} working at once: every SDK and app using{" "}
          {which === "both" ? "them" : "it"} in {environment.name} must be given the new one.
        </Text>
      </FormModal>
    </>
  );
}

/** Environments of the project with their SDK keys: copy, rotate (admins), create (admins). */
export default function EnvironmentsPage() {
  const { projectKey } = useCurrentProject();
  const session = useSession();
  const environments = useEnvironments(projectKey);
  const admin = holds(session.data, "admin", projectKey);
  if (environments.isPending) return <Loading label="Loading environments" />;
  if (environments.isError) {
    return <ErrorState error={environments.error} onRetry={() => environments.refetch()} />;
  }
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Environments and SDK keys
        </Title>
        {admin ? <NewEnvironmentButton projectKey={projectKey} /> : null}
      </Group>
      {admin ? null : (
        <ReadOnlyNotice>
          Only admins of this project create environments and rotate their keys.
        </ReadOnlyNotice>
      )}
      <Text size="sm" c="dimmed">
        Server keys are secret (they download every flag's rules: keep them on servers); client keys may ship
        in browsers and apps (they only ask the server to evaluate).
      </Text>
      {environments.data.length === 0 ? (
        <EmptyState title="No environment yet">
          <Text c="dimmed">Flags are turned on and off per environment, such as staging and production.</Text>
        </EmptyState>
      ) : (
        <Table aria-label="Environments" verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Key</Table.Th>
              <Table.Th>Server SDK key</Table.Th>
              <Table.Th>Client SDK key</Table.Th>
              {admin ? <Table.Th>Actions</Table.Th> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {environments.data.map((environment) => (
              <Table.Tr key={environment.key}>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    {environment.color ? <ColorSwatch color={cssColor(environment.color)} size={14} /> : null}
                    <Text size="sm">{environment.name}</Text>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Code>{environment.key}</Code>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Code>{masked(environment.serverSdkKey)}</Code>
                    <CopyValue
                      value={environment.serverSdkKey}
                      label={`server SDK key of ${environment.name}`}
                    />
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Code>{environment.clientSdkKey}</Code>
                    <CopyValue
                      value={environment.clientSdkKey}
                      label={`client SDK key of ${environment.name}`}
                    />
                  </Group>
                </Table.Td>
                {admin ? (
                  <Table.Td>
                    <RotateKeysButton projectKey={projectKey} environment={environment} />
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
