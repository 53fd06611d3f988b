import {
  ActionIcon,
  Button,
  Card,
  Checkbox,
  Group,
  Menu,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { OPERATORS } from "@vexil/engine";
import {
  appendAt,
  type ConditionTree,
  groupOf,
  isGroup,
  isNot,
  type Leaf,
  OPERATOR_HINTS,
  OPERATOR_LABELS,
  type Operator,
  parseValues,
  replaceAt,
  type TreePath,
  valuesText,
} from "./condition-tree.js";

const NEW_LEAF = { attribute: "", operator: "equals", values: [] } as unknown as ConditionTree;
type Errors = Map<string, Record<string, string>>;

/** A nested all/any/not condition tree: each node edits itself and reports changes to the root. */
export function ConditionEditor(props: {
  tree: ConditionTree;
  onChange: (tree: ConditionTree) => void;
  errors: Errors;
  writable: boolean;
}) {
  return <Node {...props} node={props.tree} path={[]} />;
}

function label(path: TreePath): string {
  return path.length === 0
    ? "root"
    : path
        .filter((p) => typeof p === "number")
        .map((p) => Number(p) + 1)
        .join(".") || "not";
}

function Node(props: {
  tree: ConditionTree;
  node: ConditionTree;
  path: TreePath;
  onChange: (tree: ConditionTree) => void;
  errors: Errors;
  writable: boolean;
}) {
  const { tree, node, path, onChange, errors, writable } = props;
  const key = path.join(".");
  const replace = (next: ConditionTree | undefined) => {
    const updated = replaceAt(tree, path, next);
    onChange(updated ?? { all: [] });
  };
  // The group inside a "not" is removed with its "not" (one button, one name per condition).
  const remove =
    path.length > 0 && path[path.length - 1] !== "not" && writable ? (
      <Button size="xs" variant="subtle" color="red" onClick={() => replace(undefined)}>
        Remove condition {label(path)}
      </Button>
    ) : null;

  if (isNot(node)) {
    return (
      <Card withBorder padding="xs">
        <Group justify="space-between">
          <Text size="sm" fw={600}>
            Not
          </Text>
          {remove}
        </Group>
        <Node {...props} node={node.not} path={[...path, "not"]} />
      </Card>
    );
  }
  if (isGroup(node)) {
    const { kind, children } = groupOf(node);
    return (
      <Card withBorder padding="xs">
        <Stack gap="xs">
          <Group justify="space-between">
            <Select
              aria-label={`Group ${label(path)} matches`}
              size="xs"
              w={220}
              disabled={!writable}
              allowDeselect={false}
              data={[
                { value: "all", label: "All of these (and)" },
                { value: "any", label: "Any of these (or)" },
              ]}
              value={kind}
              onChange={(v) => replace(v === "any" ? { any: children } : { all: children })}
            />
            {remove}
          </Group>
          {errors.get(key)?.node ? (
            <Text c="red.8" size="sm">
              {errors.get(key)?.node}
            </Text>
          ) : null}
          {children.map((child, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity but their position
            <Node key={i} {...props} node={child} path={[...path, kind, i]} />
          ))}
          {writable ? (
            <Menu>
              <Menu.Target>
                <Button size="xs" variant="light" w="fit-content">
                  Add to group {label(path)}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => onChange(appendAt(tree, path, NEW_LEAF))}>Condition</Menu.Item>
                <Menu.Item onClick={() => onChange(appendAt(tree, path, { all: [] }))}>
                  All-of group
                </Menu.Item>
                <Menu.Item onClick={() => onChange(appendAt(tree, path, { any: [] }))}>
                  Any-of group
                </Menu.Item>
                <Menu.Item onClick={() => onChange(appendAt(tree, path, { not: { all: [] } }))}>
                  Not group
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          ) : null}
        </Stack>
      </Card>
    );
  }
  const leaf = node as Leaf & { values?: unknown[]; negate?: boolean; attribute?: string };
  const fieldErrors = errors.get(key) ?? {};
  const name = `Condition ${label(path)}`;
  return (
    <Group align="flex-start" wrap="wrap" gap="xs">
      {leaf.operator !== "inSegment" ? (
        <TextInput
          label={`${name} attribute`}
          size="xs"
          disabled={!writable}
          value={leaf.attribute ?? ""}
          error={fieldErrors.attribute}
          onChange={(e) => replace({ ...leaf, attribute: e.currentTarget.value } as ConditionTree)}
        />
      ) : null}
      <Select
        label={`${name} operator`}
        size="xs"
        w={170}
        searchable
        disabled={!writable}
        allowDeselect={false}
        data={OPERATORS.map((value) => ({ value, label: OPERATOR_LABELS[value] }))}
        value={leaf.operator}
        error={fieldErrors.operator}
        onChange={(v) =>
          v &&
          replace({
            ...leaf,
            operator: v as Operator,
            values: v === "exists" ? [] : leaf.values,
          } as ConditionTree)
        }
      />
      {leaf.operator !== "exists" ? (
        <Textarea
          // Uncontrolled while typing (parsed on blur); keyed by the stored values so that a node taking
          // another's place (a condition above removed) shows its own values, not the DOM's stale text.
          key={`${leaf.operator}:${JSON.stringify(leaf.values ?? [])}`}
          label={`${name} values`}
          description={OPERATOR_HINTS[leaf.operator as Operator]}
          size="xs"
          autosize
          minRows={1}
          w={260}
          disabled={!writable}
          defaultValue={valuesText(leaf.operator as Operator, leaf.values)}
          error={fieldErrors.values}
          onBlur={(e) =>
            replace({
              ...leaf,
              values: parseValues(leaf.operator as Operator, e.currentTarget.value),
            } as ConditionTree)
          }
        />
      ) : null}
      <Checkbox
        mt={28}
        label={`${name} negate`}
        disabled={!writable}
        checked={leaf.negate === true}
        onChange={(e) => replace({ ...leaf, negate: e.currentTarget.checked || undefined } as ConditionTree)}
      />
      {path.length > 0 && writable ? (
        <ActionIcon
          mt={24}
          variant="subtle"
          color="red"
          aria-label={`Remove condition ${label(path)}`}
          onClick={() => replace(undefined)}
        >
          ×
        </ActionIcon>
      ) : null}
    </Group>
  );
}
