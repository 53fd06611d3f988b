import { Button, Fieldset, Group, Select, Stack, TagsInput, Text } from "@mantine/core";
import { FLAG_ACTIONS, newStatement, type StatementDraft } from "./webhook-statements.js";

/**
 * A webhook's policy statements (LaunchDarkly's): which flag changes it hears. Each statement allows or
 * denies the listed resources (or every resource but them) and actions (or every action but them).
 */
export function StatementsEditor(props: {
  projectKey: string;
  statements: StatementDraft[];
  onChange: (statements: StatementDraft[]) => void;
}) {
  const { statements, onChange } = props;
  const set = (index: number, patch: Partial<StatementDraft>) =>
    onChange(statements.map((s, i) => (i === index ? { ...s, ...patch } : s)));
  return (
    <Stack gap="xs" role="group" aria-label="Policy statements">
      <Text size="sm" fw={500}>
        Policy statements
      </Text>
      <Text size="xs" c="dimmed">
        {statements.length === 0
          ? "None: the webhook hears every flag change."
          : "A change is sent when a statement allows it and none denies it."}
      </Text>
      {statements.map((statement, index) => {
        const n = index + 1;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: statements have no identity but their place
          <Fieldset key={index} legend={`Statement ${n}`} variant="filled">
            <Stack gap="xs">
              <Group grow align="flex-end">
                <Select
                  label={`Statement ${n} effect`}
                  allowDeselect={false}
                  data={[
                    { value: "allow", label: "Allow" },
                    { value: "deny", label: "Deny" },
                  ]}
                  value={statement.effect}
                  onChange={(v) => v && set(index, { effect: v as StatementDraft["effect"] })}
                />
                <Select
                  label={`Statement ${n} resources match`}
                  allowDeselect={false}
                  data={[
                    { value: "resources", label: "The flags listed" },
                    { value: "notResources", label: "Every flag but those listed" },
                  ]}
                  value={statement.resourcesMode}
                  onChange={(v) => v && set(index, { resourcesMode: v as StatementDraft["resourcesMode"] })}
                />
                <Select
                  label={`Statement ${n} actions match`}
                  allowDeselect={false}
                  data={[
                    { value: "actions", label: "The actions listed" },
                    { value: "notActions", label: "Every action but those listed" },
                  ]}
                  value={statement.actionsMode}
                  onChange={(v) => v && set(index, { actionsMode: v as StatementDraft["actionsMode"] })}
                />
              </Group>
              <TagsInput
                label={`Statement ${n} resources`}
                description="proj/<project>:env/<environment>:flag/<flag>, * as a wildcard; Enter adds one"
                value={statement.resources}
                onChange={(resources) => set(index, { resources })}
              />
              <TagsInput
                label={`Statement ${n} actions`}
                description="e.g. updateOn, updateRules, or * for every change; Enter adds one"
                data={FLAG_ACTIONS}
                value={statement.actions}
                onChange={(actions) => set(index, { actions })}
              />
              <Group justify="flex-end">
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  onClick={() => onChange(statements.filter((_, i) => i !== index))}
                >
                  Remove statement {n}
                </Button>
              </Group>
            </Stack>
          </Fieldset>
        );
      })}
      <Group>
        <Button
          size="xs"
          variant="light"
          onClick={() => onChange([...statements, newStatement(props.projectKey)])}
        >
          Add statement
        </Button>
      </Group>
    </Stack>
  );
}
