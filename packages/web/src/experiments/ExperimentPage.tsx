import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  List,
  Paper,
  Progress,
  Select,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Link, useParams } from "react-router";
import { ApiError, api, unwrap } from "../api/client.js";
import type { ResultsReport } from "../api/types.js";
import { useCurrentProject } from "../app/project.js";
import { ErrorState, Loading } from "../app/states.js";
import { refreshResults, useExperimentFlag, useExperiments, useResultsJob } from "./api.js";
import {
  colorOf,
  ExposuresChart,
  IntervalBars,
  LiftDistributionChart,
  LiftOverTimeChart,
} from "./ResultsCharts.js";
import { ResultsControls } from "./ResultsControls.js";
import { ResultsTable } from "./ResultsTable.js";
import {
  cumulativeLiftSeries,
  cumulativeRequest,
  daysRunning,
  defaultOptions,
  exposureSeries,
  type ResultsOptions,
  reportGoalIds,
  reportWarnings,
  resultsCsv,
  resultsRequest,
  varianceReductionSummary,
  variationRows,
} from "./results-logic.js";
import { VarianceReductionControl } from "./VarianceReductionControl.js";

/** Saves text as a file through a temporary link (no server round trip). */
function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function ComputingState({ what, status, progress }: { what: string; status: string; progress: number }) {
  return (
    <Stack gap={4} role="status" aria-label={`Computing ${what}`}>
      <Text size="sm">
        Computing {what}: {status === "PENDING" ? "queued" : `${Math.round(progress)} %`}
      </Text>
      <Progress value={progress} aria-label={`Progress of ${what}`} animated />
    </Stack>
  );
}

function SampleRatioWarning({ report }: { report: ResultsReport }) {
  const check = report.sampleRatioCheck;
  if (!check?.flagged) return null;
  const names = Object.fromEntries(
    Object.entries(report.variationData).map(([id, v]) => [id, v.variationName]),
  );
  return (
    <Alert color="red" title="Sample ratio mismatch" role="alert">
      <Text size="sm">
        The units per variation do not match the rule's allocation (p = {check.pValue?.toPrecision(2)}, below{" "}
        {check.threshold}): assignment or tracking is broken, and the results cannot be trusted.
      </Text>
      <List size="sm">
        {Object.entries(check.variations).map(([id, v]) => (
          <List.Item key={id}>
            {names[id] ?? id}: {v.observed.toLocaleString()} observed,{" "}
            {Math.round(v.expected ?? 0).toLocaleString()} expected ({v.allocation} %)
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

/** The report's variance-reduction block for the goal: what was applied and the reduction, or why not. */
function VarianceReductionBlock({
  report,
  goalId,
  goalNames,
}: {
  report: ResultsReport;
  goalId: number;
  goalNames: Record<number, string>;
}) {
  const summary = varianceReductionSummary(report, goalId, goalNames);
  if (!summary) return null;
  const method = summary.method === "REGRESSION" ? "Regression adjustment" : "Post-stratification";
  return (
    <Paper withBorder p="sm" role="region" aria-label="Variance reduction">
      <Text size="sm" fw={600}>
        {summary.applied
          ? `${method} applied: the numbers above are adjusted`
          : `${method} not applied: ${summary.reason ?? "no reason given"}`}
      </Text>
      <List size="sm">
        {[...summary.reductions, ...summary.details].map((line) => (
          <List.Item key={line}>{line}</List.Item>
        ))}
      </List>
    </Paper>
  );
}

function OverTime({
  report,
  goal,
  colorsOf,
  unitLabel,
}: {
  report: ResultsReport;
  goal: { goalId: number; name: string };
  colorsOf: (items: { variationId: string }[]) => string[];
  unitLabel: string;
}) {
  const lift = cumulativeLiftSeries(report, goal.goalId);
  const exposures = exposureSeries(report);
  // Each plot says what it shows: a new user met an unnamed chart of exposures under the lift's.
  return (
    <>
      <Title order={3} size="h6">
        Cumulative lift of {goal.name}, with its 95 % interval
      </Title>
      <LiftOverTimeChart series={lift} colors={colorsOf(lift)} goalName={goal.name} />
      <Title order={3} size="h6">
        {unitLabel} per variation (cumulative)
      </Title>
      <ExposuresChart series={exposures} colors={colorsOf(exposures)} unit={unitLabel} />
    </>
  );
}

/** `/p/:projectKey/experiments/:experimentId`: an experiment's results, with its plots and exports. */
export default function ExperimentPage() {
  const { experimentId = "" } = useParams();
  const { projectKey, project } = useCurrentProject();
  const experiments = useExperiments(
    projectKey,
    project?.environments.map((e) => e.key),
  );
  const experiment = experiments.data?.find((e) => e.id === experimentId);
  const flag = useExperimentFlag(projectKey, experiment?.flagKey ?? null);
  const [options, setOptions] = useState<ResultsOptions>(defaultOptions);
  const [now, setNow] = useState(() => Date.now());
  const client = useQueryClient();
  // The same period (to the next full hour) asks the same report: Refresh asks the server again.
  const refresh = () => {
    setNow(Date.now());
    if (flag.data) void refreshResults(client, flag.data.id);
  };
  const [goalId, setGoalId] = useState<number | null>(null);
  // The project's goals: the covariates a regression can use (same cache as the goals page).
  const projectGoals = useQuery({
    queryKey: ["goals", projectKey],
    queryFn: async () =>
      (await unwrap(api.GET("/goals", { params: { query: { siteCode: projectKey } } }))).data,
  });
  const goalNames = useMemo(
    () => Object.fromEntries((projectGoals.data ?? []).map((g) => [g.id, g.name])),
    [projectGoals.data],
  );

  const goalIds = useMemo(() => (flag.data ? reportGoalIds(flag.data) : []), [flag.data]);
  const body = experiment && flag.data ? resultsRequest(experiment, options, goalIds, now) : null;
  const main = useResultsJob(flag.data?.id, body);
  const overTime = useResultsJob(flag.data?.id, body ? cumulativeRequest(body) : null);

  if (experiments.isError)
    return <ErrorState error={experiments.error} onRetry={() => experiments.refetch()} />;
  if (experiments.isPending) return <Loading label="Loading experiment" />;
  if (!experiment)
    return <ErrorState error={new Error(`Experiment ${experimentId} not found in project ${projectKey}`)} />;
  if (flag.isError) return <ErrorState error={flag.error} onRetry={() => flag.refetch()} />;

  const report = main.report;
  const goal = report?.goals.find((g) => g.goalId === goalId) ?? report?.goals[0];
  const rows = report && goal ? variationRows(report, goal.goalId) : [];
  const series = overTime.report;
  // One colour per variation on every plot, in the report's order.
  const colorById: Record<string, string> = Object.fromEntries(
    Object.keys((report ?? series)?.variationData ?? {}).map((id, i) => [id, colorOf(i)]),
  );
  const colorsOf = (items: { variationId: string }[]) =>
    items.map((i) => colorById[i.variationId] ?? colorOf(0));
  const rowColors = colorsOf(rows);
  const unitLabel = report?.unit === "VISIT" ? "Visits" : "Visitors";
  const warnings = report ? reportWarnings(report) : [];
  const breakdownKeys = report?.breakdown
    ? [...new Set(Object.values(report.variationData).flatMap((v) => Object.keys(v.breakdownData)))]
    : [];
  const days = daysRunning(experiment, now);
  // A refused variance reduction (with a breakdown, or CUPED on the same goals) is said at its control.
  const vrError =
    options.varianceReduction.method !== "NONE" && main.error instanceof ApiError && main.error.status === 400
      ? main.error.message
      : undefined;

  return (
    <Stack>
      <Group gap="xs">
        <Anchor component={Link} to={`/p/${projectKey}/experiments`} size="sm">
          Experiments
        </Anchor>
        <Text size="sm" c="dimmed">
          /
        </Text>
      </Group>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1} size="h2">
            {experiment.name}
          </Title>
          <Group gap="xs">
            <Badge autoContrast color={experiment.status === "running" ? "teal.9" : "gray.8"}>
              {experiment.status.replace("_", " ")}
            </Badge>
            <Text size="sm">
              Flag{" "}
              {experiment.flagKey ? (
                <Anchor
                  component={Link}
                  to={`/p/${projectKey}/flags/${encodeURIComponent(experiment.flagKey)}`}
                  ff="monospace"
                >
                  {experiment.flagKey}
                </Anchor>
              ) : (
                "–"
              )}{" "}
              · {experiment.environmentKey} · primary goal {experiment.primaryGoal ?? "none"}
              {days !== null ? ` · ${days} days running` : ""}
            </Text>
          </Group>
        </Stack>
        <Group>
          <Button variant="default" onClick={refresh}>
            Refresh
          </Button>
          <Button
            variant="default"
            disabled={!report}
            onClick={() => report && download(`results-${experiment.id}.csv`, "text/csv", resultsCsv(report))}
          >
            Export CSV
          </Button>
          <Button
            variant="default"
            disabled={!report}
            onClick={() =>
              report &&
              download(`results-${experiment.id}.json`, "application/json", JSON.stringify(report, null, 2))
            }
          >
            Export JSON
          </Button>
        </Group>
      </Group>

      <Paper withBorder p="md">
        <Stack gap="sm">
          <ResultsControls options={options} onChange={setOptions} />
          <VarianceReductionControl
            value={options.varianceReduction}
            goals={Object.entries(goalNames).map(([id, name]) => ({ value: id, label: name }))}
            error={vrError}
            onChange={(varianceReduction) => setOptions({ ...options, varianceReduction })}
          />
          {report ? (
            <Select
              label="Goal"
              w={260}
              allowDeselect={false}
              data={report.goals.map((g) => ({ value: String(g.goalId), label: g.name }))}
              value={goal ? String(goal.goalId) : null}
              onChange={(v) => setGoalId(v ? Number(v) : null)}
            />
          ) : null}
        </Stack>
      </Paper>

      {main.error && !vrError ? <ErrorState error={main.error} onRetry={main.retry} /> : null}
      {main.failure ? <ErrorState error={new Error(main.failure)} onRetry={refresh} /> : null}
      {!report && !main.error && !main.failure ? (
        <ComputingState what="the results" status={main.status} progress={main.progress} />
      ) : null}
      {report && main.updating ? (
        <ComputingState what="the new results" status={main.status} progress={main.progress} />
      ) : null}

      {report ? (
        <>
          <SampleRatioWarning report={report} />
          {warnings.length > 0 ? (
            <Alert color="yellow" title="Read with care" variant="outline">
              <List size="sm">
                {warnings.map((w) => (
                  <List.Item key={w}>{w}</List.Item>
                ))}
              </List>
            </Alert>
          ) : null}
          {report.goals.length === 0 ? (
            <Text>This flag has no goal: add a primary goal to the flag to measure the experiment.</Text>
          ) : (
            <>
              <ResultsTable
                rows={rows}
                caption={`Results for ${goal?.name ?? ""}`}
                unitLabel={unitLabel}
                bayesian={options.bayesian}
                sequential={options.sequentialTesting}
                cuped={options.cuped}
              />
              {goal ? (
                <VarianceReductionBlock report={report} goalId={goal.goalId} goalNames={goalNames} />
              ) : null}
              <Title order={2} size="h4">
                Lift per variation
              </Title>
              <IntervalBars rows={rows} colors={rowColors} goalName={goal?.name ?? ""} />
              {options.bayesian ? (
                <>
                  <Title order={2} size="h4">
                    Bayesian lift distribution
                  </Title>
                  <LiftDistributionChart rows={rows} colors={rowColors} goalName={goal?.name ?? ""} />
                </>
              ) : null}
            </>
          )}
        </>
      ) : null}

      <Title order={2} size="h4">
        Over time
      </Title>
      {overTime.error ? <ErrorState error={overTime.error} onRetry={overTime.retry} /> : null}
      {series && goal ? (
        <OverTime report={series} goal={goal} colorsOf={colorsOf} unitLabel={unitLabel} />
      ) : !overTime.error ? (
        <ComputingState what="the results over time" status={overTime.status} progress={overTime.progress} />
      ) : null}

      {report && goal && breakdownKeys.length > 0 ? (
        <>
          <Title order={2} size="h4">
            Breakdown
          </Title>
          {breakdownKeys.map((key) => (
            <Stack key={key} gap={4}>
              <Title order={3} size="h6">
                {key}
              </Title>
              <ResultsTable
                rows={variationRows(report, goal.goalId, key)}
                caption={`Results for ${goal.name}, ${key}`}
                unitLabel={unitLabel}
                bayesian={options.bayesian}
                sequential={options.sequentialTesting}
                cuped={options.cuped}
              />
            </Stack>
          ))}
        </>
      ) : null}
    </Stack>
  );
}
