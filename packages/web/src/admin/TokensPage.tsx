import { Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../api/client.js";
import type { ApiToken } from "../api/types.js";
import { useCurrentProject } from "../app/project.js";
import { useSession } from "../app/session.js";
import { EmptyState, ErrorState, Loading } from "../app/states.js";
import { holds } from "./access.js";
import { NewGrantButton } from "./NewGrantButton.js";
import { confirmAction, ReadOnlyNotice, SecretOnce } from "./ui.js";

const ALL_PROJECTS = "*";

function NewTokenButton({ projectKey }: { projectKey: string }) {
  const session = useSession();
  const [secret, setSecret] = useState<string | undefined>(undefined);
  // A project-scoped admin creates its project's tokens only.
  const scopes = [{ value: projectKey, label: `Project ${projectKey}` }];
  if (session.data?.user.projectKey === null) scopes.push({ value: ALL_PROJECTS, label: "All projects" });
  return (
    <>
      <NewGrantButton
        label="New token"
        title="New API token"
        submitLabel="Create token"
        field={{ label: "Name", description: "Who or what uses it, e.g. CI deploys" }}
        scopes={scopes}
        initialScope={projectKey}
        queryKey={["tokens"]}
        create={async ({ value, role, scope }) => {
          const body = { name: value, role, ...(scope === ALL_PROJECTS ? {} : { projectKey: scope }) };
          setSecret((await unwrap(api.POST("/tokens", { body }))).data.token);
        }}
      />
      <SecretOnce
        title="Token created"
        label="New token secret"
        secret={secret}
        onClose={() => setSecret(undefined)}
      >
        <Text size="sm">Send it as `Authorization: Bearer &lt;token&gt;` to the API.</Text>
      </SecretOnce>
    </>
  );
}

function RevokeButton({ token }: { token: ApiToken }) {
  const client = useQueryClient();
  const revoke = useMutation({
    mutationFn: async () =>
      unwrap(api.DELETE("/tokens/{tokenId}", { params: { path: { tokenId: token.id } } })),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ["tokens"] });
      notifications.show({ message: `Token ${token.name} revoked` });
    },
    onError: (error) => notifications.show({ color: "red", title: "Not revoked", message: error.message }),
  });
  return (
    <Button
      size="xs"
      variant="default"
      color="red"
      loading={revoke.isPending}
      aria-label={`Revoke ${token.name}`}
      onClick={() =>
        confirmAction({
          title: `Revoke ${token.name}?`,
          message: "Every script or service using this token is refused from now on. This cannot be undone.",
          confirm: "Revoke",
          onConfirm: () => revoke.mutate(),
        })
      }
    >
      Revoke
    </Button>
  );
}

/** API tokens the signed-in admin may see (its project's only when it is scoped): create, revoke. */
export default function TokensPage() {
  const { projectKey } = useCurrentProject();
  const session = useSession();
  const admin = holds(session.data, "admin", projectKey);
  const tokens = useQuery({
    queryKey: ["tokens"],
    queryFn: async () => (await unwrap(api.GET("/tokens"))).data,
    enabled: admin,
  });
  const title = (
    <Group justify="space-between">
      <Title order={1} size="h2">
        API tokens
      </Title>
      {admin ? <NewTokenButton projectKey={projectKey} /> : null}
    </Group>
  );
  if (!admin) {
    return (
      <Stack>
        {title}
        <ReadOnlyNotice>
          Only admins see and manage API tokens. Ask an admin for a token for your scripts.
        </ReadOnlyNotice>
      </Stack>
    );
  }
  if (tokens.isPending) return <Loading label="Loading tokens" />;
  if (tokens.isError) return <ErrorState error={tokens.error} onRetry={() => tokens.refetch()} />;
  return (
    <Stack>
      {title}
      {tokens.data.length === 0 ? (
        <EmptyState title="No token yet">
          <Text c="dimmed">
            Scripts and services call the API with a token of a role and a project scope.
          </Text>
        </EmptyState>
      ) : (
        <Table aria-label="API tokens" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Project</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Expires</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.data.map((token) => (
              <Table.Tr key={token.id}>
                <Table.Td>{token.name}</Table.Td>
                <Table.Td>{token.role}</Table.Td>
                <Table.Td>{token.projectKey ?? "All projects"}</Table.Td>
                <Table.Td>{token.kind === "oauth" ? "OAuth" : "API"}</Table.Td>
                <Table.Td>{new Date(token.createdAt).toLocaleString()}</Table.Td>
                <Table.Td>{token.expiresAt ? new Date(token.expiresAt).toLocaleString() : "Never"}</Table.Td>
                <Table.Td>
                  <RevokeButton token={token} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
