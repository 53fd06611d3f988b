import { Group, MultiSelect, Select, TextInput } from "@mantine/core";
import { useState } from "react";
import type { Stratification, VarianceReductionChoice } from "./results-logic.js";

const METHODS = [
  { value: "NONE", label: "None" },
  { value: "REGRESSION", label: "Regression on covariates" },
  { value: "POST_STRATIFICATION", label: "Post-stratification" },
];
const STRATA = [
  { value: "BROWSER", label: "Browser" },
  { value: "DEVICE_TYPE", label: "Device" },
  { value: "OS", label: "Operating system" },
  { value: "COUNTRY", label: "Country" },
  { value: "NEW_VISITOR", label: "New visitor" },
  { value: "CUSTOM_DATUM", label: "Custom attribute" },
];

const list = (text: string) =>
  text
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);

/**
 * Variance reduction beyond CUPED (the results request's varianceReduction): regression on covariate goals'
 * pre-period values and numeric custom attributes, or post-stratification by a visitor attribute. `error`:
 * the server's refusal of the request (e.g. with a breakdown or CUPED on), shown here.
 */
export function VarianceReductionControl({
  value,
  goals,
  error,
  onChange,
}: {
  value: VarianceReductionChoice;
  goals: { value: string; label: string }[];
  error?: string;
  onChange: (next: VarianceReductionChoice) => void;
}) {
  const set = (patch: Partial<VarianceReductionChoice>) => onChange({ ...value, ...patch });
  const [attributes, setAttributes] = useState(value.covariateAttributes.join(", "));
  const [strataKey, setStrataKey] = useState(value.stratification?.key ?? "");
  const strataType = value.stratification?.type ?? null;
  const incomplete =
    value.method === "REGRESSION"
      ? value.covariateGoalIds.length + value.covariateAttributes.length === 0
      : value.method === "POST_STRATIFICATION" &&
        (!strataType || (strataType === "CUSTOM_DATUM" && !value.stratification?.key));
  return (
    <Group align="flex-start">
      <Select
        label="Variance reduction"
        w={240}
        allowDeselect={false}
        data={METHODS}
        value={value.method}
        error={error}
        description={incomplete ? "Choose what to adjust on to apply it" : undefined}
        onChange={(v) => set({ method: (v as VarianceReductionChoice["method"]) ?? "NONE" })}
      />
      {value.method === "REGRESSION" ? (
        <>
          <MultiSelect
            label="Covariate goals (14 days before)"
            w={280}
            data={goals}
            value={value.covariateGoalIds.map(String)}
            onChange={(ids) => set({ covariateGoalIds: ids.map(Number) })}
            searchable
          />
          <TextInput
            label="Covariate attributes"
            placeholder="predicted_value"
            w={200}
            value={attributes}
            onChange={(e) => setAttributes(e.currentTarget.value)}
            onBlur={() => set({ covariateAttributes: list(attributes) })}
          />
        </>
      ) : null}
      {value.method === "POST_STRATIFICATION" ? (
        <>
          <Select
            label="Stratify by"
            w={200}
            data={STRATA}
            value={strataType}
            onChange={(v) =>
              set({
                stratification: v
                  ? ({ type: v, ...(v === "CUSTOM_DATUM" ? { key: strataKey } : {}) } as Stratification)
                  : null,
              })
            }
          />
          {strataType === "CUSTOM_DATUM" ? (
            <TextInput
              label="Stratification attribute"
              w={180}
              value={strataKey}
              onChange={(e) => setStrataKey(e.currentTarget.value)}
              onBlur={() => set({ stratification: { type: "CUSTOM_DATUM", key: strataKey } })}
            />
          ) : null}
        </>
      ) : null}
    </Group>
  );
}
