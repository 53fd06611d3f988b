import { ActionIcon, Alert, Button, Group, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import type { Flag, Variable, Variation } from "../api/types.js";
import { patchFlag } from "./api.js";
import { describeWriteError, useFlagWrite } from "./useFlagWrite.js";

const TYPES = ["BOOLEAN", "NUMBER", "STRING", "JSON", "JS", "CSS"] as const;

/** The problem with a variable value for its type, or null (values are sent as strings, decoded by type). */
export function variableValueProblem(type: Variable["type"], value: string): string | null {
  if (type === "BOOLEAN" && value !== "true" && value !== "false") return "true or false";
  if (type === "NUMBER" && (value.trim() === "" || !Number.isFinite(Number(value)))) return "a number";
  if (type === "JSON") {
    try {
      JSON.parse(value);
    } catch {
      return "valid JSON";
    }
  }
  return null;
}

/** Variations and typed variables (flag-level defaults, a value per variation). */
export function VariationsPanel(props: { flag: Flag; writable: boolean; onReload: () => void }) {
  const { flag, writable } = props;
  const [variations, setVariations] = useState<Variation[]>(flag.variations ?? []);
  const [variables, setVariables] = useState<Variable[]>(flag.variables ?? []);
  const save = useFlagWrite(() => patchFlag(flag, { variations, variables }), { inline: true });
  const valueIn = (variation: Variation, key: string) =>
    variation.variables?.find((v) => v.key === key)?.value ??
    variables.find((v) => v.key === key)?.value ??
    "";
  const setValue = (variationKey: string, key: string, value: string) =>
    setVariations(
      variations.map((v) =>
        v.key === variationKey
          ? { ...v, variables: [...(v.variables ?? []).filter((x) => x.key !== key), { key, value }] }
          : v,
      ),
    );
  const problems = variations.flatMap((variation) =>
    variables.flatMap((variable) => {
      const problem = variableValueProblem(variable.type, valueIn(variation, variable.key));
      return problem ? [`${variation.key}.${variable.key} must be ${problem}`] : [];
    }),
  );
  const failure = save.error ? describeWriteError(save.error) : null;

  return (
    <Stack>
      {failure ? (
        <Alert color="orange" title={failure.title} role="alert">
          {failure.message}{" "}
          {failure.reload ? (
            <Button size="xs" variant="light" onClick={props.onReload}>
              Reload the flag
            </Button>
          ) : null}
        </Alert>
      ) : null}
      <Table aria-label="Variations">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Key</Table.Th>
            <Table.Th>Name</Table.Th>
            {variables.map((v) => (
              <Table.Th key={v.key}>
                {v.key} ({v.type.toLowerCase()})
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {variations.map((variation, i) => (
            <Table.Tr key={variation.id ?? `new-${i}`}>
              <Table.Td>
                <TextInput
                  aria-label={`Variation ${i + 1} key`}
                  value={variation.key}
                  disabled={!writable || variation.id !== undefined}
                  onChange={(e) =>
                    setVariations(
                      variations.map((v, j) => (j === i ? { ...v, key: e.currentTarget.value } : v)),
                    )
                  }
                />
              </Table.Td>
              <Table.Td>
                <TextInput
                  aria-label={`Variation ${variation.key} name`}
                  value={variation.name ?? ""}
                  disabled={!writable}
                  onChange={(e) =>
                    setVariations(
                      variations.map((v, j) => (j === i ? { ...v, name: e.currentTarget.value } : v)),
                    )
                  }
                />
              </Table.Td>
              {variables.map((variable) => {
                const value = valueIn(variation, variable.key);
                const problem = variableValueProblem(variable.type, value);
                return (
                  <Table.Td key={variable.key}>
                    <TextInput
                      aria-label={`${variable.key} for ${variation.key}`}
                      value={value}
                      disabled={!writable}
                      error={problem ? `Must be ${problem}` : undefined}
                      onChange={(e) => setValue(variation.key, variable.key, e.currentTarget.value)}
                    />
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {writable ? (
        <Group justify="space-between">
          <Group>
            <Button
              size="xs"
              variant="light"
              onClick={() =>
                setVariations([...variations, { key: `variation_${variations.length + 1}`, name: "" }])
              }
            >
              Add variation
            </Button>
            <NewVariable onAdd={(v) => setVariables([...variables, v])} taken={variables.map((v) => v.key)} />
          </Group>
          <Group>
            {problems.length ? (
              <Text c="red.8" size="sm" role="alert">
                {problems[0]}
              </Text>
            ) : null}
            <Button
              disabled={problems.length > 0}
              loading={save.isPending}
              onClick={() => save.mutate(undefined, { onSuccess: props.onReload })}
            >
              Save variations
            </Button>
          </Group>
        </Group>
      ) : null}
    </Stack>
  );
}

function NewVariable({ onAdd, taken }: { onAdd: (v: Variable) => void; taken: string[] }) {
  const [key, setKey] = useState("");
  const [type, setType] = useState<Variable["type"]>("STRING");
  const error = taken.includes(key)
    ? "Exists"
    : key && !/^[A-Za-z0-9._-]+$/.test(key)
      ? "Letters, digits, . _ -"
      : undefined;
  return (
    <Group align="flex-end" gap="xs">
      <TextInput
        size="xs"
        label="New variable key"
        value={key}
        error={error}
        onChange={(e) => setKey(e.currentTarget.value)}
      />
      <Select
        size="xs"
        label="Type"
        w={110}
        data={[...TYPES]}
        value={type}
        allowDeselect={false}
        onChange={(v) => v && setType(v as Variable["type"])}
      />
      <ActionIcon
        size="lg"
        variant="light"
        aria-label="Add variable"
        disabled={!key || Boolean(error)}
        onClick={() => {
          onAdd({
            key,
            type,
            value: type === "BOOLEAN" ? "false" : type === "NUMBER" ? "0" : type === "JSON" ? "{}" : "",
          });
          setKey("");
        }}
      >
        +
      </ActionIcon>
    </Group>
  );
}
