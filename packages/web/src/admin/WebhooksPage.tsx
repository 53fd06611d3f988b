import { Anchor, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../api/client.js";
import type { Webhook } from "../api/types.js";
import { useSession } from "../app/session.js";
import { EmptyState, ErrorState, Loading } from "../app/states.js";
import { holds } from "./access.js";
import { confirmAction, ReadOnlyNotice } from "./ui.js";
import { WebhookDeliveries } from "./WebhookDeliveries.js";
import { WebhookForm } from "./WebhookForm.js";

function DeleteButton({ webhook, label }: { webhook: Webhook; label: string }) {
  const client = useQueryClient();
  const remove = useMutation({
    mutationFn: async () =>
      unwrap(api.DELETE("/api/v2/webhooks/{id}", { params: { path: { id: webhook._id } } })),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ["webhooks"] });
      notifications.show({ message: `Webhook ${label} deleted` });
    },
    onError: (error) => notifications.show({ color: "red", title: "Not deleted", message: error.message }),
  });
  return (
    <Button
      size="xs"
      variant="default"
      aria-label={`Delete ${label}`}
      loading={remove.isPending}
      onClick={() =>
        confirmAction({
          title: `Delete webhook ${label}?`,
          message: "It stops receiving flag changes; its delivery log and pending deliveries go with it.",
          confirm: "Delete",
          onConfirm: () => remove.mutate(),
        })
      }
    >
      Delete
    </Button>
  );
}

/** Webhooks (every project's flag changes) with their delivery logs; admins of every project edit them. */
export default function WebhooksPage() {
  const session = useSession();
  const everyProject = session.data?.user.projectKey === null;
  const admin = holds(session.data, "admin", null);
  const [editing, setEditing] = useState<Webhook | "new">();
  const [selected, setSelected] = useState<string>();
  const webhooks = useQuery({
    queryKey: ["webhooks"],
    queryFn: async () => (await unwrap(api.GET("/api/v2/webhooks"))).data.items,
    enabled: everyProject,
  });
  const title = (
    <Group justify="space-between">
      <Title order={1} size="h2">
        Webhooks
      </Title>
      {admin ? <Button onClick={() => setEditing("new")}>New webhook</Button> : null}
    </Group>
  );
  // Webhooks hear every project's changes, so people scoped to one project see none of them.
  if (!everyProject) {
    return (
      <Stack>
        {title}
        <ReadOnlyNotice>Webhooks hear every project: only people of every project see them.</ReadOnlyNotice>
      </Stack>
    );
  }
  if (webhooks.isPending) return <Loading label="Loading webhooks" />;
  if (webhooks.isError) return <ErrorState error={webhooks.error} onRetry={() => webhooks.refetch()} />;
  const shown = webhooks.data.find((w) => w._id === selected);
  return (
    <Stack>
      {title}
      {admin ? null : <ReadOnlyNotice>Only admins of every project create and edit webhooks.</ReadOnlyNotice>}
      {webhooks.data.length === 0 ? (
        <EmptyState title="No webhook yet">
          <Text c="dimmed">
            A webhook receives a POST for each flag change, e.g. for chat or a deploy log.
          </Text>
        </EmptyState>
      ) : (
        <Table aria-label="Webhooks" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>URL</Table.Th>
              <Table.Th>On</Table.Th>
              <Table.Th>Signed</Table.Th>
              <Table.Th>Tags</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {webhooks.data.map((webhook) => {
              const label = webhook.name ?? webhook.url;
              return (
                <Table.Tr key={webhook._id}>
                  <Table.Td>{webhook.name ?? "—"}</Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ wordBreak: "break-all" }}>
                      {webhook.url}
                    </Text>
                  </Table.Td>
                  <Table.Td>{webhook.on ? "On" : "Off"}</Table.Td>
                  <Table.Td>{webhook.sign ? "Yes" : "No"}</Table.Td>
                  <Table.Td>{webhook.tags.join(", ")}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Anchor
                        component="button"
                        size="sm"
                        aria-label={`Deliveries of ${label}`}
                        aria-pressed={selected === webhook._id}
                        onClick={() => setSelected(webhook._id)}
                      >
                        Deliveries
                      </Anchor>
                      {admin ? (
                        <>
                          <Button
                            size="xs"
                            variant="default"
                            aria-label={`Edit ${label}`}
                            onClick={() => setEditing(webhook)}
                          >
                            Edit
                          </Button>
                          <DeleteButton webhook={webhook} label={label} />
                        </>
                      ) : null}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {shown ? <WebhookDeliveries key={shown._id} webhook={shown} /> : null}
      {editing ? (
        <WebhookForm
          key={editing === "new" ? "new" : editing._id}
          opened
          webhook={editing === "new" ? undefined : editing}
          onClose={() => setEditing(undefined)}
        />
      ) : null}
    </Stack>
  );
}
