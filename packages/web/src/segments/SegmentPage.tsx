import { Alert, Anchor, Button, Group, List, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError, api, request, unwrap } from "../api/client.js";
import type { Segment } from "../api/types.js";
import { useCurrentProject } from "../app/project.js";
import { canWrite, useSession } from "../app/session.js";
import { ErrorState, Loading } from "../app/states.js";
import { ConditionEditor } from "./ConditionEditor.js";
import { type ConditionTree, fieldErrors } from "./condition-tree.js";

const codes = (text: string) => text.split(/[\s,]+/).filter(Boolean);

export default function SegmentPage() {
  const { segmentId = "new" } = useParams();
  const { projectKey } = useCurrentProject();
  const isNew = segmentId === "new";
  const client = useQueryClient();
  // Reloading after a conflict starts the form over from the stored segment: no stale draft survives.
  const [generation, setGeneration] = useState(0);
  const segment = useQuery({
    queryKey: ["segments", projectKey, segmentId],
    enabled: !isNew,
    queryFn: async () =>
      (await unwrap(api.GET("/segments/{segmentId}", { params: { path: { segmentId: Number(segmentId) } } })))
        .data as unknown as Segment,
  });
  if (!isNew && segment.isPending) return <Loading label="Loading segment" />;
  if (!isNew && segment.isError)
    return <ErrorState error={segment.error} onRetry={() => segment.refetch()} />;
  return (
    <SegmentForm
      key={`${segment.data?.id ?? "new"}-${generation}`}
      projectKey={projectKey}
      segment={segment.data}
      onReload={async () => {
        await client.invalidateQueries({ queryKey: ["segments", projectKey] });
        setGeneration((g) => g + 1);
      }}
    />
  );
}

function SegmentForm(props: { projectKey: string; segment: Segment | undefined; onReload: () => void }) {
  const { projectKey, segment } = props;
  const session = useSession();
  const writable = canWrite(session.data, projectKey);
  const navigate = useNavigate();
  const client = useQueryClient();
  const [name, setName] = useState(segment?.name ?? "");
  const [description, setDescription] = useState(segment?.description ?? "");
  const [tree, setTree] = useState<ConditionTree>((segment?.condition as ConditionTree) ?? { all: [] });
  const [included, setIncluded] = useState((segment?.included ?? []).join("\n"));
  const [excluded, setExcluded] = useState((segment?.excluded ?? []).join("\n"));
  const usage = useQuery({
    queryKey: ["segments", projectKey, segment?.id, "usage"],
    enabled: segment !== undefined,
    queryFn: async () =>
      (
        await unwrap(
          api.GET("/segments/{segmentId}/usage", { params: { path: { segmentId: segment?.id ?? 0 } } }),
        )
      ).data,
  });
  const save = useMutation({
    mutationFn: async () => {
      const body = {
        name,
        description,
        condition: tree,
        included: codes(included),
        excluded: codes(excluded),
      };
      if (!segment)
        return (await request<Segment>("POST", "/segments", { siteCode: projectKey, ...body })).data;
      return (
        await request<Segment>("PATCH", `/segments/${segment.id}`, body, {
          "if-match": `"${segment.version}"`,
        })
      ).data;
    },
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: ["segments", projectKey] });
      if (!segment) navigate(`/p/${projectKey}/segments/${saved.id}`, { replace: true });
    },
  });
  const errors =
    save.error instanceof ApiError && save.error.status === 400 ? fieldErrors(save.error.message) : new Map();
  const conflict = save.error instanceof ApiError && save.error.status === 409;

  return (
    <Stack maw={1000}>
      <Group gap="xs">
        <Anchor component={Link} to={`/p/${projectKey}/segments`} size="sm">
          Segments
        </Anchor>
        <Text size="sm" c="dimmed">
          /
        </Text>
      </Group>
      <Title order={1} size="h2">
        {segment ? segment.name : "New segment"}
      </Title>
      {conflict ? (
        <Alert color="orange" title="Someone else changed this segment" role="alert">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              Your change was not saved. Reload to see the latest version, then make your change again.
            </Text>
            <Button size="xs" variant="light" onClick={props.onReload}>
              Reload the segment
            </Button>
          </Stack>
        </Alert>
      ) : null}
      {save.error && !conflict && errors.size === 0 ? <ErrorState error={save.error} /> : null}
      {errors.get("")?.form ? (
        <Alert color="red" role="alert">
          {errors.get("")?.form}
        </Alert>
      ) : null}
      <TextInput
        label="Name"
        required
        disabled={!writable}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
      />
      <Textarea
        label="Description"
        disabled={!writable}
        value={description}
        onChange={(e) => setDescription(e.currentTarget.value)}
      />
      <Text fw={600}>Visitors match when</Text>
      <ConditionEditor tree={tree} onChange={setTree} errors={errors} writable={writable} />
      <Group grow align="flex-start">
        <Textarea
          label="Always included visitor codes"
          description="One per line"
          autosize
          minRows={2}
          disabled={!writable}
          value={included}
          onChange={(e) => setIncluded(e.currentTarget.value)}
        />
        <Textarea
          label="Always excluded visitor codes"
          description="One per line"
          autosize
          minRows={2}
          disabled={!writable}
          value={excluded}
          onChange={(e) => setExcluded(e.currentTarget.value)}
        />
      </Group>
      {writable ? (
        <Group>
          <Button loading={save.isPending} onClick={() => save.mutate()}>
            Save segment
          </Button>
          {save.isSuccess ? (
            <Text size="sm" c="green.9" role="status">
              Saved
            </Text>
          ) : null}
        </Group>
      ) : null}
      {segment ? (
        <Stack gap={4}>
          <Title order={2} size="h4">
            Used by
          </Title>
          {usage.isPending ? <Loading label="Loading usage" /> : null}
          {usage.data && usage.data.flags.length + usage.data.segments.length === 0 ? (
            <Text c="dimmed">Nothing uses this segment yet.</Text>
          ) : null}
          <List>
            {usage.data?.flags.map((f) => (
              <List.Item key={`${f.featureKey}-${f.detail}`}>
                <Anchor component={Link} to={`/p/${projectKey}/flags/${encodeURIComponent(f.featureKey)}`}>
                  {f.featureKey}
                </Anchor>{" "}
                {f.detail}
                {f.archived ? " (archived)" : ""}
              </List.Item>
            ))}
            {usage.data?.segments.map((s) => (
              <List.Item key={s.id}>
                <Anchor component={Link} to={`/p/${projectKey}/segments/${s.id}`}>
                  {s.name}
                </Anchor>{" "}
                (inSegment)
              </List.Item>
            ))}
          </List>
        </Stack>
      ) : null}
    </Stack>
  );
}
