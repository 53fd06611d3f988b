import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  SegmentedControl,
  Stack,
  Tabs,
  Text,
  Title,
} from "@mantine/core";
import { modals } from "@mantine/modals";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useOutletContext, useParams } from "react-router";
import type { Flag } from "../api/types.js";
import { useCurrentProject } from "../app/project.js";
import { canWrite, useSession } from "../app/session.js";
import { ErrorState, Loading } from "../app/states.js";
import { flagAction } from "./api.js";
import { DuplicateFlagButton } from "./DuplicateFlagButton.js";
import { EnvironmentPanel } from "./EnvironmentPanel.js";
import { HealthBadge } from "./HealthBadge.js";
import { HistoryPanel } from "./HistoryPanel.js";
import { flagKey, flagQuery } from "./queries.js";
import { Snippets } from "./Snippets.js";
import { describeWriteError, useFlagWrite } from "./useFlagWrite.js";
import { VariationsPanel } from "./VariationsPanel.js";

/** The experiments attached to a flag's rules, for the "Results" link. */
function experimentIds(flag: Flag): number[] {
  return (flag.environmentConfigurations ?? []).flatMap((env) =>
    (env.rolloutRules ?? []).flatMap((r) => (typeof r.experimentId === "number" ? [r.experimentId] : [])),
  );
}

export default function FlagPage() {
  const { featureKey = "" } = useParams();
  const { projectKey, project } = useCurrentProject();
  const outlet = useOutletContext<{ environmentKey: string }>();
  const [environmentKey, setEnvironmentKey] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const session = useSession();
  const writable = canWrite(session.data, projectKey);
  const client = useQueryClient();
  const flag = useQuery(flagQuery(projectKey, featureKey));
  const action = useFlagWrite(
    (v: { flag: Flag; action: "archive" | "restore" }) => flagAction(v.flag, v.action),
    {
      versioned: false,
      inline: true,
    },
  );

  if (flag.isPending) return <Loading label="Loading flag" />;
  if (flag.isError) return <ErrorState error={flag.error} onRetry={() => flag.refetch()} />;
  const f = flag.data;
  const envKey = environmentKey ?? outlet.environmentKey;
  const environment = project?.environments.find((e) => e.key === envKey);
  const experiments = experimentIds(f);
  // Reloading drops every draft, even when the version did not change (a 423 leaves it as it was).
  const reload = async () => {
    await client.invalidateQueries({ queryKey: flagKey(projectKey, featureKey) });
    setGeneration((g) => g + 1);
  };

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="xs">
            <Anchor component={Link} to={`/p/${projectKey}/flags`} size="sm">
              Flags
            </Anchor>
            <Text size="sm" c="dimmed">
              /
            </Text>
          </Group>
          <Group gap="sm">
            <Title order={1} size="h2">
              {f.name}
            </Title>
            <HealthBadge health={f.health} />
            {f.archived ? <Badge color="gray.8">archived</Badge> : null}
          </Group>
          <Text ff="monospace" size="sm" c="dimmed">
            {f.featureKey} · version {f.version}
          </Text>
          {f.description ? <Text size="sm">{f.description}</Text> : null}
        </Stack>
        <Group>
          {experiments.map((id, i) => (
            <Button key={id} component={Link} to={`/p/${projectKey}/experiments/${id}`} variant="light">
              {i === 0 ? "Results" : `Results (${id})`}
            </Button>
          ))}
          {writable ? (
            <>
              <DuplicateFlagButton flag={f} />
              {f.archived ? (
                <Button
                  variant="default"
                  onClick={() => action.mutate({ flag: f, action: "restore" }, { onSuccess: reload })}
                >
                  Restore
                </Button>
              ) : (
                <Button
                  variant="default"
                  color="red"
                  onClick={() =>
                    modals.openConfirmModal({
                      title: `Archive ${f.featureKey}?`,
                      children: <Text size="sm">SDKs stop receiving it; you can restore it later.</Text>,
                      labels: { confirm: "Archive", cancel: "Cancel" },
                      confirmProps: { color: "red" },
                      onConfirm: () => action.mutate({ flag: f, action: "archive" }, { onSuccess: reload }),
                    })
                  }
                >
                  Archive
                </Button>
              )}
            </>
          ) : null}
        </Group>
      </Group>
      {!writable ? (
        <Alert color="gray" title="Read only">
          Your role ({session.data?.user.role}) can look at this flag but not change it.
        </Alert>
      ) : null}
      {action.error ? (
        <Alert color="red" title={describeWriteError(action.error, false).title} role="alert">
          {describeWriteError(action.error, false).message}
        </Alert>
      ) : null}
      <Tabs defaultValue="targeting" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="targeting">Targeting</Tabs.Tab>
          <Tabs.Tab value="variations">Variations</Tabs.Tab>
          <Tabs.Tab value="history">History</Tabs.Tab>
          <Tabs.Tab value="code">Code</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="targeting" pt="md">
          <Stack>
            <SegmentedControl
              aria-label="Environment of the rules below"
              value={envKey}
              onChange={setEnvironmentKey}
              data={(project?.environments ?? []).map((e) => ({ value: e.key, label: e.name }))}
            />
            {environment ? (
              <EnvironmentPanel
                key={`${envKey}-${f.version}-${generation}`}
                flag={f}
                environment={environment}
                writable={writable && !f.archived}
                onReload={reload}
              />
            ) : null}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="variations" pt="md">
          <VariationsPanel
            key={`${f.version}-${generation}`}
            flag={f}
            writable={writable && !f.archived}
            onReload={reload}
          />
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md">
          <HistoryPanel flag={f} />
        </Tabs.Panel>
        <Tabs.Panel value="code" pt="md">
          <Snippets featureKey={f.featureKey} environment={environment} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
