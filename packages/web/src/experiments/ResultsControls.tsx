import { Button, Checkbox, Group, Select, Switch, TextInput } from "@mantine/core";
import { useState } from "react";
import type { ResultsOptions } from "./results-logic.js";

type Breakdown = NonNullable<ResultsOptions["breakdown"]>;
type Filter = ResultsOptions["filters"][number];

const BREAKDOWNS = [
  { value: "", label: "None" },
  { value: "BROWSER", label: "Browser" },
  { value: "DEVICE_TYPE", label: "Device" },
  { value: "OS", label: "Operating system" },
  { value: "COUNTRY", label: "Country" },
  { value: "NEW_VISITOR", label: "New visitor" },
  { value: "INTERVAL", label: "Day of first exposure" },
  { value: "CUSTOM_DATUM", label: "Custom attribute" },
];
const FILTERS = BREAKDOWNS.filter((b) => b.value !== "" && b.value !== "INTERVAL");

/** The report's switches: statistics, unit, conversions, breakdown, one filter. Each change asks a report. */
export function ResultsControls({
  options,
  onChange,
}: {
  options: ResultsOptions;
  onChange: (next: ResultsOptions) => void;
}) {
  const set = (patch: Partial<ResultsOptions>) => onChange({ ...options, ...patch });
  const [customKey, setCustomKey] = useState(options.breakdown?.key ?? "");
  const current = options.filters[0];
  const [filterType, setFilterType] = useState<string>(current?.type ?? "");
  const [filterKey, setFilterKey] = useState(current?.key ?? "");
  const [filterValues, setFilterValues] = useState((current?.values ?? []).join(", "));
  const [exclude, setExclude] = useState(current?.include === false);

  const applyFilter = () => {
    const values = filterValues
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean);
    if (!filterType || values.length === 0) return set({ filters: [] });
    const filter = {
      type: filterType as Filter["type"],
      values,
      include: !exclude,
      ...(filterType === "CUSTOM_DATUM" ? { key: filterKey } : {}),
    };
    set({ filters: [filter] });
  };

  return (
    <>
      <Group gap="lg">
        <Switch
          label="Bayesian"
          checked={options.bayesian}
          onChange={(e) => set({ bayesian: e.currentTarget.checked })}
        />
        <Switch
          label="Sequential testing"
          checked={options.sequentialTesting}
          onChange={(e) => set({ sequentialTesting: e.currentTarget.checked })}
        />
        <Switch
          label="Multiple-testing correction"
          checked={options.enabledMultipleTesting}
          onChange={(e) => set({ enabledMultipleTesting: e.currentTarget.checked })}
        />
        <Switch
          label="CUPED"
          checked={options.cuped}
          onChange={(e) => set({ cuped: e.currentTarget.checked })}
        />
      </Group>
      <Group align="flex-end">
        <Select
          label="Unit"
          w={140}
          allowDeselect={false}
          data={[
            { value: "visitor", label: "Visitors" },
            { value: "visit", label: "Visits" },
          ]}
          value={options.visitorData ? "visitor" : "visit"}
          onChange={(v) => set({ visitorData: v !== "visit" })}
        />
        <Select
          label="Conversions"
          w={200}
          allowDeselect={false}
          data={[
            { value: "CONVERTED_VISITS", label: "Converted units" },
            { value: "ALL_CONVERSION", label: "All conversions" },
          ]}
          value={options.conversionType}
          onChange={(v) =>
            set({ conversionType: (v as ResultsOptions["conversionType"]) ?? "CONVERTED_VISITS" })
          }
        />
        <Select
          label="Breakdown"
          w={200}
          allowDeselect={false}
          data={BREAKDOWNS}
          value={options.breakdown?.type ?? ""}
          onChange={(v) => {
            if (!v) return set({ breakdown: null });
            if (v === "CUSTOM_DATUM")
              return set({ breakdown: customKey ? { type: v, key: customKey } : null });
            set({
              breakdown: { type: v as Breakdown["type"], ...(v === "INTERVAL" ? { interval: "DAY" } : {}) },
            });
          }}
        />
        <TextInput
          label="Custom attribute"
          w={160}
          value={customKey}
          onChange={(e) => setCustomKey(e.currentTarget.value)}
          onBlur={() => customKey && set({ breakdown: { type: "CUSTOM_DATUM", key: customKey } })}
        />
      </Group>
      <Group align="flex-end">
        <Select
          label="Filter by"
          w={200}
          data={[{ value: "", label: "No filter" }, ...FILTERS]}
          value={filterType}
          onChange={(v) => setFilterType(v ?? "")}
        />
        {filterType === "CUSTOM_DATUM" ? (
          <TextInput
            label="Filter attribute"
            w={140}
            value={filterKey}
            onChange={(e) => setFilterKey(e.currentTarget.value)}
          />
        ) : null}
        <TextInput
          label="Filter values"
          placeholder="Chrome, Firefox"
          w={220}
          value={filterValues}
          onChange={(e) => setFilterValues(e.currentTarget.value)}
        />
        <Checkbox
          label="Exclude these"
          checked={exclude}
          onChange={(e) => setExclude(e.currentTarget.checked)}
          mb={8}
        />
        <Button variant="default" onClick={applyFilter}>
          Apply filter
        </Button>
      </Group>
    </>
  );
}
