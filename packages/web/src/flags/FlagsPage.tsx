import {
  Anchor,
  Badge,
  Group,
  Pagination,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { modals } from "@mantine/modals";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import { Link, useOutletContext } from "react-router";
import type { Flag } from "../api/types.js";
import { useCurrentProject } from "../app/project.js";
import { canWrite, useSession } from "../app/session.js";
import { ErrorState, Loading } from "../app/states.js";
import { patchEnvironment } from "./api.js";
import { defaultFilters, type FlagListFilters, isFiltered, isProduction, listQuery } from "./flag-list.js";
import { HealthBadge } from "./HealthBadge.js";
import { NewFlagButton } from "./NewFlagModal.js";
import { Onboarding } from "./Onboarding.js";
import { flagListQuery } from "./queries.js";
import { useFlagWrite } from "./useFlagWrite.js";

const RULE_TYPES = [
  { value: "TARGETED_DELIVERY", label: "Targeted delivery" },
  { value: "PROGRESSIVE_DELIVERY", label: "Progressive delivery" },
  { value: "EXPERIMENTATION", label: "Experimentation" },
];

export default function FlagsPage() {
  const { projectKey, project } = useCurrentProject();
  const { environmentKey } = useOutletContext<{ environmentKey: string }>();
  const session = useSession();
  const writable = canWrite(session.data, projectKey);
  const [filters, setFilters] = useState(defaultFilters);
  const deferredSearch = useDeferredValue(filters.search);
  const query = listQuery(projectKey, environmentKey, { ...filters, search: deferredSearch });
  const flags = useQuery({ ...flagListQuery(query), placeholderData: keepPreviousData });
  const toggle = useFlagWrite((v: { flag: Flag; environmentKey: string; enabled: boolean }) =>
    patchEnvironment(v.flag, v.environmentKey, { featureEnabled: v.enabled }),
  );
  const set = (patch: Partial<typeof filters>) => setFilters((f) => ({ ...f, page: 1, ...patch }));
  const environments = project?.environments ?? [];

  function confirmToggle(flag: Flag, env: { key: string; name: string }, enabled: boolean) {
    if (!isProduction(env)) return toggle.mutate({ flag, environmentKey: env.key, enabled });
    modals.openConfirmModal({
      title: `Turn ${enabled ? "on" : "off"} ${flag.featureKey} in ${env.name}?`,
      children: <Text size="sm">This changes what every visitor of {env.name} gets, at once.</Text>,
      labels: { confirm: `Turn ${enabled ? "on" : "off"}`, cancel: "Cancel" },
      confirmProps: { color: enabled ? "indigo" : "red" },
      onConfirm: () => toggle.mutate({ flag, environmentKey: env.key, enabled }),
    });
  }

  if (flags.data && flags.data.total === 0 && !isFiltered(filters) && filters.page === 1) {
    return <Onboarding projectKey={projectKey} environmentKey={environmentKey} canWrite={writable} />;
  }
  const shown = flags.data?.items ?? [];
  const pages = Math.max(1, Math.ceil((flags.data?.total ?? 0) / filters.perPage));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Flags
        </Title>
        {writable ? <NewFlagButton projectKey={projectKey} /> : null}
      </Group>
      <Group align="flex-end" gap="sm">
        <TextInput
          label="Search"
          placeholder="Key, name or description"
          value={filters.search}
          onChange={(e) => set({ search: e.currentTarget.value })}
        />
        <TextInput
          label="Tag"
          value={filters.tag}
          onChange={(e) => set({ tag: e.currentTarget.value })}
          w={120}
        />
        <Select
          label="Health"
          w={130}
          data={[
            { value: "", label: "Any" },
            ...["HEALTHY", "PERMANENT", "STALE", "SMELLY"].map((h) => ({ value: h, label: h.toLowerCase() })),
          ]}
          value={filters.health}
          onChange={(v) => set({ health: v ?? "" })}
        />
        <Select
          label="Archived"
          w={130}
          data={[
            { value: "false", label: "Active" },
            { value: "true", label: "Archived" },
            { value: "all", label: "All" },
          ]}
          value={filters.archived}
          onChange={(v) => set({ archived: (v as typeof filters.archived) ?? "false" })}
        />
        <Select
          label={`In ${environmentKey || "environment"}`}
          w={120}
          data={[
            { value: "", label: "On or off" },
            { value: "on", label: "On" },
            { value: "off", label: "Off" },
          ]}
          value={filters.enabled}
          onChange={(v) => set({ enabled: (v as FlagListFilters["enabled"]) ?? "" })}
        />
        <Select
          label="Rule type"
          w={180}
          data={[{ value: "", label: "Any" }, ...RULE_TYPES]}
          value={filters.ruleType}
          onChange={(v) => set({ ruleType: (v as FlagListFilters["ruleType"]) ?? "" })}
        />
        <Select
          label="Sort"
          w={160}
          data={[
            { value: "name", label: "Name" },
            { value: "featureKey", label: "Key" },
            { value: "-dateModified", label: "Recently changed" },
            { value: "-dateCreated", label: "Newest" },
          ]}
          value={filters.sort}
          onChange={(v) => set({ sort: v ?? "name" })}
        />
      </Group>
      {flags.isError ? <ErrorState error={flags.error} onRetry={() => flags.refetch()} /> : null}
      {flags.isPending ? (
        <Loading label="Loading flags" />
      ) : (
        <Table striped highlightOnHover aria-label="Flags" aria-busy={flags.isFetching}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Key</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>Tags</Table.Th>
              <Table.Th>Health</Table.Th>
              {environments.map((env) => (
                <Table.Th key={env.key}>{env.name}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((flag) => (
              <Table.Tr key={flag.id}>
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={`/p/${projectKey}/flags/${encodeURIComponent(flag.featureKey)}`}
                    ff="monospace"
                    size="sm"
                  >
                    {flag.featureKey}
                  </Anchor>
                  {flag.archived ? (
                    <Badge ml="xs" size="xs" color="gray.8">
                      archived
                    </Badge>
                  ) : null}
                </Table.Td>
                <Table.Td>{flag.name}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {(flag.tags ?? []).map((t) => (
                      <Badge key={t} size="xs" variant="outline">
                        {t}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <HealthBadge health={flag.health} />
                </Table.Td>
                {environments.map((env) => {
                  const config = flag.environmentConfigurations?.find((e) => e.environmentKey === env.key);
                  return (
                    <Table.Td key={env.key}>
                      <Switch
                        aria-label={`${flag.featureKey} in ${env.name}`}
                        checked={Boolean(config?.featureEnabled)}
                        disabled={!writable || flag.archived}
                        onChange={(e) => confirmToggle(flag, env, e.currentTarget.checked)}
                      />
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {flags.data && shown.length === 0 ? <Text c="dimmed">No flag matches these filters.</Text> : null}
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {flags.data?.total === 1 ? "1 flag" : `${flags.data?.total ?? 0} flags`}
        </Text>
        <Pagination
          total={pages}
          value={filters.page}
          onChange={(page) => setFilters((f) => ({ ...f, page }))}
          getControlProps={(control) => ({ "aria-label": `${control} page` })}
          getItemProps={(page) => ({ "aria-label": `Page ${page}` })}
        />
      </Group>
    </Stack>
  );
}
