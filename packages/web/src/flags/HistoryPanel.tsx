import { Accordion, Group, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client.js";
import type { Flag } from "../api/types.js";
import { ErrorState, Loading } from "../app/states.js";
import { DiffTable } from "./DiffTable.js";
import { diffJson } from "./history-diff.js";

interface AuditEntry {
  id: number;
  actor: string;
  action: string;
  at: string;
  before: unknown;
  after: unknown;
}

/** Who changed the flag, when, and each changed field before and after. */
export function HistoryPanel({ flag }: { flag: Flag }) {
  const history = useQuery({
    queryKey: ["flags", "history", flag.id, flag.version],
    queryFn: async () => {
      const { data } = await unwrap(
        api.GET("/audit-log", {
          params: {
            query: {
              projectKey: flag.siteCode,
              resourceType: "feature-flag",
              resourceId: String(flag.id),
              limit: 100,
              offset: 0,
            },
          },
        }),
      );
      return (data as unknown as { items: AuditEntry[] }).items;
    },
  });
  if (history.isPending) return <Loading label="Loading history" />;
  if (history.isError) return <ErrorState error={history.error} onRetry={() => history.refetch()} />;
  if (history.data.length === 0) return <Text c="dimmed">No change recorded yet.</Text>;
  return (
    <Accordion multiple aria-label="History">
      {history.data.map((entry) => {
        const changes = diffJson(entry.before ?? {}, entry.after ?? {});
        return (
          <Accordion.Item key={entry.id} value={String(entry.id)}>
            <Accordion.Control>
              <Group gap="sm">
                <Text size="sm" fw={600}>
                  {entry.action}
                </Text>
                <Text size="sm">{entry.actor.replace(/^(user|token):\d+:/, "")}</Text>
                <Text size="sm" c="dimmed">
                  {new Date(entry.at).toLocaleString()}
                </Text>
                <Text size="xs" c="dimmed">
                  {changes.length} field{changes.length === 1 ? "" : "s"}
                </Text>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <DiffTable
                label={`Changes of ${entry.action} at ${entry.at}`}
                changes={changes}
                whole="(whole flag)"
              />
            </Accordion.Panel>
          </Accordion.Item>
        );
      })}
    </Accordion>
  );
}
