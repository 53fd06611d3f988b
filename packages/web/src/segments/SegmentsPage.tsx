import { Anchor, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useCurrentProject } from "../app/project.js";
import { canWrite, useSession } from "../app/session.js";
import { EmptyState, ErrorState, Loading } from "../app/states.js";
import { useSegments } from "../flags/flag-data.js";

export default function SegmentsPage() {
  const { projectKey } = useCurrentProject();
  const session = useSession();
  const segments = useSegments(projectKey);
  const writable = canWrite(session.data, projectKey);
  const newButton = writable ? (
    <Button component={Link} to={`/p/${projectKey}/segments/new`}>
      New segment
    </Button>
  ) : null;
  if (segments.isPending) return <Loading label="Loading segments" />;
  if (segments.isError) return <ErrorState error={segments.error} onRetry={() => segments.refetch()} />;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Segments
        </Title>
        {segments.data.length ? newButton : null}
      </Group>
      {segments.data.length === 0 ? (
        <EmptyState title="No segment yet">
          <Text c="dimmed">
            A segment is a reusable audience (country, plan, app version...) that rules target.
          </Text>
          {newButton}
        </EmptyState>
      ) : (
        <Table striped aria-label="Segments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Id</Table.Th>
              <Table.Th>Description</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {segments.data.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/p/${projectKey}/segments/${s.id}`}>
                    {s.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{s.id}</Table.Td>
                <Table.Td>{s.description}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
