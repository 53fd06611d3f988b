import { Switch, TagsInput, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../api/client.js";
import type { Webhook, WebhookInput } from "../api/types.js";
import { FormModal } from "../app/FormModal.js";
import { useCurrentProject } from "../app/project.js";
import { StatementsEditor } from "./StatementsEditor.js";
import { webhookPatch } from "./webhook-patch.js";
import { type StatementDraft, toDraft, toStatements } from "./webhook-statements.js";

/** Create (no `webhook`) or edit a webhook in a dialog; the server's refusal is shown in it. */
export function WebhookForm({
  webhook,
  opened,
  onClose,
}: {
  webhook?: Webhook | undefined;
  opened: boolean;
  onClose: () => void;
}) {
  const [name, setName] = useState(webhook?.name ?? "");
  const [url, setUrl] = useState(webhook?.url ?? "");
  const [sign, setSign] = useState(webhook?.sign ?? true);
  const [secret, setSecret] = useState("");
  const [on, setOn] = useState(webhook?.on ?? true);
  const [tags, setTags] = useState<string[]>(webhook?.tags ?? []);
  const [drafts, setDrafts] = useState<StatementDraft[]>((webhook?.statements ?? []).map(toDraft));
  const { projectKey } = useCurrentProject();
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: async () => {
      const statements = toStatements(drafts);
      if ("problem" in statements) throw new Error(statements.problem);
      const input: WebhookInput = {
        url,
        sign,
        on,
        tags,
        statements,
        ...(name ? { name } : {}),
        ...(secret ? { secret } : {}),
      };
      if (!webhook) return unwrap(api.POST("/api/v2/webhooks", { body: input }));
      return unwrap(
        api.PATCH("/api/v2/webhooks/{id}", {
          params: { path: { id: webhook._id } },
          body: webhookPatch(webhook, input),
        }),
      );
    },
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ["webhooks"] });
      onClose();
    },
  });
  const title = webhook ? `Edit webhook ${webhook.name ?? webhook.url}` : "New webhook";
  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      title={title}
      size="xl"
      submitLabel={webhook ? "Save webhook" : "Create webhook"}
      onSubmit={() => save.mutate()}
      pending={save.isPending}
      error={save.error}
    >
      <TextInput label="Name" data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} />
      <TextInput
        label="URL"
        description="Receives a POST with each flag change"
        required
        value={url}
        onChange={(e) => setUrl(e.currentTarget.value)}
      />
      <Switch
        label="Sign deliveries (X-LD-Signature, HMAC-SHA256)"
        checked={sign}
        onChange={(e) => setSign(e.currentTarget.checked)}
      />
      {sign ? (
        <TextInput
          label="Secret"
          description={
            webhook ? "Leave blank to keep the current secret" : "Leave blank to have one generated"
          }
          value={secret}
          onChange={(e) => setSecret(e.currentTarget.value)}
        />
      ) : null}
      <Switch label="On" checked={on} onChange={(e) => setOn(e.currentTarget.checked)} />
      <TagsInput label="Tags" value={tags} onChange={setTags} />
      <StatementsEditor projectKey={projectKey} statements={drafts} onChange={setDrafts} />
    </FormModal>
  );
}
