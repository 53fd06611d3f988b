import { Group, Pagination, Select, Stack, Table, Text, Title } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../api/client.js";
import type { Webhook } from "../api/types.js";
import { ErrorState, Loading } from "../app/states.js";

const PAGE = 20;
type Status = "PENDING" | "DELIVERED" | "FAILED";
const when = (ms: number | null) => (ms === null ? "—" : new Date(ms).toLocaleString());

/** A webhook's delivery log, newest first: each flag change sent, its status, attempts and answer. */
export function WebhookDeliveries({ webhook }: { webhook: Webhook }) {
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<Status | null>(null);
  const deliveries = useQuery({
    queryKey: ["webhooks", webhook._id, "deliveries", page, status],
    queryFn: async () =>
      (
        await unwrap(
          api.GET("/api/v2/webhooks/{id}/deliveries", {
            params: {
              path: { id: webhook._id },
              query: { limit: PAGE, offset: (page - 1) * PAGE, ...(status ? { status } : {}) },
            },
          }),
        )
      ).data,
    placeholderData: keepPreviousData,
  });
  const label = webhook.name ?? webhook.url;
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2} size="h4">
          Deliveries of {label}
        </Title>
        <Select
          aria-label="Delivery status"
          placeholder="Any status"
          size="xs"
          w={160}
          clearable
          data={["PENDING", "DELIVERED", "FAILED"]}
          value={status}
          onChange={(value) => {
            setStatus(value as Status | null);
            setPage(1);
          }}
        />
      </Group>
      {deliveries.isPending ? <Loading label="Loading deliveries" /> : null}
      {deliveries.isError ? (
        <ErrorState error={deliveries.error} onRetry={() => deliveries.refetch()} />
      ) : null}
      {deliveries.data && deliveries.data.items.length === 0 ? (
        <Text c="dimmed">
          No delivery{status ? ` with status ${status}` : ""} yet: each flag change this webhook hears is sent
          and logged here.
        </Text>
      ) : null}
      {deliveries.data && deliveries.data.items.length > 0 ? (
        <>
          <Table aria-label={`Deliveries of ${label}`} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Created</Table.Th>
                <Table.Th>Change</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Attempts</Table.Th>
                <Table.Th>Response code</Table.Th>
                <Table.Th>Last attempt</Table.Th>
                <Table.Th>Error</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {deliveries.data.items.map((d) => (
                <Table.Tr key={d._id}>
                  <Table.Td>{when(d.createdAt)}</Table.Td>
                  <Table.Td>{d.event.title}</Table.Td>
                  <Table.Td>{d.status}</Table.Td>
                  <Table.Td>{d.attempts}</Table.Td>
                  <Table.Td>{d.responseStatus ?? "—"}</Table.Td>
                  <Table.Td>{when(d.lastAttemptAt)}</Table.Td>
                  <Table.Td>{d.error ?? ""}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {deliveries.data.totalCount > PAGE ? (
            <Pagination
              aria-label="Delivery pages"
              total={Math.ceil(deliveries.data.totalCount / PAGE)}
              value={page}
              onChange={setPage}
            />
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}
