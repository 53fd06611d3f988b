import { ActionIcon, Button, Group, NumberInput, Select, Stack, Text, TextInput } from "@mantine/core";
import { FREQUENCY_UNITS } from "@vexil/engine";
import type { RolloutConfiguration } from "../api/types.js";
import { RampChart } from "./RampChart.js";
import { nextCustomStep, withScheduleType } from "./rollout-schedule.js";
import { rampPreview } from "./rule-logic.js";

const COMMON_UNITS = ["Minutes", "Hours", "Days", "Weeks", "Months"];
const toInput = (iso: string | undefined) => (iso ?? "").slice(0, 16);
const fromInput = (value: string) => (value ? `${value}:00` : "");

/** The schedule of a progressive rule: a regular ramp or custom steps, with a preview of the ramp. */
export function RolloutFields(props: {
  n: number;
  config: RolloutConfiguration | undefined;
  timeZone: string;
  writable: boolean;
  onChange: (config: RolloutConfiguration) => void;
}) {
  const { n, writable } = props;
  const config: RolloutConfiguration = props.config ?? { type: "PROGRESSIVE_EXPOSURE" };
  const set = (patch: Partial<RolloutConfiguration>) => props.onChange({ ...config, ...patch });
  const points = rampPreview(config, props.timeZone);
  const units = [...COMMON_UNITS, ...FREQUENCY_UNITS.filter((u) => !COMMON_UNITS.includes(u))];
  return (
    <Stack gap="xs">
      <Select
        label={`Rule ${n} schedule`}
        disabled={!writable}
        allowDeselect={false}
        data={[
          { value: "PROGRESSIVE_EXPOSURE", label: "Increase regularly" },
          { value: "CUSTOM_RAMP_UP", label: "Custom steps" },
        ]}
        value={config.type}
        onChange={(v) => v && props.onChange(withScheduleType(config, v as RolloutConfiguration["type"]))}
      />
      {config.type === "PROGRESSIVE_EXPOSURE" ? (
        <Group grow align="flex-end">
          <TextInput
            type="datetime-local"
            label={`Rule ${n} ramp starts at`}
            disabled={!writable}
            value={toInput(config.releaseDateTime)}
            onChange={(e) => set({ releaseDateTime: fromInput(e.currentTarget.value) || undefined })}
          />
          <NumberInput
            label={`Rule ${n} start (%)`}
            min={0}
            max={100}
            disabled={!writable}
            value={config.percentageRange?.start ?? 0}
            onChange={(v) =>
              set({ percentageRange: { start: Number(v) || 0, stop: config.percentageRange?.stop ?? 100 } })
            }
          />
          <NumberInput
            label={`Rule ${n} stop (%)`}
            min={0}
            max={100}
            disabled={!writable}
            value={config.percentageRange?.stop ?? 100}
            onChange={(v) =>
              set({ percentageRange: { start: config.percentageRange?.start ?? 0, stop: Number(v) || 0 } })
            }
          />
          <NumberInput
            label={`Rule ${n} increase by (%)`}
            min={0.01}
            max={100}
            disabled={!writable}
            value={config.increaseBy ?? 10}
            onChange={(v) => set({ increaseBy: Number(v) || undefined })}
          />
          <NumberInput
            label={`Rule ${n} every`}
            min={1}
            disabled={!writable}
            value={config.frequency?.value ?? 1}
            onChange={(v) =>
              set({ frequency: { unit: config.frequency?.unit ?? "Days", value: Number(v) || 1 } })
            }
          />
          <Select
            label={`Rule ${n} unit`}
            disabled={!writable}
            allowDeselect={false}
            data={units}
            value={config.frequency?.unit ?? "Days"}
            onChange={(v) =>
              v && set({ frequency: { unit: v as never, value: config.frequency?.value ?? 1 } })
            }
          />
        </Group>
      ) : (
        <Stack gap={4}>
          {(config.steps ?? []).map((step, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: steps have no identity but their position
            <Group key={i} align="flex-end">
              <TextInput
                type="datetime-local"
                label={`Rule ${n} step ${i + 1} at`}
                disabled={!writable}
                value={toInput(step.dateTime)}
                onChange={(e) =>
                  set({
                    steps: (config.steps ?? []).map((s, j) =>
                      j === i ? { ...s, dateTime: fromInput(e.currentTarget.value) } : s,
                    ),
                  })
                }
              />
              <NumberInput
                label={`Rule ${n} step ${i + 1} exposure (%)`}
                min={0}
                max={100}
                disabled={!writable}
                value={step.exposure}
                onChange={(v) =>
                  set({
                    steps: (config.steps ?? []).map((s, j) =>
                      j === i ? { ...s, exposure: Number(v) || 0 } : s,
                    ),
                  })
                }
              />
              {writable ? (
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove step ${i + 1}`}
                  onClick={() => set({ steps: (config.steps ?? []).filter((_, j) => j !== i) })}
                >
                  ×
                </ActionIcon>
              ) : null}
            </Group>
          ))}
          {writable ? (
            <Button
              size="xs"
              variant="subtle"
              w="fit-content"
              onClick={() => set({ steps: [...(config.steps ?? []), nextCustomStep(config.steps)] })}
            >
              Add step
            </Button>
          ) : null}
        </Stack>
      )}
      {points.length > 0 ? (
        <RampChart
          points={points}
          label={`Ramp preview of rule ${n}: ${points.map((p) => `${p.exposure}%`).join(", ")}`}
          timeZone={props.timeZone}
        />
      ) : (
        <Text size="sm" c="dimmed">
          Fill in the start time and steps to see the ramp.
        </Text>
      )}
    </Stack>
  );
}
