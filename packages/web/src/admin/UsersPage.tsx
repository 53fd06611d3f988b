import { Button, Group, Select, Stack, Table, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../api/client.js";
import type { AccountUser, AccountUserChanges, NewAccountUser } from "../api/types.js";
import { useProjects } from "../app/project.js";
import { useSession } from "../app/session.js";
import { EmptyState, ErrorState, Loading } from "../app/states.js";
import { grantableRoles, holds } from "./access.js";
import { NewGrantButton } from "./NewGrantButton.js";
import { confirmAction, ReadOnlyNotice, SecretOnce } from "./ui.js";

type Role = NewAccountUser["role"];
const ALL_PROJECTS = "*";
const usersKey = ["users"] as const;

/** "All projects" and every project, as a project-scope picker offers them. */
function useScopes() {
  const projects = useProjects();
  return [
    { value: ALL_PROJECTS, label: "All projects" },
    ...(projects.data ?? []).map((p) => ({ value: p.key, label: p.name })),
  ];
}

function NewUserButton() {
  const scopes = useScopes();
  const [created, setCreated] = useState<{ email: string; password?: string | undefined }>();
  return (
    <>
      <NewGrantButton
        label="New user"
        title="New user"
        submitLabel="Create user"
        field={{ label: "Email", type: "email" }}
        scopes={scopes}
        initialScope={ALL_PROJECTS}
        queryKey={usersKey}
        create={async ({ value, role, scope }) => {
          const body = { email: value, role, projectKey: scope === ALL_PROJECTS ? null : scope };
          const { data } = await unwrap(api.POST("/users", { body }));
          setCreated({ email: data.user.email, password: data.password });
        }}
      >
        <Text size="sm" c="dimmed">
          A password is generated and shown once; give it to the person, who signs in with it.
        </Text>
      </NewGrantButton>
      <SecretOnce
        title={`User ${created?.email ?? ""} created`}
        label="Generated password"
        secret={created?.password}
        onClose={() => setCreated(undefined)}
      />
    </>
  );
}

/** One person's row: role and scope pickers, disable/enable, reset password (not on one's own row). */
function UserRow({ user, self }: { user: AccountUser; self: boolean }) {
  const scopes = useScopes();
  const session = useSession();
  const client = useQueryClient();
  const [password, setPassword] = useState<string>();
  const update = useMutation({
    mutationFn: async (changes: AccountUserChanges) =>
      (await unwrap(api.PATCH("/users/{userId}", { params: { path: { userId: user.id } }, body: changes })))
        .data,
    onSuccess: async (updated) => {
      await client.invalidateQueries({ queryKey: usersKey });
      notifications.show({ message: `${updated.email} updated` });
    },
    onError: (error) => notifications.show({ color: "red", title: "Not changed", message: error.message }),
  });
  const reset = useMutation({
    mutationFn: async () =>
      (
        await unwrap(
          api.POST("/users/{userId}/password", { params: { path: { userId: user.id } }, body: {} }),
        )
      ).data,
    onSuccess: (data) => setPassword(data.password),
    onError: (error) => notifications.show({ color: "red", title: "Not reset", message: error.message }),
  });
  return (
    <Table.Tr>
      <Table.Td>
        {user.email}
        {self ? (
          <Text span c="dimmed" size="sm">
            {" "}
            (you)
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>
        <Select
          aria-label={`Role of ${user.email}`}
          size="xs"
          w={110}
          allowDeselect={false}
          disabled={self || update.isPending}
          data={grantableRoles(session.data)}
          value={user.role}
          onChange={(value) => value && value !== user.role && update.mutate({ role: value as Role })}
        />
      </Table.Td>
      <Table.Td>
        <Select
          aria-label={`Project scope of ${user.email}`}
          size="xs"
          w={160}
          allowDeselect={false}
          disabled={self || update.isPending}
          data={scopes}
          value={user.projectKey ?? ALL_PROJECTS}
          onChange={(value) => value && update.mutate({ projectKey: value === ALL_PROJECTS ? null : value })}
        />
      </Table.Td>
      <Table.Td>{user.disabled ? "Disabled" : "Active"}</Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          {user.disabled ? (
            <Button
              size="xs"
              variant="default"
              aria-label={`Enable ${user.email}`}
              onClick={() => update.mutate({ disabled: false })}
            >
              Enable
            </Button>
          ) : (
            <Button
              size="xs"
              variant="default"
              disabled={self}
              aria-label={`Disable ${user.email}`}
              onClick={() =>
                confirmAction({
                  title: `Disable ${user.email}?`,
                  message: "Their sessions end now and they cannot sign in until enabled again.",
                  confirm: "Disable",
                  onConfirm: () => update.mutate({ disabled: true }),
                })
              }
            >
              Disable
            </Button>
          )}
          <Button
            size="xs"
            variant="default"
            aria-label={`Reset password of ${user.email}`}
            loading={reset.isPending}
            onClick={() =>
              confirmAction({
                title: `Reset the password of ${user.email}?`,
                message: "A new password is generated; the old one and their sessions stop working now.",
                confirm: "Reset password",
                onConfirm: () => reset.mutate(),
              })
            }
          >
            Reset password
          </Button>
        </Group>
        <SecretOnce
          title={`New password of ${user.email}`}
          label="New password"
          secret={password}
          onClose={() => setPassword(undefined)}
        />
      </Table.Td>
    </Table.Tr>
  );
}

/** People who sign in to the console: admins of every project create them and change role and scope. */
export default function UsersPage() {
  const session = useSession();
  // Managing people needs an admin of every project (a scoped admin could widen itself).
  const admin = holds(session.data, "admin", null);
  const users = useQuery({
    queryKey: usersKey,
    queryFn: async () => (await unwrap(api.GET("/users"))).data,
    enabled: admin,
  });
  const title = (
    <Group justify="space-between">
      <Title order={1} size="h2">
        Users
      </Title>
      {admin ? <NewUserButton /> : null}
    </Group>
  );
  if (!admin) {
    return (
      <Stack>
        {title}
        <ReadOnlyNotice>Only admins of every project see and manage users.</ReadOnlyNotice>
      </Stack>
    );
  }
  if (users.isPending) return <Loading label="Loading users" />;
  if (users.isError) return <ErrorState error={users.error} onRetry={() => users.refetch()} />;
  return (
    <Stack>
      {title}
      {users.data.length === 0 ? (
        <EmptyState title="No user yet" />
      ) : (
        <Table aria-label="Users" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Email</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Project scope</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.data.map((user) => (
              <UserRow key={user.id} user={user} self={user.id === session.data?.user.id} />
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
