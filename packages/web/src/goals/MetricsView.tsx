import { Anchor, Stack, Table, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client.js";
import { EmptyState, ErrorState, Loading } from "../app/states.js";

/** The same goals as LaunchDarkly's metrics API shows them (GET /api/v2/metrics/{projectKey}). */
export function MetricsView({ projectKey }: { projectKey: string }) {
  const metrics = useQuery({
    queryKey: ["metrics", projectKey],
    queryFn: async () =>
      (
        await unwrap(
          // LaunchDarkly's largest page: a project has far fewer goals than that.
          api.GET("/api/v2/metrics/{projectKey}", {
            params: { path: { projectKey }, query: { limit: 1000, offset: 0 } },
          }),
        )
      ).data.items,
  });
  if (metrics.isPending) return <Loading label="Loading metrics" />;
  if (metrics.isError) return <ErrorState error={metrics.error} onRetry={() => metrics.refetch()} />;
  if (metrics.data.length === 0) {
    return (
      <EmptyState title="No metric yet">
        <Text c="dimmed">LaunchDarkly's API shows each goal of the project as a metric.</Text>
      </EmptyState>
    );
  }
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        What LaunchDarkly clients (its REST API and Terraform provider) read: the same goals, under
        LaunchDarkly's names.
      </Text>
      <Table aria-label="LaunchDarkly metrics" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Key</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Event key</Table.Th>
            <Table.Th>Numeric</Table.Th>
            <Table.Th>Success criteria</Table.Th>
            <Table.Th>Randomization units</Table.Th>
            <Table.Th>Attached flags</Table.Th>
            <Table.Th>Experiments</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {metrics.data.map((metric) => (
            <Table.Tr key={metric.key}>
              <Table.Td>
                <Anchor
                  href={`/api/v2/metrics/${encodeURIComponent(projectKey)}/${encodeURIComponent(metric.key)}`}
                  target="_blank"
                  aria-label={`${metric.key} as JSON`}
                >
                  {metric.key}
                </Anchor>
              </Table.Td>
              <Table.Td>{metric.name}</Table.Td>
              <Table.Td>{metric.kind}</Table.Td>
              <Table.Td>{metric.eventKey}</Table.Td>
              <Table.Td>{metric.isNumeric ? `yes${metric.unit ? ` (${metric.unit})` : ""}` : "no"}</Table.Td>
              <Table.Td>{metric.successCriteria}</Table.Td>
              <Table.Td>{metric.randomizationUnits.join(", ")}</Table.Td>
              <Table.Td>{metric._attachedFeatures.map((f) => f.key).join(", ") || "—"}</Table.Td>
              <Table.Td>{metric.experimentCount ?? 0}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
