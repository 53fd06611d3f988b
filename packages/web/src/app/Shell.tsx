import {
  ActionIcon,
  AppShell,
  Button,
  Divider,
  Group,
  NavLink,
  Select,
  Text,
  useComputedColorScheme,
  useMantineColorScheme,
} from "@mantine/core";
import { ModalsProvider } from "@mantine/modals";
import { Notifications } from "@mantine/notifications";
import { Suspense } from "react";
import { Link, Navigate, Outlet, useLocation, useNavigate } from "react-router";
import { useCurrentProject, useEnvironment } from "./project.js";
import { useSession, useSignOut } from "./session.js";
import { ErrorState, Loading } from "./states.js";

const sections = [
  { path: "flags", label: "Flags" },
  { path: "segments", label: "Segments" },
  { path: "experiments", label: "Experiments" },
];

// Administration and configuration (console-admin's screens), below the everyday sections.
const adminSections = [
  { path: "goals", label: "Goals and metrics" },
  { path: "environments", label: "Environments" },
  { path: "webhooks", label: "Webhooks" },
  { path: "tokens", label: "API tokens" },
  { path: "users", label: "Users" },
  { path: "audit", label: "Audit log" },
];

/** Redirects to the sign-in page when nobody is signed in, coming back here afterwards. */
export function RequireSession({ children }: { children: React.ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading label="Checking your session" />;
  if (session.isError) return <ErrorState error={session.error} onRetry={() => session.refetch()} />;
  if (!session.data) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return <>{children}</>;
}

/** `/`: the first project's flags. */
export function Home() {
  const { projects } = useCurrentProject();
  if (projects.isPending) return <Loading />;
  if (projects.isError) return <ErrorState error={projects.error} onRetry={() => projects.refetch()} />;
  const first = projects.data[0];
  if (!first)
    return (
      <ErrorState error={new Error("You have no project yet: create one with the API (POST /projects)")} />
    );
  return <Navigate to={`/p/${first.key}/flags`} replace />;
}

function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme("light");
  return (
    <ActionIcon
      variant="default"
      size="lg"
      aria-label={scheme === "dark" ? "Use light mode" : "Use dark mode"}
      onClick={() => setColorScheme(scheme === "dark" ? "light" : "dark")}
    >
      <span aria-hidden="true">{scheme === "dark" ? "☀" : "☾"}</span>
    </ActionIcon>
  );
}

/** The frame of every signed-in page: header with project and environment switchers, navigation, outlet. */
export function Shell() {
  const { projectKey, project, projects } = useCurrentProject();
  const [environmentKey, setEnvironment] = useEnvironment(projectKey, project?.environments);
  const session = useSession();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const location = useLocation();
  const section = location.pathname.split("/")[3] ?? "flags";

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: "sm" }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Text component={Link} to="/" fw={700} size="lg">
              Vexil
            </Text>
            <Select
              aria-label="Project"
              size="xs"
              w={160}
              allowDeselect={false}
              data={(projects.data ?? []).map((p) => ({ value: p.key, label: p.name }))}
              value={projectKey}
              onChange={(key) => key && navigate(`/p/${key}/${section}`)}
            />
            <Select
              aria-label="Environment"
              size="xs"
              w={160}
              allowDeselect={false}
              data={(project?.environments ?? []).map((e) => ({ value: e.key, label: e.name }))}
              value={environmentKey || null}
              onChange={(key) => key && setEnvironment(key)}
            />
          </Group>
          <Group wrap="nowrap">
            <Text size="sm" visibleFrom="sm">
              {session.data?.user.email} ({session.data?.user.role})
            </Text>
            <ColorSchemeToggle />
            <Button
              variant="default"
              size="xs"
              onClick={async () => {
                await signOut();
                navigate("/sign-in", { replace: true });
              }}
            >
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Sections">
        {sections.map((s) => (
          <NavLink
            key={s.path}
            component={Link}
            to={`/p/${projectKey}/${s.path}`}
            label={s.label}
            active={section === s.path}
          />
        ))}
        <Divider my="xs" label="Settings" labelPosition="left" />
        {adminSections.map((s) => (
          <NavLink
            key={s.path}
            component={Link}
            to={`/p/${projectKey}/${s.path}`}
            label={s.label}
            active={section === s.path}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        {projects.isError ? <ErrorState error={projects.error} onRetry={() => projects.refetch()} /> : null}
        <Suspense fallback={<Loading />}>
          <Outlet context={{ environmentKey }} />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}

/**
 * The shell with the modals and notifications providers: only signed-in screens use them, so they load with
 * this lazy chunk and stay out of the sign-in page's first load.
 */
export function ShellWithProviders() {
  return (
    <ModalsProvider>
      <Notifications />
      <Shell />
    </ModalsProvider>
  );
}
