import { NumberInput, Select, SimpleGrid, Switch, TagsInput, Textarea, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../api/client.js";
import type { Goal, GoalInput } from "../api/types.js";
import { FormModal } from "../app/FormModal.js";
import { type CappingFields, type CappingType, cappingFields, cappingRequest } from "./goal-capping.js";

type Kind = NonNullable<GoalInput["kind"]>;
type Criteria = NonNullable<GoalInput["successCriteria"]>;
type Aggregation = NonNullable<GoalInput["unitAggregationType"]>;

const KINDS = [
  { value: "custom", label: "Custom event" },
  { value: "pageview", label: "Page view" },
  { value: "click", label: "Click" },
];

const CAPPINGS: { value: CappingType; label: string }[] = [
  { value: "none", label: "None" },
  { value: "absolute", label: "Absolute cap" },
  { value: "percentile", label: "Percentile cap" },
];

/** Create (no `goal`) or edit a goal; the server's refusal (taken key, bad field) is shown in the dialog. */
export function GoalForm({
  projectKey,
  goal,
  onClose,
}: {
  projectKey: string;
  goal?: Goal | undefined;
  onClose: () => void;
}) {
  const [name, setName] = useState(goal?.name ?? "");
  const [key, setKey] = useState(goal?.key ?? "");
  const [description, setDescription] = useState(goal?.description ?? "");
  const [kind, setKind] = useState<Kind>(goal?.kind ?? "custom");
  const [eventKey, setEventKey] = useState(goal?.eventKey ?? "");
  const [isNumeric, setNumeric] = useState(goal?.isNumeric ?? false);
  const [unit, setUnit] = useState(goal?.unit ?? "");
  const [successCriteria, setCriteria] = useState<Criteria>(goal?.successCriteria ?? "HigherThanBaseline");
  const [aggregation, setAggregation] = useState<Aggregation>(goal?.unitAggregationType ?? "sum");
  const [multiple, setMultiple] = useState(goal?.hasMultipleConversions ?? true);
  const [tags, setTags] = useState<string[]>(goal?.tags ?? []);
  const [capping, setCapping] = useState<CappingFields>(cappingFields(goal?.cappingSettings));
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: async () => {
      const cappingSettings = cappingRequest(capping, isNumeric);
      if ("problem" in cappingSettings) throw new Error(cappingSettings.problem);
      const fields = {
        name,
        description,
        kind,
        isNumeric,
        successCriteria,
        unitAggregationType: aggregation,
        hasMultipleConversions: multiple,
        tags,
        cappingSettings,
        ...(key ? { key } : {}),
        ...(eventKey ? { eventKey } : {}),
        ...(isNumeric && unit ? { unit } : {}),
      };
      if (!goal) return unwrap(api.POST("/goals", { body: { siteCode: projectKey, ...fields } }));
      // A merge patch: null removes the unit of a goal that is no longer numeric.
      const patch = { ...fields, ...(isNumeric && unit ? {} : { unit: null }) };
      return unwrap(api.PATCH("/goals/{goalId}", { params: { path: { goalId: goal.id } }, body: patch }));
    },
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ["goals", projectKey] });
      await client.invalidateQueries({ queryKey: ["metrics", projectKey] });
      onClose();
    },
  });
  return (
    <FormModal
      opened
      onClose={onClose}
      title={goal ? `Edit goal ${goal.name}` : "New goal"}
      size="lg"
      submitLabel={goal ? "Save goal" : "Create goal"}
      onSubmit={() => save.mutate()}
      pending={save.isPending}
      error={save.error}
    >
      <TextInput
        label="Name"
        required
        data-autofocus
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
      />
      <SimpleGrid cols={2}>
        <TextInput
          label="Key"
          description="Blank: derived from the name"
          value={key}
          onChange={(e) => setKey(e.currentTarget.value)}
        />
        <TextInput
          label="Event key"
          description="The event SDKs track; blank: the key"
          value={eventKey}
          onChange={(e) => setEventKey(e.currentTarget.value)}
        />
        <Select
          label="Kind"
          allowDeselect={false}
          data={KINDS}
          value={kind}
          onChange={(value) => value && setKind(value as Kind)}
        />
        <Select
          label="Success criterion"
          allowDeselect={false}
          data={[
            { value: "HigherThanBaseline", label: "Higher than baseline" },
            { value: "LowerThanBaseline", label: "Lower than baseline" },
          ]}
          value={successCriteria}
          onChange={(value) => value && setCriteria(value as Criteria)}
        />
      </SimpleGrid>
      <Textarea
        label="Description"
        autosize
        minRows={2}
        value={description}
        onChange={(e) => setDescription(e.currentTarget.value)}
      />
      <Switch
        label="Numeric (a value per conversion, e.g. revenue)"
        checked={isNumeric}
        onChange={(e) => setNumeric(e.currentTarget.checked)}
      />
      {isNumeric ? (
        <SimpleGrid cols={2}>
          <TextInput label="Unit" value={unit} onChange={(e) => setUnit(e.currentTarget.value)} />
          <Select
            label="Per visitor"
            allowDeselect={false}
            data={[
              { value: "sum", label: "Sum of values" },
              { value: "average", label: "Average of values" },
            ]}
            value={aggregation}
            onChange={(value) => value && setAggregation(value as Aggregation)}
          />
          <Select
            label="Capping"
            description="Limits each visitor's value in analyses, so a few outliers do not decide"
            allowDeselect={false}
            data={CAPPINGS}
            value={capping.type}
            onChange={(value) => value && setCapping({ type: value as CappingType, value: capping.value })}
          />
          {capping.type === "absolute" ? (
            <NumberInput
              label="Cap per visitor"
              description={`Values above it count as it${unit ? ` (${unit})` : ""}`}
              min={0}
              value={capping.value ?? ""}
              onChange={(v) => setCapping({ ...capping, value: v === "" ? null : Number(v) })}
            />
          ) : null}
          {capping.type === "percentile" ? (
            <NumberInput
              label="Cap percentile"
              description="e.g. 99: values above the analysis' 99th percentile count as it"
              min={0}
              max={100}
              decimalScale={4}
              value={capping.value ?? ""}
              onChange={(v) => setCapping({ ...capping, value: v === "" ? null : Number(v) })}
            />
          ) : null}
        </SimpleGrid>
      ) : null}
      <Switch
        label="Count every conversion of a visitor (not only the first)"
        checked={multiple}
        onChange={(e) => setMultiple(e.currentTarget.checked)}
      />
      <TagsInput label="Tags" value={tags} onChange={setTags} />
    </FormModal>
  );
}
