import { Group, NumberInput, Stack, Switch, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../api/client.js";
import { useCurrentProject } from "../app/project.js";
import {
  baselineSummary,
  type Plan,
  type PlannerForm,
  plannerRequest,
  planSummary,
} from "./planner-logic.js";

const numberOrNull = (v: string | number) => (typeof v === "number" ? v : v === "" ? null : Number(v));

/**
 * "How long will this experiment take?": units and days to detect a chosen lift, from the primary goal's
 * recent data in this environment (POST /projects/{projectKey}/sample-size), or a baseline typed in.
 */
export function PlannerPanel(props: {
  environment: { key: string; name: string };
  goalId: number | null;
  variations: number;
}) {
  const { projectKey } = useCurrentProject();
  const [mdePercent, setMde] = useState<number | null>(5);
  const [baselinePercent, setBaseline] = useState<number | null>(null);
  const [dailyUnits, setDaily] = useState<number | null>(null);
  const [useGoalData, setUseGoalData] = useState(true);
  const [sequential, setSequential] = useState(false);
  const form: PlannerForm = {
    mdePercent,
    goalId: props.goalId,
    useGoalData,
    environmentKey: props.environment.key,
    baselinePercent,
    dailyUnits,
    variations: props.variations,
    sequential,
  };
  const [built] = useDebouncedValue(plannerRequest(form), 300);
  const body = "body" in built ? built.body : null;
  const plan = useQuery({
    queryKey: ["sample-size", projectKey, body],
    enabled: body !== null,
    retry: false,
    queryFn: async () =>
      (
        await unwrap(
          api.POST("/projects/{projectKey}/sample-size", {
            params: { path: { projectKey } },
            body: body as NonNullable<typeof body>,
          }),
        )
      ).data as Plan,
  });
  const goalData = useGoalData && props.goalId !== null;

  let answer: string;
  if ("missing" in built) answer = built.missing;
  else if (plan.isError) answer = plan.error.message;
  else if (plan.data) answer = planSummary(plan.data);
  else answer = "Planning…";

  return (
    <Stack gap="xs" role="group" aria-label={`Sample size planner for ${props.environment.name}`}>
      <Text size="sm" fw={600}>
        How long will the experiment take?
      </Text>
      <Group align="flex-end" grow>
        <NumberInput
          label="Minimum detectable lift (%)"
          description="The smallest relative change worth detecting"
          decimalScale={2}
          value={mdePercent ?? ""}
          onChange={(v) => setMde(numberOrNull(v))}
        />
        <NumberInput
          label="Baseline conversion rate (%)"
          description={goalData ? "Taken from the primary goal's data" : "The control's expected rate"}
          min={0}
          max={100}
          decimalScale={4}
          disabled={goalData}
          value={baselinePercent ?? ""}
          onChange={(v) => setBaseline(numberOrNull(v))}
        />
        <NumberInput
          label="Daily visitors"
          description={goalData ? "Empty: estimated from the goal's data" : "All variations together"}
          min={0}
          thousandSeparator=","
          value={dailyUnits ?? ""}
          onChange={(v) => setDaily(numberOrNull(v))}
        />
      </Group>
      <Group>
        <Switch
          label="Baseline from the primary goal's data"
          checked={goalData}
          disabled={props.goalId === null}
          onChange={(e) => setUseGoalData(e.currentTarget.checked)}
        />
        <Switch
          label="Sequential testing"
          checked={sequential}
          onChange={(e) => setSequential(e.currentTarget.checked)}
        />
      </Group>
      <Text size="sm" role="status" aria-label="Sample size" c={plan.isError ? "red.8" : undefined}>
        {answer}
      </Text>
      {plan.data && !plan.isError && "body" in built ? (
        <Text size="xs" c="dimmed">
          {baselineSummary(plan.data)} {props.variations} variations, alpha 5 %, power 80 %
          {sequential ? ", always-valid sequential testing" : ""}.
        </Text>
      ) : null}
    </Stack>
  );
}
