import { ActionIcon, Button, Group, NumberInput, Select, Stack, Text } from "@mantine/core";
import type { Rule } from "../api/types.js";
import { useCurrentProject } from "../app/project.js";
import { useGoals } from "./flag-data.js";

type Condition = NonNullable<Rule["rollbackConditions"]>[number];

/** Conditions that turn the rule (or the whole environment) off when a goal moves past a threshold. */
export function RollbackFields(props: {
  n: number;
  conditions: Condition[];
  writable: boolean;
  onChange: (c: Condition[]) => void;
}) {
  const { n, conditions, writable, onChange } = props;
  const { projectKey } = useCurrentProject();
  const goals = useGoals(projectKey);
  const update = (i: number, patch: Partial<Condition>) =>
    onChange(conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const goalOptions = (goals.data ?? []).map((g) => ({ value: String(g.id), label: g.name }));
  return (
    <Stack gap={4}>
      {conditions.length > 0 ? (
        <Text size="sm" fw={600}>
          Rollback conditions
        </Text>
      ) : null}
      {conditions.map((c, i) => {
        const m = i + 1;
        return (
          <Group key={c.id ?? `new-${i}`} align="flex-end" wrap="wrap">
            <Select
              label={`Rule ${n} rollback ${m} goal`}
              data={goalOptions}
              disabled={!writable}
              value={String(c.goalId)}
              onChange={(v) => v && update(i, { goalId: Number(v) })}
              w={180}
            />
            <Select
              label={`Rule ${n} rollback ${m} criterion`}
              disabled={!writable}
              data={[
                { value: "CONVERSION_RATE", label: "Conversion rate" },
                { value: "UPLIFT", label: "Uplift" },
                { value: "DOWNLIFT", label: "Downlift" },
              ]}
              value={c.criteria ?? "CONVERSION_RATE"}
              onChange={(v) => update(i, { criteria: (v ?? undefined) as Condition["criteria"] })}
              w={160}
            />
            <Select
              label={`Rule ${n} rollback ${m} comparison`}
              disabled={!writable}
              data={[
                { value: "LESS_THAN", label: "Less than" },
                { value: "GREATER_THAN", label: "Greater than" },
              ]}
              value={c.comparisonOperator ?? c.matchType ?? "LESS_THAN"}
              onChange={(v) =>
                update(i, {
                  comparisonOperator: (v ?? undefined) as Condition["comparisonOperator"],
                  matchType: undefined,
                })
              }
              w={140}
            />
            <NumberInput
              label={`Rule ${n} rollback ${m} threshold (%)`}
              min={0}
              max={100}
              disabled={!writable}
              value={c.matchValue}
              onChange={(v) => update(i, { matchValue: Number(v) || 0 })}
              w={170}
            />
            <NumberInput
              label={`Rule ${n} rollback ${m} after visitors`}
              min={1}
              disabled={!writable}
              value={c.visitors ?? ""}
              onChange={(v) => update(i, { visitors: Number(v) || undefined })}
              w={170}
            />
            <Select
              label={`Rule ${n} rollback ${m} turns off`}
              disabled={!writable}
              data={[
                { value: "RULE", label: "This rule" },
                { value: "ENVIRONMENT", label: "The environment" },
              ]}
              value={c.target ?? "RULE"}
              onChange={(v) => update(i, { target: (v ?? undefined) as Condition["target"] })}
              w={150}
            />
            {writable ? (
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={`Remove rollback ${m} of rule ${n}`}
                onClick={() => onChange(conditions.filter((_, j) => j !== i))}
              >
                ×
              </ActionIcon>
            ) : null}
          </Group>
        );
      })}
      {writable ? (
        <Button
          size="xs"
          variant="subtle"
          w="fit-content"
          disabled={goalOptions.length === 0}
          title={goalOptions.length === 0 ? "Create a goal first" : undefined}
          onClick={() =>
            onChange([
              ...conditions,
              {
                goalId: Number(goalOptions[0]?.value),
                criteria: "CONVERSION_RATE",
                comparisonOperator: "LESS_THAN",
                matchValue: 1,
                target: "RULE",
              },
            ])
          }
        >
          Add rollback condition to rule {n}
        </Button>
      ) : null}
    </Stack>
  );
}
