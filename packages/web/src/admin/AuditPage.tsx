import {
  Accordion,
  Group,
  Pagination,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../api/client.js";
import type { AuditEntry, AuditQuery } from "../api/types.js";
import { useCurrentProject } from "../app/project.js";
import { useSession } from "../app/session.js";
import { EmptyState, ErrorState, Loading } from "../app/states.js";
import { DiffTable } from "../flags/DiffTable.js";
import { diffJson } from "../flags/history-diff.js";
import { actorLabel } from "./access.js";
import { auditQuery } from "./audit-filters.js";

const PAGE = 50;
const RESOURCES = [
  "feature-flag",
  "segment",
  "goal",
  "experiment",
  "environment",
  "project",
  "token",
  "user",
  "webhook",
];

function Changes({ entry }: { entry: AuditEntry }) {
  const changes = diffJson(entry.before ?? {}, entry.after ?? {});
  if (changes.length === 0) return <Text size="sm">No field recorded for this change.</Text>;
  return (
    <DiffTable
      label={`Changes of ${entry.action} ${entry.resourceType} ${entry.resourceId}`}
      changes={changes}
      whole="(whole resource)"
    />
  );
}

/** Every change, who made it and when, filtered by resource, actor and date; each with its diff. */
export default function AuditPage() {
  const { projectKey } = useCurrentProject();
  const session = useSession();
  const everyProject = session.data?.user.projectKey === null;
  const [scope, setScope] = useState<"project" | "all">("project");
  const [resourceType, setResourceType] = useState<string | null>(null);
  const [resourceId, setResourceId] = useState("");
  const [actor, setActor] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [page, setPage] = useState(1);
  // Typing in a text filter asks the server once the typing pauses.
  const [typed] = useDebouncedValue({ resourceId, actor }, 300);
  const query: AuditQuery = auditQuery({
    projectKey: scope === "project" || !everyProject ? projectKey : undefined,
    resourceType,
    resourceId: typed.resourceId,
    actor: typed.actor,
    from,
    to,
    limit: PAGE,
    offset: (page - 1) * PAGE,
  });
  const entries = useQuery({
    queryKey: ["audit", query],
    queryFn: async () => (await unwrap(api.GET("/audit-log", { params: { query } }))).data,
    placeholderData: keepPreviousData,
  });
  const filtered = (set: (value: string) => void) => (value: string) => {
    set(value);
    setPage(1);
  };
  return (
    <Stack>
      <Title order={1} size="h2">
        Audit log
      </Title>
      <SimpleGrid cols={{ base: 2, md: 6 }} spacing="sm">
        {everyProject ? (
          <Select
            label="Scope"
            allowDeselect={false}
            data={[
              { value: "project", label: `Project ${projectKey}` },
              { value: "all", label: "Everything" },
            ]}
            value={scope}
            onChange={(value) => value && filtered((v) => setScope(v as "project" | "all"))(value)}
          />
        ) : null}
        <Select
          label="Resource"
          placeholder="Any resource"
          clearable
          data={RESOURCES}
          value={resourceType}
          onChange={(value) => {
            setResourceType(value);
            setPage(1);
          }}
        />
        <TextInput
          label="Resource id"
          value={resourceId}
          onChange={(e) => filtered(setResourceId)(e.currentTarget.value)}
        />
        <TextInput
          label="Actor"
          description="Part of an email or token name"
          value={actor}
          onChange={(e) => filtered(setActor)(e.currentTarget.value)}
        />
        <TextInput
          label="From"
          type="date"
          description="This day included"
          value={from}
          onChange={(e) => filtered(setFrom)(e.currentTarget.value)}
        />
        <TextInput
          label="To"
          type="date"
          description="This day included"
          value={to}
          onChange={(e) => filtered(setTo)(e.currentTarget.value)}
        />
      </SimpleGrid>
      {entries.isPending ? <Loading label="Loading the audit log" /> : null}
      {entries.isError ? <ErrorState error={entries.error} onRetry={() => entries.refetch()} /> : null}
      {entries.data && entries.data.items.length === 0 ? (
        <EmptyState title="No change matches">
          <Text c="dimmed">Every change made by a person, a token or automation is recorded here.</Text>
        </EmptyState>
      ) : null}
      {entries.data && entries.data.items.length > 0 ? (
        <>
          <Text size="sm" c="dimmed" aria-live="polite">
            {entries.data.total} change{entries.data.total === 1 ? "" : "s"}
          </Text>
          <Accordion multiple aria-label="Audit entries">
            {entries.data.items.map((entry) => (
              <Accordion.Item key={entry.id} value={String(entry.id)}>
                <Accordion.Control>
                  <Group gap="sm" wrap="nowrap">
                    <Text size="sm" w={170}>
                      {new Date(entry.at).toLocaleString()}
                    </Text>
                    <Text size="sm" fw={600} w={190}>
                      {entry.action}
                    </Text>
                    <Text size="sm" w={220}>
                      {actorLabel(entry.actor)}
                    </Text>
                    <Text size="sm">
                      {entry.resourceType} {entry.resourceId}
                      {entry.projectKey ? ` in ${entry.projectKey}` : ""}
                    </Text>
                  </Group>
                </Accordion.Control>
                <Accordion.Panel>
                  <Changes entry={entry} />
                </Accordion.Panel>
              </Accordion.Item>
            ))}
          </Accordion>
          {entries.data.total > PAGE ? (
            <Pagination
              aria-label="Audit pages"
              total={Math.ceil(entries.data.total / PAGE)}
              value={page}
              onChange={setPage}
            />
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}
