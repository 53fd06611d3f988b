import { Anchor, Group, MultiSelect, Select, Stack, Text } from "@mantine/core";
import { Link } from "react-router";
import { useCurrentProject } from "../app/project.js";
import { useGoals } from "./flag-data.js";

export interface FlagGoals {
  primaryGoalId: number | null;
  secondaryGoalIds: number[];
}

/**
 * The goals the flag's experiments measure: one primary (what results and bandits decide on) and any
 * secondary ones. They belong to the flag, so every environment's experiments share them.
 */
export function GoalFields(props: { goals: FlagGoals; writable: boolean; onChange: (g: FlagGoals) => void }) {
  const { goals, writable, onChange } = props;
  const { projectKey } = useCurrentProject();
  const all = useGoals(projectKey);
  const options = (all.data ?? []).map((g) => ({ value: String(g.id), label: g.name }));
  return (
    <Stack gap="xs" aria-label="Experiment goals" role="group">
      <Text size="sm" fw={600}>
        Experiment goals{" "}
        <Text span size="xs" c="dimmed" fw={400}>
          (shared by every environment of this flag)
        </Text>
      </Text>
      <Group grow align="flex-start">
        <Select
          label="Primary goal"
          description="Decides the results and what a bandit optimizes"
          placeholder={all.isPending ? "Loading goals" : "None"}
          clearable
          searchable
          disabled={!writable}
          data={options}
          value={goals.primaryGoalId === null ? null : String(goals.primaryGoalId)}
          onChange={(v) => {
            const primaryGoalId = v ? Number(v) : null;
            onChange({
              primaryGoalId,
              secondaryGoalIds: goals.secondaryGoalIds.filter((id) => id !== primaryGoalId),
            });
          }}
        />
        <MultiSelect
          label="Secondary goals"
          description="Measured and reported, not decided on"
          placeholder={goals.secondaryGoalIds.length ? undefined : "None"}
          searchable
          clearable
          disabled={!writable}
          data={options.filter((o) => o.value !== String(goals.primaryGoalId))}
          value={goals.secondaryGoalIds.map(String)}
          onChange={(v) => onChange({ ...goals, secondaryGoalIds: v.map(Number) })}
        />
      </Group>
      {all.isSuccess && options.length === 0 ? (
        <Text size="sm" c="dimmed">
          This project has no goal yet.{" "}
          <Anchor component={Link} to={`/p/${projectKey}/goals`} size="sm">
            Create a goal
          </Anchor>{" "}
          to measure experiments.
        </Text>
      ) : null}
    </Stack>
  );
}
