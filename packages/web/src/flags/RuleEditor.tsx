import { Button, Group, NumberInput, Select, Stack, Switch, Text, TextInput } from "@mantine/core";
import type { Flag, Rule, TrafficAllocation } from "../api/types.js";
import { useCurrentProject } from "../app/project.js";
import { useSegments } from "./flag-data.js";
import { RollbackFields } from "./RollbackFields.js";
import { RolloutFields } from "./RolloutFields.js";
import { allocationProblem, allocationSum, evenSplit } from "./rule-logic.js";

// Browsers list IANA zones without "UTC" itself, the default of a release window.
const TIME_ZONES: string[] = [
  "UTC",
  ...(
    (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone") ?? []
  ).filter((zone) => zone !== "UTC"),
];

/** Every field of one rule: audience (segment, exposition, release window) and what it serves by type. */
export function RuleEditor(props: {
  rule: Rule;
  index: number;
  flag: Flag;
  writable: boolean;
  onChange: (rule: Rule) => void;
  onDelete: () => void;
}) {
  const { rule, flag, writable, onChange } = props;
  const { projectKey } = useCurrentProject();
  const segments = useSegments(projectKey);
  const variationKeys = (flag.variations ?? []).map((v) => v.key);
  const n = props.index + 1;
  const set = (patch: Partial<Rule>) => onChange({ ...rule, ...patch });
  const release = rule.release ?? {};
  const setRelease = (patch: Partial<NonNullable<Rule["release"]>>) => {
    const next = { ...release, ...patch };
    for (const k of Object.keys(next) as (keyof typeof next)[]) if (!next[k]) delete next[k];
    set({ release: Object.keys(next).length ? next : undefined });
  };

  return (
    <Stack gap="sm">
      <Group align="flex-end" grow>
        <TextInput
          label={`Rule ${n} name`}
          value={rule.name ?? ""}
          disabled={!writable}
          onChange={(e) => set({ name: e.currentTarget.value })}
        />
        <Select
          label={`Rule ${n} segment`}
          placeholder="Everyone"
          clearable
          searchable
          disabled={!writable}
          data={(segments.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
          value={rule.segmentId ? String(rule.segmentId) : null}
          onChange={(v) => set({ segmentId: v ? Number(v) : undefined })}
        />
        <NumberInput
          label={`Rule ${n} exposition (%)`}
          description="Share of the segment the rule applies to"
          min={0}
          max={100}
          decimalScale={2}
          disabled={!writable}
          value={rule.exposition ?? 100}
          onChange={(v) => set({ exposition: typeof v === "number" ? v : Number(v) || 0 })}
        />
        <Switch
          label={`Rule ${n} active`}
          checked={(rule.state ?? "ACTIVE") === "ACTIVE"}
          disabled={!writable}
          onChange={(e) => set({ state: e.currentTarget.checked ? "ACTIVE" : "PAUSED" })}
        />
      </Group>
      <Group align="flex-end" grow>
        <TextInput
          type="datetime-local"
          label={`Rule ${n} release from`}
          disabled={!writable}
          value={(release.releaseFrom ?? "").slice(0, 16)}
          onChange={(e) =>
            setRelease({ releaseFrom: e.currentTarget.value ? `${e.currentTarget.value}:00` : undefined })
          }
        />
        <TextInput
          type="datetime-local"
          label={`Rule ${n} release to`}
          disabled={!writable}
          value={(release.releaseTo ?? "").slice(0, 16)}
          onChange={(e) =>
            setRelease({ releaseTo: e.currentTarget.value ? `${e.currentTarget.value}:00` : undefined })
          }
        />
        <Select
          label={`Rule ${n} time zone`}
          searchable
          disabled={!writable}
          data={TIME_ZONES}
          value={release.timeZone ?? "UTC"}
          onChange={(v) => setRelease({ timeZone: v ?? undefined })}
        />
      </Group>
      {rule.type === "EXPERIMENTATION" ? (
        <Allocations rule={rule} n={n} variationKeys={variationKeys} writable={writable} set={set} />
      ) : (
        <Select
          label={`Rule ${n} variation`}
          data={variationKeys}
          allowDeselect={false}
          disabled={!writable}
          value={rule.variationKey ?? null}
          onChange={(v) => v && set({ variationKey: v })}
        />
      )}
      {rule.type === "PROGRESSIVE_DELIVERY" ? (
        <RolloutFields
          n={n}
          config={rule.rolloutConfiguration}
          timeZone={release.timeZone ?? "UTC"}
          writable={writable}
          onChange={(c) => set({ rolloutConfiguration: c })}
        />
      ) : null}
      <RollbackFields
        n={n}
        conditions={rule.rollbackConditions ?? []}
        writable={writable}
        onChange={(c) => set({ rollbackConditions: c })}
      />
      {writable ? (
        <Group justify="flex-end">
          <Button size="xs" variant="subtle" color="red" onClick={props.onDelete}>
            Delete rule {n}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

function Allocations(props: {
  rule: Rule;
  n: number;
  variationKeys: string[];
  writable: boolean;
  set: (patch: Partial<Rule>) => void;
}) {
  const { rule, n, variationKeys, writable, set } = props;
  const allocations: TrafficAllocation[] = variationKeys.map(
    (key) =>
      rule.trafficAllocations?.find((a) => a.variationKey === key) ?? { variationKey: key, exposition: 0 },
  );
  const problem = allocationProblem(allocations);
  const bandit = rule.trafficAllocationMethod === "MULTI_ARMED_BANDIT" || rule.multiArmedBandit === true;
  const update = (key: string, exposition: number) =>
    set({ trafficAllocations: allocations.map((a) => (a.variationKey === key ? { ...a, exposition } : a)) });
  return (
    <Stack gap="xs">
      <Group align="flex-end">
        {allocations.map((a) => (
          <NumberInput
            key={a.variationKey}
            label={`Rule ${n} allocation for ${a.variationKey} (%)`}
            min={0}
            max={100}
            decimalScale={2}
            w={200}
            disabled={!writable}
            value={a.exposition}
            onChange={(v) => update(a.variationKey ?? "", typeof v === "number" ? v : Number(v) || 0)}
          />
        ))}
        {writable ? (
          <Button
            size="xs"
            variant="subtle"
            onClick={() => {
              const split = evenSplit(allocations.length);
              set({ trafficAllocations: allocations.map((a, i) => ({ ...a, exposition: split[i] ?? 0 })) });
            }}
          >
            Split evenly
          </Button>
        ) : null}
      </Group>
      <Text size="sm" c={problem ? "red.8" : "dimmed"} aria-live="polite">
        Total: {allocationSum(allocations)} %{problem ? ` — ${problem}` : ""}
      </Text>
      <Group grow>
        <Select
          label={`Rule ${n} control variation`}
          data={variationKeys}
          disabled={!writable}
          value={rule.controlVariationKey ?? null}
          onChange={(v) => set({ controlVariationKey: v ?? undefined })}
        />
        <Select
          label={`Rule ${n} traffic allocation`}
          disabled={!writable}
          allowDeselect={false}
          data={[
            { value: "MANUAL", label: "Manual (fixed split)" },
            { value: "MULTI_ARMED_BANDIT", label: "Multi-armed bandit" },
          ]}
          value={bandit ? "MULTI_ARMED_BANDIT" : "MANUAL"}
          onChange={(v) =>
            set({
              trafficAllocationMethod: v === "MULTI_ARMED_BANDIT" ? "MULTI_ARMED_BANDIT" : "MANUAL",
              multiArmedBandit: v === "MULTI_ARMED_BANDIT",
            })
          }
        />
      </Group>
      {bandit ? (
        <Text size="sm" c="dimmed">
          The bandit moves traffic toward the variation converting best on the primary goal; the split above
          is where it starts.
        </Text>
      ) : null}
    </Stack>
  );
}
