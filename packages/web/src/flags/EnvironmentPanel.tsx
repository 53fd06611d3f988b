import {
  type Announcements,
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import {
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from "@dnd-kit/sortable";
import { ActionIcon, Alert, Button, Card, Group, Menu, Select, Stack, Switch, Text } from "@mantine/core";
import { modals } from "@mantine/modals";
import { useState } from "react";
import type { Flag, Rule } from "../api/types.js";
import { patchEnvironment } from "./api.js";
import { isProduction } from "./flag-list.js";
import { type FlagGoals, GoalFields } from "./GoalFields.js";
import { PlannerPanel } from "./PlannerPanel.js";
import { RuleEditor } from "./RuleEditor.js";
import { ruleToSave } from "./rollout-schedule.js";
import { experimentArmCount, newRule, reorder, rulesProblems } from "./rule-logic.js";
import { describeWriteError, useFlagWrite } from "./useFlagWrite.js";

const RULE_LABELS: Record<Rule["type"], string> = {
  TARGETED_DELIVERY: "Targeted delivery",
  PROGRESSIVE_DELIVERY: "Progressive delivery",
  EXPERIMENTATION: "Experimentation",
};

// Sortable items need ids that survive edits; new rules have none until saved.
type Draft = Rule & { draftId: string };
let nextDraft = 0;
const withDraftId = (rule: Rule): Draft => ({
  ...rule,
  draftId: rule.id ? `rule-${rule.id}` : `new-${nextDraft++}`,
});
const withoutDraftId = ({ draftId: _, ...rule }: Draft): Rule => rule;

function SortableRule(props: { draft: Draft; index: number; children: React.ReactNode; writable: boolean }) {
  const { attributes, listeners, setNodeRef, transform, transition } = useSortable({
    id: props.draft.draftId,
  });
  const style = { transform: transform ? `translate3d(0, ${transform.y}px, 0)` : undefined, transition };
  return (
    <Card withBorder ref={setNodeRef} style={style} padding="sm">
      <Group gap="xs" mb="xs">
        {props.writable ? (
          <ActionIcon
            variant="subtle"
            aria-label={`Drag rule ${props.index + 1} to reorder`}
            {...attributes}
            {...listeners}
          >
            <span aria-hidden="true">⠿</span>
          </ActionIcon>
        ) : null}
        <Text fw={600} size="sm">
          {props.index + 1}. {RULE_LABELS[props.draft.type]}
        </Text>
        {props.draft.status ? (
          <Text size="xs" c="dimmed">
            {props.draft.status.toLowerCase()}
          </Text>
        ) : null}
      </Group>
      {props.children}
    </Card>
  );
}

/** One environment of a flag: the kill switch (saved at once), default variation and ordered rules. */
export function EnvironmentPanel(props: {
  flag: Flag;
  environment: { key: string; name: string };
  writable: boolean;
  onReload: () => void;
}) {
  const { flag, environment, writable } = props;
  const config = flag.environmentConfigurations?.find((e) => e.environmentKey === environment.key);
  const variationKeys = (flag.variations ?? []).map((v) => v.key);
  const [defaultVariation, setDefaultVariation] = useState(
    config?.defaultVariationKey ?? variationKeys[0] ?? "",
  );
  const [rules, setRules] = useState<Draft[]>(() => (config?.rolloutRules ?? []).map(withDraftId));
  const [goals, setGoals] = useState<FlagGoals>({
    primaryGoalId: flag.primaryGoalId ?? null,
    secondaryGoalIds: flag.secondaryGoalIds ?? [],
  });
  const [goalsDirty, setGoalsDirty] = useState(false);
  const [dirty, setDirty] = useState(false);
  const sensors = useSensors(
    useSensor(PointerSensor),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const save = useFlagWrite(
    (patch: Parameters<typeof patchEnvironment>[2]) => patchEnvironment(flag, environment.key, patch),
    { inline: true },
  );
  const edit = (next: Draft[]) => {
    setRules(next);
    setDirty(true);
  };
  const problems = rulesProblems(rules, goals.primaryGoalId !== null || goals.secondaryGoalIds.length > 0);

  function toggle(enabled: boolean) {
    const run = () => save.mutate({ featureEnabled: enabled }, { onSuccess: props.onReload });
    if (!isProduction(environment)) return run();
    modals.openConfirmModal({
      title: `Turn ${enabled ? "on" : "off"} ${flag.featureKey} in ${environment.name}?`,
      children: <Text size="sm">This changes what every visitor of {environment.name} gets, at once.</Text>,
      labels: { confirm: `Turn ${enabled ? "on" : "off"}`, cancel: "Cancel" },
      confirmProps: { color: enabled ? "indigo" : "red" },
      onConfirm: run,
    });
  }

  // What a screen reader hears while moving a rule: positions, not the internal ids dnd-kit would read.
  const position = (id: string | number) => rules.findIndex((r) => r.draftId === id) + 1;
  const announcements: Announcements = {
    onDragStart: ({ active }) =>
      `Picked up rule ${position(active.id)}. Arrow keys move it, space drops it, escape cancels.`,
    onDragOver: ({ active, over }) =>
      over
        ? `Rule ${position(active.id)} is over position ${position(over.id)}.`
        : `Rule ${position(active.id)} is over no position.`,
    onDragEnd: ({ active, over }) =>
      over
        ? `Rule ${position(active.id)} dropped at position ${position(over.id)}.`
        : `Rule ${position(active.id)} dropped where it was.`,
    onDragCancel: ({ active }) => `Moving rule ${position(active.id)} was cancelled.`,
  };

  function onDragEnd(event: DragEndEvent) {
    const from = rules.findIndex((r) => r.draftId === event.active.id);
    const to = rules.findIndex((r) => r.draftId === event.over?.id);
    if (from >= 0 && to >= 0 && from !== to) edit(reorder(rules, from, to));
  }

  const failure = save.error ? describeWriteError(save.error) : null;
  return (
    <Stack>
      {failure ? (
        <Alert color={failure.reload ? "orange" : "red"} title={failure.title} role="alert">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{failure.message}</Text>
            {failure.reload ? (
              <Button size="xs" variant="light" onClick={props.onReload}>
                Reload the flag
              </Button>
            ) : null}
          </Stack>
        </Alert>
      ) : null}
      <Group>
        <Switch
          size="md"
          label={`Enabled in ${environment.name}`}
          checked={Boolean(config?.featureEnabled)}
          disabled={!writable || save.isPending}
          onChange={(e) => toggle(e.currentTarget.checked)}
        />
        <Select
          label="Default variation"
          description="Served when the flag is off or no rule matches"
          data={variationKeys}
          value={defaultVariation}
          disabled={!writable}
          allowDeselect={false}
          onChange={(v) => {
            if (v) setDefaultVariation(v);
            setDirty(true);
          }}
        />
      </Group>
      <DndContext
        sensors={sensors}
        collisionDetection={closestCenter}
        onDragEnd={onDragEnd}
        accessibility={{
          announcements,
          screenReaderInstructions: {
            draggable: "To move a rule, press space, then the arrow keys, then space again to drop it.",
          },
        }}
      >
        <SortableContext items={rules.map((r) => r.draftId)} strategy={verticalListSortingStrategy}>
          <Stack aria-label={`Rules in ${environment.name}`}>
            {rules.length === 0 ? (
              <Text c="dimmed">No rule: everyone gets the default variation while the flag is on.</Text>
            ) : null}
            {rules.map((rule, index) => (
              <SortableRule key={rule.draftId} draft={rule} index={index} writable={writable}>
                <RuleEditor
                  rule={rule}
                  index={index}
                  flag={flag}
                  writable={writable}
                  onChange={(next) =>
                    edit(
                      rules.map((r) => (r.draftId === rule.draftId ? { ...next, draftId: rule.draftId } : r)),
                    )
                  }
                  onDelete={() =>
                    edit(
                      reorder(
                        rules.filter((r) => r.draftId !== rule.draftId),
                        0,
                        0,
                      ),
                    )
                  }
                />
              </SortableRule>
            ))}
          </Stack>
        </SortableContext>
      </DndContext>
      {rules.some((r) => r.type === "EXPERIMENTATION") || goals.primaryGoalId !== null ? (
        <GoalFields
          goals={goals}
          writable={writable}
          onChange={(next) => {
            setGoals(next);
            setGoalsDirty(true);
            setDirty(true);
          }}
        />
      ) : null}
      {rules.some((r) => r.type === "EXPERIMENTATION") ? (
        <PlannerPanel
          environment={environment}
          goalId={goals.primaryGoalId}
          variations={experimentArmCount(rules, variationKeys.length)}
        />
      ) : null}
      {writable ? (
        <Group justify="space-between">
          <Menu>
            <Menu.Target>
              <Button variant="light">Add rule</Button>
            </Menu.Target>
            <Menu.Dropdown>
              {(Object.keys(RULE_LABELS) as Rule["type"][]).map((type) => (
                <Menu.Item
                  key={type}
                  onClick={() => edit([...rules, withDraftId(newRule(type, variationKeys, rules.length))])}
                >
                  {RULE_LABELS[type]}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
          <Group>
            {problems.map((p) => (
              <Text key={p} c="red.8" size="sm" role="alert">
                {p}
              </Text>
            ))}
            <Button variant="default" disabled={!dirty} onClick={props.onReload}>
              Discard
            </Button>
            <Button
              disabled={!dirty || problems.length > 0}
              loading={save.isPending}
              onClick={() =>
                save.mutate(
                  {
                    defaultVariationKey: defaultVariation,
                    rolloutRules: rules.map((r) => ruleToSave(withoutDraftId(r))),
                    // Goals are the flag's; sent only when edited so this save cannot undo another's.
                    ...(goalsDirty ? goals : {}),
                  },
                  { onSuccess: props.onReload },
                )
              }
            >
              Save {environment.name}
            </Button>
          </Group>
        </Group>
      ) : null}
    </Stack>
  );
}
