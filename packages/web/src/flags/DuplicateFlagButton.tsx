import { Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useState } from "react";
import { useNavigate } from "react-router";
import type { Flag } from "../api/types.js";
import { flagAction } from "./api.js";
import { describeWriteError, useFlagWrite } from "./useFlagWrite.js";

/** "Duplicate": asks the copy's key and name (the key must be free), then opens the copy. */
export function DuplicateFlagButton({ flag }: { flag: Flag }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [featureKey, setFeatureKey] = useState(`${flag.featureKey}_copy`);
  const [name, setName] = useState(`${flag.name} (copy)`.slice(0, 100));
  const navigate = useNavigate();
  const duplicate = useFlagWrite(() => flagAction(flag, "duplicate", { featureKey, name }) as Promise<Flag>, {
    versioned: false,
    inline: true,
  });
  const keyProblem = /^[A-Za-z0-9._-]{1,255}$/.test(featureKey) ? undefined : "Only letters, digits, . _ -";
  return (
    <>
      <Button variant="default" onClick={open}>
        Duplicate
      </Button>
      <Modal opened={opened} onClose={close} title={`Duplicate ${flag.featureKey}`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            duplicate.mutate(undefined, {
              onSuccess: (copy) => {
                close();
                navigate(`/p/${flag.siteCode}/flags/${encodeURIComponent(copy.featureKey)}`);
              },
            });
          }}
        >
          <Stack>
            <Text size="sm">
              The copy gets the variations, variables, goals and each environment's rules and on/off state
              (not the experiments' results).
            </Text>
            <TextInput
              label="Key of the copy"
              required
              data-autofocus
              value={featureKey}
              error={keyProblem}
              onChange={(e) => setFeatureKey(e.currentTarget.value)}
            />
            <TextInput
              label="Name of the copy"
              required
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            {duplicate.error ? (
              <Text c="red.8" size="sm" role="alert">
                {describeWriteError(duplicate.error, false).message}
              </Text>
            ) : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={duplicate.isPending} disabled={Boolean(keyProblem) || !name}>
                Duplicate
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
