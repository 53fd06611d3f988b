import { Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useState } from "react";
import { useNavigate } from "react-router";
import { createFlag } from "./api.js";
import { describeWriteError, useFlagWrite } from "./useFlagWrite.js";

/** Derives a flag key from a name: lowercase words joined by underscores. */
export function keyFromName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 255);
}

/** "New flag": name and key, then the flag page. Variations off/on (boolean) to start with. */
export function NewFlagButton({ projectKey }: { projectKey: string }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [name, setName] = useState("");
  const [key, setKey] = useState("");
  const [keyTouched, setKeyTouched] = useState(false);
  const navigate = useNavigate();
  const create = useFlagWrite(
    (featureKey: string) =>
      createFlag({
        siteCode: projectKey,
        featureKey,
        name,
        variations: [
          { key: "off", name: "Off" },
          { key: "on", name: "On" },
        ],
      }),
    { versioned: false, inline: true },
  );
  const featureKey = keyTouched ? key : keyFromName(name);
  return (
    <>
      <Button onClick={open}>New flag</Button>
      <Modal opened={opened} onClose={close} title="New flag">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate(featureKey, {
              onSuccess: () => {
                close();
                navigate(`/p/${projectKey}/flags/${encodeURIComponent(featureKey)}`);
              },
            });
          }}
        >
          <Stack>
            <TextInput
              label="Name"
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              data-autofocus
            />
            <TextInput
              label="Key"
              description="What your code asks for: letters, digits, . _ -"
              required
              value={featureKey}
              error={
                featureKey && !/^[A-Za-z0-9._-]{1,255}$/.test(featureKey)
                  ? "Only letters, digits, . _ -"
                  : undefined
              }
              onChange={(e) => {
                setKeyTouched(true);
                setKey(e.currentTarget.value);
              }}
            />
            {create.error ? (
              <Text c="red" size="sm" role="alert">
                {describeWriteError(create.error, false).message}
              </Text>
            ) : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create flag
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
