import { List, Stack, Text, Title } from "@mantine/core";
import { useCurrentProject } from "../app/project.js";
import { NewFlagButton } from "./NewFlagModal.js";
import { Snippets } from "./Snippets.js";

/** An empty project: what to do first, with this environment's SDK key in the snippet. */
export function Onboarding(props: { projectKey: string; environmentKey: string; canWrite: boolean }) {
  const { project } = useCurrentProject();
  const env = project?.environments.find((e) => e.key === props.environmentKey);
  return (
    <Stack maw={720}>
      <Title order={1} size="h2">
        Your first flag
      </Title>
      <List type="ordered" spacing="sm">
        <List.Item>
          <Text>Create a flag: a name your team understands and a key your code asks for.</Text>
          {props.canWrite ? (
            <NewFlagButton projectKey={props.projectKey} />
          ) : (
            <Text c="dimmed">A writer of this project can create it.</Text>
          )}
        </List.Item>
        <List.Item>
          <Text>
            Evaluate it from your application with this environment's keys (
            {env?.name ?? props.environmentKey}):
          </Text>
          <Snippets featureKey="my_flag" environment={env} />
        </List.Item>
        <List.Item>Turn it on in an environment and watch it reach your application.</List.Item>
      </List>
    </Stack>
  );
}
