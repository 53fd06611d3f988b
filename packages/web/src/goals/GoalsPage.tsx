import { Anchor, Button, Group, Stack, Table, Tabs, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ReadOnlyNotice } from "../admin/ui.js";
import { api, unwrap } from "../api/client.js";
import type { Goal } from "../api/types.js";
import { useCurrentProject } from "../app/project.js";
import { canWrite, useSession } from "../app/session.js";
import { EmptyState, ErrorState, Loading } from "../app/states.js";
import { GoalForm } from "./GoalForm.js";
import { MetricsView } from "./MetricsView.js";

const KIND_NAMES = { custom: "Custom event", pageview: "Page view", click: "Click" } as const;

function GoalsTable({ goals, onEdit }: { goals: Goal[]; onEdit?: ((goal: Goal) => void) | undefined }) {
  return (
    <Table aria-label="Goals" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Name</Table.Th>
          <Table.Th>Key</Table.Th>
          <Table.Th>Id</Table.Th>
          <Table.Th>Kind</Table.Th>
          <Table.Th>Event key</Table.Th>
          <Table.Th>Numeric</Table.Th>
          <Table.Th>Success</Table.Th>
          <Table.Th>Tags</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {goals.map((goal) => (
          <Table.Tr key={goal.id}>
            <Table.Td>
              {onEdit ? (
                <Anchor
                  component="button"
                  size="sm"
                  aria-label={`Edit ${goal.name}`}
                  onClick={() => onEdit(goal)}
                >
                  {goal.name}
                </Anchor>
              ) : (
                goal.name
              )}
            </Table.Td>
            <Table.Td>{goal.key}</Table.Td>
            <Table.Td>{goal.id}</Table.Td>
            <Table.Td>{KIND_NAMES[goal.kind]}</Table.Td>
            <Table.Td>{goal.eventKey}</Table.Td>
            <Table.Td>
              {goal.isNumeric ? `${goal.unitAggregationType}${goal.unit ? ` (${goal.unit})` : ""}` : "no"}
            </Table.Td>
            <Table.Td>{goal.successCriteria === "HigherThanBaseline" ? "higher" : "lower"}</Table.Td>
            <Table.Td>{goal.tags.join(", ")}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Goals of the project in Vexil's (Kameleoon's) view, editable by writers, and LaunchDarkly's metrics view. */
export default function GoalsPage() {
  const { projectKey } = useCurrentProject();
  const session = useSession();
  const writable = canWrite(session.data, projectKey);
  const [editing, setEditing] = useState<Goal | "new">();
  const goals = useQuery({
    queryKey: ["goals", projectKey],
    queryFn: async () =>
      (await unwrap(api.GET("/goals", { params: { query: { siteCode: projectKey } } }))).data,
  });
  const newButton = writable ? <Button onClick={() => setEditing("new")}>New goal</Button> : null;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Goals and metrics
        </Title>
        {newButton}
      </Group>
      {writable ? null : (
        <ReadOnlyNotice>Only writers and admins of this project create and edit goals.</ReadOnlyNotice>
      )}
      <Tabs defaultValue="goals" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="goals">Goals</Tabs.Tab>
          <Tabs.Tab value="metrics">LaunchDarkly metrics</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="goals" pt="md">
          {goals.isPending ? <Loading label="Loading goals" /> : null}
          {goals.isError ? <ErrorState error={goals.error} onRetry={() => goals.refetch()} /> : null}
          {goals.data?.length === 0 ? (
            <EmptyState title="No goal yet">
              <Text c="dimmed">
                A goal is what an experiment measures: a conversion event your app tracks, a page view or a
                click.
              </Text>
              {newButton}
            </EmptyState>
          ) : null}
          {goals.data?.length ? (
            <GoalsTable goals={goals.data} onEdit={writable ? setEditing : undefined} />
          ) : null}
        </Tabs.Panel>
        <Tabs.Panel value="metrics" pt="md">
          <MetricsView projectKey={projectKey} />
        </Tabs.Panel>
      </Tabs>
      {editing ? (
        <GoalForm
          key={editing === "new" ? "new" : editing.id}
          projectKey={projectKey}
          goal={editing === "new" ? undefined : editing}
          onClose={() => setEditing(undefined)}
        />
      ) : null}
    </Stack>
  );
}
