import { Button, Code, CopyButton, Group, Stack, Tabs } from "@mantine/core";
import { flagSnippets } from "./snippets.js";

/** Tabs of ready-to-paste code for one flag and environment. */
export function Snippets(props: {
  featureKey: string;
  environment: { serverSdkKey: string; clientSdkKey: string } | undefined;
}) {
  const snippets = flagSnippets({
    origin: window.location.origin,
    featureKey: props.featureKey,
    serverSdkKey: props.environment?.serverSdkKey ?? "<server SDK key>",
    clientSdkKey: props.environment?.clientSdkKey ?? "<client SDK key>",
  });
  // Tab values become element ids (aria-labelledby): no spaces, or the panels lose their names.
  const id = (label: string) => label.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return (
    <Tabs defaultValue={id(snippets[0]?.label ?? "")}>
      <Tabs.List aria-label="SDK snippets">
        {snippets.map((s) => (
          <Tabs.Tab key={s.label} value={id(s.label)}>
            {s.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {snippets.map((s) => (
        <Tabs.Panel key={s.label} value={id(s.label)} pt="xs">
          <Stack gap="xs">
            <Code block>{s.code}</Code>
            <Group>
              <CopyButton value={s.code}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="light" onClick={copy}>
                    {copied ? "Copied" : `Copy ${s.label} snippet`}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}
