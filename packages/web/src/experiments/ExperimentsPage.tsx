import { Anchor, Badge, Loader, Stack, Table, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useCurrentProject } from "../app/project.js";
import { EmptyState, ErrorState, Loading } from "../app/states.js";
import { useExperiments } from "./api.js";
import { daysRunning, type ExperimentSummary } from "./results-logic.js";

const statusColor = {
  running: "teal.9",
  stopped: "gray.8",
  not_started: "blue.9",
  archived: "gray.7",
} as const;
const statusLabel = {
  running: "Running",
  stopped: "Stopped",
  not_started: "Not started",
  archived: "Archived",
};

/** `/p/:projectKey/experiments`: every experiment of the project, newest first. */
export default function ExperimentsPage() {
  const { projectKey, project, projects } = useCurrentProject();
  const environments = project?.environments;
  const environmentKeys = environments?.map((e) => e.key);
  const experiments = useExperiments(projectKey, environmentKeys);
  // The units take an aggregation per experiment on the server: the list shows first, its units when ready.
  const withUnits = useExperiments(projectKey, environmentKeys, true);
  const unitsOf = (experiment: ExperimentSummary) => {
    if (experiment.primaryGoalKey === null || experiment.status === "not_started") return "–";
    if (withUnits.isError) return <Text size="sm">unavailable</Text>;
    const units = withUnits.data?.find((e) => e.id === experiment.id)?.units;
    if (units === undefined)
      return <Loader size="xs" role="status" aria-label={`Counting units of ${experiment.name}`} />;
    return units === null ? "–" : units.toLocaleString();
  };
  const now = Date.now();
  const environmentName = (key: string) => environments?.find((e) => e.key === key)?.name ?? key;

  return (
    <Stack>
      <Title order={1} size="h2">
        Experiments
      </Title>
      {experiments.isError ? (
        <ErrorState error={experiments.error} onRetry={() => experiments.refetch()} />
      ) : experiments.isPending || projects.isPending ? (
        <Loading label="Loading experiments" />
      ) : experiments.data.length === 0 ? (
        <EmptyState title="No experiment yet">
          <Text size="sm">
            An experiment starts with an Experimentation rule on a flag: open a flag, add the rule in an
            environment and turn the flag on there.
          </Text>
          <Anchor component={Link} to={`/p/${projectKey}/flags`}>
            Go to the flags
          </Anchor>
        </EmptyState>
      ) : (
        <Table striped highlightOnHover aria-label="Experiments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Experiment</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Flag</Table.Th>
              <Table.Th>Environment</Table.Th>
              <Table.Th>Primary goal</Table.Th>
              <Table.Th>Days running</Table.Th>
              <Table.Th>Units</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {experiments.data.map((experiment) => (
              <Table.Tr key={experiment.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/p/${projectKey}/experiments/${experiment.id}`} size="sm">
                    {experiment.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Badge autoContrast size="sm" color={statusColor[experiment.status]}>
                    {statusLabel[experiment.status]}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {experiment.flagKey ? (
                    <Anchor
                      component={Link}
                      to={`/p/${projectKey}/flags/${encodeURIComponent(experiment.flagKey)}`}
                      ff="monospace"
                      size="sm"
                    >
                      {experiment.flagKey}
                    </Anchor>
                  ) : (
                    "–"
                  )}
                </Table.Td>
                <Table.Td>{environmentName(experiment.environmentKey)}</Table.Td>
                <Table.Td>{experiment.primaryGoal ?? "–"}</Table.Td>
                <Table.Td>{daysRunning(experiment, now) ?? "–"}</Table.Td>
                <Table.Td>{unitsOf(experiment)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
